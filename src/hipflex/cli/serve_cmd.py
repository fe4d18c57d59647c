"""`hipflex serve`: the local web app."""

from __future__ import annotations

from typing import Annotated

import typer

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8765
PLAIN_HTTP_WARNING = (
    "Warning: hipflex serves plain HTTP, so your password and health data cross the network "
    "unencrypted unless you put an HTTPS proxy in front of it (or reach it through an SSH "
    "tunnel)."
)


def serve(
    host: Annotated[str, typer.Option(help="Address to listen on (loopback by default).")] = (
        DEFAULT_HOST
    ),
    port: Annotated[int, typer.Option(min=1, max=65535, help="Port to listen on.")] = DEFAULT_PORT,
    open_browser: Annotated[
        bool, typer.Option("--open", help="Open the app in your web browser.")
    ] = False,
    allow_remote: Annotated[
        bool,
        typer.Option(
            "--allow-remote",
            help=(
                "Allow an address other machines can reach; needs HIPFLEX_WEB_PASSWORD set "
                "(12 characters or more)."
            ),
        ),
    ] = False,
    team: Annotated[
        bool,
        typer.Option(
            "--team",
            help="Team mode: accounts and logins, each person's data their own "
            "(also HIPFLEX_TEAM=1; see docs/deploy.md).",
        ),
    ] = False,
    workers: Annotated[
        int,
        typer.Option(
            min=1,
            max=64,
            help="App processes (team mode); they share logins and everything else "
            "through the database.",
        ),
    ] = 1,
    proxy_headers: Annotated[
        bool,
        typer.Option(
            "--proxy-headers",
            help="Behind an HTTPS proxy on this machine: trust its X-Forwarded-Proto and "
            "X-Forwarded-For (cookies are then Secure).",
        ),
    ] = False,
) -> None:
    """Start the hipflex web app on this computer (http://127.0.0.1:8765 by default)."""
    import os

    from hipflex.config import Settings
    from hipflex.domain.errors import BadInput
    from hipflex.domain.plurals import counted
    from hipflex.web.security import is_loopback

    if team:
        os.environ["HIPFLEX_TEAM"] = "1"  # the worker processes read their settings too
    settings = Settings()
    if workers > 1 and not settings.team:
        msg = "--workers is for team mode: add --team"
        raise BadInput(msg)
    password = settings.web_password.get_secret_value() if settings.web_password else None
    if settings.team:
        password = None  # accounts and logins protect a team server
    elif not is_loopback(host):
        if not allow_remote:
            msg = (
                f"--host {host} lets other machines reach your health data; add --allow-remote "
                "and set HIPFLEX_WEB_PASSWORD if you mean it"
            )
            raise BadInput(msg)
        if not password:
            msg = "--allow-remote needs a password: set HIPFLEX_WEB_PASSWORD"
            raise BadInput(msg)
    elif not allow_remote:
        password = None  # local mode: the loopback address is the protection

    import uvicorn

    from hipflex.web import create_app

    app = create_app(settings, bind_host=host, password=password)  # a short one: one line
    # Open (and check) the database now: a fault is one line here, not a server traceback.
    app.state.context.open()
    shown = f"[{host}]" if ":" in host else host
    address = f"http://{shown}:{port}/"
    mode = f"team mode, {counted(workers, 'process', 'processes')}, " if settings.team else ""
    print(f"hipflex is running at {address}  ({mode}Ctrl+C to stop)")
    if password is not None or (settings.team and not is_loopback(host) and not proxy_headers):
        typer.echo(PLAIN_HTTP_WARNING, err=True)
    if open_browser:
        import webbrowser

        webbrowser.open(address)
    local_proxy = "127.0.0.1,::1"  # only a proxy on this machine is trusted
    if workers > 1:
        app.state.context.close()
        uvicorn.run(
            "hipflex.web:team_app",
            factory=True,
            workers=workers,
            host=host,
            port=port,
            log_level="warning",
            proxy_headers=proxy_headers,
            forwarded_allow_ips=local_proxy,
        )
    else:
        uvicorn.run(
            app,
            host=host,
            port=port,
            log_level="warning",
            proxy_headers=proxy_headers,
            forwarded_allow_ips=local_proxy,
        )
