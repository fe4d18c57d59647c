"""What every use case needs: settings, the store (opened on first use) and a clock."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

from hipflex.config import Settings
from hipflex.domain.errors import Unavailable
from hipflex.services.clock import Clock, SystemClock
from hipflex.store import Store
from hipflex.store.faults import shown_url


class StoreUnavailable(Unavailable):
    """The database could not be opened or migrated."""


@dataclass
class AppContext:
    settings: Settings
    clock: Clock = field(default_factory=SystemClock)
    _store: Store | None = None

    @property
    def store(self) -> Store:
        if self._store is None:
            url = self.settings.resolved_database_url()
            try:
                self._store = Store.open(url)
            except (SQLAlchemyError, OSError) as exc:
                shown = shown_url(url)
                cause = getattr(exc, "orig", None) or exc  # the driver's words, not its class
                first = str(cause).strip().splitlines()[0] if str(cause).strip() else ""
                reason = _without_password(first or type(cause).__name__, url)
                msg = f"cannot open the database at {shown}: {reason}"
                raise StoreUnavailable(msg) from exc
        return self._store

    def open(self) -> None:
        """Open (and migrate) the store now rather than on first use."""
        _ = self.store

    def close(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None


def _without_password(text: str, url: str) -> str:
    """A driver's message with the URL's password (if any) blotted out."""
    try:
        password = make_url(url).password
    except Exception:  # noqa: BLE001 - a URL that does not parse has no password to hide
        return text
    return text.replace(str(password), "***") if password else text


def open_app(settings: Settings | None = None, clock: Clock | None = None) -> AppContext:
    return AppContext(settings or Settings(), clock or SystemClock())
