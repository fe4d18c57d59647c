"""Rendering what was logged."""

from __future__ import annotations

from rich.panel import Panel

from hipflex.cli.terminal import Console
from hipflex.cli.words import HOW_TO_RECHECK
from hipflex.content import load_content
from hipflex.domain.plurals import counted
from hipflex.services.session_logs import LoggedSession


def render_logged_session(logged: LoggedSession, console: Console | None = None) -> None:
    out = console or Console()
    log = logged.log
    done = sorted({e.exercise_id.value for e in log.entries if not e.skipped})
    skipped = sorted({e.exercise_id.value for e in log.entries if e.skipped})
    out.print(f"Logged your {logged.session.name.lower()}: {counted(len(done), 'exercise')} done.")
    if skipped:
        out.print(f"Skipped: {', '.join(skipped)}.")
    if logged.warning is not None:
        out.print(f"{logged.warning} {HOW_TO_RECHECK}", style="yellow")
    content = load_content()
    for exercise_id in sorted(logged.newly_paused):
        name = content.exercise(exercise_id).name
        out.print(
            Panel(
                f"You reported sharp pain in the {name}. Sharp pain is not normal in a stretch "
                "or exercise: it is paused in your plan. Please have it checked by a doctor or "
                "physiotherapist; when they say it is fine, run "
                f"`hipflex log checked {exercise_id.value}` to bring it back. Before any more "
                f"exercise, hipflex asks its safety questions again. {HOW_TO_RECHECK}",
                title="Sharp pain: exercise paused",
                border_style="red",
            )
        )
