"""A team server under a working day: 500 accounts on PostgreSQL, `hipflex serve --team
--workers 2`, 32 simulated members each doing a day again and again for 60 seconds.

Goal (issue 13): member-days a minute, p50 and p99 per route, errors (goal 0), and every
row each member wrote accounted for in the database afterwards (goal: none lost).

A day, as the browser does it: a fresh client (no cookies), GET /api/v1/csrf, log in,
GET /today, start today's session with pain before (POST /sessions), post each hold or
set of its script as it completes (POST /sessions/{id}/entries), finish it with pain
after (POST /sessions/{id}/finish), GET /progress, log out. Each simulated member works
through its own accounts in turn (account k, k + clients, ...), so no two members share
one, and a member's days follow each other as one person's would.

Setup, not timed: a new schema on the PostgreSQL server (HIPFLEX_BENCH_POSTGRES_URL, else
HIPFLEX_TEST_POSTGRES_URL), dropped afterwards; `db upgrade`; the accounts added through
the store with one real argon2id hash (the same password for every account: a login costs
what a real one does), each with a baseline assessment saved through the same service the
API uses. The load generator is this process: one asyncio loop, one connection per member.
Run with `make bench` (it skips without PostgreSQL) or `python bench/team_bench.py
[--seconds 60] [--accounts 500] [--clients 32] [--workers 2]`.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter, defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx

BIN = Path(sys.executable).parent
API = "/api/v1"
PASSWORD = "bench members' shared passphrase"  # noqa: S105 - scratch accounts only
PAIN = 2  # before and after: steady, so no pain-rise warning changes anyone's plan
TIGHT_ASSESSMENT = {
    "thomas": {
        "left": {"thigh": "raised", "knee_flexion_deg": 70},
        "right": {"thigh": "raised", "knee_flexion_deg": 72},
    },
    "hip_extension": {"left": {"degrees": 5}, "right": {"degrees": 6}},
    "sitting_hours": 9,
    "signs": ["worse_after_sitting"],
    "red_flags": [],
}


def server_url() -> str | None:
    for name in ("HIPFLEX_BENCH_POSTGRES_URL", "HIPFLEX_TEST_POSTGRES_URL"):
        url = os.environ.get(name, "").strip()
        if url:
            return url.replace("postgresql://", "postgresql+psycopg://", 1)
    return None


@contextmanager
def scratch_schema(url: str) -> Iterator[str]:
    """A URL whose connections see only a new schema, dropped afterwards."""
    from sqlalchemy import create_engine

    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    schema = f"hipflex_bench_{uuid.uuid4().hex[:12]}"
    with engine.connect() as connection:
        connection.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
    try:
        scoped = engine.url.update_query_dict({"options": f"-csearch_path={schema}"})
        yield scoped.render_as_string(hide_password=False)
    finally:
        with engine.connect() as connection:
            connection.exec_driver_sql(f'DROP SCHEMA "{schema}" CASCADE')
        engine.dispose()


def email(number: int) -> str:
    return f"member{number:04d}@bench.example.org"


def add_members(url: str, folder: str, count: int) -> dict[str, int]:
    """`count` members with a password and an assessment; their ids by address."""
    from hipflex.config import Settings
    from hipflex.domain.accounts import Role
    from hipflex.domain.assessment import AssessmentKind
    from hipflex.services import accounts, blocks
    from hipflex.services.context import AppContext
    from hipflex.web.api.assessments import AssessmentBody

    AppContext.upgrade_database(url)
    app = AppContext(Settings(team=True, database_url=url, data_dir=Path(folder)))
    hashed = accounts.hash_password(PASSWORD)  # one real hash, argon2id as configured
    answers = AssessmentBody.model_validate(TIGHT_ASSESSMENT).answers()
    ids: dict[str, int] = {}
    try:
        for number in range(count):
            account = app.store.add_account(
                email(number), Role.MEMBER, password_hash=hashed, at=app.clock.now()
            )
            blocks.save_assessment(app.for_account(account.id), answers, AssessmentKind.BASELINE)
            ids[account.email] = account.id
    finally:
        app.close()
    return ids


@dataclass
class Tally:
    """What the members saw: latencies and errors per route, days done, rows written."""

    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: Counter[str] = field(default_factory=Counter)
    days: int = 0
    sessions: Counter[str] = field(default_factory=Counter)  # opened, by address
    finished: Counter[str] = field(default_factory=Counter)  # closed with pain after
    entries: Counter[str] = field(default_factory=Counter)  # holds and sets, by address


class DayFailedError(Exception):
    pass


async def call(
    client: httpx.AsyncClient,
    tally: Tally,
    route: str,
    method: str,
    path: str,
    *,
    json: object = None,
) -> httpx.Response:
    started = time.perf_counter()
    try:
        response = await client.request(method, path, json=json)
    except httpx.HTTPError as exc:
        tally.errors[f"{route} ({type(exc).__name__})"] += 1
        raise DayFailedError from exc
    tally.latencies[route].append(time.perf_counter() - started)
    if response.status_code >= 400:
        tally.errors[f"{route} ({response.status_code})"] += 1
        raise DayFailedError
    return response


async def one_day(base_url: str, address: str, tally: Tally) -> None:
    limits = httpx.Limits(max_connections=1, max_keepalive_connections=1)
    async with httpx.AsyncClient(base_url=base_url, limits=limits, timeout=60) as client:
        armed = await call(client, tally, "GET /csrf", "GET", f"{API}/csrf")
        client.headers["X-CSRF-Token"] = armed.json()["token"]
        login = {"email": address, "password": PASSWORD}
        await call(client, tally, "POST /auth/login", "POST", f"{API}/auth/login", json=login)
        await call(client, tally, "GET /today", "GET", f"{API}/today")
        started = await call(
            client, tally, "POST /sessions", "POST", f"{API}/sessions", json={"pain_before": PAIN}
        )
        tally.sessions[address] += 1
        session = started.json()
        for step in session["script"]["steps"]:
            if not step["records"]:
                continue
            entry = {
                "exercise_id": step["exercise_id"],
                "side": step["side"],
                "set_number": step["number"] or 1,
                "hold_seconds": step["hold_seconds"],
                "reps": step["reps"],
            }
            path = f"{API}/sessions/{session['id']}/entries"
            await call(client, tally, "POST /sessions/{id}/entries", "POST", path, json=entry)
            tally.entries[address] += 1
        path = f"{API}/sessions/{session['id']}/finish"
        await call(
            client, tally, "POST /sessions/{id}/finish", "POST", path, json={"pain_after": PAIN}
        )
        tally.finished[address] += 1
        await call(client, tally, "GET /progress", "GET", f"{API}/progress")
        await call(client, tally, "POST /auth/logout", "POST", f"{API}/auth/logout")
    tally.days += 1


async def member(
    base_url: str, addresses: list[str], until: float, tally: Tally, failed: list[str]
) -> None:
    """Days one after another, each as the next of this member's accounts; a day begun
    before `until` is finished."""
    turn = 0
    while time.perf_counter() < until:
        address = addresses[turn % len(addresses)]
        turn += 1
        try:
            await one_day(base_url, address, tally)
        except DayFailedError:
            failed.append(address)


async def load(
    base_url: str, addresses: list[str], clients: int, seconds: float
) -> tuple[Tally, list[str], float]:
    tally = Tally()
    failed: list[str] = []
    started = time.perf_counter()
    until = started + seconds
    await asyncio.gather(
        *(
            member(base_url, addresses[k::clients], until, tally, failed)
            for k in range(min(clients, len(addresses)))
        )
    )
    return tally, failed, time.perf_counter() - started


def wait_until_up(url: str, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            error = process.stderr.read().decode() if process.stderr else ""
            sys.exit(f"the team server exited with {process.returncode}: {error}")
        try:
            if httpx.get(url, timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    sys.exit(f"the team server at {url} did not start")


def cpu_seconds(pid: int) -> float:
    """CPU time (user and system) of a process and its children so far; 0 off Linux."""
    ticks = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
    total = 0.0
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        for each in [str(pid), *children]:
            fields = Path(f"/proc/{each}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / ticks
    except OSError:
        return 0.0
    return total


def free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@dataclass(frozen=True)
class Stored:
    sessions: Counter[int]
    finished: Counter[int]
    entries: Counter[int]


def stored_rows(url: str) -> Stored:
    """Per account id: its session logs, those closed with pain before and after as sent,
    and its holds and sets."""
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            sessions = connection.execute(
                text("SELECT account_id, count(*) FROM session_logs GROUP BY account_id")
            ).all()
            finished = connection.execute(
                text(
                    "SELECT account_id, count(*) FROM session_logs WHERE ended_at IS NOT NULL"
                    " AND pain_before = :pain AND pain_after = :pain GROUP BY account_id"
                ),
                {"pain": PAIN},
            ).all()
            entries = connection.execute(
                text("SELECT account_id, count(*) FROM exercise_logs GROUP BY account_id")
            ).all()
    finally:
        engine.dispose()
    return Stored(
        Counter(dict(sessions)),
        Counter(dict(finished)),
        Counter(dict(entries)),
    )


def percentile(ordered: list[float], fraction: float) -> float:
    return ordered[min(len(ordered) - 1, int(len(ordered) * fraction))]


def report(tally: Tally, failed: list[str], elapsed: float, client_cpu: float) -> None:
    print(f"{'route':<30} {'requests':>9} {'p50 ms':>8} {'p99 ms':>8}")
    for route, latencies in tally.latencies.items():
        ordered = sorted(latencies)
        p50 = statistics.median(ordered) * 1000
        p99 = percentile(ordered, 0.99) * 1000
        print(f"{route:<30} {len(ordered):>9} {p50:>8.1f} {p99:>8.1f}")
    requests = sum(len(v) for v in tally.latencies.values())
    print(
        f"\n{tally.days} member-days in {elapsed:.1f} s: {tally.days * 60 / elapsed:.0f} "
        f"member-days a minute, {requests / elapsed:.0f} requests a second; the load "
        f"generator used {100 * client_cpu / elapsed:.0f}% of a core"
    )
    errors = sum(tally.errors.values())
    print(f"errors: {errors} (goal 0); days cut short: {len(failed)}")
    for what, count in tally.errors.most_common():
        print(f"  {what}: {count}")


def account_rows(tally: Tally, stored: Stored, ids: dict[str, int]) -> int:
    """Compare what every member was told was saved with the database; the rows lost."""
    lost = extra = expected_total = 0
    for what, sent, found in (
        ("session logs", tally.sessions, stored.sessions),
        ("sessions closed with pain before and after", tally.finished, stored.finished),
        ("holds and sets", tally.entries, stored.entries),
    ):
        expected = {ids[address]: count for address, count in sent.items()}
        missing = sum(max(0, n - found.get(a, 0)) for a, n in expected.items())
        unexpected = sum(max(0, n - expected.get(a, 0)) for a, n in found.items())
        print(
            f"{what}: {sum(expected.values())} saved as the members were told, "
            f"{sum(found.values())} in the database, {missing} missing, {unexpected} unexpected"
        )
        lost += missing
        extra += unexpected
        expected_total += sum(expected.values())
    verdict = "every row accounted for" if lost == extra == 0 else "ROWS DO NOT MATCH"
    print(f"rows: {expected_total} expected, {lost} lost, {extra} unexpected: {verdict}")
    return lost + extra


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60.0, help="load time")
    parser.add_argument("--accounts", type=int, default=500, help="member accounts")
    parser.add_argument("--clients", type=int, default=32, help="concurrent simulated members")
    parser.add_argument("--workers", type=int, default=2, help="app processes")
    args = parser.parse_args()
    url = server_url()
    if url is None:
        print("team_bench: skipped, set HIPFLEX_BENCH_POSTGRES_URL or HIPFLEX_TEST_POSTGRES_URL")
        return
    load_before = os.getloadavg()
    with (
        tempfile.TemporaryDirectory(prefix="hipflex-team-bench-") as folder,
        scratch_schema(url) as scoped,
    ):
        setup = time.perf_counter()
        ids = add_members(scoped, folder, args.accounts)
        print(
            f"{args.accounts} accounts with an assessment in {time.perf_counter() - setup:.1f} s"
            f"; {args.clients} members, {args.workers} app processes, {args.seconds:.0f} s"
        )
        env = {k: v for k, v in os.environ.items() if not k.startswith("HIPFLEX_")} | {
            "HIPFLEX_DATA_DIR": folder,
            "HIPFLEX_DATABASE_URL": scoped,
            "HIPFLEX_TEAM": "1",
        }
        port = free_port()
        command = [str(BIN / "hipflex"), "serve", "--team", "--workers", str(args.workers)]
        process = subprocess.Popen(
            [*command, "--port", str(port)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        base_url = f"http://127.0.0.1:{port}"
        try:
            wait_until_up(f"{base_url}{API}/csrf", process)
            cpu, server_cpu = time.process_time(), cpu_seconds(process.pid)
            tally, failed, elapsed = asyncio.run(
                load(base_url, list(ids), args.clients, args.seconds)
            )
            client_cpu = time.process_time() - cpu
            server_cpu = cpu_seconds(process.pid) - server_cpu
        finally:
            process.terminate()
            process.wait(timeout=30)
        load_after = os.getloadavg()
        report(tally, failed, elapsed, client_cpu)
        if server_cpu and tally.days:
            print(
                f"the app processes used {server_cpu:.0f} CPU seconds "
                f"({100 * server_cpu / elapsed:.0f}% of a core, "
                f"{server_cpu / tally.days:.2f} s a member-day)"
            )
        mismatched = account_rows(tally, stored_rows(scoped), ids)
        print(
            f"machine: {os.cpu_count()} cores; load average {load_before[0]:.1f} before, "
            f"{load_after[0]:.1f} after (PostgreSQL, the app and this load generator share it)"
        )
    if mismatched or tally.errors:
        sys.exit(1)


if __name__ == "__main__":
    main()
