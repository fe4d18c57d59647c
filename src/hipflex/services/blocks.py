"""Saving an assessment, and what a re-test at the end of a block decides (PROTOCOL.md
section 4): still tight on either side, another block from the re-test, starting at the
dose tolerated; both sides normal, the maintenance programme."""

from __future__ import annotations

from dataclasses import replace

from hipflex.domain.assessment import AssessmentInput, AssessmentKind
from hipflex.domain.plan import Phase, Selection, block_outcome, select
from hipflex.domain.progression import ProgressionState
from hipflex.services.assessments import AssessmentReport, BlockDecision, record_assessment
from hipflex.services.context import AppContext
from hipflex.services.programme import PlanView, block_state, maintenance_dose, plan_week
from hipflex.services.tracking import local_today, record_retest
from hipflex.services.words import block_decision_words


def save_assessment(
    app: AppContext, answers: AssessmentInput, kind: AssessmentKind
) -> AssessmentReport:
    """The one place that decides what a saved assessment is: a baseline starts a new
    block; a re-test joins the current block and week, and at the block's end (its last
    week or later, or any time in maintenance) decides what comes next."""
    if kind is not AssessmentKind.RETEST:
        return record_assessment(app, answers)
    before = plan_week(app) if app.store.latest_assessment() is not None else None
    report = record_retest(app, answers)
    if before is None or before.block is None or report.recorded is None:
        return report
    block = before.block
    last_week = before.current_week >= before.preferences.block_weeks
    ended = block.phase is Phase.MAINTENANCE or last_week
    decided = block_outcome(report.assessment) if ended else None
    if decided is None or not report.assessment.safe_to_exercise:
        return report
    if block.phase is Phase.MAINTENANCE and decided is Phase.MAINTENANCE:
        return report  # still normal: maintenance goes on
    start = _tolerated(app, before)
    app.store.start_block(
        assessment_id=report.recorded.id,
        started_on=local_today(app),
        at=app.clock.now(),
        phase=decided,
        start=start,
    )
    words = block_decision_words(decided, maintenance_dose(app))
    return replace(report, block_decision=BlockDecision(decided, words))


def _tolerated(app: AppContext, before: PlanView) -> ProgressionState:
    """The dose of the block's current week: where the next block starts (not back at
    the first week), inside the protocol's ranges (the levels are capped)."""
    block = before.block
    assert block is not None
    if block.phase is Phase.MAINTENANCE:
        return block.start
    source = app.store.assessment(block.assessment_id)
    if source is None:
        return ProgressionState()
    selection = select(source.assessment)
    if not isinstance(selection, Selection):
        return ProgressionState()
    state, _, _ = block_state(
        app,
        block,
        source.assessment,
        selection,
        before.preferences,
        shown=min(before.current_week, before.preferences.block_weeks),
        current=before.current_week,
    )
    return ProgressionState(level=state.level, couch_weeks=state.couch_weeks)
