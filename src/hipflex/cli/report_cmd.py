"""`hipflex report`: a progress report to share with a physiotherapist."""

from __future__ import annotations

import gc
import os
import sys
from contextlib import AbstractContextManager, nullcontext
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
    gc.disable()  # a short process: its few cycles die with it (start-up speed)
    try:
        _write_report(out)
    finally:
        gc.enable()


def _write_report(out: Path) -> None:
    from hipflex.domain.errors import BadInput
    from hipflex.files import check_target, write_file

    suffix = out.suffix.lower()
    if suffix not in (".pdf", ".html", ".htm"):
        msg = f"the report file must end in .pdf or .html, not '{out.name}'"
        raise BadInput(msg)
    check_target(out)  # say what is wrong before spending seconds on the charts
    if suffix == ".pdf":
        _import_fpdf_without_numpy()
    from hipflex.reports.render import to_html, to_pdf
    from hipflex.reports.report import build_report
    from hipflex.services.context import open_app
    from hipflex.services.progress import progress

    app = open_app()
    try:
        with _working("Drawing the charts and writing the report..."):
            view = progress(app)
            document = build_report(view, app.clock.now())
            data = to_pdf(document) if suffix == ".pdf" else to_html(document).encode()
    finally:
        app.close()
    write_file(out, data)
    print(f"Wrote {out} ({len(data) // 1024} KB).")


def _working(message: str) -> AbstractContextManager[object]:
    """A spinner with `message` on stderr while the report is made, where Rich draws one:
    on a terminal, or where its variables (TTY_COMPATIBLE, FORCE_COLOR) say there is one.
    Elsewhere (a script, the daemon, a pipe) Rich would write nothing, and is not loaded
    (start-up speed)."""
    if not sys.stderr.isatty() and not {"TTY_COMPATIBLE", "FORCE_COLOR"} & os.environ.keys():
        return nullcontext()
    from hipflex.cli.terminal import Console

    return Console(stderr=True).status(message)


def _import_fpdf_without_numpy() -> None:
    """fpdf imports numpy if it can, to speed up raster images; the report has none (its
    charts and figures are SVG), and numpy's import costs this command about a tenth of a
    second. fpdf is imported here as if numpy were not installed, which it supports: the
    PDF is the same, byte for byte (tests/reports/test_render_start.py). Only in this
    short, single-threaded process: nothing else imports numpy meanwhile."""
    if "fpdf" in sys.modules or "numpy" in sys.modules:
        return
    sys.modules["numpy"] = None  # type: ignore[assignment]  # `import numpy` fails
    try:
        import fpdf  # noqa: F401
    finally:
        del sys.modules["numpy"]
