"""Guided sessions: today's script, logging each hold or set as it completes, resuming."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from hipflex.content import load_content
from hipflex.domain.assessment import parse_choice
from hipflex.domain.errors import BadInput, NotFound
from hipflex.domain.plan import Programme, SessionPlan, SessionSlot
from hipflex.domain.player import resume_index
from hipflex.domain.progression import pain_rise_warning
from hipflex.domain.protocol import ExerciseId, Side
from hipflex.domain.safety import Screening, break_script
from hipflex.domain.schedule import day_plan
from hipflex.domain.script import Script, Step, compile_session
from hipflex.domain.tracking import (
    ExerciseEntry,
    SessionLog,
    SessionSource,
    check_note,
    check_pain,
    streak,
)
from hipflex.services.context import AppContext
from hipflex.services.programme import plan_week
from hipflex.services.safety import BREAK_STRETCH, current_screening, paused_if_clear
from hipflex.services.timezones import zone_for
from hipflex.services.words import stop_reason

#: An unfinished guided session older than this is left alone rather than offered again.
RESUME_WITHIN = timedelta(hours=12)


@dataclass(frozen=True)
class GuidedSession:
    script: Script
    slot: SessionSlot | None  # None for a movement break
    screening: Screening = Screening.CLEAR  # a session is only ever offered when clear


@dataclass(frozen=True)
class Interrupted:
    """A guided session that stopped before its end (a crash, a closed terminal)."""

    log: SessionLog
    script: Script
    resume_at: int  # the first step not logged yet


def _hip_flexor_stretches() -> list[ExerciseId]:
    return [e.id for e in load_content().exercises.values() if e.is_hip_flexor_stretch]


def script_for(session: SessionPlan) -> Script:
    return compile_session(session, tilt_cue_for=_hip_flexor_stretches())


def choose_session(app: AppContext, name: str | None = None) -> GuidedSession:
    """The session named (morning, midday, evening), or today's next one."""
    view = plan_week(app)
    programme = view.result
    if not isinstance(programme, Programme):
        msg = f"there is no session to guide: {stop_reason(programme)}"
        raise BadInput(msg)
    if not programme.sessions:
        msg = "every exercise of your plan is paused after sharp pain: please have it checked"
        raise BadInput(msg)
    sessions = {s.slot: s for s in programme.sessions}
    if name is not None:
        slot = parse_choice(SessionSlot, name, "session")
        if slot not in sessions:
            choices = ", ".join(s.value for s in sessions)
            msg = f"there is no {slot.value} session in your plan (yours: {choices})"
            raise BadInput(msg)
        return GuidedSession(script_for(sessions[slot]), slot)
    now = app.clock.now().astimezone(view.zone).replace(tzinfo=None)
    today = day_plan(programme, view.preferences, now.date())
    upcoming = [i.session for i in today.items if i.session is not None and i.end > now]
    chosen = upcoming[0] if upcoming else programme.sessions[-1]
    return GuidedSession(script_for(chosen), chosen.slot)


def break_session(app: AppContext) -> GuidedSession:
    """The movement break that fits this user now (the safety gate decides: the desk
    routine, or only a walk if it is comfortable), as a script for the same player. It is
    not logged as a session: the reminders keep their own record of breaks."""
    state = current_screening(app)
    return break_for(state, paused_if_clear(app, state))


def break_for(state: Screening, paused: frozenset[ExerciseId] = frozenset()) -> GuidedSession:
    """The movement break for a screening state (and the stretches paused after pain)."""
    stretch = load_content().exercise(BREAK_STRETCH)
    script = break_script(
        state,
        paused,
        stretch_name=stretch.name,
        tilt_cue=stretch.cues[0] if stretch.cues else None,
    )
    return GuidedSession(script, None, state)


def report_sharp_pain(app: AppContext, exercise_id: ExerciseId, side: Side | None) -> None:
    """Sharp pain outside a logged session (a movement break): still logged, so the
    exercise is paused in the plan until checked. It does not count as a session done."""
    now = app.clock.now()
    log = SessionLog(
        started_at=now,
        ended_at=now,
        source=SessionSource.GUIDED,
        entries=(ExerciseEntry(exercise_id, side, skipped=True, sharp_pain=True),),
    )
    app.store.add_session_log(log, at=now)


