"""Shared fixtures: every test gets its own data folder; nothing touches the real one."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import NoReturn

import pytest
from hypothesis import settings as hypothesis_settings
from sqlalchemy import Engine, create_engine
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError
from syrupy.assertion import SnapshotAssertion
from syrupy.extensions.amber import AmberSnapshotExtension
from syrupy.location import PyTestLocation
from syrupy.types import SnapshotIndex

from hipflex.config import Settings
from hipflex.services.clock import FixedClock
from hipflex.services.context import AppContext
from hipflex.store import migrate
from tests.migration_replay import MigrationReplay
from tests.postgres_schemas import SchemaPool, drop_schema, new_schema, schema_url

# No deadline on any example: this machine (and CI's) is shared, and a test that fails
# because another process took the CPU is a timed assertion in disguise. Speed is
# measured in bench/, never asserted in tests.
hypothesis_settings.register_profile("hipflex", deadline=None)
hypothesis_settings.load_profile("hipflex")

STRICT = os.environ.get("HIPFLEX_STRICT", "") not in ("", "0", "false")
POSTGRES_URL_VARIABLE = "HIPFLEX_TEST_POSTGRES_URL"
DATABASES = ("sqlite", "postgres")
POSTGRES_HINT = (
    "install PostgreSQL (Debian: apt-get install postgresql; .ci/run sets it up) and set "
    f"{POSTGRES_URL_VARIABLE}=postgresql+psycopg://USER:PASSWORD@127.0.0.1:5432/DATABASE"
)


def missing(message: str) -> NoReturn:
    """Skip a test that needs a missing component; fail instead under HIPFLEX_STRICT=1."""
    if STRICT:
        pytest.fail(message)
    pytest.skip(message)


def require_tool(name: str, install_hint: str) -> str:
    """Path of a program a test needs; skips (or fails under HIPFLEX_STRICT=1) without it."""
    path = shutil.which(name)
    if path is None:
        missing(f"{name} is not installed ({install_hint})")
    return path


def require_postgres_url() -> str:
    """The test server's URL; skips (or fails under HIPFLEX_STRICT=1) when it is not set."""
    url = os.environ.get(POSTGRES_URL_VARIABLE, "").strip()
    if not url:
        missing(f"{POSTGRES_URL_VARIABLE} is not set ({POSTGRES_HINT})")
    parsed = make_url(url)
    if parsed.drivername == "postgresql":  # SQLAlchemy would pick psycopg2; we ship psycopg 3
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed.render_as_string(hide_password=False)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", f"postgres: runs on PostgreSQL ({POSTGRES_URL_VARIABLE}); -m 'not postgres'"
    )
    config.addinivalue_line(
        "markers", "real_migrations: Alembic migrates each new database (tests/migration_replay.py)"
    )
    config.addinivalue_line(
        "markers", "new_schema: database_url on PostgreSQL is a new, empty schema, not a lent one"
    )


_MIGRATIONS = MigrationReplay(migrate.upgrade)


