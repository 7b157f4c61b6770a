"""The partner directory: the organisations a list shows, with their people, by country.

It prints what the user is looking at: the same search, filters and order as the
list of partners, SMEs or organisations. As a workbook it has one row per person
(an organisation without people gets one row of its own).
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence
from itertools import groupby
from pathlib import Path
from typing import IO, TYPE_CHECKING

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Spacer

from regional_centre.files import write_atomically
from regional_centre.i18n import _, document_language, format_day, format_number, ngettext
from regional_centre.reports.document import DocumentInfo, build_document
from regional_centre.reports.figure_tables import Labels
from regional_centre.reports.spreadsheets import Table, write_table
from regional_centre.reports.typesetting import Typesetter
from regional_centre.services.directory import DirectoryEntry
from regional_centre.services.list_kinds import Kind
from regional_centre.services.listing import ListQuery
from regional_centre.services.reference import ISIC

if TYPE_CHECKING:
    from regional_centre.services import Services

CONTENT_WIDTH = 210 * mm - 36 * mm


def directory_title(kind: Kind) -> str:
    """What the directory of a list is called."""
    return {Kind.SMES: _("Directory of SMEs"), Kind.ORGANISATIONS: _("Directory of organisations")}.get(
        kind, _("Partner directory")
    )  # fmt: skip


def write_directory(
    services: Services, kind: Kind, query: ListQuery, language: str, target: Path
) -> int:
    """Write the directory of what list ``kind`` shows for ``query`` as PDF, XLSX or CSV; return the organisations."""
    if target.suffix.lower() in (".xlsx", ".csv"):
        entries = services.directory.entries(kind, query)
        with document_language(language):
            write_table(
                target, directory_table(kind, entries, Labels(services.reference, language))
            )
        return len(entries)
    buffer = io.BytesIO()
    count = directory_pdf(services, kind, query, language, buffer)
    write_atomically(target, buffer.getvalue())
    return count


def directory_pdf(
    services: Services, kind: Kind, query: ListQuery, language: str, target: IO[bytes]
) -> int:
    """Lay out the directory as a PDF into ``target``; return the number of organisations."""
    entries = services.directory.entries(kind, query)
    with document_language(language):
        _pdf(services, kind, entries, Labels(services.reference, language), language, target)
    return len(entries)


def directory_table(kind: Kind, entries: Sequence[DirectoryEntry], labels: Labels) -> Table:
    """One row per person (or per organisation without people)."""
    rows = []
    for entry in entries:
        o = entry.organisation
        where = [
            o.name,
            o.acronym,
            o.stakeholder_type.label(),
            labels.code(ISIC, o.sector or ""),
            labels.country(o.country),
            o.city,
            o.address,
            o.website,
            o.email,
            o.phone,
        ]
        people = entry.contacts or (None,)
        for person in people:
            if person is None:
                rows.append([*where, "", "", "", ""])
            else:
                rows.append(
                    [*where, person.full_name, person.job_title, person.email, person.phone]
                )
    headings = [
        _("Organisation"),
        _("Acronym"),
        _("Stakeholder type"),
        _("Sector"),
        _("Country"),
        _("City"),
        _("Address"),
        _("Website"),
        _("E-mail"),
        _("Phone"),
        _("Person"),
        _("Job title"),
        _("Person's e-mail"),
        _("Person's phone"),
    ]
    return Table(directory_title(kind), headings, rows)  # fmt: skip


def _pdf(
    services: Services,
    kind: Kind,
    entries: Sequence[DirectoryEntry],
    labels: Labels,
    language: str,
    target: IO[bytes],
) -> int:
    t = Typesetter(language)
    title = directory_title(kind)
    node = services.context.node
    today = dt.date.today()
    cover: list[Flowable] = [
        Spacer(1, 35 * mm),
        t.paragraph(title, "title"),
        t.paragraph(node.name, "subtitle"),
        t.paragraph(ngettext("{count} organisation", "{count} organisations", len(entries)).format(count=format_number(len(entries)))),
        t.paragraph(_("As of {date}").format(date=format_day(today, "long"))),
    ]  # fmt: skip
    body: list[Flowable] = []

    def country(entry: DirectoryEntry) -> str:
        return labels.country(entry.organisation.country)

    for name, group in groupby(sorted(entries, key=country), key=country):
        body.append(t.heading(name, 1))
        body += [_entry(t, entry, labels) for entry in group]
    if not entries:
        body.append(t.paragraph(_("No organisation matches the list's search and filters.")))
    info = DocumentInfo(
        title=title, subject=node.name, number=f"{node.owner}/DIR/{today:%Y%m%d}/{language.upper()}",
        author=node.name, language=language, created=dt.datetime.now(),
    )  # fmt: skip
    countries = len({entry.organisation.country for entry in entries})
    return build_document(target, info, t, cover, body, contents=countries > 1)


def _entry(t: Typesetter, entry: DirectoryEntry, labels: Labels) -> Flowable:
    """One organisation: name, what it is, where to reach it, and its people."""
    o = entry.organisation
    name = f"{o.name} ({o.acronym})" if o.acronym else o.name
    facts = " · ".join(
        part
        for part in (
            o.stakeholder_type.label(),
            labels.code(ISIC, o.sector) if o.sector else "",
            o.engagement_stage.label(),
        )
        if part
    )
    reach = " · ".join(
        part
        for part in (", ".join(p for p in (o.address, o.city) if p), o.phone, o.email, o.website)
        if part
    )
    parts: list[Flowable] = [t.paragraph(name, "heading2"), t.paragraph(facts, "small")]
    if reach:
        parts.append(t.paragraph(reach))
    if entry.contacts:
        rows = [[c.full_name, c.job_title, c.email, c.phone] for c in entry.contacts]
        widths = [45 * mm, 45 * mm, 50 * mm, CONTENT_WIDTH - 140 * mm]
        parts.append(t.table([_("Person"), _("Job title"), _("E-mail"), _("Phone")], rows, widths))
    parts.append(Spacer(1, 3 * mm))
    return KeepTogether(parts)
