"""A points file: points marked by hand on a photo, for `hipflex measure --points`.

    {"points": {"NAME": [x, y], ...}, "facing": "left" | "right"}

in pixels of the upright photo (origin top left, y down); `facing` is optional. The names
are hipflex.domain.goniometry.POINT_NAMES; a name without a side means the side asked for.
"""

from __future__ import annotations

import json
from pathlib import Path

from hipflex.domain.errors import BadInput
from hipflex.domain.goniometry import Facing, Point, as_point
from hipflex.services.json_values import parse_json
from hipflex.services.measure import MarkedPoints

#: Larger than any points file a person writes; refused before parsing.
MAX_POINTS_FILE_BYTES = 64 * 1024
SHAPE = '{"points": {"NAME": [x, y], ...}, "facing": "left" or "right"}'


def parse_points(text: str) -> MarkedPoints:
    """The points and the facing of a points file's text; anything else is bad input."""
    data = parse_json(text, "the points file")
    if not isinstance(data, dict) or not isinstance(data.get("points"), dict):
        msg = f"the points file must look like {SHAPE}"
        raise BadInput(msg)
    unknown = sorted(set(data) - {"points", "facing"})
    if unknown:
        msg = f"the points file has unknown keys ({', '.join(unknown)}): it must look like {SHAPE}"
        raise BadInput(msg)
    facing = data.get("facing")
    if facing is not None and facing not in tuple(Facing):
        msg = f"the points file's facing must be left or right, not {json.dumps(facing)}"
        raise BadInput(msg)
    points: dict[str, Point] = {
        str(name): as_point(str(name), value) for name, value in data["points"].items()
    }
    return MarkedPoints(points, None if facing is None else Facing(facing))


def read_points(path: Path) -> MarkedPoints:
    """A points file read and parsed; a missing or unreadable file is bad input."""
    try:
        with path.expanduser().open("rb") as file:
            data = file.read(MAX_POINTS_FILE_BYTES + 1)
    except OSError as exc:
        msg = f"cannot read {path}: {exc.strerror or exc}"
        raise BadInput(msg) from None
    if len(data) > MAX_POINTS_FILE_BYTES:
        msg = f"{path} is too large for a points file ({MAX_POINTS_FILE_BYTES // 1024} KB at most)"
        raise BadInput(msg)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        msg = f"cannot read {path}: not UTF-8 text"
        raise BadInput(msg) from None
    return parse_points(text)
