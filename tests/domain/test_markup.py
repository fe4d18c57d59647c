"""hipflex.domain.markup writes what xml.sax.saxutils writes, without its imports."""

from __future__ import annotations

from xml.sax.saxutils import escape as sax_escape
from xml.sax.saxutils import quoteattr as sax_quoteattr

from hypothesis import example, given
from hypothesis import strategies as st

from hipflex.domain.markup import escape, quoteattr

MARKUP = st.text(alphabet=st.sampled_from("&<>\"'\n\r\t a;#é"), max_size=30) | st.text()


@given(MARKUP)
@example("")
@example('&amp; <b> "it\'s"\n\t')
def test_escape_and_quoteattr_answer_what_saxutils_answers(text: str):
    assert escape(text) == sax_escape(text)
    assert quoteattr(text) == sax_quoteattr(text)
