"""The exchange verbs as a user runs them: enrol, peers, bundle, conflicts.

Every command runs as a real program (``python -m regional_centre``) on
installations made with ``init``: two of the Dakar centre (its office and a
field laptop) and the secretariat. Enrolment is refused until the
fingerprint is confirmed; a bundle can be inspected and tried before it is
imported; a value lost in a merge can be brought back; a revoked peer's
bundles are refused; and every bad input is one line on stderr, a non-zero
exit and no traceback, with the database left as it was.
"""

from __future__ import annotations

import contextlib
import re
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from regional_centre.demo import generate
from regional_centre.services import Services
from tests.cli.test_cli import assert_refused
from tests.sync.conftest import Installation, add_organisation, database_bytes

CENTRE = "BCRC-SN"
OFFICE = "Dakar office"
LAPTOP = "Field laptop"
SECRETARIAT = "Geneva"
FINGERPRINT = re.compile(r"[0-9A-F]{4}(?: [0-9A-F]{4}){7}")


def run(*args: str | Path) -> subprocess.CompletedProcess[str]:
    """Run ``regional-centre ARGS`` in a new process, with no terminal to answer questions."""
    return subprocess.run(
        [sys.executable, "-m", "regional_centre", *map(str, args)],
        capture_output=True,
        text=True,
        timeout=300,
        stdin=subprocess.DEVNULL,
    )


