"""The Sync page: this installation as a node of the network of centres and the Secretariat.

It shows what a bundle exchange will rest on: who this node is, how far its own
change sequence has come, what it holds and which versions of the code lists it
uses. Exchanging bundles is not part of this version, and the page says so
rather than offering buttons that would do nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import (
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from regional_centre.i18n import N_, _, format_number
from regional_centre.reports.spreadsheets import Table
from regional_centre.services import Services
from regional_centre.services.fields import entity_label
from regional_centre.services.installation import NodeStatus
from regional_centre.services.reference import CodeListInfo
from regional_centre.ui.edits import Edits
from regional_centre.ui.messages import show_error
from regional_centre.ui.operations import run_query
from regional_centre.ui.pages.base import Page
from regional_centre.ui.pages.reports import FiguresTable, caption_label, note_label, title_label
from regional_centre.ui.pages.settings import back_up_now, local_time_text
from regional_centre.ui.settings import Settings

# The services whose records this node holds and will exchange, in the order shown.
COUNTED = (
    "organisations",
    "contacts",
    "dialogues",
    "dialogue_participants",
    "follow_up_actions",
    "partnerships",
    "partnership_members",
    "activities",
    "contributions",
    "outcomes",
    "reviews",
    "sessions",
    "participations",
    "certificates",
    "sme_follow_ups",
)

LIST_LABELS: dict[str, str] = {
    "centre": N_("Regional Centres"),
    "country": N_("Countries"),
    "isic": N_("Economic sectors (ISIC)"),
    "basel_code": N_("Basel Convention waste codes"),
    "priority_field": N_("Priority fields"),
    "waste_stream": N_("Waste streams"),
    "lifecycle_stage": N_("Life-cycle stages"),
}


@dataclass(frozen=True)
class NodeFacts:
    """What the page reads from the database (off the GUI thread)."""

    status: NodeStatus
    counts: list[tuple[str, int]]  # (entity, live records)
    lists: list[CodeListInfo]


def read_facts(services: Services) -> NodeFacts:
    """This node's change status, record counts and code lists."""
    counts = []
    for name in COUNTED:
        service = getattr(services, name)
        counts.append((service.entity, service.count()))
    return NodeFacts(services.installation.status(), counts, services.reference.lists())


