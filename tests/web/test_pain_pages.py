"""The pain rules as the pages and the API show them (PROTOCOL.md section 4)."""

from __future__ import annotations

from fastapi.testclient import TestClient

from hipflex.domain.tracking import MEANINGFUL_CHANGE_WORDS, RESPONDER_FLOOR_WORDS
from tests.web.conftest import record_tight


def test_the_progress_page_names_the_responder_rule_from_the_domain(client: TestClient):
    record_tight(client)
    page = client.get("/progress")
    assert page.status_code == 200
    text = page.text.replace("&#39;", "'")
    assert MEANINGFUL_CHANGE_WORDS in text
    assert RESPONDER_FLOOR_WORDS in text
    assert "at least 2 out of 10" in text
