"""The Sync page's dialogs and helpers: files, enrolment, import preview, background work.

Tests patch ``QFileDialog``'s functions, the functions of ``ui.messages``, and
each dialog's ``exec``, where a person would click.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from babel.dates import format_date, format_time
from PySide6.QtCore import Qt
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from regional_centre.i18n import (
    N_,
    _,
    current_language,
    format_number,
    in_sentence,
    ngettext,
    pgettext,
)
from regional_centre.reports.spreadsheets import Table
from regional_centre.services.errors import ServiceError
from regional_centre.services.fields import ValueKind, entity_label, value_format
from regional_centre.services.history import is_empty, shorten
from regional_centre.sync.crypto import readable_fingerprint
from regional_centre.ui import messages
from regional_centre.ui.operations import Operation, Progress, report_failure
from regional_centre.ui.pages.reports import FiguresTable, caption_label, note_label
from regional_centre.ui.pages.settings import local_time_text

if TYPE_CHECKING:
    from regional_centre.services.peers import PeerInfo
    from regional_centre.services.sync import ImportReport
    from regional_centre.sync.enrolment import Enrolment

T = TypeVar("T")

LIST_LABELS: dict[str, str] = {
    "centre": N_("Regional Centres"),
    "country": N_("Countries"),
    "isic": N_("Economic sectors (ISIC)"),
    "basel_code": N_("Basel Convention waste codes"),
    "priority_field": N_("Priority fields"),
    "waste_stream": N_("Waste streams"),
    "lifecycle_stage": N_("Life-cycle stages"),
}

# Tables a bundle carries that are not kinds of records people enter.
TABLE_LABELS: dict[str, str] = {
    "audit_entry": N_("History entry"),
    "sync_conflict": N_("Conflict log entry"),
}

PERSONAL_DATA_LABELS: dict[str, str] = {
    "full": N_("Full"),
    "pseudonymised": N_("Pseudonymised participants"),
}
PERSONAL_DATA_SHORT: dict[str, str] = {"full": N_("Full"), "pseudonymised": N_("Pseudonymised")}


def list_label(name: str) -> str:
    """A code list's name for people."""
    label = LIST_LABELS.get(name)
    return _(label) if label is not None else name


def table_label(table: str) -> str:
    """What the records of a table a bundle carries are called."""
    label = TABLE_LABELS.get(table)
    return _(label) if label is not None else entity_label(table)


def personal_data_label(mode: str, *, short: bool = False) -> str:
    """How much personal data a peer gets, for people (``short``: in a table)."""
    label = (PERSONAL_DATA_SHORT if short else PERSONAL_DATA_LABELS).get(mode)
    return _(label) if label is not None else mode


def where_text(centre: str | None, secretariat: bool) -> str:
    """The centre an installation works for, or the Secretariat."""
    return _("Secretariat") if secretariat or centre is None else centre


def value_text(entity: str, field: str, value: Any) -> str:
    """A value of the conflict log as people read it."""
    if field == "deleted":
        return _("Deleted") if value else _("Not deleted")
    if is_empty(value):
        return _("(empty)")
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, list | tuple):
        return shorten(", ".join(str(v) for v in value))
    fmt = value_format(entity, field)
    if fmt.kind is ValueKind.CHOICE and fmt.choices is not None:
        try:
            return fmt.choices(value).label()
        except ValueError:
            pass
    return shorten(str(value))


def selectable(label: QLabel) -> QLabel:
    """``label`` with text the user can select and copy."""
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


def result_label() -> QLabel:
    """Where the page says what an action did (hidden until it has something to say)."""
    label = selectable(QLabel())
    label.setWordWrap(True)
    label.hide()
    return label


def say(label: QLabel, text: str) -> None:
    """Show ``text`` in a result label (or hide it, for no text)."""
    label.setText(text)
    label.setVisible(bool(text))


def time_cell(value: dt.datetime | None) -> str:
    """A time kept in UTC on the user's clock, the day above the time (for tables), or "Never"."""
    if value is None:
        return _("Never")
    local = value.replace(tzinfo=dt.UTC).astimezone()
    language = current_language()
    return (
        format_date(local, format="medium", locale=language)
        + "\n"
        + format_time(local, format="medium", locale=language)
    )


def monospace(label: QLabel, scale: float = 1.0) -> QLabel:
    """``label`` in the fixed-width font (fingerprints), ``scale`` times the usual size."""
    font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
    font.setPointSizeF(label.font().pointSizeF() * scale)
    label.setFont(font)
    return label


def file_name(text: str) -> str:
    """``text`` as a file name: spaces and characters file systems refuse become dashes."""
    kept = "".join(c if c.isalnum() or c in "._-" else "-" for c in text.strip())
    return "-".join(part for part in kept.split("-") if part) or "regional-centre"


