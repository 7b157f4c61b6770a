"""The progress report's figures: every one checked against an independent count, and the rules.

The records are those of ``progress_world`` (two centres and the secretariat,
around the second quarter of 2027); ``progress_expected`` counts the same
figures again from the raw rows.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from regional_centre.services import Services
from regional_centre.services.errors import ValidationError
from regional_centre.services.periods import Period
from regional_centre.services.progress import Amount, Conversion, Count, ProgressFigures
from regional_centre.services.progress_figures import parse_conversion
from tests.services.progress_expected import expected_json, read_tables
from tests.services.progress_world import DAKAR, DAY, IBADAN, TODAY, World, build_world
from tests.services.test_engagement import action_draft
from tests.services.test_organisations import organisation_draft

SECRETARIAT = "SECRETARIAT"
Q2 = Period(dt.date(2027, 4, 1), dt.date(2027, 6, 30))
PERIODS = [
    Q2,
    Period(dt.date(2027, 4, 1), None),
    Period(None, dt.date(2027, 6, 30)),
    Period(dt.date(2027, 3, 1), dt.date(2027, 3, 31)),
    Period(),
]


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> World:
    """The databases of the secretariat and of Dakar, made once for the module (do not change them)."""
    return build_world(tmp_path_factory.mktemp("progress"))


@pytest.fixture(scope="module")
def geneva(world: World) -> Iterator[Services]:
    services = Services.open(world.secretariat, actor="Test User")
    yield services
    services.close()


@pytest.fixture(scope="module")
def dakar(world: World) -> Iterator[Services]:
    services = Services.open(world.dakar, actor="Test User")
    yield services
    services.close()


def assert_counted_alike(path: Path, figures: ProgressFigures) -> None:
    """The figures equal the independent count of the same period, centre, day and rates."""
    period, conversion = figures.period, figures.conversion
    rates = None if conversion is None else (conversion.currency, dict(conversion.rates))
    tables = read_tables(path)
    expected = expected_json(
        tables, period.start, period.end, figures.centre, figures.generated_on, rates
    )
    assert figures.as_json() == expected


def assert_ranked(counts: list[Count]) -> None:
    """Largest first, then by code, "" last among equals."""
    assert counts == sorted(counts, key=lambda c: (-c.count, c.key == "", c.key))
    assert all(c.count > 0 for c in counts)


def ranked_lists(figures: ProgressFigures) -> list[list[Count]]:
    return [
        figures.stakeholders.by_sector,
        figures.stakeholders.by_country,
        figures.dialogues.lifecycle_stages,
        figures.dialogues.waste_streams,
        figures.partnerships.by_priority_field,
        figures.training.by_country,
        figures.training.by_sector,
    ]


def counted(counts: list[Count]) -> dict[str, int]:
    return {c.key: c.count for c in counts}


@pytest.mark.parametrize("centre", [None, DAKAR, IBADAN])
@pytest.mark.parametrize("period", PERIODS, ids=str)
def test_every_figure_matches_an_independent_count(
    world: World, geneva: Services, period: Period, centre: str | None
) -> None:
    figures = geneva.progress.figures(period, centre)
    assert_counted_alike(world.secretariat, figures)
    for counts in ranked_lists(figures):
        assert_ranked(counts)


def test_the_small_demo_matches_an_independent_count(demo_services: Services) -> None:
    path = Path(str(demo_services.database.url.database))
    conversion = Conversion("USD", {"EUR": Decimal("1.0843"), "CHF": Decimal("1.1")})
    periods = (
        Period(dt.date(2025, 1, 1), dt.date(2025, 12, 31)),
        Period(),
        # Whole years (read from the reach tally) with days before and after them, or none.
        Period(dt.date(2024, 7, 1), dt.date(2026, 3, 31)),
        Period(dt.date(2024, 1, 1), dt.date(2025, 12, 31)),
        Period(dt.date(2025, 2, 1), dt.date(2025, 11, 30)),
        Period(dt.date(2024, 1, 1), None),
        Period(None, dt.date(2025, 6, 30)),
    )
    for period in periods:
        figures = demo_services.progress.figures(period, None, conversion)
        assert_counted_alike(path, figures)
        assert figures.training.participants > 0 and figures.activities.contributions
        assert 0 < figures.training.new_smes <= figures.training.smes
        for counts in ranked_lists(figures):
            assert_ranked(counts)


def test_a_centre_counts_what_the_secretariat_counts_for_it(
    world: World, geneva: Services, dakar: Services
) -> None:
    own = dakar.progress.figures(Q2, DAKAR)
    assert_counted_alike(world.dakar, own)
    assert own.as_json() == geneva.progress.figures(Q2, DAKAR).as_json()
    assert own.reviews.received == 2  # the secretariat's reviews of Dakar's activities came back


def test_both_ends_of_the_period_count(geneva: Services) -> None:
    figures = geneva.progress.figures(Q2, DAKAR)
    assert figures.dialogues.held == 2  # held on 1 April and on 30 June
    assert figures.training.sessions == 2  # starting on 1 April and on 30 June
    assert figures.training.hours == Decimal("15.5")  # 2 days of 6 hours, 1 of 3.5
    # Ending on the first day, starting on the last, never ending, and within.
    assert figures.activities.total == 4
    assert counted(figures.activities.by_status) == {
        "planned": 1,
        "ongoing": 2,
        "completed": 1,
        "cancelled": 0,
    }
    assert figures.partnerships.signed_in_period == 2  # signed 1 April, concluded one 30 June
    assert figures.stakeholders.new == 1  # added at 23:59 on 30 June, not at 23:59 on 31 March
    assert figures.training.certificates == 1  # issued on 30 June, not on 1 July


def test_deleted_cancelled_and_waitlisted_records_do_not_count(geneva: Services) -> None:
    figures = geneva.progress.figures(Q2, DAKAR)
    training = figures.training
    assert training.participants == 6
    assert counted(training.by_gender) == {"female": 2, "male": 2, "other": 1, "undisclosed": 1}
    assert training.by_size == [
        Count("micro", 2),
        Count("small", 1),
        Count("medium", 1),
        Count("", 2),  # a company that is not an SME, and a person without an organisation
    ]
    assert training.by_sector == [Count("C", 3), Count("", 2), Count("A", 1)]
    assert counted(training.by_country) == {"SN": 4, "ML": 1, "GN": 1}
    dialogues = figures.dialogues
    assert dialogues.organisations == 2  # the medium SME's participation was deleted
    assert (dialogues.actions_open, dialogues.actions_done, dialogues.actions_overdue) == (4, 1, 1)
    assert dialogues.lifecycle_stages == [Count("production", 2), Count("design", 1)]
    assert dialogues.waste_streams == [Count("Y8", 1), Count("e_waste", 1)]
    partnerships = figures.partnerships
    assert partnerships.total == 2
    assert partnerships.by_priority_field == [
        Count("cleaner_production", 2),
        Count("prevention_minimization", 1),
    ]
    assert counted(figures.stakeholders.by_type)["multinational_company"] == 1
    assert figures.stakeholders.total == 3  # the deleted partner and the SMEs are not counted


def test_smes_reached_for_the_first_time(geneva: Services) -> None:
    def smes(period: Period) -> tuple[int, int]:
        training = geneva.progress.figures(period, DAKAR).training
        return training.smes, training.new_smes

    # The micro SME sat a session on 1 March: in the second quarter it returns.
    assert smes(Q2) == (4, 3)
    assert smes(Period(dt.date(2027, 3, 1), dt.date(2027, 6, 30))) == (4, 4)
    # In March only the micro SME took a seat (the medium one was waitlisted).
    assert smes(Period(dt.date(2027, 3, 1), dt.date(2027, 3, 31))) == (1, 1)
    assert smes(Period(dt.date(2027, 4, 1), None)) == (4, 3)


def test_tests_evaluations_and_support_of_the_period(geneva: Services) -> None:
    training = geneva.progress.figures(Q2, DAKAR).training
    assert training.tested == 3  # one participant has no post-test score
    assert training.average_pre == Decimal("35.2")  # (40 + 55.5 + 10.1) / 3
    assert training.average_post == Decimal("46.8")  # (70.5 + 60 + 10) / 3
    assert training.average_gain == Decimal("11.6")  # (30.5 + 4.5 - 0.1) / 3
    assert (training.evaluations, training.average_rating) == (3, Decimal("4.33"))
    assert counted(training.ratings) == {"1": 0, "2": 0, "3": 0, "4": 2, "5": 1}
    assert training.support == [Amount("USD", Decimal("200.00"), 1)]
    assert training.support_in_kind == 1


def test_contributions_add_up_exactly_per_currency(geneva: Services) -> None:
    activities = geneva.progress.figures(Q2, DAKAR).activities
    assert activities.contributions == [
        Amount("CHF", Decimal("0.30"), 2),
        Amount("EUR", Decimal("1350.75"), 2),
        Amount("USD", Decimal("1000.00"), 1),
    ]
    assert (activities.in_kind, activities.contributors) == (1, 3)
    assert (activities.converted, activities.unconverted) == (None, [])
    text = activities_json(geneva, Q2, DAKAR)
    assert text["contributions"]["CHF"] == {"amount": "0.30", "contributions": 2}
    assert text["outcomes"] == [
        {"indicator": "Batteries collected", "unit": "t", "total": "16.5", "activities": 2},
        {"indicator": "People trained", "unit": "persons", "total": "40", "activities": 1},
    ]


def activities_json(services: Services, period: Period, centre: str) -> dict[str, Any]:
    document = json.loads(json.dumps(services.progress.figures(period, centre).as_json()))
    activities: dict[str, Any] = document["activities"]
    return activities


def test_conversion_adds_up_the_currencies_that_have_a_rate(world: World, geneva: Services) -> None:
    euro = geneva.progress.figures(Q2, DAKAR, Conversion("USD", {"EUR": Decimal("1.1")}))
    # 1000 + 1350.75 x 1.1 = 2485.825, rounded half up; the francs have no rate.
    assert euro.activities.converted == Amount("USD", Decimal("2485.83"), 3)
    assert euro.activities.unconverted == ["CHF"]
    both = Conversion("USD", {"EUR": Decimal("1.1"), "CHF": Decimal("0.9")})
    figures = geneva.progress.figures(Q2, DAKAR, both)
    assert figures.activities.converted == Amount("USD", Decimal("2486.10"), 5)
    assert figures.activities.unconverted == []
    assert_counted_alike(world.secretariat, figures)
    naira = geneva.progress.figures(Q2, None, both)
    assert naira.activities.unconverted == ["NGN"]  # Ibadan's contribution in naira
    assert_counted_alike(world.secretariat, naira)
    only_dollars = geneva.progress.figures(Q2, DAKAR, Conversion("USD", {}))
    assert only_dollars.activities.converted == Amount("USD", Decimal("1000.00"), 1)
    assert only_dollars.activities.unconverted == ["CHF", "EUR"]


def test_the_centres_add_up_to_the_total(geneva: Services) -> None:
    total = geneva.progress.figures(Q2).as_json()
    dakar, ibadan = (geneva.progress.figures(Q2, c).as_json() for c in (DAKAR, IBADAN))
    additive = [
        ("key", name)
        for name in total["key"]
        if name != "overdue_actions"  # overdue counts every dialogue's actions, today
    ] + [
        ("stakeholders", "total"),
        ("dialogues", "held"),
        ("dialogues", "actions_open"),
        ("partnerships", "signed_in_period"),
        ("activities", "in_kind"),
        ("training", "participants"),
        ("training", "smes"),
        ("training", "new_smes"),
        ("training", "tested"),
        ("reviews", "received"),
    ]
    for section, name in additive:
        assert total[section][name] == dakar[section][name] + ibadan[section][name], name
    assert total["reviews"]["received"] == 3  # two of Dakar's activities, one of Ibadan's


def test_the_secretariat_consolidates_every_centre(geneva: Services) -> None:
    consolidated = geneva.progress.consolidated(Q2).as_json()
    assert consolidated == {
        "format": "regional-centre-stats",
        "version": 1,
        "period": {"start": "2027-04-01", "end": "2027-06-30"},
        "total": geneva.progress.figures(Q2).as_json(),
        "centres": {c: geneva.progress.figures(Q2, c).as_json() for c in (IBADAN, DAKAR)},
    }


@pytest.fixture
def geneva_copy(world: World, tmp_path: Path) -> Iterator[tuple[Path, Services]]:
    """A private copy of the secretariat's database, to change."""
    copy = tmp_path / "geneva.sqlite"
    with sqlite3.connect(world.secretariat) as source, sqlite3.connect(copy) as target:
        source.backup(target)  # the write-ahead log's pages too
    source.close()
    target.close()
    services = Services.open(copy, actor="Test User")
    yield copy, services
    services.close()


