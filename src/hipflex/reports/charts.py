"""Progress charts as plain SVG, drawn once and used by every report format: inline on the
progress page (its stylesheet gives them the theme's colours), in the HTML report and, as
vector graphics, in the PDF.

Each element carries a class (for the page's light and dark colours) and a light colour of
its own (for the report and the PDF), never a style attribute (the page's
Content-Security-Policy forbids them). The drawing scales with its viewBox; the text is big
enough to read on a 375 px phone. Every chart comes with its numbers as a table, and with
shapes as well as colours, so colour never carries the meaning alone."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from threading import Lock
from zoneinfo import ZoneInfo

from hipflex.domain.assessment import SITTING_BAND_FLOORS
from hipflex.domain.limits import PAIN_RANGE
from hipflex.domain.markup import escape, quoteattr
from hipflex.domain.plurals import counted
from hipflex.domain.tracking import responder_ceiling
from hipflex.reports.axes import DateAxis, count_ticks, date_axis
from hipflex.services.progress import ProgressView

# The drawing's own units: the page scales it to its width (a phone's ~340 px: 0.9).
WIDTH, HEIGHT = 380, 280
LEFT, RIGHT, BOTTOM = 40, 12, 30  # room for the value labels and the date labels
FONT = 14
FONT_SMALL = 13
FONT_FAMILY = "DejaVu Sans, Verdana, sans-serif"
LINE = 19  # a legend row

# The light colours (the report and the PDF); the page restyles each class per theme.
COLOURS = {
    "ink": "#1f2937",
    "muted": "#4b5563",
    "grid": "#d1d5db",
    "daily": "#1d4ed8",
    "session": "#b45309",
    "planned": "#e5e7eb",
    "done": "#1d4ed8",
    "bar": "#1d4ed8",
    "rule": "#4b5563",
    "surface": "#ffffff",
}


@dataclass(frozen=True)
class ChartTable:
    caption: str
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class Chart:
    name: str  # "pain", "adherence" or "sitting": the chart's address and ids
    title: str
    description: str  # the text alternative, also the caption
    svg: str
    table: ChartTable


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


def sitting_reference_lines() -> tuple[tuple[str, float], ...]:
    """The sitting bands' floors above zero (PROTOCOL.md 2.4), from the domain's table."""
    return tuple(
        (band.value.replace("_", " "), floor) for floor, band in SITTING_BAND_FLOORS if floor > 0
    )


DASHES = {"--": "6 4", ":": "2 3"}


def _num(value: float) -> str:
    return f"{value:.1f}".removesuffix(".0")


class _Canvas:
    """SVG elements in the drawing's units; each element has a class and a light colour."""

    def __init__(self, name: str, description: str) -> None:
        self.name = name
        self.parts: list[str] = []
        self.description = description

    def add(self, tag: str, role: str, **attributes: str | float) -> None:
        self.parts.append(self._element(tag, role, attributes))

    def _element(self, tag: str, role: str, attributes: dict[str, str | float]) -> str:
        text = str(attributes.pop("text", ""))
        pairs = "".join(
            f" {key.rstrip('_').replace('_', '-')}={quoteattr(str(value))}"
            for key, value in attributes.items()
        )
        klass = f' class="ch-{role}"' if role else ""
        return f"<{tag}{klass}{pairs}>{escape(text)}</{tag}>" if text else f"<{tag}{klass}{pairs}/>"

    def text(
        self, at: tuple[float, float], words: str, role: str = "ink", **how: str | float
    ) -> None:
        """`how`: anchor ("start", "middle" or "end") and size."""
        x, y = at
        self.add(
            "text",
            role,
            x=_num(x),
            y=_num(y),
            fill=COLOURS[role],
            font_size=how.get("size", FONT),
            text_anchor=how.get("anchor", "start"),
            text=words,
        )

    def line(
        self,
        ends: tuple[float, float, float, float],
        role: str,
        dash: str = "",
        width: float = 1.0,
        *,
        level: float | None = None,
    ) -> None:
        """`level`: a reference line's value in the chart's unit, kept as data-level."""
        x1, y1, x2, y2 = ends
        extra: dict[str, str | float] = {"stroke_dasharray": dash} if dash else {}
        if level is not None:
            extra["data_level"] = f"{level:g}"
        self.add(
            "line",
            role,
            x1=_num(x1),
            y1=_num(y1),
            x2=_num(x2),
            y2=_num(y2),
            stroke=COLOURS[role],
            stroke_width=width,
            **extra,
        )

    def marker(self, x: float, y: float, shape: str, role: str) -> None:
        """A filled dot ("dot"), a hollow triangle pointing down ("down") or up ("up")."""
        if shape == "dot":
            self.add("circle", role, cx=_num(x), cy=_num(y), r=4, fill=COLOURS[role])
            return
        size = 7.5
        tip = y + size if shape == "down" else y - size
        base = y - size * 0.6 if shape == "down" else y + size * 0.6
        points = (
            f"{_num(x - size)},{_num(base)} {_num(x + size)},{_num(base)} {_num(x)},{_num(tip)}"
        )
        self.add(
            "polygon",
            f"{role}-{shape}",
            points=points,
            fill="none",
            stroke=COLOURS[role],
            stroke_width=1.6,
        )

    def svg(self) -> str:
        body = "".join(self.parts)
        return (
            f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
            f'width="{WIDTH}" height="{HEIGHT}" class="chart-svg" id="chart-svg-{self.name}" '
            f'role="img" aria-label={quoteattr(self.description)} '
            f'font-family="{FONT_FAMILY}">'
            f"<title>{escape(self.description)}</title>{body}</svg>"
        )


