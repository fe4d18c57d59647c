"""Storage faults, named once (hipflex/errors.py): each is one clear line (exit 1, or 2 for
a setting; 503 on the web), and nothing already saved is lost or changed."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, event
from sqlalchemy.engine import make_url
from tests.web.conftest import API, arm_csrf

from hipflex.config import Settings
from hipflex.domain.errors import (
    BadSetting,
    HipflexError,
    NewerStore,
    ReadOnlyStore,
    StoreCorrupt,
    StoreFull,
    StoreLocked,
)
from hipflex.errors import EXIT_BAD_INPUT, EXIT_FAILURE, kind_of
from hipflex.services import data, tracking
from hipflex.services.clock import FixedClock
from hipflex.services.context import AppContext
from hipflex.store import db, sqlite_faults
from hipflex.store.db import POSTGRES_WRITE_LOCK_KEY
from hipflex.store.migrate import KNOWN_REVISIONS, MIGRATIONS_DIR
from hipflex.web.app import create_app

HIPFLEX = Path(sys.executable).parent / "hipflex"
NOBODY = 65534


def open_at(url: str, clock: FixedClock, folder: Path) -> AppContext:
    return AppContext(Settings(data_dir=folder, database_url=url), clock)


def filled(url: str, clock: FixedClock, folder: Path) -> None:
    """Three pain ratings and a note, then closed."""
    app = open_at(url, clock, folder)
    try:
        for score in (2, 3, 4):
            tracking.log_pain(app, score)
        tracking.log_note(app, "tight after a long meeting")
    finally:
        app.close()


def pain_count(url: str, clock: FixedClock, folder: Path) -> int:
    app = open_at(url, clock, folder)
    try:
        return data.snapshot(app).counts()["pain_ratings"]
    finally:
        app.close()


def assert_one_clear_line(error: HipflexError, *fragments: str, exit_status: int = 1) -> None:
    text = str(error)
    assert "\n" not in text
    assert "Traceback" not in text
    for fragment in fragments:
        assert fragment in text, text
    assert kind_of(error).exit_status == exit_status
    if exit_status == EXIT_FAILURE:
        assert kind_of(error).http_status == 503


def run(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(HIPFLEX), *args],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        env={**os.environ, **env},
    )


def assert_cli_line(result: subprocess.CompletedProcess[str], code: int, *fragments: str) -> str:
    assert result.returncode == code, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("hipflex: error: ")
    for fragment in fragments:
        assert fragment in lines[0], lines[0]
    return lines[0]


@pytest.fixture
def sqlite_file(tmp_path: Path, clock: FixedClock) -> tuple[str, Path]:
    path = tmp_path / "store" / "hipflex.db"
    url = f"sqlite:///{path}"
    filled(url, clock, tmp_path)
    with sqlite3.connect(path) as raw:  # everything in the main file, none in the WAL
        raw.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return url, path


# Read-only


def test_a_read_only_sqlite_database_is_one_line_and_keeps_its_data(
    sqlite_file: tuple[str, Path], clock: FixedClock, tmp_path: Path
):
    url, path = sqlite_file
    read_only = f"sqlite:///file:{path}?mode=ro&uri=true"
    app = open_at(read_only, clock, tmp_path)
    try:
        assert data.snapshot(app).counts()["pain_ratings"] == 3  # reading still works
        with pytest.raises(ReadOnlyStore) as caught:
            tracking.log_pain(app, 5)
    finally:
        app.close()
    assert_one_clear_line(caught.value, "read-only", str(path), "nothing was saved")
    assert pain_count(url, clock, tmp_path) == 3


@pytest.fixture
def as_someone_else() -> Iterator[tuple[list[str], Path]]:
    """A command prefix and a folder for running hipflex as a user a file mode binds (root
    may write to a read-only file): nobody, through setpriv, when the tests run as root."""
    folder = Path(tempfile.mkdtemp(prefix="hipflex-ro-"))  # in /tmp: nobody can reach it
    try:
        if os.geteuid() != 0:
            yield [], folder
            return
        setpriv = shutil.which("setpriv")
        if setpriv is None:
            pytest.skip("running as root without setpriv to become another user")
        os.chown(folder, NOBODY, NOBODY)
        yield [setpriv, f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups"], folder
    finally:
        folder.chmod(0o755)
        shutil.rmtree(folder, ignore_errors=True)


def test_a_read_only_file_on_the_command_line_is_one_line(
    as_someone_else: tuple[list[str], Path], clock: FixedClock
):
    prefix, folder = as_someone_else
    path = folder / "hipflex.db"
    url = f"sqlite:///{path}"
    filled(url, clock, folder)
    with sqlite3.connect(path) as raw:
        raw.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    for leftover in folder.glob("hipflex.db-*"):
        leftover.unlink()
    if prefix:
        os.chown(path, NOBODY, NOBODY)
    path.chmod(0o444)
    folder.chmod(0o555)
    result = subprocess.run(
        [*prefix, str(HIPFLEX), "log", "pain", "5"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        env={**os.environ, "HIPFLEX_DATABASE_URL": url, "HIPFLEX_DATA_DIR": str(folder)},
    )
    assert_cli_line(result, EXIT_FAILURE, "read-only")
    folder.chmod(0o755)
    path.chmod(0o644)
    assert pain_count(url, clock, folder) == 3


def test_a_read_only_database_is_503_on_the_web(
    sqlite_file: tuple[str, Path], clock: FixedClock, tmp_path: Path
):
    url, path = sqlite_file
    read_only = f"sqlite:///file:{path}?mode=ro&uri=true"
    web = create_app(Settings(data_dir=tmp_path, database_url=read_only), clock)
    with TestClient(web) as client:
        arm_csrf(client)
        response = client.post(f"{API}/logs/pain", json={"score": 5})
        assert response.status_code == 503, response.text
        assert "read-only" in response.json()["detail"]
        page = client.get("/")
        assert page.status_code == 200
    assert pain_count(url, clock, tmp_path) == 3


# Locked


def test_a_locked_sqlite_database_is_one_line_and_the_write_can_be_made_later(
    sqlite_file: tuple[str, Path],
    clock: FixedClock,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
):
    url, path = sqlite_file
    monkeypatch.setattr(db, "BUSY_TIMEOUT_MS", 200)
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another program writing, and not finishing
    app = open_at(url, clock, tmp_path)
    try:
        with pytest.raises(StoreLocked) as caught:
            tracking.log_pain(app, 5)
        holder.execute("ROLLBACK")
        tracking.log_pain(app, 5)  # once the other program lets go
    finally:
        holder.close()
        app.close()
    assert_one_clear_line(caught.value, "locked by another program", "nothing was saved")
    assert pain_count(url, clock, tmp_path) == 4


# Full


def test_a_full_sqlite_database_is_one_line_and_keeps_what_was_saved(
    sqlite_file: tuple[str, Path], clock: FixedClock, tmp_path: Path
):
    url, _ = sqlite_file
    app = open_at(url, clock, tmp_path)
    try:
        engine = app.store.engine

        @event.listens_for(engine, "connect")
        def no_room_to_grow(connection: Any, _record: Any) -> None:
            pages = connection.execute("PRAGMA page_count").fetchone()[0]
            connection.execute(f"PRAGMA max_page_count = {pages}")

        engine.dispose()  # new connections, each with the cap

        def fill_up() -> None:
            for _ in range(500):
                tracking.log_note(app, "a note that takes room " * 20)

        with pytest.raises(StoreFull) as caught:
            fill_up()
        saved_notes = data.snapshot(app).counts()["notes"]
    finally:
        app.close()
    assert_one_clear_line(caught.value, "disk is full", "free some space")
    assert pain_count(url, clock, tmp_path) == 3
    assert saved_notes >= 1


# Damaged


def damage(path: Path, table: str) -> None:
    """Overwrite the start of a table's first page, as a failing disk might."""
    with sqlite3.connect(path) as raw:
        page_size = raw.execute("PRAGMA page_size").fetchone()[0]
        root = raw.execute(
            "SELECT rootpage FROM sqlite_master WHERE type = 'table' AND name = ?", (table,)
        ).fetchone()[0]
    with path.open("r+b") as file:
        file.seek((root - 1) * page_size)
        file.write(b"\xff" * 64)


