"""Sorting text as the program's language sorts it (ICU through Qt), not by code point.

French puts "Égypte" beside "Egypte", before "Eswatini"; Spanish puts "Ñ" after "N";
Chinese sorts by pinyin. ``QLocale.setDefault`` (``app.application``) sets the language.
The lists hand the same order to the services (``text_order``), which sort by it.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

from PySide6.QtCore import QCollator, QLocale

if TYPE_CHECKING:  # the window imports this before the database's modules are loaded
    from regional_centre.services.listing import Column, TextOrder
    from regional_centre.ui.display import CellText

T = TypeVar("T")


def collator() -> QCollator:
    """A collator for the program's language, ignoring case differences first."""
    result = QCollator(QLocale())
    result.setCaseSensitivity(result.caseSensitivity().CaseInsensitive)
    result.setNumericMode(True)  # "Session 9" before "Session 10"
    return result


def sorted_by_text(items: Iterable[T], text: Callable[[T], str]) -> list[T]:
    """``items`` in the order of their ``text`` in the program's language."""
    order = collator()
    return sorted(items, key=lambda item: order.sortKey(text(item)))


def text_order(cells: CellText) -> TextOrder:
    """The order of a list column's values as they read on screen, in the program's language.

    Country codes sort by the country's name, choices by their label, codes by their titles.
    Each text is compared once however many rows show it; the database's order, which the
    texts arrive in, is nearly the collator's, so the sort makes few comparisons. Called on
    the lists' worker threads: each call has its own collator.
    """

    def order(column: Column, values: Sequence[Any]) -> list[int]:
        texts = cells.texts(column, values)
        distinct = list(dict.fromkeys(texts))
        distinct.sort(key=functools.cmp_to_key(collator().compare))
        rank = {text: position for position, text in enumerate(distinct)}
        return sorted(range(len(texts)), key=lambda position: rank[texts[position]])

    return order
