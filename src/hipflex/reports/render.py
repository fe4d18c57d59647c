"""The report as HTML (Jinja2) or PDF (fpdf2), the charts in both as the same SVG."""

from __future__ import annotations

import contextlib
import io
import re
from importlib.util import find_spec
from pathlib import Path
from typing import TYPE_CHECKING

from hipflex.reports.report import Figure, Report, Section

if TYPE_CHECKING:
    from jinja2 import BytecodeCache

FONT = "DejaVu"
CHART_WIDTH_MM = 125  # the text in it about the size of the text around it
CHART_HEIGHT_MM = 105  # heading, a line of text and a chart
FIGURE_SCALE_MM = 40  # a drawn figure's height, standing: every exercise at one scale


def to_html(report: Report) -> str:
    from jinja2 import Environment, PackageLoader, select_autoescape

    environment = Environment(
        loader=PackageLoader("hipflex.reports", "templates"),
        autoescape=select_autoescape(["html", "j2"]),
        bytecode_cache=_compiled_templates(),
    )
    return environment.get_template("report.html.j2").render(report=report)


def _compiled_templates() -> BytecodeCache:
    """The report's template compiled once, kept in the user's cache folder beside the
    content (start-up speed: compiling it costs a command more than reading it back).
    Jinja checks each file against the template's source and Python's version, and
    compiles again on any difference; a folder that cannot be read or written only costs
    the time."""
    from jinja2 import FileSystemBytecodeCache
    from jinja2.bccache import Bucket

    from hipflex.files import cache_directory

    class Kept(FileSystemBytecodeCache):
        def load_bytecode(self, bucket: Bucket) -> None:
            with contextlib.suppress(OSError):  # not there, or not readable: compiled
                super().load_bytecode(bucket)

        def dump_bytecode(self, bucket: Bucket) -> None:
            with contextlib.suppress(OSError):
                Path(self.directory).mkdir(parents=True, exist_ok=True)
                super().dump_bytecode(bucket)

    return Kept(str(cache_directory() / "templates"))


def _font_files() -> tuple[Path, Path]:
    """DejaVu Sans ships with matplotlib: full Unicode in the PDF, nothing downloaded. Its
    folder is found as matplotlib.get_data_path() finds it (mpl-data beside the package),
    without importing matplotlib (a third of a second)."""
    spec = find_spec("matplotlib")
    if spec is None or spec.origin is None:
        msg = "No module named 'matplotlib'"
        raise ModuleNotFoundError(msg, name="matplotlib")
    folder = Path(spec.origin).with_name("mpl-data") / "fonts" / "ttf"
    return folder / "DejaVuSans.ttf", folder / "DejaVuSans-Bold.ttf"


def _section(pdf: object, section: Section) -> None:
    from fpdf import FPDF
    from fpdf.fonts import FontFace

    assert isinstance(pdf, FPDF)
    if section.chart is not None and pdf.will_page_break(CHART_HEIGHT_MM):
        pdf.add_page()  # keep a chart with its heading
    pdf.set_font(FONT, "B", 12)
    pdf.cell(0, 8, section.title, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, "", 9.5)
    for paragraph in section.paragraphs:
        pdf.multi_cell(0, 5, paragraph, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(1)
    if section.table is not None:
        heading = FontFace(emphasis="BOLD", fill_color=(243, 244, 246))
        with pdf.table(headings_style=heading, line_height=5, padding=1) as table:
            table.row(section.table.headers)
            for row in section.table.rows:
                table.row(row)
        pdf.ln(2)
    if section.chart is not None:
        # The page's own SVG, as vector graphics: the same chart as on the page.
        # fpdf2 draws no <title>: the alt text carries it instead.
        drawing = re.sub(r"<title>.*?</title>", "", section.chart.svg, flags=re.DOTALL)
        svg = io.BytesIO(drawing.encode())
        pdf.image(svg, w=min(pdf.epw, CHART_WIDTH_MM), alt_text=section.chart.description)
    for figure in section.figures:
        _figure(pdf, figure)
    pdf.ln(3)


def _figure(pdf: object, figure: Figure) -> None:
    """A drawn exercise: its name and dose, then its key positions side by side."""
    from fpdf import FPDF

    assert isinstance(pdf, FPDF)
    width, height = figure.size
    width_mm = min(pdf.epw, width * FIGURE_SCALE_MM)
    if pdf.will_page_break(width_mm * height / width + 16):
        pdf.add_page()
    pdf.set_font(FONT, "B", 10.5)
    pdf.cell(0, 6, figure.title, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, "", 9.5)
    pdf.multi_cell(0, 5, figure.caption, new_x="LMARGIN", new_y="NEXT")
    from hipflex.domain.figure_svg import without_text_alternative

    drawing = without_text_alternative(figure.svg).encode()
    pdf.image(io.BytesIO(drawing), w=width_mm, alt_text=figure.description)
    pdf.ln(2)


def to_pdf(report: Report) -> bytes:
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.set_margins(15, 15, 15)
    pdf.set_auto_page_break(auto=True, margin=15)
    regular, bold = _font_files()
    from hipflex.reports.pdf_fonts import add_font

    add_font(pdf, FONT, "", regular)  # read once, kept between processes
    add_font(pdf, FONT, "B", bold)
    pdf.set_title(report.title)
    pdf.set_creator("hipflex")
    pdf.set_creation_date(report.generated_at)
    pdf.add_page()
    pdf.set_font(FONT, "B", 16)
    pdf.cell(0, 10, report.title, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, "", 9.5)
    pdf.cell(0, 6, report.subtitle, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)
    for section in report.sections:
        _section(pdf, section)
    return bytes(pdf.output())
