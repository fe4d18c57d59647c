"""The PDF's fonts, parsed once and kept between processes (start-up speed).

fpdf2 reads a TrueType font whole when it is added to a document (its glyph names,
outlines' index, widths, character map): for the two DejaVu fonts about a sixth of what
`hipflex report --out FILE.pdf` costs. What it builds from the file alone is pickled in
the user's cache folder, beside the content, under a key made of everything it was built
from: the font file (its path, size and modification time, as Python checks a module's
source; hashing its bytes would cost 7 ms), the fpdf2, fontTools and Python versions and
this module's code. Any change gives another key (the old file is removed). What each
document changes (the glyphs it uses, the sizes, the font's number in it) starts afresh,
and the font file stays open for the tables read later, as fpdf2 leaves it. A file that
cannot be read back is ignored and written again; a file is written whole (a temporary
file renamed) or not at all; a cache folder that cannot be written only costs the time.
"""

from __future__ import annotations

import hashlib
import pickle
import sys
from collections import defaultdict
from pathlib import Path
from typing import TYPE_CHECKING, Any

from hipflex.files import keep_cached

if TYPE_CHECKING:
    from fpdf import FPDF

PREFIX = "font-"
SUFFIX = ".pickle"
#: A font's attributes that belong to one document: made afresh for each.
PER_DOCUMENT = frozenset({"i", "subset", "_hbfont", "color_font", "cw"})


def add_font(pdf: FPDF, family: str, style: str, path: Path) -> None:
    """`pdf.add_font(family, style, path)`, the font read back from the cache if kept."""
    fontkey = f"{family.lower()}{''.join(sorted(style.upper()))}"
    try:
        from hipflex.files import cache_directory

        folder = cache_directory() / "fonts"
        kept = folder / f"{PREFIX}{path.stem}.{_key(path)}{SUFFIX}"
    except OSError:  # the font file cannot be read: fpdf says so
        pdf.add_font(family, style, str(path))
        return
    if fontkey not in pdf.fonts and _restore(pdf, kept, fontkey, path):
        return
    pdf.add_font(family, style, str(path))
    _keep(kept, path.stem, pdf.fonts[fontkey])


def _key(path: Path) -> str:
    import fontTools
    import fpdf

    found = path.stat()  # as Python checks a module's source against its bytecode
    digest = hashlib.sha256()
    for part in (
        f"{sys.version}|{fpdf.FPDF_VERSION}|{fontTools.version}".encode(),
        Path(__file__).read_bytes(),
        f"{path.resolve()}|{found.st_size}|{found.st_mtime_ns}".encode(),
    ):
        digest.update(len(part).to_bytes(8, "little"))
        digest.update(part)
    return digest.hexdigest()[:32]


def _restore(pdf: FPDF, kept: Path, fontkey: str, path: Path) -> bool:
    """The kept font added to `pdf` as fpdf would add it; False if none is kept (or it
    cannot be read back)."""
    from fontTools.ttLib import TTFont
    from fpdf.fonts import SubsetMap, TTFFont

    try:
        state = pickle.loads(kept.read_bytes())  # noqa: S301 - our own file, in the user's cache
        default_width, widths = state.pop("cw")
        tables = state["ttfont"]
        if not isinstance(tables, TTFont) or set(state) & PER_DOCUMENT:
            return False
        # The tables not read yet are read from the file when needed, as fpdf's own are.
        tables.reader = TTFont(path, recalcTimestamp=False, lazy=True).reader
        font = TTFFont.__new__(TTFFont)
        for name, value in state.items():
            setattr(font, name, value)
        font.cw = defaultdict(lambda: default_width, widths)
        font.i = len(pdf.fonts) + 1
        font._hbfont = None
        font.color_font = None
        font.subset = SubsetMap(font)
    except Exception:  # noqa: BLE001 - not there, or broken: the font is read again
        return False
    pdf.fonts[fontkey] = font
    return True


def _keep(kept: Path, stem: str, font: object) -> None:
    """The font as fpdf has just read it, pickled (not a colour font, nor CFF: those set
    more of the document)."""
    from fpdf.fonts import TTFFont

    if not isinstance(font, TTFFont) or font.color_font is not None or font.is_cff:
        return
    state: dict[str, Any] = {
        name: getattr(font, name)
        for name in TTFFont.__slots__
        if name not in PER_DOCUMENT and hasattr(font, name)
    }
    default = getattr(font.cw, "default_factory", None)
    if default is None:
        return
    state["cw"] = (default(), dict(font.cw))
    reader, font.ttfont.reader = font.ttfont.reader, None  # the open file stays here
    try:
        data = pickle.dumps(state, protocol=pickle.HIGHEST_PROTOCOL)
    except Exception:  # noqa: BLE001 - a font that does not pickle is read each time
        return
    finally:
        font.ttfont.reader = reader
    keep_cached(kept, data, replaces=f"{PREFIX}{stem}.*{SUFFIX}")  # this font's other keys