def test_centres_are_the_owners_of_records(
    world: World, geneva_copy: tuple[Path, Services], dakar: Services
) -> None:
    copy, services = geneva_copy
    # The secretariat owns reviews only: it is not a centre of the report.
    assert services.progress.centres(Q2) == [IBADAN, DAKAR]
    before = services.progress.figures(Q2, DAKAR)
    services.organisations.create(organisation_draft(name="UNEP", country="CH"))
    # An action the secretariat added to Dakar's dialogue counts for Dakar.
    services.follow_up_actions.create(action_draft(world.ids["sn_first"], due_on=TODAY - DAY))
    assert services.progress.centres(Q2) == [IBADAN, DAKAR, SECRETARIAT]
    assert services.progress.figures(Q2, SECRETARIAT).stakeholders.total == 1
    after = services.progress.figures(Q2, DAKAR)
    assert after.dialogues.actions_overdue == before.dialogues.actions_overdue + 1
    assert after.key.overdue_actions == before.key.overdue_actions + 1
    assert_counted_alike(copy, after)
    assert dakar.progress.centres(Q2) == [DAKAR]


def test_reviews_of_an_activity_deleted_meanwhile_do_not_count(
    world: World, geneva_copy: tuple[Path, Services]
) -> None:
    copy, services = geneva_copy
    assert services.progress.figures(Q2, DAKAR).reviews.received == 2
    # Dakar deleted the activity while the committee reviewed it: after the merge
    # the review is live and its activity is not.
    with sqlite3.connect(copy) as connection:
        connection.execute(
            "UPDATE joint_activity SET deleted = 1 WHERE id = ?", (world.ids["sn_within"],)
        )
    connection.close()
    figures = services.progress.figures(Q2, DAKAR)
    assert counted(figures.reviews.by_recommendation)["continue"] == 0
    assert figures.reviews.received == 1
    assert_counted_alike(copy, figures)


