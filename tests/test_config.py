"""Settings read their HIPFLEX_* variables the way the README says: a value given in code
wins over the environment, the variable's name is matched in any case, text is converted
and checked, and other variables are ignored."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hipflex.config import Settings
from hipflex.domain.assessment import KNEE_FLEXION_FLOOR_DEG
from hipflex.domain.errors import BadSetting


def test_defaults_when_nothing_is_set(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("HIPFLEX_THOMAS_KNEE_FLOOR_DEG", raising=False)
    assert Settings().thomas_knee_floor_deg == KNEE_FLEXION_FLOOR_DEG


def test_the_environment_is_read_and_converted(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("HIPFLEX_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("HIPFLEX_STRICT", "1")
    monkeypatch.setenv("HIPFLEX_MAINTENANCE_STRENGTH_PER_WEEK", "2")
    settings = Settings()
    assert settings.data_dir == tmp_path
    assert settings.strict is True
    assert settings.maintenance_strength_per_week == 2
    assert settings.resolved_database_url() == f"sqlite:///{tmp_path / 'hipflex.db'}"


def test_a_value_given_in_code_wins(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HIPFLEX_THOMAS_KNEE_FLOOR_DEG", "67")
    assert Settings().thomas_knee_floor_deg == 67.0
    assert Settings(thomas_knee_floor_deg=70.0).thomas_knee_floor_deg == 70.0


def test_the_name_is_matched_in_any_case(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("hipflex_photo_sem_deg", "2.5")
    assert Settings().photo_sem_deg == 2.5


def test_other_variables_are_ignored(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HIPFLEX_NOT_A_SETTING", "whatever")
    monkeypatch.setenv("THOMAS_KNEE_FLOOR_DEG", "1")
    assert Settings().thomas_knee_floor_deg == KNEE_FLEXION_FLOOR_DEG


def test_a_secret_is_never_repeated(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HIPFLEX_DATABASE_URL", "")
    monkeypatch.setenv("HIPFLEX_WEB_PASSWORD", "correct horse battery")
    settings = Settings()
    assert "correct horse" not in repr(settings)
    assert settings.web_password is not None
    assert settings.web_password.get_secret_value() == "correct horse battery"


def test_settings_are_frozen() -> None:
    settings = Settings()
    with pytest.raises(ValueError, match="frozen"):
        settings.strict = True  # type: ignore[misc]


@given(st.text(alphabet="abcxyz!%", min_size=1, max_size=6))
def test_text_that_is_not_a_number_is_one_line_naming_the_variable(text: str) -> None:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("HIPFLEX_TRUNK_LEAN_LIMIT_DEG", text)
        with pytest.raises(BadSetting) as caught:
            Settings()
    message = str(caught.value)
    assert "HIPFLEX_TRUNK_LEAN_LIMIT_DEG" in message
    assert "\n" not in message
