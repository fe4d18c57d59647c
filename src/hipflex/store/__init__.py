"""Storage: SQLAlchemy models, the repository, Alembic migrations."""

from hipflex.store.repository import Store

__all__ = ["Store"]
