"""Installations that exchange bundles, for the sync tests."""

from __future__ import annotations

import io
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from regional_centre.enums import Gender, StakeholderType
from regional_centre.services import Services
from regional_centre.services.organisations import ContactDraft, OrganisationDraft

CENTRE = "BCRC-SN"


@dataclass
class Installation:
    """One installation under test: its database file and its services."""

    path: Path
    services: Services

    @property
    def name(self) -> str:
        return self.services.installation.this_node().name

    def reopen(self) -> None:
        self.services.close()
        self.services = Services.open(self.path, actor="Test User")


def new_installation(folder: Path, name: str, centre: str | None = CENTRE) -> Installation:
    """A new database set up as installation ``name`` of ``centre`` (None: the secretariat)."""
    path = folder / f"{name.replace(' ', '_').lower()}.sqlite"
    services = Services.open(path, create=True, actor=f"User of {name}")
    services.installation.initialise(node_name=name, centre_code=centre)
    return Installation(path, services)


def enrol(first: Installation, second: Installation) -> None:
    """Each installation trusts the other's keys (as after comparing fingerprints)."""
    first.services.sync.enrol(first.services.sync.read_enrolment(second.services.sync.enrolment()))
    second.services.sync.enrol(second.services.sync.read_enrolment(first.services.sync.enrolment()))


def send(sender: Installation, recipient: Installation, folder: Path, **options: Any) -> Path:
    """Export a bundle from ``sender`` for ``recipient``; return its path."""
    number = len(list(folder.glob("*.rcbundle"))) + 1
    path = folder / f"{number:03d}-{sender.name}-to-{recipient.name}.rcbundle".replace(" ", "_")
    sender.services.sync.export_bundle(recipient.name, path, **options)
    return path


def exchange(first: Installation, second: Installation, folder: Path) -> None:
    """One bundle each way, each imported at once."""
    second.services.sync.import_bundle(send(first, second, folder))
    first.services.sync.import_bundle(send(second, first, folder))


def dump(installation: Installation) -> str:
    """The canonical dump of an installation's synced records."""
    out = io.StringIO()
    installation.services.maintenance.dump(out)
    return out.getvalue()


def add_organisation(
    installation: Installation, name: str = "Ecobat Recyclage", **fields: Any
) -> str:
    """Create a national company in Senegal; return its id."""
    values: dict[str, Any] = {
        "name": name,
        "stakeholder_type": StakeholderType.NATIONAL_COMPANY,
        "country": "SN",
        **fields,
    }
    return installation.services.organisations.create(OrganisationDraft(**values)).id


def add_contact(installation: Installation, organisation_id: str | None, **fields: Any) -> str:
    """Create a person in Senegal (of ``organisation_id``); return the id."""
    values: dict[str, Any] = {
        "given_name": "Awa",
        "family_name": "Diop",
        "gender": Gender.FEMALE,
        "country": "SN",
        "organisation_id": organisation_id,
        "email": "awa.diop@example.org",
        "phone": "+221 77 000 00 00",
        **fields,
    }
    return installation.services.contacts.create(ContactDraft(**values)).id


@pytest.fixture
def office(tmp_path: Path) -> Iterator[Installation]:
    """The Dakar centre's office installation, empty."""
    installation = new_installation(tmp_path, "Dakar office")
    yield installation
    installation.services.close()


@pytest.fixture
def laptop(tmp_path: Path, office: Installation) -> Iterator[Installation]:
    """A field laptop of the same centre, enrolled with the office both ways."""
    installation = new_installation(tmp_path, "Field laptop")
    enrol(office, installation)
    yield installation
    installation.services.close()


@pytest.fixture
def outbox(tmp_path: Path) -> Path:
    """A folder for bundles (the USB stick)."""
    folder = tmp_path / "bundles"
    folder.mkdir()
    return folder


def database_bytes(installation: Installation) -> str:
    """Everything in an installation's database that an import could change, as text."""
    text = dump(installation)
    peers = [
        (p.name, p.sent_bundles, p.received_bundles, p.revoked)
        for p in installation.services.sync.peers()
    ]
    conflicts = installation.services.sync.conflicts(include_resolved=True)
    return f"{text}\n{peers}\n{len(conflicts)}"


def copy_file(source: Path, target: Path) -> Path:
    shutil.copyfile(source, target)
    return target
