"""Every ORM query and every new row of a Store's sessions is bound to the Store's owner
(DESIGN.md habit 17): the criteria are added to each SELECT, UPDATE and DELETE by
SQLAlchemy's do_orm_execute hook, and the owner is written into each new row before it
is flushed, so a store method cannot forget them."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, Table, event
from sqlalchemy.orm import ORMExecuteState, Session, sessionmaker, with_loader_criteria

from hipflex.store.models import Base, Owned


def owned_tables() -> list[Table]:
    """The tables of a person's data, parents before children."""
    owned = {
        mapper.local_table for mapper in Base.registry.mappers if issubclass(mapper.class_, Owned)
    }
    return [table for table in Base.metadata.sorted_tables if table in owned]


def owner_clause(table: Table, owner: int | None) -> ColumnElement[bool]:
    """A Core WHERE clause for an owned table's rows of `owner`."""
    column = table.c.account_id
    return column.is_(None) if owner is None else column == owner


def bind_to_owner(maker: sessionmaker[Session], owner: int | None) -> None:
    """Scope every session `maker` makes to `owner`'s rows."""
    if owner is None:
        criteria = with_loader_criteria(
            Owned, lambda cls: cls.account_id.is_(None), include_aliases=True
        )
    else:
        criteria = with_loader_criteria(
            Owned, lambda cls: cls.account_id == owner, include_aliases=True
        )

    @event.listens_for(maker, "do_orm_execute")
    def _scoped(state: ORMExecuteState) -> None:
        if state.is_select or state.is_update or state.is_delete:
            state.statement = state.statement.options(criteria)

    @event.listens_for(maker, "before_flush")
    def _owned(session: Session, *_: Any) -> None:  # (session, flush context, instances)
        for row in session.new:
            if isinstance(row, Owned):
                if row.account_id is not None and row.account_id != owner:
                    msg = "a row for another account was added to this store"
                    raise RuntimeError(msg)
                row.account_id = owner
