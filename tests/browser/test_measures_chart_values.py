"""The figure written after a chart's longest bar is read in full, not cut at the chart's edge
("6 childre"), on a wide screen and a narrow one (issue 16)."""

import datetime as dt

import pytest
from django.utils import timezone

from tests.tracker.test_measures import row
from tests.tracker.test_measures_behind import months_back

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

# A figure as long as a large authority's: wider than the room the layout leaves after the bar.
LONG = "1,231 days, 1,216 children"

SHOWN_IN_FULL = """svg => {
    const texts = [...svg.querySelectorAll("text")].filter(t => Number(t.getAttribute("x")) > 0);
    const x = t => Number(t.getAttribute("x"));
    const longest = texts.reduce((a, b) => (x(a) >= x(b) ? a : b));
    longest.textContent = LONG;
    const box = svg.getBoundingClientRect(), text = longest.getBoundingClientRect();
    const clips = getComputedStyle(svg).overflow !== "visible";
    return {
        cut: clips && text.right > box.right + 0.5,
        offPage: text.right > document.documentElement.clientWidth,
    };
}""".replace("LONG", repr(LONG))


@pytest.mark.parametrize("width", [1280, 400])
def test_the_value_after_the_longest_bar_is_not_cut(
    page, live_server, login, team, head_of_service, width
):
    due = months_back(2) + dt.timedelta(days=4)
    row(team, second_review_due=due)
    row(team, second_review_due=due, first_ratified_on=due - dt.timedelta(days=9))
    row(team, second_review_due=timezone.localdate() - dt.timedelta(days=40))

    page.set_viewport_size({"width": width, "height": 900})
    login(page, "hos")
    page.goto(f"{live_server.url}/tracker/measures/")
    chart = page.locator("section#ratified svg.app-chart")
    assert chart.evaluate(SHOWN_IN_FULL) == {"cut": False, "offPage": False}
