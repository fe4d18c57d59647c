"""Today, live, and reminders in the browser (issue 14, items 2 and 6): the installable
app's manifest, icons and service worker; the words for what happened to each item; no
command to type on any page; and, in Chromium, a notification at the time the server gave
(a fast clock), a Snooze recorded as the desktop reminder records it, and no second
reminder while the desktop reminder runs."""

from __future__ import annotations

import io
import json
import re
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from fastapi.testclient import TestClient

from hipflex.content import load_content
from hipflex.domain.breaks import DAEMON_STATUS_FILE, BreakOutcome
from hipflex.services.clock import FixedClock
from hipflex.web.pwa import PNG_SIZES, THEME_COLOUR
from hipflex.web.security import CONTENT_SECURITY_POLICY
from tests.web.conftest import API, LiveServer, arm_csrf, record_tight, shot, web_settings

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

MONDAY_9 = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


@pytest.fixture
def web(tmp_path: Path, clock: FixedClock) -> Iterator[TestClient]:
    from hipflex.web.app import create_app

    with TestClient(create_app(web_settings(tmp_path / "data"), clock)) as client:
        arm_csrf(client)
        yield client


def in_utc(client: TestClient) -> None:
    assert client.put(f"{API}/preferences", json={"timezone": "UTC"}).status_code == 200


# --- the installable app ------------------------------------------------------------------


def test_the_manifest_makes_an_installable_app(web: TestClient):
    from PIL import Image

    answer = web.get("/manifest.webmanifest")
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("application/manifest+json")
    manifest = answer.json()
    assert manifest["display"] == "standalone"
    assert manifest["start_url"] == "/today"
    assert manifest["scope"] == "/"
    assert manifest["theme_color"] == THEME_COLOUR
    sizes = set()
    for icon in manifest["icons"]:
        got = web.get(icon["src"])
        assert got.status_code == 200, icon
        assert got.headers["content-type"] == icon["type"]
        if icon["type"] == "image/png":
            image = Image.open(io.BytesIO(got.content))
            assert f"{image.width}x{image.height}" == icon["sizes"]
            sizes.add(image.width)
        else:
            assert got.text.startswith("<svg")
            assert THEME_COLOUR in got.text
    assert sizes == set(PNG_SIZES)
    assert web.get("/icons/hipflex-100.png").status_code == 404
    page = web.get("/").text
    assert '<link rel="manifest" href="/manifest.webmanifest">' in page
    assert f'<meta name="theme-color" content="{THEME_COLOUR}">' in page


def test_the_service_worker_is_served_from_the_root_and_allowed_by_the_policy(web: TestClient):
    worker = web.get("/sw.js")
    assert worker.status_code == 200
    assert worker.headers["content-type"].startswith("text/javascript")
    assert worker.headers["service-worker-allowed"] == "/"
    assert "notificationclick" in worker.text
    assert "/api/v1/reminders/answers" in worker.text
    directives = dict(d.split(" ", 1) for d in CONTENT_SECURITY_POLICY.split("; "))
    assert directives["worker-src"] == "'self'"
    assert directives["manifest-src"] == "'self'"


# --- Today's words ------------------------------------------------------------------------


def timeline_words(client: TestClient) -> list[tuple[str, str]]:
    """(time, words) of each item of Today's timeline."""
    page = client.get("/today")
    assert page.status_code == 200
    return re.findall(r'<span class="time">([^<]+?) <span class="state">([^<]*)</span>', page.text)


def test_day_one_says_before_your_plan_began_not_done(web: TestClient, clock: FixedClock):
    clock.advance(2 * 3600)  # 11:00: the plan begins after the morning session's time
    record_tight(web)
    in_utc(web)
    page = web.get("/today").text
    assert "done or past" not in page
    words = timeline_words(web)
    first_time, first_words = words[0]
    assert first_time.startswith("09:40\u2013")  # its end follows the session's length
    assert first_words == "before your plan began"
    assert {w for _, w in words[1:]} <= {"before your plan began", "not yet"}
    assert "not yet" in {w for _, w in words}


def test_the_words_follow_what_was_recorded(web: TestClient, clock: FixedClock):
    record_tight(web)  # 09:00
    in_utc(web)
    due = web.get(f"{API}/reminders").json()
    breaks = [i for i in due["items"] if i["kind"] == "break"]
    assert web.post(f"{API}/logs/sessions", json={"slot": "morning"}).status_code == 201
    to_first = (int(breaks[0]["start"][:2]) - 9) * 3600 + int(breaks[0]["start"][3:]) * 60
    clock.advance(to_first + 30)
    assert web.post(f"{API}/reminders/answers", json={"outcome": "done"}).status_code == 201
    clock.advance(3 * 42 * 60)  # three breaks later: one skipped, one missed, one under way
    due = web.get(f"{API}/reminders").json()
    states = [(i["kind"], i["state"]) for i in due["items"]]
    assert states[0] == ("session", "done")
    assert states[1] == ("break", "done")
    assert ("break", "missed") in states
    skip = web.post(f"{API}/reminders/answers", json={"outcome": "skipped"})
    assert skip.status_code == 201
    words = [w for _, w in timeline_words(web)]
    assert words[:2] == ["done", "done"]
    assert "missed" in words
    assert "skipped" in words
    assert words[-1] == "not yet"


