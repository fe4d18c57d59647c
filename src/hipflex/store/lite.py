"""Reads of a SQLite store with plain sqlite3, for short commands (start-up speed).

SQLAlchemy and the ORM cost more at start-up than a command like `hipflex today` takes to
run, so a command-line process reads through this module when its store is a SQLite file
already at the newest revision, and writes here a log's one-row append and the
preferences' one row; it also reads a whole snapshot (`hipflex export`) and checks and
copies the file (`hipflex backup`). When team mode's accounts share the file, only their
list is read here (LiteTeamStore). Everything else (every other write, a store to create
or migrate) goes to the one `Store` (hipflex.store.repository), opened on first use.
The rows become domain objects, and domain objects columns, through the same functions as
the ORM's (hipflex.store.rows): the rules of a row live there once. Tests prove each read
here answers what `Store` answers, each write stores the bytes `Store` stores, and that
COLUMNS matches the models.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any

from hipflex.domain.assessment import Assessment, AssessmentKind, RecordedAssessment
from hipflex.domain.plan import Block
from hipflex.domain.preferences import Preferences
from hipflex.domain.protocol import ExerciseId
from hipflex.domain.tracking import (
    BreakEvent,
    Clearance,
    Note,
    PainRating,
    SessionLog,
    SittingEntry,
)
from hipflex.store import rows, sqlite_faults
from hipflex.store.migrate import HEAD_REVISION

if TYPE_CHECKING:  # the snapshot's and the accounts' types are imported on use
    from hipflex.domain.accounts import Account
    from hipflex.store.records import Snapshot
    from hipflex.store.repository import Store

#: The columns whose stored value is not the Python value, per table: "datetime" (UTC,
#: SQLAlchemy's SQLite text), "date", "json" or "bool". A test checks it against the models.
COLUMNS: dict[str, dict[str, str]] = {
    "assessments": {
        "recorded_at": "datetime",
        "signs": "json",
        "red_flags": "json",
        "safe_to_exercise": "bool",
    },
    "assessment_sides": {
        "extension_compensated": "bool",
        "thomas_pelvis_checked": "bool",
        "extension_pelvis_checked": "bool",
    },
    "photos": {"sides": "json", "recorded_at": "datetime"},
    "preferences": {"floor_at_work": "bool", "sit_stand_desk": "bool", "updated_at": "datetime"},
    "blocks": {"started_on": "date", "created_at": "datetime"},
    "session_logs": {"started_at": "datetime", "ended_at": "datetime", "created_at": "datetime"},
    "exercise_logs": {"skipped": "bool", "sharp_pain": "bool", "logged_at": "datetime"},
    "pain_ratings": {"at": "datetime", "created_at": "datetime"},
    "sitting_logs": {"day": "date", "created_at": "datetime"},
    "notes": {"at": "datetime"},
    "clearances": {"at": "datetime"},
    "break_events": {"at": "datetime", "created_at": "datetime"},
    # Team mode's tables: read only through the Store, but for the list of accounts.
    "accounts": {"created_at": "datetime", "disabled_at": "datetime"},
    "invitations": {"issued_at": "datetime", "expires_at": "datetime", "used_at": "datetime"},
    "login_failures": {"at": "datetime"},
    "web_sessions": {"created_at": "datetime", "expires_at": "datetime", "revoked_at": "datetime"},
    "shares": {"created_at": "datetime", "revoked_at": "datetime"},
    "audit_events": {"at": "datetime"},
    "clinician_notes": {"at": "datetime"},
}

BUSY_TIMEOUT_S = 30.0


def _stored_datetime(value: str) -> datetime:
    return datetime.fromisoformat(value).replace(tzinfo=UTC)


CONVERTERS: dict[str, Callable[[Any], Any]] = {
    "datetime": _stored_datetime,
    "date": date.fromisoformat,
    "json": json.loads,
    "bool": bool,
}


def stored(value: datetime) -> str:
    """A datetime as the store keeps it (what SQLAlchemy's SQLite dialect writes)."""
    if value.tzinfo is None:
        msg = "naive datetime given to the store; pass an aware one"
        raise ValueError(msg)
    return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")


def _bound(kind: str | None, value: Any) -> Any:
    """A column's value as the store keeps it (the inverse of CONVERTERS)."""
    if value is None or kind is None:
        return value
    if kind == "datetime":
        return stored(value)
    if kind == "date":
        return value.isoformat()
    if kind == "json":
        return json.dumps(value)
    return int(value)


def sqlite_path(url: str) -> Path | None:
    """The file of a plain `sqlite:///PATH` URL, or None for any other store."""
    prefix = "sqlite:///"
    if not url.startswith(prefix):
        return None
    path = url.removeprefix(prefix)
    if not path or path == ":memory:" or path.startswith("file:") or "?" in path:
        return None
    return Path(path).expanduser()


def open_lite(
    url: str, open_store: Callable[[], Store], *, shared: bool = False
) -> LiteStore | LiteTeamStore | None:
    """A LiteStore for `url` when it is an existing SQLite file at the newest revision;
    None otherwise (the caller opens the Store, which creates or migrates it). When team
    mode's accounts share the file: with `shared`, a LiteTeamStore; otherwise None."""
    path = sqlite_path(url)
    if path is None or not path.is_file():
        return None
    try:
        connection = sqlite3.connect(
            path, timeout=BUSY_TIMEOUT_S, isolation_level=None, check_same_thread=False
        )
    except sqlite3.Error:
        return None
    try:
        found = connection.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.Error:
        found = None
    if found is None or found[0] != HEAD_REVISION or not _looks_whole(connection, path):
        connection.close()
        return None  # the Store opens it, and names what is wrong
    if _has_accounts(connection):  # the Store scopes each person's rows to their owner
        if shared:
            return LiteTeamStore(connection, open_store, str(path))
        connection.close()
        return None
    return LiteStore(connection, open_store, str(path))


def dialect_of(store: object) -> str:
    """The kind of database behind a store ("sqlite", "postgresql"): a lean reader's is
    SQLite, known without opening the Store behind it."""
    if isinstance(store, _Lite):
        return "sqlite"
    return str(store.engine.dialect.name)  # type: ignore[attr-defined]  # a Store's


def _has_accounts(connection: sqlite3.Connection) -> bool:
    """Whether team mode's accounts share this file: then rows have owners, and only the
    Store, bound to one of them, reads their rows. Without accounts every row is nobody's (their
    account_id cannot point anywhere), so this reader needs no owner filter."""
    try:
        return connection.execute("SELECT 1 FROM accounts LIMIT 1").fetchone() is not None
    except sqlite3.Error:
        return True


def _looks_whole(connection: sqlite3.Connection, path: Path) -> bool:
    """The Store's quick integrity check at opening, for a file small enough to check."""
    try:
        if path.stat().st_size > sqlite_faults.QUICK_CHECK_MAX_BYTES:
            return True
        return sqlite_faults.integrity_problems(connection.execute, quick=True) == []
    except (OSError, sqlite3.Error):
        return False


class _Lite:
    """What both lean readers share: the connection, rows as the models' attributes,
    SQLite's faults named, the integrity check and backup, the list of accounts; any other
    attribute is the `Store`'s, opened on first use."""

    def __init__(
        self, connection: sqlite3.Connection, open_store: Callable[[], Store], where: str
    ) -> None:
        self._connection = connection
        self._where = where  # the file, as a storage fault names it
        self._lock = threading.RLock()  # a snapshot's reads share one transaction
        self._open_store = open_store
        self._store: Store | None = None

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        if self._store is None:
            self._store = self._open_store()
        return getattr(self._store, name)

    def close(self) -> None:
        self._connection.close()
        if self._store is not None:
            self._store.close()
            self._store = None

    # SQLite's own: the integrity check and the backup (`hipflex backup`)

    def integrity_problems(self, *, quick: bool = False) -> list[str]:
        """What SQLite's integrity check finds wrong (nothing: []), as Store's."""
        with self._lock, self._faults_named():
            return sqlite_faults.integrity_problems(self._connection.execute, quick=quick)

    def backup_sqlite(self, target: Path) -> None:
        """Copy this SQLite store, consistently even while in use, into the new file `target`."""
        with self._lock:
            sqlite_faults.backup_into(self._connection, target)

    def _rows(self, table: str, sql: str, parameters: Iterable[Any] = ()) -> list[Any]:
        """Rows of `table` as objects with the models' attribute names and Python values."""
        kinds = COLUMNS.get(table, {})
        with self._lock, self._faults_named():
            cursor = self._connection.execute(sql, tuple(parameters))
            names = [column[0] for column in cursor.description]
            found = cursor.fetchall()
        converters = [CONVERTERS[kinds[name]] if name in kinds else None for name in names]
        result = []
        for values in found:
            fields = {
                name: value if convert is None or value is None else convert(value)
                for name, convert, value in zip(names, converters, values, strict=True)
            }
            result.append(SimpleNamespace(**fields))
        return result

    @contextmanager
    def _faults_named(self) -> Iterator[None]:
        """SQLite's read-only, locked, full and damaged errors as hipflex's storage faults,
        as the Store's engine names them."""
        try:
            yield
        except sqlite3.Error as exc:
            fault = sqlite_faults.sqlite_fault(exc, self._where)
            if fault is None:
                raise
            raise fault from exc

    # Team mode's accounts (`hipflex users list`)

    def accounts(self) -> list[Account]:
        """Every account, oldest first."""
        found = self._rows("accounts", "SELECT * FROM accounts ORDER BY id")
        return [rows.account(row) for row in found]


class LiteTeamStore(_Lite):
    """A store that team mode's accounts share: their list is read here; every other read
    and write (a person's rows belong to their account) is the `Store`'s."""


class LiteStore(_Lite):
    """The reads of `Store` that short commands make, the logs' one-row appends and the
    preferences' one row, with sqlite3; any other attribute is the `Store`'s, opened on
    first use. A write takes the write lock at BEGIN as Store's writers do
    (hipflex.store.db), and its columns come from the same hipflex.store.rows function."""

    @contextmanager
    def _writing(self) -> Iterator[sqlite3.Connection]:
        """One short write transaction: all of it or nothing."""
        with self._lock, self._faults_named():
            self._connection.execute("BEGIN IMMEDIATE")
            try:
                yield self._connection
            except BaseException:
                self._connection.execute("ROLLBACK")
                raise
            self._connection.execute("COMMIT")

    @staticmethod
    def _bound_values(table: str, values: dict[str, Any]) -> tuple[list[str], list[Any]]:
        kinds = COLUMNS.get(table, {})
        names = list(values)
        return names, [_bound(kinds.get(name), values[name]) for name in names]

    def _insert(self, connection: sqlite3.Connection, table: str, values: dict[str, Any]) -> int:
        """One row, inside a write transaction; its id."""
        names, bound = self._bound_values(table, values)
        columns, marks = ", ".join(names), ", ".join("?" * len(names))
        sql = f"INSERT INTO {table} ({columns}) VALUES ({marks})"  # noqa: S608 - our own names
        found = connection.execute(sql, bound).lastrowid
        assert found is not None  # an INSERT's rowid
        return found

    def _append(self, table: str, values: dict[str, Any]) -> None:
        """One row, in one short write transaction."""
        with self._writing() as connection:
            self._insert(connection, table, values)

    def add_assessment(
        self,
        assessment: Assessment,
        *,
        at: datetime,
        kind: AssessmentKind,
        block_id: int | None = None,
        block_week: int | None = None,
    ) -> RecordedAssessment:
        """An assessment and its sides, as Store.add_assessment writes them, in one
        transaction."""
        values, sides = rows.assessment_values(
            assessment, at=at, kind=kind, block_id=block_id, block_week=block_week
        )
        with self._writing() as connection:
            found = self._insert(connection, "assessments", values)
            for side in sides:
                self._insert(connection, "assessment_sides", {**side, "assessment_id": found})
        return RecordedAssessment(found, at, kind, assessment, block_id, block_week)

    def add_session_log(
        self, log: SessionLog, *, at: datetime, entries_at: Sequence[datetime] | None = None
    ) -> SessionLog:
        """A whole session at once, as Store.add_session_log writes it: its row, then its
        entries', in one transaction."""
        values, entries = rows.session_log_values(log, at=at, entries_at=entries_at)
        with self._writing() as connection:
            log_id = self._insert(connection, "session_logs", values)
            for entry in entries:
                self._insert(connection, "exercise_logs", {**entry, "session_id": log_id})
        return replace(log, id=log_id)

    def add_pain_rating(self, rating: PainRating, *, at: datetime) -> None:
        self._append("pain_ratings", rows.pain_rating_values(rating, at=at))

    def add_sitting(self, entry: SittingEntry) -> None:
        self._append("sitting_logs", rows.sitting_values(entry))

    def add_note(self, note: Note) -> None:
        self._append("notes", rows.note_values(note))

    def add_break_event(self, event: BreakEvent, *, at: datetime) -> None:
        self._append("break_events", rows.break_event_values(event, at=at))

    def _every(self, table: str, order: str) -> list[Any]:
        return self._rows(table, _select(table, "", order))

    def snapshot(self) -> Snapshot:
        """Everything, as it stood at one moment (one read transaction), as Store.snapshot
        reads it: the rows in the same order, made records by the same function."""
        from hipflex.store.records import snapshot_from_rows

        with self._lock, self._faults_named():
            self._connection.execute("BEGIN")
            try:
                preferences = self._rows("preferences", "SELECT * FROM preferences LIMIT 1")
                assessments = self._every("assessments", "recorded_at, id")
                self._attach(assessments, "assessment_sides", "assessment_id", "side", "sides")
                return snapshot_from_rows(
                    preferences=preferences[0] if preferences else None,
                    assessments=assessments,
                    blocks=self._every("blocks", "created_at, id"),
                    sessions=self._with_entries(self._every("session_logs", "started_at, id")),
                    pain_ratings=self._every("pain_ratings", "at, id"),
                    sitting=self._every("sitting_logs", "created_at, id"),
                    notes=self._every("notes", "at, id"),
                    clearances=self._every("clearances", "at, id"),
                    break_events=self._every("break_events", "at, id"),
                    photos=self._every("photos", "recorded_at, id"),
                )
            finally:
                self._connection.execute("COMMIT")  # it only read

    # Assessments

    def _attach(self, found: list[Any], table: str, key: str, order: str, name: str) -> None:
        """Each parent row in `found` gets its rows of `table` (joined on `key`) as `name`,
        the way the models' relationships load them."""
        if not found:
            return
        marks = ",".join("?" * len(found))
        children = self._rows(
            table,
            f"SELECT * FROM {table} WHERE {key} IN ({marks}) ORDER BY {order}",  # noqa: S608 - our own names and ? marks
            [row.id for row in found],
        )
        for row in found:
            setattr(row, name, [child for child in children if getattr(child, key) == row.id])

    def _with_sides(self, found: list[Any]) -> list[RecordedAssessment]:
        self._attach(found, "assessment_sides", "assessment_id", "side", "sides")
        return [rows.recorded_assessment(row) for row in found]

    def assessments(
        self,
        *,
        limit: int | None = None,
        kind: AssessmentKind | None = None,
        with_tests: bool = False,
    ) -> list[RecordedAssessment]:
        where: list[str] = []
        parameters: list[Any] = []
        if kind is not None:
            where.append("kind = ?")
            parameters.append(kind.value)
        if with_tests:
            checks = [k.value for k in AssessmentKind if not k.has_tests]
            where.append(f"kind NOT IN ({','.join('?' * len(checks))})")
            parameters.extend(checks)
        sql = "SELECT * FROM assessments"
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += " ORDER BY recorded_at DESC, id DESC"
        if limit is not None:
            sql += " LIMIT ?"
            parameters.append(limit)
        return self._with_sides(self._rows("assessments", sql, parameters))

    def latest_assessment(
        self, kind: AssessmentKind | None = None, *, with_tests: bool = False
    ) -> RecordedAssessment | None:
        found = self.assessments(limit=1, kind=kind, with_tests=with_tests)
        return found[0] if found else None

    def assessment(self, assessment_id: int) -> RecordedAssessment | None:
        if not -(2**63) <= assessment_id < 2**63:  # what sqlite3 cannot bind: Store's answer
            return self.__getattr__("assessment")(assessment_id)  # type: ignore[no-any-return]
        found = self._with_sides(
            self._rows("assessments", "SELECT * FROM assessments WHERE id = ?", [assessment_id])
        )
        return found[0] if found else None

    # Preferences and programme blocks

    def preferences(self) -> Preferences:
        found = self._rows("preferences", "SELECT * FROM preferences ORDER BY id LIMIT 1")
        return Preferences() if not found else rows.preferences(found[0])

    def save_preferences(self, preferences: Preferences, *, at: datetime) -> None:
        """The one preferences row, as Store.save_preferences writes it: its columns
        updated, or the row added when there is none yet."""
        names, bound = self._bound_values(
            "preferences", rows.preferences_values(preferences, at=at)
        )
        with self._writing() as connection:
            found = connection.execute("SELECT id FROM preferences ORDER BY id LIMIT 1").fetchone()
            if found is None:
                columns, marks = ", ".join(names), ", ".join("?" * len(names))
                connection.execute(
                    f"INSERT INTO preferences ({columns}) VALUES ({marks})",  # noqa: S608 - ours
                    bound,
                )
            else:
                assignments = ", ".join(f"{name} = ?" for name in names)
                connection.execute(
                    f"UPDATE preferences SET {assignments} WHERE id = ?",  # noqa: S608 - ours
                    [*bound, found[0]],
                )

    def latest_block(self) -> Block | None:
        found = self._rows(
            "blocks", "SELECT * FROM blocks ORDER BY created_at DESC, id DESC LIMIT 1"
        )
        return rows.block(found[0]) if found else None

    def blocks(self) -> list[Block]:
        found = self._rows("blocks", "SELECT * FROM blocks ORDER BY created_at, id")
        return [rows.block(row) for row in found]

    # Logs

    def _with_entries(self, found: list[Any]) -> list[Any]:
        self._attach(found, "exercise_logs", "session_id", "id", "entries")
        return found

    def session_logs(
        self, *, since: datetime | None = None, until: datetime | None = None
    ) -> list[SessionLog]:
        where, parameters = _window("started_at", since, until)
        found = self._rows(
            "session_logs", _select("session_logs", where, "started_at, id"), parameters
        )
        return [rows.session_log(row) for row in self._with_entries(found)]

    def sharp_pain_reports(self) -> list[tuple[ExerciseId, datetime]]:
        found = self._rows(
            "session_logs",
            "SELECT exercise_logs.exercise_id, session_logs.started_at FROM exercise_logs "
            "JOIN session_logs ON exercise_logs.session_id = session_logs.id "
            "WHERE exercise_logs.sharp_pain IS 1 ORDER BY session_logs.started_at",
        )
        return [(ExerciseId(row.exercise_id), row.started_at) for row in found]

    def sharp_pain_logged_since(self, since: datetime) -> list[datetime]:
        found = self._rows(
            "exercise_logs",
            "SELECT logged_at FROM exercise_logs WHERE sharp_pain IS 1 AND logged_at > ? "
            "ORDER BY logged_at",
            [stored(since)],
        )
        return [row.logged_at for row in found]

    def session_logs_logged_since(self, since: datetime) -> list[tuple[SessionLog, datetime]]:
        found = self._rows(
            "session_logs",
            "SELECT * FROM session_logs WHERE created_at > ? OR ended_at > ? "
            "ORDER BY started_at, id",
            [stored(since), stored(since)],
        )
        return [
            (rows.session_log(row), max(row.created_at, row.ended_at or row.created_at))
            for row in self._with_entries(found)
        ]

    def pain_ratings_logged_since(self, since: datetime) -> list[tuple[PainRating, datetime]]:
        found = self._rows(
            "pain_ratings",
            "SELECT * FROM pain_ratings WHERE created_at > ? ORDER BY created_at, id",
            [stored(since)],
        )
        return [(rows.pain_rating(row), row.created_at) for row in found]

    def pain_ratings(
        self, *, since: datetime | None = None, until: datetime | None = None
    ) -> list[PainRating]:
        where, parameters = _window("at", since, until)
        found = self._rows("pain_ratings", _select("pain_ratings", where, "at, id"), parameters)
        return [rows.pain_rating(row) for row in found]

    def sitting_entries(
        self, *, since: date | None = None, until: date | None = None
    ) -> list[SittingEntry]:
        where: list[str] = []
        parameters: list[str] = []
        if since is not None:
            where.append("day >= ?")
            parameters.append(since.isoformat())
        if until is not None:
            where.append("day < ?")
            parameters.append(until.isoformat())
        clause = " WHERE " + " AND ".join(where) if where else ""
        found = self._rows(
            "sitting_logs",
            f"SELECT * FROM sitting_logs{clause} ORDER BY created_at, id",  # noqa: S608 - fixed text and ? marks
            parameters,
        )
        return [rows.sitting_entry(row) for row in found]

    def notes(self) -> list[Note]:
        found = self._rows("notes", "SELECT * FROM notes ORDER BY at, id")
        return [rows.note(row) for row in found]

    def break_events(
        self, *, since: datetime | None = None, until: datetime | None = None
    ) -> list[BreakEvent]:
        where, parameters = _window("at", since, until)
        found = self._rows("break_events", _select("break_events", where, "at, id"), parameters)
        return [rows.break_event(row) for row in found]

    def clearances(self) -> list[Clearance]:
        found = self._rows("clearances", "SELECT * FROM clearances ORDER BY at, id")
        return [rows.clearance(row) for row in found]


def _select(table: str, where: str, order: str) -> str:
    return f"SELECT * FROM {table}{where} ORDER BY {order}"  # noqa: S608 - our own names


def _window(column: str, since: datetime | None, until: datetime | None) -> tuple[str, list[str]]:
    """A WHERE clause for `column` in [since, until), and its parameters."""
    where: list[str] = []
    parameters: list[str] = []
    if since is not None:
        where.append(f"{column} >= ?")
        parameters.append(stored(since))
    if until is not None:
        where.append(f"{column} < ?")
        parameters.append(stored(until))
    return (" WHERE " + " AND ".join(where) if where else ""), parameters
