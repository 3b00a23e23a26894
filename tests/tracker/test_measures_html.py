"""The measures' tables, month-by-month tables and bar charts are written in Python, not by a
template (issue 19: a page of measures has some 1,400 cells). What a reader gets must be what the
templates wrote: headers and cells in their places, figures right-aligned, counts linked to
their children with the words a screen reader says, every text escaped."""

from __future__ import annotations

from html.parser import HTMLParser

from django.template import Context, Template

from tracker.dashboard.charts import BarItem, bar_chart
from tracker.dashboard.measures import Cell, Table, Trend


class _Parsed(HTMLParser):
    """The elements written, as [tag, attributes, all the text inside it]."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.elements: list[list] = []
        self.open: list[list] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        element = [tag, dict(attrs), ""]
        self.elements.append(element)
        if tag not in ("rect", "line"):
            self.open.append(element)

    def handle_endtag(self, tag):
        while self.open and self.open.pop()[0] != tag:
            pass

    def handle_data(self, data):
        for element in self.open:
            element[2] += data


def _render(value) -> str:
    """VALUE as a page's template writes it."""
    return Template("{{ value }}").render(Context({"value": value}))


def _table() -> Table:
    return Table(
        caption="Plans & reviews, by team",
        headers=["Team", "Due", "Share"],
        rows=[
            ["North <east>", Cell(3, "/tracker/?team=1"), "50%"],
            ["All teams", Cell(0), "0%"],
        ],
    )


def test_a_table_has_its_caption_headers_and_rows_with_every_text_escaped():
    html = _render(_table())
    assert "<east>" not in html and "North &lt;east&gt;" in html
    assert "Plans &amp; reviews, by team" in html
    elements = _Parsed(html).elements
    headers = [(e[1]["scope"], e[2]) for e in elements if e[0] == "th"]
    assert headers == [
        ("col", "Team"),
        ("col", "Due"),
        ("col", "Share"),
        ("row", "North <east>"),
        ("row", "All teams"),
    ]
    cells = [e for e in elements if e[0] == "td"]
    assert [c[2] for c in cells] == ["3 children, North <east>: due", "50%", "0", "0%"]
    assert "".join(e[2] for e in elements if e[0] == "caption") == "Plans & reviews, by team"
    assert all("govuk-table__cell--numeric" in c[1]["class"] for c in cells)


def test_a_count_links_to_its_children_and_says_what_it_counts():
    elements = _Parsed(_render(_table())).elements
    links = [e for e in elements if e[0] == "a"]
    assert [link[1]["href"] for link in links] == ["/tracker/?team=1"]
    hidden = [e[2] for e in elements if e[0] == "span"]
    assert hidden == [" children, North <east>: due"]


def test_columns_before_the_numbers_are_not_right_aligned():
    table = Table(
        caption="c", headers=["Rule", "Team", "Overdue"], rows=[["A", "B", "1"]], numeric_from=2
    )
    elements = _Parsed(_render(table)).elements
    header_classes = [e[1]["class"] for e in elements if e[0] == "th"][:3]
    assert ["numeric" in c for c in header_classes] == [False, False, True]
    cell_classes = [e[1]["class"] for e in elements if e[0] == "td"]
    assert ["numeric" in c for c in cell_classes] == [False, True]


def test_an_empty_table_writes_nothing():
    assert _render(Table(caption="c", headers=["a"], rows=[])).strip() == ""


def test_a_trend_draws_each_months_bar_in_its_share_cell():
    trend = Trend(
        caption="Month by month",
        headers=["Month", "Share", "Due"],
        rows=[["Jan 2026", "50%", Cell(2, "/x")], ["Feb 2026", "0%", Cell(0)]],
        bars=[50.0, 0],
    )
    elements = _Parsed(_render(trend)).elements
    bars = [e[1]["width"] for e in elements if e[0] == "rect"]
    assert bars == ["50.0", "0"]
    # Each bar is inside the row's first cell (the share), before the figure.
    tags = [e[0] for e in elements]
    first_row = tags.index("tr", tags.index("tbody"))
    assert tags[first_row : first_row + 5] == ["tr", "th", "td", "svg", "rect"]
    assert [e[1]["href"] for e in elements if e[0] == "a"] == ["/x"]


def test_a_chart_is_an_image_with_its_title_description_bars_and_target():
    chart = bar_chart(
        id="chart-x",
        title="Days <to> a match",
        description="All teams: 90 days.",
        items=[
            BarItem("North & south", 90, "90 days", target=121, target_text="threshold"),
            BarItem("West", 0, "0 days"),
        ],
    )
    html = _render(chart)
    assert "<to>" not in html and "North &amp; south" in html
    elements = _Parsed(html).elements
    svg = elements[0]
    assert svg[0] == "svg" and svg[1]["role"] == "img"
    assert svg[1]["aria-labelledby"] == "chart-x-title chart-x-desc"
    assert [e[2] for e in elements[1:] if e[0] in ("title", "desc")] == [
        "Days <to> a match",
        "All teams: 90 days. The table below gives every figure.",
    ]
    assert [e[2] for e in elements if e[0] == "text"] == [
        "North & south",
        "90 days",
        "West",
        "0 days",
    ]
    widths = [float(e[1]["width"]) for e in elements if e[0] == "rect"]
    assert widths[0] > widths[1] == 0
    assert len([e for e in elements if e[0] == "line"]) == 1  # only the bar with a target


def test_a_chart_with_nothing_to_draw_says_so():
    chart = bar_chart(id="c", title="t", description="d", items=[])
    assert "Nothing to show for this period." in _render(chart)
