"""Pictures of the exercises and the self-tests, drawn from their key positions in the
content (`domain/figure.py`, `domain/figure_svg.py`). Each is drawn once per process and
side: the content does not change while it runs."""

from __future__ import annotations

from functools import cache
from typing import NamedTuple

from hipflex.content import load_content
from hipflex.domain.figure import Picture
from hipflex.domain.figure_svg import Palette, Words, animated, still
from hipflex.domain.ids import ExerciseId, SelfTestId, Side
from hipflex.services.presenters.pictures import PictureOut


class Still(NamedTuple):
    """An exercise's key positions side by side (SVG) and their text alternative."""

    svg: str
    description: str


#: The side drawn when an exercise works both sides at once, or a page shows one test.
DEFAULT_SIDE = Side.RIGHT


def _words(name: str, picture: Picture, coloured: str | None) -> Words:
    """The text alternative, from the content: each position's name and what to do."""
    steps = " ".join(
        f"{index}. {position.name}: {position.says}"
        for index, position in enumerate(picture.positions, start=1)
    )
    intro = "The figure shows each position in turn."
    if coloured is not None:
        intro += f" {coloured} is drawn in colour."
    return Words(label=f"{name}: how to do it", description=f"{intro} {steps}")


def _draw(
    name: str,
    picture: Picture,
    side: Side | None,
    coloured: str | None,
    *,
    hold_at_top: float | None = None,
    palette: Palette = Palette.THEME,
) -> PictureOut:
    words = _words(name, picture, coloured)
    mirrored = side is Side.LEFT
    highlight = coloured is not None
    return PictureOut(
        label=words.label,
        description=words.description,
        moving=animated(
            picture,
            words,
            mirrored=mirrored,
            highlight=highlight,
            hold_at_top=hold_at_top,
            palette=palette,
        ),
        still=still(picture, words, mirrored=mirrored, highlight=highlight, palette=palette),
    )


#: The side of a picture drawn once for an exercise that works both sides at once.
ANY_SIDE = "any"


def sides_drawn(exercise_id: ExerciseId | str) -> tuple[str, ...]:
    """The sides an exercise is drawn from in the player, in the order its holds take
    them (the domain's `Side` order); one drawing, "any", when it works both at once."""
    if not load_content().exercise(exercise_id).dosage.per_side:
        return (ANY_SIDE,)
    return tuple(side.value for side in Side)


@cache
def exercise_picture(
    exercise_id: ExerciseId | str,
    side: Side | str | None = None,
    palette: Palette = Palette.THEME,
) -> PictureOut:
    """An exercise's picture, from the side given (the working side in colour); an
    exercise that works both sides at once is drawn from the right, nothing in colour."""
    name, picture, chosen, coloured, hold_at_top = _as_drawn(exercise_id, side)
    return _draw(name, picture, chosen, coloured, hold_at_top=hold_at_top, palette=palette)


def exercise_still(exercise_id: ExerciseId | str, palette: Palette = Palette.THEME) -> Still:
    """The still of `exercise_picture(exercise_id, None, palette)` and its description,
    without drawing the moving one (the report prints only the still: start-up speed)."""
    name, picture, chosen, coloured, _ = _as_drawn(exercise_id, None)
    words = _words(name, picture, coloured)
    drawn = still(
        picture,
        words,
        mirrored=chosen is Side.LEFT,
        highlight=coloured is not None,
        palette=palette,
    )
    return Still(drawn, words.description)


def _as_drawn(
    exercise_id: ExerciseId | str, side: Side | str | None
) -> tuple[str, Picture, Side | None, str | None, float | None]:
    """What an exercise's picture is drawn from: its name, key positions, the side shown,
    the leg in colour and the hold at the top."""
    exercise = load_content().exercise(exercise_id)
    hold_at_top = exercise.dosage.hold_at_top_seconds
    if side == ANY_SIDE:
        side = None
    if not exercise.dosage.per_side:
        return exercise.name, exercise.picture, None, None, hold_at_top
    chosen = DEFAULT_SIDE if side in (None, "") else Side(side)
    name = f"{exercise.name}, {chosen.value} side"
    return name, exercise.picture, chosen, f"Your {chosen.value} leg", hold_at_top


@cache
def self_test_picture(test_id: SelfTestId | str, palette: Palette = Palette.THEME) -> PictureOut:
    """A self-test's picture: the leg being tested in colour."""
    test = load_content().self_tests[SelfTestId(test_id)]
    return _draw(test.name, test.picture, DEFAULT_SIDE, "The leg being tested", palette=palette)
