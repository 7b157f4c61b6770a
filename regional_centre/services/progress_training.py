"""Framework element (e) of the progress report: the training of SMEs, counted by the database.

Each figure is defined in the docstring of ``progress``. The period's seated
participations are read from one index (``ix_participation_seated_by_session``)
three times: grouped by person (gender, country), summed (tests, ratings), and
grouped by organisation (sector, size, SMEs). The database counts; Python adds up
the few dozen subtotals of each grouping. The walks are separate queries
(``training_tasks``) so that they can run on two connections at once.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import and_, case, func, select
from sqlalchemy.orm import Session

from regional_centre.db.models import (
    Contact,
    Contribution,
    Organisation,
    Participation,
    TrainingSession,
)
from regional_centre.enums import Gender, SizeClass, StakeholderType
from regional_centre.services import aggregates
from regional_centre.services.periods import (
    Period,
    held_sessions,
    owned_by,
    seated_participants,
)
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
        smes=firms.smes,
        new_smes=firms.new_smes,
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


def _people(
    session: Session, period: Period, centre: str | None
) -> tuple[Counter[Any], Counter[Any]]:
    """The period's participants by the person's gender, and by the person's country."""
    # Grouped by person first: one look-up per person, not one per participation; then
    # by country alone, the genders counted side by side (a sort on one short key).
    per_contact = (
        seated_participants(
            period,
            Participation.contact_id.label("contact_id"),
            func.count().label("people"),
            centre=centre,
        )
        .group_by(Participation.contact_id)
        .subquery()
    )
    people = per_contact.c.people
    rows = session.execute(
        select(
            Contact.country,
            func.sum(people),
            *(func.sum(case((Contact.gender == gender, people))) for gender in Gender),
        )
        .select_from(per_contact)
        .join(Contact, Contact.id == per_contact.c.contact_id)
        .group_by(Contact.country)
    )
    genders: Counter[Any] = Counter()
    countries: Counter[Any] = Counter()
    for country, count, *by_gender in rows:
        countries[country] += count
        genders.update({gender: n for gender, n in zip(Gender, by_gender, strict=True) if n})
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
    pre, post = Participation.pre_test_score, Participation.post_test_score
    both = and_(pre.is_not(None), post.is_not(None))
    rating = Participation.evaluation_rating
    # A walk of its own: carried through the sorts of the groupings, the scores cost more.
    seated, tested, pre_total, post_total, rated, rating_total, *ratings = session.execute(
        seated_participants(
            period,
            func.count(),
            func.count(case((both, 1))),
            func.sum(case((both, aggregates.units(pre, TENTHS)))),
            func.sum(case((both, aggregates.units(post, TENTHS)))),
            func.count(rating),
            func.sum(rating),
            *(func.count(case((rating == value, 1))) for value in RATINGS),
            centre=centre,
        )
    ).one()
    return _Scores(
        seated, tested, pre_total or 0, post_total or 0, rated, rating_total or 0, ratings
    )


@dataclass
class _Firms:
    """The period's participants by their organisation's sector and size, and the SMEs among them."""

    sectors: Counter[Any] = field(default_factory=Counter)
    sizes: Counter[Any] = field(default_factory=Counter)
    smes: int = 0
    new_smes: int = 0


def _firms(session: Session, period: Period, centre: str | None) -> _Firms:
    # Grouped by organisation first: one look-up per organisation, not one per participant.
    per_organisation = (
        seated_participants(
            period,
            Participation.organisation_id.label("organisation_id"),
            func.count().label("people"),
            centre=centre,
        )
        .group_by(Participation.organisation_id)
        .subquery()
    )
    organisation = per_organisation.c.organisation_id
    sme = and_(
        Organisation.deleted.is_(False), Organisation.stakeholder_type == StakeholderType.SME
    )
    new = sme
    if period.start is not None:
        # Seated before the period in a session that took place: not reached for the first
        # time. Asked per SME through its own participations, stopping at the first one
        # found, rather than gathering the organisations of every earlier session; every
        # column it reads is in ix_participation_seated_by_organisation.
        earlier = seated_participants(None, Participation.organisation_id, centre=centre).where(
            Participation.organisation_id == organisation,
            TrainingSession.first_day < period.start,
        )
        new = and_(sme, ~earlier.exists())
    rows = session.execute(
        select(
            Organisation.sector,
            Organisation.size_class,
            func.sum(per_organisation.c.people),
            func.count(case((sme, 1))),
            func.count(case((new, 1))),
        )
        .select_from(per_organisation)
        .outerjoin(Organisation, Organisation.id == organisation)
        .group_by(Organisation.sector, Organisation.size_class)
    )
    firms = _Firms()
    for sector, size, people, smes, new_smes in rows:
        firms.sectors[sector] += people
        firms.sizes[size] += people
        firms.smes += smes
        firms.new_smes += new_smes
    return firms
