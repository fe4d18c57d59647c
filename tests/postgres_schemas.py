"""Migrated PostgreSQL schemas for tests, emptied and lent again instead of made anew.

A new schema costs a test ~0.3 s (more on a loaded machine): creating a dozen tables with
their indexes, then dropping them, files the server must create, sync and unlink. Most
tests want a store at head with nothing in it, so a schema a test is done with is put
back as one: its rows are deleted (alembic_version's excepted) and its sequences set to
their start, which is quick. It is lent again only if nothing else is left of the test:

- its tables, columns, constraints, indexes, sequences, triggers, functions, types and
  privileges are the ones a new migrated schema has (compared from the catalog);
- alembic_version says head;
- no connection the test opened is still there (each lent URL names its borrower in
  application_name, and the server lists who is connected).

Otherwise it is dropped, as every schema was before. A test that needs a new, empty
schema (one that checks what migrating a new database says, or Alembic itself) takes
`postgres_url`, or is marked `new_schema` or `real_migrations`.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import Connection, Engine
from sqlalchemy.exc import DBAPIError

from hipflex.store import migrate

#: How long a closed connection's server process may take to end (usually a few ms).
BACKEND_EXIT_GRACE_S = 0.5

#: What a schema holds, one line per thing, its own name written as SCHEMA.
_CATALOG = """
WITH ns AS (SELECT oid FROM pg_namespace WHERE nspname = %(schema)s),
rels AS MATERIALIZED (
    SELECT c.oid, c.relname FROM pg_class c WHERE c.relnamespace = (SELECT oid FROM ns)
)
SELECT 'schema ' || coalesce(nspacl::text, '') FROM pg_namespace WHERE oid = (SELECT oid FROM ns)
UNION ALL
SELECT 'relation ' || c.relname || ' ' || c.relkind::text || ' ' || coalesce(c.relacl::text, '')
    || ' ' || coalesce(c.reloptions::text, '') || ' ' || c.relpersistence::text
FROM pg_class c WHERE c.oid IN (SELECT oid FROM rels)
UNION ALL
SELECT 'column ' || r.relname || '.' || a.attname || ' ' || format_type(a.atttypid, a.atttypmod)
    || ' ' || a.attnotnull::text || ' ' || a.attidentity::text || a.attgenerated::text
    || ' ' || coalesce(pg_get_expr(d.adbin, d.adrelid), '') || ' ' || a.attnum::text
    || ' ' || coalesce(a.attacl::text, '')
FROM rels r
JOIN pg_attribute a ON a.attrelid = r.oid
LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
WHERE a.attnum > 0 AND NOT a.attisdropped
UNION ALL
SELECT 'constraint ' || r.relname || ' ' || k.conname || ' ' || pg_get_constraintdef(k.oid)
    || ' ' || k.condeferrable::text || k.condeferred::text
FROM rels r JOIN pg_constraint k ON k.conrelid = r.oid
UNION ALL
SELECT 'index ' || pg_get_indexdef(i.indexrelid) FROM rels r JOIN pg_index i ON i.indrelid = r.oid
UNION ALL
SELECT 'sequence ' || r.relname || ' ' || format_type(s.seqtypid, NULL) || ' '
    || s.seqstart::text || ' ' || s.seqmin::text || ' ' || s.seqmax::text || ' '
    || s.seqincrement::text || ' ' || s.seqcycle::text || ' ' || s.seqcache::text
FROM rels r JOIN pg_sequence s ON s.seqrelid = r.oid
UNION ALL
SELECT 'trigger ' || pg_get_triggerdef(t.oid)
FROM rels r JOIN pg_trigger t ON t.tgrelid = r.oid WHERE NOT t.tgisinternal
UNION ALL
SELECT 'rule ' || pg_get_ruledef(w.oid) FROM rels r JOIN pg_rewrite w ON w.ev_class = r.oid
UNION ALL
SELECT 'function ' || p.proname || ' ' || pg_get_function_identity_arguments(p.oid) || ' '
    || md5(coalesce(p.prosrc, ''))
FROM pg_proc p WHERE p.pronamespace = (SELECT oid FROM ns)
UNION ALL
SELECT 'type ' || t.typname || ' ' || t.typtype::text
FROM pg_type t WHERE t.typnamespace = (SELECT oid FROM ns)
UNION ALL
SELECT 'enum ' || t.typname || ' ' || e.enumlabel || ' ' || e.enumsortorder::text
FROM pg_enum e JOIN pg_type t ON t.oid = e.enumtypid
WHERE t.typnamespace = (SELECT oid FROM ns)
"""

#: Each table and the tables whose foreign keys point at it.
_REFERENCES = """
SELECT c.relname, coalesce(array_agg(r.relname) FILTER (WHERE r.relname IS NOT NULL), '{}')
FROM pg_class c
LEFT JOIN pg_constraint k ON k.confrelid = c.oid AND k.contype = 'f'
LEFT JOIN pg_class r ON r.oid = k.conrelid AND r.oid <> c.oid
WHERE c.relnamespace = (SELECT oid FROM pg_namespace WHERE nspname = %(schema)s)
    AND c.relkind IN ('r', 'p')
