"""The rows of the progress report's aggregate queries (``regional_centre.db.figures``) made plain values.

Money and measurements are stored as SQLite reals, whose sums drift in the last
places; the queries (``regional_centre.db.figures``) add them up as whole numbers of
their smallest stored unit, and they are made decimals again here.
"""

from __future__ import annotations

import decimal
from collections import Counter
from collections.abc import Iterable, Mapping
from enum import Enum
from typing import Any

from sqlalchemy.orm import Session

from regional_centre.db import figures
from regional_centre.db.figures import from_units
from regional_centre.enums import ContributionKind
from regional_centre.services.periods import Bounds
from regional_centre.services.progress_figures import Amount, Conversion, Count
from regional_centre.services.reference import Code, isic_section

CENT = decimal.Decimal("0.01")


def contributions(session: Session, statement: str, window: Bounds) -> tuple[list[Amount], int]:
    """Of the contributions ``statement`` sums (``figures.ACTIVITY_CONTRIBUTIONS``, say): the cash ones per currency, by code, and how many are in kind."""
    cash = []
    in_kind = 0
    for kind, code, count, total in figures.rows(session, statement, window):
        if kind == ContributionKind.CASH:
            cash.append(Amount(str(code), money(from_units(total, figures.AMOUNT_PLACES)), count))
        elif kind == ContributionKind.IN_KIND:
            in_kind += count
    return cash, in_kind


def every(members: Iterable[Enum], counts: Mapping[Any, int]) -> list[Count]:
    """A count for every member, in order, zeros included."""
    return [Count(str(member.value), counts.get(member, 0)) for member in members]


def ranked(counts: Mapping[Any, int]) -> list[Count]:
    """The counts above zero, largest first, then by key; None counts as "", last among equals."""
    merged: Counter[str] = Counter()
    for key, count in counts.items():
        merged[str(key or "")] += count
    entries = [Count(key, count) for key, count in merged.items() if count > 0]
    return sorted(entries, key=lambda entry: (-entry.count, entry.key == "", entry.key))


def sections(codes: Mapping[str, Code], counts: Mapping[Any, int]) -> Counter[str]:
    """Counts per ISIC code folded into their sections ("" for none or unknown)."""
    folded: Counter[str] = Counter()
    for code, count in counts.items():
        folded[isic_section(codes, code) or ""] += count
    return folded


def money(amount: decimal.Decimal) -> decimal.Decimal:
    """An amount with two decimal places, or more when it needs them."""
    cents = amount.quantize(CENT)
    return cents if cents == amount else plain(amount)


def plain(value: decimal.Decimal) -> decimal.Decimal:
    """``value`` without trailing zeros after the point, and without an exponent."""
    normal = value.normalize()
    exponent = normal.as_tuple().exponent
    if isinstance(exponent, int) and exponent > 0:
        return normal.quantize(decimal.Decimal(1))
    return normal


def average(total: int | None, count: int, places: int, step: str) -> decimal.Decimal | None:
    """``total`` (in 10**-places) divided by ``count``, rounded half up to ``step``; None for no one."""
    if not count or total is None:
        return None
    with decimal.localcontext() as context:
        context.prec = 40
        value = from_units(total, places) / count
        return value.quantize(decimal.Decimal(step), rounding=decimal.ROUND_HALF_UP)


def convert(
    amounts: list[Amount], conversion: Conversion | None
) -> tuple[Amount | None, list[str]]:
    """``amounts`` added up in the conversion's currency, and the currencies that have no rate."""
    if conversion is None:
        return None, []
    total = decimal.Decimal(0)
    contributions = 0
    unconverted = []
    with decimal.localcontext() as context:
        context.prec = 60
        for amount in amounts:
            if amount.currency == conversion.currency:
                rate = decimal.Decimal(1)
            elif amount.currency in conversion.rates:
                rate = conversion.rates[amount.currency]
            else:
                unconverted.append(amount.currency)
                continue
            total += amount.amount * rate
            contributions += amount.contributions
        cents = total.quantize(CENT, rounding=decimal.ROUND_HALF_UP)
    return Amount(conversion.currency, cents, contributions), unconverted