def import_summary(report: ImportReport) -> str:
    """One sentence on what an import did."""
    # History entries and conflict log entries come with the records; they are not counted.
    tables = [c for name, c in report.tables.items() if name not in TABLE_LABELS]
    text = _(
        "Imported bundle {number} from {name}: {added} added, {updated} updated, {deleted} deleted."
    ).format(
        number=report.manifest.number,
        name=report.sender,
        added=format_number(sum(t.added for t in tables)),
        updated=format_number(sum(t.updated for t in tables)),
        deleted=format_number(sum(t.deleted for t in tables)),
    )
    if report.conflicts:
        text += " " + ngettext(
            "{count} value went to the conflict log.",
            "{count} values went to the conflict log.",
            report.conflicts,
        ).format(count=format_number(report.conflicts))
    refused = sum(report.refused.values())
    if refused:
        text += " " + ngettext(
            "{count} record was refused.", "{count} records were refused.", refused
        ).format(count=format_number(refused))
    return text


def exchange_texts(peers: list[PeerInfo]) -> tuple[str, str, str]:
    """The last export, the last import and the records peers have not acknowledged, in words."""
    exports = [(p.last_export_at, p) for p in peers if p.last_export_at is not None]
    imports = [(p.last_import_at, p) for p in peers if p.last_import_at is not None]
    last_export = _("None yet")
    if exports:
        at, peer = max(exports, key=lambda pair: pair[0])
        last_export = _("{time}: bundle {number} for {name}").format(
            time=local_time_text(at), number=peer.sent_bundles, name=peer.name
        )
    last_import = _("None yet")
    if imports:
        at, peer = max(imports, key=lambda pair: pair[0])
        last_import = _("{time}: bundle {number} from {name}").format(
            time=local_time_text(at), number=peer.received_bundles, name=peer.name
        )
    waiting = [
        _("{count} for {name}").format(count=format_number(p.pending), name=p.name)
        for p in peers
        if p.pending and not p.revoked
    ]
    if waiting:
        pending = "; ".join(waiting)
    elif peers:
        pending = _("None: every peer has acknowledged every change.")
    else:
        pending = _("No peer is enrolled yet.")
    return last_export, last_import, pending


class SyncFiles:
    """Asks which file to write or to read, starting in the folder chosen last."""

    folder = Path.home()

    @classmethod
    def save(
        cls, parent: QWidget, title: str, suggested: str, kind: str, suffix: str
    ) -> Path | None:
        """The file to write (ending in ``suffix``), or None."""
        name, _filter = QFileDialog.getSaveFileName(
            parent, title, str(cls.folder / suggested), kind
        )
        if not name:
            return None
        path = Path(name)
        cls.folder = path.parent
        return path if path.suffix.lower() == suffix else path.with_name(path.name + suffix)

    @classmethod
    def open(cls, parent: QWidget, title: str, kind: str) -> Path | None:
        """The file to read, or None."""
        name, _filter = QFileDialog.getOpenFileName(
            parent, title, str(cls.folder), kind + ";;" + _("All files (*)")
        )
        if not name:
            return None
        cls.folder = Path(name).parent
        return Path(name)


def run_operation(
    parent: QWidget,
    work: Callable[[Progress], T],
    done: Callable[[T], None],
    failure_title: str,
    progress: str = "",
) -> None:
    """Run ``work`` on the writing worker; a refusal is shown plainly under ``failure_title``."""

    def failed(error: BaseException) -> None:
        if isinstance(error, ServiceError):
            messages.show_error(parent, failure_title, str(error))
        else:
            report_failure(parent, error)

    operation = Operation(parent, work).success(done).failure(failed)
    if progress:
        operation.with_progress(progress)
    operation.run_in_background()


class EnrolDialog(QDialog):
    """Who an enrolment file introduces, its fingerprint in large print, and the question."""

    def __init__(
        self, enrolment: Enrolment, known: PeerInfo | None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Enrol an installation"))
        name = enrolment.name
        self.who = QLabel(name)
        font = self.who.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.3)
        self.who.setFont(font)
        self.where = QLabel(
            _("The Secretariat of the Basel Convention")
            if enrolment.secretariat
            else _("An installation of {centre}").format(centre=enrolment.centre)
        )
        self.fingerprint = monospace(QLabel(readable_fingerprint(enrolment.fingerprint)), 1.8)
        self.fingerprint.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.fingerprint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.fingerprint.setAccessibleName(_("Fingerprint"))
        if enrolment.replaces is not None:
            text = _(
                "This is a new key of {name}, endorsed by the key enrolled here before "
                "({old}). Once it is enrolled, bundles signed with the old key are refused."
            ).format(name=name, old=readable_fingerprint(enrolment.replaces))
        elif known is not None and known.fingerprint != enrolment.fingerprint:
            text = _(
                "{name} is enrolled here with another key ({old}). Enrolling this one replaces "
                "it: bundles signed with the old key will be refused."
            ).format(name=name, old=known.readable_fingerprint)
        elif known is not None:
            text = _("{name} is already enrolled here with this key.").format(name=name)
        else:
            text = _(
                "Call someone at {name} and ask them to read out the fingerprint shown on "
                "their Sync page. Only enrol it if every group matches."
            ).format(name=name)
        self.note = note_label(text)
        self.question = caption_label(_("Does it match what the other side reads out?"))
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Yes | QDialogButtonBox.StandardButton.No
        )
        # Enter answers No: trusting a key takes a deliberate click.
        self.buttons.button(QDialogButtonBox.StandardButton.Yes).setAutoDefault(False)
        self.buttons.button(QDialogButtonBox.StandardButton.No).setDefault(True)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.who)
        layout.addWidget(self.where)
        layout.addSpacing(12)
        layout.addWidget(QLabel(_("Fingerprint of its key:")))
        layout.addWidget(self.fingerprint)
        layout.addSpacing(12)
        layout.addWidget(self.note)
        layout.addWidget(self.question)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(self.fingerprint.sizeHint().width() + 48)

    @classmethod
    def ask(cls, parent: QWidget | None, enrolment: Enrolment, known: PeerInfo | None) -> bool:
        """Whether the user confirmed that the fingerprint matches."""
        return cls(enrolment, known, parent).exec() == QDialog.DialogCode.Accepted


