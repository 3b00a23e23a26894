"""The measures page's query count, pinned flat as the data grows (issue 19).

Every measure is read in a few grouped queries over the stored rows and alerts (one aggregate
with its counts side by side, the 12 months of a trend in one grouped query), never one query
per month, team or child. The page is read with a little data and then with much more: the
second read must not cost a query more than the first, and neither more than the pin.
"""

import pytest
from django.urls import reverse

from permanence.models import User
from permanence.services import system_user
from tests.querycount import page_queries
from tracker import bench, services
from tracker.dashboard.models import TrackerRow

pytestmark = pytest.mark.django_db

MEASURES_QUERIES = 15


@pytest.mark.parametrize("who", ["bench_hos", "bench_tm0"])
@pytest.mark.parametrize("query", ["", "?period=all", "?team={team}&period=3y"])
def test_the_measures_page_costs_the_same_for_five_times_the_children(client, who, query):
    by = system_user()
    bench.build(12, by=by)
    services.deadlines_sweep(by=by)
    user = User.objects.get(username=who)
    # A team manager's own team; the first team for the head of service, who has none.
    team_id, team = (
        TrackerRow.objects.filter(team_id=user.team_id) if user.team_id else TrackerRow.objects
    ).values_list("team_id", "team__name")[0]
    url = reverse("tracker:measures") + query.format(team=team_id)
    few, page = page_queries(client, user, url)
    if "team" in query:
        assert f"{team}, last 3 years" in page  # the filter was applied, not left out
    bench.build(60, by=by)
    services.deadlines_sweep(by=by)
    many, page = page_queries(client, user, url)
    assert "Plans ratified by the second review" in page
    assert "Children by route and plan status" in page
    assert many == few <= MEASURES_QUERIES
