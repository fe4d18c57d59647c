"""Nothing lost on reload (issue 14), in Chromium: the wizard keeps its answers and step
across a reload and moves between steps with the browser's Back and Forward; the player
resumes a reloaded session with its pain rating, and queues the holds it completes while
the server is away, sending each once when it is back."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from playwright.sync_api import expect

from hipflex.domain.protocol import RedFlag
from tests.web.conftest import LiveServer, shot
from tests.web.journey import (
    answer_safety,
    fill_sitting,
    fill_tight_extension,
    next_step,
)

if TYPE_CHECKING:
    from playwright.sync_api import Page


def shown_step(page: Page, step: str, number: int) -> None:
    expect(page.locator(f"#{step}")).to_be_visible()
    expect(page).to_have_url(re.compile(rf"[?&]step={number}\b"))


def test_the_wizard_keeps_its_answers_and_step_across_a_reload_and_back_and_forward(
    live_server: LiveServer, page: Page
):
    base = live_server.url
    page.goto(f"{base}/assess")
    shown_step(page, "step-safety", 1)
    answer_safety(page)
    next_step(page, "step-sitting")
    shown_step(page, "step-sitting", 2)
    fill_sitting(page)
    next_step(page, "step-thomas")
    page.check("#thomas_left_thigh-raised")
    page.fill("#thomas_left_knee", "70")

    page.reload()  # mid-wizard: the same step, the answers in place
    shown_step(page, "step-thomas", 3)
    expect(page.locator("#thomas_left_thigh-raised")).to_be_checked()
    expect(page.locator("#thomas_left_knee")).to_have_value("70")

    page.go_back()  # the browser's Back: the step before, not the page before
    shown_step(page, "step-sitting", 2)
    expect(page.locator("#sitting_hours")).to_have_value("9")
    expect(page.locator("#sign-tight_front_hips")).to_be_checked()
    page.go_back()
    shown_step(page, "step-safety", 1)
    # the safety answers are put back, shown with a request to check them again
    for flag in RedFlag:
        expect(page.locator(f"#rf-{flag.value}-no")).to_be_checked()
    expect(page.locator("#wizard-restored")).to_be_visible()
    shot(page, "wizard-restored-after-reload", full_page=False)
    page.go_forward()
    shown_step(page, "step-sitting", 2)
    page.go_forward()
    shown_step(page, "step-thomas", 3)

    # the address cannot skip a step whose checks have not passed
    page.goto(f"{base}/assess?step=5")
    shown_step(page, "step-thomas", 3)

    page.check("#thomas_right_thigh-raised")
    page.fill("#thomas_right_knee", "72")
    next_step(page, "step-extension")
    fill_tight_extension(page)
    next_step(page, "step-review")
    page.click("#wizard-back")  # the page's Back is the browser's Back
    shown_step(page, "step-extension", 4)
    page.go_forward()
    shown_step(page, "step-review", 5)
    page.click("#wizard-submit")
    page.wait_for_url(f"{base}/plan")
    (saved,) = live_server.context.store.assessments()
    assert saved.assessment.sitting_hours == 9

    # saved: the answers are forgotten, a new wizard starts empty at its first step
    page.goto(f"{base}/assess")
    shown_step(page, "step-safety", 1)
    expect(page.locator("#wizard-restored")).to_have_count(0)
    for flag in RedFlag:
        expect(page.locator(f"#rf-{flag.value}-no")).not_to_be_checked()


def test_a_yes_to_a_safety_question_survives_a_reload(live_server: LiveServer, page: Page):
    page.goto(f"{live_server.url}/assess")
    flag = next(iter(RedFlag))
    answer_safety(page, yes=(flag,))
    expect(page.locator("#safety-stop-note")).to_be_visible()
    page.reload()
    shown_step(page, "step-safety", 1)
    expect(page.locator(f"#rf-{flag.value}-yes")).to_be_checked()
    expect(page.locator("#safety-stop-note")).to_be_visible()  # the red flag is not hidden
