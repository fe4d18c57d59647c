"""Drawing the pictures: every exercise from both sides and both self-tests, cold (the
first drawing in a process) and cached (what each later page pays), with the size of the
SVG a page carries.

Goal (issue 14): pictures that cost almost nothing: the whole set drawn in well under a
second once per process, a cached picture in microseconds. Run with `make bench` or
`python bench/pictures_bench.py`.
"""

from __future__ import annotations

import statistics
import time

from hipflex.content import load_content
from hipflex.domain.ids import ExerciseId, SelfTestId, Side
from hipflex.services import pictures

RUNS = 5


def draw_all() -> list[int]:
    sizes: list[int] = []
    for exercise in ExerciseId:
        for side in Side:
            out = pictures.exercise_picture(exercise, side)
            sizes.append(len(out.moving) + len(out.still))
    for test in SelfTestId:
        out = pictures.self_test_picture(test)
        sizes.append(len(out.moving) + len(out.still))
    return sizes


def main() -> None:
    load_content()
    cold: list[float] = []
    for _ in range(RUNS):
        pictures.exercise_picture.cache_clear()
        pictures.self_test_picture.cache_clear()
        start = time.perf_counter()
        sizes = draw_all()
        cold.append(time.perf_counter() - start)
    start = time.perf_counter()
    for _ in range(100):
        draw_all()
    cached = (time.perf_counter() - start) / (100 * len(sizes))
    print(f"pictures drawn: {len(sizes)}")
    print(f"all of them, cold: median {1000 * statistics.median(cold):.1f} ms")
    print(f"one picture, cold: {1000 * statistics.median(cold) / len(sizes):.2f} ms")
    print(f"one picture, cached: {1e6 * cached:.2f} µs")
    print(f"SVG per picture (moving + still): median {statistics.median(sizes) / 1024:.1f} KiB")


if __name__ == "__main__":
    main()
