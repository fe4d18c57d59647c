"""docs/deploy.md works as written: its marked blocks are run here as an operator would
run them, against a scratch PostgreSQL database (the database, a restore-check database,
the paths and the port swapped for temporary ones; every swap must find its text, so the
walk-through cannot drift from this test). The systemd unit's ExecStart is parsed by the
CLI's own parser and then started; the nginx example is checked against the unit and the
settings file; `systemd-analyze verify` checks the unit where it is installed."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest
from sqlalchemy import Engine, create_engine, make_url, text
from typer.core import TyperGroup
from typer.main import get_command

from hipflex.cli.app import build_app
from hipflex.config import ENV_PREFIX, Settings
from hipflex.store.migrate import HEAD_REVISION, KNOWN_REVISIONS, migrate
from tests.conftest import missing, require_postgres_url, require_tool
from tests.web.conftest import API, free_port

DOC = Path(__file__).resolve().parents[2] / "docs" / "deploy.md"
MARKED = re.compile(r"<!-- deploy-test: ([\w-]+) -->\n```(\w*)\n(.*?)\n```", re.DOTALL)
BLOCKS = (
    "database",
    "env-file",
    "upgrade",
    "first-admin",
    "systemd-unit",
    "nginx",
    "backup",
    "restore-check",
)
PASSWORD = "a long enough passphrase"  # noqa: S105 - the scratch admin's own
BIN = Path(sys.executable).parent


def blocks() -> dict[str, str]:
    found = {name: body for name, _, body in MARKED.findall(DOC.read_text(encoding="utf-8"))}
    assert tuple(found) == BLOCKS, "docs/deploy.md's marked blocks changed: update this test"
    return found


def unit_setting(unit: str, key: str) -> str:
    values = [line.split("=", 1)[1] for line in unit.splitlines() if line.startswith(f"{key}=")]
    assert len(values) == 1, f"the unit has {len(values)} {key}= lines"
    return values[0]


def env_file(body: str) -> dict[str, str]:
    lines = [line for line in body.splitlines() if line and not line.startswith("#")]
    return dict(line.split("=", 1) for line in lines)


def serve_arguments(unit: str) -> list[str]:
    """ExecStart's arguments after the program, checked to be a `hipflex` command."""
    program, *arguments = shlex.split(unit_setting(unit, "ExecStart"))
    assert program == "/opt/hipflex/bin/hipflex"
    return arguments


def parsed_serve(arguments: list[str]) -> dict[str, object]:
    """The options `hipflex serve` gets from these arguments, by the CLI's own parser."""
    group = get_command(build_app())
    assert isinstance(group, TyperGroup)
    name, *rest = arguments
    command = group.get_command(group.context_class(group), name)
    assert command is not None, f"`hipflex {name}` is not a command"
    with command.make_context(name, rest) as context:
        return dict(context.params)


def test_the_unit_runs_a_team_server_behind_the_proxy_it_names() -> None:
    found = blocks()
    unit = found["systemd-unit"]
    options = parsed_serve(serve_arguments(unit))
    assert options["team"] is True
    assert options["workers"] == 2
    assert options["proxy_headers"] is True
    assert options["host"] == "127.0.0.1"  # only the proxy reaches it
    assert unit_setting(unit, "EnvironmentFile") == "/etc/hipflex/hipflex.env"

    settings = env_file(found["env-file"])
    names = {name.removeprefix(ENV_PREFIX).lower() for name in settings}
    assert names <= set(Settings.model_fields), "a variable no setting reads"
    assert Settings(**{n.removeprefix(ENV_PREFIX).lower(): v for n, v in settings.items()}).team
    public_host = urlsplit(settings["HIPFLEX_PUBLIC_URL"]).hostname

    nginx = found["nginx"]
    assert f"proxy_pass http://127.0.0.1:{options['port']};" in nginx
    assert "proxy_set_header X-Forwarded-Proto $scheme;" in nginx
    assert "proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;" in nginx
    assert "proxy_set_header Host $host;" in nginx  # the app answers to the public name only
    assert set(re.findall(r"server_name (\S+);", nginx)) == {public_host}


def test_systemd_accepts_the_unit(tmp_path: Path) -> None:
    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        pytest.skip("systemd-analyze is not installed: the unit's syntax is not checked")
    unit = blocks()["systemd-unit"].replace("/opt/hipflex/bin/", f"{BIN}/")
    path = tmp_path / "hipflex.service"
    path.write_text(unit, encoding="utf-8")
    done = subprocess.run(
        [analyze, "verify", str(path)], capture_output=True, text=True, check=False, timeout=60
    )
    complaints = [line for line in done.stderr.splitlines() if path.name in line]
    assert done.returncode == 0, done.stderr
    assert complaints == []