# --- no command to type -------------------------------------------------------------------

COMMAND = re.compile(
    r"hipflex (?:assess|plan|today|log|measure|remind|break|session|settings|serve|export|"
    r"report|data|calendar|history|progress|learn)\b"
)
PAGES = [
    "/",
    "/today",
    "/plan",
    "/log",
    "/progress",
    "/learn",
    "/exercises",
    "/settings",
    "/safety",
    "/assess",
    "/assess?safety=1",
    "/assess?retest=1",
    "/session",
    "/break",
    *(f"/exercises/{e.value}" for e in load_content().exercises),
]


@pytest.mark.parametrize("state", ["new", "tight", "red flag"])
def test_no_page_tells_a_web_user_to_run_a_command(web: TestClient, state: str):
    if state == "tight":
        record_tight(web)
    if state == "red flag":
        record_tight(web, red_flags=["leg_weakness"])
    learn = web.get("/learn").text
    topics = sorted(set(re.findall(r'href="(/learn/[^"#]+)"', learn)))
    for path in [*PAGES, *topics]:
        text = web.get(path).text
        assert COMMAND.findall(text) == [], path


# --- in the browser -----------------------------------------------------------------------

#: Records each notification the page shows (the real call goes ahead too).
CATCH_NOTIFICATIONS = """
window.__notified = [];
if (window.ServiceWorkerRegistration) {
  const show = ServiceWorkerRegistration.prototype.showNotification;
  ServiceWorkerRegistration.prototype.showNotification = function (title, options) {
    window.__notified.push({ title, body: options.body, actions: options.actions });
    return show.call(this, title, options).catch(() => undefined);
  };
}
"""


def wait_for(page: Page, script: str, seconds: float = 30.0) -> Any:
    """Poll the page in real time until `script` is true (at once, normally; the bound is
    for a loaded machine): its fake clock stops rAF polling."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = page.evaluate(script)
        if value:
            return value
        time.sleep(0.05)
    pytest.fail(f"timed out waiting for {script}")


@pytest.fixture
def break_soon(tmp_path: Path) -> Iterator[tuple[LiveServer, FixedClock]]:
    """A live server whose clock stands 30 s before the day's first movement break."""
    clock = FixedClock(MONDAY_9)
    with LiveServer(tmp_path / "live-data", clock) as server, TestClient(server.app) as api:
        arm_csrf(api)
        record_tight(api)
        in_utc(api)
        due = api.get(f"{API}/reminders").json()
        first = next(i for i in due["items"] if i["kind"] == "break")
        hours, minutes = (int(part) for part in first["start"].split(":"))
        clock.advance((hours - 9) * 3600 + minutes * 60 - 30)
        yield server, clock


def test_a_notification_fires_on_time_and_snooze_is_recorded(
    browser: Browser, break_soon: tuple[LiveServer, FixedClock]
):
    server, clock = break_soon
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.grant_permissions(["notifications"], origin=server.url)
    context.add_init_script(script=CATCH_NOTIFICATIONS)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        page.clock.install(time=datetime(2026, 11, 2, 9, 0, tzinfo=UTC))
        page.clock.pause_at(datetime(2026, 11, 2, 9, 0, 1, tzinfo=UTC))  # only run_for moves it
        page.goto(f"{server.url}/today")
        countdown = page.locator("#countdown")
        wait_for(page, "document.getElementById('countdown').textContent.includes('in 30 s')")
        assert "Movement break in 30 s" in countdown.inner_text()
        assert page.evaluate("navigator.serviceWorker.ready.then(() => true)")
        assert page.evaluate("window.__notified.length") == 0
        page.clock.run_for(31_000)  # the page's clock only: no waiting
        (shown,) = wait_for(page, "window.__notified.length && window.__notified")
        assert shown["title"] == "Time to move"
        assert [a["action"] for a in shown["actions"]] == ["start", "snooze"]
        assert "it's time now" in countdown.inner_text()
        panel = page.locator("#reminder-due")
        assert panel.is_visible()
        shot(page, "today-reminder-due")
        clock.advance(31)  # the server's clock: the break has begun
        page.locator('#reminder-actions button[data-action="snooze"]').click()
        wait_for(page, "document.getElementById('reminder-message').textContent.length > 0")
        assert page.locator("#reminder-message").inner_text() == "Saved: Snooze 5 min."
        events = server.context.store.break_events()
        assert [e.outcome for e in events] == [BreakOutcome.SNOOZED]
        assert events[0].at == clock.now()
        due = json.loads(page.evaluate("fetch('/api/v1/reminders').then(r => r.text())"))
        assert due["next"]["snoozed"] is True
        assert due["next"]["seconds_until"] == 300
        # The desktop reminder starts: its heartbeat is fresh, so when the snooze is over
        # the page shows the reminder, but does not notify a second time.
        clock.advance(300)
        status = {"updated_at": clock.now().isoformat(), "pid": 1}
        (Path(server.context.settings.data_dir) / DAEMON_STATUS_FILE).write_text(
            json.dumps(status), encoding="utf-8"
        )
        page.reload()
        wait_for(page, "!document.getElementById('reminders-desktop').hidden")
        page.clock.run_for(2_000)
        wait_for(page, "!document.getElementById('reminder-due').hidden")
        assert "it's time now" in countdown.inner_text()
        time.sleep(0.3)  # real time: a notification would have been asked for by now
        assert page.evaluate("window.__notified.length") == 0
    finally:
        context.close()
    assert not errors, errors