@pytest.fixture(autouse=True)
def replayed_migrations(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """A new database gets the SQL Alembic sent for the session's first one (see
    tests/migration_replay.py), unless the test is marked real_migrations."""
    if request.node.get_closest_marker("real_migrations") is None:
        monkeypatch.setattr(migrate, "upgrade", _MIGRATIONS.upgrade)


@pytest.fixture(autouse=True)
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    data = tmp_path / "hipflex-data"
    monkeypatch.setenv("HIPFLEX_DATA_DIR", str(data))
    monkeypatch.delenv("HIPFLEX_DATABASE_URL", raising=False)
    for name in (
        "THOMAS_KNEE_FLOOR_DEG",
        "THIGH_TOLERANCE_DEG",
        "HIP_EXTENSION_FLOOR_DEG",
        "PHOTO_SEM_DEG",
        "TRUNK_LEAN_LIMIT_DEG",
    ):
        monkeypatch.delenv(f"HIPFLEX_{name}", raising=False)
    return data


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[Engine]:
    """An engine on the test server's database, for creating and dropping schemas."""
    url = require_postgres_url()
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect():
            pass
    except OperationalError as exc:
        engine.dispose()
        reason = str(exc.orig).strip().splitlines()[0]
        where = make_url(url).render_as_string(hide_password=True)
        missing(f"cannot connect to PostgreSQL at {where}: {reason} ({POSTGRES_HINT})")
    yield engine
    engine.dispose()


@pytest.fixture
def postgres_url(postgres_server: Engine) -> Iterator[str]:
    """A URL whose connections see only a new, empty schema, dropped after the test."""
    schema = new_schema(postgres_server)
    yield schema_url(postgres_server, schema)
    drop_schema(postgres_server, schema)


@pytest.fixture(scope="session")
def postgres_schemas(postgres_server: Engine) -> Iterator[SchemaPool]:
    """Migrated schemas, emptied after each test and lent again (tests/postgres_schemas.py)."""
    pool = SchemaPool(postgres_server, AppContext.upgrade_database)
    yield pool
    pool.close()


@pytest.fixture
def migrated_postgres_url(postgres_schemas: SchemaPool) -> Iterator[str]:
    """A URL whose connections see only a migrated schema with no rows."""
    schema, borrower = postgres_schemas.lend()
    yield postgres_schemas.url(schema, borrower)
    postgres_schemas.give_back(schema, borrower)


#: For a test whose cases vary what the user typed and are refused before the database
#: matters: its PostgreSQL twin would only run the same SQL again, case after case.
sqlite_only = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """The store's URL: a SQLite file in tmp_path, or on PostgreSQL a migrated schema with
    no rows (a new, empty one for a test marked new_schema or real_migrations)."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'app-data' / 'hipflex.db'}"
    node = request.node
    new = node.get_closest_marker("new_schema") or node.get_closest_marker("real_migrations")
    url: str = request.getfixturevalue("postgres_url" if new else "migrated_postgres_url")
    return url


def _without_database_id(name: str) -> str:
    """test_x[sqlite] -> test_x, test_x[3-postgres] -> test_x[3]."""
    base, bracket, ids = name.partition("[")
    if not bracket:
        return name
    kept = [part for part in ids.removesuffix("]").split("-") if part not in DATABASES]
    return f"{base}[{'-'.join(kept)}]" if kept else base


class OneSnapshotForEveryDatabase(AmberSnapshotExtension):
    """Snapshots are named without the database: both backends must render the same."""

    @classmethod
    def get_snapshot_name(cls, *, test_location: PyTestLocation, index: SnapshotIndex = 0) -> str:
        name = super().get_snapshot_name(test_location=test_location, index=index)
        test_name = test_location.snapshot_name
        return _without_database_id(test_name) + name.removeprefix(test_name)


@pytest.fixture
def snapshot(snapshot: SnapshotAssertion) -> SnapshotAssertion:
    return snapshot.use_extension(OneSnapshotForEveryDatabase)


@pytest.fixture
def clock() -> FixedClock:
    from datetime import UTC, datetime

    return FixedClock(datetime(2026, 11, 2, 9, 0, tzinfo=UTC))


@pytest.fixture
def app(tmp_path: Path, database_url: str, clock: FixedClock) -> Iterator[AppContext]:
    settings = Settings(data_dir=tmp_path / "app-data", database_url=database_url)
    context = AppContext(settings, clock)
    yield context
    context.close()


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """One line per reason for the skipped tests, not one per test."""
    reasons: dict[str, int] = {}
    for report in terminalreporter.stats.get("skipped", []):
        longrepr = report.longrepr
        reason = longrepr[2] if isinstance(longrepr, tuple) else str(longrepr)
        reason = reason.removeprefix("Skipped: ")
        reasons[reason] = reasons.get(reason, 0) + 1
    for reason, count in sorted(reasons.items(), key=lambda item: -item[1]):
        terminalreporter.write_line(f"skipped {count}: {reason}")


@pytest.fixture
def cheap_password_hashes(monkeypatch: pytest.MonkeyPatch) -> None:
    """argon2id at its smallest cost: the real one (64 MiB, 3 passes) takes a tenth of a
    second per hash, and tests hash many. tests/services/test_accounts.py checks the real
    parameters once."""
    from argon2 import PasswordHasher

    from hipflex.services import accounts

    cheap = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
    monkeypatch.setattr(accounts, "_hasher", lambda: cheap)