def run_together(*commands: list[str | Path]) -> list[subprocess.CompletedProcess[str]]:
    """Run commands on different databases at once; wait for all of them."""
    started = [
        subprocess.Popen(
            [sys.executable, "-m", "regional_centre", *map(str, args)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            stdin=subprocess.DEVNULL,
            text=True,
        )
        for args in commands
    ]
    results = []
    for args, process in zip(commands, started, strict=True):
        out, err = process.communicate(timeout=300)
        results.append(subprocess.CompletedProcess(args, process.returncode, out, err))
    return results


def ok(result: subprocess.CompletedProcess[str]) -> str:
    """The output of a command that must succeed."""
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    return result.stdout


def snapshot(database: Path) -> str:
    """Everything in the database that an exchange verb could change, as text."""
    with services_of(database) as services:
        return database_bytes(Installation(database, services))


def copy_database(source: Path, target: Path) -> Path:
    with sqlite3.connect(source) as reader, sqlite3.connect(target) as writer:
        reader.backup(writer)
    reader.close()
    writer.close()
    return target


def fingerprint_in(text: str) -> str:
    found = FINGERPRINT.findall(text)
    assert len(found) == 1, text
    return str(found[0])


def info(text: str) -> dict[str, str]:
    """The ``label:<TAB>value`` lines of ``bundle inspect``."""
    pairs = (line.strip().split(":\t", 1) for line in text.splitlines() if ":\t" in line)
    return {label: value for label, value in pairs}


@contextlib.contextmanager
def services_of(database: Path) -> Iterator[Services]:
    """The services over a database, as the desktop program would open them."""
    services = Services.open(database, actor="Test User")
    try:
        yield services
    finally:
        services.close()


def notes_of(database: Path, record_id: str) -> str:
    with services_of(database) as services:
        return services.organisations.get(record_id).notes


def change_notes(database: Path, record_id: str, notes: str) -> None:
    """Edit an organisation's notes as a user of that installation would."""
    with services_of(database) as services:
        services.organisations.change(record_id, notes=notes)


def new_organisation(database: Path, name: str) -> str:
    with services_of(database) as services:
        return add_organisation(Installation(database, services), name)


def send(sender: Path, recipient: Path, bundle: Path) -> None:
    """A bundle from ``sender`` imported by ``recipient`` (through the services)."""
    with services_of(sender) as services, services_of(recipient) as other:
        services.sync.export_bundle(other.installation.this_node().name, bundle)
        other.sync.import_bundle(bundle)


@dataclass(frozen=True)
class Made:
    """Three installations just made with ``init``, and their enrolment files."""

    folder: Path
    init: dict[str, subprocess.CompletedProcess[str]]
    enrolment: dict[str, subprocess.CompletedProcess[str]]

    def database(self, name: str) -> Path:
        return database_in(self.folder, name)

    def enrolment_file(self, name: str) -> Path:
        return self.folder / f"{name.split()[-1].lower()}.rcenrol"


def database_in(folder: Path, name: str) -> Path:
    """Where the tests keep the database of installation ``name`` in ``folder``."""
    return folder / f"{name.split()[-1].lower()}.sqlite"


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> Made:
    """``init`` the three installations, then ``enrol export`` each (both steps run at once)."""
    folder = tmp_path_factory.mktemp("made")
    names = (OFFICE, LAPTOP, SECRETARIAT)
    inits = run_together(
        ["init", "--db", database_in(folder, OFFICE), "--centre", CENTRE, "--name", OFFICE],
        ["init", "--db", database_in(folder, LAPTOP), "--centre", CENTRE, "--name", LAPTOP],
        ["init", "--db", database_in(folder, SECRETARIAT), "--secretariat", "--name", SECRETARIAT],
    )
    made = Made(folder, dict(zip(names, inits, strict=True)), {})
    steps: list[list[str | Path]] = [
        ["enrol", "export", "--db", made.database(n), "--out", made.enrolment_file(n)]
        for n in names
    ]
    made.enrolment.update(zip(names, run_together(*steps), strict=True))
    return made


@dataclass(frozen=True)
class Site:
    """Fresh copies of the three databases for one test."""

    made: Made
    office: Path
    laptop: Path
    secretariat: Path

    def enrolment_file(self, name: str) -> Path:
        return self.made.enrolment_file(name)


def copies(made: Made, folder: Path, source: Path | None = None) -> Site:
    source = source or made.folder
    paths = [
        copy_database(source / made.database(n).name, folder / made.database(n).name)
        for n in (OFFICE, LAPTOP, SECRETARIAT)
    ]
    return Site(made, *paths)


@pytest.fixture
def fresh(made: Made, tmp_path: Path) -> Site:
    """The three installations as ``init`` left them (nobody enrolled)."""
    return copies(made, tmp_path)


@pytest.fixture(scope="module")
def enrolled_template(made: Made, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder with copies of the three databases; the office and laptop enrolled both ways."""
    folder = tmp_path_factory.mktemp("enrolled")
    site = copies(made, folder)
    for result in run_together(
        ["enrol", "import", "--db", site.office, "--yes", made.enrolment_file(LAPTOP)],
        ["enrol", "import", "--db", site.laptop, "--yes", made.enrolment_file(OFFICE)],
    ):
        ok(result)
    return folder


@pytest.fixture
def enrolled(made: Made, enrolled_template: Path, tmp_path: Path) -> Site:
    """The office and the laptop, each enrolled with the other; a folder for bundles."""
    (tmp_path / "usb").mkdir()
    return copies(made, tmp_path, enrolled_template)


def test_init_and_enrol_export_show_who_and_the_fingerprint(made: Made) -> None:
    """``init`` says what it made; ``enrol export`` writes the file and prints the fingerprint."""
    assert all(ok(result) for result in made.init.values())
    assert ok(made.init[OFFICE]).startswith(f"Created {made.database(OFFICE)} for {OFFICE} (")
    assert f"{OFFICE} ({CENTRE})" in ok(made.init[OFFICE])
    assert f"{SECRETARIAT} (the secretariat)" in ok(made.init[SECRETARIAT])
    prints = {}
    for name, result in made.enrolment.items():
        out = ok(result)
        assert f"Wrote {made.enrolment_file(name)} for {name}." in out
        assert re.search(r"Fingerprint to read out: " + FINGERPRINT.pattern + r"$", out, re.M)
        prints[name] = fingerprint_in(out)
        assert made.enrolment_file(name).stat().st_size > 0
    assert len(set(prints.values())) == 3
    keys = ok(run("keys", "--db", made.database(OFFICE)))
    assert keys.strip() == f"Fingerprint: {prints[OFFICE]}"


def test_enrol_import_waits_for_the_fingerprint_to_be_confirmed(fresh: Site) -> None:
    """Without ``--yes`` and no terminal to ask on, nothing is enrolled; with it, the peer is."""
    office_print = fingerprint_in(fresh.made.enrolment[OFFICE].stdout)
    before = snapshot(fresh.laptop)
    refused = run("enrol", "import", "--db", fresh.laptop, fresh.enrolment_file(OFFICE))
    assert_refused(refused, office_print, OFFICE, "--yes")
    assert ok(run("peers", "--db", fresh.laptop)) == ""
    assert snapshot(fresh.laptop) == before

    enrolled = ok(
        run("enrol", "import", "--db", fresh.laptop, "--yes", fresh.enrolment_file(OFFICE))
    )
    assert enrolled.strip() == f"Enrolled {OFFICE} ({CENTRE}), fingerprint {office_print}."
    geneva_print = fingerprint_in(fresh.made.enrolment[SECRETARIAT].stdout)
    enrolled = ok(
        run("enrol", "import", "--db", fresh.laptop, "--yes", fresh.enrolment_file(SECRETARIAT))
    )
    assert enrolled.strip() == (
        f"Enrolled {SECRETARIAT} (the secretariat), fingerprint {geneva_print}."
    )
    lines = [line.split("\t") for line in ok(run("peers", "--db", fresh.laptop)).splitlines()]
    assert [line[:4] for line in lines] == [
        [OFFICE, CENTRE, office_print, "trusted"],
        [SECRETARIAT, "secretariat", geneva_print, "trusted"],
    ]
    assert lines[0][4] == "sent 0, received 0, pending 0"


def test_a_bundle_is_inspected_tried_imported_and_not_applied_twice(enrolled: Site) -> None:
    """``bundle export``, ``inspect``, ``import --dry-run``, ``import``, and ``import`` again."""
    with services_of(enrolled.office) as services:
        generate(services, "small")
    bundle = enrolled.office.parent / "usb" / "to-laptop.rcbundle"
    wrote = ok(run("bundle", "export", "--db", enrolled.office, "--to", LAPTOP, "--out", bundle))
    assert re.fullmatch(
        rf"Wrote bundle 1 for {LAPTOP} to {re.escape(str(bundle))}: \d+ records\.\n", wrote
    )
    assert bundle.is_file()

    shown = info(ok(run("bundle", "inspect", bundle, "--db", enrolled.laptop)))
    assert shown["from"] == f"{OFFICE} ({CENTRE})"
    assert shown["to"] == f"{LAPTOP} ({CENTRE})"
    assert shown["number"] == "1"
    assert shown["encrypted"] == "yes"
    assert shown["signature"] == "valid"
    assert shown["organisation"] == "210" and shown["participation"] == "1500"

    before = snapshot(enrolled.laptop)  # the dump, the peers and the conflict log
    tried = ok(run("bundle", "import", "--db", enrolled.laptop, "--dry-run", bundle))
    assert tried.startswith(f"Dry run of bundle 1 from {OFFICE}; nothing was changed:")
    assert "organisation: 210 added, 0 updated, 0 deleted, 0 refused" in tried
    assert "participation: 1500 added" in tried
    assert snapshot(enrolled.laptop) == before

    imported = ok(run("bundle", "import", "--db", enrolled.laptop, bundle))
    assert imported.startswith(f"Imported bundle 1 from {OFFICE}:")
    assert "organisation: 210 added, 0 updated, 0 deleted, 0 refused" in imported
    assert "Conflicts logged: 0" in imported
    after, sent = run_together(["dump", "--db", enrolled.laptop], ["dump", "--db", enrolled.office])
    assert ok(after) == ok(sent)
    assert snapshot(enrolled.laptop) != before

    state = snapshot(enrolled.laptop)
    again = ok(run("bundle", "import", "--db", enrolled.laptop, bundle))
    assert again.strip() == f"Bundle 1 from {OFFICE} was imported before; nothing changed."
    assert snapshot(enrolled.laptop) == state


def test_a_value_lost_to_a_concurrent_edit_can_be_brought_back(enrolled: Site) -> None:
    """Both sides edit the same notes; ``conflicts`` lists the loser; ``--restore`` brings it back."""
    usb = enrolled.office.parent / "usb"
    record = new_organisation(enrolled.office, "Ecobat Recyclage")
    send(enrolled.office, enrolled.laptop, usb / "1.rcbundle")
    assert notes_of(enrolled.laptop, record) == ""

    change_notes(enrolled.office, record, "Visit planned for May.")
    change_notes(enrolled.laptop, record, "Visited in March: batteries stored outside.")
    ok(
        run(
            "bundle", "export", "--db", enrolled.office, "--to", LAPTOP, "--out", usb / "2.rcbundle"
        )
    )
    imported = ok(run("bundle", "import", "--db", enrolled.laptop, usb / "2.rcbundle"))
    assert "Conflicts logged: 1" in imported
    assert notes_of(enrolled.laptop, record) == "Visited in March: batteries stored outside."

    listed = ok(run("conflicts", "--db", enrolled.laptop)).splitlines()
    assert len(listed) == 1
    conflict_id, what, field, lost, kept, state = listed[0].split("\t")
    assert what == f"organisation/{record}"
    assert field == "notes"
    assert lost.startswith("lost 'Visit planned for May.' (")
    assert kept.startswith("kept 'Visited in March: batteries stored outside.' (")
    assert state == "open"

    restored = ok(run("conflicts", "--db", enrolled.laptop, "--restore", conflict_id))
    assert restored.strip() == f"Conflict {conflict_id}: the lost value was restored."
    assert notes_of(enrolled.laptop, record) == "Visit planned for May."
    assert ok(run("conflicts", "--db", enrolled.laptop)) == ""
    settled = ok(run("conflicts", "--db", enrolled.laptop, "--all")).splitlines()
    assert [line.split("\t")[0] for line in settled] == [conflict_id]
    assert settled[0].endswith("\trestored")

    state_now = snapshot(enrolled.laptop)
    assert_refused(
        run("conflicts", "--db", enrolled.laptop, "--restore", conflict_id), "already settled"
    )
    assert snapshot(enrolled.laptop) == state_now


def test_a_revoked_peers_bundle_is_refused(enrolled: Site) -> None:
    """After ``peers --revoke``, that peer's bundles are refused and nothing is sent to it."""
    usb = enrolled.office.parent / "usb"
    new_organisation(enrolled.office, "Ecobat Recyclage")
    bundle = usb / "to-laptop.rcbundle"
    with services_of(enrolled.office) as services:
        services.sync.export_bundle(LAPTOP, bundle)

    revoked = ok(run("peers", "--db", enrolled.laptop, "--revoke", OFFICE))
    assert revoked.splitlines()[0] == f"Revoked the key of {OFFICE}."
    assert revoked.splitlines()[1].split("\t")[3] == "revoked"
    state = snapshot(enrolled.laptop)
    assert_refused(run("bundle", "import", "--db", enrolled.laptop, bundle), "revoked", OFFICE)
    assert_refused(
        run("bundle", "export", "--db", enrolled.laptop, "--to", OFFICE, "--out", usb / "x"),
        "revoked",
    )
    assert not (usb / "x").exists()
    assert snapshot(enrolled.laptop) == state


def _damaged(enrolment: Path, folder: Path) -> Path:
    data = bytearray(enrolment.read_bytes())
    data[len(data) // 2] ^= 0x01
    target = folder / "damaged.rcenrol"
    target.write_bytes(bytes(data))
    return target


def _truncated(enrolment: Path, folder: Path) -> Path:
    target = folder / "truncated.rcenrol"
    target.write_bytes(enrolment.read_bytes()[:150])
    return target


def _not_a_bundle(folder: Path) -> Path:
    target = folder / "minutes.rcbundle"
    target.write_text("Minutes of the meeting of 3 March\n" * 50)
    return target


BAD_INPUTS: dict[str, tuple[str, Any, tuple[str, ...]]] = {
    # name: (database that must stay unchanged, arguments from the site, words in the message)
    "unknown peer": (
        "office",
        lambda s, f: ["bundle", "export", "--db", s.office, "--to", "Nobody", "--out", f / "b"],
        ("Nobody",),
    ),
    "missing bundle": (
        "laptop",
        lambda s, f: ["bundle", "import", "--db", s.laptop, f / "absent.rcbundle"],
        ("absent.rcbundle",),
    ),
    "missing bundle inspected": (
        "laptop",
        lambda s, f: ["bundle", "inspect", f / "absent.rcbundle", "--db", s.laptop],
        ("absent.rcbundle",),
    ),
    "not a bundle": (
        "laptop",
        lambda s, f: ["bundle", "import", "--db", s.laptop, _not_a_bundle(f)],
        ("not a Regional Centre bundle",),
    ),
    "not a bundle inspected": (
        "laptop",
        lambda s, f: ["bundle", "inspect", _not_a_bundle(f), "--db", s.laptop],
        ("not a Regional Centre bundle",),
    ),
    "missing output folder": (
        "office",
        lambda s, f: [
            "bundle",
            "export",
            "--db",
            s.office,
            "--to",
            LAPTOP,
            "--out",
            f / "nowhere" / "b",
        ],
        ("nowhere",),
    ),
    "missing enrolment folder": (
        "office",
        lambda s, f: ["enrol", "export", "--db", s.office, "--out", f / "nowhere" / "e"],
        ("nowhere",),
    ),
    "damaged enrolment": (
        "secretariat",
        lambda s, f: [
            "enrol",
            "import",
            "--db",
            s.secretariat,
            "--yes",
            _damaged(s.enrolment_file(OFFICE), f),
        ],
        ("enrolment",),
    ),
    "truncated enrolment": (
        "secretariat",
        lambda s, f: [
            "enrol",
            "import",
            "--db",
            s.secretariat,
            "--yes",
            _truncated(s.enrolment_file(OFFICE), f),
        ],
        ("damaged",),
    ),
    "own enrolment": (
        "office",
        lambda s, f: ["enrol", "import", "--db", s.office, "--yes", s.enrolment_file(OFFICE)],
        ("own enrolment file",),
    ),
    "unknown conflict": (
        "laptop",
        lambda s, f: ["conflicts", "--db", s.laptop, "--restore", "no-such-conflict"],
        ("no-such-conflict",),
    ),
}


@pytest.mark.parametrize("case", sorted(BAD_INPUTS))
def test_a_bad_input_is_one_line_and_changes_nothing(case: str, enrolled: Site) -> None:
    """Each bad input: one line on stderr, non-zero exit, no traceback, database as it was."""
    which, arguments, words = BAD_INPUTS[case]
    database: Path = getattr(enrolled, which)
    folder = enrolled.office.parent / "usb"
    before = snapshot(database)
    args = arguments(enrolled, folder)  # writes the bad file, if the case has one
    files = sorted(folder.rglob("*"))
    assert_refused(run(*args), *words)
    assert snapshot(database) == before
    assert sorted(folder.rglob("*")) == files  # no bundle, no enrolment file, no leftovers
