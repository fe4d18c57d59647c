"""End to end in a real Chromium against the app on a loopback port: a new user's first day,
and a red flag that ends on the safety page."""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

import httpx
import pytest
from playwright.sync_api import expect

from hipflex.domain.protocol import RedFlag
from hipflex.domain.tracking import SessionSource
from tests.web.conftest import API, LiveServer, shot
from tests.web.journey import (
    PAGES,
    answer_safety,
    fill_sitting,
    fill_tight_extension,
    fill_tight_thomas,
    next_step,
    with_speed,
)

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page


def test_a_new_user_assesses_plans_runs_a_session_and_logs_pain(
    live_server: LiveServer, page: Page
):
    base = live_server.url
    page.goto(f"{base}/")
    shot(page, "e2e-01-home")
    page.click("#start-assessment")
    page.wait_for_url(f"{base}/assess")

    # The wizard, one step at a time; the page checks answers before moving on.
    answer_safety(page)
    next_step(page, "step-sitting")
    page.click("#wizard-next")  # nothing entered: the page says what is missing
    expect(page.locator("#sitting_hours-error")).not_to_be_empty()
    expect(page.locator("#sitting_hours")).to_have_attribute("aria-invalid", "true")
    fill_sitting(page)
    next_step(page, "step-thomas")
    shot(page, "e2e-02-assess-thomas")
    fill_tight_thomas(page)
    next_step(page, "step-extension")
    fill_tight_extension(page)
    next_step(page, "step-review")
    expect(page.locator("#wizard-submit")).to_be_visible()
    page.click("#wizard-submit")

    # Results and the plan.
    page.wait_for_url(f"{base}/plan")
    expect(page.locator("#findings-left")).to_be_visible()
    expect(page.locator("#findings-right")).to_be_visible()
    expect(page.locator("#programme-heading")).to_contain_text("Week 1 of 6")
    expect(page.locator("#card-half_kneeling_hip_flexor")).to_be_visible()
    expect(page.locator("#card-couch_stretch")).to_have_count(0)
    shot(page, "e2e-03-plan")
    (recorded,) = live_server.context.store.assessments()
    assert recorded.assessment.safe_to_exercise
    assert recorded.assessment.sitting_hours == 9

    # Today, then the next session on a fast clock, played to its end.
    page.goto(f"{base}/today")
    expect(page.locator("#timeline li.is-next").first).to_be_visible()
    expect(page.locator("#timeline")).to_contain_text("Next session")
    shot(page, "e2e-04-today")
    href = page.get_attribute("#start-session", "href")
    assert href is not None
    assert href.startswith("/session")
    page.goto(f"{base}{with_speed(href)}")
    player = page.locator("#player")
    expect(player).to_have_attribute("data-state", "ready")
    page.check("#pain-before-3")
    page.click("#btn-start")
    expect(player).to_have_attribute("data-state", "finished", timeout=30_000)
    expect(page.locator("#finish-heading")).to_contain_text("Well done")
    page.check("#pain-after-2")
    page.fill("#finish-note", "felt looser")
    page.click("#btn-save")
    expect(page.locator("#finish-message")).to_contain_text("Saved")
    shot(page, "e2e-05-session-finished")

    # Every completed hold or set is in the store, once, in order.
    slot = player.get_attribute("data-slot") or href.partition("slot=")[2]
    script = httpx.get(f"{base}{API}/sessions/script", params={"slot": slot}).json()
    expected = [
        (s["exercise_id"], s["side"], s["number"] or 1) for s in script["steps"] if s["records"]
    ]
    (log,) = live_server.context.store.session_logs()
    assert log.source is SessionSource.GUIDED
    assert log.slot is not None
    assert log.slot.value == slot
    assert (log.pain_before, log.pain_after, log.note) == (3, 2, "felt looser")
    assert log.ended_at is not None
    logged = [(e.exercise_id.value, e.side and e.side.value, e.set_number) for e in log.entries]
    assert logged == expected
    assert not any(e.skipped or e.sharp_pain for e in log.entries)

    # Log pain; it shows on the progress page.
    page.goto(f"{base}/log")
    page.check("#pain-score-7")
    page.click("#pain-form button[type=submit]")
    expect(page.locator("#pain-message")).to_contain_text("Saved")
    shot(page, "e2e-06-log")
    assert [r.score for r in live_server.context.store.pain_ratings()] == [7]
    page.goto(f"{base}/progress")
    first_week = page.locator("#weeks-table tbody tr").first
    expect(first_week).to_contain_text("7.0")
    expect(first_week).to_contain_text("1")  # sessions done
    expect(page.locator("#chart-pain svg")).to_be_visible()
    expect(page.locator("#download-report")).to_have_attribute("href", f"{API}/report.pdf")
    shot(page, "e2e-07-progress")


