"""Returns shaped like real ones (issue 18): children looked after since long before the return's
year, every code of every list, several years imported in either order.

One history of care is written out as three yearly returns, each a picture at its 31 March as an
authority's system would make it: every episode open at any time in the year, with DEC blank when
the episode ended after the year end; the reviews held in the year.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from permanence.models import Child, Episode
from permanence.reference import CODES_FILE
from reviews.models import Review
from tests.tracker.ssda903_data import write_table
from tracker.ssda903.services import ssda903_import
from tracker.ssda903.tables import EPISODES, HEADER, REVIEWS, CollectionYear

pytestmark = pytest.mark.django_db

YEARS = (2024, 2025, 2026)  # 2023-24, 2024-25 and 2025-26
CODES = json.loads(Path(CODES_FILE).read_text(encoding="utf-8"))


def codes_of(list_name: str) -> list[dict]:
    return [c for c in CODES if c["list"] == list_name]


def d(text: str) -> dt.date:
    day, month, year = (int(p) for p in text.split("/"))
    return dt.date(year, month, day)


@dataclass
class Stay:
    decom: str
    rne: str = "P"
    ls: str = "C2"
    place: str = "U4"
    dec: str = ""
    rec: str = ""
    change: str = ""
    cin: str = "N1"
    provider: str = "PR1"


@dataclass
class History:
    child: str
    dob: str
    stays: list[Stay]
    sex: str = "F"
    ethnic: str = "WBRI"
    reviews: list[tuple[str, str]] = field(default_factory=list)


def histories() -> list[History]:
    found = [
        # Looked after since 2016: the S episode is in no return held; its last two episodes
        # end with reasons and placement codes of every length.
        History(
            "LONG1",
            "14/02/2010",
            [
                Stay("01/05/2016", rne="S", ls="C2", place="U4", dec="01/03/2020", rec="X1"),
                Stay("01/03/2020", place="K2", dec="01/07/2024", rec="X1", change="CUSTOD"),
                Stay("01/07/2024", place="R5", dec="01/05/2025", rec="X1", change="CHILD"),
                Stay("01/05/2025", place="K3"),
            ],
            reviews=[
                ("10/06/2023", "PN1"),
                ("10/12/2023", "PN2"),
                ("10/12/2023", "PN3"),  # reconvened the same day: no DfE rule forbids it
                ("10/06/2024", "PN1"),
                ("10/12/2024", "PN1"),
                ("10/06/2025", "PN4"),
            ],
        ),
        # Came into care in 2023-24, left in 2024-25.
        History(
            "SHORT2",
            "01/01/2022",
            [Stay("01/09/2023", rne="S", ls="C1", place="U1", dec="01/09/2024", rec="E11")],
            sex="M",
            reviews=[("29/09/2023", "PN0"), ("20/12/2023", "PN0")],
        ),
    ]
    n = 0

    def one(**stay) -> None:
        nonlocal n
        n += 1
        stay.setdefault("rne", "S")
        found.append(History(f"K{n:04d}", "01/01/2012", [Stay("01/06/2023", **stay)]))

    # Every code of every list the Header, Episodes and Reviews hold, each on a child's episode
    # in 2024-25 (or, for codes the DfE accepts only from 2025-26, in 2025-26).
    for code in codes_of("PLACE"):
        one(place=code["code"])
        if code.get("introduced_in") == 2026:
            found[-1].stays[0].decom = "01/06/2025"
    for code in codes_of("LS"):
        one(ls=code["code"])
    for code in codes_of("RNE"):
        one(rne=code["code"])
    for code in codes_of("CIN"):
        one(cin=code["code"])
    for code in codes_of("PLACE_PROVIDER"):
        one(provider=code["code"])
    for code in codes_of("REC"):
        one(dec="01/10/2024", rec=code["code"])
    for code in codes_of("REASON_PLACE_CHANGE"):
        one(dec="01/10/2024", rec="X1", change=code["code"])
    for code in codes_of("ETHNIC"):
        one()
        found[-1].ethnic = code["code"]
    for code in codes_of("SEX"):
        one()
        found[-1].sex = code["code"]
    for code in codes_of("REVIEW_CODE"):
        one()
        if code["code"] == "PN0":
            found[-1].dob = "01/01/2023"
        found[-1].reviews.append(("01/07/2023", code["code"]))
    return found


def in_year(stay: Stay, year: CollectionYear) -> bool:
    return d(stay.decom) <= year.end and (not stay.dec or d(stay.dec) >= year.start)


def write_return(folder: Path, end_year: int, people: list[History]) -> Path:
    """The return an authority's system would make for the year ending 31 March `end_year`."""
    year = CollectionYear(end_year)
    header, episodes, reviews = [], [], []
    for person in people:
        shown = [s for s in person.stays if in_year(s, year)]
        if not shown:
            continue
        # The sex codes of the year the return is for (1 and 2 until 2023-24).
        sex = person.sex
        if end_year < 2025:
            sex = {"M": "1", "F": "2", "U": "1"}.get(sex, sex)
        else:
            sex = {"1": "M", "2": "F"}.get(sex, sex)
        header.append(
            {
                "CHILD": person.child,
                "SEX": sex,
                "DOB": person.dob,
                "ETHNIC": person.ethnic,
                "UPN": "UN1",
                "MOTHER": "",
                "MC_DOB": "",
            }
        )
        for stay in shown:
            ended = bool(stay.dec) and d(stay.dec) <= year.end
            episodes.append(
                {
                    "CHILD": person.child,
                    "DECOM": stay.decom,
                    "RNE": stay.rne,
                    "LS": stay.ls,
                    "CIN": stay.cin,
                    "PLACE": stay.place,
                    "PLACE_PROVIDER": stay.provider,
                    "DEC": stay.dec if ended else "",
                    "REC": stay.rec if ended else "",
                    "REASON_PLACE_CHANGE": stay.change if ended else "",
                    "HOME_POST": "SY1 1AG",
                    "PL_POST": "SY2 5AF",
                    "URN": "",
                }
            )
        for held, code in person.reviews:
            if year.start <= d(held) <= year.end:
                reviews.append(
                    {"CHILD": person.child, "DOB": person.dob, "REVIEW": held, "REVIEW_CODE": code}
                )
    folder = folder / str(end_year)
    folder.mkdir(parents=True)
    write_table(folder / HEADER.filename, header, list(HEADER.columns))
    write_table(folder / EPISODES.filename, episodes, list(EPISODES.columns))
    write_table(folder / REVIEWS.filename, reviews, list(REVIEWS.columns))
    return folder


