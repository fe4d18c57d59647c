"""Shared fixtures: every test gets its own data folder; nothing touches the real one."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from hipflex.config import Settings
from hipflex.services.clock import FixedClock
from hipflex.services.context import AppContext

STRICT = os.environ.get("HIPFLEX_STRICT", "") not in ("", "0", "false")


def require_tool(name: str, install_hint: str) -> str:
    """Path of a program a test needs; skips (or fails under HIPFLEX_STRICT=1) without it."""
    path = shutil.which(name)
    if path is None:
        message = f"{name} is not installed ({install_hint})"
        if STRICT:
            pytest.fail(message)
        pytest.skip(message)
    return path


@pytest.fixture(autouse=True)
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    data = tmp_path / "hipflex-data"
    monkeypatch.setenv("HIPFLEX_DATA_DIR", str(data))
    monkeypatch.delenv("HIPFLEX_DATABASE_URL", raising=False)
    for name in ("THOMAS_KNEE_FLOOR_DEG", "THIGH_TOLERANCE_DEG", "HIP_EXTENSION_FLOOR_DEG"):
        monkeypatch.delenv(f"HIPFLEX_{name}", raising=False)
    return data


@pytest.fixture
def clock() -> FixedClock:
    from datetime import UTC, datetime

    return FixedClock(datetime(2026, 11, 2, 9, 0, tzinfo=UTC))


@pytest.fixture
def app(tmp_path: Path, clock: FixedClock) -> Iterator[AppContext]:
    context = AppContext(Settings(data_dir=tmp_path / "app-data"), clock)
    yield context
    context.close()
