"""Helpers that the benchmarks share: the cached demo database, child processes, figures, profiles.

The benchmarks run as scripts (``.venv/bin/python bench/sync.py``), so this
folder is on ``sys.path`` and they import this module as ``common``.

At the top it imports only modules that every benchmark's child processes
import anyway: gui.py measures its children's start-up, sync.py and
progress_report.py their memory. ``sqlite3`` and ``resource`` are imported
where they are used.
"""

from __future__ import annotations

import contextlib
import json
import os
import pstats
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

REPOSITORY = Path(__file__).resolve().parent.parent
CLI = [sys.executable, "-m", "regional_centre"]
PROFILE_TOP = 15


# The demo database and the copies the benchmarks work on.


def build_demo(database: Path, size: str) -> tuple[float, float]:
    """Create and fill ``database``; return (seconds, peak MiB) of the demo command."""
    import resource

    subprocess.run(
        [*CLI, "init", "--db", str(database), "--centre", "BCRC-NG", "--name", "Bench"],
        check=True,
        capture_output=True,
    )
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    subprocess.run([*CLI, "demo", "--db", str(database), "--size", size, "--seed", "1"], check=True)
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    if peak <= before:
        print("warning: peak memory of the demo run not above the init run's", file=sys.stderr)
    return seconds, peak / 1024


def cached_demo(size: str) -> Path:
    """The demo database of ``size``, built once as demo_build.py builds it and then reused."""
    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    database = cache / "regional-centre-bench" / f"demo-{size}.sqlite"
    if database.exists():
        print(f"reusing the demo database {database} (delete it to rebuild)")
        return database
    database.parent.mkdir(parents=True, exist_ok=True)
    building = database.with_name(database.name + ".building")
    for leftover in database.parent.glob(building.name + "*"):
        leftover.unlink()
    print(f"building the {size} demo database in {database} (once)…", flush=True)
    seconds, _peak = build_demo(building, size)
    checkpoint(building)
    building.replace(database)
    print(f"built in {seconds:.0f} s")
    return database


def copy_database(source: Path, target: Path) -> Path:
    """Copy a database file and its WAL, if any."""
    shutil.copyfile(source, target)
    wal = Path(f"{source}-wal")
    if wal.exists():
        shutil.copyfile(wal, Path(f"{target}-wal"))
    return target


def checkpoint(database: Path) -> None:
    """Move everything in the database's WAL into the file itself (``wal_checkpoint(TRUNCATE)``)."""
    import sqlite3

    with contextlib.closing(sqlite3.connect(database)) as connection:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def read_through(path: Path) -> None:
    """Read a file once so that every step finds it in the page cache."""
    with path.open("rb") as handle:
        while handle.read(1 << 24):
            pass


# Measures inside a child process.


def memory_mb(field: str) -> float:
    """``VmHWM`` (peak) or ``VmRSS`` (now) of this process, in MB (10^6 bytes); 0 off Linux."""
    # Linux's VmHWM counts this program only: ru_maxrss (of the process, or RUSAGE_CHILDREN in
    # the parent) keeps across exec the peak of the process that launched it, so a child would
    # report at least its parent's peak.
    with contextlib.suppress(OSError), open("/proc/self/status") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1]) * 1024 / 1e6
    return 0.0


def reset_peak() -> None:
    """Start the peak (``VmHWM``) again from the present resident set (Linux 4.0 and later)."""
    with contextlib.suppress(OSError), open("/proc/self/clear_refs", "w") as refs:
        refs.write("5")


class Timer:
    """Wall time spent in chosen functions, by label; with ``keep``, also what they return."""

    def __init__(self, keep: bool = False) -> None:
        self.keep = keep
        self.seconds: dict[str, float] = defaultdict(float)
        self.results: dict[str, list[Any]] = defaultdict(list)

    def wrap(self, owner: Any, attribute: str, label: str) -> None:
        """Time every call of ``owner.attribute`` (a function of a module or a class) as ``label``."""
        original = getattr(owner, attribute)
        seconds, results, keep = self.seconds, self.results, self.keep

        def timed(*args: Any, **kwargs: Any) -> Any:
            start = time.perf_counter()
            try:
                value = original(*args, **kwargs)
            finally:
                seconds[label] += time.perf_counter() - start
            if keep:
                results[label].append(value)
            return value

        setattr(owner, attribute, timed)

    def wrap_context(self, owner: Any, attribute: str, label: str) -> None:
        """Time the entry of a context manager function ``owner.attribute`` as ``label``."""
        original = getattr(owner, attribute)
        seconds = self.seconds

        @contextlib.contextmanager
        def timed(*args: Any, **kwargs: Any) -> Iterator[Any]:
            start = time.perf_counter()
            with original(*args, **kwargs) as value:
                seconds[label] += time.perf_counter() - start
                yield value

        setattr(owner, attribute, timed)


