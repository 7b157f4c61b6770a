"""Framework element (e) of the progress report: the training of SMEs, counted by the database.

Each figure is defined in the docstring of ``progress``. The period's seated
participations are read from ``participation_fact`` (``regional_centre.db.facts``),
where each carries its session's first day and centre, its person's gender and
country and its organisation's sector, size and type: grouped by person (gender,
country), summed (tests, ratings), grouped by organisation (sector, size, SMEs),
each one walk of ``ix_participation_fact_period``. The database counts; Python
adds up the few dozen subtotals of each grouping. The walks are separate queries
(``training_tasks``) so that they can run on two connections at once.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import and_, case, func, select
from sqlalchemy.orm import Session, aliased

from regional_centre.db.models import Contribution, TrainingSession
from regional_centre.db.models import ParticipationFact as Fact
from regional_centre.enums import Gender, SizeClass
from regional_centre.services import aggregates
from regional_centre.services.periods import Period, held_sessions, owned_by, within
from regional_centre.services.progress_figures import Amount, Count, Training
from regional_centre.services.reference import Code
from regional_centre.services.snapshot import Task

# Hours and test scores are kept to one decimal place.
TENTHS = 1
RATINGS = range(1, 6)


def training_tasks(period: Period, centre: str | None) -> dict[str, Task]:
    """The queries of the training figures of ``period`` for ``centre`` (None: all), longest first.

    Each takes a session and can run beside the others (``snapshot``).
    """
    return {
        "training.smes": lambda session: _smes(session, period, centre),
        "training.firms": lambda session: _firms(session, period, centre),
        "training.people": lambda session: _people(session, period, centre),
        "training.scores": lambda session: _scores(session, period, centre),
        "training.sessions": lambda session: _sessions(session, period, centre),
    }


def training_figures(
    done: Mapping[str, Any], isic: Mapping[str, Code], certificates: int
) -> tuple[Training, int]:
    """The training figures from the results of ``training_tasks``, and the key figure of participants.

    ``certificates`` is as counted for the key figures.
    """
    genders, countries = done["training.people"]
    scores: _Scores = done["training.scores"]
    firms: _Firms = done["training.firms"]
    smes, new_smes = done["training.smes"]
    held: _Sessions = done["training.sessions"]
    tested = scores.tested
    gain = None if not tested else scores.post_total - scores.pre_total
    figures = Training(
        sessions=held.held,
        hours=aggregates.from_units(held.hours, TENTHS),
        participants=sum(countries.values()),
        by_gender=aggregates.every(Gender, genders),
        by_country=aggregates.ranked(countries),
        by_sector=aggregates.ranked(aggregates.sections(isic, firms.sectors)),
        by_size=[*aggregates.every(SizeClass, firms.sizes), Count("", firms.sizes[None])],
        smes=smes,
        new_smes=new_smes,
        tested=tested,
        average_pre=aggregates.average(scores.pre_total, tested, TENTHS, "0.1"),
        average_post=aggregates.average(scores.post_total, tested, TENTHS, "0.1"),
        average_gain=aggregates.average(gain, tested, TENTHS, "0.1"),
        evaluations=scores.rated,
        average_rating=aggregates.average(scores.rating_total, scores.rated, 0, "0.01"),
        ratings=[
            Count(str(value), count) for value, count in zip(RATINGS, scores.ratings, strict=True)
        ],
        certificates=certificates,
        support=held.support,
        support_in_kind=held.support_in_kind,
    )
    return figures, scores.seated


@dataclass(frozen=True)
class _Sessions:
    """The period's sessions: how many were held, their hours (in tenths), and the support they had."""

    held: int
    hours: int | None
    support: list[Amount]
    support_in_kind: int


