"""Typed models of the protocol's content (PROTOCOL.md sections 1-3).

The ids here are a public contract: plans, logs, exports and scripts refer to them.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Self

from pydantic import BaseModel, ConfigDict, Field, model_validator

from hipflex.domain.figure import Picture
from hipflex.domain.ids import (
    HIP_FLEXORS,
    ExerciseId,
    ExerciseKind,
    Intensity,
    Muscle,
    Place,
    Position,
    RedFlag,
    SelfTestId,
    Side,
    Sign,
    SittingBand,
    WorkplaceCategory,
    WorkplaceTipId,
)
from hipflex.domain.urgency import URGENCY_ORDER, Urgency, most_urgent

__all__ = [
    "HIP_FLEXORS",
    "ExerciseId",
    "ExerciseKind",
    "Intensity",
    "Muscle",
    "Place",
    "Position",
    "RedFlag",
    "SelfTestId",
    "Side",
    "Sign",
    "SittingBand",
    "Urgency",
    "WorkplaceCategory",
    "WorkplaceTipId",
]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)


class IntRange(_Frozen):
    """An inclusive range of whole numbers, such as a 30-60 s hold."""

    min: int = Field(ge=0)
    max: int = Field(ge=0)

    @model_validator(mode="after")
    def _ordered(self) -> Self:
        if self.min > self.max:
            msg = f"min ({self.min}) is greater than max ({self.max})"
            raise ValueError(msg)
        return self

    def __contains__(self, value: object) -> bool:
        return isinstance(value, int | float) and self.min <= value <= self.max

    def label(self, unit: str = "") -> str:
        text = str(self.min) if self.min == self.max else f"{self.min}-{self.max}"
        return f"{text}{unit}"


class Dosage(_Frozen):
    """How much of an exercise: holds or sets x reps, per side or not, with tempo."""

    sets: IntRange
    reps: IntRange = Field(description="holds per set for stretches and planks, reps otherwise")
    hold_seconds: IntRange | None = None
    hold_at_top_seconds: int | None = Field(default=None, ge=1)
    per_side: bool
    tempo: str | None = None
    from_protocol: bool = Field(
        description="false where the protocol gives no dosage and a conventional one is used"
    )
    note: str | None = None

    def describe(self) -> str:
        """Plain words, e.g. "2-3 holds of 30-60 s, each side" or "3 sets of 15"."""
        side = ", each side" if self.per_side else ""
        if self.hold_seconds is not None:
            hold = self.hold_seconds.label(" s")
            if self.reps.max == 1:  # one hold per set: a plank's sets are its holds
                count = self.sets
                text = f"{count.label()} {'hold' if count.max == 1 else 'holds'} of {hold}{side}"
            else:
                text = f"{self.reps.label()} holds of {hold}{side}"
                if self.sets.max > 1:
                    text = f"{self.sets.label()} sets of {text}"
        else:
            text = f"{self.sets.label()} sets of {self.reps.label()}{side}"
        if self.hold_at_top_seconds:
            text += f", holding {self.hold_at_top_seconds} s at the top"
        return text


class Exercise(_Frozen):
    id: ExerciseId
    name: str = Field(min_length=1)
    kind: ExerciseKind
    summary: str = Field(min_length=1)
    targets: tuple[Muscle, ...] = Field(min_length=1)
    steps: tuple[str, ...] = Field(min_length=2)
    cues: tuple[str, ...] = Field(min_length=1)
    dosage: Dosage
    intensity: Intensity
    places: tuple[Place, ...] = Field(min_length=1)
    position: Position
    safety: tuple[str, ...] = Field(min_length=1)
    picture: Picture = Field(description="its key positions, drawn by domain/figure_svg.py")

    @property
    def is_hip_flexor_stretch(self) -> bool:
        return self.kind is ExerciseKind.STRETCH and bool(HIP_FLEXORS & set(self.targets))


class SelfTest(_Frozen):
    id: SelfTestId
    name: str
    purpose: str
    steps: tuple[str, ...] = Field(min_length=2)
    observe: tuple[str, ...] = Field(min_length=1)
    results: dict[str, str] = Field(description="result id -> plain meaning")
    safety: tuple[str, ...] = Field(min_length=1)
    picture: Picture = Field(description="its key positions, drawn by domain/figure_svg.py")


class SignInfo(_Frozen):
    id: Sign
    text: str
    why: str


class RedFlagInfo(_Frozen):
    id: RedFlag
    question: str
    short: str
    urgency: Urgency  # how soon a clinician is needed (PROTOCOL.md section 4)


class RedFlagAdvice(_Frozen):
    """What to do, for one level of urgency: a heading and the advice itself."""

    title: str = Field(min_length=1)
    text: str = Field(min_length=1)


class SittingBandInfo(_Frozen):
    id: SittingBand
    hours: str
    impact: str
    risk: str


class WorkplaceTip(_Frozen):
    id: WorkplaceTipId
    category: WorkplaceCategory
    title: str
    text: str


class FaqEntry(_Frozen):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    question: str
    answer: str


class MuscleInfo(_Frozen):
    id: Muscle
    name: str
    text: str


class Mechanism(_Frozen):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    name: str
    what_happens: str
    result: str


class Topic(_Frozen):
    """A page of education text."""

    id: str = Field(pattern=r"^[a-z][a-z0-9_-]*$")
    title: str
    paragraphs: tuple[str, ...] = Field(min_length=1)


class Guidelines(_Frozen):
    """Stretching guidelines (PROTOCOL.md 3.2)."""

    sessions_per_day: IntRange
    hold_seconds: IntRange
    block_weeks: IntRange
    intensity: str
    timing: str
    consistency: str
    key_cue: str


class FindingText(_Frozen):
    """Plain words for one result of one test or band."""

    title: str
    text: str


class Content(_Frozen):
    """Everything the protocol says, as validated data."""

    exercises: dict[ExerciseId, Exercise]
    self_tests: dict[SelfTestId, SelfTest]
    signs: dict[Sign, SignInfo]
    red_flags: dict[RedFlag, RedFlagInfo]
    urgency_advice: dict[Urgency, RedFlagAdvice]
    sitting_bands: dict[SittingBand, SittingBandInfo]
    sitting_note: str
    workplace: dict[WorkplaceTipId, WorkplaceTip]
    faq: tuple[FaqEntry, ...]
    muscles: dict[Muscle, MuscleInfo]
    mechanisms: tuple[Mechanism, ...]
    topics: dict[str, Topic]
    guidelines: Guidelines
    findings: dict[str, dict[str, FindingText]]
    disclaimer: str

    def exercise(self, exercise_id: ExerciseId | str) -> Exercise:
        return self.exercises[ExerciseId(exercise_id)]

    def red_flag_urgency(self, flags: Iterable[RedFlag | str]) -> Urgency | None:
        """How soon the flags answered need a clinician: the most urgent one decides."""
        return most_urgent(self.red_flags[RedFlag(f)].urgency for f in flags)

    def red_flag_advice_for(self, flags: Iterable[RedFlag | str]) -> RedFlagAdvice:
        """The one advice every shell shows for the flags answered: the most urgent flag's
        (a prompt appointment when none is named)."""
        return self.urgency_advice[self.red_flag_urgency(flags) or Urgency.PROMPT]

    def red_flags_by_urgency(self) -> tuple[tuple[RedFlagAdvice, tuple[RedFlagInfo, ...]], ...]:
        """Every flag under the advice of its level, most urgent first (for the safety
        pages, where no answer is known)."""
        groups = (
            (level, tuple(f for f in self.red_flags.values() if f.urgency is level))
            for level in URGENCY_ORDER
        )
        return tuple((self.urgency_advice[level], flags) for level, flags in groups if flags)
