"""The main window: for now, an overview of what the database holds."""

from __future__ import annotations

from PySide6.QtCore import Qt, Slot
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QHeaderView,
    QLabel,
    QMainWindow,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from regional_centre.i18n import N_, _, format_number
from regional_centre.services import Services

# What the overview counts, in the order of the framework elements.
OVERVIEW = (
    ("organisations", N_("Organisations")),
    ("contacts", N_("People")),
    ("dialogues", N_("Scoping dialogues")),
    ("partnerships", N_("Strategic partnerships")),
    ("activities", N_("Joint activities")),
    ("sessions", N_("Training sessions")),
    ("participations", N_("Participations")),
    ("certificates", N_("Certificates")),
)


class MainWindow(QMainWindow):
    """The program's window over one database."""

    def __init__(self, services: Services) -> None:
        super().__init__()
        self._services = services
        node = services.installation.this_node()
        where = node.centre_code or _("Secretariat")
        self.setWindowTitle(
            _("Regional Centre — {node} ({where})").format(node=node.name, where=where)
        )
        self.heading = QLabel(_("What this database holds"))
        self.overview = QTableWidget(len(OVERVIEW), 2)
        self.overview.setAccessibleName(_("Overview"))
        self.overview.setHorizontalHeaderLabels([_("Records"), _("Count")])
        self.overview.verticalHeader().hide()
        self.overview.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.overview.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.addWidget(self.heading)
        layout.addWidget(self.overview)
        self.setCentralWidget(central)
        path = services.database.path
        self.statusBar().showMessage(
            str(path) if path else services.database.url.render_as_string()
        )
        refresh = QAction(_("&Refresh"), self)
        refresh.setShortcut(QKeySequence(QKeySequence.StandardKey.Refresh))
        refresh.triggered.connect(self.refresh)
        quit_action = QAction(_("&Quit"), self)
        quit_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Quit))
        quit_action.triggered.connect(self.close)
        menu = self.menuBar().addMenu(_("&File"))
        menu.addAction(refresh)
        menu.addAction(quit_action)
        self.resize(640, 420)
        self.refresh()

    @Slot()
    def refresh(self) -> None:
        """Count the records again."""
        for row, (attribute, label) in enumerate(OVERVIEW):
            count = getattr(self._services, attribute).count()
            self.overview.setItem(row, 0, QTableWidgetItem(_(label)))
            number = QTableWidgetItem(format_number(count))
            number.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.overview.setItem(row, 1, number)