def test_a_skipped_session_logs_nothing_it_did_not_do(live_server: LiveServer, page: Page):
    live_server.record_tight()
    page.goto(f"{live_server.url}/session?slot=morning")
    player = page.locator("#player")
    page.click("#btn-start")
    expect(player).to_have_attribute("data-state", "playing")
    while player.get_attribute("data-state") == "playing":
        page.click("#btn-skip")
    expect(player).to_have_attribute("data-state", "finished")
    page.click("#btn-save")
    expect(page.locator("#finish-message")).to_contain_text("Saved")
    (log,) = live_server.context.store.session_logs()
    assert log.entries == ()
    assert log.ended_at is not None


def test_sharp_pain_in_the_player_pauses_the_exercise(live_server: LiveServer, page: Page):
    live_server.record_tight()
    page.goto(f"{live_server.url}/session?slot=morning")
    player = page.locator("#player")
    page.click("#btn-start")
    expect(player).to_have_attribute("data-state", "playing")
    while not page.locator("#step-title").inner_text().startswith("Half-kneeling"):
        page.click("#btn-skip")
    page.click("#btn-sharp-pain")
    expect(player).to_have_attribute("data-state", "sharp-pain")
    expect(page.locator("#pain-stop")).to_be_visible()
    shot(page, "e2e-sharp-pain")
    page.click("#btn-end")
    expect(player).to_have_attribute("data-state", "finished")
    (log,) = live_server.context.store.session_logs()
    assert [(e.exercise_id.value, e.sharp_pain) for e in log.entries] == [
        ("half_kneeling_hip_flexor", True)
    ]
    # sharp pain asks the safety questions again: no plan until they are answered
    page.goto(f"{live_server.url}/plan")
    expect(page.locator("#recheck-notice")).to_be_visible()
    expect(page.locator("article[id^=card-]")).to_have_count(0)
    page.click("#recheck-start")
    page.wait_for_url(f"{live_server.url}/assess?safety=1")
    expect(page.locator("#step-sitting")).to_have_count(0)  # the safety questions only
    answer_safety(page)
    shot(page, "e2e-safety-check")
    page.click("#wizard-submit")
    page.wait_for_url(f"{live_server.url}/plan")
    expect(page.locator("#card-pigeon_pose")).to_be_visible()
    expect(page.locator("#card-half_kneeling_hip_flexor")).to_have_count(0)
    newest = live_server.context.store.latest_assessment()
    assert newest is not None
    assert newest.kind.value == "safety_check"


def test_a_safety_check_with_a_red_flag_ends_on_the_safety_page(
    live_server: LiveServer, page: Page
):
    live_server.record_tight()
    page.goto(f"{live_server.url}/assess?safety=1")
    answer_safety(page, yes=(RedFlag.LEG_WEAKNESS,))
    expect(page.locator("#safety-stop-note")).to_be_visible()
    page.click("#wizard-submit")
    page.wait_for_url(f"{live_server.url}/safety")
    expect(page.locator("#flagged")).to_contain_text("weak", ignore_case=True)
    page.goto(f"{live_server.url}/plan")
    expect(page.locator("#safety-advice")).to_be_visible()
    expect(page.locator("article[id^=card-]")).to_have_count(0)


def test_a_red_flag_ends_on_the_safety_page_with_no_plan(live_server: LiveServer, page: Page):
    base = live_server.url
    page.goto(f"{base}/assess")
    answer_safety(page, yes=(RedFlag.SADDLE_NUMBNESS,))
    expect(page.locator("#safety-stop-note")).to_be_visible()
    page.click("#wizard-next")
    page.wait_for_url(f"{base}/safety")
    expect(page.locator("#safety-advice")).to_be_visible()
    expect(page.locator("#flagged")).to_contain_text("numb", ignore_case=True)
    shot(page, "e2e-safety")
    (recorded,) = live_server.context.store.assessments()
    assert recorded.assessment.red_flags == frozenset({RedFlag.SADDLE_NUMBNESS})
    assert not recorded.assessment.safe_to_exercise

    page.goto(f"{base}/plan")
    expect(page.locator("#safety-advice")).to_be_visible()
    expect(page.locator("article[id^=card-]")).to_have_count(0)
    plan = httpx.get(f"{base}{API}/plan").json()
    assert plan["safe_to_exercise"] is False
    assert plan["sessions"] == []


def _luminance(css_colour: str) -> float:
    """0 (black) to 1 (white) for an `rgb(...)`/`rgba(...)` colour."""
    numbers = css_colour[css_colour.index("(") + 1 : css_colour.index(")")].split(",")
    red, green, blue = (float(n) for n in numbers[:3])
    return (0.2126 * red + 0.7152 * green + 0.0722 * blue) / 255


