"""Benchmark: build the ``large`` demo database, against a raw sqlite3 baseline in the same run.

Reports the demo build's wall time and peak memory (of the process that builds
it), the database's size, and the time a plain ``sqlite3`` ``executemany``
takes to insert the very same rows into an empty database of the same schema.
The issue's target: the demo within 5x the baseline, peak memory under 500 MB.

    .venv/bin/python bench/demo_build.py [--size large] [--keep DIR]
"""

from __future__ import annotations

import argparse
import contextlib
import os
import resource
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from regional_centre.db.database import open_database
from regional_centre.db.models import SYNCED_MODELS

CLI = [sys.executable, "-m", "regional_centre"]


def build_demo(database: Path, size: str) -> tuple[float, float]:
    """Create and fill ``database``; return (seconds, peak MiB) of the demo command."""
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
    """The demo database of ``size``, built once and then reused by the other benchmarks."""
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
    with contextlib.closing(sqlite3.connect(building)) as connection:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    building.replace(database)
    print(f"built in {seconds:.0f} s")
    return database


def raw_baseline(demo: Path, empty: Path) -> tuple[float, int]:
    """Insert every synced row of ``demo`` into ``empty`` with plain executemany; return (seconds, rows)."""
    open_database(empty, create=True).close()
    total_seconds = 0.0
    total_rows = 0
    with (
        contextlib.closing(sqlite3.connect(demo)) as source,
        contextlib.closing(sqlite3.connect(empty)) as target,
    ):
        target.execute("PRAGMA journal_mode = WAL")
        target.execute("PRAGMA synchronous = NORMAL")
        for model in SYNCED_MODELS:
            table = model.__tablename__
            rows = source.execute(f"SELECT * FROM {table}").fetchall()
            if not rows:
                continue
            marks = ", ".join("?" * len(rows[0]))
            start = time.perf_counter()
            with target:
                target.executemany(f"INSERT INTO {table} VALUES ({marks})", rows)
            total_seconds += time.perf_counter() - start
            total_rows += len(rows)
    return total_seconds, total_rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", default="large", choices=("small", "large"))
    parser.add_argument("--keep", type=Path, help="build in this folder and keep the databases")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        folder = args.keep or Path(scratch)
        folder.mkdir(parents=True, exist_ok=True)
        demo, empty = folder / f"demo-{args.size}.sqlite", folder / "baseline.sqlite"
        for path in (demo, empty):
            for leftover in folder.glob(path.name + "*"):
                leftover.unlink()
        demo_seconds, peak = build_demo(demo, args.size)
        with contextlib.closing(sqlite3.connect(demo)) as connection:
            connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        size_mb = demo.stat().st_size / 1e6
        raw_seconds, rows = raw_baseline(demo, empty)
    ratio = demo_seconds / raw_seconds
    print(
        f"demo --size {args.size}: {demo_seconds:.1f} s, peak memory {peak:.0f} MiB, database {size_mb:.0f} MB"
    )
    print(f"raw sqlite3 executemany of the same {rows} rows: {raw_seconds:.1f} s")
    print(f"ratio: {ratio:.1f}x (target < 5x); peak memory target < 500 MiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
