"""Framework element (e) of the progress report: the training of SMEs, counted by the database.

Each figure is defined in the docstring of ``progress``. The period's seated
participations are counted from the training tallies (``regional_centre.db.tallies``),
which SQLite's triggers keep per day and centre: by the person's country and gender,
by the organisation's sector and size, and the sums of test scores and ratings. A
year is a few thousand tally rows rather than tens of thousands of participations.
The SMEs reached are the distinct organisations (by number) of the reach tally for
the period's whole years and of the participation facts for its other days, and those
reached for the first time the ones whose first counted day (``first_training``)
falls in the period. The queries are separate
(``training_tasks``) so that they can run on two connections at once; their SQL is in
``regional_centre.db.figures``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session

from regional_centre.db import figures
from regional_centre.enums import Gender, SizeClass
from regional_centre.services import aggregates
from regional_centre.services.periods import Bounds, Period
from regional_centre.services.progress_figures import Amount, Count, Training
from regional_centre.services.reference import Code
from regional_centre.services.snapshot import Task

TENTHS = figures.TENTHS
RATINGS = range(1, 6)


def training_tasks(period: Period, window: Bounds) -> dict[str, Task]:
    """The queries of the training figures of ``period`` within ``window`` (``periods.bounds``), longest first.

    Each takes a session and can run beside the others (``snapshot``).
    """
    return {
        "training.smes": lambda session: _smes(session, window),
        "training.new_smes": lambda session: _new_smes(session, period, window),
        "training.firms": lambda session: _firms(session, window),
        "training.people": lambda session: _people(session, window),
        "training.scores": lambda session: _scores(session, window),
        "training.sessions": lambda session: _sessions(session, window),
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
    smes: int = done["training.smes"]
    new_smes: int | None = done["training.new_smes"]
    held: _Sessions = done["training.sessions"]
    tested = scores.tested
    gain = None if not tested else scores.post_total - scores.pre_total
    training = Training(
        sessions=held.held,
        hours=figures.from_units(held.hours, TENTHS),
        participants=sum(countries.values()),
        by_gender=aggregates.every(Gender, genders),
        by_country=aggregates.ranked(countries),
        by_sector=aggregates.ranked(aggregates.sections(isic, firms.sectors)),
        by_size=[*aggregates.every(SizeClass, firms.sizes), Count("", firms.sizes[None])],
        smes=smes,
        new_smes=smes if new_smes is None else new_smes,
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
    return training, scores.seated


@dataclass(frozen=True)
class _Sessions:
    """The period's sessions: how many were held, their hours (in tenths), and the support they had."""

    held: int
    hours: int | None
    support: list[Amount]
    support_in_kind: int


def _sessions(session: Session, window: Bounds) -> _Sessions:
    held, hours = figures.row(session, figures.SESSIONS, window)
    support, support_in_kind = aggregates.contributions(session, figures.SESSION_SUPPORT, window)
    return _Sessions(held, hours, support, support_in_kind)


def _people(session: Session, window: Bounds) -> tuple[Counter[Any], Counter[Any]]:
    """The period's participants by the person's gender, and by the person's country."""
    genders: Counter[Any] = Counter()
    countries: Counter[Any] = Counter()
    for country, gender, count in figures.rows(session, figures.PEOPLE, window):
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


def _scores(session: Session, window: Bounds) -> _Scores:
    row = figures.row(session, figures.SCORES, window)
    seated, tested, pre_total, post_total, rated, rating_total, *ratings = (int(v) for v in row)
    return _Scores(seated, tested, pre_total, post_total, rated, rating_total, ratings)


@dataclass
class _Firms:
    """The period's participants by their organisation's sector and size."""

    sectors: Counter[Any] = field(default_factory=Counter)
    sizes: Counter[Any] = field(default_factory=Counter)


def _firms(session: Session, window: Bounds) -> _Firms:
    firms = _Firms()
    for sector, size, people in figures.rows(session, figures.FIRMS, window):
        firms.sectors[sector] += people
        firms.sizes[size] += people
    return firms


def _smes(session: Session, window: Bounds) -> int:
    """The period's SMEs (of the centre's sessions): distinct organisations of its facts."""
    return int(figures.value(session, figures.SMES_REACHED, window) or 0)


def _new_smes(session: Session, period: Period, window: Bounds) -> int | None:
    """The period's SMEs not counted in any session before it (of the centre's).

    They are those whose first counted day (``first_training``; of all centres, the
    earliest of theirs) falls in the period. None for a period with no start: then
    every SME reached is reached for the first time.
    """
    if period.start is None:
        return None
    statement = figures.NEW_SMES if window["centre"] is None else figures.NEW_SMES_OF_CENTRE
    return int(figures.value(session, statement, window) or 0)