def test_a_damaged_sqlite_database_is_found_at_opening(
    sqlite_file: tuple[str, Path], clock: FixedClock, tmp_path: Path
):
    url, path = sqlite_file
    damage(path, "pain_ratings")
    before = path.read_bytes()
    app = open_at(url, clock, tmp_path)
    try:
        with pytest.raises(StoreCorrupt) as caught:
            tracking.log_pain(app, 5)
    finally:
        app.close()
    assert_one_clear_line(caught.value, "is damaged", "restore your latest backup", ".recover")
    assert path.read_bytes() == before  # nothing written over it
    result = run("log", "pain", "5", env={"HIPFLEX_DATABASE_URL": url})
    assert_cli_line(result, EXIT_FAILURE, "is damaged")
    assert path.read_bytes() == before


def test_a_damaged_page_of_a_large_database_is_named_when_read(
    sqlite_file: tuple[str, Path],
    clock: FixedClock,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
):
    url, path = sqlite_file
    monkeypatch.setattr(sqlite_faults, "QUICK_CHECK_MAX_BYTES", 0)  # too large to check at start
    damage(path, "pain_ratings")
    app = open_at(url, clock, tmp_path)
    try:
        with pytest.raises(StoreCorrupt) as caught:
            data.snapshot(app)
    finally:
        app.close()
    assert_one_clear_line(caught.value, "is damaged")


