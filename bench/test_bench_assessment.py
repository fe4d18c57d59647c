"""In-process cost of the assessment engine and of loading the content (pytest-benchmark)."""

from __future__ import annotations

from typing import Any

from hipflex.content.loader import build_content, read_packaged
from hipflex.domain.assessment import (
    AssessmentInput,
    ExtensionInput,
    ThighPosition,
    ThomasInput,
    assess,
)
from hipflex.domain.protocol import Side

ANSWERS = AssessmentInput(
    thomas={side: ThomasInput(ThighPosition.RAISED, knee_flexion_deg=75.0) for side in Side},
    extension={side: ExtensionInput(8.0) for side in Side},
    sitting_hours=7.5,
    red_flags=frozenset(),
)


def test_assess(benchmark: Any) -> None:
    result = benchmark(assess, ANSWERS)
    assert result.any_tight


def test_load_content(benchmark: Any) -> None:
    content = benchmark(build_content, read_packaged)
    assert len(content.exercises) == 9