@dataclass
class Scratch:
    database: str
    restore: str
    role: str
    url: str  # SQLAlchemy's, for hipflex
    libpq: dict[str, str]  # PG* variables for the PostgreSQL tools


@pytest.fixture
def scratch(postgres_server: Engine) -> Iterator[Scratch]:
    """Names for two scratch databases on the test server, dropped afterwards."""
    base = make_url(require_postgres_url())
    with postgres_server.connect() as connection:
        can_create = connection.execute(
            text("SELECT rolcreatedb FROM pg_roles WHERE rolname = current_user")
        ).scalar()
    if not can_create:
        missing(
            f"the test role {base.username} cannot create databases (ALTER ROLE "
            f"{base.username} CREATEDB; .ci/run does it)"
        )
    token = uuid.uuid4().hex[:12]
    names = Scratch(
        database=f"hxdeploy_{token}",
        restore=f"hxrestore_{token}",
        role=str(base.username),
        url=base.set(database=f"hxdeploy_{token}").render_as_string(hide_password=False),
        libpq={
            "PGHOST": base.host or "127.0.0.1",
            "PGPORT": str(base.port or 5432),
            "PGUSER": str(base.username),
            "PGPASSWORD": base.password or "",
        },
    )
    try:
        yield names
    finally:
        with postgres_server.connect() as connection:
            for name in (names.database, names.restore):
                connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


class Operator:
    """Runs the doc's blocks with the swaps, as the operator's shell after step 4."""

    def __init__(self, scratch: Scratch, folder: Path) -> None:
        self.folder = folder
        self.env_path = folder / "hipflex.env"
        self.backups = folder / "backups"
        self.swaps: list[tuple[str, str]] = [
            (re.escape("sudo -u postgres "), ""),
            (re.escape("/etc/hipflex/hipflex.env"), str(self.env_path)),
            (re.escape("/opt/hipflex/bin/"), f"{BIN}/"),
            (re.escape("/var/lib/postgresql/backups"), str(self.backups)),
            ("hipflex_restore_check", scratch.restore),
            ("--owner=hipflex ", f"--owner={scratch.role} "),
            ("--role=hipflex ", f"--role={scratch.role} "),
            (r"--dbname=hipflex\b", f"--dbname={scratch.database}"),
            (r"(?m)(createdb --owner=\S+ --encoding=UTF8) hipflex$", rf"\1 {scratch.database}"),
        ]
        self.used: set[str] = set()
        self.settings: dict[str, str] = {}
        self.env = {k: v for k, v in os.environ.items() if not k.startswith(ENV_PREFIX)}
        self.env |= scratch.libpq

    def swapped(self, body: str) -> str:
        for pattern, replacement in self.swaps:
            body, count = re.subn(pattern, replacement, body)
            if count:
                self.used.add(pattern)
        return body

    def write_settings(self, body: str, database_url: str) -> None:
        self.settings = env_file(body) | {
            "HIPFLEX_DATABASE_URL": database_url,
            "HIPFLEX_DATA_DIR": str(self.folder / "data"),
        }
        lines = (f"{name}={shlex.quote(value)}" for name, value in self.settings.items())
        self.env_path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        self.env |= self.settings

    def run(self, body: str, stdin: str | None = None) -> str:
        done = subprocess.run(
            ["bash", "-euo", "pipefail", "-c", self.swapped(body)],
            env=self.env,
            cwd=self.folder,
            input=stdin,
            capture_output=True,
            text=True,
            check=False,
            timeout=120,
        )
        assert done.returncode == 0, f"{body}\n-> {done.stdout}{done.stderr}"
        return done.stdout