GROUP BY c.relname
"""


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _catalog(connection: Connection, schema: str) -> list[str]:
    rows = connection.exec_driver_sql(_CATALOG, {"schema": schema}).scalars()
    for_any_name = (row.replace(_quoted(schema) + ".", "SCHEMA.") for row in rows)
    return sorted(row.replace(schema + ".", "SCHEMA.") for row in for_any_name)


def _children_first(connection: Connection, schema: str) -> list[str]:
    """The schema's tables, each after every table that points at it (a cycle: an error)."""
    referenced_by = {
        table: set(children)
        for table, children in connection.exec_driver_sql(_REFERENCES, {"schema": schema})
    }
    ordered: list[str] = []
    while referenced_by:
        free = sorted(t for t, children in referenced_by.items() if not children - set(ordered))
        if not free:
            msg = f"foreign keys in a cycle: {sorted(referenced_by)}"
            raise RuntimeError(msg)
        ordered.extend(free)
        for table in free:
            del referenced_by[table]
    return ordered


@dataclass(frozen=True)
class _Pristine:
    """What a schema holds just after migrating, to compare a returned one with."""

    catalog: list[str]
    tables: list[str]  # children first; alembic_version left out
    sequences: dict[str, int]  # name -> start value


@dataclass
class SchemaPool:
    """Migrated schemas on the test server's database, lent to one test at a time."""

    server: Engine  # AUTOCOMMIT, on the test database
    migrate_new: Callable[[str], object]  # migrates a new schema's URL to head
    free: list[str] = field(default_factory=list)
    pristine: _Pristine | None = None
    lent: int = 0
    reused: int = 0

    def url(self, schema: str, borrower: str) -> str:
        return schema_url(self.server, schema, borrower)

    def lend(self) -> tuple[str, str]:
        """(schema, borrower): a migrated schema with no rows, and the name its URL gives."""
        borrower = f"hipflex_test_{uuid.uuid4().hex[:16]}"
        self.lent += 1
        if self.free:
            self.reused += 1
            return self.free.pop(), borrower
        schema = new_schema(self.server)
        self.migrate_new(self.url(schema, borrower))
        if self.pristine is None:
            with self.server.connect() as connection:
                self.pristine = self._pristine(connection, schema)
        return schema, borrower

    def give_back(self, schema: str, borrower: str) -> None:
        """Empty `schema` for the next test if nothing else is left of this one; else drop it."""
        if self._emptied(schema, borrower):
            self.free.append(schema)
        else:
            drop_schema(self.server, schema)

    def close(self) -> None:
        while self.free:
            drop_schema(self.server, self.free.pop())

    def _pristine(self, connection: Connection, schema: str) -> _Pristine:
        tables = [t for t in _children_first(connection, schema) if t != "alembic_version"]
        rows = connection.exec_driver_sql(
            "SELECT sequencename, start_value FROM pg_sequences WHERE schemaname = %(s)s",
            {"s": schema},
        )
        sequences: dict[str, int] = dict(rows.all())
        return _Pristine(_catalog(connection, schema), tables, sequences)

    def _emptied(self, schema: str, borrower: str) -> bool:
        pristine = self.pristine
        if pristine is None:
            return False
        with self.server.connect() as connection:
            if _still_connected(connection, borrower) or (
                _catalog(connection, schema) != pristine.catalog
            ):
                return False
            revision = connection.exec_driver_sql(
                f"SELECT version_num FROM {_quoted(schema)}.alembic_version"  # noqa: S608
            ).all()
            if revision != [(migrate.HEAD_REVISION,)]:
                return False
            # One round trip, one transaction: all the rows go, or the schema is dropped. A
            # connection left idle in a transaction would hold it up; fail instead.
            emptying = ["SET lock_timeout = '10s'"]
            for table in pristine.tables:
                emptying.append(f"DELETE FROM {_quoted(schema)}.{_quoted(table)}")  # noqa: S608
            for name, start in pristine.sequences.items():
                sequence = _literal(f"{_quoted(schema)}.{_quoted(name)}")
                emptying.append(f"SELECT setval({sequence}, {int(start)}, false)")
            try:
                connection.exec_driver_sql("; ".join(emptying))
            except DBAPIError:
                return False
        return True


def _still_connected(connection: Connection, borrower: str) -> bool:
    """Whether a connection the borrower opened is still there, after a moment's grace:
    a server process ends a little after its client has closed the connection."""
    deadline = time.monotonic() + BACKEND_EXIT_GRACE_S
    while True:
        count = connection.exec_driver_sql(
            "SELECT count(*) FROM pg_stat_activity WHERE application_name = %(b)s",
            {"b": borrower},
        ).scalar()
        if not count:
            return False
        if time.monotonic() > deadline:
            return True
        time.sleep(0.01)


def new_schema(server: Engine) -> str:
    schema = f"hipflex_test_{uuid.uuid4().hex[:16]}"
    with server.connect() as connection:
        connection.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
    return schema


def drop_schema(server: Engine, schema: str) -> None:
    with server.connect() as connection:
        # A connection left idle in a transaction would hold the drop forever; fail instead.
        connection.exec_driver_sql("SET lock_timeout = '10s'")
        connection.exec_driver_sql(f'DROP SCHEMA "{schema}" CASCADE')


def schema_url(server: Engine, schema: str, borrower: str | None = None) -> str:
    """A URL whose connections see only `schema`, named `borrower` on the server if given."""
    # Commits need not wait for the disk: a test's database is thrown away anyway, and the
    # wait made PostgreSQL tests several times slower than SQLite ones.
    options = f"-csearch_path={schema} -csynchronous_commit=off"
    if borrower is not None:
        options += f" -capplication_name={borrower}"
    url = server.url.update_query_dict({"options": options})
    return url.render_as_string(hide_password=False)
