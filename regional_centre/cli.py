"""The command line: a thin shell over the services, for automation and tests.

Every fault the user can act on is one line on stderr and a non-zero exit;
anything unexpected is logged with its traceback and reported in one line too.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from regional_centre import __version__, cli_reports, cli_sync
from regional_centre.i18n import LANGUAGES, _, set_language, system_language
from regional_centre.i18n.argparse_messages import translate_argparse
from regional_centre.logs import setup_logging
from regional_centre.paths import default_database_path
from regional_centre.services.errors import DatabaseError, ServiceError, ValidationError

if TYPE_CHECKING:
    from regional_centre.services import Services

log = logging.getLogger(__name__)
PROGRAM = "regional-centre"

EXIT_ERROR = 1
EXIT_USAGE = 2
EXIT_BUG = 3


class UsageError(Exception):
    """The command line itself is wrong."""


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=PROGRAM,
        description=_(
            "Partnerships with industry and SME training for Basel Convention Regional Centres."
        ),
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument("--lang", choices=LANGUAGES, help=_("language of messages and windows"))
    verbs = parser.add_subparsers(dest="verb", metavar="COMMAND")

    def verb(
        name: str, help_text: str, handler: Callable[[argparse.Namespace], int]
    ) -> argparse.ArgumentParser:
        sub = verbs.add_parser(name, help=help_text, description=help_text)
        sub.set_defaults(handler=handler)
        return sub

    init = verb("init", _("create a database for this installation"), _cmd_init)
    init.add_argument("--db", required=True, type=_database, help=_("the new database file"))
    whose = init.add_mutually_exclusive_group(required=True)
    whose.add_argument("--centre", help=_("the centre's code (see 'centres')"))
    whose.add_argument("--secretariat", action="store_true", help=_("this is the secretariat"))
    init.add_argument(
        "--name", required=True, help=_("this installation's name, e.g. 'Dakar office'")
    )

    verb("centres", _("list the Regional Centres' codes"), _cmd_centres)

    demo = verb(
        "demo", _("fill a database with realistic demo data, or edit it at random"), _cmd_demo
    )
    demo.add_argument("--db", required=True, type=_database)
    kind = demo.add_mutually_exclusive_group(required=True)
    kind.add_argument("--size", choices=("small", "large"), help=_("how much demo data to add"))
    kind.add_argument(
        "--churn", type=_positive, metavar="N", help=_("make N random edits and deletes")
    )
    demo.add_argument("--seed", type=int, default=1, help=_("the same seed gives the same data"))

    dump = verb("dump", _("print every synced record as canonical JSON"), _cmd_dump)
    dump.add_argument("--db", required=True, type=_database)

    check = verb("check", _("check the database's integrity and schema"), _cmd_check)
    check.add_argument("--db", required=True, type=_database)

    verb(
        "self-test", _("start the program's parts without a screen and check them"), _cmd_self_test
    )

    cli_sync.add_verbs(verb, _open, _database)
    cli_reports.add_verbs(verb, _open, _database)

    gui = verb("gui", _("open the desktop program"), _cmd_gui)
    gui.add_argument("--db", type=_database, help=_("the database to open"))
    gui.add_argument(
        "--smoke", action="store_true", help=_("open the window, then close it at once")
    )
    return parser


def _open(target: Path | str, *, create: bool = False) -> Services:
    """The services over a database (the database layer is imported only when one is used)."""
    from regional_centre.services import Services

    return Services.open(target, create=create)


def _database(text: str) -> Path | str:
    """A database file path, or a SQLAlchemy URL such as ``postgresql+psycopg://host/name``."""
    return text if "://" in text else Path(text)


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            _("'{value}' is not a whole number").format(value=text)
        ) from None
    if value < 1:
        raise argparse.ArgumentTypeError(_("give a number of at least 1"))
    return value


def _cmd_init(args: argparse.Namespace) -> int:
    existed = not isinstance(args.db, Path) or args.db.exists()
    services = _open(args.db, create=True)
    try:
        node = services.installation.initialise(
            node_name=args.name, centre_code=None if args.secretariat else args.centre
        )
    except BaseException:
        services.close()
        if not existed:  # refused: leave no half-made database behind
            for leftover in (
                args.db,
                *(args.db.with_name(args.db.name + s) for s in ("-wal", "-shm")),
            ):
                leftover.unlink(missing_ok=True)
        raise
    services.close()
    where = _("the secretariat") if node.is_secretariat else node.centre_code
    print(
        _("Created {path} for {node} ({where}).").format(path=args.db, node=node.name, where=where)
    )
    return 0