@dataclass(frozen=True)
class _Legend:
    label: str
    role: str
    shape: str  # "dot", "down", "up", "bar", "outline", a dash pattern ("--", ":") or ""


def _legend(canvas: _Canvas, items: Sequence[_Legend], top: float) -> float:
    """The legend in rows under the title (an item without a shape is words only), then a
    row for the unit; returns where the plot may start."""
    x, y = float(LEFT), top
    for item in items:
        sample = 23 if item.shape else 0
        width = sample + 3 + len(item.label) * FONT_SMALL * 0.5
        if x + width > WIDTH - RIGHT and x > LEFT:
            x, y = float(LEFT), y + LINE
        middle = y - FONT_SMALL * 0.35
        if not item.shape:
            pass
        elif item.shape in {"dot", "down", "up"}:
            if item.shape == "dot":
                canvas.line((x, middle, x + 18, middle), item.role, width=1.5)
            canvas.marker(x + 9, middle, item.shape, item.role)
        elif item.shape in {"bar", "outline"}:
            canvas.add(
                "rect",
                item.role,
                x=_num(x + 3),
                y=_num(middle - 5),
                width=12,
                height=10,
                fill=COLOURS[item.role] if item.shape == "bar" else "none",
                stroke=COLOURS["ink"] if item.shape == "outline" else "none",
                stroke_dasharray="3 2" if item.shape == "outline" else "",
            )
        else:
            canvas.line((x, middle, x + 18, middle), item.role, DASHES[item.shape], 1.5)
        canvas.text((x + sample, y), item.label, "ink", size=FONT_SMALL)
        x += width + 8
    return y + LINE


@dataclass(frozen=True)
class _Frame:
    """The plot area and its scales: x in days since the axis's start (or week numbers), y
    in the chart's unit."""

    top: float
    x_from: float
    x_to: float
    y_to: float

    @property
    def bottom(self) -> float:
        return HEIGHT - BOTTOM

    def x(self, value: float) -> float:
        share = (value - self.x_from) / (self.x_to - self.x_from)
        return LEFT + share * (WIDTH - LEFT - RIGHT)

    def y(self, value: float) -> float:
        return self.bottom - value / self.y_to * (self.bottom - self.top)


def _value_axis(canvas: _Canvas, frame: _Frame, ticks: Sequence[float], unit: str) -> None:
    for tick in ticks:
        y = frame.y(tick)
        canvas.line((LEFT, y, WIDTH - RIGHT, y), "grid")
        canvas.text(
            (LEFT - 6, y + FONT_SMALL * 0.35), _num(tick), "muted", anchor="end", size=FONT_SMALL
        )
    canvas.text((WIDTH - RIGHT, frame.top - 8), unit, "muted", anchor="end", size=FONT_SMALL)


def _date_ticks(canvas: _Canvas, frame: _Frame, axis: DateAxis) -> None:
    for day, label in zip(axis.ticks, axis.labels, strict=True):
        x = frame.x((day - axis.start).days + 0.5)
        canvas.line((x, frame.bottom, x, frame.bottom + 4), "muted")
        canvas.text((x, frame.bottom + 18), label, "muted", anchor="middle", size=FONT_SMALL)


def _start(name: str, title: str, description: str) -> _Canvas:
    canvas = _Canvas(name, description)
    canvas.text((0, FONT + 2), title, "ink", size=FONT + 1)
    return canvas


