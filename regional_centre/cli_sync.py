"""The command line's exchange verbs: enrol, peers, keys, bundle, conflicts."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from regional_centre.files import write_atomically
from regional_centre.i18n import _, ngettext
from regional_centre.paths import default_database_path
from regional_centre.services.errors import ServiceError

if TYPE_CHECKING:
    from regional_centre.services import Services
    from regional_centre.services.sync import BundleInfo, ImportReport

Verb = Callable[[str, str, Callable[[argparse.Namespace], int]], argparse.ArgumentParser]
Open = Callable[[Path | str], "Services"]
Database = Callable[[str], Path | str]

_open: Open
_database: Database


def add_verbs(verb: Verb, open_services: Open, database: Database) -> None:
    """Register the exchange verbs on the main parser."""
    global _open, _database
    _open, _database = open_services, database

    enrol = verb("enrol", _("exchange enrolment files with another installation"), _cmd_help)
    steps = enrol.add_subparsers(dest="step", metavar="STEP", required=True)
    out = steps.add_parser("export", help=_("write this installation's enrolment file"))
    out.set_defaults(handler=_cmd_enrol_export)
    out.add_argument("--db", required=True, type=database)
    out.add_argument("--out", required=True, type=Path, help=_("the file to write"))
    into = steps.add_parser("import", help=_("trust another installation's keys"))
    into.set_defaults(handler=_cmd_enrol_import)
    into.add_argument("--db", required=True, type=database)
    into.add_argument("file", type=Path, help=_("the other installation's enrolment file"))
    into.add_argument(
        "--yes",
        action="store_true",
        help=_("the fingerprint was compared with the other side (over the phone)"),
    )

    peers = verb("peers", _("list the installations this one exchanges with"), _cmd_peers)
    peers.add_argument("--db", required=True, type=database)
    peers.add_argument("--revoke", metavar="PEER", help=_("refuse this peer's key from now on"))
    peers.add_argument(
        "--personal-data",
        nargs=2,
        metavar=("PEER", "MODE"),
        help=_("send PEER 'full' personal data or 'pseudonymised' participants"),
    )

    keys = verb("keys", _("show or replace this installation's keys"), _cmd_keys)
    keys.add_argument("--db", required=True, type=database)
    keys.add_argument(
        "--rotate",
        type=Path,
        metavar="FILE",
        help=_("make new keys and write the enrolment file that announces them"),
    )

    bundle = verb("bundle", _("export, inspect and import sync bundles"), _cmd_help)
    steps = bundle.add_subparsers(dest="step", metavar="STEP", required=True)
    out = steps.add_parser("export", help=_("write the changes a peer does not have"))
    out.set_defaults(handler=_cmd_bundle_export)
    out.add_argument("--db", required=True, type=database)
    out.add_argument("--to", required=True, metavar="PEER", help=_("the peer's name"))
    out.add_argument("--out", required=True, type=Path, help=_("the bundle file to write"))
    out.add_argument(
        "--plain", action="store_true", help=_("sign but do not encrypt (for inspection)")
    )
    out.add_argument(
        "--personal-data",
        choices=("full", "pseudonymised"),
        help=_("override the peer's setting for this bundle"),
    )
    look = steps.add_parser("inspect", help=_("show what a bundle holds without importing it"))
    look.set_defaults(handler=_cmd_bundle_inspect)
    look.add_argument("file", type=Path)
    look.add_argument("--db", type=database, help=_("the database whose keys open it"))
    into = steps.add_parser("import", help=_("apply a bundle from a peer"))
    into.set_defaults(handler=_cmd_bundle_import)
    into.add_argument("--db", required=True, type=database)
    into.add_argument("file", type=Path)
    into.add_argument(
        "--dry-run", action="store_true", help=_("show what would change, change nothing")
    )

    conflicts = verb("conflicts", _("review values that merges did not keep"), _cmd_conflicts)
    conflicts.add_argument("--db", required=True, type=database)
    conflicts.add_argument("--all", action="store_true", help=_("include settled conflicts"))
    settle = conflicts.add_mutually_exclusive_group()
    settle.add_argument("--restore", metavar="ID", help=_("bring the lost value back"))
    settle.add_argument("--dismiss", metavar="ID", help=_("keep the current value"))


VERBS = frozenset({"enrol", "peers", "keys", "bundle", "conflicts"})


def _cmd_help(args: argparse.Namespace) -> int:  # pragma: no cover - argparse requires a step
    return 2


def _with(args: argparse.Namespace, work: Callable[[Services], int]) -> int:
    services = _open(args.db)
    try:
        return work(services)
    finally:
        services.close()


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as error:
        raise ServiceError(
            _("Cannot read {path}: {reason}.").format(path=path, reason=error.strerror)
        ) from error


def _write(path: Path, data: bytes) -> None:
    try:
        write_atomically(path, data)
    except OSError as error:
        raise ServiceError(
            _("Cannot write {path}: {reason}.").format(path=path, reason=error.strerror)
        ) from error


def _cmd_enrol_export(args: argparse.Namespace) -> int:
    def work(services: Services) -> int:
        _write(args.out, services.sync.enrolment())
        node = services.installation.this_node()
        print(_("Wrote {path} for {name}.").format(path=args.out, name=node.name))
        print(_("Fingerprint to read out: {fingerprint}").format(fingerprint=_readable(services)))
        return 0

    return _with(args, work)


def _readable(services: Services) -> str:
    from regional_centre.sync.crypto import readable_fingerprint

    return readable_fingerprint(services.sync.fingerprint())


def _cmd_enrol_import(args: argparse.Namespace) -> int:
    from regional_centre.sync.crypto import readable_fingerprint

    def work(services: Services) -> int:
        enrolment = services.sync.read_enrolment(_read(args.file))
        where = _("the secretariat") if enrolment.secretariat else enrolment.centre
        fingerprint = readable_fingerprint(enrolment.fingerprint)
        if enrolment.replaces is None and not args.yes:
            if not sys.stdin.isatty():
                raise ServiceError(
                    _(
                        "Compare the fingerprint {fingerprint} of {name} with the other side, "
                        "then run again with --yes."
                    ).format(fingerprint=fingerprint, name=enrolment.name)
                )
            print(
                _("{name} ({where}) has the fingerprint {fingerprint}.").format(
                    name=enrolment.name, where=where, fingerprint=fingerprint
                )
            )
            answer = input(_("Does it match what the other side reads out? [y/N] "))
            if answer.strip().lower() not in (_("y"), _("yes"), "y", "yes"):
                raise ServiceError(_("Not enrolled: the fingerprint was not confirmed."))
        peer = services.sync.enrol(enrolment)
        print(
            _("Enrolled {name} ({where}), fingerprint {fingerprint}.").format(
                name=peer.name, where=where, fingerprint=fingerprint
            )
        )
        return 0

    return _with(args, work)


def _cmd_peers(args: argparse.Namespace) -> int:
    def work(services: Services) -> int:
        if args.revoke:
            peer = services.sync.revoke(args.revoke)
            print(_("Revoked the key of {name}.").format(name=peer.name))
        if args.personal_data:
            name, mode = args.personal_data
            peer = services.sync.set_personal_data(name, mode)
            told = (
                _("{name} now gets full personal data.")
                if mode == "full"
                else _("{name} now gets pseudonymised personal data.")
            )
            print(told.format(name=peer.name))
        for peer in services.sync.peers():
            where = _("secretariat") if peer.is_secretariat else peer.centre
            state = _("revoked") if peer.revoked else _("trusted")
            print(
                "\t".join(
                    [
                        peer.name,
                        str(where),
                        peer.readable_fingerprint,
                        state,
                        _("sent {sent}, received {received}, pending {pending}").format(
                            sent=peer.sent_bundles,
                            received=peer.received_bundles,
                            pending=peer.pending,
                        ),
                        peer.personal_data,
                    ]
                )
            )
        return 0

    return _with(args, work)


def _cmd_keys(args: argparse.Namespace) -> int:
    def work(services: Services) -> int:
        if args.rotate:
            _write(args.rotate, services.sync.rotate_keys())
            print(_("New keys made; send {path} to every peer.").format(path=args.rotate))
        print(_("Fingerprint: {fingerprint}").format(fingerprint=_readable(services)))
        return 0

    return _with(args, work)


def _cmd_bundle_export(args: argparse.Namespace) -> int:
    def work(services: Services) -> int:
        result = services.sync.export_bundle(
            args.to, args.out, encrypt=not args.plain, personal_data=args.personal_data
        )
        total = sum(result.counts.values())
        print(
            ngettext(
                "Wrote bundle {number} for {peer} to {path}: {count} record.",
                "Wrote bundle {number} for {peer} to {path}: {count} records.",
                total,
            ).format(
                number=result.manifest.number,
                peer=result.manifest.recipient.name,
                path=args.out,
                count=total,
            )
        )
        return 0

    return _with(args, work)


def _cmd_bundle_inspect(args: argparse.Namespace) -> int:
    database = args.db or default_database_path()
    if isinstance(database, Path) and not database.exists():
        info = _inspect_without_keys(args.file)
    else:
        services = _open(database)
        try:
            info = services.sync.inspect(args.file)
        finally:
            services.close()
    _print_info(info)
    return 0


def _inspect_without_keys(path: Path) -> BundleInfo:
    from regional_centre.services.sync import BundleInfo
    from regional_centre.sync.archive import open_bundle
    from regional_centre.sync.manifest import Manifest

    def no_keys(fingerprint: str) -> None:
        raise ServiceError(
            _("This bundle is encrypted; give --db with the recipient's database to open it.")
        )

    with open_bundle(path, no_keys) as opened:
        manifest = Manifest.parse(opened.manifest_bytes)
        return BundleInfo(manifest, None, False, _("not checked (give --db)"))


def _print_info(info: BundleInfo) -> None:
    manifest = info.manifest
    if manifest is None:
        raise ServiceError(info.problem or _("The bundle's manifest is not valid."))
    rows: list[tuple[str, Any]] = [
        (_("bundle"), manifest.bundle_id),
        (_("number"), manifest.number),
        (_("from"), _party(manifest.sender)),
        (_("to"), _party(manifest.recipient)),
        (_("made"), manifest.created_at.isoformat(sep=" ") + " UTC"),
        (_("changes"), f"{manifest.from_seq + 1}-{manifest.to_seq}"),
        (_("acknowledges"), manifest.ack_seq),
        (_("personal data"), manifest.personal_data),
        (_("encrypted"), _("yes") if info.encrypted_for else _("no")),
        (_("signature"), info.signature),
    ]
    for label, value in rows:
        print(f"{label}:\t{value}")
    for name, count in manifest.counts.items():
        if count:
            print(f"  {name}:\t{count}")


def _party(party: Any) -> str:
    where = _("secretariat") if party.secretariat else party.centre
    return f"{party.name} ({where})"


def _cmd_bundle_import(args: argparse.Namespace) -> int:
    def work(services: Services) -> int:
        report = services.sync.import_bundle(args.file, dry_run=args.dry_run)
        _print_report(report)
        return 0

    return _with(args, work)


def _print_report(report: ImportReport) -> None:
    manifest = report.manifest
    if report.already_imported:
        print(
            _("Bundle {number} from {name} was imported before; nothing changed.").format(
                number=manifest.number, name=report.sender
            )
        )
        return
    head = (
        _("Dry run of bundle {number} from {name}; nothing was changed:")
        if report.dry_run
        else _("Imported bundle {number} from {name}:")
    )
    print(head.format(number=manifest.number, name=report.sender))
    for name, counts in report.tables.items():
        print(
            "  "
            + _(
                "{table}: {added} added, {updated} updated, {deleted} deleted, {refused} refused"
            ).format(
                table=name,
                added=counts.added,
                updated=counts.updated,
                deleted=counts.deleted,
                refused=counts.refused,
            )
        )
    print(_("Conflicts logged: {count}").format(count=report.conflicts))
    for owner, count in sorted(report.refused.items()):
        message = (
            ngettext(
                "Refused {count} code list: only the secretariat updates reference data.",
                "Refused {count} code lists: only the secretariat updates reference data.",
                count,
            )
            if owner == "reference"
            else ngettext(
                "Refused {count} record of {owner}: a centre may change only its own records.",
                "Refused {count} records of {owner}: a centre may change only its own records.",
                count,
            )
        )
        print(message.format(count=count, owner=owner), file=sys.stderr)


def _cmd_conflicts(args: argparse.Namespace) -> int:
    def work(services: Services) -> int:
        if args.restore or args.dismiss:
            settled = services.sync.resolve_conflict(
                args.restore or args.dismiss, restore=bool(args.restore)
            )
            told = (
                _("Conflict {id}: the lost value was restored.")
                if settled.resolution == "restored"
                else _("Conflict {id}: dismissed; the kept value stays.")
            )
            print(told.format(id=settled.id))
            return 0
        for conflict in services.sync.conflicts(include_resolved=args.all):
            print(
                "\t".join(
                    [
                        conflict.id,
                        f"{conflict.entity}/{conflict.record_id}",
                        conflict.field,
                        _("lost {lost!r} ({when})").format(
                            lost=conflict.lost, when=conflict.lost_at.isoformat(sep=" ")
                        ),
                        _("kept {kept!r} ({when})").format(
                            kept=conflict.kept, when=conflict.kept_at.isoformat(sep=" ")
                        ),
                        conflict.resolution or _("open"),
                    ]
                )
            )
        return 0

    return _with(args, work)
