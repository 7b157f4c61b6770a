"""Training for SMEs: sessions, registrations, attendance, certificates and follow-ups."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from regional_centre.enums import RegistrationStatus, SizeClass
from regional_centre.services import Services, records
from regional_centre.services.errors import NotFound
from regional_centre.services.organisations import OrganisationDraft
from regional_centre.services.training import (
    ParticipationDraft,
    SmeFollowUpDraft,
    TrainingSessionDraft,
    TrainingSessionRecord,
)
from tests.services.test_organisations import (
    assert_create_refused,
    assert_refused,
    contact_draft,
    organisation_draft,
    sme_draft,
)

DAY_1, DAY_2 = "2027-03-01", "2027-03-02"


def session_draft(**fields: Any) -> TrainingSessionDraft:
    """A valid two-day session in Dakar, with ``fields`` changed."""
    values: dict[str, Any] = {
        "title": "Managing used lead-acid batteries",
        "format": "in_person",
        "days": (DAY_1, DAY_2),
        "hours_per_day": 6,
        "country": "SN",
        "language": "fr",
        "capacity": 20,
    }
    return TrainingSessionDraft(**{**values, **fields})


def new_session(services: Services, **fields: Any) -> TrainingSessionRecord:
    return services.sessions.create(session_draft(**fields))


def new_person(services: Services, family_name: str, organisation_id: str | None = None) -> str:
    """A new contact's id."""
    draft = contact_draft(family_name=family_name, organisation_id=organisation_id)
    return services.contacts.create(draft).id


def attendee(services: Services, session_id: str, *days: str, name: str = "Diop") -> str:
    """The participation id of a new person registered for the session who attended ``days``."""
    registered = services.participations.register(session_id, new_person(services, name))
    for day in days:
        services.participations.mark_attendance(registered.id, day, True)
    return registered.id


def registrations(session_id: str, people: list[str], **fields: Any) -> list[ParticipationDraft]:
    """Drafts registering ``people``; the second one also gets ``fields``."""
    return [
        ParticipationDraft(session_id=session_id, contact_id=p, **(fields if i == 1 else {}))
        for i, p in enumerate(people)
    ]


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        pytest.param({"days": ()}, "days", id="no-day"),
        pytest.param({"days": (DAY_1, "2027-02-30")}, "days", id="invalid-day"),
        pytest.param({"language": "xx"}, "language", id="unknown-language"),
        pytest.param({"capacity": 0}, "capacity", id="capacity-0"),
        pytest.param({"hours_per_day": 25}, "hours_per_day", id="25-hours"),
    ],
)
def test_invalid_session_is_refused(services: Services, fields: dict[str, Any], field: str) -> None:
    assert_create_refused(services.sessions, session_draft(**fields), field)


def test_first_day_is_the_earliest_day(services: Services) -> None:
    created = new_session(services, days=("2027-03-05", DAY_2, "2027-03-03", DAY_2))
    stored = services.sessions.get(created.id)
    assert stored.first_day == dt.date(2027, 3, 2)
    assert stored.days == (DAY_2, "2027-03-03", "2027-03-05")
    assert stored.total_hours == 18
    services.sessions.change(created.id, days=(*stored.days, DAY_1))
    assert services.sessions.get(created.id).first_day == dt.date(2027, 3, 1)


def test_a_full_session_refuses_a_seat_but_accepts_the_waiting_list(services: Services) -> None:
    training = new_session(services, capacity=1)
    services.participations.register(training.id, new_person(services, "Diop"))
    second = new_person(services, "Fall")

    message = assert_refused(
        services.participations,
        "registration_status",
        lambda: services.participations.register(training.id, second),
    )
    assert "waiting list" in message

    waiting = services.participations.register(
        training.id, second, status=RegistrationStatus.WAITLISTED
    )
    assert services.participations.count() == 2
    # Moving the person up from the waiting list takes a seat too.
    confirm = {"registration_status": RegistrationStatus.CONFIRMED}
    assert_refused(
        services.participations,
        "registration_status",
        lambda: services.participations.change(waiting.id, **confirm),
    )
    assert services.participations.get(waiting.id) == waiting


def test_the_same_person_cannot_register_twice(services: Services) -> None:
    training = new_session(services)
    person = new_person(services, "Diop")
    services.participations.register(training.id, person)
    message = assert_refused(
        services.participations, "id", lambda: services.participations.register(training.id, person)
    )
    assert "already registered" in message


def test_register_takes_the_organisation_from_the_contact(services: Services) -> None:
    company = services.organisations.create(sme_draft())
    training = new_session(services)
    person = new_person(services, "Diop", company.id)
    registered = services.participations.register(training.id, person)
    assert services.participations.get(registered.id).organisation_id == company.id


@pytest.mark.parametrize("how", ["mark_attendance", "change"])
def test_attendance_on_a_day_the_session_does_not_have_is_refused(
    services: Services, how: str
) -> None:
    training = new_session(services)
    registered = attendee(services, training.id, DAY_1)

    def write() -> None:
        if how == "mark_attendance":
            services.participations.mark_attendance(registered, "2027-03-09", True)
        else:
            services.participations.change(registered, days_attended=(DAY_1, "2027-03-09"))

    assert_refused(services.participations, "days_attended", write)
    assert services.participations.get(registered).days_attended == (DAY_1,)


def test_certificate_needs_the_attendance_threshold(services: Services) -> None:
    training = new_session(services, attendance_threshold=100)
    registered = attendee(services, training.id, DAY_1)
    message = assert_refused(
        services.certificates, "participation_id", lambda: services.certificates.issue(registered)
    )
    assert "1 of 2" in message

    services.participations.mark_attendance(registered, DAY_2, True)
    issued = services.certificates.issue(registered, issued_on=dt.date(2027, 3, 2))
    assert issued.number == "BCRC-SN-2027-000001"
    assert services.certificates.get(issued.id) == issued


