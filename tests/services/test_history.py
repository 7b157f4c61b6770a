"""A record's history as readable sentences, and the field names they use."""

from __future__ import annotations

import dataclasses
import datetime as dt
import typing
from typing import Any

import pytest
from babel import Locale
from babel.dates import format_date

from regional_centre.enums import AuditAction, Choice, EngagementStage
from regional_centre.services import Services
from regional_centre.services.fields import (
    ENTITY_LABELS,
    FIELD_LABELS,
    FIELD_VALUES,
    ValueKind,
    entity_label,
    field_label,
    value_format,
)
from regional_centre.services.history import HistoryLine, shorten
from regional_centre.services.records import RecordService
from tests.services.test_organisations import contact_draft, organisation_draft
from tests.services.test_training import new_person, new_session


def long_date(line: HistoryLine, language: str = "en") -> str:
    """The date of ``line`` as its text should write it."""
    return format_date(line.at.date(), format="long", locale=language)


def country(code: str, language: str = "en") -> str:
    return str(Locale.parse(language).territories[code])


def test_a_stage_change_reads_as_a_sentence(services: Services) -> None:
    created = services.organisations.create(organisation_draft())
    services.organisations.change(created.id, engagement_stage=EngagementStage.DIALOGUE)
    services.organisations.change(created.id, engagement_stage=EngagementStage.PARTNERSHIP)

    lines = services.history.describe(created.id)

    assert [line.text for line in lines] == [
        f"Test User created this organisation on {long_date(lines[0])}",
        f"Test User changed Stage from Identified to Scoping dialogue on {long_date(lines[1])}",
        "Test User changed Stage from Scoping dialogue to Strategic partnership"
        f" on {long_date(lines[2])}",
    ]
    assert all(line.actor == "Test User" for line in lines)
    assert [line.at for line in lines] == sorted(line.at for line in lines)


def test_the_date_is_the_day_of_the_change(services: Services) -> None:
    before = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    created = services.organisations.create(organisation_draft())
    after = dt.datetime.now(dt.UTC).replace(tzinfo=None)

    (line,) = services.history.describe(created.id)

    assert before - dt.timedelta(seconds=1) <= line.at <= after + dt.timedelta(seconds=1)
    assert line.text.endswith(" on " + long_date(line))


def test_one_line_per_changed_field_in_form_order(services: Services) -> None:
    created = services.organisations.create(organisation_draft())
    services.organisations.change(
        created.id, notes="Met at the fair", city="Thiès", name="Ecobat SA"
    )

    lines = services.history.describe(created.id)[1:]

    date = long_date(lines[0])
    assert [line.text for line in lines] == [
        f"Test User changed Name from Ecobat Recyclage to Ecobat SA on {date}",
        f"Test User set City to Thiès on {date}",
        f"Test User set Notes to Met at the fair on {date}",
    ]


def test_countries_are_named(services: Services) -> None:
    created = services.organisations.create(organisation_draft(country="SN"))
    services.organisations.change(created.id, country="ML")

    line = services.history.describe(created.id)[-1]

    assert line.text == (
        f"Test User changed Country from {country('SN')} to {country('ML')} on {long_date(line)}"
    )
    assert "Senegal" in line.text


def test_codes_are_shown_by_their_titles(services: Services) -> None:
    created = services.organisations.create(organisation_draft())
    services.organisations.change(created.id, waste_streams=("e_waste", "Y8"), sector="C")

    lines = services.history.describe(created.id)[1:]

    waste = services.reference.codes("waste_stream")["e_waste"].title
    oils = services.reference.codes("basel_code")["Y8"].title
    sector = services.reference.codes("isic")["C"].title
    date = long_date(lines[0])
    assert [line.text for line in lines] == [
        f"Test User set Sector to {sector} on {date}",
        f"Test User set Waste streams to {oils}, {waste} on {date}",
    ]


def test_a_person_s_organisation_is_named(services: Services) -> None:
    first = services.organisations.create(organisation_draft(name="Ecobat Recyclage"))
    second = services.organisations.create(organisation_draft(name="Sococim Industries"))
    person = services.contacts.create(contact_draft())
    services.contacts.change(person.id, organisation_id=first.id)
    services.contacts.change(person.id, organisation_id=second.id)
    services.organisations.delete(first.id)

    lines = services.history.describe(person.id)[1:]

    date = long_date(lines[0])
    assert [line.text for line in lines] == [
        f"Test User set Organisation to Ecobat Recyclage on {date}",
        f"Test User changed Organisation from Ecobat Recyclage to Sococim Industries on {date}",
    ]


def test_a_registration_s_history(services: Services) -> None:
    session = new_session(services)
    person = new_person(services, "Ndiaye")
    registered = services.participations.register(session.id, person)
    services.participations.mark_attendance(registered.id, "2027-03-02", True)

    created, attended = services.history.describe(registered.id)

    assert created.text == f"Test User created this participation on {long_date(created)}"
    day = format_date(dt.date(2027, 3, 2), format="long", locale="en")
    assert attended.text == f"Test User set Days attended to {day} on {long_date(attended)}"


def test_an_unknown_reference_is_shown_by_its_id(services: Services) -> None:
    person = services.contacts.create(contact_draft())
    with services.context.write() as change:  # as a sync from a node that knew more might
        change.audit("contact", person.id, AuditAction.UPDATE, {"organisation_id": [None, "x-1"]})

    line = services.history.describe(person.id)[-1]

    assert line.text == f"Test User set Organisation to x-1 on {long_date(line)}"
    assert services.history.describe("no-such-record") == []


