"""Draw the README's `hipflex measure` picture from a figure hipflex draws itself.

A side-on figure in the half-kneeling hip flexor stretch (facing right, the left knee
down behind, the floor line in view) is drawn with Pillow, its points are written as a
points file, and the real command annotates it:

    hipflex measure FIGURE.png --points POINTS.json --side left --test extension \
        --out docs/measure-example.png

No photograph goes into the repository: the fixture photos stay in ../shared.
Run it from the repository root: `.venv/bin/python docs/measure_example.py`.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

from PIL import Image, ImageDraw

SIZE = (820, 540)
OUT = Path(__file__).resolve().parent / "measure-example.png"
HIPFLEX = Path(sys.executable).parent / "hipflex"

# The figure's joints in pixels (origin top left, y down). The left side is nearer the
# camera: its knee is on the floor behind, the hip pushed forward; the right foot is flat
# in front with the knee bent about 90 degrees.
POINTS = {
    "nose": (432.0, 92.0),
    "shoulder_left": (392.0, 142.0),
    "shoulder_right": (400.0, 138.0),
    "hip_left": (402.0, 312.0),
    "hip_right": (410.0, 308.0),
    "knee_left": (300.0, 468.0),
    "ankle_left": (150.0, 466.0),
    "toe_left": (112.0, 478.0),
    "knee_right": (560.0, 318.0),
    "ankle_right": (566.0, 466.0),
    "toe_right": (626.0, 478.0),
    "table_a": (30.0, 484.0),  # the floor line: the horizontal reference
    "table_b": (790.0, 484.0),
}
WALL = (238, 240, 236)
FLOOR = (196, 186, 170)
FAR = (120, 128, 140)  # the far limbs, a shade darker, behind the body
NEAR = (92, 100, 114)
SKIN = (214, 180, 150)
LIMB = 30
HAND = (POINTS["knee_right"][0] - 24, POINTS["knee_right"][1] - 22)


def _limb(
    draw: ImageDraw.ImageDraw,
    joints: list[tuple[float, float]],
    colour: tuple[int, int, int],
    width: int = LIMB,
) -> None:
    """A rounded limb through the joints."""
    draw.line(joints, fill=colour, width=width, joint="curve")
    for x, y in joints:
        draw.ellipse((x - width / 2, y - width / 2, x + width / 2, y + width / 2), fill=colour)


def _at(*names: str) -> list[tuple[float, float]]:
    return [POINTS[name] for name in names]


def draw_figure() -> Image.Image:
    image = Image.new("RGB", SIZE, WALL)
    draw = ImageDraw.Draw(image)
    floor_y = POINTS["table_a"][1]
    draw.rectangle((0, floor_y, SIZE[0], SIZE[1]), fill=FLOOR)
    draw.line([(0, floor_y), (SIZE[0], floor_y)], fill=(120, 110, 96), width=3)
    _limb(draw, _at("hip_right", "knee_right", "ankle_right", "toe_right"), FAR)
    _limb(draw, [POINTS["shoulder_right"], HAND], FAR, 24)  # the far arm, hand on the knee
    head = (POINTS["nose"][0] - 30, POINTS["nose"][1] - 4)
    _limb(draw, [POINTS["shoulder_left"], head], SKIN, 24)  # the neck
    draw.ellipse((head[0] - 34, head[1] - 38, head[0] + 34, head[1] + 38), fill=SKIN)
    _limb(draw, _at("shoulder_left", "hip_left"), NEAR, 66)  # the trunk
    _limb(draw, _at("hip_left", "knee_left", "ankle_left", "toe_left"), NEAR)
    _limb(draw, [POINTS["shoulder_left"], HAND], NEAR, 24)  # the near arm
    return image


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        figure = Path(folder) / "figure.png"
        points = Path(folder) / "points.json"
        draw_figure().save(figure)
        marked = {name: [x, y] for name, (x, y) in POINTS.items()}
        points.write_text(json.dumps({"points": marked, "facing": "right"}), encoding="utf-8")
        command = [str(HIPFLEX), "measure", str(figure), "--points", str(points)]
        command += ["--side", "left", "--test", "extension", "--out", str(OUT)]
        subprocess.run(command, check=True)  # noqa: S603 - our own command, our own files


if __name__ == "__main__":
    main()
