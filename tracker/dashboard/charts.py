"""Bar charts, laid out here and written as SVG.

A chart is a list of horizontal bars, each labelled above the bar so that long labels (a
deadline's name) need no room beside it, with its value written after the bar, and optionally a
mark for a target (426 days for adoption scorecard A1, 26 weeks for care proceedings). Every
chart is shown with a table of the same figures, for anyone who cannot see the picture.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.safestring import SafeString, mark_safe

from permanence.escaping import escape

WIDTH = 640
BAR_AREA = 500  # the rest is for the value written after the longest bar
ROW = 52
LABEL_BASELINE = 17
BAR_TOP = 24
BAR_HEIGHT = 20
TOP = 8


@dataclass(frozen=True)
class BarItem:
    label: str
    value: float
    text: str
    target: float | None = None
    target_text: str = ""


@dataclass(frozen=True)
class Bar:
    label: str
    text: str
    label_y: float
    bar_y: float
    width: float
    text_x: float
    text_y: float
    target_x: float | None
    target_text: str
    target_top: float
    target_bottom: float


@dataclass(frozen=True)
class BarChart:
    id: str
    title: str
    description: str
    width: int
    height: int
    bars: list[Bar]
    bar_height: int = BAR_HEIGHT

    @property
    def is_empty(self) -> bool:
        return not self.bars

    def __html__(self) -> SafeString:
        """The chart as an SVG image titled and described for a screen reader, or a line saying
        there is nothing to show. Written here, not by a template: a page of measures has a
        hundred bars of ten figures each."""
        if self.is_empty:
            return mark_safe('<p class="govuk-body">Nothing to show for this period.</p>')
        chart_id = escape(self.id)
        out = [
            f'<svg class="app-chart" viewBox="0 0 {self.width} {self.height}" '
            f'width="{self.width}" height="{self.height}" role="img" '
            f'aria-labelledby="{chart_id}-title {chart_id}-desc" focusable="false" '
            'xmlns="http://www.w3.org/2000/svg">'
            f'<title id="{chart_id}-title">{escape(self.title)}</title>'
            f'<desc id="{chart_id}-desc">{escape(self.description)} The table below gives every '
            "figure.</desc>"
        ]
        for bar in self.bars:
            out.append(
                f'<text x="0" y="{bar.label_y}">{escape(bar.label)}</text>'
                f'<rect class="app-chart__bar" x="0" y="{bar.bar_y}" width="{bar.width}" '
                f'height="{self.bar_height}"></rect>'
                f'<text x="{bar.text_x}" y="{bar.text_y}">{escape(bar.text)}</text>'
            )
            if bar.target_x is not None:
                out.append(
                    f'<line class="app-chart__target" x1="{bar.target_x}" x2="{bar.target_x}" '
                    f'y1="{bar.target_top}" y2="{bar.target_bottom}"></line>'
                )
        out.append("</svg>")
        return mark_safe("".join(out))  # noqa: S308 (every text above is escaped)

    # A template writes an object that is not text through str(), never __html__.
    __str__ = __html__


def _scale_max(items: list[BarItem]) -> float:
    values = [i.value for i in items] + [i.target for i in items if i.target is not None]
    return max([v for v in values if v is not None] + [1])


def bar_chart(*, id: str, title: str, description: str, items: list[BarItem]) -> BarChart:
    """Lay out horizontal bars, longest value (or target) across the bar area."""
    top = max(_scale_max(items), 1)
    bars = []
    for index, item in enumerate(items):
        y = TOP + index * ROW
        width = round(max(item.value, 0) / top * BAR_AREA, 1)
        if item.value > 0:
            width = max(width, 2)
        target_x = None
        if item.target is not None:
            target_x = round(item.target / top * BAR_AREA, 1)
        bars.append(
            Bar(
                label=item.label,
                text=item.text,
                label_y=y + LABEL_BASELINE,
                bar_y=y + BAR_TOP,
                width=width,
                text_x=round(width + 6, 1),
                text_y=y + BAR_TOP + BAR_HEIGHT - 4,
                target_x=target_x,
                target_text=item.target_text,
                target_top=y + BAR_TOP - 3,
                target_bottom=y + BAR_TOP + BAR_HEIGHT + 3,
            )
        )
    return BarChart(
        id=id,
        title=title,
        description=description,
        width=WIDTH,
        height=TOP + len(items) * ROW + 4,
        bars=bars,
    )
