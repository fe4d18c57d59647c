"""The counts behind the admin's totals, read across owners on SQLite and PostgreSQL:
enabled accounts, the ones active within the window (a login or anything logged), and
finished sessions with their owner and start."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hipflex.domain.accounts import Role
from hipflex.domain.tracking import PainRating, SessionLog, SessionSource
from hipflex.store import Store

NOW = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)
WINDOW = timedelta(days=28)


def _session(store: Store, at: datetime, *, finished: bool = True) -> None:
    log = SessionLog(
        started_at=at,
        ended_at=at + timedelta(minutes=10) if finished else None,
        source=SessionSource.MANUAL,
    )
    store.add_session_log(log, at=at)


def test_the_team_counts(database_url: str) -> None:
    base = Store.open(database_url)
    try:
        ids = {
            name: base.add_account(
                f"{name}@example.org", Role.MEMBER, password_hash=None, at=NOW
            ).id
            for name in ("old", "login", "pain", "done", "open", "gone")
        }
        base.add_web_session(
            ids["old"], token_sha256="a" * 64, at=NOW - WINDOW - timedelta(days=1), expires_at=NOW
        )
        base.add_web_session(
            ids["login"], token_sha256="b" * 64, at=NOW - timedelta(days=1), expires_at=NOW
        )
        base.for_account(ids["pain"]).add_pain_rating(
            PainRating(NOW, 4), at=NOW - timedelta(days=2)
        )
        _session(base.for_account(ids["done"]), NOW - timedelta(days=3))
        _session(base.for_account(ids["done"]), NOW - timedelta(days=40))
        _session(base.for_account(ids["open"]), NOW - timedelta(days=3), finished=False)
        _session(base.for_account(ids["gone"]), NOW - timedelta(days=1))
        base.disable_account("gone@example.org", at=NOW)
        _session(base, NOW - timedelta(days=1))  # single-user rows belong to nobody: not counted

        accounts, active, sessions = base.team_counts(
            active_since=NOW - WINDOW, sessions_since=NOW - timedelta(days=30)
        )
        assert accounts == 5  # "gone" is disabled
        # login, pain, done and open (an unfinished session still counts as activity)
        assert active == 4
        assert sorted(sessions) == sorted(
            [(ids["done"], NOW - timedelta(days=3)), (ids["gone"], NOW - timedelta(days=1))]
        )
    finally:
        base.close()
