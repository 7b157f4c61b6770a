"""Benchmark: the progress report for a full year, against ReportLab alone laying out the same document.

On a copy of the ``large`` demo database, for one calendar year (by default the
year with the most training sessions) and one language:

- report: in a fresh process, ``progress.prepare`` (the figures' queries, then
  their labels) and ``progress.write`` into memory (the layout). The queries are
  the calls of ``ProgressService.figures``, timed by wrapping it; their share of
  the report's total (prepare + write) has a target of under 25%;
- baseline: in another fresh process, the same final document laid out by plain
  ReportLab, written the textbook way with no code of the program
  (``bench/progress_baseline.py`` says how): ``prepare`` runs first (not
  measured) and gives the text; the layout is measured. Target: the report's
  total under 2x the baseline. Its page count is checked against the
  program's (within one page), or it is not the same document.

Each process reports its peak memory (Linux ``VmHWM``, start-up included) and
the peak during the layout alone (the high-water mark is reset just before it).
``--profile`` adds one more report process (not counted) with ``prepare`` and
``write`` under cProfile, and prints where their time goes.

    .venv/bin/python bench/progress_report.py [--db PATH] [--year YYYY] [--lang en] [--repeat 3]
        [--json FILE] [--profile]

Without ``--db`` the ``large`` demo database is built once, as
``bench/demo_build.py`` builds it, and kept in ``~/.cache/regional-centre-bench``.
The database given is never opened itself: the runs use a copy.
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import gc
import importlib
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from io import BytesIO
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
    reset_peak,
    worst,
    write_json,
)
from progress_baseline import extract, lay_out
from reportlab.platypus import BaseDocTemplate

SHARE_TARGET = 0.25  # queries / (prepare + write)
RATIO_TARGET = 2.0  # (prepare + write) / baseline
EXIT_ERROR, EXIT_USAGE = 1, 2

# The parts of ProgressService.figures: functions of regional_centre.services.progress
# and of regional_centre.services.progress_training. They run on two connections at once
# (services/snapshot.py), so their times add up to more than the queries' wall time.
QUERY_PARTS = (
    "progress.read_key_counts",
    "progress._stakeholders",
    "progress._dialogues",
    "progress._partnerships",
    "progress._activities",
    "progress._reviews",
    "progress_training._smes",
    "progress_training._new_smes",
    "progress_training._firms",
    "progress_training._people",
    "progress_training._scores",
    "progress_training._sessions",
)


# The measured steps, each in its own process.


def open_services(args: argparse.Namespace) -> tuple[Any, Any]:
    """The program's services over ``args.db`` and the year's period, the session warmed."""
    import datetime as dt

    from regional_centre.services import Services
    from regional_centre.services.periods import Period

    services = Services.open(args.db, actor="Bench")
    _node = services.context.node  # warm the session and the mappers outside the measure
    return services, Period(dt.date(args.year, 1, 1), dt.date(args.year, 12, 31))


def run_report(args: argparse.Namespace) -> dict[str, Any]:
    """The program: ``prepare`` (queries, then labels) and ``write`` (layout) into memory."""
    from regional_centre.reports import progress
    from regional_centre.services import progress as progress_service

    services, period = open_services(args)
    profiling = args.profile_to is not None
    timer = Timer(keep=True)
    if not profiling:  # the profile shows it all, without the wrappers
        timer.wrap(progress_service.ProgressService, "figures", "queries")
        timer.wrap(BaseDocTemplate, "multiBuild", "passes")
        for part in QUERY_PARTS:
            module_name, function = part.split(".")
            module = importlib.import_module(f"regional_centre.services.{module_name}")
            if hasattr(module, function):  # the module may change under the benchmark
                timer.wrap(module, function, part)
    statements: list[tuple[float, str, str]] = []
    if profiling:
        time_statements(services.database.engine, statements)
    profile = cProfile.Profile()
    start = time.perf_counter()
    with profile if profiling else contextlib.nullcontext():
        document = progress.prepare(services, period, args.lang)
    prepared = time.perf_counter()
    if profiling:
        profile.dump_stats(args.profile_to / "prepare.pstats")
    peak_before_layout = memory_mb("VmHWM")
    before_layout = memory_mb("VmRSS")
    reset_peak()
    target = BytesIO()
    profile = cProfile.Profile()
    layout_start = time.perf_counter()
    with profile if profiling else contextlib.nullcontext():
        pages = progress.write(document, target, services)
    finished = time.perf_counter()
    if profiling:
        profile.dump_stats(args.profile_to / "write.pstats")
    layout_peak = memory_mb("VmHWM")
    services.close()
    return {
        "prepare": prepared - start,
        "queries": timer.seconds["queries"],
        "figures_calls": len(timer.results["queries"]),
        "parts": {part: timer.seconds[part] for part in QUERY_PARTS if part in timer.seconds},
        "layout": finished - layout_start,
        "passes": timer.results["passes"],
        "pages": pages,
        "bytes": len(target.getvalue()),
        "tables": len(document.tables),
        "peak_mb": max(peak_before_layout, layout_peak),
        "rss_before_layout_mb": before_layout,
        "layout_peak_mb": layout_peak,
        "statements": sorted(statements, reverse=True),
    }


def time_statements(engine: Any, statements: list[tuple[float, str, str]]) -> None:
    """Add (seconds in execute, the service function that ran it, SQL) of every statement."""
    from sqlalchemy import event

    def before(connection: Any, *_args: Any) -> None:
        connection.info["bench_started"] = time.perf_counter()

    def after(connection: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        seconds = time.perf_counter() - connection.info.pop("bench_started")
        frame = sys._getframe(1)
        while frame.f_back is not None and f"{os.sep}services{os.sep}" not in frame.f_code.co_filename:  # fmt: skip
            frame = frame.f_back
        caller = f"{Path(frame.f_code.co_filename).name}:{frame.f_lineno}({frame.f_code.co_name})"
        statements.append((seconds, caller, " ".join(statement.split())))

    event.listen(engine, "before_cursor_execute", before)
    event.listen(engine, "after_cursor_execute", after)


def run_baseline(args: argparse.Namespace) -> dict[str, Any]:
    """ReportLab alone: the program's final text, laid out the textbook way."""
    from regional_centre.reports import progress

    services, period = open_services(args)
    document = progress.prepare(services, period, args.lang)  # not measured
    content = extract(document, services)
    services.close()
    del document, services
    gc.collect()
    timer = Timer(keep=True)
    timer.wrap(BaseDocTemplate, "multiBuild", "passes")
    peak_before_layout = memory_mb("VmHWM")
    before_layout = memory_mb("VmRSS")
    reset_peak()
    target = BytesIO()
    start = time.perf_counter()
    pages = lay_out(content, target)
    seconds = time.perf_counter() - start
    layout_peak = memory_mb("VmHWM")
    return {
        "seconds": seconds,
        "passes": timer.results["passes"],
        "pages": pages,
        "bytes": len(target.getvalue()),
        "charts": sum(1 for s in content["sections"] for t in s["tables"] if t["chart"]),
        "peak_mb": max(peak_before_layout, layout_peak),
        "rss_before_layout_mb": before_layout,
        "layout_peak_mb": layout_peak,
    }