def test_unknown_and_foreign_centres_are_refused(geneva: Services, dakar: Services) -> None:
    with pytest.raises(ValidationError) as unknown:
        geneva.progress.figures(Q2, "BCRC-XX")
    assert unknown.value.field == "centre" and "BCRC-XX" in str(unknown.value)
    with pytest.raises(ValidationError) as foreign:
        dakar.progress.figures(Q2, IBADAN)
    assert foreign.value.field == "centre" and IBADAN in str(foreign.value)


def test_key_figures_of_one_centre(geneva: Services) -> None:
    for centre in (None, DAKAR, IBADAN):
        figures = geneva.progress.figures(Q2, centre)
        assert geneva.statistics.key_figures(Q2, centre) == figures.key
        assert figures.key.participants == figures.training.participants
        assert figures.key.dialogues == figures.dialogues.held
    # One overdue action per centre among the period's dialogues, one more before it.
    assert geneva.statistics.key_figures(Q2, DAKAR).overdue_actions == 2
    assert geneva.statistics.key_figures(Q2).overdue_actions == 4


def test_the_json_form_is_plain_and_complete(geneva: Services) -> None:
    figures = geneva.progress.figures(Period(None, dt.date(2027, 6, 30)), DAKAR)
    document = figures.as_json()
    assert json.loads(json.dumps(document, sort_keys=True)) == document
    assert (document["format"], document["version"]) == ("regional-centre-stats", 1)
    assert document["period"] == {"start": None, "end": "2027-06-30"}
    assert document["centre"] == DAKAR and document["conversion"] is None
    assert document["training"]["hours"] == str(figures.training.hours)
    assert list(document["training"]["by_size"]) == ["micro", "small", "medium", ""]
    assert document["stakeholders"]["by_type"]["public_body"] == 0


