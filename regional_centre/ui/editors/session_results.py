"""What a training session produced: certificates for those who met the attendance rule, figures."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import (
    Qt,
    Slot,
)
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from regional_centre.i18n import _, current_language, format_day, format_number, ngettext, pgettext
from regional_centre.services import Services
from regional_centre.services.certificates import IssuedCertificate
from regional_centre.services.errors import ServiceError
from regional_centre.services.reference import ISIC, ReferenceService
from regional_centre.services.training import Registrant, SessionFigures, TrainingSessionRecord
from regional_centre.ui.editors.attendance import one_step, problem_text
from regional_centre.ui.editors.form import error_label
from regional_centre.ui.editors.papers import print_papers
from regional_centre.ui.edits import Edits


class CertificatesPanel(QWidget):
    """Who met the attendance rule, issuing their certificates, and the certificates issued."""

    def __init__(self, services: Services, edits: Edits) -> None:
        super().__init__()
        self.services = services
        self.edits = edits
        self.session: TrainingSessionRecord | None = None
        self.waiting: list[Registrant] = []
        self.summary = QLabel()
        self.summary.setObjectName("summary")
        self.summary.setWordWrap(True)
        self.eligible = _tree(
            "eligible",
            _("Met the attendance rule"),
            [_("Participant"), _("Attended"), _("Certificate")],
        )
        self.issue_button = QPushButton(_("Issue certificates"))
        self.issue_button.clicked.connect(self.issue)
        self.print_button = QPushButton(_("Print papers…"))
        self.print_button.setToolTip(
            _("Sign-in sheets, participant list, evaluation summary and certificates, as PDF")
        )
        self.print_button.clicked.connect(self.print_papers)
        self.problem = error_label()
        self.issued = _tree(
            "issued",
            _("Certificates issued"),
            [_("Number"), pgettext("person", "Name"), _("Verification code"), _("Issued on")],
        )
        self.issued.setColumnWidth(1, 160)
        self.issued.setColumnWidth(2, 130)
        issue_row = QHBoxLayout()
        issue_row.addWidget(self.summary, 1)
        issue_row.addWidget(self.issue_button, 0, Qt.AlignmentFlag.AlignTop)
        issue_row.addWidget(self.print_button, 0, Qt.AlignmentFlag.AlignTop)
        layout = QVBoxLayout(self)
        layout.addLayout(issue_row)
        layout.addWidget(self.problem)
        layout.addWidget(self.eligible, 1)
        layout.addWidget(QLabel(_("Certificates issued:")))
        layout.addWidget(self.issued, 1)

    def show_certificates(
        self,
        session: TrainingSessionRecord | None,
        registrants: Sequence[Registrant],
        issued: Sequence[IssuedCertificate],
    ) -> None:
        """Show who met the rule and the certificates issued for ``session``."""
        self.session = session
        met = [
            r
            for r in registrants
            if session is not None
            and r.seated
            and session.meets_attendance_rule(r.participation.days_attended)
        ]
        self.waiting = [r for r in met if r.certificate_number is None]
        self.eligible.clear()
        for registrant in met:
            assert session is not None
            attended = session.days_attended_of(registrant.participation.days_attended)
            total = len(session.days)
            self.eligible.addTopLevelItem(
                QTreeWidgetItem(
                    [
                        registrant.name,
                        _("{attended} of {days}").format(attended=attended, days=total),
                        registrant.certificate_number or _("Not issued yet"),
                    ]
                )
            )
        self.issued.clear()
        for entry in issued:
            certificate = entry.certificate
            self.issued.addTopLevelItem(
                QTreeWidgetItem(
                    [
                        certificate.number,
                        entry.name,
                        certificate.verification_code,
                        format_day(certificate.issued_on),
                    ]
                )
            )
        self.issue_button.setEnabled(bool(self.waiting))
        self.print_button.setEnabled(session is not None)
        if session is None:
            self.summary.clear()
            return
        self.summary.setText(
            ngettext(
                "{met} participant met the attendance rule ({needed} of {days} days); "
                "{waiting} without a certificate yet.",
                "{met} participants met the attendance rule ({needed} of {days} days); "
                "{waiting} without a certificate yet.",
                len(met),
            ).format(
                met=len(met),
                needed=session.days_needed(),
                days=len(session.days),
                waiting=len(self.waiting),
            )
        )

    @Slot()
    def print_papers(self) -> None:
        """Write the session's papers (sign-in sheets, lists, certificates) to a folder."""
        if self.session is not None:
            print_papers(self, self.services, self.session)

    @Slot()
    def issue(self) -> int:
        """Issue a certificate to everyone who met the rule and has none (one undo step)."""
        waiting = list(self.waiting)
        if not waiting:
            return 0
        issued = 0
        text = ngettext("Issue {count} certificate", "Issue {count} certificates", len(waiting))
        with one_step(self.edits, text.format(count=len(waiting))):
            for registrant in waiting:
                draft = self.services.certificates.draft_for(registrant.participation.id)
                try:
                    self.edits.create(self.services.certificates, draft)
                except ServiceError as error:
                    self.problem.setText(
                        _("{name}: {problem}").format(
                            name=registrant.name, problem=problem_text(error)
                        )
                    )
                    self.problem.show()
                    break
                issued += 1
        if issued == len(waiting):
            self.problem.hide()
        return issued