def child(args: argparse.Namespace) -> int:
    """One measured step in this fresh process; its results go to ``args.result`` as JSON."""
    from regional_centre.services.errors import DatabaseError, ServiceError

    try:
        results = run_report(args) if args.child == "report" else run_baseline(args)
    except (ServiceError, DatabaseError) as error:
        print(f"the {args.child} step: {error}", file=sys.stderr)
        return EXIT_ERROR
    args.result.write_text(json.dumps(results))
    return 0


# The parent: the copy of the database, the rounds, the table.


def prepare_copy(database: Path, folder: Path) -> Path:
    """A copy of ``database`` (and its WAL), upgraded to this program's schema, checkpointed."""
    from regional_centre.services import Services

    copy = copy_database(database, folder / "report.sqlite")
    services = Services.open(copy, actor="Bench")
    if services.database.backup is not None:
        print(f"note: the copy was upgraded to this program's schema ({services.database.backup})")
    services.close()
    checkpoint(copy)
    read_through(copy)  # into the page cache, for every step alike
    return copy


def busiest_year(database: Path) -> int | None:
    """The year in which the most live training sessions began (the latest, on a tie)."""
    with contextlib.closing(sqlite3.connect(database)) as connection:
        row = connection.execute(
            "SELECT substr(first_day, 1, 4), count(*) FROM training_session WHERE NOT deleted "
            "GROUP BY 1 ORDER BY 2 DESC, 1 DESC LIMIT 1"
        ).fetchone()
    return int(row[0]) if row else None