def begin(app: AppContext, guided: GuidedSession, pain_before: int | None) -> int:
    """Open the session's log before the first hold, so every hold can be committed. An
    interrupted session not resumed is closed as it stands: starting anew means that."""
    if pain_before is not None:
        check_pain(pain_before, "pain before")
    stopped = interrupted(app)
    if stopped is not None:
        abandon(app, stopped.log)
    opened = app.store.add_session_log(
        SessionLog(
            started_at=app.clock.now(),
            source=SessionSource.GUIDED,
            slot=guided.slot,
            pain_before=pain_before,
        ),
        at=app.clock.now(),
    )
    assert opened.id is not None
    return opened.id


def record_step(app: AppContext, log_id: int, step: Step) -> None:
    """A completed hold or set, committed at once: a crash loses at most the next one."""
    if step.exercise_id is None or not step.records:
        return
    entry = ExerciseEntry(
        exercise_id=step.exercise_id,
        side=step.side,
        set_number=step.number or 1,
        hold_seconds=step.hold_seconds,
        reps=step.reps,
    )
    app.store.add_exercise_entry(log_id, entry, at=app.clock.now())


def record_entry(
    app: AppContext,
    log_id: int,
    exercise_id: ExerciseId,
    side: Side | None,
    *,
    set_number: int = 1,
    hold_seconds: int | None = None,
    reps: int | None = None,
    sharp_pain: bool = False,
) -> None:
    """An entry posted by the browser player as a hold or set completes: only while the
    session is open, only one of its own holds or sets (or sharp pain in one of its
    exercises), each once: a retry of the same entry lands once."""
    entry = (
        ExerciseEntry(exercise_id, side, skipped=True, sharp_pain=True)
        if sharp_pain
        else ExerciseEntry(exercise_id, side, set_number, hold_seconds, reps)
    )
    with app.store.all_or_nothing():  # the check may start the plan's block: a refusal keeps none
        log = app.store.session_log(log_id)
        if log.ended_at is None and entry not in log.entries:
            _check_in_session(app, log, entry)
        app.store.add_exercise_entry(log_id, entry, at=app.clock.now())


def _check_in_session(app: AppContext, log: SessionLog, entry: ExerciseEntry) -> None:
    """Refuse an entry that is not one of the session's holds or sets (its script, from
    the plan as it stands: an exercise paused after sharp pain is out of it)."""
    steps = [step for step in _script_of(app, log).steps if step.records]
    if entry.sharp_pain:
        mine = any(s.exercise_id is entry.exercise_id and s.side is entry.side for s in steps)
        if not mine and entry.side is None:
            mine = any(s.exercise_id is entry.exercise_id for s in steps)
    else:
        mine = any(
            (s.exercise_id, s.side, s.number or 1)
            == (entry.exercise_id, entry.side, entry.set_number)
            for s in steps
        )
    if not mine:
        side = "" if entry.side is None else f", {entry.side.value} side"
        what = "" if entry.sharp_pain else f" set {entry.set_number}"
        msg = f"{entry.exercise_id.value}{what}{side} is not in session {log.id}"
        raise BadInput(msg)


def _script_of(app: AppContext, log: SessionLog) -> Script:
    """The script of a guided session's slot in this week's plan (shown, not gated: the
    safety questions asked again after sharp pain do not stop a session under way)."""
    programme = plan_week(app, gated=False).result
    sessions = {s.slot: s for s in programme.sessions} if isinstance(programme, Programme) else {}
    if log.slot is None or log.slot not in sessions:
        msg = f"session {log.id} is not one of your plan's sessions"
        raise BadInput(msg)
    return script_for(sessions[log.slot])


def record_sharp_pain(
    app: AppContext, log_id: int, exercise_id: ExerciseId, side: Side | None
) -> None:
    """Sharp pain stops the exercise; logged at once, it pauses the exercise in the plan."""
    entry = ExerciseEntry(exercise_id, side, skipped=True, sharp_pain=True)
    app.store.add_exercise_entry(log_id, entry, at=app.clock.now())