def _tree(name: str, accessible: str, headings: list[str]) -> QTreeWidget:
    tree = QTreeWidget()
    tree.setObjectName(name)
    tree.setAccessibleName(accessible)
    tree.setRootIsDecorated(False)
    tree.setAlternatingRowColors(True)
    tree.setHeaderLabels(headings)
    tree.setColumnWidth(0, 180)
    return tree


class FiguresPanel(QWidget):
    """Who took a seat in the session, counted by gender, country, sector and SME size."""

    def __init__(self, reference: ReferenceService) -> None:
        super().__init__()
        self._reference = reference
        self.total = QLabel()
        self.total.setObjectName("total")
        self.tables: dict[str, QTreeWidget] = {}
        grid = QGridLayout()
        titles = {
            "gender": _("Gender"),
            "country": _("Country"),
            "sector": _("Sector"),
            "size": _("SME size"),
        }
        for position, (key, title) in enumerate(titles.items()):
            table = QTreeWidget()
            table.setObjectName(f"by_{key}")
            table.setAccessibleName(_("People by {group}").format(group=title.lower()))
            table.setRootIsDecorated(False)
            table.setHeaderLabels([title, _("People")])
            table.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
            table.header().setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
            table.header().setStretchLastSection(False)
            self.tables[key] = table
            grid.addWidget(table, position // 2, position % 2)
        layout = QVBoxLayout(self)
        layout.addWidget(self.total)
        layout.addLayout(grid, 1)

    def show_figures(self, figures: SessionFigures | None) -> None:
        """Fill the four tables (empty for no session)."""
        count = figures.participants if figures is not None else 0
        self.total.setText(
            ngettext(
                "{count} person registered or confirmed.",
                "{count} people registered or confirmed.",
                count,
            ).format(count=format_number(count))
        )
        sectors = self._reference.codes(ISIC)
        language = current_language()
        rows: dict[str, list[tuple[str, int]]] = {key: [] for key in self.tables}
        if figures is not None:
            rows["gender"] = [
                (g.label() if g is not None else _("Not stated"), n) for g, n in figures.by_gender
            ]
            rows["country"] = [
                (self._reference.country_name(c, language) if c else _("Not known"), n)
                for c, n in figures.by_country
            ]
            rows["sector"] = [
                (f"{c} {sectors[c].title}" if c in sectors else c or _("No sector"), n)
                for c, n in figures.by_sector
            ]
            rows["size"] = [
                (s.label() if s is not None else _("Not an SME, or size not known"), n)
                for s, n in figures.by_size
            ]
        for key, table in self.tables.items():
            table.clear()
            for label, people in rows[key]:
                item = QTreeWidgetItem([label, format_number(people)])
                item.setToolTip(0, label)
                item.setTextAlignment(
                    1, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                )
                table.addTopLevelItem(item)
