"""A measured photo annotated with Pillow: the points, the segments between them, the
table line, each angle beside its joint, and a caption with the measured side's angles.

Drawn to read on any photo and in light and dark viewers alike: an opaque PNG, lines with
a dark outline, labels as light text on dark boxes with a light edge."""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

from hipflex.domain.goniometry import Point, trunk_lean_of
from hipflex.domain.ids import Side
from hipflex.services.measure import PhotoMeasurement

if TYPE_CHECKING:
    from PIL.Image import Image
    from PIL.ImageDraw import ImageDraw
    from PIL.ImageFont import FreeTypeFont, ImageFont

    Font = FreeTypeFont | ImageFont

# Orange for the side the test reads, blue for the other: distinct for colour-blind
# readers too; the measured side is also drawn thicker, so colour never carries it alone.
MEASURED = (245, 158, 11)
OTHER = (56, 189, 248)
TABLE = (250, 250, 250)
OUTLINE = (17, 24, 39)
LABEL_TEXT = (255, 255, 255)
LABEL_BOX = (17, 24, 39)
LABEL_EDGE = (229, 231, 235)
SEGMENTS = (("shoulder", "hip"), ("hip", "knee"), ("knee", "ankle"), ("ankle", "toe"))


def _scale(image: Image) -> int:
    """Line width for this photo: about 1/180 of its shorter edge, at least 3 px."""
    return max(3, round(min(image.size) / 180))


def _font(size: int) -> Font:
    """Pillow's own font (no font file needed); a bitmap one where Pillow has no FreeType."""
    from PIL import ImageFont

    return ImageFont.load_default(size=size)


def _line(draw: ImageDraw, a: Point, b: Point, colour: tuple[int, int, int], width: int) -> None:
    draw.line([a, b], fill=OUTLINE, width=width + 2 * max(1, width // 2))
    draw.line([a, b], fill=colour, width=width)


def _dot(draw: ImageDraw, at: Point, colour: tuple[int, int, int], radius: int) -> None:
    x, y = at
    draw.ellipse(
        (x - radius, y - radius, x + radius, y + radius),
        fill=colour,
        outline=OUTLINE,
        width=max(1, radius // 3),
    )


def _label(
    draw: ImageDraw, at: Point, text: str, font: Font, *, size: int, bounds: tuple[int, int]
) -> None:
    """A light-on-dark label just right of and below a point, kept inside the photo."""
    pad = max(2, size // 4)
    left, top, right, bottom = draw.textbbox((0, 0), text, font=font)
    width, height = right - left + 2 * pad, bottom - top + 2 * pad
    x = min(max(0.0, at[0] + size * 0.6), bounds[0] - width)
    y = min(max(0.0, at[1] + size * 0.3), bounds[1] - height)
    draw.rectangle((x, y, x + width, y + height), fill=LABEL_BOX, outline=LABEL_EDGE)
    draw.text((x + pad - left, y + pad - top), text, fill=LABEL_TEXT, font=font)


def _side_labels(measured: PhotoMeasurement, side: Side) -> dict[str, str]:
    """The words beside each joint of a side: the knee bend at the knee, the thigh angle
    and the hip extension at the hip, the trunk lean at the shoulder."""
    angles = measured.angles
    at_hip = [
        f"{name} {value:.0f}°"
        for name, value in (
            ("thigh", angles.thigh_angle_deg.get(side)),
            ("hip ext", angles.hip_extension_deg.get(side)),
        )
        if value is not None
    ]
    knee = angles.knee_flexion_deg.get(side)
    lean = angles.trunk_lean_deg.get(side)
    labels = {}
    if knee is not None:
        labels[f"knee_{side.value}"] = f"knee {knee:.0f}°"
    if at_hip:
        labels[f"hip_{side.value}"] = ", ".join(at_hip)
    if lean is not None:
        labels[f"shoulder_{side.value}"] = f"trunk {lean:.0f}°"
    return labels


def caption(measured: PhotoMeasurement) -> list[str]:
    """The words under the photo: the angles of each side the test reads."""
    angles = measured.angles
    parts = []
    for side in measured.sides:
        values = (
            ("knee bend", angles.knee_flexion_deg.get(side)),
            ("thigh", angles.thigh_angle_deg.get(side)),
            ("hip extension", angles.hip_extension_deg.get(side)),
        )
        words = ", ".join(f"{name} {value:.0f}°" for name, value in values if value is not None)
        parts.append(f"{side.value} side: {words or 'no angle'}")
    lean = trunk_lean_of(angles, measured.sides)
    if lean is not None:
        parts.append(f"trunk lean {lean:.0f}°")
    return parts or ["no angle could be measured"]


def _wrapped(draw: ImageDraw, parts: list[str], font: Font, width: float) -> list[str]:
    """The caption's parts joined with '; ' into lines no wider than the photo."""
    lines: list[str] = []
    for part in parts:
        joined = f"{lines[-1]}; {part}" if lines else part
        if lines and draw.textlength(joined, font=font) <= width:
            lines[-1] = joined
        else:
            lines.append(part)
    return lines


def annotate(image: Image, measured: PhotoMeasurement) -> bytes:
    """The photo (upright, RGB) with the points, segments and angles drawn, as PNG."""
    from PIL import Image as PILImage
    from PIL import ImageDraw

    width = _scale(image)
    size = max(14, round(min(image.size) / 30))  # the labels' font size, in pixels
    font = _font(size)
    margin = 2 * width
    lines = _wrapped(
        ImageDraw.Draw(image.copy()), caption(measured), font, image.width - 2 * margin
    )
    line_height = round(size * 1.3)
    canvas = PILImage.new(
        "RGB", (image.width, image.height + len(lines) * line_height + 2 * margin), LABEL_BOX
    )
    canvas.paste(image.convert("RGB"), (0, 0))
    draw = ImageDraw.Draw(canvas)
    points = measured.landmarks.points
    if "table_a" in points and "table_b" in points:
        _line(draw, points["table_a"], points["table_b"], TABLE, max(1, width // 2))
    ordered = [s for s in Side if s not in measured.sides] + list(measured.sides)
    for side in ordered:  # the measured side last, on top
        colour, thick = (MEASURED, width + 1) if side in measured.sides else (OTHER, width)
        for start, end in SEGMENTS:
            a, b = points.get(f"{start}_{side.value}"), points.get(f"{end}_{side.value}")
            if a is not None and b is not None:
                _line(draw, a, b, colour, thick)
        for name in ("shoulder", "hip", "knee", "ankle", "toe"):
            at = points.get(f"{name}_{side.value}")
            if at is not None:
                _dot(draw, at, colour, thick + 2)
    for name in ("nose", "table_a", "table_b"):
        if name in points:
            _dot(draw, points[name], TABLE, width + 1)
    bounds = (image.width, image.height)
    for side in measured.sides:
        for name, words in _side_labels(measured, side).items():
            _label(draw, points[name], words, font, size=size, bounds=bounds)
    for row, line in enumerate(lines):
        draw.text(
            (margin, image.height + margin + row * line_height), line, fill=LABEL_TEXT, font=font
        )
    out = io.BytesIO()
    canvas.save(out, format="PNG", optimize=True)
    return out.getvalue()