def files(folder: Path) -> list[tuple[str, bytes]]:
    return [(p.name, p.read_bytes()) for p in sorted(folder.iterdir())]


def held_state() -> tuple[list, list, list]:
    children = sorted(Child.objects.values_list("child_id", "sex", "date_of_birth", "ethnicity"))
    episodes = sorted(
        Episode.objects.values_list(
            "child__child_id", "decom", "dec", "rec", "reason_place_change", "place", "rne"
        )
    )
    reviews = sorted(
        Review.objects.values_list(
            "child__child_id", "held_on", "participation", "period_started_on", "sequence"
        )
    )
    return children, episodes, reviews


@pytest.fixture
def returns(tmp_path):
    people = histories()
    return {year: write_return(tmp_path, year, people) for year in YEARS}, people


def import_in(order, returns, by, team):
    reports = []
    for year in order:
        report = ssda903_import(files=files(returns[year]), by=by, team=team)
        assert report.problems == [], [p.located() for p in report.problems]
        assert report.year == year
        reports.append(report)
    return reports


def test_every_child_of_three_real_shaped_returns_is_accepted(administrator, team, returns):
    folders, people = returns

    reports = import_in(YEARS, folders, administrator, team)

    assert Child.objects.count() == len(people)
    assert all(not r.rejected for r in reports)
    # Every code of every list is held as given (the old sex codes 1 and 2 as F and M).
    held_places = set(Episode.objects.values_list("place", flat=True))
    assert {c["code"] for c in codes_of("PLACE")} <= held_places
    held_changes = set(Episode.objects.values_list("reason_place_change", flat=True))
    assert {c["code"] for c in codes_of("REASON_PLACE_CHANGE")} <= held_changes
    assert {c["code"] for c in codes_of("REC")} <= set(
        Episode.objects.values_list("rec", flat=True)
    )
    assert {c["code"] for c in codes_of("REVIEW_CODE")} <= set(
        Review.objects.values_list("participation", flat=True)
    )
    # The child looked after since 2016: the period of care runs from the first episode held.
    long1 = Review.objects.filter(child__child_id="LONG1").order_by("held_on", "pk")
    assert [(r.held_on, r.sequence) for r in long1] == [
        (dt.date(2023, 6, 10), 1),
        (dt.date(2023, 12, 10), 2),
        (dt.date(2023, 12, 10), 3),
        (dt.date(2024, 6, 10), 4),
        (dt.date(2024, 12, 10), 5),
        (dt.date(2025, 6, 10), 6),
    ]
    assert {r.period_started_on for r in long1} == {dt.date(2020, 3, 1)}