@pytest.mark.parametrize(
    ("currency", "rates", "expected"),
    [
        ("", "", None),
        (" usd ", "", Conversion("USD", {})),
        ("USD", "eur=1.08; CHF=1,12", Conversion("USD", {"EUR": Decimal("1.08"), "CHF": Decimal("1.12")})),
    ],
)  # fmt: skip
def test_typed_exchange_rates_are_read(
    currency: str, rates: str, expected: Conversion | None
) -> None:
    assert parse_conversion(currency, rates) == expected


@pytest.mark.parametrize(
    ("currency", "rates", "field"),
    [
        ("", "EUR=1.08", "currency"),
        ("USD", "EUR", "rate"),
        ("USD", "EUR=abc", "rate"),
        ("USD", "EUR=0", "rate"),
        ("USD", "EUR=-1", "rate"),
        ("USD", "EUR=NaN", "rate"),
        ("USD", "EUR=1 EUR=2", "rate"),
        ("USD", "USD=2", "rate"),
        ("XYZ", "", "currency"),
        ("USD", "XYZ=2", "rate"),
    ],
)
def test_wrong_exchange_rates_are_refused(currency: str, rates: str, field: str) -> None:
    with pytest.raises(ValidationError) as error:
        parse_conversion(currency, rates)
    assert error.value.field == field


days = st.dates(dt.date(2026, 12, 1), dt.date(2027, 8, 31))


@settings(max_examples=25, deadline=None)
@given(first=days, split=days, last=days, centre=st.sampled_from([None, DAKAR, IBADAN]))
def test_a_period_split_in_two_adds_up(
    geneva: Services, first: dt.date, split: dt.date, last: dt.date, centre: str | None
) -> None:
    first, split, last = sorted((first, split, last))
    whole = geneva.progress.figures(Period(first, last), centre)
    if split == last:
        return
    parts = [
        geneva.progress.figures(Period(first, split), centre),
        geneva.progress.figures(Period(split + DAY, last), centre),
    ]

    def additive(figures: ProgressFigures) -> tuple[int, ...]:
        return (
            figures.dialogues.held,
            figures.training.sessions,
            figures.training.participants,
            figures.training.certificates,
            figures.reviews.received,
            figures.partnerships.signed_in_period,
        )

    assert additive(whole) == tuple(map(sum, zip(*map(additive, parts), strict=True)))
