"""Text inside SVG and HTML markup: XML's escapes, written as xml.sax.saxutils writes them.

xml.sax.saxutils imports urllib.request (and with it http, email and ssl), about 25 ms of a
short command's start for two small functions; tests/domain/test_markup.py proves these
answer what it answers for any text.
"""

from __future__ import annotations

#: A quoted attribute's line breaks and tabs, kept as characters, not as spaces.
_ATTRIBUTE_ENTITIES = (("\n", "&#10;"), ("\r", "&#13;"), ("\t", "&#9;"))


def escape(data: str) -> str:
    """`&`, `<` and `>` escaped (the ampersand first)."""
    return data.replace("&", "&amp;").replace(">", "&gt;").replace("<", "&lt;")


def quoteattr(data: str) -> str:
    """An attribute's value, escaped and quoted: in double quotes unless it holds one (then
    in single quotes, or with `&quot;` when it holds both)."""
    data = escape(data)
    for character, entity in _ATTRIBUTE_ENTITIES:
        data = data.replace(character, entity)
    if '"' not in data:
        return f'"{data}"'
    if "'" not in data:
        return f"'{data}'"
    return '"{}"'.format(data.replace('"', "&quot;"))
