"""`hipflex export`, `import`, `backup` and `data erase`: your data, out and back in."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from hipflex.cli.errors import guarded
from hipflex.reports.formats import ExportFormat

data_app = typer.Typer(
    help="Manage your hipflex data as a whole.",
    no_args_is_help=True,
    rich_markup_mode=None,
)


def export(
    format_: Annotated[
        ExportFormat,
        typer.Option(
            "--format",
            "-f",
            help="json: everything, for `hipflex import`; csv: one row per observation, for "
            "spreadsheets; fhir: a FHIR R4 Bundle of Observations, for a clinician's system.",
        ),
    ] = ExportFormat.JSON,
    out: Annotated[
        Path | None,
        typer.Option(
            "--out",
            "-o",
            metavar="FILE",
            help="Write to FILE instead of the screen (- for the screen).",
        ),
    ] = None,
) -> None:
    """Export all your data: assessments, plan blocks, sessions, pain, sitting and notes.

    JSON keeps everything (restore it with `hipflex import`); CSV has a row per
    measurement for a spreadsheet; FHIR is for a physiotherapist's or doctor's system.
    """
    from hipflex.files import is_stdout, write_file
    from hipflex.reports.exports import render_export
    from hipflex.services import data
    from hipflex.services.context import open_app

    app = open_app()
    try:
        snapshot = data.snapshot(app)
        now = app.clock.now()
    finally:
        app.close()
    text = render_export(format_, snapshot, now).text
    if out is None:
        sys.stdout.write(text)
        return
    write_file(out, text.encode("utf-8"), allow_stdout=True)
    if is_stdout(out):
        return
    print(f"Wrote {out} ({format_.value}): {data.describe(snapshot)}.")


def import_(
    file: Annotated[
        Path, typer.Argument(metavar="FILE.json", help="A file made by `hipflex export`.")
    ],
) -> None:
    """Restore a JSON export into an empty hipflex (for example on a new computer).

    Every time and link is kept. If you already have data, keep a copy with
    `hipflex backup FILE` and clear it with `hipflex data erase` first.
    """
    from hipflex.domain.errors import BadInput
    from hipflex.services import data
    from hipflex.services.context import open_app
    from hipflex.services.importer import loads

    try:
        text = file.expanduser().read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else "not UTF-8 text"
        msg = f"cannot read {file}: {reason}"
        raise BadInput(msg) from None
    snapshot = loads(text)
    app = open_app()
    try:
        imported = data.import_snapshot(app, snapshot)
    finally:
        app.close()
    print(f"Imported {data.describe(imported)} from {file}.")


def backup(
    file: Annotated[Path, typer.Argument(metavar="FILE", help="The new backup file.")],
) -> None:
    """Copy your hipflex database to a new file, safely even while hipflex is running.

    The copy is a complete SQLite database; an existing file is never overwritten.
    """
    from hipflex.services import data
    from hipflex.services.context import open_app

    app = open_app()
    try:
        size = data.backup(app, file)
    finally:
        app.close()
    print(f"Backed up your hipflex data to {file} ({size / 1024:.0f} KB).")


def erase(
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation.")] = False,
) -> None:
    """Delete all your hipflex data: assessments, plans, logs, notes, kept photos and
    preferences.

    It asks first unless you give --yes. This cannot be undone: keep a copy with
    `hipflex backup FILE` or `hipflex export --out FILE.json` beforehand.
    """
    from hipflex.services import data
    from hipflex.services.context import open_app

    app = open_app()
    try:
        present = data.snapshot(app)
        if present.empty and not data.stored_tables(app.store):
            print("There is nothing to erase: your hipflex data is already empty.")
            return
        if not yes:
            print(f"This deletes all your hipflex data: {data.describe(present)}.")
            print("It cannot be undone. Keep a copy first with `hipflex backup FILE`.")
            from hipflex.cli.terminal import confirmed

            if not confirmed("Erase everything?"):
                print("Nothing was erased.")
                raise typer.Exit(1)
        erased = data.erase(app)
    finally:
        app.close()
    print(f"Erased {data.describe(erased)}.")


data_app.command("erase")(guarded(erase))