def test_backup_refuses_a_damaged_database_and_says_how_to_recover(
    sqlite_file: tuple[str, Path],
    clock: FixedClock,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
):
    url, path = sqlite_file
    monkeypatch.setattr(sqlite_faults, "QUICK_CHECK_MAX_BYTES", 0)  # backup checks it anyway
    damage(path, "notes")
    target = tmp_path / "backup.db"
    app = open_at(url, clock, tmp_path)
    try:
        with pytest.raises(StoreCorrupt) as caught:
            data.backup(app, target)
    finally:
        app.close()
    assert_one_clear_line(caught.value, "is damaged", "restore your latest backup", ".recover")
    assert not target.exists()
    assert not list(tmp_path.glob(".backup.db.*"))


def test_a_file_that_is_not_a_database_is_one_line(tmp_path: Path):
    junk = tmp_path / "hipflex.db"
    junk.write_bytes(b"this is a shopping list, not a database\n" * 200)
    before = junk.read_bytes()
    result = run("progress", env={"HIPFLEX_DATABASE_URL": f"sqlite:///{junk}"})
    assert_cli_line(result, EXIT_FAILURE, "is damaged")
    assert junk.read_bytes() == before


# Written by a newer hipflex


def from_the_future(url: str) -> None:
    engine = create_engine(url)
    try:
        with engine.begin() as connection:
            connection.exec_driver_sql("UPDATE alembic_version SET version_num = '0099_future'")
        if engine.dialect.name == "sqlite":
            with engine.connect() as connection:
                connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        engine.dispose()


def test_a_database_from_a_newer_hipflex_is_left_alone(
    sqlite_file: tuple[str, Path], clock: FixedClock, tmp_path: Path
):
    url, path = sqlite_file
    from_the_future(url)
    before = path.read_bytes()
    with pytest.raises(NewerStore) as caught:
        open_at(url, clock, tmp_path).open()
    assert_one_clear_line(caught.value, "written by a newer hipflex", "0099_future")
    result = run("log", "pain", "5", env={"HIPFLEX_DATABASE_URL": url})
    assert_cli_line(result, EXIT_FAILURE, "this database was written by a newer hipflex")
    assert path.read_bytes() == before


def test_the_known_revisions_are_alembics():
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    scripts = ScriptDirectory.from_config(config)
    assert {script.revision for script in scripts.walk_revisions()} == KNOWN_REVISIONS


def test_serve_on_a_database_from_a_newer_hipflex_exits_with_one_line(
    sqlite_file: tuple[str, Path],
):
    url, _ = sqlite_file
    from_the_future(url)
    result = run("serve", "--port", "8799", env={"HIPFLEX_DATABASE_URL": url})
    assert_cli_line(result, EXIT_FAILURE, "written by a newer hipflex")
    assert "running at" not in result.stdout


# Settings and URLs


@pytest.mark.parametrize(
    "url", ["sqlite:///", "sqlite://", "sqlite:///:memory:", "sqlite:///file::memory:?uri=true"]
)
def test_a_database_in_memory_is_refused(url: str, clock: FixedClock, tmp_path: Path):
    with pytest.raises(BadSetting) as caught:
        open_at(url, clock, tmp_path).open()
    assert_one_clear_line(caught.value, "in memory only", exit_status=EXIT_BAD_INPUT)
    result = run("log", "pain", "3", env={"HIPFLEX_DATABASE_URL": url})
    assert_cli_line(result, EXIT_BAD_INPUT, "HIPFLEX_DATABASE_URL", "in memory only")


