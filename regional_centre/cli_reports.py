"""The command line's reporting verbs: stats (the progress report's figures as JSON), report
(the printed documents) and certificate (verify a certificate's code)."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from babel.lists import format_list

from regional_centre.i18n import LANGUAGES, _, current_language, ngettext

if TYPE_CHECKING:
    from regional_centre.services import Services

Verb = Callable[[str, str, Callable[[argparse.Namespace], int]], argparse.ArgumentParser]
Open = Callable[[Path | str], "Services"]
Database = Callable[[str], Path | str]

VERBS = frozenset({"stats", "report", "certificate"})
DIRECTORY_KINDS = ("partners", "smes", "organisations")
_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")

_open: Open


def add_verbs(verb: Verb, open_services: Open, database: Database) -> None:
    """Register the reporting verbs on the main parser."""
    global _open
    _open = open_services

    stats = verb(
        "stats",
        _("print the progress report's figures for a period as JSON"),
        _cmd_stats,
    )
    stats.add_argument("--db", required=True, type=database)
    _period_options(stats)
    stats.add_argument(
        "--centre",
        metavar="CODE",
        help=_("only this centre's records (at the secretariat: instead of every centre)"),
    )
    _conversion_options(stats)

    report = verb("report", _("write a printed document (PDF) or its tables"), _cmd_help)
    documents = report.add_subparsers(dest="document", metavar="DOCUMENT", required=True)
    progress = documents.add_parser(
        "progress", help=_("the progress report on cooperation with industry, for a period")
    )
    progress.set_defaults(handler=_cmd_report_progress)
    progress.add_argument("--db", required=True, type=database)
    _period_options(progress)
    _language_option(progress)
    progress.add_argument(
        "--out", required=True, type=Path, help=_("the PDF to write (.xlsx: its tables)")
    )
    progress.add_argument("--centre", metavar="CODE", help=_("only this centre (secretariat)"))
    _conversion_options(progress)

    training = documents.add_parser(
        "training", help=_("a session's sign-in sheets, participant list, evaluation, certificates")
    )
    training.set_defaults(handler=_cmd_report_training)
    training.add_argument("--db", required=True, type=database)
    training.add_argument("--session", required=True, metavar="ID", help=_("the session's id"))
    _language_option(training, _("default: the session's language"))
    training.add_argument("--out", required=True, type=Path, help=_("the folder to write to"))

    directory = documents.add_parser(
        "directory", help=_("organisations with their people, filtered as in the lists")
    )
    directory.set_defaults(handler=_cmd_report_directory)
    directory.add_argument("--db", required=True, type=database)
    _language_option(directory)
    directory.add_argument("--out", required=True, type=Path, help=_("a .pdf, .xlsx or .csv file"))
    directory.add_argument("--kind", choices=DIRECTORY_KINDS, default="partners")
    directory.add_argument("--search", default="", help=_("words the organisations must match"))
    directory.add_argument("--country", metavar="CC", help=_("ISO country code"))
    directory.add_argument("--sector", metavar="ISIC", help=_("ISIC code"))

    certificate = verb("certificate", _("check a certificate of participation"), _cmd_help)
    steps = certificate.add_subparsers(dest="step", metavar="STEP", required=True)
    verify = steps.add_parser("verify", help=_("say whether a verification code is genuine"))
    verify.set_defaults(handler=_cmd_certificate_verify)
    verify.add_argument("--db", required=True, type=database)
    verify.add_argument("code", help=_("the code printed on the certificate"))


def _period_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--from", dest="start", required=True, metavar="DATE", help=_("first day, YYYY-MM-DD")
    )
    parser.add_argument(
        "--to", dest="end", required=True, metavar="DATE", help=_("last day, YYYY-MM-DD")
    )


def _language_option(parser: argparse.ArgumentParser, note: str | None = None) -> None:
    # Its own name: the program's --lang sets the language of messages, not of the document.
    parser.add_argument(
        "--lang",
        dest="document_language",
        choices=LANGUAGES,
        help=note or _("the document's language (default: the program's)"),
    )


def _conversion_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--currency", metavar="CUR", help=_("add cash contributions up in this currency")
    )
    parser.add_argument(
        "--rate",
        action="append",
        metavar="CUR=RATE",
        help=_("units of --currency for one unit of CUR; repeat for each currency"),
    )


def _cmd_help(args: argparse.Namespace) -> int:
    raise _usage(_("say which one; see --help"))


def _target(path: Path, suffixes: tuple[str, ...]) -> Path:
    """``path`` if it can be written and ends in one of ``suffixes``; a usage error otherwise."""
    if path.suffix.lower() not in suffixes:
        raise _usage(
            _("--out: '{path}' must end in {suffixes}.").format(
                path=path,
                suffixes=format_list(list(suffixes), style="or", locale=current_language()),
            )
        )
    if path.is_dir() or not path.parent.is_dir():
        raise _usage(_("--out: cannot write '{path}': no such folder.").format(path=path))
    return path


def _cmd_report_progress(args: argparse.Namespace) -> int:
    from regional_centre.i18n import current_language
    from regional_centre.reports.progress import prepare, record_issued, write
    from regional_centre.reports.spreadsheets import write_tables
    from regional_centre.services.periods import Period
    from regional_centre.services.progress_figures import parse_conversion

    period = Period(_day(args.start, "--from"), _day(args.end, "--to"))
    conversion = parse_conversion(args.currency or "", " ".join(args.rate or ()))
    out = _target(args.out, (".pdf", ".xlsx"))
    language = args.document_language or current_language()
    centre = args.centre.strip().upper() if args.centre else None
    services = _open(args.db)
    try:
        document = prepare(services, period, language, centre=centre, conversion=conversion)
        if out.suffix.lower() == ".xlsx":
            write_tables(out, [table.as_table() for table in document.tables])
            tables = len(document.tables)
            print(
                ngettext("{path}: {count} table", "{path}: {count} tables", tables).format(
                    path=out, count=tables
                )
            )
        else:
            pages = write(document, out, services)
            print(
                ngettext("{path}: {pages} page", "{path}: {pages} pages", pages).format(
                    path=out, pages=pages
                )
            )
            record_issued(services, document)
    finally:
        services.close()
    return 0


def _cmd_report_training(args: argparse.Namespace) -> int:
    from regional_centre.reports.training_papers import write_training_papers

    if args.out.exists() and not args.out.is_dir():
        raise _usage(_("--out: '{path}' is a file; give a folder.").format(path=args.out))
    services = _open(args.db)
    try:
        written = write_training_papers(services, args.session, args.out, args.document_language)
    finally:
        services.close()
    for path in written:
        print(path)
    return 0


def _cmd_report_directory(args: argparse.Namespace) -> int:
    from regional_centre.i18n import current_language
    from regional_centre.reports.directory import write_directory
    from regional_centre.services.listing import Kind, ListQuery

    out = _target(args.out, (".pdf", ".xlsx", ".csv"))
    kind = {"partners": Kind.PARTNERS, "smes": Kind.SMES}.get(args.kind, Kind.ORGANISATIONS)
    query = ListQuery(
        search=args.search,
        country=args.country.strip().upper() if args.country else None,
        sector=args.sector.strip() if args.sector else None,
    )
    services = _open(args.db)
    try:
        count = write_directory(
            services, kind, query, args.document_language or current_language(), out
        )
    finally:
        services.close()
    print(
        ngettext("{path}: {count} organisation", "{path}: {count} organisations", count).format(
            path=out, count=count
        )
    )
    return 0


def _cmd_certificate_verify(args: argparse.Namespace) -> int:
    from regional_centre.i18n import format_day

    services = _open(args.db)
    try:
        found = services.certificates.verified(args.code)
    finally:
        services.close()
    certificate = found.certificate
    days = [dt.date.fromisoformat(day) for day in found.days]
    print(
        _(
            "Genuine: certificate {number} of {name}, for '{session}' ({first} to {last}), "
            "issued on {issued} by {centre}."
        ).format(
            number=certificate.number,
            name=found.name,
            session=found.session_title,
            first=format_day(days[0]) if days else "",
            last=format_day(days[-1]) if days else "",
            issued=format_day(certificate.issued_on),
            centre=found.centre,
        )
    )
    return 0


def _day(text: str, option: str) -> dt.date:
    """A day written YYYY-MM-DD; a usage error otherwise."""
    try:
        if _ISO_DAY.fullmatch(text.strip()):
            return dt.date.fromisoformat(text.strip())
    except ValueError:
        pass
    raise _usage(
        _("{option}: '{value}' is not a date; write it as YYYY-MM-DD.").format(
            option=option, value=text
        )
    )


def _usage(message: str) -> Exception:
    # Imported here: the command line module imports this one while it loads.
    from regional_centre.cli import UsageError

    return UsageError(message)


def _cmd_stats(args: argparse.Namespace) -> int:
    from regional_centre.services.periods import Period
    from regional_centre.services.progress_figures import parse_conversion

    period = Period(_day(args.start, "--from"), _day(args.end, "--to"))
    conversion = parse_conversion(args.currency or "", " ".join(args.rate or ()))
    centre = args.centre.strip().upper() if args.centre is not None else None
    services = _open(args.db)
    try:
        node = services.context.node
        document: dict[str, Any]
        if centre is None and node.is_secretariat:
            document = services.progress.consolidated(period, conversion).as_json()
        else:
            # A centre's installation reports on its own records unless told otherwise.
            code = node.centre_code if centre is None else centre
            document = services.progress.figures(period, code, conversion).as_json()
    finally:
        services.close()
    json.dump(document, sys.stdout, indent=2, sort_keys=True, ensure_ascii=False)
    sys.stdout.write("\n")
    return 0