def _cmd_centres(args: argparse.Namespace) -> int:
    from regional_centre.services.reference import shipped_centres

    for centre in shipped_centres():
        closed = " " + _("(closed)") if centre.retired else ""
        print(f"{centre.code}\t{centre.title}{closed}")
    return 0


def _cmd_demo(args: argparse.Namespace) -> int:
    from regional_centre.demo import churn, generate

    services = _open(args.db)
    try:
        if args.churn:
            counts = churn(services, args.churn, seed=args.seed)
        else:
            counts = generate(services, args.size, seed=args.seed)
    finally:
        services.close()
    print(", ".join(f"{name}: {count}" for name, count in counts.items()))
    return 0


def _cmd_dump(args: argparse.Namespace) -> int:
    services = _open(args.db)
    try:
        services.maintenance.dump(sys.stdout)
    finally:
        services.close()
    return 0


def _cmd_check(args: argparse.Namespace) -> int:
    services = _open(args.db)
    try:
        problems = services.maintenance.check()
    finally:
        services.close()
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        return EXIT_ERROR
    print(_("{path}: sound.").format(path=args.db))
    return 0


def _cmd_self_test(args: argparse.Namespace) -> int:
    from regional_centre.selftest import run_self_test

    for line in run_self_test():
        print(line)
    return 0


def _cmd_gui(args: argparse.Namespace) -> int:
    from regional_centre.ui.app import run_gui, stop_collecting_on_gui_thread

    database = args.db or default_database_path()
    if not isinstance(database, Path):
        raise UsageError(_("The desktop program opens database files only."))
    try:
        return run_gui(database=database, smoke=args.smoke, language=args.lang)
    finally:
        stop_collecting_on_gui_thread()


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; return the exit status."""
    log_file = setup_logging()
    words = sys.argv[1:] if argv is None else list(argv)
    # The language first, so that the help and every message are in it: --lang, else the system's.
    set_language(_language_asked(words) or system_language())
    translate_argparse()
    parser = _parser()
    args = parser.parse_args(_desktop_by_default(words))
    if not getattr(args, "handler", None):
        parser.print_help()
        return EXIT_USAGE
    try:
        return int(args.handler(args))
    except UsageError as error:
        _fail(str(error))
        return EXIT_USAGE
    except ValidationError as error:
        for problem in error.problems:
            _fail(f"{problem.field}: {problem.message}")
        return EXIT_ERROR
    except (ServiceError, DatabaseError) as error:
        _fail(str(error))
        return EXIT_ERROR
    except BrokenPipeError:  # the reader went away (``dump | head``): stop quietly
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_ERROR
    except KeyboardInterrupt:
        _fail(_("interrupted; nothing more was written."))
        return EXIT_ERROR
    except Exception as error:  # a bug: the traceback goes to the log, not the terminal
        log.exception("unexpected error in %s", args.verb)
        _fail(
            _("unexpected error ({kind}: {error}); details are in {log}.").format(
                kind=type(error).__name__, error=error, log=log_file
            )
        )
        return EXIT_BUG


def _desktop_by_default(argv: list[str]) -> list[str]:
    """``regional-centre [--lang L] [--db PATH] [--smoke]`` with no command opens the desktop."""
    verbs = _verbs()
    if not argv or any(a in verbs or a in ("-h", "--help", "--version") for a in argv):
        return argv
    front: list[str] = []
    rest: list[str] = []
    words = iter(argv)
    for word in words:
        if word == "--lang":
            front += [word, next(words, "")]
        elif word.startswith("--lang="):
            front.append(word)
        else:
            rest.append(word)
    return [*front, "gui", *rest]


def _verbs() -> set[str]:
    return {
        "init",
        "centres",
        "demo",
        "dump",
        "check",
        "self-test",
        "gui",
        *cli_sync.VERBS,
        *cli_reports.VERBS,
    }


def _language_asked(argv: list[str]) -> str | None:
    """The program's language as ``--lang`` names it in ``argv``, if the program speaks it.

    Only before the command: after it, ``--lang`` is a command's own (a report's language).
    """
    verbs = _verbs()
    for index, word in enumerate(argv):
        if word in verbs:
            return None
        value = argv[index + 1] if word == "--lang" and index + 1 < len(argv) else None
        if word.startswith("--lang="):
            value = word.partition("=")[2]
        if value in LANGUAGES:
            return value
    return None


def _fail(message: str) -> None:
    print(f"{PROGRAM}: {message}", file=sys.stderr)


def gui_main() -> int:
    """Entry point of the desktop program (``regional-centre-gui``)."""
    return main(["gui", *sys.argv[1:]])


if __name__ == "__main__":
    sys.exit(main())
