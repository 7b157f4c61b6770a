"""``regional-centre stats`` run as a real program: the service's figures as JSON, or one clear line.

A centre's installation prints its own figures; the secretariat's prints the
total and every centre's figures side by side, unless told one centre.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from regional_centre.services import Services
from regional_centre.services.periods import Period
from regional_centre.services.progress import Conversion
from tests.cli.test_cli import assert_refused, run
from tests.services.progress_world import build_world

YEAR_2025 = Period(dt.date(2025, 1, 1), dt.date(2025, 12, 31))
Q2_2027 = Period(dt.date(2027, 4, 1), dt.date(2027, 6, 30))


def printed(result: subprocess.CompletedProcess[str]) -> dict[str, Any]:
    """The JSON a command printed, checked to be laid out as promised (sorted keys, indent 2)."""
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    document: dict[str, Any] = json.loads(result.stdout)
    assert (
        result.stdout == json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    )
    return document


def figures_json(path: Path, period: Period, centre: str | None, **options: Any) -> Any:
    services = Services.open(path, actor="Test User")
    try:
        return services.progress.figures(period, centre, **options).as_json()
    finally:
        services.close()


@pytest.fixture
def centre_file(small_demo_file: Path, tmp_path: Path) -> Path:
    """A copy of the small demo database of the Dakar centre."""
    return Path(shutil.copyfile(small_demo_file, tmp_path / "dakar.sqlite"))


@pytest.fixture(scope="module")
def secretariat_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The secretariat's database with the records of Dakar and Ibadan (do not change it)."""
    return build_world(tmp_path_factory.mktemp("stats")).secretariat


def stats(database: Path, period: Period, *more: str) -> subprocess.CompletedProcess[str]:
    """Run ``stats`` on ``database`` for ``period`` with ``more`` options."""
    return run(
        "stats", "--db", database, "--from", str(period.start), "--to", str(period.end), *more
    )


def test_a_centre_prints_its_own_figures(centre_file: Path) -> None:
    document = printed(stats(centre_file, YEAR_2025))
    assert document == figures_json(centre_file, YEAR_2025, "BCRC-SN")
    assert document["centre"] == "BCRC-SN" and document["training"]["participants"] > 0


def test_rates_convert_the_contributions(centre_file: Path) -> None:
    rates = ("--currency", "usd", "--rate", "EUR=1.0843", "--rate", "CHF=1,1")
    document = printed(stats(centre_file, YEAR_2025, *rates))
    conversion = Conversion("USD", {"EUR": Decimal("1.0843"), "CHF": Decimal("1.1")})
    assert document == figures_json(centre_file, YEAR_2025, "BCRC-SN", conversion=conversion)
    assert document["activities"]["converted"]["currency"] == "USD"
    assert document["conversion"]["rates"] == {"EUR": "1.0843", "CHF": "1.1"}


def test_the_secretariat_prints_every_centre_and_the_total(secretariat_file: Path) -> None:
    document = printed(stats(secretariat_file, Q2_2027))
    assert document == {
        "format": "regional-centre-stats",
        "version": 1,
        "period": {"start": "2027-04-01", "end": "2027-06-30"},
        "total": figures_json(secretariat_file, Q2_2027, None),
        "centres": {
            code: figures_json(secretariat_file, Q2_2027, code) for code in ("BCRC-NG", "BCRC-SN")
        },
    }
    one = printed(stats(secretariat_file, Q2_2027, "--centre", "bcrc-ng"))
    assert one == document["centres"]["BCRC-NG"]


@pytest.mark.parametrize(
    ("arguments", "words", "status"),
    [
        (["--from", "2025-02-30", "--to", "2025-12-31"], ["--from", "2025-02-30"], 2),
        (["--from", "2025-01-01", "--to", "31/12/2025"], ["--to", "31/12/2025"], 2),
        (["--from", "20250101", "--to", "2025-12-31"], ["--from", "YYYY-MM-DD"], 2),
        (["--from", "2025-12-31", "--to", "2025-01-01"], ["ends before it starts"], 1),
        (["--from", "2025-01-01", "--to", "2025-12-31", "--centre", "BCRC-XX"], ["BCRC-XX"], 1),
        (["--from", "2025-01-01", "--to", "2025-12-31", "--centre", "BCRC-NG"], ["BCRC-SN only"], 1),
        (["--from", "2025-01-01", "--to", "2025-12-31", "--currency", "USD", "--rate", "EUR=0"], ["EUR", "positive"], 1),
        (["--from", "2025-01-01", "--to", "2025-12-31", "--currency", "USD", "--rate", "EUR=much"], ["EUR", "much"], 1),
        (["--from", "2025-01-01", "--to", "2025-12-31", "--currency", "USD", "--rate", "EUR"], ["EUR=1.08"], 1),
        (["--from", "2025-01-01", "--to", "2025-12-31", "--rate", "EUR=1.08"], ["currency"], 1),
        (["--from", "2025-01-01", "--to", "2025-12-31", "--currency", "XYZ"], ["XYZ"], 1),
    ],
)  # fmt: skip
def test_bad_input_is_one_line(
    centre_file: Path, arguments: list[str], words: list[str], status: int
) -> None:
    result = run("stats", "--db", centre_file, *arguments)
    assert_refused(result, *words)
    assert result.returncode == status
    assert result.stdout == ""
