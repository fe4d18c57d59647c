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
) -> None:
    """Start the hipflex web app on this computer (http://127.0.0.1:8765 by default)."""
    from hipflex.config import Settings
    from hipflex.domain.errors import BadInput
    from hipflex.web.security import is_loopback

    settings = Settings()
    password = settings.web_password.get_secret_value() if settings.web_password else None
    if not is_loopback(host):
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
    print(f"hipflex is running at {address}  (Ctrl+C to stop)")
    if password is not None:
        typer.echo(PLAIN_HTTP_WARNING, err=True)
    if open_browser:
        import webbrowser

        webbrowser.open(address)
    uvicorn.run(app, host=host, port=port, log_level="warning")
