"""The command line, run as a real program: every verb, and every bad input as one clear line."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

CENTRE = "BCRC-SN"


def run(*args: str | Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run ``regional-centre ARGS`` in a new process."""
    return subprocess.run(
        [sys.executable, "-m", "regional_centre", *map(str, args)],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, **(env or {})},
    )


def assert_refused(result: subprocess.CompletedProcess[str], *words: str) -> None:
    """One line on stderr naming the problem, a non-zero exit, no traceback."""
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.stderr
    for word in words:
        assert word in lines[0], lines[0]


@pytest.fixture
def database(tmp_path: Path) -> Path:
    path = tmp_path / "centre.sqlite"
    result = run("init", "--db", path, "--centre", CENTRE, "--name", "Dakar office")
    assert result.returncode == 0, result.stderr
    return path


def test_centres_lists_codes_first_one_a_line() -> None:
    result = run("centres")
    assert result.returncode == 0
    lines = result.stdout.splitlines()
    assert len(lines) == 14
    codes = [line.split("\t")[0] for line in lines]
    assert {"BCRC-SN", "BCRC-NG", "BCRC-SPREP", "BCRC-CAM"} <= set(codes)
    assert "(closed)" in next(line for line in lines if line.startswith("BCRC-CAM"))


def test_init_makes_a_sound_database(database: Path) -> None:
    result = run("check", "--db", database)
    assert result.returncode == 0, result.stderr
    assert "sound" in result.stdout


def test_init_for_the_secretariat(tmp_path: Path) -> None:
    path = tmp_path / "secretariat.sqlite"
    result = run("init", "--db", path, "--secretariat", "--name", "Geneva")
    assert result.returncode == 0, result.stderr
    assert "secretariat" in result.stdout


def test_demo_dump_and_churn(database: Path) -> None:
    result = run("demo", "--db", database, "--size", "small", "--seed", "4")
    assert result.returncode == 0, result.stderr
    assert "organisations: 210" in result.stdout and "participations: 1500" in result.stdout
    first, second = run("dump", "--db", database), run("dump", "--db", database)
    assert first.returncode == 0 and first.stdout == second.stdout
    dumped = json.loads(first.stdout)
    assert len(dumped["tables"]["organisation"]) == 210
    assert all("seq" not in row for row in dumped["tables"]["participation"])
    churned = run("demo", "--db", database, "--churn", "60", "--seed", "2")
    assert churned.returncode == 0, churned.stderr
    assert "edits:" in churned.stdout
    assert run("dump", "--db", database).stdout != first.stdout
    assert run("check", "--db", database).returncode == 0


def test_dump_is_the_same_for_a_copy(database: Path, tmp_path: Path) -> None:
    assert run("demo", "--db", database, "--size", "small").returncode == 0
    copy = tmp_path / "copy.sqlite"
    with sqlite3.connect(database) as source, sqlite3.connect(copy) as target:
        source.backup(target)
    source.close()
    target.close()
    assert run("dump", "--db", copy).stdout == run("dump", "--db", database).stdout


def test_unknown_centre_is_refused_and_nothing_is_kept(tmp_path: Path) -> None:
    path = tmp_path / "x.sqlite"
    result = run("init", "--db", path, "--centre", "BCRC-XX", "--name", "Somewhere")
    assert_refused(result, "BCRC-XX")
    assert list(tmp_path.iterdir()) == []
    assert_refused(
        run("init", "--db", path, "--centre", "BCRC-CAM", "--name", "San Salvador"), "closed"
    )
    assert_refused(run("init", "--db", path, "--centre", "BCRC-SN", "--name", "  "), "name")
    assert list(tmp_path.iterdir()) == []


def test_init_twice_is_refused(database: Path) -> None:
    result = run("init", "--db", database, "--centre", CENTRE, "--name", "Again")
    assert_refused(result, "already set up")


def test_a_missing_database_is_named(tmp_path: Path) -> None:
    assert_refused(run("check", "--db", tmp_path / "absent.sqlite"), "absent.sqlite", "init")
    assert_refused(
        run("init", "--db", tmp_path / "nowhere" / "x.sqlite", "--centre", CENTRE, "--name", "N"),
        "nowhere",
    )


