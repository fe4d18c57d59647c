"""Progress charts, drawn once with matplotlib as SVG and PNG, used by every report format."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from hipflex.domain.plurals import counted
from hipflex.domain.tracking import responder_ceiling
from hipflex.services.progress import ProgressView

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

# Light colours that stay readable in print and for colour-blind readers; lines also
# differ by marker and style, so colour never carries the meaning alone.
INK = "#1f2937"
BLUE = "#2563eb"
ORANGE = "#d97706"
GREY = "#9ca3af"
SIZE = (7.0, 2.6)  # inches: a chart a page wide, three to a page
# PROTOCOL.md 2.4: the sitting band floors, drawn as reference lines.
BAND_LINES = ((4, "moderate"), (6, "high"), (8, "very high"))
EPOCH = date(1970, 1, 1)  # matplotlib's default date epoch


@dataclass(frozen=True)
class Chart:
    title: str
    description: str  # for screen readers and as a caption
    svg: str
    png: bytes


def _figure() -> Figure:
    import matplotlib as mpl

    mpl.use("Agg")
    from matplotlib.figure import Figure

    figure = Figure(figsize=SIZE, dpi=110)
    figure.set_layout_engine("constrained")
    return figure


def _render(figure: Figure, title: str, description: str) -> Chart:
    svg = io.StringIO()
    figure.savefig(svg, format="svg", metadata={"Date": None})
    text = svg.getvalue()
    text = text[text.index("<svg") :]  # drop the XML declaration and DOCTYPE: it goes inline
    png = io.BytesIO()
    figure.savefig(png, format="png", metadata={"Software": None})
    return Chart(title, description, text, png.getvalue())


def _dates_axis(axes: Axes, view: ProgressView) -> None:
    """Dates from the block's start to today, labelled concisely whatever the span."""
    from matplotlib.dates import AutoDateLocator, ConciseDateFormatter

    locator = AutoDateLocator()
    axes.xaxis.set_major_locator(locator)
    axes.xaxis.set_major_formatter(ConciseDateFormatter(locator))
    first = view.block.started_on if view.block is not None else min(view.sitting, default=None)
    if first is not None:
        axes.set_xlim(float((first - EPOCH).days), float((view.today - EPOCH).days) + 1.0)


def _empty(axes: Axes, message: str) -> None:
    axes.text(0.5, 0.5, message, ha="center", va="center", color=GREY)
    axes.set_xticks([])
    axes.set_yticks([])


def pain_reference_lines(baseline: float | None) -> tuple[tuple[str, float, str], ...]:
    """The pain chart's reference lines (label, level, line style): the baseline week and
    the level the verdict calls a meaningful change, read from the verdict's own rule (none
    under a baseline of 2, where no fall counts as a response)."""
    if baseline is None:
        return ()
    lines = [("baseline week", baseline, "--")]
    target = responder_ceiling(baseline)
    if target is not None and target >= 0:
        lines.append(("meaningful change", target, ":"))
    return tuple(lines)


def pain_chart(view: ProgressView) -> Chart:
    figure = _figure()
    axes = figure.add_subplot()
    daily = [(at, s) for at, s, what in view.pain_points if what == "daily"]
    sessions = [(at, s) for at, s, what in view.pain_points if what != "daily"]
    if not daily and not sessions:
        _empty(axes, "No pain ratings yet")
    else:
        if daily:
            axes.plot(*zip(*daily, strict=True), "o-", color=BLUE, ms=3, lw=1, label="daily")
        if sessions:
            axes.plot(*zip(*sessions, strict=True), "s", color=ORANGE, ms=3, label="sessions")
        for label, level, style in pain_reference_lines(view.pain.baseline):
            axes.axhline(level, color=GREY, ls=style, lw=1, label=label)
        axes.set_ylim(-0.3, 10.3)
        axes.set_ylabel("pain 0-10")
        axes.legend(loc="upper right", fontsize=7, frameon=False)
        _dates_axis(axes, view)
    axes.set_title("Pain", loc="left", color=INK)
    description = (
        f"Pain ratings over the block, {len(daily)} daily and {len(sessions)} around sessions."
    )
    return _render(figure, "Pain", description)


def adherence_chart(view: ProgressView) -> Chart:
    figure = _figure()
    axes = figure.add_subplot()
    if not view.weeks:
        _empty(axes, "No weeks yet")
    else:
        weeks = [w.week for w in view.weeks]
        planned = [w.planned for w in view.weeks]
        axes.bar(weeks, planned, width=0.6, color="#e5e7eb", label="planned")
        done = [w.done for w in view.weeks]
        axes.bar(weeks, done, width=0.6, color=BLUE, hatch="//", label="done")
        every = range(1, view.preferences.block_weeks + 1)
        axes.set_xticks(list(every), [f"week {w}" for w in every])
        axes.set_xlim(0.5, view.preferences.block_weeks + 0.5)
        axes.set_ylabel("sessions")
        axes.legend(loc="upper right", fontsize=7, frameon=False)
    axes.set_title("Sessions done per week", loc="left", color=INK)
    summary = ", ".join(f"week {w.week}: {w.done} of {w.planned}" for w in view.weeks)
    return _render(figure, "Adherence", f"Sessions done per week: {summary or 'none yet'}.")


def sitting_chart(view: ProgressView) -> Chart:
    figure = _figure()
    axes = figure.add_subplot()
    if not view.sitting:
        _empty(axes, "No sitting hours logged yet")
    else:
        days = [float((d - EPOCH).days) for d in view.sitting]  # matplotlib's date numbers
        hours = [e.hours for e in view.sitting.values()]
        axes.bar(days, hours, width=0.75, color=BLUE)
        axes.xaxis_date()
        for floor, name in BAND_LINES:
            axes.axhline(floor, color=GREY, ls=":", lw=1)
            axes.text(days[0], floor + 0.15, name, fontsize=6, color=GREY)
        axes.set_ylim(0, max(10.0, max(hours) + 1))
        axes.set_ylabel("hours")
        _dates_axis(axes, view)
    axes.set_title("Hours sitting per day", loc="left", color=INK)
    return _render(
        figure, "Sitting", f"Hours of sitting on {counted(len(view.sitting), 'logged day')}."
    )


def progress_charts(view: ProgressView) -> tuple[Chart, Chart, Chart]:
    return pain_chart(view), adherence_chart(view), sitting_chart(view)
