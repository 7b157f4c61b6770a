"""A bundle import or export killed at any moment leaves nothing half done.

The program runs as a real process (``python -m regional_centre``) and is
killed with SIGKILL after a random delay, as when the power goes or the user
pulls the plug. The data is the demo centre's (a few thousand records), so
the work takes long enough for kills to land in the middle of it. The
uninterrupted command is timed first; the seeded delays are spread over its
whole run, one during start-up and the others after the program opened the
database, where the bundle is read and applied or written.

After a killed import the database is sound, holds all of the bundle or none
of it, and importing the bundle again gives the full result. After a killed
export the database is sound and unchanged, and the bundle file either does
not exist or is complete: temporary files may stay behind, but never under
the bundle's name and never in a form that an import would accept.
"""

from __future__ import annotations

import io
import random
import sqlite3
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from regional_centre.services import Services
from tests.sync.conftest import enrol, new_installation

OFFICE = "Dakar office"
LAPTOP = "Field laptop"
TRIALS = 6
SEED = 20240415


def command(*args: str | Path) -> list[str]:
    return [sys.executable, "-m", "regional_centre", *map(str, args)]


def run(*args: str | Path) -> subprocess.CompletedProcess[str]:
    """Run ``regional-centre ARGS`` in a new process and wait for it."""
    return subprocess.run(
        command(*args), capture_output=True, text=True, timeout=120, stdin=subprocess.DEVNULL
    )


def succeeded(result: subprocess.CompletedProcess[str]) -> subprocess.CompletedProcess[str]:
    assert result.returncode == 0, f"{' '.join(map(str, result.args))}: {result.stderr}"
    return result


def start(*args: str | Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        command(*args),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        stdin=subprocess.DEVNULL,
    )


def wait_until_open(process: subprocess.Popen[bytes], database: Path) -> None:
    """Wait until the process has opened ``database`` (SQLite made its WAL file) or ended."""
    wal = database.with_name(database.name + "-wal")
    deadline = time.monotonic() + 60
    while not wal.exists() and process.poll() is None:
        assert time.monotonic() < deadline, "the program never opened the database"
        time.sleep(0.002)


@dataclass(frozen=True)
class Timing:
    """An uninterrupted run: seconds until the database was opened, and until the end."""

    opened: float
    finished: float


def measure(database: Path, *args: str | Path) -> Timing:
    """Run the command to the end (it must succeed) and time its two phases.

    ``database`` must be at rest (no WAL file), as every copy made here is.
    """
    began = time.monotonic()
    process = start(*args)
    wait_until_open(process, database)
    opened = time.monotonic() - began
    assert process.wait(timeout=120) == 0, args
    return Timing(opened, time.monotonic() - began)


@dataclass(frozen=True)
class Kill:
    """When to kill: ``delay`` seconds after the start, or after the database was opened."""

    after_open: bool
    delay: float


def plan(rng: random.Random, timing: Timing) -> list[Kill]:
    """TRIALS moments spread between 0.1 s and the full duration of the command.

    One falls during start-up; the others after the database was opened, where
    the bundle is read or written (timing from that moment keeps them there even
    when start-up is slower than when it was measured). Each is drawn in its own
    slice of its phase, so they are spread over it.
    """
    kills = [Kill(False, rng.uniform(0.1, max(timing.opened, 0.1)))]
    work = timing.finished - timing.opened
    slices = TRIALS - 1
    for i in range(slices):
        kills.append(Kill(True, rng.uniform(i * work / slices, (i + 1) * work / slices)))
    return kills


def kill(moment: Kill, database: Path, *args: str | Path) -> tuple[bool, str]:
    """Run the command and SIGKILL it at ``moment``.

    Return whether it had finished already (successfully) and a description for messages.
    """
    began = time.monotonic()
    process = start(*args)
    if moment.after_open:
        wait_until_open(process, database)
    time.sleep(moment.delay)
    finished = process.poll() is not None
    elapsed = time.monotonic() - began
    process.kill()
    process.wait(timeout=30)
    if finished:
        assert process.returncode == 0, f"{args[:2]} failed on its own"
    return finished, f"{args[0]} {args[1]} killed after {elapsed:.2f} s (finished: {finished})"


def dump(database: Path) -> str:
    """What ``regional-centre dump --db DATABASE`` prints (the same call, in this process)."""
    services = Services.open(database, actor="Test User")
    try:
        out = io.StringIO()
        services.maintenance.dump(out)
        return out.getvalue()
    finally:
        services.close()


def checked(database: Path, where: str) -> None:
    """``regional-centre check`` finds the database sound."""
    result = run("check", "--db", database)
    assert result.returncode == 0, f"{where}: {result.stderr}"
    assert "sound" in result.stdout, where


