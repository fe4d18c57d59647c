"""The figure drawn as SVG text: pure string building, no I/O.

Two drawings of one `Picture`: `animated` loops through the key positions at their tempo
(SMIL `<animate>` of precomputed frames, so the browser only interpolates points), and
`still` puts the key positions side by side (reduced motion, the printed report). Both
draw in `currentColor` with the working leg in the class `hf-work` (coloured by the page's
theme), or, for print, in fixed dark colours. Each carries `role="img"`, an `aria-label`,
a `<title>` and a `<desc>`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

from hipflex.domain.figure import (
    HEAD_RADIUS,
    LIMB_WIDTH,
    TABLE_TOP,
    THIGH,
    TRUNK_WIDTH,
    WALL_HEIGHT,
    Ground,
    Picture,
    Point,
    frames,
    placed,
    wall_x,
)
from hipflex.domain.markup import escape, quoteattr

#: SVG units per body height.
SCALE = 200.0
PAD = 0.06
LABEL_SPACE = 0.14
#: The gap between the key positions of a still drawing, in body heights.
GAP = 0.08


class Palette(StrEnum):
    THEME = "theme"  # currentColor and classes: the page's theme colours it
    PRINT = "print"  # fixed colours for the PDF


PRINT_INK = "#1f2937"
PRINT_WORK = "#0b5f7f"


@dataclass(frozen=True)
class Words:
    """What the picture says: a short name (aria-label, <title>) and a description."""

    label: str
    description: str


# The drawing order, far limbs first: (class, points, width).
_CHAINS: tuple[tuple[str, tuple[str, ...], float], ...] = (
    ("hf-far", ("shoulder", "far_elbow", "far_hand"), LIMB_WIDTH),
    ("hf-far", ("hip", "far_knee", "far_ankle", "far_toe"), LIMB_WIDTH),
    ("hf-body", ("hip", "lumbar", "shoulder"), TRUNK_WIDTH),
    ("hf-body", ("shoulder", "head"), LIMB_WIDTH),
    ("hf-work", ("hip", "near_knee", "near_ankle", "near_toe"), LIMB_WIDTH),
    ("hf-body", ("shoulder", "near_elbow", "near_hand"), LIMB_WIDTH),
)


def _num(value: float) -> str:
    text = f"{value:.1f}"
    return "0" if text in ("-0.0", "0.0") else text.removesuffix(".0")


def _xy(p: Point, dx: float = 0.0) -> tuple[str, str]:
    return _num((p.x + dx) * SCALE), _num(-p.y * SCALE)


def _points(placed_points: Mapping[str, Point], names: Iterable[str], dx: float = 0.0) -> str:
    return " ".join(",".join(_xy(placed_points[n], dx)) for n in names)


def _stroke(css: str, palette: Palette, highlight: bool) -> str:
    if css == "hf-work" and not highlight:
        css = "hf-body"
    if palette is Palette.PRINT:
        colour = PRINT_WORK if css == "hf-work" else PRINT_INK
        opacity = ' stroke-opacity="0.45"' if css == "hf-far" else ""
        return f'stroke="{colour}"{opacity}'
    opacity = ' stroke-opacity="0.45"' if css == "hf-far" else ""
    return f'class="{css}" stroke="currentColor"{opacity}'


@dataclass(frozen=True)
class _Box:
    left: float
    right: float
    bottom: float
    top: float

    @classmethod
    def around(cls, sets: Iterable[Mapping[str, Point]]) -> _Box:
        xs: list[float] = []
        ys: list[float] = []
        for points in sets:
            for p in points.values():
                xs.append(p.x)
                ys.append(p.y)
        reach = HEAD_RADIUS + PAD
        return cls(min(xs) - reach, max(xs) + reach, min(0.0, *ys) - PAD, max(ys) + reach)


def _svg_open(box: _Box, width: float, words: Words, css: str) -> str:
    view = " ".join(
        _num(v)
        for v in (
            box.left * SCALE,
            -box.top * SCALE,
            width * SCALE,
            (box.top - box.bottom) * SCALE,
        )
    )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="hf-figure {css}" viewBox="{view}" '
        f'role="img" aria-label={quoteattr(words.label)} focusable="false">'
        f"<title>{escape(words.label)}</title><desc>{escape(words.description)}</desc>"
    )


def _setting(
    picture: Picture,
    box: _Box,
    *,
    mirrored: bool,
    palette: Palette,
    cells: Sequence[tuple[float, float, float]],
    walls: Sequence[float | None] = (),
) -> str:
    """The floor line, a table under each drawing that rests on one, and a wall behind
    each drawing that has one. A cell is (the drawing's shift, its left, its right), in
    body heights; a wall is its x, already shifted."""
    if picture.ground is Ground.NONE:
        return ""
    ink = (
        f'stroke="{PRINT_INK}"'
        if palette is Palette.PRINT
        else 'class="hf-ground" stroke="currentColor"'
    )
    floor = (
        f'<line {ink} stroke-opacity="0.5" stroke-width="2" x1="{_num(box.left * SCALE)}" '
        f'y1="0" x2="{_num(box.right * SCALE)}" y2="0"/>'
    )
    parts = [floor]
    for wall in walls:
        if wall is not None:
            x = _num(wall * SCALE)
            parts.append(
                f'<line {ink} stroke-opacity="0.5" stroke-width="3" x1="{x}" y1="0" '
                f'x2="{x}" y2="{_num(-WALL_HEIGHT * SCALE)}"/>'
            )
    if picture.ground is Ground.TABLE:
        # The table ends just short of the knee of a thigh lying flat from the hip (a
        # table picture's anchor, so at x = 0 before the cell's shift).
        for dx, left, right in cells:
            if mirrored:
                x0, x1 = dx - THIGH * 0.92, right - PAD / 2
            else:
                x0, x1 = left + PAD / 2, dx + THIGH * 0.92
            top = -TABLE_TOP * SCALE
            leg0, leg1 = _num((x0 + 0.04) * SCALE), _num((x1 - 0.04) * SCALE)
            parts.append(
                f'<g {ink} stroke-opacity="0.5" stroke-width="2" fill="none">'
                f'<rect x="{_num(x0 * SCALE)}" y="{_num(top)}" '
                f'width="{_num((x1 - x0) * SCALE)}" height="{_num(0.025 * SCALE)}" rx="3"/>'
                f'<line x1="{leg0}" y1="{_num(top)}" x2="{leg0}" y2="0"/>'
                f'<line x1="{leg1}" y1="{_num(top)}" x2="{leg1}" y2="0"/></g>'
            )
    return "".join(parts)


def _body(shapes: Iterable[tuple[str, str, float, str]], palette: Palette, highlight: bool) -> str:
    out = []
    for css, points, width, anim in shapes:
        start = (
            f"<polyline {_stroke(css, palette, highlight)} "
            f'stroke-width="{_num(width * SCALE)}" points="{points}"'
        )
        out.append(f"{start}>{anim}</polyline>" if anim else f"{start}/>")
    return "".join(out)


def _group_open() -> str:
    return '<g fill="none" stroke-linecap="round" stroke-linejoin="round">'


def _head(p: Point, palette: Palette, dx: float = 0.0, anim: str = "") -> str:
    cx, cy = _xy(p, dx)
    ink = (
        f'stroke="{PRINT_INK}"'
        if palette is Palette.PRINT
        else 'class="hf-body" stroke="currentColor"'
    )
    width = _num(LIMB_WIDTH * SCALE * 0.7)
    close = f">{anim}</circle>" if anim else "/>"
    radius = _num(HEAD_RADIUS * SCALE * 0.85)
    return f'<circle {ink} stroke-width="{width}" cx="{cx}" cy="{cy}" r="{radius}"{close}'


def animated(
    picture: Picture,
    words: Words,
    *,
    mirrored: bool = False,
    highlight: bool = True,
    hold_at_top: float | None = None,
    palette: Palette = Palette.THEME,
) -> str:
    """The picture moving through its key positions at their tempo, looping."""
    shown, total = frames(picture, hold_at_top=hold_at_top)
    poses = [placed(picture, f.position, mirrored=mirrored) for f in shown]
    box = _Box.around(poses)
    key_times = ";".join(f"{f.at / total:.4f}".rstrip("0").rstrip(".") or "0" for f in shown)
    timing = (
        f'dur="{_num(total)}s" repeatCount="indefinite" keyTimes="{key_times}" calcMode="linear"'
    )

    def animate(attribute: str, values: Iterable[str]) -> str:
        return f'<animate attributeName="{attribute}" {timing} values="{";".join(values)}"/>'

    shapes: list[tuple[str, str, float, str]] = []
    for css, names, width in _CHAINS:
        values = [_points(p, names) for p in poses]
        shapes.append((css, values[0], width, animate("points", values)))
    heads = [_xy(p["head"]) for p in poses]
    head_anim = animate("cx", (h[0] for h in heads)) + animate("cy", (h[1] for h in heads))
    return (
        _svg_open(box, box.right - box.left, words, "hf-moving")
        + _setting(
            picture,
            box,
            mirrored=mirrored,
            palette=palette,
            cells=[(0.0, box.left, box.right)],
            walls=[wall_x(picture, poses, mirrored=mirrored)],
        )
        + _group_open()
        + _body(shapes, palette, highlight)
        + _head(poses[0]["head"], palette, anim=head_anim)
        + "</g></svg>"
    )


def still(
    picture: Picture,
    words: Words,
    *,
    mirrored: bool = False,
    highlight: bool = True,
    palette: Palette = Palette.THEME,
) -> str:
    """The key positions side by side, each named underneath."""
    poses = [placed(picture, p, mirrored=mirrored) for p in picture.positions]
    boxes = [_Box.around([p]) for p in poses]
    width = max(b.right - b.left for b in boxes)
    height_box = _Box.around(poses)
    cells: list[tuple[float, float, float]] = []
    walls: list[float | None] = []
    parts: list[str] = []
    for index, (pose, box) in enumerate(zip(poses, boxes, strict=True)):
        # Each drawing centred in its own cell of the same width.
        cell_left = height_box.left + index * (width + GAP)
        dx = cell_left - box.left + (width - (box.right - box.left)) / 2
        cells.append((dx, cell_left, cell_left + width))
        wall = wall_x(picture, [pose], mirrored=mirrored)
        walls.append(None if wall is None else wall + dx)
        shapes = [(css, _points(pose, names, dx), w, "") for css, names, w in _CHAINS]
        parts.append(_group_open() + _body(shapes, palette, highlight))
        parts.append(_head(pose["head"], palette, dx) + "</g>")
        label_x = (cell_left + width / 2) * SCALE
        fill = (
            f'fill="{PRINT_INK}"'
            if palette is Palette.PRINT
            else 'class="hf-label" fill="currentColor"'
        )
        parts.append(
            f'<text {fill} x="{_num(label_x)}" y="{_num((LABEL_SPACE - 0.03) * SCALE)}" '
            f'text-anchor="middle" font-size="{_num(0.075 * SCALE)}" '
            f'font-family="sans-serif">{index + 1}. {escape(picture.positions[index].name)}</text>'
        )
    count = len(poses)
    total_width = count * width + (count - 1) * GAP
    box = _Box(
        height_box.left,
        height_box.left + total_width,
        min(height_box.bottom, -LABEL_SPACE),
        height_box.top,
    )
    return (
        _svg_open(box, total_width, words, "hf-still")
        + _setting(picture, box, mirrored=mirrored, palette=palette, cells=cells, walls=walls)
        + "".join(parts)
        + "</svg>"
    )


def view_size(svg: str) -> tuple[float, float]:
    """A drawing's width and height in body heights, from its viewBox: drawings printed
    at one scale show every figure the same size."""
    view = svg.split('viewBox="', 1)[1].split('"', 1)[0].split()
    return float(view[2]) / SCALE, float(view[3]) / SCALE


def without_text_alternative(svg: str) -> str:
    """The drawing alone, for a PDF image that carries its own alt text (the PDF writer
    knows no <title> or <desc>, and says so on the terminal)."""
    start, end = svg.find("<title>"), svg.find("</desc>")
    return svg if start < 0 or end < 0 else svg[:start] + svg[end + len("</desc>") :]
