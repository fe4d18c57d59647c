"""`hipflex db upgrade`: bring the database's schema up to this hipflex's."""

from __future__ import annotations

import typer

from hipflex.cli.errors import guarded

db_app = typer.Typer(
    help="The database itself (team mode upgrades it only through this).",
    no_args_is_help=True,
    rich_markup_mode=None,
)


def upgrade() -> None:
    """Upgrade the database (HIPFLEX_DATABASE_URL, or the SQLite file in your data folder)
    to this hipflex's schema. Run it after installing a new hipflex on a team server, with
    the app stopped; single-user mode does it by itself."""
    from hipflex.config import Settings
    from hipflex.services.context import AppContext
    from hipflex.store.migrate import HEAD_REVISION

    settings = Settings()
    url = settings.resolved_database_url()
    before = AppContext.upgrade_database(url)
    if before == HEAD_REVISION:
        print(f"The database is already at the newest schema ({HEAD_REVISION}).")
    else:
        print(f"Upgraded the database from {before or 'nothing'} to {HEAD_REVISION}.")


db_app.command("upgrade")(guarded(upgrade))
