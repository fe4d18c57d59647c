"""The local web app: a thin FastAPI layer over the same services as the CLI."""

from hipflex.web.app import create_app, team_app

__all__ = ["create_app", "team_app"]