@contextmanager
def serving(command: list[str], env: dict[str, str], address: str) -> Iterator[None]:
    process = subprocess.Popen(
        command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{address}{API}/csrf", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"the unit's server did not start: {process.communicate()[1]}")
            time.sleep(0.2)
        yield
    finally:
        process.terminate()
        process.wait(timeout=30)


def refusal(serve: list[str], env: dict[str, str]) -> str:
    """The one line on which the service refuses to start (exit status 1)."""
    done = subprocess.run(serve, env=env, capture_output=True, text=True, check=False, timeout=60)
    assert done.returncode == 1, done.stderr
    assert len(done.stderr.splitlines()) == 1, done.stderr
    assert "run `hipflex db upgrade` first" in done.stderr
    return done.stderr


def log_in(address: str, public_host: str, *, https_proxy: bool) -> httpx.Response:
    """A login as the proxy passes it on (Host, and X-Forwarded-Proto: https), or plain.
    The cookies go back by hand: a client would not send a Secure one over plain HTTP."""
    headers = {"Host": public_host}
    if https_proxy:
        headers["X-Forwarded-Proto"] = "https"

    def cookie_header(response: httpx.Response) -> str:
        return "; ".join(f"{name}={value}" for name, value in response.cookies.items())

    with httpx.Client(base_url=address, headers=headers, timeout=10) as client:
        armed = client.get(f"{API}/csrf")
        headers |= {"X-CSRF-Token": armed.json()["token"], "Cookie": cookie_header(armed)}
        client.cookies.clear()
        response = client.post(
            f"{API}/auth/login",
            json={"email": "admin@example.org", "password": PASSWORD},
            headers=headers,
        )
        if response.status_code == 200:
            headers["Cookie"] += "; " + cookie_header(response)
            client.cookies.clear()
            assert client.get(f"{API}/preferences", headers=headers).status_code != 401
        return response


def row_counts(url: str) -> dict[str, int]:
    from sqlalchemy import func, inspect, select
    from sqlalchemy import table as table_of

    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            return {
                table: connection.execute(
                    select(func.count()).select_from(table_of(table))
                ).scalar_one()
                for table in inspect(connection).get_table_names()
            }
    finally:
        engine.dispose()


@pytest.mark.postgres
@pytest.mark.slow
def test_the_walk_through_runs_on_postgres(scratch: Scratch, tmp_path: Path) -> None:
    found = blocks()
    for tool in ("pg_dump", "pg_restore", "psql", "createdb", "dropdb"):
        require_tool(tool, "Debian: apt-get install postgresql-client")
    operator = Operator(scratch, tmp_path)

    operator.run(found["database"])  # step 1 (the role is the test server's own)
    operator.write_settings(found["env-file"], scratch.url)  # step 3
    port = free_port()
    arguments = serve_arguments(found["systemd-unit"])
    arguments[arguments.index("--port") + 1] = str(port)
    serve = [str(BIN / "hipflex"), *arguments]

    # Before step 4 the service refuses to start, in one line saying what to run; and
    # again after a new hipflex (here: the schema one revision back), as step 9 says.
    refused = refusal(serve, operator.env)
    assert "older schema (none yet)" in refused
    assert f":{scratch.libpq['PGPASSWORD']}@" not in refused  # the URL, without it
    assert f"to {HEAD_REVISION}" in operator.run(found["upgrade"])  # step 4
    previous = sorted(KNOWN_REVISIONS)[-2]
    engine = create_engine(scratch.url)
    try:
        migrate(engine, previous, downgrade=True)
    finally:
        engine.dispose()
    assert f"older schema ({previous})" in refusal(serve, operator.env)
    assert f"from {previous} to {HEAD_REVISION}" in operator.run(found["upgrade"])  # step 9
    operator.run(found["first-admin"], stdin=PASSWORD + "\n")  # step 5

    public_host = str(urlsplit(operator.settings["HIPFLEX_PUBLIC_URL"]).hostname)
    address = f"http://127.0.0.1:{port}"
    with serving(serve, operator.env, address):  # step 6's ExecStart
        behind_proxy = log_in(address, public_host, https_proxy=True)
        assert behind_proxy.status_code == 200
        assert "secure" in behind_proxy.headers["set-cookie"].lower()
        plain = log_in(address, public_host, https_proxy=False)
        assert plain.status_code == 200
        assert "secure" not in plain.headers["set-cookie"].lower()

    live = row_counts(scratch.url)
    assert live["accounts"] == 1
    assert live["web_sessions"] == 2
    operator.run(found["backup"])  # step 8
    assert len(list(operator.backups.glob("hipflex-*.dump"))) == 1
    checked = operator.run(found["restore-check"])
    assert "restore check passed" in checked, checked
    assert row_counts(scratch.url) == live  # the check only read the live database
    unused = {pattern for pattern, _ in operator.swaps} - operator.used
    assert not unused, f"the doc no longer has the text these swaps expect: {unused}"
