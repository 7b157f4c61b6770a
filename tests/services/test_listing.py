"""Lists for the screens: search, filters, sort and paging, done by the database; text in the screens' order."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

import pytest
from sqlalchemy import func, select

from regional_centre.db.models import Organisation
from regional_centre.enums import (
    ActionStatus,
    DialogueFormat,
    EngagementStage,
    Gender,
    StakeholderType,
)
from regional_centre.services import Services
from regional_centre.services.engagement import (
    DialogueDraft,
    DialogueParticipantDraft,
    FollowUpActionDraft,
)
from regional_centre.services.listing import Column, Kind, ListQuery
from regional_centre.services.organisations import ContactDraft, OrganisationDraft


def add_partner(services: Services, name: str, **fields: object) -> str:
    values: dict[str, object] = {
        "name": name,
        "stakeholder_type": StakeholderType.NATIONAL_COMPANY,
        "country": "SN",
    }
    return services.organisations.create(OrganisationDraft(**{**values, **fields})).id  # type: ignore[arg-type]


def names(services: Services, kind: Kind, query: ListQuery) -> list[str]:
    column = [c.key for c in services.lists.columns(kind)].index(
        "name" if kind in (Kind.PARTNERS, Kind.SMES) else "title"
    )
    return [row.values[column] for row in services.lists.page(kind, query, 0, 100)]


def test_search_finds_partners_by_name_acronym_person_and_code(services: Services) -> None:
    ecobat = add_partner(services, "Ecobat Recyclage", acronym="ECB", waste_streams=("Y31",))
    add_partner(services, "Sénégalaise des Eaux", acronym="SDE", sector="36")
    services.contacts.create(
        ContactDraft(
            given_name="Awa",
            family_name="Ndiaye",
            gender=Gender.FEMALE,
            country="SN",
            organisation_id=ecobat,
        )
    )
    lists = services.lists
    assert names(services, Kind.PARTNERS, ListQuery(search="ecobat")) == ["Ecobat Recyclage"]
    assert names(services, Kind.PARTNERS, ListQuery(search="sde")) == ["Sénégalaise des Eaux"]
    assert names(services, Kind.PARTNERS, ListQuery(search="ndiaye")) == ["Ecobat Recyclage"]
    assert names(services, Kind.PARTNERS, ListQuery(search="Y31")) == ["Ecobat Recyclage"]
    # Every word must match somewhere; case and accents of other scripts fold too.
    assert names(services, Kind.PARTNERS, ListQuery(search="awa ecobat")) == ["Ecobat Recyclage"]
    assert names(services, Kind.PARTNERS, ListQuery(search="awa eaux")) == []
    assert names(services, Kind.PARTNERS, ListQuery(search="SÉNÉGALAISE")) == [
        "Sénégalaise des Eaux"
    ]
    # LIKE wildcards typed by the user are plain characters.
    assert lists.count(Kind.PARTNERS, ListQuery(search="%")) == 0
    assert lists.count(Kind.PARTNERS, ListQuery(search="_")) == 0


def test_search_folds_case_in_any_script(services: Services) -> None:
    add_partner(services, "Экологический союз", country="RU")
    add_partner(services, "شركة البيئة", country="EG")
    assert names(services, Kind.PARTNERS, ListQuery(search="экологический")) == [
        "Экологический союз"
    ]
    assert names(services, Kind.PARTNERS, ListQuery(search="البيئة")) == ["شركة البيئة"]


def test_filters_combine_and_smes_are_a_list_of_their_own(services: Services) -> None:
    add_partner(services, "Alpha", engagement_stage=EngagementStage.DIALOGUE, country="GH")
    add_partner(services, "Beta", engagement_stage=EngagementStage.DIALOGUE)
    add_partner(services, "Gamma", waste_streams=("e_waste",), sector="26")
    services.organisations.create(
        OrganisationDraft(
            name="Atelier",
            stakeholder_type=StakeholderType.SME,
            country="SN",
            size_class="micro",  # type: ignore[arg-type]
            employees=3,
        )
    )
    stage = ListQuery(engagement_stage="dialogue")
    assert names(services, Kind.PARTNERS, stage) == ["Alpha", "Beta"]
    assert names(services, Kind.PARTNERS, ListQuery(engagement_stage="dialogue", country="GH")) == [
        "Alpha"
    ]
    assert names(services, Kind.PARTNERS, ListQuery(waste_stream="e_waste")) == ["Gamma"]
    assert names(services, Kind.PARTNERS, ListQuery(sector="26")) == ["Gamma"]
    assert names(services, Kind.SMES, ListQuery()) == ["Atelier"]
    assert "Atelier" not in names(services, Kind.PARTNERS, ListQuery())
    assert services.lists.count(Kind.ORGANISATIONS, ListQuery()) == 4


def test_partners_added_in_a_period(services: Services) -> None:
    add_partner(services, "Today")
    today = dt.date.today()
    assert names(services, Kind.PARTNERS, ListQuery(date_from=today, date_to=today)) == ["Today"]
    tomorrow = today + dt.timedelta(days=1)
    assert names(services, Kind.PARTNERS, ListQuery(date_from=tomorrow)) == []
    yesterday = today - dt.timedelta(days=1)
    assert names(services, Kind.PARTNERS, ListQuery(date_to=yesterday)) == []


def test_sorting_and_paging_are_stable_and_complete(demo_services: Services) -> None:
    lists = demo_services.lists
    for column in lists.columns(Kind.PARTNERS):
        for descending in (False, True):
            query = ListQuery(sort=column.key, descending=descending)
            pages = [lists.page(Kind.PARTNERS, query, offset, 7) for offset in range(0, 70, 7)]
            ids = [row.id for page in pages for row in page]
            assert len(ids) == len(set(ids)) == lists.count(Kind.PARTNERS, query) == 60, column
    by_name = lists.page(Kind.PARTNERS, ListQuery(sort="name", descending=True), 0, 60)
    shown = [row.values[0] for row in by_name]
    assert shown == sorted(shown, reverse=True)


def test_counts_match_an_independent_query(demo_services: Services) -> None:
    with demo_services.context.read() as session:
        expected = session.scalar(
            select(func.count()).where(
                Organisation.deleted.is_(False),
                Organisation.stakeholder_type != StakeholderType.SME,
                Organisation.country == "NG",
            )
        )
    assert demo_services.lists.count(Kind.PARTNERS, ListQuery(country="NG")) == expected


def test_overdue_follow_ups_flag_dialogues_and_partners(services: Services) -> None:
    partner = add_partner(services, "Late Ltd")
    add_partner(services, "On Time Ltd")
    dialogue = services.dialogues.create(
        DialogueDraft(
            title="Scoping e-waste",
            held_on=dt.date(2026, 1, 10),
            format=DialogueFormat.MEETING,
            country="SN",
        )
    )
    services.dialogue_participants.create(
        DialogueParticipantDraft(dialogue_id=dialogue.id, organisation_id=partner)
    )
    action = services.follow_up_actions.create(
        FollowUpActionDraft(
            dialogue_id=dialogue.id,
            description="Send the draft agreement",
            due_on=dt.date.today() - dt.timedelta(days=1),
        )
    )
    overdue = ListQuery(overdue_only=True)
    assert names(services, Kind.PARTNERS, overdue) == ["Late Ltd"]
    assert names(services, Kind.DIALOGUES, overdue) == ["Scoping e-waste"]
    services.follow_up_actions.change(
        action.id, status=ActionStatus.DONE, completed_on=dt.date.today()
    )
    assert names(services, Kind.PARTNERS, overdue) == []


def test_deleted_records_are_not_listed_or_offered(services: Services) -> None:
    gone = add_partner(services, "Gone Ltd")
    add_partner(services, "Here Ltd")
    services.organisations.delete(gone)
    assert names(services, Kind.PARTNERS, ListQuery()) == ["Here Ltd"]
    assert [o.label for o in services.lists.options(Kind.ORGANISATIONS, "ltd")] == ["Here Ltd"]
    assert services.lists.rows(Kind.PARTNERS, [gone]) == []


def test_pickers_offer_people_of_one_organisation(services: Services) -> None:
    first = add_partner(services, "First")
    second = add_partner(services, "Second")
    for given, organisation in (("Awa", first), ("Ama", second)):
        services.contacts.create(
            ContactDraft(
                given_name=given,
                family_name="Diop",
                gender=Gender.FEMALE,
                country="SN",
                organisation_id=organisation,
            )
        )
    offered = services.lists.options(Kind.CONTACTS, "diop", within=second)
    assert [o.label for o in offered] == ["Ama Diop"]
    assert services.lists.label(Kind.ORGANISATIONS, first) == "First"


@pytest.mark.parametrize("kind", list(Kind))
def test_every_list_reads_the_demo_data(demo_services: Services, kind: Kind) -> None:
    lists = demo_services.lists
    total = lists.count(kind, ListQuery())
    rows = lists.page(kind, ListQuery(), 0, 25)
    assert total > 0 and len(rows) == min(25, total)
    assert all(len(row.values) == len(lists.columns(kind)) for row in rows)
    assert lists.count(kind, ListQuery(search="zzzz-no-such-thing")) == 0


def test_a_sector_filter_by_section_finds_its_divisions(services: Services) -> None:
    add_partner(services, "Chemicals Ltd", sector="20")  # division 20 is in section C
    add_partner(services, "Water Ltd", sector="36")  # section E
    assert names(services, Kind.PARTNERS, ListQuery(sector="C")) == ["Chemicals Ltd"]
    assert names(services, Kind.PARTNERS, ListQuery(sector="20")) == ["Chemicals Ltd"]
    assert names(services, Kind.PARTNERS, ListQuery(sector="E")) == ["Water Ltd"]


def test_people_by_gender_and_by_when_they_were_trained(demo_services: Services) -> None:
    from regional_centre.db.models import Contact, Participation, TrainingSession

    lists = demo_services.lists
    with demo_services.context.read() as session:
        first_day = session.scalar(select(func.min(TrainingSession.first_day)))
        trained_women = session.scalar(
            select(func.count(func.distinct(Contact.id)))
            .join(Participation, Participation.contact_id == Contact.id)
            .join(TrainingSession, TrainingSession.id == Participation.session_id)
            .where(
                Contact.gender == Gender.FEMALE,
                Contact.deleted.is_(False),
                Participation.deleted.is_(False),
                Participation.registration_status.in_(("registered", "confirmed")),
                TrainingSession.status != "cancelled",
                TrainingSession.first_day == first_day,
            )
        )
    query = ListQuery(gender="female", date_from=first_day, date_to=first_day)
    assert lists.count(Kind.CONTACTS, query) == trained_women
    women = lists.count(Kind.CONTACTS, ListQuery(gender="female"))
    men = lists.count(Kind.CONTACTS, ListQuery(gender="male"))
    assert women + men <= lists.count(Kind.CONTACTS, ListQuery()) and women > 0 and men > 0


def test_text_columns_follow_the_screens_order_page_by_page(services: Services) -> None:
    """The screens hand over their language's order; here one that ignores case."""
    asked: list[str] = []

    def case_ignored(column: Column, values: Sequence[Any]) -> list[int]:
        asked.append(column.key)
        return sorted(range(len(values)), key=lambda position: str(values[position]).casefold())

    for name in ("beta", "alpha", "Éclair", "Zeta", "Alpha", "delta"):
        add_partner(services, name)
    lists = services.lists
    lists.sort_text_with(case_ignored)
    expected = ["Alpha", "alpha", "beta", "delta", "Zeta", "Éclair"]  # equal texts by code point
    for descending in (False, True):
        query = ListQuery(sort="name", descending=descending)
        pages = [lists.page(Kind.PARTNERS, query, offset, 4) for offset in (0, 4)]
        shown = [row.values[0] for page in pages for row in page]
        assert shown == (expected[::-1] if descending else expected)
        by_id = {row.id: row.values[0] for page in pages for row in page}
        assert [by_id[i] for i in lists.matching(Kind.PARTNERS, query)] == shown
    assert asked == ["name"] * 2  # sorted once per query: the next pages reuse the order
    lists.page(Kind.PARTNERS, ListQuery(sort="contacts"), 0, 10)  # a number: the database sorts
    assert asked == ["name"] * 2
    add_partner(services, "Gamma")  # a change: the order is made again
    shown = [row.values[0] for row in lists.page(Kind.PARTNERS, ListQuery(sort="name"), 0, 10)]
    assert shown == ["Alpha", "alpha", "beta", "delta", "Gamma", "Zeta", "Éclair"]
    assert asked == ["name"] * 3


def test_without_the_screens_text_is_sorted_without_accents_or_case(services: Services) -> None:
    """As on the command line: the database alone would put "Éclair" after "Zeta"."""
    for name in ("beta", "Zeta", "Éclair", "alpha", "Eclair", "Alpha", "ёлка", "ель", "Ель"):
        add_partner(services, name)
    rows = services.lists.page(Kind.PARTNERS, ListQuery(sort="name"), 0, 20)
    shown = [row.values[0] for row in rows]
    assert shown == ["Alpha", "alpha", "beta", "Eclair", "Éclair", "Zeta", "ёлка", "Ель", "ель"]
