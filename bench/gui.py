"""Benchmark: the desktop program's start-up, first rows and type-ahead, against a bare Qt window.

Every run is a fresh process of this interpreter (Qt's ``offscreen`` platform
unless ``--platform`` names another), on a copy of the ``large`` demo database;
runs of the bare PySide6 baseline and of the program alternate. Reported, as
the median and the maximum over ``--repeat`` runs (after one unreported warm-up
run of each, which fills the disk cache):

- start-up to the first paint of the main window, from the moment this script
  launched the process, and its ratio to a bare ``QMainWindow`` with a label
  (target: 2x at most);
- first rows of the partner list: from ``show()`` to the list's ``loaded``
  signal and the paint of its rows;
- type-ahead: from the last of three keystrokes in the search box to the
  filtered rows painted (with the 200 ms debounce), and the query alone (from
  the debounce timer firing to ``loaded``);
- the longest stall of the GUI event loop in each of these phases: a 10 ms
  timer on the GUI thread records its ticks; the longest gap minus 10 ms is
  the stall (target: none over 100 ms). Start-up counts from ``QApplication``
  creation, so the blocking work before the event loop runs counts too.

"First paint" is the end of the first paint pass that reaches the window: a
``QEvent.Type.Paint`` seen by an event filter, then a zero-delay timer that
fires once that pass (and its flush) is over. The same probe serves both runs.

    .venv/bin/python bench/gui.py [--db PATH] [--repeat 5] [--search Eco] [--json FILE] [--profile]

Without ``--db`` the ``large`` demo database is built once, as
``bench/demo_build.py`` builds it, and kept in ``~/.cache/regional-centre-bench``.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import pstats
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from common import (
    cached_demo,
    child_results,
    child_run,
    copy_database,
    print_load,
    short,
    write_json,
)
from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow, QWidget

TICK_MS = 10
STALL_TARGET_MS = 100
RATIO_TARGET = 2.0
LONG_GAP_MS = 50  # gaps kept in the results to show where the stalls fall
WATCHDOG_MS = 120_000

# (key in a run's results, label in the table)
TABLE = [
    ("start_to_paint", "start-up to first paint, from launch"),
    ("paint_after_show", "first paint, from show()"),
    ("first_rows", "first rows: show() to rows painted"),
    ("rows_from_launch", "first rows, from launch"),
    ("search_total", "type-ahead: last key to rows painted"),
    ("search_query", "type-ahead: query alone, debounce to loaded"),
    ("search_paint", "type-ahead: debounce to rows painted"),
    ("stall_startup", "longest stall, QApplication to first rows (base: paint)"),
    ("stall_first_rows", "longest stall, show() to first rows"),
    ("stall_after_paint", "longest stall, first paint to first rows"),
    ("stall_search", "longest stall, typing to filtered rows"),
]
# Moments of a run of the program, from launch, for the breakdown.
MOMENTS = [
    "imported",
    "program_imported",
    "application",
    "database_opened",
    "window_built",
    "shown",
    "first_paint",
    "rows_loaded",
    "rows_shown",
]


class Probe(QObject):
    """Ticks of a 10 ms timer on the GUI thread, and the end of the next paint of chosen widgets."""

    def __init__(self) -> None:
        super().__init__()
        self.ticks: list[float] = []
        self._waiting: list[tuple[QWidget, Callable[[float, float], None]]] = []
        self._timer = QTimer(self)
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.setInterval(TICK_MS)
        self._timer.timeout.connect(lambda: self.ticks.append(time.perf_counter()))

    def start(self) -> None:
        """Start ticking (the first tick comes once the event loop runs)."""
        self._timer.start()

    def after_paint(self, widget: QWidget, then: Callable[[float, float], None]) -> None:
        """Call ``then(paint_started, paint_done)`` once ``widget``'s next paint pass is over."""
        widget.installEventFilter(self)
        self._waiting.append((widget, then))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Spot the first Paint event of a watched widget."""
        if event.type() == QEvent.Type.Paint:
            for entry in list(self._waiting):
                widget, then = entry
                if watched is widget:
                    self._waiting.remove(entry)
                    widget.removeEventFilter(self)
                    started = time.perf_counter()
                    QTimer.singleShot(0, lambda t=then, s=started: t(s, time.perf_counter()))
        return False

    def stall(self, start: float, end: float) -> float:
        """The longest gap between ticks from ``start`` to ``end``, minus the interval (ms)."""
        previous, longest = start, 0.0
        for tick in self.ticks:
            if tick <= start:
                continue
            longest = max(longest, min(tick, end) - previous)
            previous = tick
            if tick >= end:
                break
        else:
            longest = max(longest, end - previous)
        return max(0.0, longest * 1000 - TICK_MS)

    def long_gaps(self, origin: float) -> list[tuple[float, float]]:
        """(start from ``origin``, length) of every gap over LONG_GAP_MS, in ms."""
        pairs = zip(self.ticks, self.ticks[1:], strict=False)
        return [
            (round((a - origin) * 1000, 1), round((b - a) * 1000, 1))
            for a, b in pairs
            if (b - a) * 1000 > LONG_GAP_MS
        ]


def run_baseline(launched: float, imported: float) -> dict[str, Any]:
    """A bare QMainWindow with a label: launch to first paint."""
    app = QApplication(sys.argv[:1])
    stamps = {"imported": imported, "application": time.perf_counter()}
    probe = Probe()
    probe.start()
    window = QMainWindow()
    window.setWindowTitle("Baseline")
    window.setCentralWidget(QLabel("Baseline"))
    window.resize(1280, 800)
    stamps["window_built"] = time.perf_counter()

    def painted(_started: float, done: float) -> None:
        stamps["first_paint"] = done
        QTimer.singleShot(0, app.quit)

    probe.after_paint(window, painted)
    window.show()
    stamps["shown"] = time.perf_counter()
    QTimer.singleShot(WATCHDOG_MS, lambda: app.exit(3))
    if app.exec() != 0:
        raise SystemExit("the baseline window was never painted")
    return {
        "start_to_paint": ms(stamps["first_paint"] - launched),
        "paint_after_show": ms(stamps["first_paint"] - stamps["shown"]),
        "stall_startup": probe.stall(stamps["application"], stamps["first_paint"]),
        "moments": {key: ms(value - launched) for key, value in stamps.items()},
    }


def run_program(
    launched: float,
    imported: float,
    database: Path,
    folder: Path,
    search: str,
    profile: cProfile.Profile | None,
) -> dict[str, Any]:
    """The program's own start path on ``database``, the partner list first, then a search.

    As ``run_gui`` does it: the window shows at once and the database opens in
    the background, then the window builds the page the user was on last.
    """
    from regional_centre.ui.app import application, open_in_background
    from regional_centre.ui.main_window import MainWindow
    from regional_centre.ui.operations import wait_for_background_work
    from regional_centre.ui.settings import PAGE, Settings

    stamps = {"imported": imported, "program_imported": time.perf_counter()}
    if profile is not None:
        profile.enable()
    app = application("en")
    stamps["application"] = time.perf_counter()
    probe = Probe()
    probe.start()
    settings = Settings.in_file(folder / "settings.ini")
    settings.set(PAGE, "partners")
    window = MainWindow(None, settings)
    stamps["window_built"] = time.perf_counter()
    found: list[Any] = []

    def opened() -> None:
        # Imported only now, like the program does: the database layer loads in the background.
        from regional_centre.services.listing import Kind
        from regional_centre.ui.pages.records import RecordsPage

        stamps["database_opened"] = time.perf_counter()
        page = window.current_page()
        listed = page.current_list() if isinstance(page, RecordsPage) else None
        if listed is None or listed.kind is not Kind.PARTNERS:
            raise SystemExit("the window did not open on the partner list")
        found.append(listed)
        listed.model.loaded.connect(on_loaded)
        listed._search_timer.timeout.connect(debounced)

    matches: list[int] = []

    def first_paint(_started: float, done: float) -> None:
        stamps["first_paint"] = done

    def on_loaded(total: int) -> None:
        partners = found[0]
        if "rows_loaded" not in stamps:
            stamps["rows_loaded"] = time.perf_counter()
            probe.after_paint(partners.view.viewport(), rows_shown)
        elif "typing" in stamps and "search_loaded" not in stamps:
            stamps["search_loaded"] = time.perf_counter()
            matches.append(total)
            probe.after_paint(partners.view.viewport(), search_shown)

    def rows_shown(_started: float, done: float) -> None:
        stamps["rows_shown"] = done
        if profile is not None:
            profile.disable()
        settle()

    def settle() -> None:
        # Type once the other lists of the page have finished loading in the background.
        if wait_for_background_work(0):
            QTimer.singleShot(500, type_ahead)
        else:
            QTimer.singleShot(50, settle)

    def type_ahead() -> None:
        partners = found[0]
        partners.filter_bar.search.setFocus()
        stamps["typing"] = time.perf_counter()
        QTest.keyClicks(partners.filter_bar.search, search)
        stamps["last_key"] = time.perf_counter()

    def debounced() -> None:
        stamps.setdefault("debounced", time.perf_counter())

    def search_shown(_started: float, done: float) -> None:
        stamps["search_shown"] = done
        QTimer.singleShot(0, app.quit)

    probe.after_paint(window, first_paint)
    window.opened.connect(opened)
    window.show()
    stamps["shown"] = time.perf_counter()
    open_in_background(window, database, None)
    QTimer.singleShot(WATCHDOG_MS, lambda: app.exit(3))
    status = app.exec()
    wait_for_background_work()
    window.close()
    if window.has_services():
        window.services.close()
    if status != 0 or "search_shown" not in stamps:
        raise SystemExit(f"the run did not finish; it reached {sorted(stamps)}")
    return {
        "start_to_paint": ms(stamps["first_paint"] - launched),
        "paint_after_show": ms(stamps["first_paint"] - stamps["shown"]),
        "first_rows": ms(stamps["rows_shown"] - stamps["shown"]),
        "rows_from_launch": ms(stamps["rows_shown"] - launched),
        "search_total": ms(stamps["search_shown"] - stamps["last_key"]),
        "search_query": ms(stamps["search_loaded"] - stamps["debounced"]),
        "search_paint": ms(stamps["search_shown"] - stamps["debounced"]),
        "matches": matches[0],
        "stall_startup": probe.stall(stamps["application"], stamps["rows_shown"]),
        "stall_first_rows": probe.stall(stamps["shown"], stamps["rows_shown"]),
        "stall_after_paint": probe.stall(stamps["first_paint"], stamps["rows_shown"]),
        "stall_search": probe.stall(stamps["typing"], stamps["search_shown"]),
        "moments": {key: ms(value - launched) for key, value in stamps.items()},
        "long_gaps": probe.long_gaps(launched),
    }


def ms(seconds: float) -> float:
    """Seconds as milliseconds, to a tenth."""
    return round(seconds * 1000, 1)


def child(args: argparse.Namespace) -> int:
    """One measured run in this fresh process; its results go to ``args.result`` as JSON."""
    imported = time.perf_counter()
    # The launch time is wall-clock (the parent's); carry it over to this process's perf_counter.
    launched = args.launched - (time.time() - time.perf_counter())
    if args.child == "baseline":
        results = run_baseline(launched, imported)
    else:
        profile = cProfile.Profile() if args.profile_to else None
        results = run_program(launched, imported, args.db, args.result.parent, args.search, profile)
        if profile is not None:
            profile.dump_stats(args.profile_to)
    args.result.write_text(json.dumps(results))
    return 0


# The parent: preparing the database, launching the runs, reporting.


def working_copy(database: Path, folder: Path) -> Path:
    """A copy of ``database`` (and its WAL) in ``folder``, upgraded to this program's schema."""
    from regional_centre.db.database import open_database

    copy = copy_database(database, folder / "bench.sqlite")
    # Upgrade once here, so that no measured run pays for a migration and its backup.
    opened = open_database(copy)
    if opened.backup is not None:
        print(f"note: the copy was upgraded to this program's schema (backup {opened.backup})")
    opened.close()
    return copy


