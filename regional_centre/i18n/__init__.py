"""Translation functions and locale choice.

``_`` translates now, ``N_`` only marks a string for extraction (translated
later, where it is shown), and ``ngettext`` picks the plural form.
"""

from __future__ import annotations

import gettext as _gettext
import os
from datetime import date
from decimal import Decimal

from babel.dates import format_date
from babel.numbers import format_decimal

from regional_centre.paths import translations_dir

DOMAIN = "messages"
LANGUAGES = ("en", "fr", "es", "ar", "ru", "zh")
RIGHT_TO_LEFT = frozenset({"ar"})

_translations: _gettext.NullTranslations = _gettext.NullTranslations()
_language = "en"


def set_language(language: str) -> None:
    """Use ``language``'s catalogue from now on (English when it has none)."""
    global _translations, _language
    if language not in LANGUAGES:
        raise ValueError(f"unsupported language {language!r}")
    _language = language
    _translations = _gettext.translation(
        DOMAIN, translations_dir(), languages=[language], fallback=True
    )


def current_language() -> str:
    """The language chosen with ``set_language``."""
    return _language


def is_right_to_left(language: str | None = None) -> bool:
    """Whether ``language`` (default: the current one) is written right to left."""
    return (language or _language) in RIGHT_TO_LEFT


def _(message: str) -> str:
    """Translate ``message`` into the current language."""
    return _translations.gettext(message)


def N_(message: str) -> str:
    """Mark ``message`` for translation without translating it yet."""
    return message


def ngettext(singular: str, plural: str, count: int) -> str:
    """Translate the form of ``singular``/``plural`` that fits ``count``."""
    return _translations.ngettext(singular, plural, count)


def format_number(value: int | float | Decimal) -> str:
    """A number as written in the current language (grouping, decimal sign)."""
    return format_decimal(value, locale=_language)


def system_language() -> str:
    """The user's language from the environment, if the program speaks it; else English."""
    for variable in ("LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"):
        value = os.environ.get(variable, "")
        code = value.split(":")[0].split(".")[0].split("_")[0].lower()
        if code in LANGUAGES:
            return code
        if value:
            break
    return "en"


def format_day(value: date, length: str = "medium") -> str:
    """A date as the current language writes it ("3 May 2027" in English, long form)."""
    return format_date(value, format=length, locale=_language)