# The parent: child processes, figures, results.


def child_run(kind: str, folder: Path, **variables: str) -> tuple[Path, dict[str, str]]:
    """A new folder in ``folder`` for one child, and its environment: ``variables``, settings and data in it."""
    run_folder = Path(tempfile.mkdtemp(prefix=f"{kind}-", dir=folder))
    environment = dict(os.environ, **variables)
    for variable in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME"):
        environment[variable] = str(run_folder / variable.lower())
    environment["REGIONAL_CENTRE_DATA_DIR"] = str(run_folder / "data")
    return run_folder, environment


def child_results(
    kind: str, finished: subprocess.CompletedProcess[str], result: Path, what: str = "step"
) -> dict[str, Any]:
    """The results a child process wrote to ``result``; if it failed, its output and an exit."""
    if finished.returncode != 0 or not result.exists():
        sys.stderr.write(finished.stdout + finished.stderr)
        raise SystemExit(f"the {kind} {what} failed (exit status {finished.returncode})")
    results: dict[str, Any] = json.loads(result.read_text())
    return results


def median(rounds: Sequence[Any], value: Callable[[Any], float]) -> float:
    """The median of ``value(round)`` over the rounds."""
    return float(statistics.median(value(r) for r in rounds))


def worst(rounds: Sequence[Any], value: Callable[[Any], float]) -> float:
    """The largest ``value(round)`` over the rounds."""
    return float(max(value(r) for r in rounds))


def print_load(before: float, after: float) -> None:
    """The load average before and after the measures, and what it means for them."""
    print(
        f"load average (1 min) before {before:.2f}, after {after:.2f}, "
        f"on {os.cpu_count()} CPUs: other work on the machine slows every figure"
    )


def write_json(path: Path, document: dict[str, Any]) -> None:
    """Write the results to ``path`` as indented JSON, and say so."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(document, indent=2))
    print(f"results written to {path}")


# Profiles.


def print_profile(title: str, path: Path, seconds: float | None = None) -> None:
    """The top functions of the program by cumulative time, then all functions by cumulative and by own time."""
    entries = vars(pstats.Stats(str(path)))["stats"]
    if seconds is None:  # the longest cumulative time: the profiled call itself
        seconds = max((entry[3] for entry in entries.values()), default=0.0)
    ranked = sorted(entries.items(), key=lambda item: item[1][3], reverse=True)
    ours = [item for item in ranked if f"{os.sep}regional_centre{os.sep}" in item[0][0]]
    print(f"\ncProfile of {title} ({seconds:.2f} s under the profiler)")
    print(f"top {PROFILE_TOP} functions of regional_centre/ by cumulative time:")
    print_entries(ours[:PROFILE_TOP])
    print(f"top {PROFILE_TOP} functions anywhere by cumulative time:")
    print_entries(ranked[:PROFILE_TOP])
    print(f"top {PROFILE_TOP} functions anywhere by own time:")
    print_entries(sorted(entries.items(), key=lambda item: item[1][2], reverse=True)[:PROFILE_TOP])


def print_entries(entries: list[tuple[tuple[str, int, str], tuple[Any, ...]]]) -> None:
    """Profile entries, one a line: cumulative and own seconds, calls, where."""
    print(f"{'cum s':>8} {'own s':>8} {'calls':>9}  file:line(function)")
    for (file, line, function), (_primitive, calls, own, cumulative, _callers) in entries:
        print(f"{cumulative:8.3f} {own:8.3f} {calls:9}  {short(file)}:{line}({function})")


def short(file: str) -> str:
    """A source file's path from its package (site-packages, the standard library or this repository)."""
    for root in ("site-packages/", f"{REPOSITORY}/", "lib/python3"):
        if root in file:
            return file.split(root, 1)[1].removeprefix(".")
    return file
