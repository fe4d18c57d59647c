"""Measuring a photo with the pose model: `hipflex measure --auto --json` as a whole
process beside bare mediapipe on the same photo in the same run, and the time per photo
once the model is loaded.

Goals (issue 12): the whole command at most 1.3x bare mediapipe; at most 150 ms a photo
once the model is loaded. Needs the pose extra and the fixture photos
(../shared/fixtures/photos). Run with `make bench` or `python bench/measure_bench.py`.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from hipflex.services.measure import Photo

RUNS = int(os.environ.get("BENCH_RUNS", "7"))
PHOTOS = Path(__file__).resolve().parents[1].parent / "shared" / "fixtures" / "photos"
PHOTO = PHOTOS / "side_kneeling_hip_flexor_stretch_free_exercise_db.jpg"
PEOPLE = sorted(p for p in PHOTOS.glob("*.jpg") if not p.name.startswith("no_person"))
HIPFLEX = str(Path(sys.executable).parent / "hipflex")
PROCESS_GOAL = 1.3
PHOTO_GOAL_MS = 150.0

# The least a program does to get the same landmarks: read the photo, run the model.
BARE_MEDIAPIPE = """
import sys
import mediapipe as mp
import numpy as np
from PIL import Image

image = np.asarray(Image.open(sys.argv[1]).convert("RGB"))
with mp.solutions.pose.Pose(static_image_mode=True, model_complexity=1) as pose:
    found = pose.process(image).pose_landmarks
print(len(found.landmark))
"""


def _timed(argv: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(argv, env=env, check=True, capture_output=True)
    return time.perf_counter() - start


def whole_processes() -> tuple[float, float]:
    """Median seconds of the command and of bare mediapipe, run in turns."""
    with tempfile.TemporaryDirectory() as data:
        env = {**os.environ, "HIPFLEX_DATA_DIR": data}
        env.pop("HIPFLEX_DATABASE_URL", None)
        command = [HIPFLEX, "measure", str(PHOTO), "--auto", "--json"]
        bare = [sys.executable, "-c", BARE_MEDIAPIPE, str(PHOTO)]
        _timed(command, env)  # warm the file caches
        _timed(bare, env)
        hipflex_times, bare_times = [], []
        for _ in range(RUNS):
            hipflex_times.append(_timed(command, env))
            bare_times.append(_timed(bare, env))
    return statistics.median(hipflex_times), statistics.median(bare_times)


def per_photo() -> tuple[float, float]:
    """Median milliseconds a photo once the model is loaded: hipflex's measurement (the
    model's points named and the angles) from a decoded photo, and
    bare Pose.process on the same arrays."""
    import mediapipe as mp
    import numpy as np

    from hipflex.config import Settings
    from hipflex.services.measure import TestName, load_photo, measure_photo

    settings = Settings()
    photos = [load_photo(path.read_bytes()) for path in PEOPLE]

    def measured(photo: Photo) -> None:
        measure_photo(photo, None, test=TestName.ANY, settings=settings)

    measured(photos[0])  # loads the model
    ours = []
    for _ in range(RUNS):
        for photo in photos:
            start = time.perf_counter()
            measured(photo)
            ours.append(time.perf_counter() - start)
    arrays = [np.asarray(photo.image) for photo in photos]
    bare = []
    with mp.solutions.pose.Pose(static_image_mode=True, model_complexity=1) as pose:
        pose.process(arrays[0])
        for _ in range(RUNS):
            for array in arrays:
                start = time.perf_counter()
                pose.process(array)
                bare.append(time.perf_counter() - start)
    return 1000 * statistics.median(ours), 1000 * statistics.median(bare)


def main() -> None:
    if not PHOTO.is_file():
        print(f"measure_bench: the fixture photos are not in {PHOTOS}; skipped")
        return
    command_s, bare_s = whole_processes()
    ours_ms, bare_ms = per_photo()
    ratio = command_s / bare_s
    print(f"{'photo measurement':44} {'median':>9} {'goal':>12}  ({RUNS} runs)")
    print(f"{'hipflex measure --auto --json (process)':44} {command_s:8.3f}s")
    print(f"{'bare mediapipe, same photo (process)':44} {bare_s:8.3f}s")
    print(f"{'  ratio':44} {ratio:8.2f}x {f'<= {PROCESS_GOAL}x':>12}")
    photo_goal = f"<= {PHOTO_GOAL_MS:g} ms"
    print(f"{'a photo, model loaded: hipflex measure_photo':44} {ours_ms:7.1f}ms {photo_goal:>12}")
    print(f"{'a photo, model loaded: bare Pose.process':44} {bare_ms:7.1f}ms")
    print(f"  ({len(PEOPLE)} people photos, {PHOTO.name} for the processes)")


if __name__ == "__main__":
    main()