def _empty(canvas: _Canvas, message: str) -> str:
    canvas.text((WIDTH / 2, HEIGHT / 2), message, "muted", anchor="middle")
    return canvas.svg()


def _when(at: datetime, zone: ZoneInfo, start: date) -> float:
    local = at.astimezone(zone)
    seconds = local.hour * 3600 + local.minute * 60 + local.second
    return (local.date() - start).days + seconds / 86400


def _first_day(view: ProgressView, *others: date) -> date:
    if view.block is not None:
        return min(view.block.started_on, *others) if others else view.block.started_on
    return min(others, default=view.today)


SESSION_WORDS = {"before": "before a session", "after": "after a session", "daily": "daily"}


def pain_chart(view: ProgressView) -> Chart:
    title = "Pain, 0 to 10"
    daily = [(at, s) for at, s, what in view.pain_points if what == "daily"]
    sessions = [p for p in view.pain_points if p[2] != "daily"]
    description = (
        f"Pain ratings over the block: {counted(len(daily), 'daily rating')} (dots joined by "
        f"a line) and {counted(len(sessions), 'rating')} around sessions (triangles)."
    )
    table = ChartTable(
        "Pain ratings",
        ("When", "Pain", "Rated"),
        tuple(
            (at.astimezone(view.zone).strftime("%Y-%m-%d %H:%M"), _num(s), SESSION_WORDS[what])
            for at, s, what in view.pain_points
        ),
    )
    canvas = _start("pain", title, description)
    if not view.pain_points:
        return Chart("pain", "Pain", description, _empty(canvas, "No pain ratings yet"), table)
    days = [at.astimezone(view.zone).date() for at, _, _ in view.pain_points]
    axis = date_axis(_first_day(view, *days), max(view.today, *days))
    lines = pain_reference_lines(view.pain.baseline)
    legend = [_Legend("daily", "daily", "dot")]
    shapes = {"before": "down", "after": "up"}
    legend += [
        _Legend(SESSION_WORDS[what], "session", shapes[what])
        for what in ("before", "after")
        if any(p[2] == what for p in sessions)
    ]
    legend += [_Legend(label, "rule", style) for label, _, style in lines]
    top = _legend(canvas, legend, FONT * 2 + 12)
    frame = _Frame(top + 8, 0, axis.days, float(PAIN_RANGE[1]))
    _value_axis(canvas, frame, range(PAIN_RANGE[0], PAIN_RANGE[1] + 1, 2), "pain")
    _date_ticks(canvas, frame, axis)
    for _, level, style in lines:
        y = frame.y(level)
        canvas.line((LEFT, y, WIDTH - RIGHT, y), "rule", DASHES[style], 1.5, level=level)
    # Session ratings first, hollow and larger: the daily dots drawn over them stay visible.
    for at, score, what in sessions:
        canvas.marker(
            frame.x(_when(at, view.zone, axis.start)), frame.y(score), shapes[what], "session"
        )
    if daily:
        points = [(frame.x(_when(at, view.zone, axis.start)), frame.y(pain)) for at, pain in daily]
        canvas.add(
            "polyline",
            "daily-line",
            points=" ".join(f"{_num(x)},{_num(y)}" for x, y in points),
            fill="none",
            stroke=COLOURS["daily"],
            stroke_width=1.5,
        )
        for x, y in points:
            canvas.marker(x, y, "dot", "daily")
    return Chart("pain", "Pain", description, canvas.svg(), table)


def adherence_chart(view: ProgressView) -> Chart:
    title = "Sessions done per week"
    summary = ", ".join(f"week {w.week}: {w.done} of {w.planned}" for w in view.weeks)
    description = f"Sessions done per week: {summary or 'none yet'}."
    table = ChartTable(
        "Sessions per week",
        ("Week", "Planned", "Done"),
        tuple((str(w.week), str(w.planned), str(w.done)) for w in view.weeks),
    )
    canvas = _start("adherence", title, description)
    if not view.weeks:
        return Chart("adherence", "Adherence", description, _empty(canvas, "No weeks yet"), table)
    legend = [_Legend("planned", "planned", "outline"), _Legend("done", "done", "bar")]
    top = _legend(canvas, legend, FONT * 2 + 12)
    weeks = view.preferences.block_weeks
    ticks = count_ticks(max(max(w.planned, w.done) for w in view.weeks))
    frame = _Frame(top + 8, 0.5, weeks + 0.5, float(ticks[-1]))
    _value_axis(canvas, frame, ticks, "sessions")
    slot = frame.x(1.5) - frame.x(0.5)
    for week in range(1, weeks + 1):
        x = frame.x(week)
        canvas.text(
            (x, frame.bottom + 18), f"week {week}", "muted", anchor="middle", size=FONT_SMALL
        )
    for w in view.weeks:
        x = frame.x(w.week) - slot * 0.3
        for value, role in ((w.planned, "planned"), (w.done, "done")):
            if value <= 0:
                continue
            canvas.add(
                "rect",
                role,
                x=_num(x),
                y=_num(frame.y(value)),
                width=_num(slot * 0.6),
                height=_num(frame.bottom - frame.y(value)),
                fill=COLOURS[role],
                stroke=COLOURS["ink"] if role == "planned" else "none",
                stroke_dasharray="3 2" if role == "planned" else "",
            )
    return Chart("adherence", "Adherence", description, canvas.svg(), table)