@pytest.mark.parametrize(
    ("variable", "value", "fragment"),
    [
        ("HIPFLEX_THOMAS_KNEE_FLOOR_DEG", "abc", "HIPFLEX_THOMAS_KNEE_FLOOR_DEG='abc'"),
        ("HIPFLEX_MAINTENANCE_STRENGTH_PER_WEEK", "2.5", "HIPFLEX_MAINTENANCE_STRENGTH_PER_WEEK"),
        ("HIPFLEX_DATABASE_URL", "mysql://me:hunter2hunter2@db/hipflex", "not mysql"),
        ("HIPFLEX_DATABASE_URL", "not a url at all", "not a database URL"),
    ],
)
def test_a_bad_setting_is_one_line(variable: str, value: str, fragment: str):
    result = run("log", "pain", "3", env={variable: value})
    line = assert_cli_line(result, EXIT_BAD_INPUT, fragment)
    assert "hunter2" not in line


def test_a_bad_setting_in_process_is_bad_setting():
    with pytest.raises(BadSetting) as caught:
        Settings(thomas_knee_floor_deg="abc")
    assert_one_clear_line(caught.value, "HIPFLEX_THOMAS_KNEE_FLOOR_DEG", exit_status=2)


def test_a_database_password_is_never_printed(tmp_path: Path):
    secret = "s3cret-Passw0rd"  # noqa: S105 - the point is that it never shows
    url = f"postgresql+psycopg://hipflex:{secret}@127.0.0.1:1/hipflex"  # nothing listens on 1
    result = run("log", "pain", "3", env={"HIPFLEX_DATABASE_URL": url})
    line = assert_cli_line(result, EXIT_FAILURE, "cannot open the database")
    assert secret not in result.stderr + result.stdout
    assert "***" in line


# PostgreSQL: the faults that apply there


@pytest.fixture
def postgres_filled(postgres_url: str, clock: FixedClock, tmp_path: Path) -> Iterator[str]:
    filled(postgres_url, clock, tmp_path)
    return postgres_url


def assert_no_password(error: HipflexError, url: str) -> None:
    parsed = make_url(url)
    assert f":{parsed.password}@" not in str(error)
    assert f"{parsed.username}@{parsed.host}" in str(error)  # the server is named


def with_options(url: str, extra: str) -> str:
    parsed = make_url(url)
    options = f"{parsed.query.get('options', '')} {extra}".strip()
    return parsed.update_query_dict({"options": options}).render_as_string(hide_password=False)


@pytest.mark.postgres
def test_a_read_only_postgresql_database_is_one_line(
    postgres_filled: str, clock: FixedClock, tmp_path: Path
):
    read_only = with_options(postgres_filled, "-cdefault_transaction_read_only=on")
    app = open_at(read_only, clock, tmp_path)
    try:
        with pytest.raises(ReadOnlyStore) as caught:
            tracking.log_pain(app, 5)
    finally:
        app.close()
    assert_one_clear_line(caught.value, "read-only", "nothing was saved")
    assert_no_password(caught.value, postgres_filled)
    assert pain_count(postgres_filled, clock, tmp_path) == 3


@pytest.mark.postgres
def test_a_locked_postgresql_database_is_one_line(
    postgres_filled: str, clock: FixedClock, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    usual_wait = db.BUSY_TIMEOUT_MS
    monkeypatch.setattr(db, "BUSY_TIMEOUT_MS", 200)
    holder = create_engine(postgres_filled)
    app = open_at(postgres_filled, clock, tmp_path)
    try:
        with holder.connect() as other:
            other.exec_driver_sql(f"SELECT pg_advisory_lock({POSTGRES_WRITE_LOCK_KEY})")
            with pytest.raises(StoreLocked) as caught:
                tracking.log_pain(app, 5)
            other.exec_driver_sql(f"SELECT pg_advisory_unlock({POSTGRES_WRITE_LOCK_KEY})")
        # The usual wait again: other test runs may share this server's write lock.
        monkeypatch.setattr(db, "BUSY_TIMEOUT_MS", usual_wait)
        tracking.log_pain(app, 5)
    finally:
        app.close()
        holder.dispose()
    assert_one_clear_line(caught.value, "locked by another program")
    assert pain_count(postgres_filled, clock, tmp_path) == 4


@pytest.mark.postgres
def test_a_postgresql_database_from_a_newer_hipflex_is_left_alone(
    postgres_filled: str, clock: FixedClock, tmp_path: Path
):
    from_the_future(postgres_filled)
    with pytest.raises(NewerStore) as caught:
        open_at(postgres_filled, clock, tmp_path).open()
    assert_one_clear_line(caught.value, "written by a newer hipflex")
    assert_no_password(caught.value, postgres_filled)