def test_a_lower_threshold_lets_part_attendance_earn_a_certificate(services: Services) -> None:
    training = new_session(services, attendance_threshold=50)
    registered = attendee(services, training.id, DAY_2)
    assert services.certificates.issue(registered).participation_id == registered


def test_certificate_numbers_and_participations_are_unique(services: Services) -> None:
    training = new_session(services)
    first = attendee(services, training.id, DAY_1, DAY_2, name="Diop")
    second = attendee(services, training.id, DAY_1, DAY_2, name="Fall")
    services.certificates.issue(first, number="DKR-2027-7")

    assert_refused(
        services.certificates,
        "number",
        lambda: services.certificates.issue(second, number="DKR-2027-7"),
    )
    message = assert_refused(
        services.certificates, "id", lambda: services.certificates.issue(first)
    )
    assert "already issued" in message


def test_verify_finds_a_certificate_by_its_code(services: Services) -> None:
    training = new_session(services)
    issued = services.certificates.issue(attendee(services, training.id, DAY_1, DAY_2))
    code = issued.verification_code

    assert services.certificates.verify(code) == issued
    assert services.certificates.verify(f"  {code.lower()} ") == issued
    assert services.certificates.verify(code.replace("-", " - ")) == issued
    assert services.certificates.verify(code.replace("-", "")) == issued  # typed without dashes
    with pytest.raises(NotFound):
        services.certificates.verify("0000-0000-0000")  # codes never contain 0


def test_capacity_cannot_drop_below_the_people_registered(services: Services) -> None:
    training = new_session(services, capacity=3)
    attendee(services, training.id, name="Diop")
    attendee(services, training.id, name="Fall")

    assert_refused(
        services.sessions, "capacity", lambda: services.sessions.change(training.id, capacity=1)
    )
    assert services.sessions.get(training.id).capacity == 3
    assert services.sessions.change(training.id, capacity=2).capacity == 2


def test_a_day_with_attendance_cannot_be_removed(services: Services) -> None:
    training = new_session(services)
    attendee(services, training.id, DAY_2)

    assert_refused(
        services.sessions, "days", lambda: services.sessions.change(training.id, days=(DAY_1,))
    )
    assert services.sessions.get(training.id).days == (DAY_1, DAY_2)
    assert services.sessions.change(training.id, days=(DAY_2,)).first_day == dt.date(2027, 3, 2)


def test_a_session_with_a_certificate_cannot_be_deleted(services: Services) -> None:
    training = new_session(services)
    registered = attendee(services, training.id, DAY_1, DAY_2)
    services.certificates.issue(registered)

    message = assert_refused(services.sessions, "id", lambda: services.sessions.delete(training.id))
    assert message == "This record is still used by 1 certificate; delete or change those first."
    assert services.sessions.get(training.id) == training
    assert services.participations.get(registered).session_id == training.id


def test_deleting_a_session_deletes_its_registrations(services: Services) -> None:
    training = new_session(services)
    registered = attendee(services, training.id, DAY_1)
    kept = attendee(services, new_session(services, title="Other").id, name="Fall")

    services.sessions.delete(training.id)

    with pytest.raises(NotFound):
        services.participations.get(registered)
    assert services.participations.ids() == [kept]


@pytest.mark.parametrize(
    ("organisation", "on", "field"),
    [
        pytest.param(organisation_draft(), DAY_2, "organisation_id", id="not-an-sme"),
        pytest.param(sme_draft(SizeClass.MICRO, 4), "2027-02-28", "followed_up_on", id="early"),
    ],
)
def test_invalid_sme_follow_up_is_refused(
    services: Services, organisation: OrganisationDraft, on: str, field: str
) -> None:
    company = services.organisations.create(organisation)
    training = new_session(services)

    draft = SmeFollowUpDraft(
        organisation_id=company.id,
        session_id=training.id,
        followed_up_on=dt.date.fromisoformat(on),
        measures_implemented="Battery store with an acid-proof floor",
    )
    assert_create_refused(services.sme_follow_ups, draft, field)


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        pytest.param({"evaluation_rating": 9}, "evaluation_rating", id="rating-out-of-range"),
        pytest.param({"days_attended": ("2027-03-09",)}, "days_attended", id="unknown-day"),
    ],
)
def test_bulk_create_is_all_or_nothing(
    services: Services, fields: dict[str, Any], field: str
) -> None:
    training = new_session(services)
    people = [new_person(services, name) for name in ("Diop", "Fall", "Sow")]

    message = assert_refused(
        services.participations,
        field,
        lambda: services.participations.bulk_create(registrations(training.id, people, **fields)),
    )
    assert "Record 2" in message
    assert services.participations.for_session(training.id) == []
    created = services.participations.bulk_create(registrations(training.id, people))
    assert sorted(p.id for p in services.participations.for_session(training.id)) == sorted(created)


def test_bulk_create_numbers_records_across_batches(
    services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(records, "BATCH_SIZE", 2)  # as the 5001st record of an import meets it
    training = new_session(services, capacity=2)
    people = [new_person(services, name) for name in ("Diop", "Fall", "Sow")]
    message = assert_refused(
        services.participations,
        "registration_status",
        lambda: services.participations.bulk_create(registrations(training.id, people)),
    )
    assert "Record 3" in message


def test_bulk_create_can_register_a_person_again_after_a_deletion(services: Services) -> None:
    training = new_session(services)
    person = new_person(services, "Diop")
    services.participations.delete(services.participations.register(training.id, person).id)

    created = services.participations.bulk_create(registrations(training.id, [person]))
    assert [p.id for p in services.participations.for_session(training.id)] == created
