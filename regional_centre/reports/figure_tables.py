"""The progress report's tables, for one centre or for several side by side.

Each table is built from columns of figures: one column for a centre's own report,
one per centre and a total in the secretariat's. The same tables are printed in the
PDF and written to the workbook, so the two always agree. Values stay plain (numbers,
Decimals, text) until they are printed.
"""

from __future__ import annotations

import decimal
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from regional_centre.enums import (
    ActivityStatus,
    ActivityType,
    AgreementStatus,
    DialogueFormat,
    Gender,
    Recommendation,
    SizeClass,
    StakeholderType,
)
from regional_centre.i18n import _
from regional_centre.reports.spreadsheets import Table
from regional_centre.services.progress_figures import Amount, Count, ProgressFigures
from regional_centre.services.reference import (
    BASEL_CODE,
    ISIC,
    LIFECYCLE_STAGE,
    PRIORITY_FIELD,
    WASTE_STREAM,
    ReferenceService,
)


@dataclass(frozen=True)
class Column:
    """One column of figures: a centre (or the total) and what was counted for it."""

    name: str
    figures: ProgressFigures


Value = int | decimal.Decimal | str | None


@dataclass(frozen=True)
class FigureTable:
    """A titled table: a label column, then one value column per figures column."""

    key: str  # stable name, for tests and the workbook
    title: str
    label_heading: str
    columns: Sequence[str]
    rows: Sequence[tuple[str, Sequence[Value]]]
    money: bool = False  # amounts of money: printed with two decimals

    def as_table(self) -> Table:
        """The table for a spreadsheet."""
        return Table(
            self.title,
            [self.label_heading, *self.columns],
            [[label, *values] for label, values in self.rows],
        )


class Labels:
    """Names of codes in the document's language: enums, code lists and countries."""

    def __init__(self, reference: ReferenceService, language: str) -> None:
        self._reference = reference
        self._countries = reference.country_names(language)

    def code(self, list_name: str, code: str) -> str:
        """A code list entry by its title, with the code first where people know it (ISIC, Y18)."""
        if not code:
            return _("Not given")
        for name in (list_name, BASEL_CODE) if list_name == WASTE_STREAM else (list_name,):
            entry = self._reference.codes(name).get(code)
            if entry is not None:
                return f"{code} {entry.title}" if name in (ISIC, BASEL_CODE) else entry.title
        return code

    def country(self, code: str) -> str:
        """A country's name; "Not given" for an empty code."""
        return self._countries.get(code, code) if code else _("Not given")


def _counts(counts: Sequence[Count]) -> dict[str, int]:
    return {c.key: c.count for c in counts}


def _breakdown(
    key: str,
    title: str,
    label_heading: str,
    columns: Sequence[Column],
    counts: Callable[[ProgressFigures], Sequence[Count]],
    label: Callable[[str], str],
) -> FigureTable:
    """Counts by key, rows in the order of the last column (the total, or the only one)."""
    per_column = [_counts(counts(c.figures)) for c in columns]
    order = [c.key for c in counts(columns[-1].figures)]
    seen = set(order)
    for values in per_column:  # keys only some centres have
        for k in values:
            if k not in seen:
                seen.add(k)
                order.append(k)
    rows = [(label(k), [values.get(k, 0) for values in per_column]) for k in order]
    return FigureTable(key, title, label_heading, [c.name for c in columns], rows)


def _figures(
    key: str,
    title: str,
    columns: Sequence[Column],
    rows: Sequence[tuple[str, Callable[[ProgressFigures], Value]]],
) -> FigureTable:
    """Named figures, one row each."""
    return FigureTable(
        key, title, _("Figure"), [c.name for c in columns],
        [(label, [get(c.figures) for c in columns]) for label, get in rows],
    )  # fmt: skip


def _enum(kind: Any) -> Callable[[str], str]:
    def label(code: str) -> str:
        return kind(code).label() if code else _("Not given")

    return label


def _amounts(amounts: Sequence[Amount]) -> dict[str, Amount]:
    return {a.currency: a for a in amounts}


def _money(
    key: str,
    title: str,
    columns: Sequence[Column],
    amounts: Callable[[ProgressFigures], Sequence[Amount]],
) -> FigureTable:
    """Sums per currency, as "amount currency" text per column (never added across currencies)."""
    per_column = [_amounts(amounts(c.figures)) for c in columns]
    currencies = sorted({currency for values in per_column for currency in values})
    rows = [
        (currency, [values[currency].amount if currency in values else None for values in per_column])
        for currency in currencies
    ]  # fmt: skip
    return FigureTable(key, title, _("Currency"), [c.name for c in columns], rows, money=True)