def copy_database(source: Path, target: Path) -> Path:
    """A consistent copy of a database file (through SQLite, so a WAL is not missed)."""
    with sqlite3.connect(source) as reader, sqlite3.connect(target) as writer:
        reader.backup(writer)
    reader.close()
    writer.close()
    return target


@dataclass(frozen=True)
class World:
    """An office with the demo data, its enrolled laptop and one bundle between them."""

    office: Path
    laptop: Path  # enrolled, before the bundle
    bundle: Path  # office -> laptop, everything
    office_dump: str
    before: str  # the laptop's dump before the import
    after: str  # the laptop's dump after importing the whole bundle
    import_timing: Timing
    export_timing: Timing


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> World:
    folder = tmp_path_factory.mktemp("interrupted")
    first, second = new_installation(folder, OFFICE), new_installation(folder, LAPTOP)
    enrol(first, second)
    first.services.close()
    second.services.close()
    office, laptop = first.path, second.path
    succeeded(run("demo", "--db", office, "--size", "small"))
    bundle = folder / "office-to-laptop.rcbundle"
    export_timing = measure(
        office, "bundle", "export", "--db", office, "--to", LAPTOP, "--out", bundle
    )
    full = copy_database(laptop, folder / "laptop-full.sqlite")
    import_timing = measure(full, "bundle", "import", "--db", full, bundle)
    office_dump, before, after = dump(office), dump(laptop), dump(full)
    assert before != after and after == office_dump
    return World(office, laptop, bundle, office_dump, before, after, import_timing, export_timing)


def state_of(world: World, dumped: str) -> str:
    if dumped == world.before:
        return "none"
    if dumped == world.after:
        return "all"
    return "part"


def test_a_killed_import_leaves_all_of_the_bundle_or_none(world: World, tmp_path: Path) -> None:
    """Kill ``bundle import`` at random moments: sound database, all or nothing, import again."""
    rng = random.Random(SEED)
    for trial, moment in enumerate(plan(rng, world.import_timing)):
        database = copy_database(world.laptop, tmp_path / f"laptop-{trial}.sqlite")
        finished, where = kill(moment, database, "bundle", "import", "--db", database, world.bundle)
        checked(database, where)
        state = state_of(world, dump(database))
        assert state != "part", f"{where}: the database holds part of the bundle"
        assert state == "all" or not finished, f"{where}: the import finished but changed nothing"

        again = succeeded(run("bundle", "import", "--db", database, world.bundle))
        if state == "all":
            assert "was imported before" in again.stdout, where
        else:
            assert again.stdout.startswith(f"Imported bundle 1 from {OFFICE}"), where
        assert dump(database) == world.after, where


def test_a_killed_export_leaves_no_half_bundle(world: World, tmp_path: Path) -> None:
    """Kill ``bundle export`` at random moments: no half bundle under the name, leftovers refused."""
    rng = random.Random(SEED + 1)
    leftovers: list[Path] = []
    for trial, moment in enumerate(plan(rng, world.export_timing)):
        database = copy_database(world.office, tmp_path / f"office-{trial}.sqlite")
        out = tmp_path / f"usb-{trial}"
        out.mkdir()
        target = out / "for-laptop.rcbundle"
        finished, where = kill(
            moment, database, "bundle", "export", "--db", database, "--to", LAPTOP, "--out", target
        )
        checked(database, where)
        assert dump(database) == world.office_dump, f"{where}: the export changed the records"

        others = sorted(p for p in out.iterdir() if p != target)
        for other in others:
            assert other.name.startswith(".bundle-"), f"{where}: {other.name} left behind"
            assert not other.name.endswith(".rcbundle"), f"{where}: {other.name}"
        leftovers += others
        if finished:
            assert target.is_file(), f"{where}: the export finished without writing the bundle"
        if target.exists():
            laptop = copy_database(world.laptop, tmp_path / f"laptop-{trial}.sqlite")
            imported = run("bundle", "import", "--db", laptop, target)
            assert imported.returncode == 0, f"{where}: {imported.stderr}"
            assert imported.stdout.startswith(f"Imported bundle 2 from {OFFICE}"), where
            assert dump(laptop) == world.after, where

    laptop = copy_database(world.laptop, tmp_path / "laptop-leftovers.sqlite")
    one_of_each_kind = {leftover.suffix: leftover for leftover in leftovers}
    for leftover in one_of_each_kind.values():
        refused = run("bundle", "import", "--db", laptop, leftover)
        assert refused.returncode != 0, f"{leftover.name} was imported as a bundle"
        lines = refused.stderr.strip().splitlines()
        assert len(lines) == 1 and "Traceback" not in refused.stderr, refused.stderr
    assert dump(laptop) == world.before
