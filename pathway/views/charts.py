"""Small server-rendered charts: inline SVG, no JavaScript, no chart library, no external fonts.

Plain SVG elements only (rect, line, polyline, circle, text) so the same markup renders in the
browser and in WeasyPrint PDFs. The chart is an image with a text alternative (role="img", a
<title> and aria-label) that says what it shows: first and last values, lowest and highest. Pages
put a table of the same figures beside it.
"""

from __future__ import annotations

import math
from datetime import date

from markupsafe import Markup, escape

WIDTH, HEIGHT = 320, 150
LEFT, RIGHT, TOP, BOTTOM = 40, 12, 12, 28
LINE_COLOUR = "#1d70b8"  # GOV.UK blue: 5.2:1 on white
TEXT_COLOUR = "#0b0c0c"
AXIS_COLOUR = "#505a5f"  # 7:1 on white
GRID_COLOUR = "#b1b4b6"
FONT = "system-ui, sans-serif"


def _format(value: float, unit: str) -> str:
    if unit == "%":
        return f"{round(value)}%"
    text = f"{round(value, 1):.1f}".removesuffix(".0")
    return f"{text} {unit}" if unit else text


def _month(d: date) -> str:
    return f"{d:%B %Y}"


def _short_month(d: date) -> str:
    return f"{d:%b %Y}"


def _nice_max(value: float) -> float:
    """A round number at or above ``value`` for the top of the axis (1, 2, 5, 10, 20, 50...)."""
    if value <= 0:
        return 1.0
    magnitude = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * magnitude:
            return step * magnitude
    return 10 * magnitude  # pragma: no cover


def describe(points: list[tuple[date, float | None]], *, label: str, unit: str = "%") -> str:
    """The chart's text alternative: what it covers, first and last, lowest and highest."""
    known = [(d, v) for d, v in points if v is not None]
    if not points:
        return f"{label}: no figures."
    span = f"{_month(points[0][0])} to {_month(points[-1][0])}" if len(points) > 1 else _month(points[0][0])
    if not known:
        return f"{label}, {span}: no figures."
    (first_day, first), (last_day, last) = known[0], known[-1]
    parts = [f"{label}, {span}."]
    if len(known) == 1:
        parts.append(f"{_format(first, unit)} in {_month(first_day)}.")
    else:
        low_day, low = min(known, key=lambda p: p[1])
        high_day, high = max(known, key=lambda p: p[1])
        parts.append(f"From {_format(first, unit)} in {_month(first_day)} to {_format(last, unit)} in {_month(last_day)}.")
        if low == high:
            parts.append(f"The same every month: {_format(low, unit)}.")
        else:
            parts.append(f"Lowest {_format(low, unit)} ({_month(low_day)}), highest {_format(high, unit)} ({_month(high_day)}).")
    missing = len(points) - len(known)
    if missing:
        parts.append(f"No figure for {missing} month{'s' if missing != 1 else ''}.")
    return " ".join(parts)


def line_chart_svg(points: list[tuple[date, float | None]], *, label: str, unit: str = "%",
                   max_value: float | None = None) -> Markup:
    """An inline SVG line chart of (date, value) points, oldest first; None is a gap in the line.

    The y axis runs from 0 to ``max_value`` (default: a round number above the highest value).
    Scales with its container (viewBox, width 100%); 320 x 150 units.
    """
    points = list(points)
    summary = describe(points, label=label, unit=unit)
    known = [v for _, v in points if v is not None]
    if max_value is not None and max_value > 0:
        top = max_value
    elif known:
        top = _nice_max(max(known))
    else:
        top = 100.0 if unit == "%" else 1.0
    top = max(top, max(known, default=0.0))
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def x(i: int) -> float:
        return LEFT + (plot_w / 2 if len(points) == 1 else plot_w * i / (len(points) - 1))

    def y(v: float) -> float:
        return TOP + plot_h - plot_h * (max(v, 0.0) / top)

    parts: list[Markup] = [_element("title", summary), _element("rect", x=0, y=0, width=WIDTH, height=HEIGHT, fill="#ffffff")]
    text_style = {"font_size": 11, "font_family": FONT, "fill": TEXT_COLOUR}
    for fraction in (0, 0.5, 1):
        gy = y(top * fraction)
        colour = AXIS_COLOUR if fraction == 0 else GRID_COLOUR
        parts.append(_element("line", x1=LEFT, y1=f"{gy:.1f}", x2=WIDTH - RIGHT, y2=f"{gy:.1f}", stroke=colour,
                              stroke_width=1))
        parts.append(_element("text", _format(top * fraction, unit), x=LEFT - 4, y=f"{gy + 4:.1f}",
                              text_anchor="end", **text_style))
    if points:
        labels = [(0, "middle")] if len(points) == 1 else [(0, "start"), (len(points) - 1, "end")]
        for i, anchor in labels:
            parts.append(_element("text", _short_month(points[i][0]), x=f"{x(i):.1f}", y=HEIGHT - 8,
                                  text_anchor=anchor, **text_style))
    segments: list[list[str]] = [[]]
    for i, (_, value) in enumerate(points):
        if value is None:
            segments.append([])
        else:
            segments[-1].append(f"{x(i):.1f},{y(value):.1f}")
    for segment in segments:
        if len(segment) > 1:
            parts.append(_element("polyline", points=" ".join(segment), fill="none", stroke=LINE_COLOUR,
                                  stroke_width=2.5, stroke_linejoin="round"))
    for i, (_, value) in enumerate(points):
        if value is not None:
            parts.append(_element("circle", cx=f"{x(i):.1f}", cy=f"{y(value):.1f}", r=3, fill=LINE_COLOUR))
    return _element(
        "svg", Markup("").join(parts), xmlns="http://www.w3.org/2000/svg", viewBox=f"0 0 {WIDTH} {HEIGHT}",
        width="100%", role="img", aria_label=summary, preserveAspectRatio="xMinYMin meet", focusable="false",
        class_="app-chart",
    )


def _element(name: str, content: str | Markup | None = None, **attributes: object) -> Markup:
    """One SVG element; attribute names with _ become - (a trailing _ is dropped); values and text escaped.

    Plain string building with ``escape`` (MarkupSafe's C escaping) on every value and on the text:
    ``Markup.format`` is several times slower, and a page has hundreds of these.
    """
    attrs = "".join(f' {key.rstrip("_").replace("_", "-")}="{escape(str(value))}"' for key, value in attributes.items())
    if content is None:
        return Markup(f"<{name}{attrs}/>")  # noqa: S704 - name is ours; every value is escaped above # nosec B704
    return Markup(f"<{name}{attrs}>{escape(content)}</{name}>")  # noqa: S704 - as above; escape keeps Markup as is # nosec B704
