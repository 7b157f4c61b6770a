"""Sorting text as the program's language sorts it (ICU through Qt), not by code point.

French puts "Égypte" beside "Egypte", before "Eswatini"; Spanish puts "Ñ" after "N";
Chinese sorts by pinyin. ``QLocale.setDefault`` (``app.application``) sets the language.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TypeVar

from PySide6.QtCore import QCollator, QLocale

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
