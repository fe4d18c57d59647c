"""Assessment use cases: evaluate answers, record them, list them, explain them."""

from __future__ import annotations

from dataclasses import dataclass

from hipflex.content import load_content
from hipflex.domain.assessment import (
    Assessment,
    AssessmentInput,
    AssessmentKind,
    AssessmentOutcome,
    RecordedAssessment,
    assess,
    outcome,
)
from hipflex.domain.errors import BadInput
from hipflex.domain.plan import Phase
from hipflex.domain.protocol import FindingText, RedFlag, Side
from hipflex.domain.safety import Screening
from hipflex.services.context import AppContext
from hipflex.services.thresholds import finding_values, thresholds_from


@dataclass(frozen=True)
class Explanation:
    """One finding in plain words; `side` is None for findings about the whole body."""

    topic: str
    result: str
    side: Side | None
    title: str
    text: str


@dataclass(frozen=True)
class BlockDecision:
    """What a re-test at the end of a block decided, and the words for it."""

    phase: Phase
    text: str


@dataclass(frozen=True)
class AssessmentReport:
    """An assessment with its meaning: what the user reads after the tests."""

    assessment: Assessment
    outcome: AssessmentOutcome
    explanations: tuple[Explanation, ...]
    next_step: FindingText
    disclaimer: str
    recorded: RecordedAssessment | None = None
    # A re-test at the end of a block decides what comes next: another block from it, or
    # maintenance (None: it decided nothing).
    block_decision: BlockDecision | None = None


def explain(assessment: Assessment, recorded: RecordedAssessment | None = None) -> AssessmentReport:
    content = load_content()
    findings = content.findings
    values = finding_values(assessment.thresholds)
    explanations: list[Explanation] = []
    for side, found in assessment.sides.items():
        for topic, result in (
            ("thomas", found.thomas.result.value),
            ("hip_extension", found.extension.result.value),
        ):
            text = findings[topic][result]
            title = text.title.format(side=side.value, **values)
            explanations.append(
                Explanation(topic, result, side, title, text.text.format(side=side.value, **values))
            )
    if assessment.sitting_band is not None:
        band = findings["sitting"][assessment.sitting_band.value]
        explanations.append(
            Explanation("sitting", assessment.sitting_band.value, None, band.title, band.text)
        )
    signs_key = "some" if assessment.signs else "none"
    signs = findings["signs"][signs_key]
    explanations.append(Explanation("signs", signs_key, None, signs.title, signs.text))
    verdict = outcome(assessment)
    return AssessmentReport(
        assessment=assessment,
        outcome=verdict,
        explanations=tuple(explanations),
        next_step=findings["overall"][verdict.value],
        disclaimer=content.disclaimer,
        recorded=recorded,
    )


def evaluate(app: AppContext, answers: AssessmentInput) -> AssessmentReport:
    """Findings without saving them."""
    return explain(assess(answers, thresholds_from(app.settings)))


def record_assessment(
    app: AppContext,
    answers: AssessmentInput,
    kind: AssessmentKind = AssessmentKind.BASELINE,
    *,
    block_id: int | None = None,
    block_week: int | None = None,
) -> AssessmentReport:
    """Findings, saved with every input, result and side; nothing is saved on bad input."""
    if not kind.has_tests:
        msg = "a safety check records only the answers to the safety questions"
        raise BadInput(msg)
    assessment = assess(answers, thresholds_from(app.settings))  # what is wrong first
    if answers.empty:
        msg = (
            "there is nothing to save: give at least one self-test result, your daily "
            "sitting hours or a sign (the safety questions alone are a safety check)"
        )
        raise BadInput(msg)
    recorded = app.store.add_assessment(
        assessment, at=app.clock.now(), kind=kind, block_id=block_id, block_week=block_week
    )
    return explain(assessment, recorded)


def assessment_history(app: AppContext, limit: int | None = None) -> list[RecordedAssessment]:
    return app.store.assessments(limit=limit)


def latest_report(app: AppContext) -> AssessmentReport | None:
    """The newest saved assessment with self-tests, with its meaning (a safety check only
    answers the safety questions: the safety gate reads it), or None before the first."""
    latest = app.store.latest_assessment(with_tests=True)
    return None if latest is None else explain(latest.assessment, latest)


def record_safety_check(app: AppContext, red_flags: frozenset[RedFlag]) -> RecordedAssessment:
    """The safety questions answered again, without the self-tests (PROTOCOL.md section 4:
    a pain rise or sharp pain asks them again). Stored with the assessments as a safety
    check: the safety gate reads it as the newest answers; findings, blocks and re-tests
    ignore it."""
    assessment = assess(AssessmentInput(red_flags=red_flags), thresholds_from(app.settings))
    return app.store.add_assessment(
        assessment, at=app.clock.now(), kind=AssessmentKind.SAFETY_CHECK
    )


@dataclass(frozen=True)
class SafetyCheck:
    """The safety questions answered again, and where that leaves the safety gate."""

    recorded: RecordedAssessment
    screening: Screening


def answer_safety_questions(app: AppContext, red_flags: frozenset[RedFlag]) -> SafetyCheck:
    """Record a safety check and read the gate after it: clear brings the (eased) plan
    back, a warning sign stops everything."""
    from hipflex.services.safety import current_screening

    recorded = record_safety_check(app, red_flags)
    return SafetyCheck(recorded, current_screening(app))
