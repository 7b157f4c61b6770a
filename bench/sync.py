"""Benchmark: a full sync bundle's export and import, against raw sqlite3 + json + zipfile in the same run.

On a copy of the ``large`` demo database (a centre's installation), with a new
installation of the same centre enrolled both ways as the recipient:

- full export: ``Services.sync.export_bundle`` of everything to a peer that
  acknowledged nothing (sealed to it, as by default), against a raw baseline
  that reads the same rows with plain ``sqlite3`` (every column but ``seq`` of
  every table in ``SYNCED_MODELS``), writes each as one ``json.dumps`` line and
  streams them into a ``zipfile`` (deflate, level 6), one member per table
  (target: export within 2x the baseline);
- full import of that bundle into the empty enrolled recipient, against a raw
  baseline that parses the baseline's lines with ``json.loads`` and inserts
  them with ``sqlite3`` ``executemany`` in one transaction into a copy of the
  same empty recipient (target: within 3x);
- re-import of the same bundle file into the filled recipient, as a ratio to
  the first import (target: 0.3x at most); and, for information, the import of
  a second full bundle of the same records (a new bundle id, so every record
  is read and merged again and nothing changes);
- the peak memory (maximum resident set) of the processes that export and
  import (target: under 300 MB each).

Every measured step runs in a fresh process of this interpreter that opens its
database first and times only the step itself; the peak memory is that
process's own high-water mark (``VmHWM``), start-up and imports included.
Times of the program's phases come from wrapping a few of its functions (each
called at most once per 2000 records, so the wrappers cost nothing measurable).
``--profile`` adds an export, an import and the import of a second bundle
under cProfile (not measured) and prints where their time goes.

    .venv/bin/python bench/sync.py [--db PATH] [--repeat N] [--json FILE] [--profile]

Without ``--db`` the ``large`` demo database is built once, as
``bench/demo_build.py`` builds it, and kept in ``~/.cache/regional-centre-bench``.
The database given is never written: the runs use a copy.
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import json
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

from common import (
    Timer,
    cached_demo,
    checkpoint,
    child_results,
    child_run,
    copy_database,
    median,
    memory_mb,
    print_load,
    print_profile,
    read_through,
    worst,
    write_json,
)

EXPORT_TARGET = 2.0  # export / raw baseline
IMPORT_TARGET = 3.0  # import / raw baseline
REIMPORT_TARGET = 0.3  # re-import / first import
MEMORY_TARGET_MB = 300.0
BATCH = 2000  # rows per executemany in the raw import (the program's batch too)
RECIPIENT_NAME = "Bench recipient"


# The measured steps, each in its own process.


def watch_export(phases: Timer) -> None:
    """Time the phases of ``SyncService.export_bundle``."""
    from regional_centre.services import sync
    from regional_centre.sync import archive

    phases.wrap(sync.SyncService, "peer", "peer lookup (counts what is pending)")
    phases.wrap(sync, "write_changes", "records: query, encode, JSON, deflate, SHA-256")
    phases.wrap(archive.BundleWriter, "finish", "seal: manifest, signature, encrypt, fsync")


def watch_import(phases: Timer) -> None:
    """Time the phases of ``SyncService.import_bundle``."""
    from regional_centre.db import database
    from regional_centre.services import bundles, sync
    from regional_centre.sync import archive

    phases.wrap_context(sync, "open_bundle", "open: decrypt to a file, archive checks")
    phases.wrap(archive.Opened, "check_members", "check: members' sizes and SHA-256 (inflate)")
    phases.wrap(sync.SyncService, "_apply", "apply: one transaction, commit, checkpoint")
    phases.wrap(bundles.Importer, "apply", "records: inflate, parse, check, merge, write")
    phases.wrap(bundles.Importer, "_local_rows", "look up local rows by id")
    phases.wrap(bundles, "existing_ids", "look up referenced ids")
    phases.wrap(bundles, "insert_rows", "insert_rows: bind values, executemany")
    phases.wrap(sync, "repair", "repair (orphans, used deleted records)")
    phases.wrap(sync, "record_conflicts", "conflict log")
    phases.wrap(database.Database, "make_durable", "checkpoint (make durable)")


# (label, parent label or None); "other" rows are what the parent spent outside its children.
EXPORT_TREE: list[tuple[str, str | None]] = [
    ("peer lookup (counts what is pending)", None),
    ("records: query, encode, JSON, deflate, SHA-256", None),
    ("seal: manifest, signature, encrypt, fsync", None),
]
IMPORT_TREE: list[tuple[str, str | None]] = [
    ("open: decrypt to a file, archive checks", None),
    ("check: members' sizes and SHA-256 (inflate)", None),
    ("apply: one transaction, commit, checkpoint", None),
    ("records: inflate, parse, check, merge, write", "apply: one transaction, commit, checkpoint"),
    ("look up local rows by id", "records: inflate, parse, check, merge, write"),
    ("look up referenced ids", "records: inflate, parse, check, merge, write"),
    ("insert_rows: bind values, executemany", "records: inflate, parse, check, merge, write"),
    ("repair (orphans, used deleted records)", "apply: one transaction, commit, checkpoint"),
    ("conflict log", "apply: one transaction, commit, checkpoint"),
    ("checkpoint (make durable)", "apply: one transaction, commit, checkpoint"),
]


def run_export(args: argparse.Namespace, profile: cProfile.Profile | None) -> dict[str, Any]:
    """The program's full export to the recipient."""
    from regional_centre.services import Services

    services = Services.open(args.db, actor="Bench")
    phases = Timer()
    if profile is None:
        watch_export(phases)
    services.sync.peer(args.peer)  # warm the session and the mappers outside the measure
    phases.seconds.clear()
    before = memory_mb("VmHWM")
    start = time.perf_counter()
    if profile is not None:
        profile.enable()
    result = services.sync.export_bundle(args.peer, args.bundle)
    if profile is not None:
        profile.disable()
    seconds = time.perf_counter() - start
    peak = memory_mb("VmHWM")
    services.close()
    return {
        "seconds": seconds,
        "rss_before_mb": before,
        "peak_mb": peak,
        "phases": dict(phases.seconds),
        "records": sum(result.counts.values()),
        "counts": result.counts,
        "bytes": args.bundle.stat().st_size,
        "encrypted": result.encrypted,
    }


