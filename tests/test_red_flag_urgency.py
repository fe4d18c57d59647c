"""Every place that shows the red-flag advice shows the most urgent flag's (PROTOCOL.md
section 4: saddle numbness or a bladder/bowel change is urgent, worsening leg weakness is
same-day advice, the rest a prompt appointment): one content rule, every shell."""

from __future__ import annotations

import html
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from hipflex.content import load_content
from hipflex.domain.plan import SafetyStop
from hipflex.domain.protocol import RedFlag, RedFlagAdvice, Urgency
from hipflex.domain.urgency import URGENCY_ORDER
from hipflex.services.clock import FixedClock
from hipflex.services.words import stop_reason
from hipflex.web.app import create_app
from tests.cli.conftest import Cli
from tests.web.conftest import API, TIGHT_ASSESSMENT, arm_csrf, web_settings

LEVEL = {
    RedFlag.SADDLE_NUMBNESS: Urgency.URGENT,
    RedFlag.BLADDER_BOWEL: Urgency.URGENT,
    RedFlag.LEG_WEAKNESS: Urgency.SAME_DAY,
    RedFlag.TRAUMA: Urgency.PROMPT,
    RedFlag.SYSTEMIC: Urgency.PROMPT,
    RedFlag.NIGHT_PAIN: Urgency.PROMPT,
}
#: Flags answered together -> the level whose advice is shown.
MIXED = [
    ((RedFlag.NIGHT_PAIN, RedFlag.LEG_WEAKNESS), Urgency.SAME_DAY),
    ((RedFlag.TRAUMA, RedFlag.LEG_WEAKNESS, RedFlag.BLADDER_BOWEL), Urgency.URGENT),
]
CASES = [((flag,), level) for flag, level in LEVEL.items()] + MIXED
IDS = ["+".join(f.value for f in flags) for flags, _ in CASES]


def advice(level: Urgency) -> RedFlagAdvice:
    return load_content().urgency_advice[level]


def others(level: Urgency) -> list[RedFlagAdvice]:
    return [advice(u) for u in Urgency if u is not level]


def shows_only(text: str, level: Urgency) -> None:
    """The level's advice is in the text, no other level's is."""
    assert advice(level).text in text
    for other in others(level):
        assert other.text not in text


@pytest.mark.parametrize(("flags", "level"), CASES, ids=IDS)
def test_the_stop_reason(flags: tuple[RedFlag, ...], level: Urgency):
    shows_only(stop_reason(SafetyStop(frozenset(flags))), level)


@pytest.fixture
def web(tmp_path: Path, clock: FixedClock) -> Iterator[TestClient]:
    app = create_app(web_settings(tmp_path / "web-data"), clock)
    with TestClient(app) as client:
        arm_csrf(client)
        yield client


def flag(client: TestClient, flags: tuple[RedFlag, ...]) -> None:
    body = {**TIGHT_ASSESSMENT, "red_flags": [f.value for f in flags]}
    assert client.post(f"{API}/assessments", json=body).status_code == 201


def main_of(page: str) -> str:
    return html.unescape(page.split('<main id="main"', 1)[1].split("</main>", 1)[0])


@pytest.mark.parametrize(("flags", "level"), CASES, ids=IDS)
def test_the_pages_and_the_api(web: TestClient, flags: tuple[RedFlag, ...], level: Urgency):
    flag(web, flags)
    for path in ("/safety", "/plan", "/today", "/break"):
        page = main_of(web.get(path).text)
        assert advice(level).title in page, path
        shows_only(page.split("red-flag-levels")[0], level)  # /safety lists every level below
    for route in ("plan", "today"):
        body = web.get(f"{API}/{route}").json()
        assert body["urgency"] == level.value
        assert body["needs"] == "clinician"
        shows_only(body["reason"], level)


def test_without_red_flags_the_api_has_no_urgency(web: TestClient):
    flag(web, ())
    assert web.get(f"{API}/plan").json().get("urgency") is None


def test_the_safety_pages_list_every_flag_under_its_level(web: TestClient):
    for path in ("/safety", "/learn/safety"):
        page = main_of(web.get(path).text)
        titles = [advice(u).title for u in URGENCY_ORDER]
        assert [page.index(t) for t in titles] == sorted(page.index(t) for t in titles), path
        for red_flag, level in LEVEL.items():
            short = load_content().red_flags[red_flag].short.capitalize()
            less_urgent = URGENCY_ORDER[URGENCY_ORDER.index(level) + 1 :]
            later = [page.index(advice(u).title) for u in less_urgent]
            assert page.index(advice(level).title) < page.index(short), (path, red_flag)
            assert all(page.index(short) < at for at in later), (path, red_flag)
    assert "safety-advice" not in web.get("/safety").text  # no answers: nothing to single out


def flat(output: str) -> str:
    """Terminal output as one line of words: no panel borders, no wrapping."""
    return " ".join(output.replace("│", " ").split())


@pytest.mark.parametrize(("flags", "level"), CASES, ids=IDS)
def test_the_command_line(flags: tuple[RedFlag, ...], level: Urgency):
    cli = Cli()
    answers = [arg for f in flags for arg in ("--red-flag", f.value)]
    tests = ["--thomas-left", "raised", "--knee-left", "70", "--sitting-hours", "9"]
    assessed = cli("assess", *tests, *answers)
    assert assessed.exit_code == 0, assessed.output
    for result in (assessed, cli("plan"), cli("today")):
        text = flat(result.output)
        assert advice(level).title in text
        shows_only(text, level)
    assert cli.json("plan", "--json")["urgency"] == level.value


def test_learn_safety_lists_every_level():
    text = flat(Cli()("learn", "safety").output)
    for level in Urgency:
        assert advice(level).title in text
