"""The papers a training coordinator prints for one session.

Sign-in sheets (one per day, the registered people first, then blank rows for those
who turn up unannounced), the participant list, the evaluation summary, and the
certificates of participation: one page each, with a code anyone can check with
``regional-centre certificate verify CODE`` (also as a QR code).
"""

from __future__ import annotations

import datetime as dt
import decimal
import io
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from babel.numbers import format_decimal
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, PageBreak, Spacer

from regional_centre.files import write_atomically
from regional_centre.i18n import (
    _,
    current_language,
    document_language,
    format_day,
    format_number,
    pgettext,
)
from regional_centre.reports.charts import bar_chart
from regional_centre.reports.document import DocumentInfo, build_document
from regional_centre.reports.spreadsheets import Table, write_table
from regional_centre.reports.typesetting import Typesetter
from regional_centre.services.certificates import IssuedCertificate
from regional_centre.services.training import Registrant, TrainingSessionRecord

if TYPE_CHECKING:
    from regional_centre.services import Services

# Blank rows at the end of every sign-in sheet, for people who were not registered.
BLANK_ROWS = 8
CONTENT_WIDTH = 210 * mm - 36 * mm
WIDE_CONTENT_WIDTH = 297 * mm - 36 * mm
QR_SIZE = 32 * mm


@dataclass(frozen=True)
class TrainingPapers:
    """What a session's papers are made of, read once from the services."""

    session: TrainingSessionRecord
    roster: Sequence[Registrant]
    certificates: Sequence[IssuedCertificate]
    centre: str
    language: str
    country_name: str  # of the session's country, in the papers' language

    @property
    def seated(self) -> list[Registrant]:
        """Registered and confirmed people, who sign in and appear on the lists."""
        return [r for r in self.roster if r.seated]


def read_papers(services: Services, session_id: str, language: str | None = None) -> TrainingPapers:
    """Everything the papers show; the session's own language unless ``language`` is given."""
    session = services.sessions.get(session_id)
    node = services.context.node
    language = language or session.language
    return TrainingPapers(
        session=session,
        roster=services.participations.roster(session_id),
        certificates=services.certificates.for_session(session_id),
        centre=node.name,
        language=language,
        country_name=services.reference.country_name(session.country, language),
    )


def write_training_papers(
    services: Services, session_id: str, folder: Path, language: str | None = None
) -> list[Path]:
    """Write every paper of a session into ``folder``; return the files written."""
    papers = read_papers(services, session_id, language)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    documents = [
        ("sign-in-sheets.pdf", sign_in_sheets),
        ("participants.pdf", participant_list),
        ("evaluation.pdf", evaluation_summary),
    ]
    if papers.certificates:
        documents.append(("certificates.pdf", certificates))
    for name, make in documents:
        path = folder / name
        buffer = io.BytesIO()
        make(papers, buffer)
        write_atomically(path, buffer.getvalue())
        written.append(path)
    with document_language(papers.language):
        table = participant_table(papers)
    path = folder / "participants.xlsx"
    write_table(path, table)
    written.append(path)
    return written


def _info(papers: TrainingPapers, title: str, kind: str) -> DocumentInfo:
    session = papers.session
    return DocumentInfo(
        title=f"{title}: {session.title}",
        subject=_session_dates(session),
        number=f"{session.id[:8]}/{kind}/{papers.language.upper()}",
        author=papers.centre,
        language=papers.language,
        created=dt.datetime.now(),
    )


def _session_dates(session: TrainingSessionRecord) -> str:
    days = sorted(dt.date.fromisoformat(day) for day in session.days)
    if not days:
        return ""
    if len(days) == 1:
        return format_day(days[0], "long")
    return _("{start} to {end}").format(
        start=format_day(days[0], "long"), end=format_day(days[-1], "long")
    )


def _place(papers: TrainingPapers) -> str:
    session = papers.session
    return ", ".join(part for part in (session.venue, session.city, papers.country_name) if part)


def _session_heading(t: Typesetter, papers: TrainingPapers, title: str) -> list[Flowable]:
    session = papers.session
    return [
        t.paragraph(title, "heading1"),
        t.paragraph(session.title, "subtitle"),
        t.paragraph(
            " · ".join(part for part in (_session_dates(session), _place(papers)) if part), "small"
        ),
        Spacer(1, 3 * mm),
    ]


