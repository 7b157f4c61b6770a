"""The figures of the progress report to the secretariat, each counted by the database.

Every figure counts live (not deleted) records only. "In the period" is as in
``statistics``: both ends included, an open end sets no bound. ``today`` is the
day the figures were made (``generated_on``). Where counts are ranked "largest first",
equal counts go by code, "" (not given) last.

(a) Key stakeholders
- stakeholders.total: organisations that are not SMEs, as they stand today.
- stakeholders.new: those of them added (creation stamp, UTC day) in the period.
- stakeholders.by_type, new_by_type: the same per stakeholder type, every non-SME type in order, zeros included.
- stakeholders.by_sector: per ISIC section of their sector ("" none or unknown), largest first.
- stakeholders.by_country: per country code, largest first, then by code.

(b) Scoping dialogues
- dialogues.held: dialogues held in the period.
- dialogues.organisations: distinct organisations recorded as taking part in those dialogues.
- dialogues.by_format: those dialogues per format, every format in order, zeros included.
- dialogues.lifecycle_stages, waste_streams: per code, how many of those dialogues covered it (codes none covered left out), largest first, then by code.
- dialogues.actions_open, actions_done, actions_overdue: their follow-up actions open, done, and open with a due date before today.

(c) Strategic partnerships
- partnerships.total: partnerships signed or active, today.
- partnerships.signed_in_period: partnerships signed (signing date) in the period, whatever their status now.
- partnerships.by_status: partnerships per agreement status today, every status in order, zeros included.
- partnerships.by_priority_field: per priority field, the signed or active partnerships covering it (those not or no longer in force are left out), largest first, then by code.

(d) Joint activities
- activities.total: activities whose dates overlap the period (start on or before its end; no end, or an end on or after its start).
- activities.by_status, by_type: those activities per status and per type, every value in order, zeros included.
- activities.contributions: cash contributions to them summed per currency (by code), with how many there are.
- activities.in_kind: how many contributions to them are in kind (their stated values are not added up).
- activities.contributors: distinct organisations contributing to them, in cash or in kind.
- activities.converted: with exchange rates, the cash in the rates' currency over the currencies that have a rate or are that currency, rounded half up to the cent; None without rates.
- activities.unconverted: currencies of cash contributions that have no rate (empty without rates).
- activities.outcomes: their outcomes summed per indicator and unit, measured by the most activities first, then by indicator and unit.

(e) Training of SMEs
- training.sessions: sessions whose first day is in the period, not cancelled.
- training.hours: over those sessions, hours per day times number of days.
- training.participants: their seated participants (registered or confirmed, not waitlisted or cancelled).
- training.by_gender, by_country: those participants by the person's gender (every gender, zeros included) and country (largest first, then by code).
- training.by_sector: by the ISIC section of the organisation they came for ("" none or unknown), largest first.
- training.by_size: by that organisation's size class, every class in order, zeros included, then "" (no organisation, or no size class).
- training.smes: distinct SMEs (live organisations of that type) that seated participants came for.
- training.new_smes: those SMEs reached for the first time: their earliest seated participation in a session not cancelled is in the period.
- training.tested, average_pre, average_post, average_gain: participants with both test scores, their average scores and average gain (post minus pre), rounded half up to one place; None when no one was tested.
- training.evaluations, average_rating, ratings: participants who gave a rating, its average rounded half up to two places (None without any), and how many gave each of 1 to 5.
- training.certificates: certificates issued in the period.
- training.support, support_in_kind: cash contributions to the period's sessions per currency, and how many were in kind.

Advisory Committee on Partnership with Industry
- reviews.received, by_recommendation: reviews dated in the period, of live activities, per recommendation (every one in order, zeros included).

key: the dashboard's key figures (``statistics``) for the same period and centre. Those a
section counts as well (partners, new partners, dialogues, partnerships, activities,
sessions, participants) are taken from that section: the same records, counted once.

For one centre, a figure counts the records that centre owns; records that belong to a
dialogue, activity or session (participants, actions, contributions, outcomes, reviews)
count with the owner of that dialogue, activity or session. That is how the Advisory
Committee's reviews, owned by the secretariat, count for the centre whose activity they
review, and why an SME is new to a centre that never seated it before, even if another did.

Amounts and outcomes are added up exactly (in ten-thousandths, the precision the database
keeps); amounts carry at least two decimal places.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

from sqlalchemy import select, union
from sqlalchemy.orm import Session

from regional_centre.db import figures
from regional_centre.db.models import SYNCED_MODELS, AdvisoryReview, AuditEntry, Conflict
from regional_centre.enums import (
    ActivityStatus,
    ActivityType,
    AgreementStatus,
    DialogueFormat,
    Recommendation,
    StakeholderType,
)
from regional_centre.i18n import _
from regional_centre.services import aggregates
from regional_centre.services.context import SECRETARIAT, ServiceContext
from regional_centre.services.errors import ValidationError
from regional_centre.services.periods import Bounds, Period, bounds
from regional_centre.services.progress_figures import (
    Activities,
    Amount,
    ConsolidatedFigures,
    Conversion,
    Count,
    Dialogues,
    OutcomeTotal,
    Partnerships,
    ProgressFigures,
    Reviews,
    Stakeholders,
    Training,
)
from regional_centre.services.progress_training import training_figures, training_tasks
from regional_centre.services.reference import CENTRE, ISIC, ReferenceService
from regional_centre.services.snapshot import Snapshot, snapshot
from regional_centre.services.statistics import KeyFigures, read_key_counts

__all__ = [
    "Activities",
    "Amount",
    "ConsolidatedFigures",
    "Conversion",
    "Count",
    "Dialogues",
    "OutcomeTotal",
    "Partnerships",
    "ProgressFigures",
    "ProgressService",
    "Reviews",
    "Stakeholders",
    "Training",
]

IN_FORCE = (AgreementStatus.SIGNED, AgreementStatus.ACTIVE)
# Records that are bookkeeping rather than a centre's work: they do not make an owner a centre.
_BOOKKEEPING = (AuditEntry, Conflict)
# The key figures no section counts as well; the others are taken from the sections.
_KEY_OF_ITS_OWN = ("smes", "certificates", "overdue_actions")


class ProgressService:
    """The progress report's figures, for one centre or for all records."""

    def __init__(self, context: ServiceContext, reference: ReferenceService) -> None:
        self._context = context
        self._reference = reference

    def figures(
        self, period: Period, centre: str | None = None, conversion: Conversion | None = None
    ) -> ProgressFigures:
        """Every figure of ``period`` for ``centre`` (None: all records), from one snapshot."""
        self._check_centre(centre)
        with snapshot(self._context) as reader:
            return self._figures(reader, period, centre, conversion, dt.date.today())

    def centres(self, period: Period) -> list[str]:
        """Owners of live records by code; the secretariat only if it owns more than reviews.

        Listed whatever the period: a centre that did nothing in it still has its
        partners and partnerships, which are counted as they stand today.
        """
        with self._context.read() as session:
            return _owners(session)

    def consolidated(
        self, period: Period, conversion: Conversion | None = None
    ) -> ConsolidatedFigures:
        """The figures of all records and of each of ``centres``, from one snapshot."""
        today = dt.date.today()
        with snapshot(self._context) as reader:
            total = self._figures(reader, period, None, conversion, today)
            each = [
                self._figures(reader, period, code, conversion, today)
                for code in _owners(reader.sessions[0])
            ]
        return ConsolidatedFigures(period, total, each)

    def _check_centre(self, centre: str | None) -> None:
        if centre is None:
            return
        if centre != SECRETARIAT and centre not in self._reference.codes(CENTRE):
            raise ValidationError.single(
                "centre", _("There is no centre '{code}'.").format(code=centre)
            )
        node = self._context.node
        if not node.is_secretariat and centre != node.centre_code:
            raise ValidationError.single(
                "centre",
                _("This installation keeps the records of {own} only, not of {code}.").format(
                    own=node.centre_code, code=centre
                ),
            )

    def _figures(
        self,
        reader: Snapshot,
        period: Period,
        centre: str | None,
        conversion: Conversion | None,
        today: dt.date,
    ) -> ProgressFigures:
        isic = self._reference.codes(ISIC)
        window = bounds(period, centre, today)
        done = reader.run(
            {
                **training_tasks(period, window),  # the longest first
                "key": lambda session: read_key_counts(session, window, _KEY_OF_ITS_OWN),
                "stakeholders": lambda session: _stakeholders(session, window, isic),
                "dialogues": lambda session: _dialogues(session, window),
                "partnerships": lambda session: _partnerships(session, window),
                "activities": lambda session: _activities(session, window, conversion),
                "reviews": lambda session: _reviews(session, window),
            }
        )
        counted = done["key"]
        stakeholders: Stakeholders = done["stakeholders"]
        dialogues: Dialogues = done["dialogues"]
        partnerships: Partnerships = done["partnerships"]
        activities: Activities = done["activities"]
        training, participants = training_figures(done, isic, counted["certificates"])
        key = KeyFigures(
            partners=stakeholders.total,
            new_partners=stakeholders.new,
            dialogues=dialogues.held,
            partnerships=partnerships.total,
            activities=activities.total,
            sessions=training.sessions,
            participants=participants,
            **counted,
        )
        return ProgressFigures(
            period=period,
            centre=centre,
            generated_on=today,
            key=key,
            stakeholders=stakeholders,
            dialogues=dialogues,
            partnerships=partnerships,
            activities=activities,
            training=training,
            reviews=done["reviews"],
            conversion=conversion,
        )


