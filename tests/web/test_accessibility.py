"""Accessibility in a real Chromium: axe-core on every page (and every wizard step and player
state) finds no serious or critical violation, in the light and the dark theme, on a desktop
and a phone; every control can be reached with the Tab key; the charts fit a phone."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from tests.web.conftest import LiveServer, shot
from tests.web.journey import (
    PAGES,
    answer_safety,
    fill_sitting,
    fill_tight_extension,
    fill_tight_thomas,
    next_step,
)

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

AXE = Axe()
SERIOUS = frozenset({"serious", "critical"})

#: Marks every control a keyboard user must reach and records what Tab reaches.
MARK_CONTROLS = """() => {
  const interactive = 'a[href], button, input, select, textarea, summary';
  const controls = [...document.querySelectorAll(`${interactive}, [tabindex]`)].filter((el) =>
    (el.matches(interactive) || el.getAttribute('tabindex') !== '-1')
    && !el.disabled && el.type !== 'hidden'
    && !el.closest('[inert], dialog:not([open])')
    && el.checkVisibility({ visibilityProperty: true }));
  window.__reached = new Set();
  document.addEventListener('focusin', (event) => {
    const mark = event.target.getAttribute && event.target.getAttribute('data-kb');
    if (mark !== null) window.__reached.add(mark);
  });
  return controls.map((el, index) => {
    el.setAttribute('data-kb', String(index));
    const text = (el.getAttribute('aria-label') || el.textContent || el.value || '').trim();
    const name = el.type === 'radio' ? 'radio:' + el.name : null;
    return { index: String(index), group: name,
             label: `${el.tagName.toLowerCase()}#${el.id || '?'} "${text.slice(0, 40)}"` };
  });
}"""


def serious_violations(page: Page, *, only: list[str] | None = None) -> list[str]:
    options: dict[str, Any] = {"resultTypes": ["violations"]}
    if only is not None:
        options["runOnly"] = only
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE.axe_script)  # axe-core, as axe-playwright-python ships it
    found = page.evaluate("(options) => axe.run(document, options)", options)["violations"]
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:5]}"
        for v in found
        if v["impact"] in SERIOUS
    ]


def assert_accessible(page: Page, where: str) -> None:
    """axe in the light theme, and its contrast check again in the dark one."""
    problems = serious_violations(page)
    page.emulate_media(color_scheme="dark")
    problems += [f"dark theme: {p}" for p in serious_violations(page, only=["color-contrast"])]
    page.emulate_media(color_scheme="light")
    assert not problems, f"{where}: " + "\n".join(problems)


def unreachable_by_keyboard(page: Page) -> list[str]:
    """Controls that Tab never focuses (one radio of a group is enough: arrows do the rest)."""
    controls: list[dict[str, str]] = page.evaluate(MARK_CONTROLS)
    page.evaluate("document.activeElement && document.activeElement.blur()")
    for _ in range(len(controls) + 5):
        page.keyboard.press("Tab")
    reached = set(page.evaluate("[...window.__reached]"))
    reached_groups = {c["group"] for c in controls if c["index"] in reached and c["group"]}
    return [
        c["label"]
        for c in controls
        if c["index"] not in reached and (c["group"] is None or c["group"] not in reached_groups)
    ]


def check_page(page: Page, where: str) -> None:
    assert_accessible(page, where)
    missed = unreachable_by_keyboard(page)
    assert not missed, f"{where}: not reachable with Tab: {missed}"


@pytest.fixture
def light_page(page: Page) -> Page:
    page.emulate_media(color_scheme="light")
    return page


@pytest.mark.parametrize(("name", "path"), [p for p in PAGES if p[0] != "assess"])
def test_page_is_accessible(seeded_server: LiveServer, light_page: Page, name: str, path: str):
    response = light_page.goto(f"{seeded_server.url}{path}")
    assert response is not None
    assert response.status == (404 if name == "not-found" else 200)
    check_page(light_page, path)


def test_home_before_the_first_assessment(live_server: LiveServer, light_page: Page):
    light_page.goto(f"{live_server.url}/")
    expect(light_page.locator("#start-assessment")).to_be_visible()
    check_page(light_page, "/ (new user)")


def test_every_wizard_step_and_its_error_messages(live_server: LiveServer, light_page: Page):
    page = light_page
    page.goto(f"{live_server.url}/assess")
    check_page(page, "/assess safety step")
    page.click("#wizard-next")  # nothing answered: the messages show
    expect(page.locator("#assess-error")).not_to_be_empty()
    assert_accessible(page, "/assess safety step with errors")
    answer_safety(page)
    next_step(page, "step-sitting")
    check_page(page, "/assess sitting step")
    fill_sitting(page)
    next_step(page, "step-thomas")
    check_page(page, "/assess Thomas test step")
    fill_tight_thomas(page)
    next_step(page, "step-extension")
    check_page(page, "/assess hip extension step")
    fill_tight_extension(page)
    next_step(page, "step-review")
    check_page(page, "/assess review step")


def test_the_player_while_playing_after_sharp_pain_and_at_the_end(
    live_server: LiveServer, light_page: Page
):
    page = light_page
    live_server.record_tight()
    page.goto(f"{live_server.url}/session?slot=morning")
    player = page.locator("#player")
    page.click("#btn-start")
    expect(player).to_have_attribute("data-state", "playing")
    page.click("#btn-skip")  # past the lead-in, into the first hold
    page.click("#btn-pause")
    expect(player).to_have_attribute("data-state", "paused")
    check_page(page, "/session paused in a hold")
    page.click("#btn-sharp-pain")
    expect(player).to_have_attribute("data-state", "sharp-pain")
    check_page(page, "/session after sharp pain")
    page.click("#btn-end")
    expect(player).to_have_attribute("data-state", "finished")
    check_page(page, "/session finished")


def test_the_quit_dialog_keeps_focus_inside(live_server: LiveServer, light_page: Page):
    page = light_page
    page.goto(f"{live_server.url}/break")
    page.click("#btn-start")
    page.click("#btn-quit")
    expect(page.locator("#quit-dialog")).to_be_visible()
    assert_accessible(page, "/break quit dialog")
    focused = set()
    for _ in range(6):
        page.keyboard.press("Tab")
        focused.add(page.evaluate("document.activeElement.id"))
    assert {"quit-confirm", "quit-cancel"} <= focused
    assert focused <= {"quit-confirm", "quit-cancel", ""}
    page.keyboard.press("Escape")
    expect(page.locator("#quit-dialog")).to_be_hidden()


def test_the_safety_questions_due_again(live_server: LiveServer, light_page: Page):
    """After a pain rise: the notice on home, plan and today, and the safety-only wizard."""
    from fastapi.testclient import TestClient

    from tests.web.conftest import API, arm_csrf

    live_server.record_tight()
    with TestClient(live_server.app) as api:
        arm_csrf(api)
        body = {"slot": "morning", "pain_before": 2, "pain_after": 6}
        assert api.post(f"{API}/logs/sessions", json=body).status_code == 201
    for path in ("/", "/plan", "/today"):
        light_page.goto(f"{live_server.url}{path}")
        expect(light_page.locator("#recheck-notice")).to_be_visible()
        check_page(light_page, f"{path} (safety questions due again)")
    light_page.goto(f"{live_server.url}/assess?safety=1")
    light_page.click("#wizard-submit")  # nothing answered: the messages show
    expect(light_page.locator("#assess-error")).not_to_be_empty()
    assert_accessible(light_page, "/assess?safety=1 with errors")


PHONE = {"width": 375, "height": 812}


@pytest.fixture
def phone_page(browser: Browser) -> Iterator[Page]:
    """One phone-sized page (375x812) reused for every page of a test."""
    context = browser.new_context(viewport=PHONE, color_scheme="light", reduced_motion="reduce")
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()


def test_every_page_on_a_phone_in_both_themes(seeded_server: LiveServer, phone_page: Page):
    """axe at 375x812: every rule in the light theme, the contrast again in the dark one (the
    desktop size is test_page_is_accessible); and no page is wider than the screen."""
    problems: list[str] = []
    for name, path in PAGES:
        if name == "assess":
            continue  # every wizard step: test_every_wizard_step_and_its_error_messages
        phone_page.goto(f"{seeded_server.url}{path}")
        problems += [f"{path} phone: {p}" for p in serious_violations(phone_page)]
        phone_page.emulate_media(color_scheme="dark")
        dark = serious_violations(phone_page, only=["color-contrast"])
        problems += [f"{path} phone, dark theme: {p}" for p in dark]
        phone_page.emulate_media(color_scheme="light")
        if name == "plan":
            shot(phone_page, "plan-phone")  # opens with today; cards collapsed
        width = phone_page.evaluate("document.documentElement.scrollWidth")
        if width > PHONE["width"]:
            problems.append(f"{path} phone: the page is {width} px wide")
    assert not problems, "\n".join(problems)


def test_the_charts_fit_a_phone_and_follow_the_theme(seeded_server: LiveServer, phone_page: Page):
    page = phone_page
    page.goto(f"{seeded_server.url}/progress")
    charts = page.locator("figure.chart svg")
    expect(charts).to_have_count(3)
    for details in page.locator("details.chart-data").all():
        details.locator("summary").click()  # the tables open too, and still fit
    for scheme in ("light", "dark"):
        page.emulate_media(color_scheme=scheme)
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        for index in range(3):
            box = charts.nth(index).bounding_box()
            assert box is not None
            assert box["x"] >= 0
            assert box["x"] + box["width"] <= PHONE["width"]
            assert box["width"] >= 300  # scaled to the screen, not shrunk to a stamp
        background = charts.first.evaluate("(svg) => getComputedStyle(svg).backgroundColor")
        text = page.locator(".chart-svg .ch-ink").first.evaluate(
            "(el) => getComputedStyle(el).fill"
        )
        page_text = page.evaluate("getComputedStyle(document.body).color")
        assert text == page_text  # the chart's words in the theme's text colour
        if scheme == "dark":
            assert background != "rgb(255, 255, 255)"
        assert not serious_violations(page, only=["color-contrast"])
        shot(page, f"progress-phone-{scheme}")
    # The week table scrolls inside its own box instead of widening the page.
    table = page.locator("#weeks-table")
    holder = page.locator(".table-scroll:has(#weeks-table)")
    holder_box = holder.bounding_box()
    assert holder_box is not None
    assert holder_box["x"] + holder_box["width"] <= PHONE["width"]
    assert table.evaluate("(t) => getComputedStyle(t.parentElement).overflowX") == "auto"