def test_what_the_dfe_accepts_with_a_remark_is_a_warning_not_a_rejection(
    administrator, team, returns
):
    folders, _ = returns

    first, second, third = import_in(YEARS, folders, administrator, team)

    same_day = [w for w in first.warnings if w.column == "REVIEW"]
    assert [(w.child, w.file) for w in same_day] == [("LONG1", "reviews.csv")]
    assert "A second review on 10/12/2023" in same_day[0].message
    # Codes the DfE stopped accepting in 2025-26 are named, in the year they are not accepted.
    retired = {w.message.split("”")[0].lstrip("“") for w in third.warnings if w.column == "PLACE"}
    assert retired <= {"H5", "P2", "Z1"}
    assert all("DfE rule 146" in w.message for w in third.warnings if w.column == "PLACE")


def test_an_older_return_after_a_newer_one_reopens_nothing(administrator, team, returns):
    folders, _ = returns
    import_in(YEARS, folders, administrator, team)
    in_order = held_state()

    # 2023-24 again, after 2025-26: its open episodes were open at 31 March 2024 only.
    again = import_in((2024,), folders, administrator, team)[0]

    assert held_state() == in_order
    assert (again.children.created, again.episodes.created, again.reviews.created) == (0, 0, 0)
    assert again.episodes.updated == 0
    long1 = Episode.objects.get(child__child_id="LONG1", decom=dt.date(2020, 3, 1))
    assert (long1.dec, long1.rec, long1.reason_place_change) == (
        dt.date(2024, 7, 1),
        "X1",
        "CUSTOD",
    )


@pytest.mark.parametrize(
    "order", [(2026, 2025, 2024), (2025, 2026, 2024), (2024, 2026, 2025), (2026, 2024, 2025)]
)
def test_any_order_of_years_gives_the_same_record(administrator, team, returns, order):
    folders, _ = returns
    import_in(YEARS, folders, administrator, team)
    in_order = held_state()
    Review.objects.all().delete()
    Episode.objects.all().delete()
    Child.objects.all().delete()

    import_in(order, folders, administrator, team)

    assert held_state() == in_order


def test_importing_each_return_twice_changes_nothing(administrator, team, returns):
    folders, _ = returns
    import_in(YEARS, folders, administrator, team)
    before = held_state()

    for report in import_in(YEARS, folders, administrator, team):
        assert report.children.created == report.children.updated == 0
        assert report.episodes.created == report.episodes.updated == 0
        assert report.reviews.created == report.reviews.updated == 0

    assert held_state() == before


def test_the_command_names_the_year_and_lists_the_warnings(administrator, team, returns):
    from io import StringIO

    from django.core.management import call_command

    folders, _ = returns
    out = StringIO()

    call_command("import_ssda903", str(folders[2024]), "--year", "2024", stdout=out)

    text = out.getvalue()
    assert "from the 2023-24 return" in text
    assert "Imported, but worth a look: reviews.csv, row" in text
    assert "[LONG1]: A second review on 10/12/2023" in text


@pytest.mark.parametrize("end_year", [2024, 2025, 2026])
def test_each_year_exports_as_the_return_it_was_imported_from(
    administrator, team, returns, end_year
):
    from tests.tracker.ssda903_data import read_table
    from tracker.ssda903 import writer

    folders, _ = returns
    import_in((2026, 2024, 2025), folders, administrator, team)

    tables = writer.build_tables(year=CollectionYear(end_year))

    def rows(found):
        return sorted(tuple(sorted(r.items())) for r in found)

    for table in (EPISODES, REVIEWS):
        assert rows(tables[table]) == rows(read_table(folders[end_year] / table.filename))
    given = read_table(folders[end_year] / HEADER.filename)
    if end_year < 2025:
        # 2023-24 had only 1 and 2 for sex: a child later recorded as not known has no code.
        for row in given:
            if row["CHILD"] == "K0122":
                row["SEX"] = ""
    assert rows(tables[HEADER]) == rows(given)


def test_a_date_after_the_years_end_is_refused_naming_the_dfe_rule(administrator, team, returns):
    folders, _ = returns

    # The 2025-26 return declared as 2024-25: its later dates fall after that year's 31 March.
    report = ssda903_import(files=files(folders[2026]), by=administrator, team=team, year=2025)

    late = [p for p in report.problems if p.column == "DECOM" and "after the end" in p.message]
    assert late
    assert all("(DfE rule 354)" in p.message for p in late)
    assert "is after the end of the 2024-25 collection year (31/03/2025)" in late[0].message
    assert report.imported > 0  # the children whose rows all fall within it are imported