def run_import(args: argparse.Namespace, profile: cProfile.Profile | None) -> dict[str, Any]:
    """The program's import of a bundle."""
    from regional_centre.services import Services

    services = Services.open(args.db, actor="Bench")
    phases = Timer()
    if profile is None:
        watch_import(phases)
    services.sync.peers()  # warm the session and the mappers outside the measure
    phases.seconds.clear()
    before = memory_mb("VmHWM")
    start = time.perf_counter()
    if profile is not None:
        profile.enable()
    report = services.sync.import_bundle(args.bundle)
    if profile is not None:
        profile.disable()
    seconds = time.perf_counter() - start
    peak = memory_mb("VmHWM")
    services.close()
    tables = {name: vars(counts) for name, counts in report.tables.items()}
    return {
        "seconds": seconds,
        "rss_before_mb": before,
        "peak_mb": peak,
        "phases": dict(phases.seconds),
        "already_imported": report.already_imported,
        "added": sum(t["added"] for t in tables.values()),
        "updated": sum(t["updated"] + t["deleted"] for t in tables.values()),
        "unchanged": sum(t["unchanged"] for t in tables.values()),
        "refused": sum(report.refused.values()),
        "conflicts": report.conflicts,
    }


def synced_columns() -> list[tuple[str, list[str]]]:
    """(table, columns but ``seq``) of every synced table, in the program's order."""
    from regional_centre.db.models import SYNCED_MODELS

    return [
        (model.__tablename__, [c.name for c in model.__table__.columns if c.name != "seq"])
        for model in SYNCED_MODELS
    ]


def quoted(names: list[str]) -> str:
    return ", ".join(f'"{name}"' for name in names)