def summary_table(columns: Sequence[Column]) -> FigureTable:
    """The key figures on the first page."""
    return _figures(
        "summary",
        _("Key figures"),
        columns,
        [
            (_("Partners (stakeholders other than SMEs), today"), lambda f: f.stakeholders.total),
            (_("New partners identified in the period"), lambda f: f.stakeholders.new),
            (_("Scoping dialogues held"), lambda f: f.dialogues.held),
            (_("Partnerships signed or active, today"), lambda f: f.partnerships.total),
            (_("Joint activities under way in the period"), lambda f: f.activities.total),
            (_("Training sessions for SMEs"), lambda f: f.training.sessions),
            (_("Participants trained"), lambda f: f.training.participants),
            (_("SMEs reached for the first time"), lambda f: f.training.new_smes),
            (_("Certificates issued"), lambda f: f.training.certificates),
            (_("Advisory Committee reviews received"), lambda f: f.reviews.received),
        ],
    )


def stakeholder_tables(columns: Sequence[Column], labels: Labels) -> list[FigureTable]:
    """Framework element (a): who was identified."""
    kind = _enum(StakeholderType)
    return [
        _figures(
            "stakeholders", _("Stakeholders identified"), columns,
            [(_("Partners, today"), lambda f: f.stakeholders.total), (_("New in the period"), lambda f: f.stakeholders.new)],
        ),
        _breakdown("stakeholders_by_type", _("Partners by type, today"), _("Type"), columns, lambda f: f.stakeholders.by_type, kind),
        _breakdown("new_stakeholders_by_type", _("New partners by type"), _("Type"), columns, lambda f: f.stakeholders.new_by_type, kind),
        _breakdown("stakeholders_by_sector", _("Partners by economic sector (ISIC section), today"), _("Sector"), columns, lambda f: f.stakeholders.by_sector, lambda k: labels.code(ISIC, k)),
        _breakdown("stakeholders_by_country", _("Partners by country, today"), _("Country"), columns, lambda f: f.stakeholders.by_country, labels.country),
    ]  # fmt: skip


def dialogue_tables(columns: Sequence[Column], labels: Labels) -> list[FigureTable]:
    """Framework element (b): scoping dialogues and what they covered."""
    return [
        _figures(
            "dialogues", _("Scoping dialogues"), columns,
            [
                (_("Dialogues held"), lambda f: f.dialogues.held),
                (_("Organisations taking part"), lambda f: f.dialogues.organisations),
                (_("Follow-up actions open"), lambda f: f.dialogues.actions_open),
                (_("Follow-up actions done"), lambda f: f.dialogues.actions_done),
                (_("Follow-up actions overdue"), lambda f: f.dialogues.actions_overdue),
            ],
        ),
        _breakdown("dialogues_by_format", _("Dialogues by format"), _("Format"), columns, lambda f: f.dialogues.by_format, _enum(DialogueFormat)),
        _breakdown("dialogues_by_stage", _("Life-cycle stages covered (dialogues)"), _("Life-cycle stage"), columns, lambda f: f.dialogues.lifecycle_stages, lambda k: labels.code(LIFECYCLE_STAGE, k)),
        _breakdown("dialogues_by_stream", _("Waste streams covered (dialogues)"), _("Waste stream"), columns, lambda f: f.dialogues.waste_streams, lambda k: labels.code(WASTE_STREAM, k)),
    ]  # fmt: skip


def partnership_tables(columns: Sequence[Column], labels: Labels) -> list[FigureTable]:
    """Framework element (c): partnerships by status and priority field."""
    return [
        _figures(
            "partnerships", _("Partnerships"), columns,
            [
                (_("Signed or active, today"), lambda f: f.partnerships.total),
                (_("Signed in the period"), lambda f: f.partnerships.signed_in_period),
            ],
        ),
        _breakdown("partnerships_by_status", _("Partnerships by agreement status, today"), _("Status"), columns, lambda f: f.partnerships.by_status, _enum(AgreementStatus)),
        _breakdown("partnerships_by_field", _("Partnerships by priority field"), _("Priority field"), columns, lambda f: f.partnerships.by_priority_field, lambda k: labels.code(PRIORITY_FIELD, k)),
    ]  # fmt: skip


