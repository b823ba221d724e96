"""The server-rendered SVG line chart: valid XML, a text alternative, and odd data handled."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import date

from markupsafe import Markup

from pathway.views.charts import describe, line_chart_svg

SVG = "{http://www.w3.org/2000/svg}"
MONTHS = [date(2025, m, 1) for m in range(7, 13)] + [date(2026, m, 1) for m in range(1, 7)]


def parse(markup: Markup) -> ET.Element:
    assert isinstance(markup, Markup)
    return ET.fromstring(str(markup))  # noqa: S314 - our own markup, not untrusted input


def test_a_full_year_parses_and_has_a_text_alternative():
    values = [50, 55, 60, 58, 70, 72, 75, 80, 78, 76, 74, 73]
    svg = parse(line_chart_svg(list(zip(MONTHS, values, strict=True)), label="In touch"))
    assert svg.tag == f"{SVG}svg"
    assert svg.get("role") == "img"
    assert svg.get("viewBox") == "0 0 320 150"
    title = svg.find(f"{SVG}title")
    assert title is not None and svg[0] is title
    assert title.text == svg.get("aria-label")
    assert title.text == ("In touch, July 2025 to June 2026. From 50% in July 2025 to 73% in June 2026. "
                          "Lowest 50% (July 2025), highest 80% (February 2026).")
    assert len(svg.findall(f"{SVG}polyline")) == 1
    assert len(svg.findall(f"{SVG}circle")) == 12
    allowed = {"title", "rect", "line", "polyline", "circle", "text"}
    assert {child.tag.removeprefix(SVG) for child in svg} <= allowed
    texts = [t.text for t in svg.findall(f"{SVG}text")]
    assert "100%" in texts and "0%" in texts  # a percentage axis tops out at 100
    assert "Jul 2025" in texts and "Jun 2026" in texts


def test_none_points_break_the_line_and_are_reported():
    points = [(MONTHS[0], 10.0), (MONTHS[1], 20.0), (MONTHS[2], None), (MONTHS[3], 30.0), (MONTHS[4], 40.0)]
    svg = parse(line_chart_svg(points, label="EET"))
    assert len(svg.findall(f"{SVG}polyline")) == 2
    assert len(svg.findall(f"{SVG}circle")) == 4
    assert "No figure for 1 month." in svg.find(f"{SVG}title").text


def test_all_none_and_empty():
    svg = parse(line_chart_svg([(MONTHS[0], None), (MONTHS[1], None)], label="EET"))
    assert svg.find(f"{SVG}polyline") is None and svg.find(f"{SVG}circle") is None
    assert svg.find(f"{SVG}title").text == "EET, July 2025 to August 2025: no figures."
    empty = parse(line_chart_svg([], label="EET"))
    assert empty.find(f"{SVG}title").text == "EET: no figures."


def test_a_single_point_is_a_dot_in_the_middle():
    svg = parse(line_chart_svg([(MONTHS[0], 12.5)], label="Average caseload", unit=""))
    assert svg.find(f"{SVG}polyline") is None
    circle = svg.find(f"{SVG}circle")
    assert float(circle.get("cx")) == 40 + (320 - 40 - 12) / 2
    assert svg.find(f"{SVG}title").text == "Average caseload, July 2025. 12.5 in July 2025."


def test_all_equal_values_and_zero():
    svg = parse(line_chart_svg([(d, 0.0) for d in MONTHS[:3]], label="Changes", unit=""))
    assert "The same every month: 0." in svg.find(f"{SVG}title").text
    ys = {c.get("cy") for c in svg.findall(f"{SVG}circle")}
    assert len(ys) == 1  # a flat line, drawn on the axis without dividing by zero
    flat = parse(line_chart_svg([(d, 75.0) for d in MONTHS[:3]], label="In touch"))
    assert "The same every month: 75%." in flat.find(f"{SVG}title").text


def test_max_value_sets_the_top_and_counts_get_a_round_top():
    svg = parse(line_chart_svg([(MONTHS[0], 3.0), (MONTHS[1], 7.0)], label="Caseload", unit="", max_value=20))
    assert "20" in [t.text for t in svg.findall(f"{SVG}text")]
    rounded = parse(line_chart_svg([(MONTHS[0], 3.0), (MONTHS[1], 17.0)], label="Caseload", unit=""))
    assert "20" in [t.text for t in rounded.findall(f"{SVG}text")]
    # the highest point sits on the top grid line
    top_line = min(float(line.get("y1")) for line in rounded.findall(f"{SVG}line"))
    assert min(float(c.get("cy")) for c in rounded.findall(f"{SVG}circle")) > top_line


def test_the_label_is_escaped():
    markup = line_chart_svg([(MONTHS[0], 1.0)], label='<script>alert("x")</script> & co')
    assert "<script>" not in str(markup)
    svg = parse(markup)
    assert svg.find(f"{SVG}title").text.startswith('<script>alert("x")</script> & co')
    assert svg.get("aria-label").startswith('<script>alert("x")</script> & co')


def test_describe_names_lowest_and_highest():
    text = describe([(MONTHS[0], 5.0), (MONTHS[1], 2.0), (MONTHS[2], 9.0)], label="X", unit="")
    assert text == ("X, July 2025 to September 2025. From 5 in July 2025 to 9 in September 2025. "
                    "Lowest 2 (August 2025), highest 9 (September 2025).")


def test_the_chart_renders_in_a_pdf():
    from pathway.pdf import render_pdf

    chart = line_chart_svg([(d, float(i * 5)) for i, d in enumerate(MONTHS)], label="In touch")
    pdf = render_pdf(f'<html lang="en-GB"><head><title>Summary</title></head><body><div>{chart}</div></body></html>')
    assert pdf.startswith(b"%PDF")