def launch(
    kind: str, args: argparse.Namespace, copy: Path, folder: Path, profile: bool = False
) -> dict[str, Any]:
    """Run one measurement in a fresh process (profiled: not a measurement); its results."""
    run_folder, environment = child_run(kind, folder, QT_QPA_PLATFORM=args.platform)
    result = run_folder / "result.json"
    command = [sys.executable, *(["-X", "importtime"] if profile else [])]
    command += [str(Path(__file__).resolve()), "--child", kind]
    command += ["--db", str(copy), "--result", str(result), "--search", args.search]
    if profile:
        command += ["--profile-to", str(run_folder / "profile.pstats")]
    command += ["--launched", repr(time.time())]
    finished = subprocess.run(command, env=environment, capture_output=True, text=True)
    results = child_results(kind, finished, result, "run")
    if profile:
        results["profile"] = str(run_folder / "profile.pstats")
        results["importtime"] = finished.stderr
    return results


def summary(runs: list[dict[str, Any]], key: str) -> tuple[float, float]:
    """Median and maximum of one figure over the runs."""
    values = [run[key] for run in runs]
    return statistics.median(values), max(values)


def report(baseline: list[dict[str, Any]], program: list[dict[str, Any]]) -> dict[str, Any]:
    """Print the table; the figures for the JSON file."""
    figures: dict[str, Any] = {}
    print(f"\n{'milliseconds':58} {'median':>9} {'max':>9}")
    for name, runs in (("baseline", baseline), ("program", program)):
        print(f"{name} ({len(runs)} runs)")
        for key, label in TABLE:
            if key not in runs[0]:
                continue
            median, highest = summary(runs, key)
            figures[f"{name}.{key}"] = {"median": median, "max": highest}
            flag = " !" if key.startswith("stall") and highest > STALL_TARGET_MS else ""
            print(f"  {label:56} {median:9.1f} {highest:9.1f}{flag}")
    ratios = [
        p["start_to_paint"] / b["start_to_paint"] for b, p in zip(baseline, program, strict=True)
    ]
    ratio = summary(program, "start_to_paint")[0] / summary(baseline, "start_to_paint")[0]
    figures["ratio_start_to_paint"] = {"of_medians": ratio, "max_of_pairs": max(ratios)}
    print(
        f"ratio program/baseline start-up to first paint: {ratio:.2f}x (of the medians), "
        f"{max(ratios):.2f}x (worst pair); target <= {RATIO_TARGET:g}x"
    )
    print(f"search matches: {program[0]['matches']} partners")
    print("\nmoments of a run of the program, median from launch (ms):")
    for moment in MOMENTS:
        values = [run["moments"][moment] for run in program if moment in run["moments"]]
        if values:
            print(f"  {moment:20} {statistics.median(values):9.1f}")
    print(f"gaps over {LONG_GAP_MS} ms between ticks, per run (start from launch, length), ms:")
    for run in program:
        print("  " + ", ".join(f"{start:.0f}+{length:.0f}" for start, length in run["long_gaps"]))
    return figures