def launch(
    kind: str, args: argparse.Namespace, folder: Path, profile_to: Path | None = None
) -> dict[str, Any]:
    """Run one step in a fresh process; its results."""
    run_folder, environment = child_run(kind, folder)
    result = run_folder / "result.json"
    command = [
        sys.executable,
        str(Path(__file__).resolve()),
        "--child",
        kind,
        "--db",
        str(args.copy),
    ]
    command += ["--year", str(args.year), "--lang", args.lang, "--result", str(result)]
    if profile_to is not None:
        command += ["--profile-to", str(profile_to)]
    finished = subprocess.run(command, env=environment, capture_output=True, text=True)
    message = finished.stderr.strip()
    if finished.returncode == EXIT_ERROR and message.count("\n") == 0:
        raise Failure(message)  # a fault of the database, said in one line
    results = child_results(kind, finished, result)
    shutil.rmtree(run_folder)
    return results


class Failure(Exception):
    """A fault the user can act on, said in one line."""


def report(rounds: list[dict[str, Any]]) -> dict[str, Any]:
    """Print the table of figures; return them for the JSON file."""
    figures: dict[str, Any] = {}
    print(f"\n{'figure':54} {'median':>9} {'worst':>9}  {'target':>8}  result")

    def line(key: str, label: str, value: Any, target: float | None = None, unit: str = "") -> None:
        middle, highest = median(rounds, value), worst(rounds, value)
        scale = 100.0 if unit == "%" else 1.0
        verdict, shown_target = "", ""
        if target is not None:
            verdict = "pass" if middle < target else "FAIL"
            shown_target = f"< {target * scale:g}{unit or 'x'}"
        figures[key] = {"median": middle, "worst": highest, "target": target}
        print(
            f"{label:54} {middle * scale:9.2f} {highest * scale:9.2f}  {shown_target:>8}  {verdict}"
        )

    def total(r: dict[str, Any]) -> float:
        return float(r["report"]["prepare"] + r["report"]["layout"])

    rows: list[tuple[str, str, Any, float | None, str]] = [
        ("queries_s", "queries: the ProgressService.figures() calls (s)", lambda r: r["report"]["queries"], None, ""),
        ("queries_share", "  share of the report's total (%)", lambda r: r["report"]["queries"] / total(r), SHARE_TARGET, "%"),
        ("labelling_s", "labelling: the rest of prepare() (s)", lambda r: r["report"]["prepare"] - r["report"]["queries"], None, ""),
        ("layout_s", "layout: write() into memory (s)", lambda r: r["report"]["layout"], None, ""),
        ("total_s", "total: prepare() + write() (s)", total, None, ""),
        ("baseline_s", "baseline: ReportLab alone, the same document (s)", lambda r: r["baseline"]["seconds"], None, ""),
        ("total_over_baseline", "  total / baseline (x)", lambda r: total(r) / r["baseline"]["seconds"], RATIO_TARGET, ""),
        ("layout_over_baseline", "  layout / baseline (x, for information)", lambda r: r["report"]["layout"] / r["baseline"]["seconds"], None, ""),
        ("report_peak_mb", "peak memory of the report process (MB)", lambda r: r["report"]["peak_mb"], None, ""),
        ("report_layout_peak_mb", "  peak during write() (MB)", lambda r: r["report"]["layout_peak_mb"], None, ""),
        ("baseline_peak_mb", "peak memory of the baseline process (MB)", lambda r: r["baseline"]["peak_mb"], None, ""),
        ("baseline_layout_peak_mb", "  peak during its layout (MB)", lambda r: r["baseline"]["layout_peak_mb"], None, ""),
    ]  # fmt: skip
    for key, label, value, target, unit in rows:
        line(key, label, value, target, unit)

    first = rounds[0]
    program, baseline = first["report"], first["baseline"]
    same = abs(program["pages"] - baseline["pages"]) <= 1
    figures["pages"] = {
        "report": program["pages"],
        "baseline": baseline["pages"],
        "same_document": same,
    }
    print(
        f"\npages: report {program['pages']}, baseline {baseline['pages']} "
        f"({'the same document, within one page' if same else 'NOT the same document: check the baseline'})"
    )
    print(
        f"PDF: report {program['bytes'] / 1e3:.0f} kB, baseline {baseline['bytes'] / 1e3:.0f} kB; "
        f"{program['tables']} tables, {baseline['charts']} charts; layout passes (multiBuild): "
        f"report {program['passes']}, baseline {baseline['passes']}; "
        f"{program['figures_calls']} figures() call(s)"
    )
    print(
        f"resident before the layout (MB, first round): report {program['rss_before_layout_mb']:.1f}, "
        f"baseline {baseline['rss_before_layout_mb']:.1f} (its prepare() included, then freed)"
    )
    print(
        "\nqueries by part (s, median, on either connection), functions of regional_centre/services/:"
    )
    parts = {
        part: median(rounds, lambda r, p=part: r["report"]["parts"][p])
        for part in QUERY_PARTS
        if all(part in r["report"]["parts"] for r in rounds)
    }
    for part, seconds in parts.items():
        print(f"  {part:52} {seconds:8.3f}")
    print(f"  {'(their sum)':52} {sum(parts.values()):8.3f}")
    wall = median(rounds, lambda r: r["report"]["queries"])
    print(f"  {'(figures(), wall time)':52} {wall:8.3f}")
    figures["query_parts_s"] = parts
    return figures