def test_today_with_a_reminder_due_and_a_missed_item_meets_aa_in_both_themes(
    page: Page, break_soon: tuple[LiveServer, FixedClock]
):
    """A past item keeps its link at AA contrast (it was faded to 4.04:1), and the reminder
    with its answers, the permission button and the words pass axe, light and dark."""
    from tests.web.test_accessibility import assert_accessible, check_page

    server, clock = break_soon
    clock.advance(40)  # the first break has begun: the reminder shows at once
    page.goto(f"{server.url}/today")
    wait_for(page, "!document.getElementById('reminder-due').hidden")
    assert page.locator("#timeline li.past").count() >= 1
    assert page.locator("#timeline li.past .state").first.inner_text() == "missed"
    assert page.locator("#notify-on").is_visible()  # permission not asked yet
    check_page(page, "/today with a reminder due and a missed item")
    shot(page, "today-missed-and-due", full_page=False)
    page.set_viewport_size({"width": 375, "height": 812})
    assert_accessible(page, "/today at 375 px")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375  # nothing cut off
    shot(page, "today-missed-and-due-375")


def test_a_notification_button_is_recorded_by_the_service_worker(
    browser: Browser, break_soon: tuple[LiveServer, FixedClock]
):
    """The service worker's answer to a notification's button (Skip here) lands in the
    store as the daemon's does, and the open page shows it: the break skipped, and what
    comes next after it."""
    server, clock = break_soon
    clock.advance(40)
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(f"{server.url}/today")
        assert page.evaluate("navigator.serviceWorker.ready.then(() => true)")
        (worker,) = context.service_workers
        due_now = page.locator("#next-break strong").inner_text()
        skip = {"id": "skip", "label": "Skip", "outcome": "skipped", "href": None}
        worker.evaluate(
            "(skip) => answerNotification({ actions: [skip], page: '/today' }, 'skip')", skip
        )
        events = server.context.store.break_events()
        assert [(e.outcome, e.at) for e in events] == [(BreakOutcome.SKIPPED, clock.now())]
        wait_for(
            page,
            "[...document.querySelectorAll('#timeline .state')].some("
            "(words) => words.textContent === 'skipped')",
        )
        # What is next leaves the skipped break out: "Coming up" and the badge moved on.
        wait_for(page, f"document.querySelector('#next-break strong').textContent !== '{due_now}'")
        assert page.locator("#timeline li.is-next .state").all_inner_texts() == ["not yet"] * 2
    finally:
        context.close()


def test_an_answer_given_before_the_pages_first_look_still_moves_coming_up_on(
    browser: Browser, break_soon: tuple[LiveServer, FixedClock]
):
    """The break is answered (elsewhere: the daemon, another tab) after the server drew
    the page but before its script first asked what happened: the page still renews
    "Coming up", because it compares with what it was drawn with, not with its first look."""
    from hipflex.services import tracking

    server, clock = break_soon
    clock.advance(40)
    context = browser.new_context(service_workers="block")  # page.route sees every fetch
    held: list[Any] = []
    try:
        page = context.new_page()
        # A Python function, not the bound method: Playwright wraps what it is given.
        page.route("**/api/v1/reminders", lambda route: held.append(route))  # noqa: PLW0108
        page.goto(f"{server.url}/today")
        due_now = page.locator("#next-break strong").inner_text()
        deadline = time.monotonic() + 30
        while not held and time.monotonic() < deadline:
            page.wait_for_timeout(20)  # Playwright hands the route over while it waits
        assert held, "the page never asked what happened"
        tracking.log_break(server.context, BreakOutcome.SKIPPED)
        for route in held:
            route.continue_()
        page.unroute("**/api/v1/reminders")
        wait_for(page, f"document.querySelector('#next-break strong').textContent !== '{due_now}'")
    finally:
        context.close()