def print_profile(results: dict[str, Any], top: int = 25) -> None:
    """Where a start of the program spends its time: imports, then the GUI thread's work."""
    imports = []
    for line in results["importtime"].splitlines():
        fields = line.removeprefix("import time:").split("|")
        if len(fields) == 3 and fields[0].strip().isdigit():
            imports.append((int(fields[1]) / 1000, int(fields[0]) / 1000, fields[2].rstrip()))
    print(f"\nimports of the profiled run (python -X importtime), top {top} by cumulative time:")
    print(f"{'cum ms':>9} {'self ms':>9}  module (indented under its importer)")
    for cumulative, own, name in sorted(imports, reverse=True)[:top]:
        print(f"{cumulative:9.1f} {own:9.1f} {name}")
    moments = results["moments"]
    span = moments["rows_shown"] - moments["program_imported"]
    print(
        f"\ncProfile of the GUI thread from application() to the first rows shown "
        f"({span:.0f} ms under the profiler), top {top} by cumulative time:"
    )
    print(f"{'cum ms':>9} {'self ms':>9} {'calls':>7}  file:line(function)")
    entries = vars(pstats.Stats(results["profile"]))["stats"]
    ranked = sorted(entries.items(), key=lambda item: item[1][3], reverse=True)
    for (file, line, function), (_primitive, calls, own, cumulative, _callers) in ranked[:top]:
        print(
            f"{cumulative * 1000:9.1f} {own * 1000:9.1f} {calls:7}  {short(file)}:{line}({function})"
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, help="the database to copy (default: the large demo)")
    parser.add_argument("--size", default="large", choices=("small", "large"), help="demo size")
    parser.add_argument("--repeat", type=int, default=5, help="measured runs of each kind")
    parser.add_argument("--warmup", type=int, default=1, help="unreported runs of each kind first")
    parser.add_argument("--search", default="Eco", help="what to type in the partner search")
    parser.add_argument("--platform", default="offscreen", help="QT_QPA_PLATFORM of the runs")
    parser.add_argument("--json", type=Path, help="also write the results to this file")
    parser.add_argument("--profile", action="store_true", help="profile one start of the program")
    parser.add_argument("--child", choices=("baseline", "program"), help=argparse.SUPPRESS)
    parser.add_argument("--result", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--launched", type=float, help=argparse.SUPPRESS)
    parser.add_argument("--profile-to", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        return child(args)
    database = args.db or cached_demo(args.size)
    if not database.exists():
        parser.error(f"there is no database at {database}")
    baseline: list[dict[str, Any]] = []
    program: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="bench-gui-") as scratch:
        folder = Path(scratch)
        copy = working_copy(database, folder)
        size_mb = copy.stat().st_size / 1e6
        print(f"database: copy of {database} ({size_mb:.0f} MB), platform {args.platform}")
        load_before = os.getloadavg()[0]
        for number in range(args.warmup + args.repeat):
            counted = number >= args.warmup
            for kind, runs in (("baseline", baseline), ("program", program)):
                results = launch(kind, args, copy, folder)
                if counted:
                    runs.append(results)
            print(f"run {number + 1}: {'measured' if counted else 'warm-up'}", flush=True)
        load_after = os.getloadavg()[0]
        figures = report(baseline, program)
        print_load(load_before, load_after)
        if args.profile:
            print_profile(launch("program", args, copy, folder, profile=True))
    if args.json:
        document = {
            "database": str(database),
            "platform": args.platform,
            "search": args.search,
            "repeat": args.repeat,
            "load_average": [load_before, load_after],
            "cpus": os.cpu_count(),
            "figures": figures,
            "runs": {"baseline": baseline, "program": program},
        }
        write_json(args.json, document)
    return 0


if __name__ == "__main__":
    sys.exit(main())
