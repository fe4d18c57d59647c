"""Nothing lost on reload (issue 14), in Chromium: the wizard keeps its answers and step
across a reload and moves between steps with the browser's Back and Forward; the player
resumes a reloaded session with its pain rating, and queues the holds it completes while
the server is away, sending each once when it is back."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import pytest
from playwright.sync_api import expect

from hipflex.domain.protocol import RedFlag
from tests.web.conftest import LiveServer, shot
from tests.web.journey import (
    answer_safety,
    fill_sitting,
    fill_tight_extension,
    next_step,
)
from tests.web.test_player_page import (
    SPEED,
    logged,
    logs,
    morning_script,
    records,
    step_key,
    wait_for_entries,
)

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page, Route


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


# --- the player ------------------------------------------------------------------------

OUTBOX = "hipflex.player.outbox"  # static/js/entry-queue.js


def start_the_morning_session(server: LiveServer, page: Page, pain: int | None = None) -> None:
    page.goto(f"{server.url}/session?slot=morning&speed={SPEED}")
    expect(page.locator("#btn-start")).to_be_enabled()
    if pain is not None:
        page.check(f"#pain-before-{pain}")
    page.click("#btn-start")
    expect(page.locator("#player")).to_have_attribute("data-state", "playing")


def test_the_pain_before_survives_a_reload_before_and_during_the_session_and_ends_in_a_summary(
    live_server: LiveServer, page: Page
):
    live_server.record_tight()
    script = morning_script(live_server)
    first, second = records(script)[:2]
    page.goto(f"{live_server.url}/session?slot=morning&speed={SPEED}")
    page.check("#pain-before-4")
    page.reload()  # before the start: the rating is still chosen
    expect(page.locator("#pain-before-4")).to_be_checked()
    page.click("#btn-start")
    player = page.locator("#player")
    expect(player).to_have_attribute("data-step", str(first + 1), timeout=15_000)
    page.click("#btn-pause")
    wait_for_entries(live_server, 1)

    page.reload()  # mid-session: offered to resume, with the pain rating kept
    expect(page.locator("#resume-text")).to_contain_text("Your pain before it was 4 of 10")
    page.click("#btn-resume")
    expect(player).to_have_attribute("data-step", str(second + 1), timeout=15_000)
    page.click("#btn-quit")
    page.click("#quit-confirm")
    page.check("#pain-after-3")
    page.click("#btn-save")
    expect(page.locator("#finish-message")).to_contain_text("Saved")
    summary = page.locator("#summary")
    expect(summary).to_be_visible()
    name = script["steps"][first]["title"].split(",")[0]
    expect(page.locator("#summary-done li")).to_have_count(2)  # one hold on each side
    expect(page.locator("#summary-done li").first).to_contain_text(f"{name}, left side: 1 hold")
    expect(page.locator("#summary-pain")).to_have_text("4 of 10 before, 3 of 10 after")
    expect(page.locator("#summary-streak")).to_contain_text("Day 1 of a new streak")
    shot(page, "player-summary")
    (log,) = logs(live_server)
    assert (log.pain_before, log.pain_after) == (4, 3)
    assert logged(log) == [step_key(script, first), step_key(script, second)]


def test_holds_finished_while_the_server_is_away_are_sent_once_when_it_is_back(
    live_server: LiveServer, page: Page
):
    live_server.record_tight()
    script = morning_script(live_server)
    first, second = records(script)[:2]
    answered: list[str] = []

    def server_away(route: Route) -> None:
        if not answered:  # the first arrives, but its answer is lost on the way back
            answered.append(route.fetch().text())
        route.abort()

    page.route("**/api/v1/sessions/*/entries", server_away)
    start_the_morning_session(live_server, page)
    player = page.locator("#player")
    # the player keeps timing: two holds finish while nothing gets an answer
    expect(player).to_have_attribute("data-step", str(second + 1), timeout=15_000)
    page.click("#btn-pause")
    expect(page.locator("#player-message")).to_contain_text("Can't reach hipflex")
    waiting = page.evaluate(f"JSON.parse(localStorage.getItem('{OUTBOX}'))")
    assert [item["body"]["exercise_id"] for item in waiting] == [
        script["steps"][i]["exercise_id"] for i in (first, second)
    ]
    (log,) = logs(live_server)
    assert logged(log) == [step_key(script, first)]  # the one whose answer was lost

    page.unroute("**/api/v1/sessions/*/entries")  # the server is back
    expect(player).to_have_attribute("data-outbox", "0", timeout=15_000)
    expect(page.locator("#player-message")).to_have_text("")
    assert page.evaluate(f"localStorage.getItem('{OUTBOX}')") is None
    (log,) = logs(live_server)
    assert logged(log) == [step_key(script, first), step_key(script, second)]  # each once


def test_a_409_on_resend_counts_as_saved(live_server: LiveServer, page: Page):
    live_server.record_tight()
    first = records(morning_script(live_server))[0]
    page.route(
        "**/api/v1/sessions/*/entries",
        lambda route: route.fulfill(status=409, json={"detail": "already logged"}),
    )
    start_the_morning_session(live_server, page)
    player = page.locator("#player")
    expect(player).to_have_attribute("data-step", str(first + 1), timeout=15_000)
    page.click("#btn-pause")
    expect(player).to_have_attribute("data-outbox", "0")
    expect(page.locator("#player-message")).to_have_text("")  # not an error: already saved


@pytest.mark.parametrize("size", [(1280, 800), (375, 812)])
def test_the_sharp_pain_button_is_always_on_screen(
    live_server: LiveServer, browser: Browser, size: tuple[int, int]
):
    live_server.record_tight()
    width, height = size
    touch = width < 600
    context = browser.new_context(
        viewport={"width": width, "height": height}, has_touch=touch, is_mobile=touch
    )
    page = context.new_page()
    try:
        start_the_morning_session(live_server, page)
        page.click("#btn-pause")
        button = page.locator("#btn-sharp-pain")
        for where in (
            "window.scrollTo(0, 0)",
            "document.getElementById('up-next').scrollIntoView()",
        ):
            page.evaluate(where)
            box = button.bounding_box()
            assert box is not None
            assert box["y"] >= 0, (where, box)
            assert box["y"] + box["height"] <= height, (where, box)
            assert box["x"] >= 0, (where, box)
            assert box["x"] + box["width"] <= width, (where, box)
        shot(page, f"player-sharp-pain-{width}", full_page=False)
        # keyboard hints only where there is a keyboard
        hints = expect(page.locator(".shortcuts"))
        if touch:
            hints.to_be_hidden()
        else:
            hints.to_be_visible()
    finally:
        context.close()
