"""What every use case needs: settings, the store (opened on first use) and a clock."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy.exc import SQLAlchemyError

from hipflex.config import Settings
from hipflex.domain.errors import Unavailable
from hipflex.services.clock import Clock, SystemClock
from hipflex.store import Store


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
                reason = str(exc).splitlines()[0]
                msg = f"cannot open the database at {url}: {reason}"
                raise StoreUnavailable(msg) from exc
        return self._store

    def open(self) -> None:
        """Open (and migrate) the store now rather than on first use."""
        _ = self.store

    def close(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None


def open_app(settings: Settings | None = None, clock: Clock | None = None) -> AppContext:
    return AppContext(settings or Settings(), clock or SystemClock())
