"""The report's renderers start fast without changing a byte: the compiled template kept
between processes, the PDF's font found without importing matplotlib."""

from __future__ import annotations

import os
import subprocess
import sys
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
    import matplotlib as mpl  # a dependency of hipflex: never skipped

    folder = Path(mpl.get_data_path()) / "fonts" / "ttf"
    regular, bold = render._font_files()
    assert (regular, bold) == (folder / "DejaVuSans.ttf", folder / "DejaVuSans-Bold.ttf")
    assert regular.is_file()
    assert bold.is_file()


PDF_OF_A_STORE = """
import sys
from datetime import UTC, datetime
if sys.argv[1] == "numpy":
    import numpy  # noqa: F401 - fpdf uses it
else:
    from hipflex.cli.report_cmd import _import_fpdf_without_numpy
    _import_fpdf_without_numpy()
from fpdf import image_parsing
from hipflex.reports.render import to_pdf
from hipflex.reports.report import build_report
from hipflex.services.clock import FixedClock
from hipflex.services.context import open_app
from hipflex.services.progress import progress
at = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
app = open_app(clock=FixedClock(at))
document = build_report(progress(app), at)
app.close()
sys.stdout.buffer.write(to_pdf(document))
assert (image_parsing.numpy is None) == (sys.argv[1] != "numpy")
assert ("numpy" in sys.modules) == (sys.argv[1] == "numpy")
"""


def test_the_command_line_pdf_without_numpy_is_the_same_pdf(tmp_path: Path):
    """`hipflex report --out FILE.pdf` imports fpdf as if numpy were not installed (numpy
    is installed: matplotlib, a dependency, needs it)."""
    env = {**os.environ, "HIPFLEX_DATA_DIR": str(tmp_path), "XDG_CACHE_HOME": str(tmp_path)}
    env.pop("HIPFLEX_DATABASE_URL", None)
    assess = ["assess", "--no-red-flags", "--thomas-left", "raised", "--knee-left", "85"]
    hipflex = [sys.executable, "-m", "hipflex"]
    subprocess.run([*hipflex, *assess], env=env, check=True, capture_output=True)
    made = {
        way: subprocess.run(
            [sys.executable, "-c", PDF_OF_A_STORE, way], env=env, check=True, capture_output=True
        ).stdout
        for way in ("numpy", "without")
    }
    assert made["numpy"].startswith(b"%PDF")
    assert made["numpy"] == made["without"]
    # The first read the fonts and kept them (reports/pdf_fonts.py), the second used them.
    assert len(list((tmp_path / "hipflex" / "fonts").glob("font-*.pickle"))) == 2