def preview_table(report: ImportReport) -> Table:
    """What importing a bundle changes (or would change) in each table, tables untouched left out."""
    return Table(
        _("Changes"),
        [
            _("Kind of record"),
            _("Added"),
            _("Updated"),
            pgettext("count", "Deleted"),
            _("Already here"),
            _("Refused"),
        ],
        [
            [table_label(name), c.added, c.updated, c.deleted, c.unchanged, c.refused]
            for name, c in report.tables.items()
            if c.added or c.updated or c.deleted or c.unchanged or c.refused
        ],
    )


def refused_lines(report: ImportReport) -> list[str]:
    """Why records of the bundle are (or would be) refused, one line per owner."""
    lines = []
    for owner, count in sorted(report.refused.items()):
        if owner == "reference":
            text = ngettext(
                "{count} code list refused: only the Secretariat updates reference data.",
                "{count} code lists refused: only the Secretariat updates reference data.",
                count,
            )
        else:
            text = ngettext(
                "{count} record of {owner} refused: a centre may change only its own records.",
                "{count} records of {owner} refused: a centre may change only its own records.",
                count,
            )
        lines.append(text.format(count=count, owner=owner))
    return lines


class ImportPreviewDialog(QDialog):
    """What a dry run found: the changes, conflicts and refusals importing a bundle would make."""

    def __init__(self, report: ImportReport, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        manifest = report.manifest
        sender = manifest.sender
        self.setWindowTitle(
            _("Import bundle {number} from {name}?").format(
                number=manifest.number, name=report.sender
            )
        )
        self.summary = QLabel(
            _(
                "Bundle {number} from {name} ({where}), made on {made}, with {mode} personal "
                "data. Nothing has changed yet; importing it would do this:"
            ).format(
                number=manifest.number,
                name=report.sender,
                where=where_text(sender.centre, sender.secretariat),
                made=local_time_text(manifest.created_at),
                mode=in_sentence(personal_data_label(manifest.personal_data)),
            )
        )
        self.summary.setWordWrap(True)
        self.table = FiguresTable()
        changes = preview_table(report)
        self.table.show_table(changes)
        self.table.setVisible(bool(changes.rows))
        self.nothing = note_label(_("The bundle holds nothing new for this installation."))
        self.nothing.setVisible(not changes.rows)
        self.conflicts = QLabel(
            ngettext(
                "{count} value would go to the conflict log: another installation changed "
                "it without seeing this change.",
                "{count} values would go to the conflict log: other installations changed "
                "them without seeing these changes.",
                report.conflicts,
            ).format(count=report.conflicts)
            if report.conflicts
            else _("No value would go to the conflict log.")
        )
        self.conflicts.setWordWrap(True)
        self.refused = QLabel("\n".join(refused_lines(report)))
        self.refused.setWordWrap(True)
        self.refused.setVisible(bool(report.refused))
        self.lists = QLabel(
            _("Code lists that would be updated: {lists}.").format(
                lists=", ".join(list_label(name) for name in report.reference_updated)
            )
        )
        self.lists.setWordWrap(True)
        self.lists.setVisible(bool(report.reference_updated))
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.import_button = self.buttons.addButton(
            _("Import"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        for widget in (self.summary, self.table, self.nothing, self.conflicts, self.refused):
            layout.addWidget(widget)
        layout.addWidget(self.lists)
        layout.addStretch(1)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(560)

    def texts(self) -> list[str]:
        """Every line of text the dialog shows (for tests and screen readers)."""
        labels = (self.summary, self.nothing, self.conflicts, self.refused, self.lists)
        return [label.text() for label in labels if not label.isHidden()]

    @classmethod
    def ask(cls, parent: QWidget | None, report: ImportReport) -> bool:
        """Whether the user chose to import the bundle."""
        return cls(report, parent).exec() == QDialog.DialogCode.Accepted
