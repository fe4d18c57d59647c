"""The player page in Chromium: sharp pain waits for your choice, a session stopped by a
reload resumes where it stopped (each hold logged once), "Start again" closes the old log,
and a pain rise of 2 points is a warning at the end."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

import httpx
from playwright.sync_api import expect

from hipflex.domain.progression import pain_rise_warning
from hipflex.domain.tracking import SessionLog
from tests.web.conftest import API, LiveServer, shot

if TYPE_CHECKING:
    from playwright.sync_api import Page

#: Slow enough to act between two holds (a 30 s hold takes 1.5 s), fast enough to finish.
SPEED = 20


def morning_script(server: LiveServer) -> dict[str, Any]:
    script: dict[str, Any] = httpx.get(
        f"{server.url}{API}/sessions/script", params={"slot": "morning"}
    ).json()
    return script


def records(script: dict[str, Any]) -> list[int]:
    return [i for i, step in enumerate(script["steps"]) if step["records"]]


def logs(server: LiveServer) -> list[SessionLog]:
    return server.context.store.session_logs()


def wait_for_entries(server: LiveServer, count: int, timeout: float = 10.0) -> SessionLog:
    """The only log, once it holds `count` entries (posting is asynchronous)."""
    deadline = time.monotonic() + timeout
    while True:
        found = logs(server)
        if found and len(found[-1].entries) >= count:
            return found[-1]
        assert time.monotonic() < deadline, f"no {count} entries in time: {found}"
        time.sleep(0.05)


def logged(log: SessionLog) -> list[tuple[str, str | None, int]]:
    return [(e.exercise_id.value, e.side and e.side.value, e.set_number) for e in log.entries]


def step_key(script: dict[str, Any], index: int) -> tuple[str, str | None, int]:
    step = script["steps"][index]
    return (step["exercise_id"], step["side"], step["number"] or 1)


def start_and_complete_the_first_hold(server: LiveServer, page: Page) -> dict[str, Any]:
    """Start the morning session on a fast clock; pause once its first hold is logged."""
    script = morning_script(server)
    first = records(script)[0]
    page.goto(f"{server.url}/session?slot=morning&speed={SPEED}")
    player = page.locator("#player")
    page.check("#pain-before-4")
    page.click("#btn-start")
    expect(player).to_have_attribute("data-step", str(first + 1), timeout=15_000)
    page.click("#btn-pause")
    expect(player).to_have_attribute("data-state", "paused")
    wait_for_entries(server, 1)
    return script


def test_a_reloaded_session_resumes_where_it_stopped_and_logs_each_hold_once(
    live_server: LiveServer, page: Page
):
    live_server.record_tight()
    script = start_and_complete_the_first_hold(live_server, page)
    first, second = records(script)[:2]
    (log,) = logs(live_server)
    assert logged(log) == [step_key(script, first)]

    page.reload()  # the tab is reloaded mid-session: the page offers to resume
    expect(page.locator("#resume")).to_be_visible()
    expect(page.locator("#before")).to_be_hidden()
    offered = httpx.get(f"{live_server.url}{API}/sessions/interrupted").json()
    assert offered["id"] == log.id
    resume_at = offered["resume_at"]
    assert resume_at == second  # the next hold (what lies between is a rest)
    expect(page.locator("#resume-text")).to_contain_text(script["steps"][second]["title"])
    shot(page, "player-resume-offer")
    page.click("#btn-resume")
    page.click("#btn-pause")  # hold it there to look
    player = page.locator("#player")
    expect(player).to_have_attribute("data-state", "paused")
    expect(player).to_have_attribute("data-step", str(resume_at))
    expect(page.locator("#step-title")).to_have_text(script["steps"][resume_at]["title"])

    # Back to the first hold (logged before the reload) and on: it is not logged again.
    page.click("#btn-back")
    page.click("#btn-back")
    expect(player).to_have_attribute("data-step", str(first))
    page.click("#btn-pause")  # resume
    expect(player).to_have_attribute("data-step", str(second + 1), timeout=15_000)
    page.click("#btn-quit")
    page.click("#quit-confirm")
    expect(player).to_have_attribute("data-state", "finished")
    page.check("#pain-after-3")
    page.click("#btn-save")
    expect(page.locator("#finish-message")).to_contain_text("Saved")
    expect(page.locator("#pain-warning")).to_be_hidden()  # 4 to 3: no rise

    (log,) = logs(live_server)  # one session, resumed, closed
    assert log.ended_at is not None
    assert (log.pain_before, log.pain_after) == (4, 3)
    assert logged(log) == [step_key(script, first), step_key(script, second)]


def test_start_again_closes_the_stopped_session_and_starts_a_new_one(
    live_server: LiveServer, page: Page
):
    live_server.record_tight()
    script = start_and_complete_the_first_hold(live_server, page)
    page.reload()
    expect(page.locator("#resume")).to_be_visible()
    page.click("#btn-start-again")
    expect(page.locator("#resume")).to_be_hidden()
    expect(page.locator("#before")).to_be_visible()
    (old,) = logs(live_server)
    assert old.ended_at is not None  # closed as it stood
    assert logged(old) == [step_key(script, records(script)[0])]
    assert httpx.get(f"{live_server.url}{API}/sessions/interrupted").json() is None

    page.click("#btn-start")
    player = page.locator("#player")
    expect(player).to_have_attribute("data-state", "playing")
    expect(player).to_have_attribute("data-step", "0")
    closed, new = logs(live_server)
    assert closed.id == old.id
    assert (new.ended_at, new.entries) == (None, ())


def test_no_offer_without_a_stopped_session_and_start_waits_for_the_answer(
    live_server: LiveServer, page: Page
):
    live_server.record_tight()
    page.goto(f"{live_server.url}/session?slot=morning")
    expect(page.locator("#btn-start")).to_be_enabled()
    expect(page.locator("#resume")).to_be_hidden()
    expect(page.locator("#before")).to_be_visible()


def test_after_sharp_pain_go_on_plays_the_next_exercise(live_server: LiveServer, page: Page):
    live_server.record_tight()
    script = morning_script(live_server)
    steps = script["steps"]
    page.goto(f"{live_server.url}/session?slot=morning")
    player = page.locator("#player")
    page.click("#btn-start")
    page.click("#btn-skip")  # into the first hold
    hurt = steps[1]["exercise_id"]
    page.click("#btn-sharp-pain")
    expect(player).to_have_attribute("data-state", "sharp-pain")
    expect(page.locator("#pain-stop")).to_be_visible()
    expect(page.locator("#stage")).to_be_hidden()
    expect(page.locator("#btn-continue")).to_have_text("Go on with the next exercise")
    # the player waits at the first step of the next exercise
    following = next(i for i in range(1, len(steps)) if steps[i]["exercise_id"] != hurt)
    expect(player).to_have_attribute("data-step", str(following))
    page.click("#btn-continue")
    expect(player).to_have_attribute("data-state", "playing")
    expect(page.locator("#step-title")).to_have_text(steps[following]["title"])
    assert steps[following]["kind"] in ("change", "done")
    (log,) = logs(live_server)
    assert [(e.exercise_id.value, e.sharp_pain) for e in log.entries] == [(hurt, True)]


def test_sharp_pain_in_the_last_exercise_offers_to_finish(live_server: LiveServer, page: Page):
    live_server.record_tight()
    steps = morning_script(live_server)["steps"]
    last_exercise = steps[-2]["exercise_id"]
    page.goto(f"{live_server.url}/session?slot=morning")
    player = page.locator("#player")
    page.click("#btn-start")
    while steps[int(player.get_attribute("data-step") or 0)]["exercise_id"] != last_exercise:
        page.click("#btn-skip")
    page.click("#btn-sharp-pain")
    expect(player).to_have_attribute("data-state", "sharp-pain")
    expect(page.locator("#btn-continue")).to_have_text("Finish the session")
    page.click("#btn-continue")
    expect(player).to_have_attribute("data-state", "finished")
    expect(page.locator("#finish-heading")).to_have_text("Session complete. Well done!")


def test_a_pain_rise_of_2_points_is_a_warning_at_the_end(live_server: LiveServer, page: Page):
    live_server.record_tight()
    page.goto(f"{live_server.url}/session?slot=morning")
    player = page.locator("#player")
    page.check("#pain-before-2")
    page.click("#btn-start")
    expect(player).to_have_attribute("data-state", "playing")
    page.click("#btn-quit")
    page.click("#quit-confirm")
    expect(player).to_have_attribute("data-state", "finished")
    expect(page.locator("#pain-warning")).to_be_hidden()
    page.check("#pain-after-4")
    page.click("#btn-save")
    expect(page.locator("#finish-message")).to_contain_text("Saved")
    warning = pain_rise_warning(2, 4)
    assert warning is not None
    expect(page.locator("#pain-warning")).to_be_visible()
    expect(page.locator("#pain-warning-text")).to_have_text(warning)
    shot(page, "player-pain-warning")
