"""The drawn pictures on the pages: every exercise page shows its picture in the light and
the dark theme (seen in Chromium, with screenshots), the still key positions under reduced
motion, the player's picture follows the current side, and the plan, wizard and pages
carry them only while exercise is allowed."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest
from fastapi.testclient import TestClient
from playwright.sync_api import expect

from hipflex.content import load_content
from hipflex.domain.ids import ExerciseId
from hipflex.services.pictures import sides_drawn
from tests.web.conftest import LiveServer, record_tight, shot

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

EXERCISES = [e.value for e in ExerciseId]


def _channels(css: str) -> tuple[float, ...]:
    found = re.findall(r"[\d.]+", css)
    return tuple(float(v) for v in found[:3])


def _luminance(css: str) -> float:
    def linear(c: float) -> float:
        c /= 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (linear(c) for c in _channels(css))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


@pytest.fixture
def moving_page(browser: Browser) -> Iterator[Page]:
    """A desktop page that allows motion (the shared `page` asks for reduced motion)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, color_scheme="light")
    context.set_default_timeout(10_000)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page
    context.close()
    assert not errors, f"JavaScript errors on the page: {errors}"


COLOURS = """() => {
  const svg = document.querySelector(".hf-picture svg.hf-moving");
  const body = svg.querySelector(".hf-body");
  const work = svg.querySelector(".hf-work");
  const box = svg.getBoundingClientRect();
  return {
    body: getComputedStyle(body).stroke,
    work: work ? getComputedStyle(work).stroke : null,
    page: getComputedStyle(document.body).backgroundColor,
    width: box.width, height: box.height,
    label: svg.getAttribute("aria-label"),
    role: svg.getAttribute("role"),
  };
}"""


def test_every_exercise_page_shows_its_picture_in_both_themes(
    seeded_server: LiveServer, moving_page: Page
):
    page = moving_page
    content = load_content()
    for scheme in ("light", "dark"):
        page.emulate_media(color_scheme=scheme)
        for exercise_id in EXERCISES:
            page.goto(f"{seeded_server.url}/exercises/{exercise_id}")
            picture = page.locator(".hf-picture svg.hf-moving")
            expect(picture).to_be_visible()
            expect(page.locator(".hf-picture svg.hf-still")).to_be_hidden()
            seen = page.evaluate(COLOURS)
            name = content.exercise(exercise_id).name
            assert seen["role"] == "img"
            assert seen["label"].startswith(name), seen["label"]
            assert seen["width"] > 200, (exercise_id, scheme)
            assert seen["height"] > 80, (exercise_id, scheme)
            # The figure is drawn in the theme's text colour, the working leg in its accent:
            # both stand out from the page (WCAG 1.4.11 asks 3:1 of graphics).
            assert contrast(seen["body"], seen["page"]) >= 3, (exercise_id, scheme, seen)
            if seen["work"] is not None:
                assert contrast(seen["work"], seen["page"]) >= 3, (exercise_id, scheme, seen)
            if exercise_id == ExerciseId.COUCH_STRETCH:
                shot(page, f"exercise-picture-{scheme}", full_page=False)
        dark_text = _luminance(seen["body"]) > _luminance(seen["page"])
        assert dark_text == (scheme == "dark")


def test_reduced_motion_shows_the_key_positions_side_by_side(seeded_server: LiveServer, page: Page):
    page.goto(f"{seeded_server.url}/exercises/glute_bridge")  # `page` asks for reduced motion
    expect(page.locator(".hf-picture svg.hf-still")).to_be_visible()
    expect(page.locator(".hf-picture svg.hf-moving")).to_be_hidden()
    expect(page.locator(".hf-picture svg.hf-still text")).to_have_count(2)


def test_the_player_shows_the_current_exercise_from_the_current_side(
    live_server: LiveServer, moving_page: Page
):
    page = moving_page
    live_server.record_tight()
    page.goto(f"{live_server.url}/session?slot=morning")
    page.click("#btn-start")
    player = page.locator("#player")
    expect(player).to_have_attribute("data-state", "playing")
    shown = page.locator("#player-pictures > div:not([hidden])")
    expect(shown).to_have_count(1)
    first = player.get_attribute("data-exercise")
    assert first
    expect(shown).to_have_attribute("data-exercise", first)
    # Getting ready (no side yet): the side the holds start on, the domain's first.
    expect(shown).to_have_attribute("data-side", sides_drawn(first)[0])
    page.click("#btn-skip")  # past the lead-in, into the first hold of one side
    side = player.get_attribute("data-side")
    assert side in ("left", "right")
    expect(shown).to_have_attribute("data-side", side)
    expect(shown.locator("svg.hf-moving")).to_be_visible()
    label = shown.locator("svg.hf-moving").get_attribute("aria-label") or ""
    assert f"{side} side" in label
    moving = shown.locator("svg.hf-moving")
    assert moving.evaluate("svg => svg.animationsPaused()") is False
    hidden = page.locator("#player-pictures > div[hidden] svg.hf-moving")
    assert all(hidden.evaluate_all("all => all.map((svg) => svg.animationsPaused())"))
    page.click("#btn-pause")
    expect(player).to_have_attribute("data-state", "paused")
    assert moving.evaluate("svg => svg.animationsPaused()") is True  # still while paused
    shown.scroll_into_view_if_needed()
    shot(page, "player-picture", full_page=False)


@pytest.fixture
def screened(client: TestClient) -> TestClient:
    record_tight(client)
    return client


def test_the_plan_cards_the_wizard_and_the_tests_page_carry_the_pictures(screened: TestClient):
    plan = screened.get("/plan").text
    cards = re.findall(r'<article class="card exercise-card[^"]*" id="card-(\w+)"', plan)
    assert cards
    for exercise_id in cards:
        name = load_content().exercise(exercise_id).name
        assert f'aria-label="{name}' in plan, exercise_id
    wizard = screened.get("/assess").text
    learn = screened.get("/learn/tests").text
    for test in load_content().self_tests.values():
        assert f'aria-label="{test.name}: how to do it"' in wizard
        assert f'aria-label="{test.name}: how to do it"' in learn


def test_the_player_draws_each_exercise_of_the_session_from_both_sides(screened: TestClient):
    page = screened.get("/session?slot=morning").text
    drawn = re.findall(r'data-exercise="(\w+)" data-side="(left|right|any)"', page)
    assert drawn
    content = load_content()
    for exercise_id in {e for e, _ in drawn}:
        sides = sorted(side for e, side in drawn if e == exercise_id)
        per_side = content.exercise(exercise_id).dosage.per_side
        assert sides == (["left", "right"] if per_side else ["any"]), exercise_id
    assert page.count('class="hf-figure hf-moving"') == len(drawn)
