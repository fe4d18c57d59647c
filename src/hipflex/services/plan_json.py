"""The JSON contracts of `hipflex plan --json` and `hipflex today --json` (and the web API)."""

from __future__ import annotations

from typing import Any

from hipflex.content import load_content
from hipflex.domain.plan import NeedsTests, Prescription, Programme, SafetyStop, SessionPlan
from hipflex.domain.protocol import RedFlag
from hipflex.domain.schedule import DayPlan, ItemKind, TimelineItem
from hipflex.services.programme import PlanView, TodayView


def _prescription(p: Prescription) -> dict[str, Any]:
    body: dict[str, Any] = {"id": p.exercise_id.value, "name": p.name, "per_side": p.per_side}
    if p.hold_seconds is not None:
        body.update(hold_seconds=p.hold_seconds, reps=p.reps, sets=p.sets)
    else:
        body.update(sets=p.sets, reps=p.reps)
    if p.hold_at_top_seconds is not None:
        body["hold_at_top_seconds"] = p.hold_at_top_seconds
    body.update(
        rest_seconds=p.rest_seconds,
        tempo=p.tempo,
        description=p.describe(),
        cues=list(p.cues),
    )
    return body


def _session(session: SessionPlan, day: DayPlan | None) -> dict[str, Any]:
    start = None
    if day is not None:
        start = next((i.start for i in day.items if i.session is session), None)
    return {
        "name": session.name,
        "slot": session.slot.value,
        "time": None if start is None else start.strftime("%H:%M"),
        "estimated_minutes": round(session.estimated_seconds / 60),
        "exercises": [_prescription(p) for p in session.prescriptions],
    }


def stop_reason(result: SafetyStop | NeedsTests) -> str:
    content = load_content()
    if isinstance(result, SafetyStop):
        flagged = "; ".join(content.red_flags[f].short for f in RedFlag if f in result.red_flags)
        return f"You reported warning signs ({flagged}). {content.red_flag_advice}"
    return content.findings["overall"]["untested"].text


def plan_json(view: PlanView) -> dict[str, Any]:
    result = view.result
    if not isinstance(result, Programme):
        return {
            "safe_to_exercise": not isinstance(result, SafetyStop),
            "reason": stop_reason(result),
            "needs": "clinician" if isinstance(result, SafetyStop) else "assessment",
            "sessions": [],
        }
    content = load_content()
    day = view.sample_day()
    return {
        "safe_to_exercise": True,
        "kind": result.kind.value,
        "week": result.week,
        "weeks_total": result.weeks_total,
        "current_week": view.current_week,
        "projected": view.projected,
        "block_started_on": None if view.block is None else view.block.started_on.isoformat(),
        "block_complete": view.block_complete,
        "sessions_per_day": result.sessions_per_day,
        "movement_break_minutes": result.break_minutes,
        "sessions": [_session(s, day) for s in result.sessions],
        "workplace": [
            {"id": tip.value, "title": content.workplace[tip].title} for tip in result.workplace
        ],
        "focus": sorted(m.value for m in result.focus),
        "removed": sorted(e.value for e in result.removed),
        "retest_weeks": list(result.retest_weeks),
        "retest_due": result.retest_due,
        "changes": [
            {"after_week": i, "verdict": d.verdict.value, "reasons": list(d.reasons)}
            for i, d in enumerate(view.decisions, start=1)
        ],
        "time_zone": view.zone.key,
    }


def break_stretch_name() -> str:
    """The name of the stretch of a movement break, for the routine's words."""
    from hipflex.services.safety import BREAK_STRETCH

    return load_content().exercise(BREAK_STRETCH).name


def _item(item: TimelineItem) -> dict[str, Any]:
    body: dict[str, Any] = {
        "kind": item.kind.value,
        "title": item.title,
        "start": item.start.strftime("%H:%M"),
        "end": item.end.strftime("%H:%M"),
    }
    if item.session is not None:
        body["slot"] = item.session.slot.value
        body["exercises"] = [p.exercise_id.value for p in item.session.prescriptions]
    else:
        stretch = break_stretch_name()
        body["routine"] = [
            {
                "activity": s.activity.value,
                "title": s.title(stretch),
                "seconds": s.seconds,
                "per_side": s.per_side,
            }
            for s in item.routine
        ]
    return body


def today_json(view: TodayView) -> dict[str, Any]:
    if view.day is None:
        return plan_json(view.plan)
    upcoming = view.next_item
    session = view.next_of(ItemKind.SESSION)
    movement = view.next_of(ItemKind.BREAK)
    return {
        "safe_to_exercise": True,
        "date": view.day.day.isoformat(),
        "now": view.now.strftime("%H:%M"),
        "work_day": view.day.work_day,
        "week": view.plan.week,
        "items": [_item(i) for i in view.day.items],
        "next": None if upcoming is None else _item(upcoming),
        "next_session": None if session is None else _item(session),
        "next_break": None if movement is None else _item(movement),
        "time_zone": view.plan.zone.key,
    }
