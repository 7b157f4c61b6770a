"""Rules shared by every record: required texts, codes, dates, amounts."""

from __future__ import annotations

import datetime as dt
import decimal
import re
from collections.abc import Iterable
from typing import Any

from babel.numbers import list_currencies

from regional_centre.i18n import _
from regional_centre.services.errors import Problem, ValidationError
from regional_centre.services.reference import COUNTRY, ReferenceService

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_CURRENCIES = frozenset(list_currencies())


class Checker:
    """Collects the problems of one record; ``raise_if_any`` ends the check."""

    def __init__(self, values: dict[str, Any], reference: ReferenceService) -> None:
        self.values = values
        self.reference = reference
        self.problems: list[Problem] = []

    def add(self, field: str, message: str) -> None:
        """Note that ``field`` is invalid."""
        self.problems.append(Problem(field, message))

    def raise_if_any(self) -> None:
        """Raise ValidationError when a problem was noted."""
        if self.problems:
            raise ValidationError(self.problems)

    def text(self, field: str, *, required: bool = False, max_length: int = 300) -> None:
        """Strip a text field; check it is given (if required) and not too long."""
        value = self.values.get(field)
        if value is None:
            value = ""
        if not isinstance(value, str):
            self.add(field, _("Enter text."))
            return
        value = value.strip()
        self.values[field] = value
        if required and not value:
            self.add(field, _("This field is required."))
        elif len(value) > max_length:
            self.add(
                field,
                _("Use at most {limit} characters (this has {length}).").format(
                    limit=max_length, length=len(value)
                ),
            )

    def choice(self, field: str, enum: type[Any], *, required: bool = True) -> None:
        """Check the field holds a member of ``enum`` (given as member or value)."""
        value = self.values.get(field)
        if value is None or value == "":
            self.values[field] = None
            if required:
                self.add(field, _("Choose a value."))
            return
        try:
            self.values[field] = enum(value)
        except ValueError:
            self.add(field, _("'{value}' is not one of the choices.").format(value=value))

    def code(self, field: str, list_name: str, *, required: bool = True) -> None:
        """Check the field holds a current code of the reference list ``list_name``."""
        value = self.values.get(field)
        if isinstance(value, str):
            value = value.strip()
            if list_name == COUNTRY:
                value = value.upper()
            self.values[field] = value or None
        if not value:
            self.values[field] = None
            if required:
                self.add(field, _("Choose a value."))
            return
        if not isinstance(value, str) or not self.reference.is_valid(list_name, value):
            self.add(field, _("Unknown code '{code}'.").format(code=value))

    def code_set(self, field: str, allowed: Iterable[str], *, required: bool = False) -> None:
        """Check every code of a set field is allowed; store the set sorted."""
        value = self.values.get(field) or ()
        if isinstance(value, str):
            self.add(field, _("Give a list of codes."))
            return
        codes = tuple(sorted({str(v).strip() for v in value}))
        self.values[field] = codes
        allowed_set = allowed if isinstance(allowed, (set, frozenset)) else set(allowed)
        unknown = [c for c in codes if c not in allowed_set]
        if unknown:
            self.add(field, _("Unknown codes: {codes}.").format(codes=", ".join(unknown)))
        elif required and not codes:
            self.add(field, _("Choose at least one."))

    def email(self, field: str) -> None:
        """Check an optional e-mail address looks like one."""
        self.text(field, max_length=254)
        value = self.values.get(field)
        if isinstance(value, str) and value and not _EMAIL.match(value):
            self.add(field, _("'{value}' is not an e-mail address.").format(value=value))

    def date(self, field: str, *, required: bool = True) -> None:
        """Check the field holds a date (a ``date`` or ISO text)."""
        value = self.values.get(field)
        if value is None or value == "":
            self.values[field] = None
            if required:
                self.add(field, _("Enter a date."))
            return
        if isinstance(value, dt.datetime) or not isinstance(value, (dt.date, str)):
            self.add(field, _("Enter a date."))
            return
        if isinstance(value, str):
            try:
                self.values[field] = dt.date.fromisoformat(value)
            except ValueError:
                self.add(field, _("'{value}' is not a date (use YYYY-MM-DD).").format(value=value))

    def not_before(self, later: str, earlier: str, message: str) -> None:
        """Check that the date in ``later`` is not before the one in ``earlier``."""
        first, last = self.values.get(earlier), self.values.get(later)
        if isinstance(first, dt.date) and isinstance(last, dt.date) and last < first:
            self.add(later, message)

    def number(
        self,
        field: str,
        *,
        required: bool = False,
        minimum: decimal.Decimal | int | None = None,
        maximum: decimal.Decimal | int | None = None,
        integer: bool = False,
    ) -> None:
        """Check the field holds a number within bounds (text is parsed)."""
        value = self.values.get(field)
        if value is None or value == "":
            self.values[field] = None
            if required:
                self.add(field, _("Enter a number."))
            return
        if isinstance(value, bool):
            self.add(field, _("Enter a number."))
            return
        if isinstance(value, (int, decimal.Decimal)):
            number = decimal.Decimal(value)
        else:
            try:
                number = decimal.Decimal(str(value).strip())
            except decimal.InvalidOperation:
                self.add(field, _("'{value}' is not a number.").format(value=value))
                return
        if not number.is_finite():
            self.add(field, _("'{value}' is not a number.").format(value=value))
            return
        if integer and number != number.to_integral_value():
            self.add(field, _("Enter a whole number."))
            return
        if minimum is not None and number < minimum:
            self.add(field, _("Enter at least {minimum}.").format(minimum=minimum))
            return
        if maximum is not None and number > maximum:
            self.add(field, _("Enter at most {maximum}.").format(maximum=maximum))
            return
        self.values[field] = int(number) if integer else number

    def currency(self, field: str, *, required: bool = False) -> None:
        """Check the field holds an ISO 4217 currency code."""
        value = self.values.get(field)
        if isinstance(value, str):
            value = value.strip().upper() or None
        self.values[field] = value
        if value is None:
            if required:
                self.add(field, _("Choose a currency."))
        elif value not in _CURRENCIES:
            self.add(field, _("Unknown currency '{code}'.").format(code=value))
