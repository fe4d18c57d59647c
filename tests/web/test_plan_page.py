"""The plan page opens with what to do today and a summary per session; each exercise card
shows its dose and key cue, with the rest on demand."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from tests.web.conftest import API, record_tight


def _between(html: str, start: str, end: str) -> str:
    return html[html.index(start) : html.index(end, html.index(start))]


def test_the_plan_opens_with_today_then_the_sessions_then_the_results(client: TestClient):
    record_tight(client)
    page = client.get("/plan").text
    order = [
        page.index('id="plan-today"'),
        page.index('id="programme-heading"'),
        page.index('id="findings-heading"'),
        page.index('id="exercises-heading"'),
    ]
    assert order == sorted(order)
    today = client.get(f"{API}/today").json()
    sessions = [i for i in today["items"] if i["kind"] == "session"]
    assert sessions
    opening = _between(page, 'id="plan-today"', "</section>")
    for item in sessions:  # each of today's sessions: its time, and a way to start it
        assert f"{item['start']} · {item['title']}" in opening
        assert f'href="/session?slot={item["slot"]}"' in opening
    assert opening.count('class="badge">next<') == 1
    # one start link per session on the page, so a link's name says which one it starts
    for item in sessions:
        assert page.count(f'href="/session?slot={item["slot"]}"') == 1


def test_each_card_shows_its_dose_and_key_cue_and_keeps_the_rest_for_later(
    client: TestClient,
):
    record_tight(client)
    plan = client.get(f"{API}/plan").json()
    page = client.get("/plan").text
    cards = re.findall(r'<article class="card exercise-card plan-card".*?</article>', page, re.S)
    ids = {e["id"] for s in plan["sessions"] for e in s["exercises"]}
    assert len(cards) >= len(ids)
    for card in cards:
        shown, hidden = card.split("<details", 1)
        assert 'class="dosage"' in shown
        assert "cue-key-label" in shown
        assert "How to do it" not in shown
        assert "<ol>" in hidden  # the steps
        assert "Safety" in hidden
    stretch = next(c for c in cards if 'id="card-half_kneeling_hip_flexor"' in c)
    assert ">Key cue<" in stretch.split("<details", 1)[0]


def test_a_week_ahead_has_no_today(client: TestClient):
    record_tight(client)
    page = client.get("/plan", params={"week": 3}).text
    assert 'id="plan-today"' not in page
    assert 'id="exercises-heading"' in page
