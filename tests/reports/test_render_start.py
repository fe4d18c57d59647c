"""The report's renderers start fast without changing a byte: the compiled template kept
between processes, the PDF's font found without importing matplotlib."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from hipflex.reports import render
from hipflex.reports.report import Report, Section

REPORT = Report(
    title="hipflex progress report",
    subtitle="Made for you & your physiotherapist <today>",
    generated_at=datetime(2026, 11, 2, 9, 0, tzinfo=UTC),
    sections=(Section("Pain", ("A moderate stretch, never pain.",)),),
)


def test_the_kept_template_renders_what_a_fresh_one_renders(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    first = render.to_html(REPORT)
    kept = list((tmp_path / "cache").rglob("__jinja2_*.cache"))
    assert len(kept) == 1
    assert render.to_html(REPORT) == first  # read back
    kept[0].write_bytes(b"not a template")  # damaged: compiled again, and kept again
    assert render.to_html(REPORT) == first
    assert kept[0].read_bytes() != b"not a template"


def test_a_cache_folder_that_cannot_be_written_only_costs_the_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    blocked = tmp_path / "file"
    blocked.write_text("")  # the cache folder's parent is a file
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocked))
    assert "<h1>hipflex progress report</h1>" in render.to_html(REPORT)


def test_the_pdf_font_is_matplotlib_own():
    matplotlib = pytest.importorskip("matplotlib")
    folder = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
    regular, bold = render._font_files()
    assert (regular, bold) == (folder / "DejaVuSans.ttf", folder / "DejaVuSans-Bold.ttf")
    assert regular.is_file()
    assert bold.is_file()