def _stakeholders(session: Session, window: Bounds, isic: Any) -> Stakeholders:
    totals: Counter[Any] = Counter()
    news: Counter[Any] = Counter()
    sectors: Counter[Any] = Counter()
    countries: Counter[Any] = Counter()
    # One walk of ix_organisation_stakeholders, already in this order: no sort.
    for value, code, place, count, new in figures.rows(session, figures.STAKEHOLDERS, window):
        totals[value] += count
        news[value] += new
        sectors[code] += count
        countries[place] += count
    types = [t for t in StakeholderType if t != StakeholderType.SME]
    return Stakeholders(
        total=sum(totals.values()),
        new=sum(news.values()),
        by_type=aggregates.every(types, totals),
        new_by_type=aggregates.every(types, news),
        by_sector=aggregates.ranked(aggregates.sections(isic, sectors)),
        by_country=aggregates.ranked(countries),
    )


def _dialogues(session: Session, window: Bounds) -> Dialogues:
    formats = figures.counts(session, figures.DIALOGUE_FORMATS, window)
    organisations = figures.value(session, figures.DIALOGUE_ORGANISATIONS, window)
    actions_open, actions_done, actions_overdue = figures.row(
        session, figures.DIALOGUE_ACTIONS, window
    )
    stages = figures.counts(session, figures.DIALOGUE_STAGES, window)
    streams = figures.counts(session, figures.DIALOGUE_STREAMS, window)
    return Dialogues(
        held=sum(formats.values()),
        organisations=organisations or 0,
        by_format=aggregates.every(DialogueFormat, formats),
        lifecycle_stages=aggregates.ranked(stages),
        waste_streams=aggregates.ranked(streams),
        actions_open=actions_open,
        actions_done=actions_done,
        actions_overdue=actions_overdue,
    )