def test_a_file_that_is_not_a_database_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "report.sqlite"
    path.write_text("not a database at all\n" * 100)
    assert_refused(run("dump", "--db", path), "not a Regional Centre database")
    assert path.read_text().startswith("not a database")


def test_a_database_from_a_newer_version_is_refused(database: Path) -> None:
    with sqlite3.connect(database) as connection:
        connection.execute("UPDATE alembic_version SET version_num = 'ffff_future'")
    connection.close()
    assert_refused(run("check", "--db", database), "newer version")


def test_a_locked_database_is_reported(database: Path) -> None:
    holder = sqlite3.connect(database, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        result = run(
            "demo",
            "--db",
            database,
            "--size",
            "small",
            env={"REGIONAL_CENTRE_BUSY_TIMEOUT_MS": "200"},
        )
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert_refused(result, "in use by another program")
    assert run("dump", "--db", database).stdout.count('"organisation": []') == 1


def test_bad_arguments_are_usage_errors(database: Path) -> None:
    result = run("demo", "--db", database, "--churn", "many")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr and "many" in result.stderr
    assert run("demo", "--db", database, "--size", "huge").returncode == 2


def test_self_test_passes() -> None:
    result = run("self-test")
    assert result.returncode == 0, result.stderr
    assert "window: drawn" in result.stdout


def test_gui_opens_the_window_and_closes_in_smoke_mode(database: Path) -> None:
    result = run(
        "--lang", "fr", "gui", "--db", database, "--smoke", env={"QT_QPA_PLATFORM": "offscreen"}
    )
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr


def test_without_a_command_the_desktop_program_opens(database: Path) -> None:
    result = run("--smoke", "--db", database, "--lang", "en", env={"QT_QPA_PLATFORM": "offscreen"})
    assert result.returncode == 0, result.stderr
    platform_notes = "This plugin does not support"  # the offscreen platform, not the program
    assert all(line.startswith(platform_notes) for line in result.stderr.splitlines())


def test_gui_on_a_bad_database_fails_cleanly(tmp_path: Path) -> None:
    path = tmp_path / "garbage.sqlite"
    path.write_bytes(b"\x00garbage" * 100)
    result = run("gui", "--db", path, "--smoke", env={"QT_QPA_PLATFORM": "offscreen"})
    assert_refused(result, "not a Regional Centre database")
    assert path.read_bytes().startswith(b"\x00garbage")


def test_a_database_url_is_accepted(tmp_path: Path) -> None:
    url = f"sqlite+pysqlite:///{tmp_path / 'by-url.sqlite'}"
    result = run("init", "--db", url, "--secretariat", "--name", "Geneva")
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "by-url.sqlite").is_file()
    assert run("check", "--db", url).returncode == 0
    refused = run("gui", "--db", url, "--smoke")
    assert refused.returncode == 2 and "files only" in refused.stderr


def test_messages_follow_lang_and_else_the_system_locale(tmp_path: Path) -> None:
    missing = tmp_path / "missing.sqlite"
    french = run("--lang", "fr", "check", "--db", missing)
    assert_refused(french, "Il n'existe aucune base de données")
    russian = run("check", "--db", missing, env={"LC_ALL": "", "LANG": "ru_RU.UTF-8"})
    assert_refused(russian, "базы данных нет")
    chosen = run("--lang", "en", "check", "--db", missing, env={"LC_ALL": "ru_RU.UTF-8"})
    assert_refused(chosen, "There is no database")
    help_text = run("--lang", "zh", "--help").stdout
    assert "巴塞尔公约区域中心" in help_text


def test_usage_errors_are_in_the_language_too() -> None:
    result = run("--lang", "fr", "check")
    assert result.returncode == 2
    assert "les arguments suivants sont obligatoires" in result.stderr
    assert "utilisation" in result.stderr and "usage:" not in result.stderr
    assert "Traceback" not in result.stderr