def _sessions(session: Session, period: Period, centre: str | None) -> _Sessions:
    sessions = [*held_sessions(period), *owned_by(TrainingSession, centre)]
    days = func.json_array_length(TrainingSession.days)
    held, hours = session.execute(
        select(
            func.count(), func.sum(aggregates.units(TrainingSession.hours_per_day, TENTHS) * days)
        ).where(*sessions)
    ).one()
    support, support_in_kind = aggregates.contributions(
        session,
        select()
        .select_from(Contribution)
        .join(TrainingSession, Contribution.session_id == TrainingSession.id)
        .where(Contribution.deleted.is_(False), *sessions),
    )
    return _Sessions(held, hours, support, support_in_kind)


def _counted(period: Period, centre: str | None) -> list[Any]:
    """The counted participations (``participation_fact``) of the period's sessions, of ``centre``'s."""
    return [
        Fact.counted.is_(True),
        *within(Fact.first_day, period),
        *([] if centre is None else [Fact.centre == centre]),
    ]


def _people(
    session: Session, period: Period, centre: str | None
) -> tuple[Counter[Any], Counter[Any]]:
    """The period's participants by the person's gender, and by the person's country."""
    genders: Counter[Any] = Counter()
    countries: Counter[Any] = Counter()
    for country, gender, count in session.execute(
        select(Fact.country, Fact.gender, func.count())
        .where(*_counted(period, centre))
        .group_by(Fact.country, Fact.gender)
    ):
        countries[country] += count
        if gender is not None:
            genders[gender] += count
    return genders, countries


@dataclass(frozen=True)
class _Scores:
    """The test scores (in tenths) and ratings of the period's seated participations."""

    seated: int
    tested: int
    pre_total: int
    post_total: int
    rated: int
    rating_total: int
    ratings: list[int]


def _scores(session: Session, period: Period, centre: str | None) -> _Scores:
    pre, post = Fact.pre_test_score, Fact.post_test_score
    both = and_(pre.is_not(None), post.is_not(None))
    rating = Fact.evaluation_rating
    seated, tested, pre_total, post_total, rated, rating_total, *ratings = session.execute(
        select(
            func.count(),
            func.count(case((both, 1))),
            func.sum(case((both, aggregates.units(pre, TENTHS)))),
            func.sum(case((both, aggregates.units(post, TENTHS)))),
            func.count(rating),
            func.sum(rating),
            *(func.count(case((rating == value, 1))) for value in RATINGS),
        ).where(*_counted(period, centre))
    ).one()
    return _Scores(
        seated, tested, pre_total or 0, post_total or 0, rated, rating_total or 0, ratings
    )


@dataclass
class _Firms:
    """The period's participants by their organisation's sector and size."""

    sectors: Counter[Any] = field(default_factory=Counter)
    sizes: Counter[Any] = field(default_factory=Counter)


def _firms(session: Session, period: Period, centre: str | None) -> _Firms:
    firms = _Firms()
    for sector, size, people in session.execute(
        select(Fact.sector, Fact.size_class, func.count())
        .where(*_counted(period, centre))
        .group_by(Fact.sector, Fact.size_class)
    ):
        firms.sectors[sector] += people
        firms.sizes[size] += people
    return firms


def _smes(session: Session, period: Period, centre: str | None) -> tuple[int, int]:
    """The period's SMEs, and those of them not counted in any session before it (of ``centre``'s)."""
    reached = (
        select(Fact.organisation_id.label("organisation_id"))
        .where(*_counted(period, centre), Fact.sme.is_(True))
        .distinct()
        .subquery()
    )
    if period.start is None:  # no session came before: every SME is reached for the first time
        smes = int(session.scalar(select(func.count()).select_from(reached)) or 0)
        return smes, smes
    earlier = aliased(Fact)
    before = select(earlier.first_day).where(  # one seek of ix_participation_fact_organisation
        earlier.organisation_id == reached.c.organisation_id,
        earlier.counted.is_(True),
        earlier.first_day < period.start,
        *([] if centre is None else [earlier.centre == centre]),
    )
    smes, new = session.execute(
        select(func.count(), func.count(case((~before.exists(), 1)))).select_from(reached)
    ).one()
    return int(smes), int(new)