class SyncPage(Page):
    """This installation as a sync node: identity, change sequence, records and code lists."""

    #: The counts and code lists were read and are on the page.
    loaded = Signal()
    #: A backup was made: the new file.
    backed_up = Signal(Path)

    def __init__(self, services: Services, edits: Edits, settings: Settings) -> None:
        super().__init__()
        self.services = services
        self._generation = 0
        self.follow_edits(edits)

        node = services.installation.this_node()
        self.centre = QLabel(self._centre_text(node.centre_code))
        self.centre.setWordWrap(True)
        self.node_name = QLabel(node.name)
        self.node_id = QLabel(node.id)
        self.seq = QLabel("…")
        self.last_change = QLabel("…")
        self.created = QLabel("…")
        for label in (self.centre, self.node_name, self.node_id, self.seq, self.last_change):
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        identity = QGroupBox(_("This installation"))
        identity_layout = QVBoxLayout(identity)
        form = QFormLayout()
        form.addRow(_("Works for:"), self.centre)
        form.addRow(_("Node name:"), self.node_name)
        form.addRow(_("Node id:"), self.node_id)
        form.addRow(_("Set up on:"), self.created)
        form.addRow(_("Changes made here:"), self.seq)
        form.addRow(_("Last change:"), self.last_change)
        identity_layout.addLayout(form)
        identity_layout.addWidget(
            note_label(
                _(
                    "Each change made here gets the next number; a bundle will carry the "
                    "changes a peer has not seen yet."
                )
            )
        )
        identity_layout.addStretch(1)

        exchange = QGroupBox(_("Exchanging changes"))
        exchange_layout = QVBoxLayout(exchange)
        exchange_layout.addWidget(
            note_label(
                _(
                    "Exchanging bundles of changes with other nodes of the centre and with the "
                    "Secretariat comes with the sync feature, in a later version of the program. "
                    "Until then, everything entered here stays in this database: back it up "
                    "regularly."
                )
            )
        )
        self.backup_button = QPushButton(_("Back up now"))
        self.backup_button.clicked.connect(self.back_up)
        self.backup_result = QLabel()
        self.backup_result.setWordWrap(True)
        self.backup_result.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        backup_row = QHBoxLayout()
        backup_row.addWidget(self.backup_button)
        backup_row.addWidget(self.backup_result, 1)
        exchange_layout.addLayout(backup_row)
        exchange_layout.addStretch(1)
        self.backup_button.setEnabled(services.maintenance.database_file() is not None)

        self.state = QLabel(_("Counting…"))
        self.counts_table = FiguresTable()
        self.lists_table = FiguresTable(stretch_column=3)
        records = QVBoxLayout()
        records.setSpacing(4)
        records.addWidget(caption_label(_("Records held here")))
        records.addWidget(self.state)
        records.addWidget(self.counts_table)
        records.addStretch(1)
        lists = QVBoxLayout()
        lists.setSpacing(4)
        lists.addWidget(caption_label(_("Code lists")))
        lists.addWidget(self.lists_table)
        lists.addWidget(
            note_label(
                _(
                    "Nodes that exchange changes should use the same versions of the code "
                    "lists; a newer version of the program brings newer lists."
                )
            )
        )
        lists.addStretch(1)

        top = QHBoxLayout()
        top.addWidget(identity, 1)
        top.addWidget(exchange, 1)
        tables = QHBoxLayout()
        tables.setSpacing(24)
        tables.addLayout(records, 2)
        tables.addLayout(lists, 3)
        content = QWidget()
        inner = QVBoxLayout(content)
        inner.addWidget(title_label(_("Sync")))
        inner.addLayout(top)
        inner.addSpacing(8)
        inner.addLayout(tables)
        inner.addStretch(1)
        self.set_scrolling_content(content)
        self.refresh()

    def _centre_text(self, code: str | None) -> str:
        if code is None:
            return _("The Secretariat of the Basel Convention")
        centre = next((c for c in self.services.reference.centres() if c.code == code), None)
        if centre is None:
            return code
        city = centre.attributes.get("city")
        if city:
            return _("{code}: {title}, {city}").format(code=code, title=centre.title, city=city)
        return _("{code}: {title}").format(code=code, title=centre.title)

    # Reading.

    def refresh(self) -> None:
        """F5: read the change status, the counts and the code lists again."""
        self._stale = False
        self._generation += 1
        generation = self._generation
        services = self.services
        self.state.setText(_("Counting…"))
        self.state.show()

        def done(facts: NodeFacts) -> None:
            if generation == self._generation and isValid(self):  # the page may be gone
                self._show(facts)

        def failed(error: BaseException) -> None:
            if generation == self._generation and isValid(self):
                self.state.setText(_("The records could not be counted."))
                show_error(self, _("Cannot read this installation's figures"), str(error))

        run_query(lambda: read_facts(services), done, failed)

    def _show(self, facts: NodeFacts) -> None:
        status = facts.status
        self.seq.setText(format_number(status.seq))
        self.last_change.setText(
            local_time_text(status.last_change) if status.last_change else _("None yet")
        )
        self.created.setText(local_time_text(status.created_at))
        total = sum(count for _entity, count in facts.counts)
        self.counts_table.show_table(
            Table(
                _("Records held here"),
                [_("Kind of record"), _("Records")],
                [
                    *([entity_label(entity), count] for entity, count in facts.counts),
                    [_("All records"), total],
                ],
            )
        )
        self.lists_table.show_table(
            Table(
                _("Code lists"),
                [_("Code list"), _("Version"), _("Entries"), _("Source")],
                [
                    [self._list_label(info.name), info.version, info.size, info.source]
                    for info in facts.lists
                ],
            )
        )
        self.state.hide()
        self.loaded.emit()

    @staticmethod
    def _list_label(name: str) -> str:
        label = LIST_LABELS.get(name)
        return _(label) if label is not None else name

    # Backup.

    @Slot()
    def back_up(self) -> None:
        """Copy the database into its backups folder now, and say where."""
        self.backup_result.clear()

        def done(path: Path) -> None:
            self.backup_result.setText(_("Backup written to {path}").format(path=path))
            self.status_message.emit(_("Backup written to {path}.").format(path=path))
            self.backed_up.emit(path)

        back_up_now(self, self.services, done)
