"""The PDF's fonts kept between processes (reports/pdf_fonts.py): the same PDF, byte for
byte, from a kept font as from a font read afresh; a stale or broken one is not used."""

from __future__ import annotations

import os
import pickle
import shutil
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import fpdf
import pytest
from fpdf.fonts import TTFFont

from hipflex.reports import pdf_fonts, render
from hipflex.reports.report import Report, Section, Table

REPORT = Report(
    title="hipflex progress report",
    subtitle="02 November 2026 · self-reported data, not a diagnosis",
    generated_at=datetime(2026, 11, 2, 9, 0, tzinfo=UTC),
    sections=(
        Section("Pain", ("Thomas test knee bend, left: 60° → 70° (+10°). Ça va, naïve café.",)),
        Section("Tests", (), Table(("Side", "Knee bend"), (("left", "85°"), ("right", "90°")))),
    ),
)


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    return tmp_path / "cache"


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The fonts fpdf reads from their files (not from the cache)."""
    read: list[str] = []
    original = TTFFont.__init__

    def counted(self: TTFFont, *args: Any, **kwargs: Any) -> None:
        read.append(str(args[1]))
        original(self, *args, **kwargs)

    monkeypatch.setattr(TTFFont, "__init__", counted)
    return read


def _kept(cache: Path) -> list[Path]:
    return sorted((cache / "hipflex" / "fonts").glob("font-*.pickle"))


def test_a_kept_font_makes_the_same_pdf_as_a_font_read_afresh(
    cache: Path, reads: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    fresh = render.to_pdf(REPORT)
    assert len(reads) == 2  # regular and bold, read and kept
    assert len(_kept(cache)) == 2
    assert render.to_pdf(REPORT) == fresh
    assert render.to_pdf(REPORT) == fresh  # a kept font serves any number of documents
    assert len(reads) == 2  # both from the cache
    blocked = tmp_path / "file"
    blocked.write_text("")  # a cache folder that cannot be written: read each time
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocked))
    assert render.to_pdf(REPORT) == fresh
    assert len(reads) == 4


def test_a_font_kept_by_another_fpdf_is_not_used(
    cache: Path, reads: list[str], monkeypatch: pytest.MonkeyPatch
):
    fresh = render.to_pdf(REPORT)
    before = _kept(cache)
    monkeypatch.setattr(fpdf, "FPDF_VERSION", "0.0.1")
    assert render.to_pdf(REPORT) == fresh
    assert len(reads) == 4  # read again,
    after = _kept(cache)
    assert len(after) == 2
    assert not set(before) & set(after)  # kept under another key, the old files removed


def test_a_changed_font_file_is_read_again(cache: Path, tmp_path: Path):
    regular, bold = render._font_files()
    copy = tmp_path / regular.name
    shutil.copyfile(regular, copy)
    key = pdf_fonts._key(copy)
    assert pdf_fonts._key(copy) == key
    with copy.open("ab") as font:
        font.write(b"\0")
    assert pdf_fonts._key(copy) != key
    key = pdf_fonts._key(copy)
    os.utime(copy, ns=(0, 0))  # the same size, another time: another file
    assert pdf_fonts._key(copy) != key
    assert pdf_fonts._key(bold) != pdf_fonts._key(regular)


@pytest.mark.parametrize(
    "broken",
    [
        b"",
        b"not a pickle",
        pickle.dumps(42),
        pickle.dumps({"cw": (0, {}), "ttfont": "not a font"}),
        pickle.dumps({"cw": (0, {}), "ttfont": None, "subset": None}),
    ],
)
def test_a_broken_kept_font_is_read_again_and_kept_again(
    cache: Path, reads: list[str], broken: bytes
):
    fresh = render.to_pdf(REPORT)
    for kept in _kept(cache):
        kept.write_bytes(broken)
    assert render.to_pdf(REPORT) == fresh
    assert len(reads) == 4
    assert all(kept.read_bytes() != broken for kept in _kept(cache))
    assert render.to_pdf(REPORT) == fresh
    assert len(reads) == 4