def sitting_chart(view: ProgressView) -> Chart:
    title = "Hours sitting per day"
    description = f"Hours of sitting on {counted(len(view.sitting), 'logged day')}."
    table = ChartTable(
        "Hours sitting per day",
        ("Day", "Hours"),
        tuple((day.isoformat(), _num(entry.hours)) for day, entry in view.sitting.items()),
    )
    canvas = _start("sitting", title, description)
    if not view.sitting:
        message = "No sitting hours logged yet"
        return Chart("sitting", "Sitting", description, _empty(canvas, message), table)
    axis = date_axis(_first_day(view, *view.sitting), max(view.today, *view.sitting))
    lines = sitting_reference_lines()
    top_floor = max(floor for _, floor in lines)
    ticks = count_ticks(max(top_floor + 2, *(e.hours for e in view.sitting.values())))
    legend = [_Legend("sitting bands from", "rule", ":")]
    words = [f"{name} {_num(floor)} h" for name, floor in reversed(lines)]
    legend += [
        _Legend(w + ("," if i < len(words) - 1 else ""), "ink", "") for i, w in enumerate(words)
    ]
    top = _legend(canvas, legend, FONT * 2 + 12)
    frame = _Frame(top + 8, 0, axis.days, float(ticks[-1]))
    _value_axis(canvas, frame, ticks, "hours")
    _date_ticks(canvas, frame, axis)
    width = max(1.0, (frame.x(1) - frame.x(0)) * 0.75)
    for day, entry in sorted(view.sitting.items()):
        middle = frame.x((day - axis.start).days + 0.5)
        canvas.add(
            "rect",
            "bar",
            x=_num(middle - width / 2),
            y=_num(frame.y(entry.hours)),
            width=_num(width),
            height=_num(frame.bottom - frame.y(entry.hours)),
            fill=COLOURS["bar"],
        )
    for _, floor in lines:
        y = frame.y(floor)
        canvas.line((LEFT, y, WIDTH - RIGHT, y), "rule", DASHES[":"], 1.5, level=floor)
    return Chart("sitting", "Sitting", description, canvas.svg(), table)


# The charts of a view, kept until the data behind them changes: the key is everything
# they draw, so a new rating, session or sitting entry (or a new day) draws them again.
_CACHE: OrderedDict[Hashable, tuple[Chart, Chart, Chart]] = OrderedDict()
_CACHE_SIZE = 8
_LOCK = Lock()


def _key(view: ProgressView) -> Hashable:
    return (
        view.today,
        str(view.zone),
        None if view.block is None else view.block.started_on,
        view.preferences.block_weeks,
        view.pain_points,
        view.pain.baseline,
        view.weeks,
        tuple((day, entry.hours) for day, entry in view.sitting.items()),
    )


Charts = tuple[Chart, Chart, Chart]


def _cached(view: ProgressView, draw: Callable[[ProgressView], Charts]) -> Charts:
    key = _key(view)
    with _LOCK:
        if key in _CACHE:
            _CACHE.move_to_end(key)
            return _CACHE[key]
    charts = draw(view)
    with _LOCK:
        _CACHE[key] = charts
        while len(_CACHE) > _CACHE_SIZE:
            _CACHE.popitem(last=False)
    return charts


def _draw(view: ProgressView) -> tuple[Chart, Chart, Chart]:
    return pain_chart(view), adherence_chart(view), sitting_chart(view)


def progress_charts(view: ProgressView) -> tuple[Chart, Chart, Chart]:
    """The pain, adherence and sitting charts, drawn again only when their data changed."""
    return _cached(view, _draw)