def _partnerships(session: Session, window: Bounds) -> Partnerships:
    statuses = figures.counts(session, figures.PARTNERSHIP_STATUSES, window)
    signed = figures.value(session, figures.PARTNERSHIPS_SIGNED, window)
    fields = figures.counts(session, figures.PARTNERSHIP_FIELDS, window)
    return Partnerships(
        total=sum(statuses.get(status, 0) for status in IN_FORCE),
        signed_in_period=signed or 0,
        by_status=aggregates.every(AgreementStatus, statuses),
        by_priority_field=aggregates.ranked(fields),
    )


def _activities(session: Session, window: Bounds, conversion: Conversion | None) -> Activities:
    statuses: Counter[Any] = Counter()
    types: Counter[Any] = Counter()
    for status, kind, count in figures.rows(session, figures.ACTIVITY_KINDS, window):
        statuses[status] += count
        types[kind] += count
    contributors = figures.value(session, figures.ACTIVITY_CONTRIBUTORS, window)
    cash, in_kind = aggregates.contributions(session, figures.ACTIVITY_CONTRIBUTIONS, window)
    converted, unconverted = aggregates.convert(cash, conversion)
    outcomes = figures.rows(session, figures.ACTIVITY_OUTCOMES, window)
    return Activities(
        total=sum(statuses.values()),
        by_status=aggregates.every(ActivityStatus, statuses),
        by_type=aggregates.every(ActivityType, types),
        contributions=cash,
        in_kind=in_kind,
        contributors=contributors or 0,
        converted=converted,
        unconverted=unconverted,
        outcomes=[
            OutcomeTotal(
                indicator,
                unit,
                aggregates.plain(figures.from_units(total, figures.AMOUNT_PLACES)),
                count,
            )
            for indicator, unit, total, count in outcomes
        ],
    )


def _reviews(session: Session, window: Bounds) -> Reviews:
    recommendations = figures.counts(session, figures.REVIEWS, window)
    return Reviews(
        received=sum(recommendations.values()),
        by_recommendation=aggregates.every(Recommendation, recommendations),
    )


def _owners(session: Session) -> list[str]:
    """Owners of live records other than bookkeeping and the secretariat's reviews, by code."""
    queries = [
        select(model.owner)
        .where(
            model.deleted.is_(False),
            *([model.owner != SECRETARIAT] if model is AdvisoryReview else []),
        )
        .group_by(model.owner)
        for model in SYNCED_MODELS
        if model not in _BOOKKEEPING
    ]
    return sorted(str(owner) for owner in session.scalars(union(*queries)))
