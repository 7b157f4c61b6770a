"""Links to other records: a link that must be given is asked for, an empty one is no link."""

from __future__ import annotations

import pytest

from regional_centre.enums import AgreementStatus, Gender
from regional_centre.services import Services
from regional_centre.services.engagement import PartnershipDraft, PartnershipMemberDraft
from regional_centre.services.errors import ValidationError
from regional_centre.services.organisations import ContactDraft


def test_a_required_link_left_empty_is_refused_next_to_its_field(services: Services) -> None:
    partnership = services.partnerships.create(
        PartnershipDraft(
            title="E-waste take-back",
            priority_fields=("cleaner_production",),
            agreement_status=AgreementStatus.PROPOSED,
        )
    )
    for empty in (None, ""):
        with pytest.raises(ValidationError) as error:
            services.partnership_members.create(
                PartnershipMemberDraft(partnership_id=partnership.id, organisation_id=empty)  # type: ignore[arg-type]
            )
        assert error.value.messages() == {"organisation_id": "Choose one."}
    assert services.partnership_members.count() == 0


def test_an_optional_link_left_empty_is_stored_as_no_link(services: Services) -> None:
    person = services.contacts.create(
        ContactDraft(
            given_name="Awa",
            family_name="Diop",
            gender=Gender.FEMALE,
            country="SN",
            organisation_id="",
        )
    )
    assert services.contacts.get(person.id).organisation_id is None