def sign_in_sheets(papers: TrainingPapers, target: io.BytesIO) -> int:
    """One sign-in sheet per day; a long list runs on with its header row repeated."""
    with document_language(papers.language):
        t = Typesetter(papers.language)
        story: list[Flowable] = []
        days = sorted(papers.session.days)
        for number, day in enumerate(days, start=1):
            title = _("Sign-in sheet, day {day} of {days}: {date}").format(
                day=number, days=len(days), date=format_day(dt.date.fromisoformat(day), "full")
            )
            rows = [
                [str(i), r.name, r.organisation_name, ""]
                for i, r in enumerate(papers.seated, start=1)
            ]
            rows += [[str(i), "", "", ""] for i in range(len(rows) + 1, len(rows) + BLANK_ROWS + 1)]
            widths = [13 * mm, 55 * mm, 55 * mm, CONTENT_WIDTH - 123 * mm]
            headings = [_("No."), pgettext("person", "Name"), _("Organisation"), _("Signature")]
            table = t.table(headings, rows, widths, numeric=[0], row_height=9 * mm)  # room to sign
            story += [*_session_heading(t, papers, title), table]
            if number < len(days):
                story.append(PageBreak())
        info = _info(papers, _("Sign-in sheets"), "SIGN")
        return build_document(target, info, t, [], story, contents=False)  # fmt: skip


def participant_table(papers: TrainingPapers) -> Table:
    """The participant list as a table, for the PDF and the workbook."""
    session = papers.session
    rows = []
    for r in papers.roster:
        p = r.participation
        rows.append(
            [
                r.name,
                r.organisation_name,
                p.registration_status.label(),
                session.days_attended_of(p.days_attended),
                p.pre_test_score,
                p.post_test_score,
                r.certificate_number or "",
            ]
        )
    headings = [
        pgettext("person", "Name"),
        _("Organisation"),
        _("Registration"),
        _("Days attended"),
        _("Test before"),
        _("Test after"),
        _("Certificate"),
    ]
    return Table(_("Participants"), headings, rows)  # fmt: skip


def participant_list(papers: TrainingPapers, target: io.BytesIO) -> int:
    """Everyone registered, with attendance, test scores and certificate numbers."""
    with document_language(papers.language):
        t = Typesetter(papers.language)
        table = participant_table(papers)
        rows = [[_cell(value) for value in row] for row in table.rows]
        # Landscape, so that the narrow columns' headings are not broken inside words.
        widths = [
            58 * mm,
            62 * mm,
            30 * mm,
            26 * mm,
            24 * mm,
            24 * mm,
            WIDE_CONTENT_WIDTH - 224 * mm,
        ]
        session = papers.session
        facts = [
            (pgettext("count", "Registered"), format_number(len(papers.seated))),
            (_("Days"), format_number(len(session.days))),
            (_("Training hours"), format_number(session.total_hours)),
            (_("Days of attendance a certificate needs"), format_number(session.days_needed())),
        ]
        story = [
            *_session_heading(t, papers, _("Participant list")),
            t.table([_("Figure"), _("Value")], facts, [80 * mm, 25 * mm], numeric=[1]),
            Spacer(1, 4 * mm),
            t.table(list(table.headings), rows, widths, numeric=[3, 4, 5]),
        ]
        info = _info(papers, _("Participants"), "LIST")
        return build_document(target, info, t, [], story, contents=False, wide=True)


def _cell(value: object) -> str:
    if value is None:
        return "–"
    if isinstance(value, (int, float, decimal.Decimal)):
        return format_number(value)
    return str(value)


