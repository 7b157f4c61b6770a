"""What a session's pages read: its roster, figures, certificates and follow-ups."""

from __future__ import annotations

import datetime as dt
import decimal

from regional_centre.enums import Gender, RegistrationStatus, SizeClass
from regional_centre.services import Services
from regional_centre.services.training import SmeFollowUpDraft
from tests.services.test_organisations import contact_draft, organisation_draft, sme_draft
from tests.services.test_training import DAY_1, DAY_2, new_session


def test_roster_names_people_organisations_and_certificates(services: Services) -> None:
    session = new_session(services)
    sme = services.organisations.create(sme_draft()).id
    awa = services.contacts.create(contact_draft(family_name="Sow", organisation_id=sme)).id
    ali = services.contacts.create(contact_draft(given_name="Ali", family_name="Ba")).id
    first = services.participations.register(session.id, awa)
    services.participations.register(session.id, ali, status=RegistrationStatus.WAITLISTED)
    services.participations.change(first.id, days_attended=(DAY_1, DAY_2))
    certificate = services.certificates.issue(first.id)

    roster = services.participations.roster(session.id)

    assert [r.name for r in roster] == ["Ali Ba", "Awa Sow"]
    ali_row, awa_row = roster
    assert (awa_row.organisation_name, awa_row.organisation_is_sme) == ("Atelier Ndiaye", True)
    assert awa_row.certificate_number == certificate.number and awa_row.seated
    assert ali_row.organisation_name == "" and ali_row.certificate_number is None
    assert not ali_row.seated


def test_the_attendance_rule_counts_only_the_sessions_days(services: Services) -> None:
    session = new_session(services, attendance_threshold=50)
    assert session.days_needed() == 1
    assert session.days_attended_of((DAY_1, "2030-01-01")) == 1
    assert session.meets_attendance_rule((DAY_2,))
    assert not session.meets_attendance_rule(("2030-01-01",))


def test_figures_count_seated_people_by_group(services: Services) -> None:
    session = new_session(services)
    small = services.organisations.create(sme_draft()).id
    micro = services.organisations.create(
        organisation_draft(
            name="Garage Fall",
            stakeholder_type="sme",
            size_class=SizeClass.MICRO,
            employees=3,
            sector="45",
        )
    ).id
    people = [
        ("Diop", Gender.FEMALE, "SN", small),
        ("Ndiaye", Gender.FEMALE, "ML", micro),
        ("Fall", Gender.MALE, "SN", micro),
        ("Kane", Gender.MALE, "SN", None),
    ]
    ids = []
    for name, gender, country, organisation in people:
        contact = services.contacts.create(
            contact_draft(
                family_name=name, gender=gender, country=country, organisation_id=organisation
            )
        )
        ids.append(services.participations.register(session.id, contact.id).id)
    services.participations.change(ids[0], pre_test_score=40, post_test_score=70)
    services.participations.change(ids[1], pre_test_score=55, post_test_score=80)
    services.participations.change(ids[3], registration_status=RegistrationStatus.CANCELLED)

    figures = services.sessions.figures(session.id)

    assert figures.participants == 3
    assert figures.by_gender == ((Gender.FEMALE, 2), (Gender.MALE, 1))
    assert figures.by_country == (("SN", 2), ("ML", 1))
    assert dict(figures.by_size) == {SizeClass.MICRO: 2, SizeClass.SMALL: 1}
    assert dict(figures.by_sector) == {"45": 2, None: 1}
    assert figures.pre_test_average == decimal.Decimal("47.5")
    assert figures.post_test_average == decimal.Decimal("75.0")
    assert figures.rating_average is None


def test_figures_of_an_empty_session_are_empty(services: Services) -> None:
    figures = services.sessions.figures(new_session(services).id)
    assert figures.participants == 0
    assert figures.by_gender == () and figures.pre_test_average is None


def test_certificates_of_a_session_with_names_and_draft_numbers(services: Services) -> None:
    session = new_session(services, attendance_threshold=50)
    ids = []
    for name in ("Diop", "Sow"):
        contact = services.contacts.create(contact_draft(family_name=name)).id
        ids.append(services.participations.register(session.id, contact).id)
        services.participations.mark_attendance(ids[-1], DAY_1, True)
    draft = services.certificates.draft_for(ids[0], issued_on=dt.date(2027, 3, 2))
    assert draft.number == "BCRC-SN-2027-000001"
    assert services.certificates.draft_for(ids[0], offset=1).number.endswith("000002")
    services.certificates.create(draft)
    services.certificates.issue(ids[1], issued_on=dt.date(2027, 3, 2))
    other = new_session(services)
    contact = services.contacts.create(contact_draft(family_name="Ba")).id
    services.participations.register(other.id, contact)

    issued = services.certificates.for_session(session.id)

    assert [(c.name, c.certificate.number) for c in issued] == [
        ("Awa Diop", "BCRC-SN-2027-000001"),
        ("Awa Sow", "BCRC-SN-2027-000002"),
    ]
    assert services.certificates.for_session(other.id) == []


def test_follow_ups_of_a_session_oldest_first(services: Services) -> None:
    session = new_session(services)
    sme = services.organisations.create(sme_draft()).id
    for day, text in ((dt.date(2027, 6, 1), "Battery store"), (dt.date(2027, 4, 1), "Labels")):
        services.sme_follow_ups.create(
            SmeFollowUpDraft(
                organisation_id=sme,
                followed_up_on=day,
                measures_implemented=text,
                session_id=session.id,
            )
        )
    services.sme_follow_ups.create(
        SmeFollowUpDraft(
            organisation_id=sme, followed_up_on=dt.date(2027, 5, 1), measures_implemented="Other"
        )
    )
    found = services.sme_follow_ups.for_session(session.id)
    assert [f.measures_implemented for f in found] == ["Labels", "Battery store"]
