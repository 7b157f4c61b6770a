"""The command line's usage and errors in the program's language, argparse's own words included.

Python's argparse writes "usage:", "options" and its error messages through the
standard ``gettext`` functions, which know nothing of the program's language.
``translate_argparse`` points them at the program's catalogue; ``MESSAGES`` marks
argparse's texts so that ``make translations`` puts them in the catalogues (a
text a later Python changes stays in English until the catalogue has it).
"""

from __future__ import annotations

import argparse

from regional_centre.i18n import N_, _, ngettext

MESSAGES = (
    N_("usage: "),
    N_("positional arguments"),
    N_("options"),
    N_("show this help message and exit"),
    N_("%(prog)s: error: %(message)s\n"),
    N_("argument %(argument_name)s: %(message)s"),
    N_("the following arguments are required: %s"),
    N_("unrecognized arguments: %s"),
    N_("invalid choice: %(value)r (choose from %(choices)s)"),
    N_("invalid %(type)s value: %(value)r"),
    N_("expected one argument"),
    N_("expected at least one argument"),
    N_("expected at most one argument"),
    N_("ignored explicit argument %r"),
    N_("not allowed with argument %s"),
    N_("one of the arguments %s is required"),
    N_("ambiguous option: %(option)s could match %(matches)s"),
)


def translate_argparse() -> None:
    """Let argparse translate through the program's catalogue (its current language)."""
    argparse._ = _  # type: ignore[attr-defined]
    argparse.ngettext = ngettext  # type: ignore[attr-defined]