def evaluation_summary(papers: TrainingPapers, target: io.BytesIO) -> int:
    """Ratings, test results and comments, without names."""
    with document_language(papers.language):
        t = Typesetter(papers.language)
        seated = [r.participation for r in papers.seated]
        ratings = [p.evaluation_rating for p in seated if p.evaluation_rating is not None]
        tested = [
            p for p in seated if p.pre_test_score is not None and p.post_test_score is not None
        ]
        figures = [
            (_("Participants"), format_number(len(seated))),
            (_("Evaluations returned"), format_number(len(ratings))),
            (_("Average rating (1 to 5)"), _average([float(r) for r in ratings])),
            (_("Participants with both tests"), format_number(len(tested))),
            (_("Average score before (%)"), _average([float(p.pre_test_score or 0) for p in tested])),
            (_("Average score after (%)"), _average([float(p.post_test_score or 0) for p in tested])),
            (_("Average gain (points)"), _average([float((p.post_test_score or 0) - (p.pre_test_score or 0)) for p in tested])),
        ]  # fmt: skip
        story: list[Flowable] = [
            *_session_heading(t, papers, _("Evaluation summary")),
            t.table([_("Figure"), _("Value")], figures, [90 * mm, 30 * mm], numeric=[1]),
            Spacer(1, 5 * mm),
            t.paragraph(_("Ratings"), "heading2"),
        ]
        counts = [
            (str(score), float(sum(1 for r in ratings if r == score))) for score in range(5, 0, -1)
        ]
        story.append(
            bar_chart(
                t,
                counts,
                [format_number(int(c)) for _s, c in counts],
                120 * mm,
                label_width=15 * mm,
            )
        )
        comments = [p.evaluation_comments.strip() for p in seated if p.evaluation_comments.strip()]
        story.append(t.paragraph(_("Comments"), "heading2"))
        story += [t.paragraph(f"“{c}”") for c in comments] or [
            t.paragraph(_("No comments were written."), "small")
        ]
        return build_document(
            target, _info(papers, _("Evaluation summary"), "EVAL"), t, [], story, contents=False
        )


def _average(values: Sequence[float]) -> str:
    """The mean with one decimal (4.0, not 4); "–" for none."""
    if not values:
        return "–"
    return format_decimal(
        round(sum(values) / len(values), 1), format="#,##0.0", locale=current_language()
    )


def certificates(papers: TrainingPapers, target: io.BytesIO) -> int:
    """One certificate of participation per page, landscape, each with its verification code."""
    with document_language(papers.language):
        t = Typesetter(papers.language, base_size=12)
        session = papers.session
        centred = {"alignment": 1}
        story: list[Flowable] = []
        for index, issued in enumerate(papers.certificates):
            certificate = issued.certificate
            story += [
                Spacer(1, 12 * mm),
                t.paragraph(_("Certificate of participation"), t.style("title", fontSize=30, leading=38, **centred)),
                Spacer(1, 6 * mm),
                t.paragraph(_("This certifies that"), t.style("body", **centred)),
                t.paragraph(issued.name, t.style("title", fontSize=24, leading=31, textColor="black", **centred)),
                t.paragraph(_("took part in the training"), t.style("body", **centred)),
                t.paragraph(session.title, t.style("subtitle", **centred)),
                t.paragraph(
                    _("{dates}, {place}").format(dates=_session_dates(session), place=_place(papers)),
                    t.style("body", **centred),
                ),
                t.paragraph(
                    _("Training hours: {hours}").format(hours=format_number(session.total_hours)),
                    t.style("body", **centred),
                ),
                Spacer(1, 4 * mm),
                t.paragraph(papers.centre, t.style("body", **centred), bold=True),
                Spacer(1, 6 * mm),
                _qr(t, certificate.verification_code),
                t.paragraph(
                    _("Certificate {number}, issued on {date}. Verification code: {code}").format(
                        number=certificate.number, date=format_day(certificate.issued_on, "long"), code=certificate.verification_code
                    ),
                    t.style("small", **centred),
                ),
            ]  # fmt: skip
            if index < len(papers.certificates) - 1:
                story.append(PageBreak())
        info = _info(papers, _("Certificates of participation"), "CERT")
        return build_document(
            target, info, t, [], story, contents=False, wide=True, furniture=False
        )


def _qr(t: Typesetter, code: str) -> Drawing:
    """The verification code as a QR code, centred."""
    widget = QrCodeWidget(code, barLevel="M")
    left, bottom, right, top = widget.getBounds()
    drawing = Drawing(
        QR_SIZE,
        QR_SIZE,
        transform=[QR_SIZE / (right - left), 0, 0, QR_SIZE / (top - bottom), 0, 0],
        initialFontName=t.fonts.base(),
    )
    drawing.add(widget)
    drawing.hAlign = "CENTER"
    return drawing