def test_clearing_and_long_texts(services: Services) -> None:
    created = services.organisations.create(organisation_draft())
    notes = "Visited the battery recycling plant;\nagreed to share data on lead emissions " * 3
    services.organisations.change(created.id, notes=notes)
    services.organisations.change(created.id, notes="")

    set_line, cleared = services.history.describe(created.id)[1:]

    shown = shorten(notes)
    assert len(shown) == 60 and shown.endswith("…") and "\n" not in shown
    assert set_line.text == f"Test User set Notes to {shown} on {long_date(set_line)}"
    assert cleared.text == f"Test User cleared Notes on {long_date(cleared)}"


def test_deleting_and_restoring(services: Services) -> None:
    created = services.organisations.create(organisation_draft())
    services.organisations.delete(created.id)
    services.organisations.restore(created.id)

    deleted, restored = services.history.describe(created.id)[1:]

    assert deleted.text == f"Test User deleted this organisation on {long_date(deleted)}"
    assert restored.text == f"Test User restored this organisation on {long_date(restored)}"


def test_session_values_are_readable(services: Services) -> None:
    session = new_session(services)
    services.sessions.change(
        session.id, days=("2027-03-01", "2027-03-02", "2027-03-03"), hours_per_day=7
    )

    lines = {
        line.text.split(" from ")[0]: line for line in services.history.describe(session.id)[1:]
    }

    first, second, third = (
        format_date(dt.date(2027, 3, day), format="long", locale="en") for day in (1, 2, 3)
    )
    days = lines["Test User changed Days"]
    assert f"from {first}; {second} to {first}; {second}; {third} on" in days.text
    assert "from 6 to 7 on" in lines["Test User changed Hours per day"].text


def test_french_dates_and_names(services: Services) -> None:
    created = services.organisations.create(organisation_draft(country="SN"))
    services.organisations.change(created.id, country="ML")

    english = services.history.describe(created.id)[-1]
    french = services.history.describe(created.id, language="fr")[-1]

    assert french.text == (
        f"Test User changed Country from {country('SN', 'fr')} to {country('ML', 'fr')}"
        f" on {long_date(french, 'fr')}"
    )
    assert "Sénégal" in french.text
    assert long_date(french, "fr") != long_date(english)
    assert french.text != english.text


def test_labels_fall_back_to_the_field_name() -> None:
    assert field_label("organisation", "engagement_stage") == "Stage"
    assert field_label("organisation", "no_such_field") == "no such field"
    assert entity_label("dialogue_participant") == "Dialogue participant"
    assert entity_label("no_such_thing") == "no such thing"
    assert value_format("organisation", "website").kind is ValueKind.TEXT


# Every service, by its entity, found through the base class.


def record_services() -> list[type[RecordService[Any, Any]]]:
    found: list[type[RecordService[Any, Any]]] = []
    pending = list(RecordService.__subclasses__())
    while pending:
        service = pending.pop()
        pending.extend(service.__subclasses__())
        if "entity" in vars(service):
            found.append(service)
    return found


SERVICES = sorted(record_services(), key=lambda s: s.entity)


def test_every_service_is_found() -> None:
    assert len(SERVICES) >= 15
    assert {s.entity for s in SERVICES} >= {"organisation", "dialogue_participant", "certificate"}


@pytest.mark.parametrize("service", SERVICES, ids=lambda s: s.entity)
def test_every_draft_field_has_a_label(service: type[RecordService[Any, Any]]) -> None:
    drafted = {f.name for f in dataclasses.fields(service.draft_type)}
    assert service.entity in ENTITY_LABELS
    assert drafted - FIELD_LABELS.get(service.entity, {}).keys() == set()


@pytest.mark.parametrize("service", SERVICES, ids=lambda s: s.entity)
def test_every_field_value_rule_names_a_labelled_field(
    service: type[RecordService[Any, Any]],
) -> None:
    assert FIELD_VALUES[service.entity].keys() <= FIELD_LABELS[service.entity].keys()


@pytest.mark.parametrize("service", SERVICES, ids=lambda s: s.entity)
def test_references_name_the_entity_of_the_linked_model(
    service: type[RecordService[Any, Any]],
) -> None:
    entity_of = {s.model: s.entity for s in SERVICES}
    for field, model in service.references.items():
        shown = value_format(service.entity, field)
        assert (shown.kind, shown.entity) == (ValueKind.REFERENCE, entity_of[model]), field


@pytest.mark.parametrize("service", SERVICES, ids=lambda s: s.entity)
def test_typed_fields_are_shown_by_their_type(service: type[RecordService[Any, Any]]) -> None:
    hints = typing.get_type_hints(service.draft_type)
    for field in dataclasses.fields(service.draft_type):
        types = set(typing.get_args(hints[field.name])) or {hints[field.name]}
        shown = value_format(service.entity, field.name)
        choices = [t for t in types if isinstance(t, type) and issubclass(t, Choice)]
        if choices:
            assert (shown.kind, shown.choices) == (ValueKind.CHOICE, choices[0]), field.name
        elif dt.date in types:
            assert shown.kind is ValueKind.DATE, field.name
        elif types & {int, float} or any(getattr(t, "__name__", "") == "Decimal" for t in types):
            assert shown.kind is ValueKind.NUMBER, field.name
