"""`hipflex measure PHOTO`: the self-tests' angles from a side photo."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from hipflex.domain.ids import POINT_NAMES, SIDED_POINTS

if TYPE_CHECKING:
    from hipflex.services.measure import Photo, PhotoMeasurement
    from hipflex.services.photo_tests import SavedMeasurement

POINTS_HELP = (
    'Points marked by hand instead of the pose model: a JSON file {"points": {"NAME": '
    '[x, y], ...}, "facing": "left" or "right"} in pixels of the upright photo (origin top '
    f"left). Names: {', '.join(POINT_NAMES)}; {', '.join(SIDED_POINTS)} alone mean the "
    "side given by --side."
)


def measure(
    photo: Annotated[
        Path, typer.Argument(metavar="PHOTO", help="A side photo: JPEG, PNG or WebP.")
    ],
    test: Annotated[
        str,
        typer.Option(
            "--test",
            metavar="thomas|extension|any",
            help="Read the angles as this self-test by the protocol's rules; any: every "
            "angle the points allow, no test result.",
        ),
    ] = "any",
    side: Annotated[
        str | None,
        typer.Option(
            "--side",
            metavar="left|right",
            help="The side to read (default: the side nearer the camera, else each side "
            "measured); also the side of unsided names in --points.",
        ),
    ] = None,
    points: Annotated[
        Path | None, typer.Option("--points", metavar="FILE.json", help=POINTS_HELP)
    ] = None,
    auto: Annotated[
        bool,
        typer.Option(
            "--auto",
            help="Find the points with the pose model (the pose extra: pip install "
            "'hipflex[pose]'); the default without --points.",
        ),
    ] = False,
    out: Annotated[
        Path | None,
        typer.Option(
            "--out", metavar="FILE.png", help="Also write the photo with the points and angles."
        ),
    ] = None,
    json_output: Annotated[
        bool,
        typer.Option(
            "--json",
            help="Print the points as used, the angles per side, the facing, the side nearer "
            "the camera, the warnings and the test's result as JSON.",
        ),
    ] = False,
    save: Annotated[
        bool,
        typer.Option(
            "--save",
            help="Record the result as a re-test of your current assessment, measured from "
            "a photo (needs --test thomas or extension). The photo itself is not kept.",
        ),
    ] = False,
    keep_photo: Annotated[
        bool,
        typer.Option(
            "--keep-photo",
            help="With --save: keep the photo too, upright and without its EXIF data "
            "(location included), to compare over time; hipflex data erase removes it.",
        ),
    ] = False,
) -> None:
    """Measure the knee bend, thigh angle, hip extension and trunk lean from a side photo.

    The photo is read on this computer only and never saved. Take it side on, with the
    camera at hip height and your whole body in the frame; for the Thomas test keep the
    table edge in view and mark it (table_a, table_b) in a points file.
    """
    from hipflex.config import Settings
    from hipflex.domain.assessment import parse_choice
    from hipflex.domain.errors import BadInput
    from hipflex.domain.ids import Side
    from hipflex.services.measure import TestName, measure_photo, read_photo

    chosen_test = parse_choice(TestName, test, "--test")
    chosen_side = None if side is None else parse_choice(Side, side, "--side")
    if points is not None and auto:
        msg = "give --points FILE.json or --auto, not both"
        raise BadInput(msg)
    if save and chosen_test is TestName.ANY:
        msg = "--save records one test: add --test thomas or --test extension"
        raise BadInput(msg)
    if keep_photo and not save:
        msg = "--keep-photo keeps the photo of a saved result: add --save"
        raise BadInput(msg)
    if out is not None:
        _check_out(out)
    marked = None
    if points is not None:
        from hipflex.services.points_file import read_points

        marked = read_points(points)
    image = read_photo(photo)
    measured = measure_photo(image, marked, test=chosen_test, side=chosen_side, settings=Settings())
    saved = _save(measured, image, keep_photo=keep_photo) if save else None
    if out is not None:  # written before anything is printed: a failure prints nothing
        from hipflex.files import write_file
        from hipflex.reports.annotated_photo import annotate

        write_file(out, annotate(image.image, measured))
    if json_output:
        from hipflex.services.presenters.common import json_text
        from hipflex.services.presenters.photo import measurement_model, saved_model

        print(
            json_text(
                measurement_model(measured) if saved is None else saved_model(measured, saved)
            )
        )
    else:
        from hipflex.cli.measure_view import render_measurement, render_saved

        render_measurement(measured, hand_marked=marked is not None)
        if saved is not None:
            render_saved(saved)
    if out is not None:
        import sys

        print(f"Wrote {out}.", file=sys.stderr if json_output else sys.stdout)


def _save(measured: PhotoMeasurement, image: Photo, *, keep_photo: bool) -> SavedMeasurement:
    """The measurement recorded as a re-test (and the photo kept, if asked for)."""
    from hipflex.services.context import open_app
    from hipflex.services.photo_tests import save_measurement

    app = open_app()
    try:
        return save_measurement(app, measured, photo=image, keep_photo=keep_photo)
    finally:
        app.close()


def _check_out(out: Path) -> None:
    """Say what is wrong with --out before the photo is measured."""
    from hipflex.domain.errors import BadInput
    from hipflex.files import check_target

    if out.suffix.lower() != ".png":
        msg = f"the annotated photo is a PNG: --out must end in .png, not '{out.name}'"
        raise BadInput(msg)
    check_target(out)
