"""What every use case needs: settings, the store (opened on first use) and a clock."""

from __future__ import annotations

import sqlite3
import sys
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, cast

from hipflex.config import Settings
from hipflex.domain.errors import Unavailable
from hipflex.services.clock import Clock, SystemClock

if TYPE_CHECKING:
    from hipflex.store import Store


class StoreUnavailable(Unavailable):
    """The database could not be opened or migrated."""


@dataclass
class AppContext:
    """`lean`: read an existing SQLite store at the newest revision with plain sqlite3
    (hipflex.store.lite), loading SQLAlchemy only for a write; for short-lived processes."""

    settings: Settings
    clock: Clock = field(default_factory=SystemClock)
    _store: Store | None = None
    lean: bool = False

    @property
    def store(self) -> Store:
        if self._store is None:
            url = self.settings.resolved_database_url()
            if self.lean:
                from hipflex.store.lite import open_lite

                upgrade = not self.settings.team
                lite = open_lite(url, lambda: self._open_store(url, upgrade=upgrade), shared=True)
                if lite is not None:
                    # The reads it answers are Store's; the rest are the Store's own.
                    self._store = cast("Store", lite)
                    return self._store
            self._store = self._open_store(url, upgrade=not self.settings.team)
        return self._store

    @staticmethod
    def _open_store(url: str, *, upgrade: bool = True) -> Store:
        from sqlalchemy.exc import SQLAlchemyError

        from hipflex.store import Store
        from hipflex.store.faults import shown_url

        try:
            return Store.open(url, upgrade=upgrade)
        except (SQLAlchemyError, OSError) as exc:
            cause = getattr(exc, "orig", None) or exc  # the driver's words, not its class
            first = str(cause).strip().splitlines()[0] if str(cause).strip() else ""
            reason = _without_password(first or type(cause).__name__, url)
            msg = f"cannot open the database at {shown_url(url)}: {reason}"
            raise StoreUnavailable(msg) from exc

    @staticmethod
    def upgrade_database(url: str) -> str | None:
        """Migrate the database at `url` to this hipflex's schema; the revision it was at
        (None: it had none)."""
        from sqlalchemy.exc import SQLAlchemyError

        from hipflex.store.db import make_engine
        from hipflex.store.faults import where
        from hipflex.store.migrate import upgrade_if_needed

        engine = make_engine(url)
        try:
            return upgrade_if_needed(engine, where(url))
        except SQLAlchemyError as exc:
            reason = _without_password(str(exc).strip().splitlines()[0], url)
            msg = f"cannot upgrade the database at {where(url)}: {reason}"
            raise StoreUnavailable(msg) from exc
        finally:
            engine.dispose()

    def for_account(self, account_id: int) -> AppContext:
        """The same settings, clock and database, bound to one account's data (team
        mode): every read and write of its store is scoped to that account."""
        return AppContext(self.settings, self.clock, self.store.for_account(account_id))

    def open(self) -> None:
        """Open (and migrate) the store now rather than on first use."""
        _ = self.store

    def close(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None


def _without_password(text: str, url: str) -> str:
    """A driver's message with the URL's password (if any) blotted out."""
    from sqlalchemy.engine import make_url

    try:
        password = make_url(url).password
    except Exception:  # noqa: BLE001 - a URL that does not parse has no password to hide
        return text
    return text.replace(str(password), "***") if password else text


def database_errors() -> tuple[type[Exception], ...]:
    """What a failing database raises: sqlite3's errors (the lean store's), OSError, and
    SQLAlchemy's once a Store has loaded it (catching them needs no SQLAlchemy)."""
    found: tuple[type[Exception], ...] = (sqlite3.Error, OSError)
    sqlalchemy_errors = sys.modules.get("sqlalchemy.exc")
    if sqlalchemy_errors is not None:
        found += (sqlalchemy_errors.SQLAlchemyError,)
    return found


def open_app(
    settings: Settings | None = None, clock: Clock | None = None, *, lean: bool = True
) -> AppContext:
    """The context of a short-lived process (a command, the reminder exchange): lean reads."""
    return AppContext(settings or Settings(), clock or SystemClock(), lean=lean)
