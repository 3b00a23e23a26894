"""The SSDA903 import benchmark (issue 18): it imports a synthetic return and keeps nothing."""

import io

import pytest
from django.core.management import call_command

from permanence.models import Child, Episode

pytestmark = pytest.mark.django_db


def test_the_benchmark_prints_children_a_second_and_keeps_nothing(team):
    out = io.StringIO()

    call_command("bench_ssda903", "--children", "40", "--year", "2025", stdout=out)

    text = out.getvalue()
    assert "Synthetic return for 2024-25: 40 children" in text
    assert "children a second" in text
    assert "queries" in text
    assert not Child.objects.exists()
    assert not Episode.objects.exists()


def test_the_benchmark_refuses_a_year_not_yet_ended():
    with pytest.raises(Exception, match="has ended"):
        call_command("bench_ssda903", "--children", "5", "--year", "2100")


def test_the_import_runs_a_few_queries_whatever_the_number_of_children(
    administrator, team, django_assert_max_num_queries
):
    from tracker.ssda903.bench import synthetic_return
    from tracker.ssda903.services import ssda903_import
    from tracker.ssda903.tables import CollectionYear

    files, counts = synthetic_return(children=300, year=CollectionYear(2025))

    # Set-based: a query per row would run well over a thousand here.
    with django_assert_max_num_queries(150):
        report = ssda903_import(files=files, by=administrator, team=team)

    assert report.problems == []
    assert report.children.created == counts["children"] == Child.objects.count()
    assert report.episodes.created == counts["episodes"] == Episode.objects.count()


def test_a_return_naming_none_of_the_children_held_is_queried(administrator, team):
    from tracker.ssda903.bench import synthetic_return
    from tracker.ssda903.services import ssda903_import
    from tracker.ssda903.tables import CollectionYear

    ours, _ = synthetic_return(children=30, year=CollectionYear(2025), seed=1)
    ssda903_import(files=ours, by=administrator, team=team)
    again = ssda903_import(files=ours, by=administrator, team=team)
    # Another authority's: the same shape, other children.
    theirs = [(name, content.replace(b"B00", b"X00")) for name, content in ours]

    report = ssda903_import(files=theirs, by=administrator, team=team, dry_run=True)

    assert not any("Check that it is this authority's return" in n for n in again.notices)
    assert any(
        "None of the 30 children in this return is one the service already holds" in n
        for n in report.notices
    )