def finish(
    app: AppContext, log_id: int, *, pain_after: int | None, note: str | None = None
) -> str | None:
    """Close the session with pain after; the warning to show if the pain rose by 2 points
    or more during it (None otherwise)."""
    if pain_after is not None:
        check_pain(pain_after, "pain after")
    if note is not None:
        note = check_note(note, "the session's note")
    log = app.store.finish_session_log(
        log_id, ended_at=app.clock.now(), pain_after=pain_after, note=note
    )
    return pain_rise_warning(log.pain_before, log.pain_after)


@dataclass(frozen=True)
class DoneOnSide:
    """What was done of one exercise on one side: holds (stretches, planks) or sets."""

    exercise_id: ExerciseId
    side: Side | None
    holds: int  # holds or sets completed
    sets: bool  # True: sets of reps; False: timed holds


@dataclass(frozen=True)
class SessionSummary:
    """The end of a guided session: what was done, pain before and after, the streak."""

    done: tuple[DoneOnSide, ...]
    sharp_pain: frozenset[ExerciseId]
    pain_before: int | None
    pain_after: int | None
    streak_days: int  # days in a row with a session, this one included
    warning: str | None  # the pain-rise warning, if pain rose by 2 points or more


def summary(app: AppContext, log_id: int) -> SessionSummary:
    """The summary of a session (finished or not), in the order its holds were logged."""
    log = app.store.session_log(log_id)
    counts: dict[tuple[ExerciseId, Side | None], tuple[int, bool]] = {}
    for entry in log.entries:
        if entry.skipped:
            continue
        key = (entry.exercise_id, entry.side)
        count, _ = counts.get(key, (0, False))
        counts[key] = (count + 1, entry.hold_seconds is None)
    zone = zone_for(app.store.preferences().timezone)
    days = {s.started_at.astimezone(zone).date() for s in app.store.session_logs() if s.done}
    today = app.clock.now().astimezone(zone).date()
    return SessionSummary(
        done=tuple(DoneOnSide(e, side, n, sets) for (e, side), (n, sets) in counts.items()),
        sharp_pain=log.sharp_pain,
        pain_before=log.pain_before,
        pain_after=log.pain_after,
        streak_days=streak(days, today),
        warning=pain_rise_warning(log.pain_before, log.pain_after),
    )


def interrupted(app: AppContext) -> Interrupted | None:
    """The latest guided session left unfinished in the last hours, if any."""
    since = app.clock.now() - RESUME_WITHIN
    for log in reversed(app.store.session_logs(since=since)):
        if log.source is SessionSource.GUIDED and log.ended_at is None and log.slot is not None:
            try:
                guided = choose_session(app, log.slot.value)
            except BadInput:
                return None
            logged = [(e.exercise_id, e.side, e.set_number) for e in log.entries]
            return Interrupted(log, guided.script, resume_index(guided.script, logged))
    return None


def resume_offer(app: AppContext, name: str | None = None) -> Interrupted | None:
    """The interrupted session to offer to resume, if any: none when you ask for another
    session by name (starting that one closes the old one)."""
    stopped = interrupted(app)
    if stopped is None or name is None:
        return stopped
    asked = parse_choice(SessionSlot, name, "session")
    return stopped if stopped.log.slot is asked else None


def abandon_interrupted(app: AppContext, log_id: int) -> None:
    """Close the interrupted session `log_id` as it stands (you chose to start again)."""
    stopped = interrupted(app)
    if stopped is None or stopped.log.id != log_id:
        msg = f"there is no interrupted session {log_id}"
        raise NotFound(msg)
    abandon(app, stopped.log)


def abandon(app: AppContext, log: SessionLog, at: datetime | None = None) -> None:
    """Close an interrupted session as it stands (the user chose not to resume)."""
    assert log.id is not None
    app.store.finish_session_log(log.id, ended_at=at or app.clock.now(), pain_after=None)
