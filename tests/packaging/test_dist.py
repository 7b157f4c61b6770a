"""The PyInstaller build: made from build.spec, then run as a user would run it.

Slow (a build takes a minute or two). It proves that what only a build can lose is
inside it: the reference data in ``resources/``, the Alembic migrations as source
files, SQLAlchemy's and Alembic's SQLite modules, Qt's platform plugins; and that the
build stays lean (no Qt WebEngine or Qt Quick, and a size limit).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from regional_centre.db.database import head_revision

ROOT = Path(__file__).resolve().parents[2]
NAME = "regional-centre"
EXE_SUFFIX = ".exe" if sys.platform == "win32" else ""
CENTRE = "BCRC-SN"
BUILD_TIMEOUT = 1200  # seconds; about one minute on a developer's machine
RUN_TIMEOUT = 120
SIZE_LIMIT_MB = 600
FORBIDDEN = ("WebEngine", "Qt6Quick")

pytestmark = [pytest.mark.slow, pytest.mark.timeout(BUILD_TIMEOUT + 300)]


@pytest.fixture(scope="module")
def bundle(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Build the program from build.spec into a private folder; return the one-folder bundle."""
    out = tmp_path_factory.mktemp("pyinstaller")
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "PyInstaller",
            "--noconfirm",
            "--distpath",
            str(out / "dist"),
            "--workpath",
            str(out / "work"),
            "build.spec",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=BUILD_TIMEOUT,
    )
    assert result.returncode == 0, "PyInstaller failed:\n" + result.stderr[-6000:]
    folder = out / "dist" / NAME
    assert (folder / f"{NAME}{EXE_SUFFIX}").is_file(), sorted(p.name for p in folder.iterdir())
    return folder


def run(
    bundle: Path, data: Path, *args: str | Path, program: str = NAME
) -> subprocess.CompletedProcess[str]:
    """Run one of the built programs with private data, no screen and no help from the sources."""
    env = {
        key: value
        for key, value in os.environ.items()
        # Nothing that would let the build find files outside itself.
        if key not in {"REGIONAL_CENTRE_RESOURCES", "PYTHONPATH", "PYTHONHOME"}
    }
    env.update(REGIONAL_CENTRE_DATA_DIR=str(data), QT_QPA_PLATFORM="offscreen")
    return subprocess.run(
        [str(bundle / f"{program}{EXE_SUFFIX}"), *map(str, args)],
        cwd=data.parent,  # not the repository, whose resources/ must not be what is found
        env=env,
        capture_output=True,
        text=True,
        timeout=RUN_TIMEOUT,
    )


def explain(result: subprocess.CompletedProcess[str], data: Path) -> str:
    """What a failed run printed, and the end of its log."""
    logs = sorted((data / "logs").glob("*.log")) if (data / "logs").is_dir() else []
    log = logs[-1].read_text(encoding="utf-8", errors="replace")[-4000:] if logs else "(no log)"
    return (
        f"exit {result.returncode}\nstdout:\n{result.stdout}\nstderr:\n{result.stderr}\nlog:\n{log}"
    )


def test_self_test_passes_in_the_build(bundle: Path, tmp_path: Path) -> None:
    data = tmp_path / "data"
    result = run(bundle, data, "--lang", "en", "self-test")
    assert result.returncode == 0, explain(result, data)
    lines = result.stdout.splitlines()
    assert any(line.startswith("reference data:") for line in lines), result.stdout
    assert f"schema revision: {head_revision()}" in lines, result.stdout
    assert any(line.startswith("window:") for line in lines), result.stdout


def test_centres_come_from_the_shipped_reference_data(bundle: Path, tmp_path: Path) -> None:
    data = tmp_path / "data"
    result = run(bundle, data, "centres")
    assert result.returncode == 0, explain(result, data)
    assert CENTRE in [line.split("\t")[0] for line in result.stdout.splitlines()], result.stdout


def test_built_program_creates_and_checks_a_database(bundle: Path, tmp_path: Path) -> None:
    data = tmp_path / "data"
    database = tmp_path / "x.sqlite"
    made = run(bundle, data, "init", "--db", database, "--centre", CENTRE, "--name", "Test")
    assert made.returncode == 0, explain(made, data)
    assert database.is_file()
    checked = run(bundle, data, "check", "--db", database)
    assert checked.returncode == 0, explain(checked, data)


def test_desktop_program_opens_its_window(bundle: Path, tmp_path: Path) -> None:
    data = tmp_path / "data"
    database = tmp_path / "gui.sqlite"
    made = run(bundle, data, "init", "--db", database, "--centre", CENTRE, "--name", "Test")
    assert made.returncode == 0, explain(made, data)
    opened = run(bundle, data, "--db", database, "--smoke", program=f"{NAME}-gui")
    assert opened.returncode == 0, explain(opened, data)


def test_migrations_are_shipped_as_source(bundle: Path) -> None:
    internal = bundle / "_internal"
    migrations = internal / "regional_centre" / "db" / "migrations"
    assert (migrations / "env.py").is_file()
    shipped = {path.name for path in (migrations / "versions").glob("*.py")}
    sources = {path.name for path in (ROOT / "regional_centre/db/migrations/versions").glob("*.py")}
    assert shipped == sources


def test_build_is_lean(bundle: Path) -> None:
    files = [path for path in bundle.rglob("*") if not path.is_dir()]
    unwanted = sorted(
        str(path.relative_to(bundle)) for path in files if any(w in path.name for w in FORBIDDEN)
    )
    assert not unwanted, f"the build carries Qt modules it must not: {unwanted}"
    size_mb = sum(path.lstat().st_size for path in files) / 1024**2
    print(f"\n{bundle} is {size_mb:.0f} MB in {len(files)} files")
    assert size_mb <= SIZE_LIMIT_MB, (
        f"the build is {size_mb:.0f} MB in {len(files)} files, over the {SIZE_LIMIT_MB} MB limit"
    )
