"""`hipflex report`: a progress report to share with a physiotherapist."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer


def report(
    out: Annotated[
        Path,
        typer.Option("--out", metavar="FILE", help="Where to write it: FILE.pdf or FILE.html."),
    ],
) -> None:
    """Write a progress report (PDF or HTML) that a physiotherapist can read in two minutes."""
    from hipflex.cli.errors import guarded_io
    from hipflex.domain.errors import BadInput, HipflexError

    suffix = out.suffix.lower()
    if suffix not in (".pdf", ".html", ".htm"):
        msg = f"the report file must end in .pdf or .html, not '{out.name}'"
        raise BadInput(msg)
    folder = out.expanduser().parent
    if not folder.is_dir():  # say so before spending seconds on the charts
        msg = f"cannot write {out}: the folder {folder} does not exist"
        raise HipflexError(msg)
    from rich.console import Console

    from hipflex.reports.render import to_html, to_pdf
    from hipflex.reports.report import build_report
    from hipflex.services.context import open_app
    from hipflex.services.progress import progress

    console = Console(stderr=True)
    app = open_app()
    try:
        with console.status("Drawing the charts and writing the report..."):
            view = progress(app)
            document = build_report(view, app.clock.now())
            data = to_pdf(document) if suffix == ".pdf" else to_html(document).encode()
    finally:
        app.close()
    guarded_io(out, data)
    print(f"Wrote {out} ({len(data) // 1024} KB).")
