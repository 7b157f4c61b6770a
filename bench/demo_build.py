"""Benchmark: build the ``large`` demo database, against a raw sqlite3 baseline in the same run.

Reports the demo build's wall time and peak memory (of the process that builds
it), the database's size, and the time a plain ``sqlite3`` ``executemany``
takes to insert the very same rows into an empty database of the same schema.
The issue's target: the demo within 5x the baseline, peak memory under 500 MB.
The build itself is ``common.build_demo``, which also builds, once, the demo
database that the other benchmarks share.

    .venv/bin/python bench/demo_build.py [--size large] [--keep DIR]
"""

from __future__ import annotations

import argparse
import contextlib
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

from common import build_demo, checkpoint

from regional_centre.db.database import open_database
from regional_centre.db.models import SYNCED_MODELS


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
        checkpoint(demo)
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
