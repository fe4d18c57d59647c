"""Storage: SQLAlchemy models, the repository, Alembic migrations.

`Store` is imported on first use, so that hipflex.store.lite (plain sqlite3, for commands
that only read) does not load SQLAlchemy.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from hipflex.store.repository import Store

__all__ = ["Store"]


def __getattr__(name: str) -> Any:
    if name == "Store":
        from hipflex.store.repository import Store

        return Store
    msg = f"module {__name__!r} has no attribute {name!r}"
    raise AttributeError(msg)
