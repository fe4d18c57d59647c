"""Progress as JSON (`hipflex progress --json`, GET /progress): adherence, the pain
verdict, the tests per side over the block, sitting and safety events."""

from __future__ import annotations

import datetime as dt

from hipflex.domain.assessment import (
    AssessmentKind,
    ExtensionResult,
    MeasurementMethod,
    ThomasResult,
)
from hipflex.domain.protocol import ExerciseId, Side, SittingBand
from hipflex.domain.tracking import (
    ANGLE_MDC_DEG,
    PainVerdict,
    angle_sem,
    minimal_detectable_change,
)
from hipflex.services.presenters.common import Moment, Out
from hipflex.services.progress import MEASURES, Measure, ProgressView
from hipflex.services.words import measured_words, methods_words, pain_sentence


class SessionCountOut(Out):
    done: int
    planned: int


class WeekOut(Out):
    week: int
    starts: dt.date
    sessions_done: int
    sessions_planned: int
    adherence: float  # sessions done / planned, 0-1
    mean_pain: float | None
    mean_sitting_hours: float | None
    sharp_pain: list[ExerciseId]


class PainOut(Out):
    """The first week's and the latest week's average pain, and what the change means."""

    verdict: PainVerdict
    baseline: float | None
    latest: float | None
    change: float | None  # baseline - latest: positive is better
    text: str


class SelfTestResultOut(Out):
    thomas: ThomasResult
    hip_extension: ExtensionResult
    thomas_method: MeasurementMethod  # "self" (typed in) or "photo"
    hip_extension_method: MeasurementMethod
    # Photo only: whether the trunk, and so the pelvis, could be checked (None: typed in).
    thomas_pelvis_checked: bool | None
    hip_extension_pelvis_checked: bool | None
    # How it was measured, in words, for a photo ("from a photo", and when the pelvis could
    # not be checked, that too); None for a test typed in.
    thomas_measured: str | None
    hip_extension_measured: str | None


class SelfTestOut(Out):
    """The block's baseline or one of its re-tests."""

    id: int
    recorded_at: Moment
    kind: AssessmentKind
    block_week: int | None
    results: dict[Side, SelfTestResultOut]


class AngleChangeOut(Out):
    side: Side
    measure: Measure
    before: float
    after: float
    delta: float
    beyond_measurement_error: bool
    before_method: MeasurementMethod  # how each test measured it: "self" or "photo"
    after_method: MeasurementMethod
    sem_deg: float  # the larger standard error of the two measurements
    measurement_error_deg: float  # the change needed to be real: 1.96 x sqrt(2) x sem_deg
    methods_text: str | None  # how the two were measured, in words; None: both typed in


class MeasurementErrorOut(Out):
    """Each method's standard error and the change it needs to count as real (1.96 x
    sqrt(2) x SEM); comparing two methods uses the larger."""

    sem_deg: float
    measurement_error_deg: float


class SittingProgressOut(Out):
    days: dict[dt.date, float]  # hours sat on each logged day
    band_last_7_days: SittingBand | None


class SafetyEventOut(Out):
    at: Moment
    kind: str  # "sharp_pain" (detail: the exercises) or "red_flags" (detail: the flags)
    detail: str


class ProgressOut(Out):
    today: dt.date
    block_started_on: dt.date | None
    current_week: int
    weeks_total: int
    streak_days: int
    sessions: SessionCountOut
    weeks: list[WeekOut]
    pain: PainOut
    tests: list[SelfTestOut]
    changes: list[AngleChangeOut]  # baseline -> latest re-test, per side
    measurement_error_deg: float  # self-measured (typed in) angles; see measurement_errors
    measurement_errors: dict[MeasurementMethod, MeasurementErrorOut]
    asymmetry_deg: dict[Measure, float | None]  # left - right in the latest test
    sitting: SittingProgressOut
    safety_events: list[SafetyEventOut]
    paused_exercises: list[ExerciseId]


def _error(sem_deg: float) -> MeasurementErrorOut:
    return MeasurementErrorOut(
        sem_deg=sem_deg, measurement_error_deg=round(minimal_detectable_change(sem_deg), 1)
    )


def progress_model(view: ProgressView, *, about_them: bool = False) -> ProgressOut:
    """One person's progress; `about_them`: its words are for their clinician."""
    return ProgressOut(
        today=view.today,
        block_started_on=None if view.block is None else view.block.started_on,
        current_week=view.current_week,
        weeks_total=view.preferences.block_weeks,
        streak_days=view.streak_days,
        sessions=SessionCountOut(done=view.sessions_done, planned=view.sessions_planned),
        weeks=[
            WeekOut(
                week=w.week,
                starts=w.starts,
                sessions_done=w.done,
                sessions_planned=w.planned,
                adherence=round(w.adherence, 3),
                mean_pain=w.mean_pain,
                mean_sitting_hours=w.mean_sitting,
                sharp_pain=sorted(w.sharp_pain),
            )
            for w in view.weeks
        ],
        pain=PainOut(
            verdict=view.pain.verdict,
            baseline=view.pain.baseline,
            latest=view.pain.latest,
            change=view.pain.change,
            text=pain_sentence(view.pain, about_them=about_them),
        ),
        tests=[
            SelfTestOut(
                id=r.id,
                recorded_at=r.recorded_at,
                kind=r.kind,
                block_week=r.block_week,
                results={
                    side: SelfTestResultOut(
                        thomas=r.assessment.sides[side].thomas.result,
                        hip_extension=r.assessment.sides[side].extension.result,
                        thomas_method=r.assessment.thomas_given(side).method,
                        hip_extension_method=r.assessment.extension_given(side).method,
                        thomas_pelvis_checked=r.assessment.thomas_given(side).pelvis_checked,
                        hip_extension_pelvis_checked=(
                            r.assessment.extension_given(side).pelvis_checked
                        ),
                        thomas_measured=measured_words(r.assessment.thomas_given(side)),
                        hip_extension_measured=measured_words(r.assessment.extension_given(side)),
                    )
                    for side in Side
                },
            )
            for r in view.tests
        ],
        changes=[
            AngleChangeOut(
                side=side,
                measure=name,
                before=change.before,
                after=change.after,
                delta=change.delta,
                beyond_measurement_error=change.beyond_error,
                before_method=change.before_method,
                after_method=change.after_method,
                sem_deg=change.sem_deg,
                measurement_error_deg=round(change.mdc_deg, 1),
                methods_text=methods_words(change),
            )
            for (side, name), change in view.changes.items()
        ],
        measurement_error_deg=round(ANGLE_MDC_DEG, 1),
        measurement_errors={
            method: _error(angle_sem(method, photo_sem_deg=view.photo_sem_deg))
            for method in MeasurementMethod
        },
        asymmetry_deg={name: view.latest_asymmetry.get(name) for name in MEASURES},
        sitting=SittingProgressOut(
            days={day: entry.hours for day, entry in view.sitting.items()},
            band_last_7_days=view.sitting_band,
        ),
        safety_events=[SafetyEventOut(at=e.at, kind=e.kind, detail=e.detail) for e in view.safety],
        paused_exercises=sorted(view.paused),
    )
