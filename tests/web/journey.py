"""Steps through the pages, by the ids of src/hipflex/web/README-pages.md."""

from __future__ import annotations

from typing import TYPE_CHECKING

from hipflex.domain.protocol import RedFlag

if TYPE_CHECKING:
    from playwright.sync_api import Page

#: Every kind of page (name, path); the wizard's steps are visited on /assess.
PAGES: tuple[tuple[str, str], ...] = (
    ("home", "/"),
    ("assess", "/assess"),
    ("safety-check", "/assess?safety=1"),
    ("safety", "/safety"),
    ("plan", "/plan"),
    ("today", "/today"),
    ("session", "/session?slot=morning"),
    ("break", "/break"),
    ("log", "/log"),
    ("progress", "/progress"),
    ("learn", "/learn"),
    ("topic", "/learn/stretching"),
    ("faq", "/learn/faq"),
    ("exercises", "/exercises"),
    ("exercise", "/exercises/half_kneeling_hip_flexor"),
    ("settings", "/settings"),
    ("not-found", "/no-such-page"),
)

#: Sped-up clock for the player: a 4-minute session plays in about a quarter of a second.
FAST = 1000


def answer_safety(page: Page, yes: tuple[RedFlag, ...] = ()) -> None:
    for flag in RedFlag:
        page.check(f"#rf-{flag.value}-{'yes' if flag in yes else 'no'}")


def next_step(page: Page, step: str) -> None:
    """Press Next and wait for `step` (an id such as step-sitting) to be the one shown."""
    page.click("#wizard-next")
    page.locator(f"#{step}").wait_for(state="visible")


def fill_sitting(page: Page) -> None:
    page.fill("#sitting_hours", "9")
    page.check("#sign-worse_after_sitting")
    page.check("#sign-tight_front_hips")


def fill_tight_thomas(page: Page) -> None:
    for side, knee in (("left", "70"), ("right", "72")):
        page.check(f"#thomas_{side}_thigh-raised")
        page.fill(f"#thomas_{side}_knee", knee)


def fill_tight_extension(page: Page) -> None:
    for side, degrees in (("left", "5"), ("right", "6")):
        page.fill(f"#extension_{side}_degrees", degrees)
        page.check(f"#extension_{side}_compensated-no")


def complete_tight_assessment(page: Page, base_url: str) -> None:
    """The whole wizard with a tight result; ends on the plan."""
    page.goto(f"{base_url}/assess")
    answer_safety(page)
    next_step(page, "step-sitting")
    fill_sitting(page)
    next_step(page, "step-thomas")
    fill_tight_thomas(page)
    next_step(page, "step-extension")
    fill_tight_extension(page)
    next_step(page, "step-review")
    page.click("#wizard-submit")
    page.wait_for_url(f"{base_url}/plan")


def with_speed(href: str) -> str:
    return f"{href}{'&' if '?' in href else '?'}speed={FAST}"
