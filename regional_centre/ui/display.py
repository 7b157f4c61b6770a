"""How list values read on screen: choice labels, country and code names, dates, numbers."""

from __future__ import annotations

import datetime as dt
import decimal
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

from regional_centre.i18n import _, current_language, format_day, format_number
from regional_centre.services.listing import Column, Display
from regional_centre.services.reference import (
    ISIC,
    LIFECYCLE_STAGE,
    PRIORITY_FIELD,
    WASTE_STREAM,
    ReferenceService,
)


class CellText:
    """Turns the plain values of a list row into the text a user reads."""

    def __init__(self, reference: ReferenceService) -> None:
        self._reference = reference
        self._country = lru_cache(maxsize=512)(self._country_name)
        self._code_titles = lru_cache(maxsize=8)(self._titles_of_named_codes)

    def text(self, column: Column, value: Any) -> str:
        """The text shown for ``value`` in ``column``."""
        if value is None or value == "" or value == ():
            return ""
        display = column.display
        if display is Display.CHOICE and column.choices is not None:
            try:
                return column.choices(value).label()
            except ValueError:
                return str(value)
        if display is Display.DATE and isinstance(value, dt.date):
            return format_day(value)
        if display in (Display.INTEGER, Display.DECIMAL) and isinstance(
            value, (int, float, decimal.Decimal)
        ):
            return format_number(value)
        if display is Display.COUNTRY:
            return self._country(str(value), current_language())
        if display is Display.SECTOR:
            entry = self._reference.codes(ISIC).get(str(value))
            return f"{value} {entry.title}" if entry is not None else str(value)
        if display is Display.CODES:
            titles = self._code_titles(current_language())
            return ", ".join(titles.get(str(v), str(v)) for v in value)
        if display is Display.FLAG:
            return _("Yes") if value else ""
        return str(value)

    def texts(self, column: Column, values: Iterable[Any]) -> list[str]:
        """The texts shown for many ``values`` of ``column`` (a list sorted by it)."""
        if column.display is Display.TEXT:  # shown as stored: no look-up per value
            return ["" if value is None else str(value) for value in values]
        return [self.text(column, value) for value in values]

    def _country_name(self, code: str, language: str) -> str:
        return self._reference.country_name(code, language)

    def _titles_of_named_codes(self, language: str) -> dict[str, str]:
        """Titles of the codes that are words, not numbers (``e_waste``, ``capacity_building``).

        Basel codes (Y8, A1180) stay codes: they are what people write, and their titles are long.
        """
        return {
            code: entry.title
            for list_name in (WASTE_STREAM, PRIORITY_FIELD, LIFECYCLE_STAGE)
            for code, entry in self._reference.codes(list_name).items()
        }

    def export_value(self, column: Column, value: Any) -> Any:
        """The value written to a spreadsheet: numbers and dates typed, the rest as shown."""
        if column.display in (Display.DATE, Display.INTEGER, Display.DECIMAL):
            return value
        return self.text(column, value)
