"""The figures of a progress report as plain data, and their JSON form.

``ProgressService`` (in ``progress``, whose docstring defines every figure)
fills them; the PDF report, the ``stats`` command and the tests read them.

In the JSON form a list of counts becomes an object from code to count, and a
list of amounts an object from currency to amount and number of contributions;
their order (largest first, or the vocabulary's) is kept by the lists only.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import decimal
import functools
import typing
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from babel.numbers import list_currencies

from regional_centre.i18n import _
from regional_centre.services.errors import ValidationError
from regional_centre.services.periods import Period
from regional_centre.services.statistics import KeyFigures

FORMAT = "regional-centre-stats"
VERSION = 1

_CURRENCIES = frozenset(list_currencies())


@dataclass(frozen=True)
class Count:
    """How many records have ``key``: an enum value, ISIC section, country or reference code; "" = not given."""

    key: str
    count: int


@dataclass(frozen=True)
class Amount:
    """A sum of money in one currency and the number of contributions it adds up."""

    currency: str
    amount: decimal.Decimal
    contributions: int


@dataclass(frozen=True)
class Conversion:
    """Exchange rates to add amounts up in one currency: ``rates[X]`` units of ``currency`` per 1 X."""

    currency: str
    rates: Mapping[str, decimal.Decimal]

    def __post_init__(self) -> None:
        if self.currency not in _CURRENCIES:
            raise ValidationError.single(
                "currency", _("Unknown currency '{code}'.").format(code=self.currency)
            )
        for code, rate in self.rates.items():
            if code not in _CURRENCIES:
                raise ValidationError.single(
                    "rate", _("Unknown currency '{code}'.").format(code=code)
                )
            if code == self.currency:
                raise ValidationError.single(
                    "rate",
                    _(
                        "{code} is the report's currency; give rates of the other currencies."
                    ).format(code=code),
                )
            if not isinstance(rate, decimal.Decimal) or not rate.is_finite() or rate <= 0:
                raise ValidationError.single(
                    "rate",
                    _("The rate of {code} must be a positive number, not '{rate}'.").format(
                        code=code, rate=rate
                    ),
                )


def parse_conversion(currency: str, rates: str) -> Conversion | None:
    """Exchange rates as a user types them: a currency and pairs like ``EUR=1.08 CHF=1.12``.

    Pairs are separated by spaces or semicolons; a decimal comma is accepted
    (``EUR=1,08``). None when both are blank; ValidationError when anything is wrong.
    """
    code = currency.strip().upper()
    pairs = rates.replace(";", " ").split()
    if not code:
        if pairs:
            raise ValidationError.single("currency", _("Name the currency the rates convert to."))
        return None
    parsed: dict[str, decimal.Decimal] = {}
    for pair in pairs:
        name, equals, number = pair.partition("=")
        name = name.strip().upper()
        if not equals or not name:
            raise ValidationError.single(
                "rate", _("'{text}' is not a rate; write it as EUR=1.08.").format(text=pair)
            )
        if name in parsed:
            raise ValidationError.single("rate", _("{code} is given two rates.").format(code=name))
        if number.count(",") == 1 and "." not in number:
            number = number.replace(",", ".")
        try:
            parsed[name] = decimal.Decimal(number.strip())
        except decimal.InvalidOperation:
            raise ValidationError.single(
                "rate",
                _("The rate of {code} must be a positive number, not '{rate}'.").format(
                    code=name, rate=number
                ),
            ) from None
    return Conversion(code, parsed)


@dataclass(frozen=True)
class OutcomeTotal:
    """One indicator in one unit, summed over the activities that measured it."""

    indicator: str
    unit: str
    total: decimal.Decimal
    activities: int


@dataclass(frozen=True)
class Stakeholders:
    """Framework element (a): key stakeholders identified."""

    total: int
    new: int
    by_type: list[Count]
    new_by_type: list[Count]
    by_sector: list[Count]
    by_country: list[Count]


@dataclass(frozen=True)
class Dialogues:
    """Framework element (b): scoping dialogues held."""

    held: int
    organisations: int
    by_format: list[Count]
    lifecycle_stages: list[Count]
    waste_streams: list[Count]
    actions_open: int
    actions_done: int
    actions_overdue: int


@dataclass(frozen=True)
class Partnerships:
    """Framework element (c): strategic partnerships."""

    total: int
    signed_in_period: int
    by_status: list[Count]
    by_priority_field: list[Count]


@dataclass(frozen=True)
class Activities:
    """Framework element (d): joint activities, their contributions and outcomes."""

    total: int
    by_status: list[Count]
    by_type: list[Count]
    contributions: list[Amount]
    in_kind: int
    contributors: int
    converted: Amount | None
    unconverted: list[str]
    outcomes: list[OutcomeTotal]


@dataclass(frozen=True)
class Training:
    """Framework element (e): training of SMEs."""

    sessions: int
    hours: decimal.Decimal
    participants: int
    by_gender: list[Count]
    by_country: list[Count]
    by_sector: list[Count]
    by_size: list[Count]
    smes: int
    new_smes: int
    tested: int
    average_pre: decimal.Decimal | None
    average_post: decimal.Decimal | None
    average_gain: decimal.Decimal | None
    evaluations: int
    average_rating: decimal.Decimal | None
    ratings: list[Count]
    certificates: int
    support: list[Amount]
    support_in_kind: int


@dataclass(frozen=True)
class Reviews:
    """The Advisory Committee's reviews of joint activities received in the period."""

    received: int
    by_recommendation: list[Count]


@dataclass(frozen=True)
class ProgressFigures:
    """Every figure of a progress report for one period and one centre (None: all records)."""

    period: Period
    centre: str | None
    generated_on: dt.date
    key: KeyFigures
    stakeholders: Stakeholders
    dialogues: Dialogues
    partnerships: Partnerships
    activities: Activities
    training: Training
    reviews: Reviews
    conversion: Conversion | None = None

    def as_json(self) -> dict[str, Any]:
        """The figures as plain JSON values: amounts as exact decimal text, codes as keys."""
        return {"format": FORMAT, "version": VERSION, **_plain(self)}


@dataclass(frozen=True)
class ConsolidatedFigures:
    """The secretariat's view: the figures of all records and of each centre, side by side."""

    period: Period
    total: ProgressFigures
    centres: list[ProgressFigures]

    def as_json(self) -> dict[str, Any]:
        """``total`` and every centre's figures, each in the form ``ProgressFigures.as_json`` gives."""
        return {
            "format": FORMAT,
            "version": VERSION,
            "period": _plain(self.period),
            "total": self.total.as_json(),
            "centres": {str(figures.centre): figures.as_json() for figures in self.centres},
        }


def decimal_text(value: decimal.Decimal) -> str:
    """A decimal as plain text with the places it carries ("1250.50", never "1.2505E+3")."""
    return format(value, "f")


def _plain(value: Any) -> Any:
    """``value`` in JSON types: decimals as text, dates in ISO form, dataclasses as objects."""
    if isinstance(value, decimal.Decimal):
        return decimal_text(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(key): _plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        hints = _hints(type(value))
        return {
            field.name: _field(hints[field.name], getattr(value, field.name))
            for field in dataclasses.fields(value)
        }
    return value


def _field(hint: Any, value: Any) -> Any:
    """A field's JSON value; lists of counts and of amounts become objects keyed by their code."""
    if hint == list[Count]:
        return {item.key: item.count for item in value}
    if hint == list[Amount]:
        return {
            item.currency: {
                "amount": decimal_text(item.amount),
                "contributions": item.contributions,
            }
            for item in value
        }
    return _plain(value)


@functools.cache
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)
