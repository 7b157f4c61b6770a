"""The Reports page's printed progress report: language, centre, exchange rates, preview.

The report is counted and laid out off the GUI thread, then shown in a preview the
user saves from; its tables can also go to a workbook, the same figures as the PDF.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path
from typing import Protocol

from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from regional_centre.i18n import _, current_language, format_day
from regional_centre.reports.progress import ProgressDocument, prepare, record_issued, write
from regional_centre.reports.spreadsheets import Table, write_tables
from regional_centre.services import Services
from regional_centre.services.errors import ValidationError
from regional_centre.services.periods import Period
from regional_centre.services.progress_figures import Conversion, parse_conversion
from regional_centre.services.reported import ReportedFiguresRecord
from regional_centre.ui.editors.form import error_label
from regional_centre.ui.figures_table import FiguresTable
from regional_centre.ui.messages import show_information
from regional_centre.ui.operations import Operation, run_query
from regional_centre.ui.pdf_preview import PdfPreview, language_combo


class WorkbookAsker(Protocol):
    """Asks where to save a workbook (the Reports page's chooser)."""

    @classmethod
    def ask(cls, parent: QWidget, title: str, suggested: str) -> Path | None: ...


class ProgressReportPanel(QGroupBox):
    """Choices for the printed progress report of the page's period, and its buttons."""

    #: The user saved the report (PDF) or its tables; the text says where.
    written = Signal(str)
    #: The figures of a report just saved were kept for the secretariat.
    figures_kept = Signal()

    def __init__(
        self,
        services: Services,
        period: Callable[[], Period | None],
        chooser: type[WorkbookAsker],
    ) -> None:
        super().__init__(_("Printed progress report"))
        self.services = services
        self._period = period
        self._chooser = chooser  # asked at the time, so tests can patch its ask
        node = services.context.node
        self.language = language_combo(current_language())
        self.centre = QComboBox()
        self.centre.addItem(_("All centres, side by side and in total"), None)
        if node.is_secretariat:
            for code in services.progress.centres(Period()):
                self.centre.addItem(code, code)
        self.centre.setVisible(node.is_secretariat)
        self.currency = QLineEdit()
        self.currency.setMaxLength(3)
        self.currency.setPlaceholderText("USD")
        self.currency.setMaximumWidth(70)
        self.rates = QLineEdit()
        self.rates.setPlaceholderText(_("for example EUR=1.08 CHF=1.12"))
        self.rates.setToolTip(
            _(
                "Units of the currency above for one unit of each currency named; currencies without a rate are shown apart."
            )
        )
        self.conversion_error = error_label()
        self.preview_button = QPushButton(_("Preview report…"))
        self.preview_button.clicked.connect(self.preview)
        self.tables_button = QPushButton(_("Export report tables…"))
        self.tables_button.setToolTip(
            _("Every table of the report in an Excel workbook, a sheet each")
        )
        self.tables_button.clicked.connect(self.export_tables)

        self.rates.setMinimumWidth(260)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint)
        form.addRow(QLabel(_("For the period chosen above, in the language of your choice.")))
        form.addRow(_("Language of the report"), self.language)
        if node.is_secretariat:
            form.addRow(_("Centres"), self.centre)
        conversion = QHBoxLayout()
        conversion.addWidget(self.currency)
        conversion.addWidget(QLabel(_("at")))
        conversion.addWidget(self.rates, 1)
        form.addRow(_("Convert cash contributions to"), conversion)
        form.addRow("", self.conversion_error)
        buttons = QHBoxLayout()
        buttons.addWidget(self.preview_button)
        buttons.addWidget(self.tables_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addLayout(buttons)

    def conversion(self) -> Conversion | None:
        """The exchange rates typed in; shows what is wrong next to them and raises if anything is."""
        try:
            conversion = parse_conversion(self.currency.text(), self.rates.text())
        except ValidationError as error:
            self.conversion_error.setText(str(error))
            self.conversion_error.show()
            raise
        self.conversion_error.hide()
        return conversion

    def _prepared(self) -> Callable[[], ProgressDocument] | None:
        """Work that counts the report with the choices made, or None when a choice is wrong."""
        period = self._period()
        try:
            conversion = self.conversion()
        except ValidationError:
            return None
        if period is None:
            return None
        services, language, centre = (
            self.services,
            self.language.currentData(),
            self.centre.currentData(),
        )
        return lambda: prepare(services, period, language, centre=centre, conversion=conversion)

    @Slot()
    def preview(self) -> None:
        """Count and lay out the report, then show it to be saved."""
        prepared = self._prepared()
        if prepared is None:
            return
        services = self.services

        def work(progress: Callable[[int, int], None]) -> tuple[ProgressDocument, bytes]:
            document = prepared()
            progress(1, 2)
            buffer = io.BytesIO()
            write(document, buffer, services)
            return document, buffer.getvalue()

        def done(result: tuple[ProgressDocument, bytes]) -> None:
            document, data = result
            name = document.info.number.replace("/", "-") + ".pdf"
            saved = PdfPreview.show_document(self, document.info.title, data, name)
            if saved is not None:
                self.written.emit(_("Progress report saved to {path}.").format(path=saved))
                self._keep_figures(document)

        Operation(self, work).success(done).with_progress(
            _("Preparing the report…")
        ).run_in_background()

    def _keep_figures(self, document: ProgressDocument) -> None:
        """Keep the figures of the report just saved, to go to the secretariat in the next bundle."""
        services = self.services

        def work(_progress: Callable[[int, int], None]) -> bool:
            return record_issued(services, document)

        def kept(recorded: bool) -> None:
            if recorded:
                self.figures_kept.emit()

        Operation(self, work).success(kept).run_in_background()

    @Slot()
    def export_tables(self) -> None:
        """Write every table of the report to a workbook."""
        prepared = self._prepared()
        if prepared is None:
            return
        path = self._chooser.ask(
            self, _("Export the report's tables"), _("progress-report-tables.xlsx")
        )
        if path is None:
            return

        def work(progress: Callable[[int, int], None]) -> int:
            document = prepared()
            return write_tables(path, [table.as_table() for table in document.tables], progress)

        def done(_rows: int) -> None:
            self.written.emit(_("Report tables written to {path}.").format(path=path))
            show_information(
                self,
                _("Export finished"),
                _("The report's tables are in {path}, one sheet per table.").format(path=path),
            )

        Operation(self, work).success(done).with_progress(_("Exporting…")).run_in_background()


class ReportedFiguresPanel(QGroupBox):
    """At the secretariat: the figures each centre reported with its progress reports."""

    #: The reported figures were read again and are shown.
    loaded = Signal()

    def __init__(self, services: Services) -> None:
        super().__init__(_("Figures reported by the centres"))
        self.services = services
        self.table = FiguresTable(stretch_column=3)
        self.empty = QLabel(_("No centre has sent the figures of a progress report yet."))
        layout = QVBoxLayout(self)
        layout.addWidget(
            QLabel(_("Each centre's progress reports, as issued; they arrive with its bundles."))
        )
        layout.addWidget(self.table)
        layout.addWidget(self.empty)

    def refresh(self) -> None:
        """Read the reported figures again (off the GUI thread)."""
        services = self.services

        def done(reported: list[ReportedFiguresRecord]) -> None:
            if isValid(self):
                self._show(reported)

        run_query(services.reported.reported, done, lambda error: None)

    def _show(self, reported: list[ReportedFiguresRecord]) -> None:
        rows = []
        for entry in reported:
            training = entry.figures.get("training", {})
            rows.append(
                [
                    entry.centre,
                    _("{start} to {end}").format(
                        start=format_day(entry.period_start), end=format_day(entry.period_end)
                    ),
                    format_day(entry.prepared_on),
                    entry.document_number,
                    training.get("sessions"),
                    training.get("participants"),
                    training.get("certificates"),
                ]
            )
        headings = [
            _("Centre"),
            _("Period"),
            _("Issued on"),
            _("Document number"),
            _("Training sessions"),
            _("Participants"),
            _("Certificates"),
        ]
        self.table.show_table(Table(_("Figures reported by the centres"), headings, rows))
        self.table.setVisible(bool(rows))
        self.empty.setVisible(not rows)
        self.loaded.emit()