@pytest.mark.parametrize("width", [360, 1280])
def test_every_page_at_phone_and_desktop_widths_in_both_themes(
    seeded_server: LiveServer, browser: Browser, width: int
):
    """Screenshots of each page's first screen, light and dark, kept in
    test-artifacts/screenshots/ (the journey above keeps whole pages); no page scrolls
    sideways; the theme follows the system's choice."""
    context = browser.new_context(viewport={"width": width, "height": 800}, reduced_motion="reduce")
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    problems = []
    for name, path in PAGES:
        page.emulate_media(color_scheme="light")
        response = page.goto(f"{seeded_server.url}{path}")
        assert response is not None
        assert response.status == (404 if name == "not-found" else 200), path
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        if overflow > 0:
            problems.append(f"{path} scrolls sideways by {overflow} px at {width} px")
        schemes: tuple[Literal["light", "dark"], ...] = ("light", "dark")
        for scheme in schemes:
            page.emulate_media(color_scheme=scheme)
            background = page.evaluate("getComputedStyle(document.body).backgroundColor")
            if (_luminance(background) < 0.5) != (scheme == "dark"):
                problems.append(f"{path}: background {background} in the {scheme} theme")
            shot(page, f"{name}-{width}-{scheme}", full_page=False)
    context.close()
    assert not errors, errors
    assert not problems, problems


def test_log_forms_check_in_the_page_and_save(live_server: LiveServer, page: Page):
    live_server.record_tight()
    page.goto(f"{live_server.url}/log")
    page.fill("#sitting-hours", "30")
    page.click("#sitting-form button[type=submit]")
    expect(page.locator("#sitting-hours-error")).to_contain_text("0 to 24")
    expect(page.locator("#sitting-hours")).to_have_attribute("aria-invalid", "true")
    page.fill("#sitting-hours", "7.5")
    page.click("#sitting-form button[type=submit]")
    expect(page.locator("#sitting-message")).to_contain_text("Saved")
    page.fill("#note-text", "hips felt looser after the walk")
    page.click("#note-form button[type=submit]")
    expect(page.locator("#note-message")).to_contain_text("Saved")
    store = live_server.context.store
    assert [e.hours for e in store.sitting_entries()] == [7.5]
    assert [n.text for n in store.notes()] == ["hips felt looser after the walk"]


def test_settings_are_saved_through_the_api(live_server: LiveServer, page: Page):
    live_server.record_tight()
    page.goto(f"{live_server.url}/settings")
    page.check("#sessions-3")
    page.fill("#break-minutes", "30")
    page.click("#settings-form button[type=submit]")
    expect(page.locator("#settings-message")).to_contain_text("Saved")
    preferences = live_server.context.store.preferences()
    assert (preferences.sessions_per_day, preferences.break_minutes) == (3, 30)
    page.goto(f"{live_server.url}/plan")
    expect(page.get_by_role("link", name="Start the midday session")).to_be_visible()


def test_the_theme_toggle_is_remembered(live_server: LiveServer, page: Page):
    page.goto(f"{live_server.url}/learn")
    toggle = page.locator("#theme-toggle")
    expect(toggle).to_have_attribute("aria-pressed", "false")
    toggle.click()
    expect(page.locator("html")).to_have_attribute("data-theme", "dark")
    expect(toggle).to_have_attribute("aria-pressed", "true")
    page.goto(f"{live_server.url}/exercises")
    expect(page.locator("html")).to_have_attribute("data-theme", "dark")
    expect(page.locator("#theme-toggle")).to_have_attribute("aria-pressed", "true")


def test_the_wizard_works_without_javascript(live_server: LiveServer, browser: Browser):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{live_server.url}/assess")
    answer_safety(page)
    fill_sitting(page)
    fill_tight_thomas(page)
    fill_tight_extension(page)
    page.click("#wizard-submit")
    page.wait_for_url(f"{live_server.url}/plan")
    expect(page.locator("#card-half_kneeling_hip_flexor")).to_be_visible()
    context.close()
    (recorded,) = live_server.context.store.assessments()
    assert recorded.assessment.safe_to_exercise


def test_the_safety_check_works_without_javascript(live_server: LiveServer, browser: Browser):
    live_server.record_tight()
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{live_server.url}/assess?safety=1")
    answer_safety(page)
    page.click("#wizard-submit")
    page.wait_for_url(f"{live_server.url}/plan")
    expect(page.locator("#card-half_kneeling_hip_flexor")).to_be_visible()
    context.close()
    newest = live_server.context.store.latest_assessment()
    assert newest is not None
    assert newest.kind.value == "safety_check"
    assert newest.assessment.safe_to_exercise
