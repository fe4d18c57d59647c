"""How many rows of each table name one account, by every column that refers to an
account (its own data's `account_id`, a share's member or clinician, an audit entry's
member or actor, a note's author...): read from the schema, so a new table is counted
at once."""

from __future__ import annotations

from sqlalchemy import Engine, func, select

from hipflex.store.models import Base


def rows_naming(engine: Engine, account_id: int) -> dict[str, int]:
    """{"table.column": rows whose column is the account}, for every column that refers
    to accounts.id."""
    columns = [
        column
        for table in Base.metadata.sorted_tables
        for column in table.columns
        if any(key.column.table.name == "accounts" for key in column.foreign_keys)
    ]
    with engine.connect() as connection:
        return {
            f"{column.table.name}.{column.name}": int(
                connection.scalar(
                    select(func.count()).select_from(column.table).where(column == account_id)
                )
                or 0
            )
            for column in columns
        }