def run_raw_export(args: argparse.Namespace) -> dict[str, Any]:
    """The baseline: sqlite3 reads the rows, json.dumps writes a line each, zipfile deflates them."""
    tables = synced_columns()
    before = memory_mb("VmHWM")
    start = time.perf_counter()
    records = 0
    with (
        contextlib.closing(sqlite3.connect(args.db)) as source,
        zipfile.ZipFile(args.bundle, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as archive,
    ):
        for position, (table, names) in enumerate(tables, start=1):
            rows = source.execute(f"SELECT {quoted(names)} FROM {table}")
            name = f"changes/{position:02d}-{table}.jsonl"
            with archive.open(name, "w", force_zip64=True) as member:
                for row in rows:
                    line = json.dumps(
                        dict(zip(names, row, strict=True)),
                        sort_keys=True,
                        separators=(",", ":"),
                        ensure_ascii=False,
                    )
                    member.write(line.encode() + b"\n")
                    records += 1
    with args.bundle.open("rb") as written:
        os.fsync(written.fileno())
    seconds = time.perf_counter() - start
    return {
        "seconds": seconds,
        "rss_before_mb": before,
        "peak_mb": memory_mb("VmHWM"),
        "records": records,
        "bytes": args.bundle.stat().st_size,
    }


def run_raw_import(args: argparse.Namespace) -> dict[str, Any]:
    """The baseline: json.loads each line of the baseline's archive, executemany in one transaction."""
    tables = dict(synced_columns())
    before = memory_mb("VmHWM")
    start = time.perf_counter()
    records = 0
    with (
        contextlib.closing(sqlite3.connect(args.db, isolation_level=None)) as target,
        zipfile.ZipFile(args.bundle) as archive,
    ):
        # The program's own connection settings (regional_centre/db/engine.py).
        target.execute("PRAGMA foreign_keys = ON")
        target.execute("PRAGMA cache_size = -65536")
        target.execute("PRAGMA synchronous = NORMAL")
        target.execute("BEGIN IMMEDIATE")
        for info in archive.infolist():
            table = info.filename.removesuffix(".jsonl").split("-", 1)[1]
            names = tables[table]
            # Every record gets one local change number, as the program's import gives them.
            marks = ", ".join("?" * (len(names) + 1))
            sql = f'INSERT INTO {table} ({quoted(names)}, "seq") VALUES ({marks})'
            batch: list[tuple[Any, ...]] = []
            with archive.open(info) as member:
                for line in member:
                    record = json.loads(line)
                    batch.append((*(record[name] for name in names), 1))
                    if len(batch) == BATCH:
                        target.executemany(sql, batch)
                        records += len(batch)
                        batch.clear()
            target.executemany(sql, batch)
            records += len(batch)
        target.execute("COMMIT")
        target.execute("PRAGMA wal_checkpoint(FULL)")  # as the program's make_durable does
    seconds = time.perf_counter() - start
    return {
        "seconds": seconds,
        "rss_before_mb": before,
        "peak_mb": memory_mb("VmHWM"),
        "records": records,
    }


def child(args: argparse.Namespace) -> int:
    """One measured step in this fresh process; its results go to ``args.result`` as JSON."""
    profile = cProfile.Profile() if args.profile_to else None
    if args.child == "raw-export":
        results = run_raw_export(args)
    elif args.child == "raw-import":
        results = run_raw_import(args)
    elif args.child == "export":
        results = run_export(args, profile)
    else:
        results = run_import(args, profile)
    if profile is not None:
        profile.dump_stats(args.profile_to)
    args.result.write_text(json.dumps(results))
    return 0


# The parent: preparing the installations, launching the steps, reporting.


def remove_database(path: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def prepare(database: Path, folder: Path) -> tuple[Path, Path, str]:
    """The source (a copy of ``database``) and an empty recipient, enrolled with each other.

    Return (source, recipient, the recipient's node id).
    """
    from regional_centre.services import Services

    source_path = copy_database(database, folder / "source.sqlite")
    recipient_path = folder / "recipient-empty.sqlite"
    # Opening upgrades the copy to this program's schema once, outside every measure.
    source = Services.open(source_path, actor="Bench")
    if source.database.backup is not None:
        print(
            f"note: the copy was upgraded to this program's schema (backup {source.database.backup})"
        )
    node = source.installation.this_node()
    recipient = Services.open(recipient_path, create=True, actor="Bench")
    recipient.installation.initialise(node_name=RECIPIENT_NAME, centre_code=node.centre_code)
    source.sync.enrol(source.sync.read_enrolment(recipient.sync.enrolment()))
    recipient.sync.enrol(recipient.sync.read_enrolment(source.sync.enrolment()))
    recipient_id = recipient.installation.this_node().id
    pending = source.sync.peer(recipient_id).pending
    print(f"source: {node.name} ({node.centre_code or 'secretariat'}), {pending} records pending")
    source.close()
    recipient.close()
    for path in (source_path, recipient_path):
        checkpoint(path)
    return source_path, recipient_path, recipient_id


def launch(
    kind: str,
    database: Path,
    bundle: Path,
    folder: Path,
    peer: str = "",
    profile_to: Path | None = None,
) -> dict[str, Any]:
    """Run one step in a fresh process; its results."""
    run_folder, environment = child_run(kind, folder)
    result = run_folder / "result.json"
    child_kind = {"reimport": "import", "resend": "import"}.get(kind, kind)
    command = [sys.executable, str(Path(__file__).resolve()), "--child", child_kind]
    command += ["--db", str(database), "--bundle", str(bundle), "--result", str(result)]
    command += ["--peer", peer]
    if profile_to is not None:
        command += ["--profile-to", str(profile_to)]
    finished = subprocess.run(command, env=environment, capture_output=True, text=True)
    results = child_results(kind, finished, result)
    shutil.rmtree(run_folder)
    return results


def one_round(
    number: int, source: Path, empty: Path, peer: str, folder: Path
) -> dict[str, dict[str, Any]]:
    """Every step once; the baselines and the program alternate."""
    runs: dict[str, dict[str, Any]] = {}
    raw_zip = folder / f"raw-{number}.zip"
    bundle = folder / f"full-{number}.rcbundle"
    second = folder / f"second-{number}.rcbundle"
    runs["raw-export"] = launch("raw-export", source, raw_zip, folder)
    runs["export"] = launch("export", source, bundle, folder, peer)
    raw_target = copy_database(empty, folder / f"raw-target-{number}.sqlite")
    runs["raw-import"] = launch("raw-import", raw_target, raw_zip, folder)
    remove_database(raw_target)
    target = copy_database(empty, folder / f"target-{number}.sqlite")
    runs["import"] = launch("import", target, bundle, folder)
    runs["reimport"] = launch("reimport", target, bundle, folder)
    # A second full bundle of the same records (the sender has no acknowledgement yet).
    runs["second-export"] = launch("export", source, second, folder, peer)
    runs["resend"] = launch("resend", target, second, folder)
    remove_database(target)
    for path in (raw_zip, bundle, second):
        path.unlink()
    return runs


def step(kind: str, key: str = "seconds") -> Callable[[dict[str, dict[str, Any]]], float]:
    """A round's figure ``key`` of the step ``kind``, for ``median`` and ``worst``."""
    return lambda r: r[kind][key]


def verdict(passed: bool) -> str:
    return "pass" if passed else "FAIL"


def report(rounds: list[dict[str, dict[str, Any]]]) -> dict[str, Any]:
    """Print the table of figures; return them for the JSON file."""
    figures: dict[str, Any] = {}
    print(f"\n{'figure':56} {'median':>9} {'max':>9}  {'target':>8}  result")

    def line(label: str, value: float, highest: float | None, unit: str, target: str = "") -> None:
        top = f"{highest:9.2f}" if highest is not None else " " * 9
        print(f"{label:56} {value:9.2f} {top}  {target:>8}  {unit}")

    def seconds(kind: str, label: str) -> None:
        value, highest = median(rounds, step(kind)), worst(rounds, step(kind))
        figures[f"{kind}.seconds"] = {"median": value, "max": highest}
        line(label + " (s)", value, highest, "")

    def ratio(name: str, top: str, bottom: str, label: str, target: float | None) -> None:
        pairs = [r[top]["seconds"] / r[bottom]["seconds"] for r in rounds]
        value = median(rounds, step(top)) / median(rounds, step(bottom))
        figures[f"ratio.{name}"] = {
            "of_medians": value,
            "max_of_pairs": max(pairs),
            "target": target,
        }
        if target is None:
            line(label + " (x)", value, max(pairs), "(for information)", "")
        else:
            line(label + " (x)", value, max(pairs), verdict(value <= target), f"<= {target:g}x")

    def memory(kind: str, label: str, target: float | None) -> None:
        value, highest = median(rounds, step(kind, "peak_mb")), worst(rounds, step(kind, "peak_mb"))
        before = median(rounds, step(kind, "rss_before_mb"))
        figures[f"{kind}.peak_mb"] = {"median": value, "max": highest, "before_step": before}
        result = verdict(highest < target) if target is not None else ""
        print(
            f"{label + ' (MB)':56} {value:9.1f} {highest:9.1f}  "
            f"{'< ' + format(target, 'g') if target else '':>8}  {result}"
            f"  (after start-up: {before:.1f})"
        )

    seconds("export", "full export: export_bundle, sealed")
    seconds("raw-export", "  baseline: sqlite3 + json.dumps + zipfile")
    ratio("export", "export", "raw-export", "  ratio export / baseline", EXPORT_TARGET)
    seconds("import", "full import into the empty recipient")
    seconds("raw-import", "  baseline: json.loads + sqlite3 executemany")
    ratio("import", "import", "raw-import", "  ratio import / baseline", IMPORT_TARGET)
    seconds("reimport", "re-import of the same bundle file")
    ratio("reimport", "reimport", "import", "  ratio re-import / first import", REIMPORT_TARGET)
    seconds("resend", "import of a second full bundle, same records")
    ratio("resend", "resend", "import", "  ratio second bundle / first import", None)
    seconds("second-export", "export of that second full bundle")
    memory("export", "peak memory of the export process", MEMORY_TARGET_MB)
    memory("import", "peak memory of the import process", MEMORY_TARGET_MB)
    memory("resend", "peak memory, import of the second bundle", None)
    memory("raw-export", "peak memory, baseline export", None)
    memory("raw-import", "peak memory, baseline import", None)

    first = rounds[0]
    export, raw = first["export"], first["raw-export"]
    imported = first["import"]
    print(
        f"\nrecords: {export['records']} exported ({len(export['counts'])} tables), "
        f"{raw['records']} read by the baseline, {imported['added']} added by the import"
    )
    if export["records"] != raw["records"] or imported["added"] != export["records"]:
        print("warning: the program and the baseline did not handle the same number of records")
    print(
        f"bundle: {export['bytes'] / 1e6:.1f} MB (sealed: {export['encrypted']}); "
        f"baseline archive: {raw['bytes'] / 1e6:.1f} MB; "
        f"export {export['records'] / median(rounds, step('export')):,.0f} records/s, "
        f"import {export['records'] / median(rounds, step('import')):,.0f} records/s"
    )
    print(f"re-import of the same file: already imported = {first['reimport']['already_imported']}")
    resend = first["resend"]
    print(
        f"second bundle: {resend['added']} added, {resend['updated']} updated, "
        f"{resend['unchanged']} unchanged, {resend['conflicts']} conflicts"
    )
    figures["records"] = export["records"]
    figures["bundle_bytes"] = export["bytes"]
    figures["baseline_bytes"] = raw["bytes"]
    print_phases(rounds, "export", EXPORT_TREE, "export")
    print_phases(rounds, "import", IMPORT_TREE, "first import")
    print_phases(rounds, "reimport", IMPORT_TREE, "re-import of the same file")
    print_phases(rounds, "resend", IMPORT_TREE, "import of the second bundle")
    return figures


def print_phases(
    rounds: list[dict[str, dict[str, Any]]],
    kind: str,
    tree: list[tuple[str, str | None]],
    title: str,
) -> None:
    """The median time of each phase of a step, indented under the phase that contains it."""
    total = median(rounds, step(kind))
    phases = {
        label: statistics.median(r[kind]["phases"].get(label, 0.0) for r in rounds)
        for label, _parent in tree
    }
    print(f"\nphases of the {title} (s, median; {total:.2f} s in all):")
    depth: dict[str | None, int] = {None: 0}
    children: dict[str | None, float] = defaultdict(float)
    for label, parent in tree:
        depth[label] = depth[parent] + 1
        children[parent] += phases[label]

    def show(parent: str | None, spent: float) -> None:
        for label, above in tree:
            if above == parent and phases[label]:
                indent = "  " * depth[label]
                print(f"  {indent}{label:{58 - len(indent)}} {phases[label]:8.2f}")
                show(label, phases[label])
        if children[parent]:
            indent = "  " * (depth[parent] + 1)
            rest = spent - children[parent]
            print(f"  {indent}{'(the rest)':{58 - len(indent)}} {rest:8.2f}")

    show(None, total)


# Profiles.


def profile_steps(source: Path, empty: Path, peer: str, folder: Path) -> None:
    """One more export, import and import of a second bundle under cProfile (not measured)."""
    first, second = folder / "profiled-1.rcbundle", folder / "profiled-2.rcbundle"
    target = copy_database(empty, folder / "profiled.sqlite")
    steps = [
        ("export", "the export", source, first, peer),
        ("import", "the first import", target, first, ""),
        ("export", "", source, second, peer),  # not profiled: the second bundle to import
        ("resend", "the import of a second full bundle, same records", target, second, ""),
    ]
    for kind, title, database, bundle, to in steps:
        stats = folder / f"{kind}.pstats" if title else None
        run = launch(kind, database, bundle, folder, to, profile_to=stats)
        if stats is not None:
            print_profile(title, stats, run["seconds"])
    remove_database(target)
    first.unlink()
    second.unlink()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, help="the database to copy (default: the large demo)")
    parser.add_argument("--size", default="large", choices=("small", "large"), help="demo size")
    parser.add_argument("--repeat", type=int, default=1, help="rounds of every step")
    parser.add_argument("--json", type=Path, help="also write the results to this file")
    parser.add_argument("--profile", action="store_true", help="profile one export and two imports")
    parser.add_argument("--child", choices=("raw-export", "export", "raw-import", "import"))
    parser.add_argument("--bundle", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--peer", default="", help=argparse.SUPPRESS)
    parser.add_argument("--result", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--profile-to", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        return child(args)
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")
    database = args.db or cached_demo(args.size)
    if not database.exists():
        parser.error(f"there is no database at {database}")
    rounds: list[dict[str, dict[str, Any]]] = []
    with tempfile.TemporaryDirectory(prefix="bench-sync-") as scratch:
        folder = Path(scratch)
        print(f"database: copy of {database} ({database.stat().st_size / 1e6:.0f} MB)")
        source, empty, peer = prepare(database, folder)
        read_through(source)
        load_before = os.getloadavg()[0]
        for number in range(args.repeat):
            started = time.perf_counter()
            rounds.append(one_round(number, source, empty, peer, folder))
            print(f"round {number + 1} done in {time.perf_counter() - started:.0f} s", flush=True)
        load_after = os.getloadavg()[0]
        figures = report(rounds)
        print()
        print_load(load_before, load_after)
        if args.profile:
            profile_steps(source, empty, peer, folder)
    if args.json:
        document = {
            "database": str(database),
            "repeat": args.repeat,
            "load_average": [load_before, load_after],
            "cpus": os.cpu_count(),
            "figures": figures,
            "rounds": rounds,
        }
        write_json(args.json, document)
    return 0


if __name__ == "__main__":
    sys.exit(main())
