"""Plain words about the plan, shared by the terminal, the web, the calendar and the
plan's presenter (services/presenters/plan.py builds the JSON)."""

from __future__ import annotations

from hipflex.content import load_content
from hipflex.domain.plan import NeedsTests, SafetyStop
from hipflex.domain.protocol import RedFlag


def stop_reason(result: SafetyStop | NeedsTests) -> str:
    content = load_content()
    if isinstance(result, SafetyStop):
        flagged = "; ".join(content.red_flags[f].short for f in RedFlag if f in result.red_flags)
        return f"You reported warning signs ({flagged}). {content.red_flag_advice}"
    return content.findings["overall"]["untested"].text


def break_stretch_name() -> str:
    """The name of the stretch of a movement break, for the routine's words."""
    from hipflex.services.safety import BREAK_STRETCH

    return load_content().exercise(BREAK_STRETCH).name
