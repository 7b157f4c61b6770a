"""Framework element (e) of the progress report: the training of SMEs, counted by the database.

Each figure is defined in the docstring of ``progress``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Select, and_, case, func, select
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
from regional_centre.services.progress_figures import Count, Training
from regional_centre.services.reference import Code

# Hours and test scores are kept to one decimal place.
TENTHS = 1
RATINGS = range(1, 6)


def training_figures(
    session: Session,
    period: Period,
    centre: str | None,
    isic: Mapping[str, Code],
    certificates: int,
) -> Training:
    """The training figures of ``period`` for ``centre`` (None: all); ``certificates`` as counted for the key figures."""
    sessions = [*held_sessions(period), *owned_by(TrainingSession, centre)]
    days = func.json_array_length(TrainingSession.days)
    held, hours = session.execute(
        select(
            func.count(), func.sum(aggregates.units(TrainingSession.hours_per_day, TENTHS) * days)
        ).where(*sessions)
    ).one()

    def seated(*columns: Any) -> Select[Any]:
        return seated_participants(period, *columns, centre=centre)

    genders: Counter[Any] = Counter()
    countries: Counter[Any] = Counter()
    people = seated(Contact.gender, Contact.country, func.count()).join(
        Contact, Contact.id == Participation.contact_id
    )
    for gender, country, count in session.execute(people.group_by(Contact.gender, Contact.country)):
        genders[gender] += count
        countries[country] += count

    firms = _firms(session, period, centre)
    pre, post = Participation.pre_test_score, Participation.post_test_score
    both = and_(pre.is_not(None), post.is_not(None))
    rating = Participation.evaluation_rating
    tested, pre_total, post_total, rated, rating_total, *ratings = session.execute(
        seated(
            func.count(case((both, 1))),
            func.sum(case((both, aggregates.units(pre, TENTHS)))),
            func.sum(case((both, aggregates.units(post, TENTHS)))),
            func.count(rating),
            func.sum(rating),
            *(func.count(case((rating == value, 1))) for value in RATINGS),
        )
    ).one()
    gain = None if not tested else post_total - pre_total
    support = (
        select()
        .select_from(Contribution)
        .join(TrainingSession, Contribution.session_id == TrainingSession.id)
        .where(Contribution.deleted.is_(False), *sessions)
    )
    return Training(
        sessions=held,
        hours=aggregates.from_units(hours, TENTHS),
        participants=sum(genders.values()),
        by_gender=aggregates.every(Gender, genders),
        by_country=aggregates.ranked(countries),
        by_sector=aggregates.ranked(aggregates.sections(isic, firms.sectors)),
        by_size=[*aggregates.every(SizeClass, firms.sizes), Count("", firms.sizes[None])],
        smes=firms.smes,
        new_smes=firms.new_smes,
        tested=tested,
        average_pre=aggregates.average(pre_total, tested, TENTHS, "0.1"),
        average_post=aggregates.average(post_total, tested, TENTHS, "0.1"),
        average_gain=aggregates.average(gain, tested, TENTHS, "0.1"),
        evaluations=rated,
        average_rating=aggregates.average(rating_total, rated, 0, "0.01"),
        ratings=[Count(str(value), count) for value, count in zip(RATINGS, ratings, strict=True)],
        certificates=certificates,
        support=aggregates.cash(session, support),
        support_in_kind=aggregates.in_kind(session, support),
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
        # Seated before the period in a session that took place: not reached for the first time.
        earlier = seated_participants(None, Participation.organisation_id, centre=centre).where(
            TrainingSession.first_day < period.start, Participation.organisation_id.is_not(None)
        )
        new = and_(sme, organisation.not_in(earlier))
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
