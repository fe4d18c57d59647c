"""`hipflex progress`: how your block is going."""

from __future__ import annotations

from typing import Annotated

import typer


def progress(
    json_output: Annotated[bool, typer.Option("--json", help="Print as JSON.")] = False,
) -> None:
    """Show your streak and adherence, your pain trend and verdict, your tests per side over
    time, and your sitting."""
    from hipflex.services.context import open_app
    from hipflex.services.progress import progress as load_progress

    app = open_app()
    try:
        view = load_progress(app)
    finally:
        app.close()
    if json_output:
        from hipflex.services.presenters.common import json_text
        from hipflex.services.presenters.progress import progress_model

        print(json_text(progress_model(view)))
    else:
        from hipflex.cli.progress_view import render_progress

        render_progress(view)
