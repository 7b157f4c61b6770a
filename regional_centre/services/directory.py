"""The partner directory: organisations with their people, as a list shows them."""

from __future__ import annotations

from dataclasses import dataclass

from regional_centre.services.list_kinds import Kind
from regional_centre.services.listing import ListQuery, ListService
from regional_centre.services.organisations import (
    ContactRecord,
    ContactService,
    OrganisationRecord,
    OrganisationService,
)

ORGANISATION_LISTS = (Kind.PARTNERS, Kind.SMES, Kind.ORGANISATIONS)


@dataclass(frozen=True)
class DirectoryEntry:
    """An organisation and its live people, by family name."""

    organisation: OrganisationRecord
    contacts: tuple[ContactRecord, ...]


class DirectoryService:
    """Organisations matching a list's search and filters, with their people."""

    def __init__(
        self, lists: ListService, organisations: OrganisationService, contacts: ContactService
    ) -> None:
        self._lists = lists
        self._organisations = organisations
        self._contacts = contacts

    def entries(self, kind: Kind, query: ListQuery) -> list[DirectoryEntry]:
        """Every organisation the list ``kind`` shows for ``query``, in the list's order."""
        if kind not in ORGANISATION_LISTS:
            raise ValueError(f"{kind} is not a list of organisations")
        ids = self._lists.matching(kind, query)
        organisations = self._organisations.live(ids)
        people = self._contacts.of_organisations(ids)
        return [
            DirectoryEntry(organisations[i], tuple(people.get(i, ())))
            for i in ids
            if i in organisations
        ]
