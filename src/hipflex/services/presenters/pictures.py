"""A drawn picture of an exercise or a self-test, as the pages and the report take it."""

from __future__ import annotations

from hipflex.services.presenters.common import Out


class PictureOut(Out):
    """One figure two ways: `moving` loops through the key positions at the exercise's
    tempo, `still` shows them side by side (reduced motion, print). Both are inline SVG
    with role="img", an aria-label, a <title> and a <desc>: `label` and `description`."""

    label: str
    description: str
    moving: str
    still: str
