"""Organisations and their contacts: what is stored, what is refused, what deleting does."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from typing import Any

import pytest

from regional_centre.db.models import Organisation
from regional_centre.enums import AuditAction, DialogueFormat, Gender, SizeClass, StakeholderType
from regional_centre.i18n import set_language
from regional_centre.services import Services
from regional_centre.services.engagement import DialogueDraft, DialogueParticipantDraft
from regional_centre.services.errors import NotFound, ValidationError
from regional_centre.services.organisations import ContactDraft, OrganisationDraft
from regional_centre.services.records import RecordService


def organisation_draft(**fields: Any) -> OrganisationDraft:
    """A valid national company in Senegal, with ``fields`` changed."""
    values: dict[str, Any] = {
        "name": "Ecobat Recyclage",
        "stakeholder_type": StakeholderType.NATIONAL_COMPANY,
        "country": "SN",
    }
    return OrganisationDraft(**{**values, **fields})


def sme_draft(size_class: Any = SizeClass.SMALL, employees: int | None = 20) -> OrganisationDraft:
    return organisation_draft(
        name="Atelier Ndiaye",
        stakeholder_type=StakeholderType.SME,
        size_class=size_class,
        employees=employees,
    )


def contact_draft(**fields: Any) -> ContactDraft:
    """A valid person in Senegal, with ``fields`` changed."""
    values: dict[str, Any] = {
        "given_name": "Awa",
        "family_name": "Diop",
        "gender": Gender.FEMALE,
        "country": "SN",
    }
    return ContactDraft(**{**values, **fields})


def assert_refused(service: RecordService[Any, Any], field: str, write: Callable[[], Any]) -> str:
    """``write`` raises a ValidationError naming ``field`` and ``service`` has no more records.

    Returns the message shown for ``field``.
    """
    before = service.count()
    with pytest.raises(ValidationError) as error:
        write()
    assert field in error.value.messages(), error.value.messages()
    assert service.count() == before
    return error.value.messages()[field]


def assert_create_refused(service: RecordService[Any, Any], draft: Any, field: str) -> str:
    """Creating ``draft`` is refused for ``field`` and writes nothing."""
    return assert_refused(service, field, lambda: service.create(draft))


def test_create_normalises_what_the_user_typed(services: Services) -> None:
    created = services.organisations.create(
        organisation_draft(name="  Ecobat ", country="sn", waste_streams=("e_waste", "Y8", "Y8"))
    )
    stored = services.organisations.get(created.id)
    assert stored == created
    assert (stored.name, stored.country) == ("Ecobat", "SN")
    assert stored.waste_streams == ("Y8", "e_waste")


@pytest.mark.parametrize(
    ("draft", "field"),
    [
        pytest.param(organisation_draft(name="   "), "name", id="blank-name"),
        pytest.param(organisation_draft(country="XX"), "country", id="unknown-country"),
        pytest.param(organisation_draft(waste_streams=("Y8", "Y999")), "waste_streams", id="waste"),
        pytest.param(organisation_draft(sector="Z9"), "sector", id="unknown-isic-sector"),
        pytest.param(organisation_draft(email="info.ecobat.sn"), "email", id="bad-email"),
        pytest.param(sme_draft(size_class=None), "size_class", id="sme-without-size"),
        pytest.param(organisation_draft(size_class="micro"), "size_class", id="non-sme-with-size"),
        # A size class that is not one of the choices must be shown, not crash the program.
        pytest.param(sme_draft("giant", 5), "size_class", id="unknown-size-class"),
    ],
)
def test_invalid_organisation_is_refused(
    services: Services, draft: OrganisationDraft, field: str
) -> None:
    assert_create_refused(services.organisations, draft, field)


@pytest.mark.parametrize(
    ("size_class", "employees"),
    [
        (SizeClass.MICRO, 0),
        (SizeClass.MICRO, 10),
        (SizeClass.SMALL, 9),
        (SizeClass.SMALL, 50),
        (SizeClass.MEDIUM, 49),
        (SizeClass.MEDIUM, 250),
    ],
)
def test_sme_employees_outside_the_size_band_are_refused(
    services: Services, size_class: SizeClass, employees: int
) -> None:
    draft = sme_draft(size_class, employees)
    message = assert_create_refused(services.organisations, draft, "employees")
    assert size_class.label().lower() in message


def test_sme_employees_at_the_band_limits_are_accepted(services: Services) -> None:
    limits = {"micro": (1, 9), "small": (10, 49), "medium": (50, 249)}
    for size, band in limits.items():
        for employees in band:
            created = services.organisations.create(sme_draft(size, employees))
            assert services.organisations.get(created.id).employees == employees
    assert services.organisations.count() == 6


def test_update_stamps_only_the_changed_fields_and_is_audited(services: Services) -> None:
    created = services.organisations.create(organisation_draft(city="Dakar"))
    services.organisations.change(created.id, city="Thiès", name=" Ecobat Recyclage ")

    assert services.organisations.get(created.id).city == "Thiès"
    with services.database.sessions() as session:
        row = session.get(Organisation, created.id)
        assert row is not None
        assert row.field_stamps.get("city") == row.stamp
        assert "name" not in row.field_stamps
        assert "country" not in row.field_stamps
    history = services.audit.history(created.id)
    assert [entry.action for entry in history] == [AuditAction.CREATE, AuditAction.UPDATE]
    assert history[-1].changes == {"city": ["Dakar", "Thiès"]}
    assert history[-1].actor == "Test User"


def test_invalid_update_keeps_the_old_values(services: Services) -> None:
    created = services.organisations.create(sme_draft(SizeClass.SMALL, 20))
    assert_refused(
        services.organisations,
        "employees",
        lambda: services.organisations.change(created.id, employees=500),
    )
    assert services.organisations.get(created.id) == created
    assert len(services.audit.history(created.id)) == 1


def test_organisation_in_use_cannot_be_deleted_until_its_contact_is(services: Services) -> None:
    kept = services.organisations.create(organisation_draft(name="Other"))
    created = services.organisations.create(organisation_draft())
    person = services.contacts.create(contact_draft(organisation_id=created.id))

    message = assert_refused(
        services.organisations, "id", lambda: services.organisations.delete(created.id)
    )
    assert message == "This record is still used by 1 contact; delete or change those first."
    assert services.organisations.get(created.id) == created

    services.contacts.delete(person.id)
    services.organisations.delete(created.id)

    with pytest.raises(NotFound):
        services.organisations.get(created.id)
    assert services.organisations.count() == 1
    assert services.organisations.ids() == [kept.id]
    with services.database.sessions() as session:
        row = session.get(Organisation, created.id)
        assert row is not None
        assert (row.deleted, row.name) == (True, "Ecobat Recyclage")
    assert services.audit.history(created.id)[-1].action == AuditAction.DELETE


def test_contact_is_stored_with_its_organisation(services: Services) -> None:
    company = services.organisations.create(organisation_draft())
    person = services.contacts.create(contact_draft(given_name=" Awa ", organisation_id=company.id))
    stored = services.contacts.get(person.id)
    assert (stored.organisation_id, stored.full_name) == (company.id, "Awa Diop")


def test_contact_needs_a_family_name(services: Services) -> None:
    assert_create_refused(services.contacts, contact_draft(family_name="  "), "family_name")


@pytest.mark.parametrize("which", ["random", "deleted"])
def test_contact_organisation_must_exist(services: Services, which: str) -> None:
    organisation_id = str(uuid.uuid4())
    if which == "deleted":
        organisation_id = services.organisations.create(organisation_draft()).id
        services.organisations.delete(organisation_id)
    draft = contact_draft(organisation_id=organisation_id)
    assert_create_refused(services.contacts, draft, "organisation_id")


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "This record is still used by 2 contacts and 1 dialogue participant;"),
        (
            "fr",
            "Cet enregistrement est encore utilisé par les éléments suivants\xa0: 2 contacts et "
            "1 participant à un dialogue\xa0;",
        ),
        (
            "ru",
            "На эту запись все еще ссылаются другие записи — 2 контактных лица и 1 участник диалога;",
        ),
        ("zh", "此记录仍被2条联系人记录和1个对话参与方使用；"),
    ],
)
def test_what_still_uses_a_record_is_counted_in_the_language(
    services: Services, language: str, expected: str
) -> None:
    company = services.organisations.create(organisation_draft())
    for given in ("Awa", "Moussa"):
        services.contacts.create(contact_draft(given_name=given, organisation_id=company.id))
    dialogue = services.dialogues.create(
        DialogueDraft(
            title="Scoping",
            held_on=dt.date(2026, 1, 10),
            format=DialogueFormat.MEETING,
            country="SN",
        )
    )
    services.dialogue_participants.create(
        DialogueParticipantDraft(dialogue_id=dialogue.id, organisation_id=company.id)
    )
    set_language(language)
    try:
        message = assert_refused(
            services.organisations, "id", lambda: services.organisations.delete(company.id)
        )
    finally:
        set_language("en")
    assert message.startswith(expected), message