def print_statements(statements: list[list[Any]]) -> None:
    """The slowest SQL statements of prepare(), with the function that ran each."""
    spent = sum(seconds for seconds, _caller, _sql in statements)
    print(f"slowest of its {len(statements)} SQL statements ({spent:.2f} s in execute in all):")
    print(f"{'s':>8}  service function: statement")
    for seconds, caller, sql in statements[:8]:
        print(f"{seconds:8.3f}  {caller}: {sql[:110]}{'…' if len(sql) > 110 else ''}")


def fail(message: str, status: int = EXIT_USAGE) -> int:
    print(f"{Path(__file__).name}: {message}", file=sys.stderr)
    return status


def main() -> int:
    from regional_centre.i18n import LANGUAGES
    from regional_centre.services.errors import DatabaseError, ServiceError

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, help="the database to copy (default: the large demo)")
    parser.add_argument("--size", default="large", choices=("small", "large"), help="demo size")
    parser.add_argument(
        "--year", type=int, help="the calendar year (default: most training sessions)"
    )
    parser.add_argument("--lang", default="en", choices=LANGUAGES, help="the report's language")
    parser.add_argument("--repeat", type=int, default=3, help="rounds of both steps")
    parser.add_argument("--json", type=Path, help="also write the results to this file")
    parser.add_argument("--profile", action="store_true", help="profile prepare() and write() once")
    parser.add_argument("--child", choices=("report", "baseline"), help=argparse.SUPPRESS)
    parser.add_argument("--result", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--profile-to", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        return child(args)
    if args.repeat < 1:
        return fail("--repeat must be at least 1")
    if args.year is not None and not 1 <= args.year <= 9999:
        return fail(f"--year {args.year} is not a year from 1 to 9999")
    database = args.db or cached_demo(args.size)
    if not database.is_file():
        return fail(f"there is no database at {database}")
    rounds: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="bench-progress-") as scratch:
        folder = Path(scratch)
        print(f"database: copy of {database} ({database.stat().st_size / 1e6:.0f} MB)")
        try:
            args.copy = prepare_copy(database, folder)
            args.year = args.year or busiest_year(args.copy)
            if args.year is None:
                return fail("the database has no training sessions: give --year", EXIT_ERROR)
            print(
                f"report: the year {args.year}, in '{args.lang}'; {args.repeat} round(s)",
                flush=True,
            )
            launch("report", args, folder)  # warm-up of each, not counted
            launch("baseline", args, folder)
            load_before = os.getloadavg()[0]
            for number in range(args.repeat):
                order = ("report", "baseline") if number % 2 == 0 else ("baseline", "report")
                rounds.append({kind: launch(kind, args, folder) for kind in order})
            load_after = os.getloadavg()[0]
            figures = report(rounds)
            print()
            print_load(load_before, load_after)
            if args.profile:
                profiled = launch("report", args, folder, profile_to=folder)
                print_profile("prepare(): queries and labels", folder / "prepare.pstats")
                print_statements(profiled["statements"])
                print_profile("write(): the layout", folder / "write.pstats")
        except Failure as error:
            return fail(str(error), EXIT_ERROR)
        except (ServiceError, DatabaseError, sqlite3.DatabaseError) as error:
            return fail(f"{database}: {error}", EXIT_ERROR)
    if args.json:
        document = {
            "database": str(database),
            "year": args.year,
            "language": args.lang,
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