def activity_tables(columns: Sequence[Column]) -> list[FigureTable]:
    """Framework element (d): joint activities, what industry gave, what was measured."""
    tables = [
        _figures(
            "activities", _("Joint activities"), columns,
            [
                (_("Under way in the period"), lambda f: f.activities.total),
                (_("Organisations contributing"), lambda f: f.activities.contributors),
                (_("Contributions in kind"), lambda f: f.activities.in_kind),
            ],
        ),
        _breakdown("activities_by_status", _("Joint activities by status"), _("Status"), columns, lambda f: f.activities.by_status, _enum(ActivityStatus)),
        _breakdown("activities_by_type", _("Joint activities by type"), _("Type"), columns, lambda f: f.activities.by_type, _enum(ActivityType)),
        _money("contributions", _("Industry contributions in cash, by currency"), columns, lambda f: f.activities.contributions),
    ]  # fmt: skip
    converted = [c.figures.activities.converted for c in columns]
    if any(value is not None for value in converted):
        tables.append(
            FigureTable(
                "contributions_converted", _("Industry contributions in cash, converted"), _("Currency"),
                [c.name for c in columns],
                [
                    (next(v.currency for v in converted if v is not None), [v.amount if v else None for v in converted]),
                    (_("Not added up (no rate given)"), [", ".join(c.figures.activities.unconverted) or "–" for c in columns]),
                ],
                money=True,
            )
        )  # fmt: skip
    outcomes: dict[tuple[str, str], list[Value]] = {}
    for index, column in enumerate(columns):
        for outcome in column.figures.activities.outcomes:
            row = outcomes.setdefault((outcome.indicator, outcome.unit), [None] * len(columns))
            row[index] = outcome.total.normalize()  # 12.5000 t is printed 12.5 t
    tables.append(
        FigureTable(
            "outcomes", _("Measured outcomes of the joint activities"), _("Indicator (unit)"),
            [c.name for c in columns],
            [(f"{indicator} ({unit})", values) for (indicator, unit), values in outcomes.items()],
        )
    )  # fmt: skip
    return tables


def training_tables(columns: Sequence[Column], labels: Labels) -> list[FigureTable]:
    """Framework element (e): training of SMEs, who came and what they learnt."""
    sizes = _enum(SizeClass)
    return [
        _figures(
            "training", _("Training of SMEs"), columns,
            [
                (_("Sessions held"), lambda f: f.training.sessions),
                (_("Training hours"), lambda f: f.training.hours),
                (_("Participants"), lambda f: f.training.participants),
                (_("SMEs taking part"), lambda f: f.training.smes),
                (_("SMEs reached for the first time"), lambda f: f.training.new_smes),
                (_("Participants with both tests"), lambda f: f.training.tested),
                (_("Average score before (%)"), lambda f: f.training.average_pre),
                (_("Average score after (%)"), lambda f: f.training.average_post),
                (_("Average gain (points)"), lambda f: f.training.average_gain),
                (_("Evaluations returned"), lambda f: f.training.evaluations),
                (_("Average rating (1 to 5)"), lambda f: f.training.average_rating),
                (_("Certificates issued"), lambda f: f.training.certificates),
                (_("Industry support in kind"), lambda f: f.training.support_in_kind),
            ],
        ),
        _breakdown("participants_by_gender", _("Participants by gender"), _("Gender"), columns, lambda f: f.training.by_gender, _enum(Gender)),
        _breakdown("participants_by_country", _("Participants by country"), _("Country"), columns, lambda f: f.training.by_country, labels.country),
        _breakdown("participants_by_sector", _("Participants by their organisation's sector (ISIC section)"), _("Sector"), columns, lambda f: f.training.by_sector, lambda k: labels.code(ISIC, k)),
        _breakdown("participants_by_size", _("Participants by size of their organisation"), _("Size"), columns, lambda f: f.training.by_size, sizes),
        _breakdown("ratings", _("Evaluations by rating"), _("Rating"), columns, lambda f: f.training.ratings, str),
        _money("training_support", _("Industry support to training in cash, by currency"), columns, lambda f: f.training.support),
    ]  # fmt: skip


def review_tables(columns: Sequence[Column]) -> list[FigureTable]:
    """The Advisory Committee's reviews received in the period."""
    return [
        _figures("reviews", _("Advisory Committee reviews"), columns, [(_("Reviews received"), lambda f: f.reviews.received)]),
        _breakdown("reviews_by_recommendation", _("Reviews by recommendation"), _("Recommendation"), columns, lambda f: f.reviews.by_recommendation, _enum(Recommendation)),
    ]  # fmt: skip
