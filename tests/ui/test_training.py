"""The Training sessions page, from planning a session to certificates, through its widgets."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QLineEdit,
    QTableView,
    QTableWidget,
    QTreeWidget,
)
from pytestqt.qtbot import QtBot

from regional_centre.enums import Gender, RegistrationStatus, SizeClass, StakeholderType
from regional_centre.services import Services
from regional_centre.services.listing import Kind
from regional_centre.services.organisations import ContactDraft, OrganisationDraft
from regional_centre.ui.editors.fields import (
    DateField,
    FieldEditor,
    LineField,
    RecordField,
    TextField,
)
from regional_centre.ui.editors.training import DaysField, SessionEditor
from regional_centre.ui.main_window import MainWindow
from regional_centre.ui.pages.list_page import ListPage
from regional_centre.ui.pages.records import RecordsPage
from regional_centre.ui.settings import Settings

DAY_1, DAY_2 = dt.date(2027, 3, 1), dt.date(2027, 3, 2)
LEFT = Qt.MouseButton.LeftButton


@pytest.fixture
def window(qtbot: QtBot, services: Services) -> Iterator[MainWindow]:
    shown = MainWindow(services, Settings())
    qtbot.addWidget(shown)
    yield shown


def sessions_list(qtbot: QtBot, window: MainWindow) -> ListPage:
    page = window.show_page("training")
    assert isinstance(page, RecordsPage)
    sessions = page.lists[0]
    qtbot.waitUntil(lambda: sessions.count_label.text() != "")
    return sessions


def session_editor(sessions: ListPage) -> SessionEditor:
    editor = sessions.editor
    assert isinstance(editor, SessionEditor)
    return editor


def type_in(qtbot: QtBot, field: FieldEditor, text: str) -> None:
    """Type into a field as a user would, replacing what it held."""
    if isinstance(field, LineField):
        field.line.clear()
        qtbot.keyClicks(field.line, text)
    elif isinstance(field, TextField):
        field.text.clear()
        qtbot.keyClicks(field.text, text)
    elif isinstance(field, RecordField):
        line = field.combo.lineEdit()
        assert line is not None
        line.clear()
        qtbot.keyClicks(line, text)
    else:
        raise AssertionError(f"cannot type into {field!r}")


def choose(combo: QComboBox, value: str) -> None:
    """Pick the entry holding ``value``, as a user picking it from the list."""
    index = combo.findData(value)
    assert index >= 0, value
    combo.setCurrentIndex(index)
    combo.activated.emit(index)


def tree_rows(tree: QTreeWidget) -> list[list[str]]:
    rows = []
    for r in range(tree.topLevelItemCount()):
        item = tree.topLevelItem(r)
        assert item is not None
        rows.append([item.text(c) for c in range(tree.columnCount())])
    return rows


def cell(
    table: QTableWidget, row: int, column: int, role: Qt.ItemDataRole = Qt.ItemDataRole.DisplayRole
) -> Any:
    item = table.item(row, column)
    assert item is not None
    return item.data(role)


def plan_session(qtbot: QtBot, editor: SessionEditor) -> str:
    """Fill the Plan tab of a new session (two days, two places) and save it; its id."""
    fields = editor.form.fields
    type_in(qtbot, fields["title"], "Managing used oil in garages")
    days = fields["days"]
    assert isinstance(days, DaysField)
    calendar_view = days.calendar.findChild(QTableView)
    days.calendar.setSelectedDate(QDate(2027, 3, 1))
    qtbot.keyClick(calendar_view, Qt.Key.Key_Space)
    qtbot.keyClick(calendar_view, Qt.Key.Key_Right)
    qtbot.keyClick(calendar_view, Qt.Key.Key_Space)
    assert days.chosen.count() == 2 and days.count.text() == "2 days"
    type_in(qtbot, fields["hours_per_day"], "6")
    choose(fields["country"].combo, "SN")  # type: ignore[attr-defined]
    type_in(qtbot, fields["capacity"], "2")
    assert not editor.tabs.isTabEnabled(editor.tabs.indexOf(editor.participants))
    assert editor.unsaved_hint.isVisibleTo(editor)
    qtbot.mouseClick(editor.save_button, LEFT)
    assert editor.record_id is not None, editor.form.general_error.text()
    return editor.record_id


def people(services: Services) -> tuple[str, str]:
    """An SME with one employee, Awa Diop, and a person without an organisation; their ids."""
    sme = services.organisations.create(
        OrganisationDraft(
            name="Garage Ndiaye",
            stakeholder_type=StakeholderType.SME,
            country="SN",
            size_class=SizeClass.MICRO,
            employees=4,
        )
    )
    awa = services.contacts.create(
        ContactDraft(
            given_name="Awa",
            family_name="Diop",
            gender=Gender.FEMALE,
            country="SN",
            organisation_id=sme.id,
        )
    )
    ali = services.contacts.create(
        ContactDraft(given_name="Ali", family_name="Kane", gender=Gender.MALE, country="ML")
    )
    return awa.id, ali.id


def test_a_session_from_planning_to_certificates(
    qtbot: QtBot, window: MainWindow, services: Services, qtmodeltester: object
) -> None:
    awa, ali = people(services)
    sessions = sessions_list(qtbot, window)
    editor = session_editor(sessions)
    session_id = plan_session(qtbot, editor)
    session = services.sessions.get(session_id)
    assert session.days == (DAY_1.isoformat(), DAY_2.isoformat())
    assert session.first_day == DAY_1 and session.capacity == 2
    assert editor.tabs.isTabEnabled(editor.tabs.indexOf(editor.participants))
    assert editor.history.topLevelItemCount() >= 1
    qtbot.waitUntil(lambda: sessions.model.rowCount() == 1)

    # Register a person found by name.
    panel = editor.participants
    editor.tabs.setCurrentWidget(panel)
    panel.person.choose(awa)
    qtbot.mouseClick(panel.register_button, LEFT)
    assert panel.table.rowCount() == 1 and not panel.problem.isVisibleTo(panel)
    assert cell(panel.table, 0, 1) == "Garage Ndiaye"

    # Register a new person of a new SME, both added on the spot.
    qtbot.mouseClick(panel.new_person_button, LEFT)
    assert panel.new_person_box.isVisibleTo(panel)
    person = panel.person_form.fields
    type_in(qtbot, person["given_name"], "Moussa")
    type_in(qtbot, person["family_name"], "Sow")
    choose(person["gender"].combo, "male")  # type: ignore[attr-defined]
    qtbot.mouseClick(panel.new_sme_button, LEFT)
    sme = panel.sme_form.fields
    type_in(qtbot, sme["name"], "Sow Recyclage")
    choose(sme["size_class"].combo, "small")  # type: ignore[attr-defined]
    type_in(qtbot, sme["employees"], "3")
    steps = window.edits.stack.count()
    qtbot.mouseClick(panel.add_person_button, LEFT)
    assert window.edits.stack.count() == steps  # nothing was added: nothing to undo
    assert (
        panel.sme_form.problem("employees")
        == "A small (10 to 49 employees) enterprise has 10 to 49 employees."
    )
    type_in(qtbot, sme["employees"], "12")
    qtbot.mouseClick(panel.add_person_button, LEFT)
    assert panel.table.rowCount() == 2, panel.problem.text()
    assert not panel.new_person_box.isVisibleTo(panel)
    names = [cell(panel.table, r, 0) for r in range(2)]
    assert names == ["Awa Diop", "Moussa Sow"]
    assert [o.label for o in services.lists.options(Kind.SMES, "Sow")] == ["Sow Recyclage"]
    assert window.edits.stack.undoText() == "Add and register a person"
    assert cell(panel.table, 1, 1) == "Sow Recyclage"
    assert panel.places.text() == "2 of 2 places taken; 0 on the waiting list."

    # The session is full: a third person is refused, and says why next to the picker.
    panel.person.choose(ali)
    qtbot.mouseClick(panel.register_button, LEFT)
    assert panel.problem.isVisibleTo(panel)
    assert panel.problem.text() == (
        "The session is full (2 places); put the person on the waiting list."
    )
    assert panel.table.rowCount() == 2

    # Registering the same person twice is refused.
    panel.person.choose(awa)
    choose(panel.status.combo, "waitlisted")
    qtbot.mouseClick(panel.register_button, LEFT)
    assert panel.problem.text() == "This person is already registered for the session."
    assert len(services.participations.for_session(session_id)) == 2

    # Attendance with the keyboard: Space, Right arrow, Space.
    attendance = editor.attendance
    editor.tabs.setCurrentWidget(attendance)
    qtmodeltester.check(attendance.model)  # type: ignore[attr-defined]
    grid = attendance.view
    assert grid.currentIndex().row() == 0 and grid.currentIndex().column() == 0
    qtbot.keyClick(grid, Qt.Key.Key_Space)
    qtbot.keyClick(grid, Qt.Key.Key_Right)
    qtbot.keyClick(grid, Qt.Key.Key_Space)
    awa_id = attendance.model.participation_id(0)
    recorded = services.participations.get(awa_id).days_attended
    assert recorded == (DAY_1.isoformat(), DAY_2.isoformat())
    assert grid.currentIndex().column() == 1
    total = attendance.model.index(0, 2).data()
    assert total == "2 of 2 days — meets the attendance rule"
    assert attendance.model.index(1, 2).data() == "0 of 2 days — 2 needed"
    assert attendance.summary.text().startswith("1 of 2 participants meet the attendance rule")

    # Ctrl+Z takes back the last toggle; the grid shows it.
    window.edits.stack.undo()
    assert services.participations.get(awa_id).days_attended == (DAY_1.isoformat(),)
    assert attendance.model.index(0, 1).data(Qt.ItemDataRole.CheckStateRole) == (
        Qt.CheckState.Unchecked
    )
    assert grid.currentIndex().column() == 1  # the current cell stays where it was
    window.edits.stack.redo()
    assert services.participations.get(awa_id).days_attended == (
        DAY_1.isoformat(),
        DAY_2.isoformat(),
    )

    # Test scores: typed in the grid; a score over 100 is refused below it.
    scores = editor.scores
    editor.tabs.setCurrentWidget(scores)
    qtmodeltester.check(scores.model)  # type: ignore[attr-defined]
    for column, text in ((0, "40"), (1, "150"), (1, "72.5"), (3, "5")):
        index = scores.model.index(0, column)
        scores.view.setCurrentIndex(index)
        scores.view.edit(index)
        (line,) = [w for w in scores.view.findChildren(QLineEdit) if w.isVisibleTo(scores.view)]
        line.selectAll()
        qtbot.keyClicks(line, text)
        qtbot.keyClick(line, Qt.Key.Key_Return)  # commits on the next turn of the event loop
        qtbot.waitUntil(lambda: scores.view.state() != QAbstractItemView.State.EditingState)
        if text == "150":
            assert scores.problem.text() == "Enter at most 100."
    awa_result = services.participations.get(awa_id)
    assert (awa_result.pre_test_score, awa_result.post_test_score) == (40, 72.5)
    assert awa_result.evaluation_rating == 5
    assert not scores.problem.isVisibleTo(scores)
    assert scores.model.index(0, 2).data() == "+32.5"
    assert "Average pre-test score: 40" in scores.averages.text()
    assert "Gain: +32.5 points" in scores.averages.text()

    # Certificates go to those who met the attendance rule only.
    certificates = editor.certificates
    editor.tabs.setCurrentWidget(certificates)
    assert [row[0] for row in tree_rows(certificates.eligible)] == ["Awa Diop"]
    qtbot.mouseClick(certificates.issue_button, LEFT)
    issued = services.certificates.for_session(session_id)
    assert [c.name for c in issued] == ["Awa Diop"]
    number = issued[0].certificate.number
    assert tree_rows(certificates.issued)[0][:3] == [
        number,
        "Awa Diop",
        issued[0].certificate.verification_code,
    ]
    assert not certificates.issue_button.isEnabled()
    assert cell(panel.table, 0, 3) == number

    # A follow-up of one of the SMEs that took part.
    follow_ups = editor.follow_ups
    editor.tabs.setCurrentWidget(follow_ups)
    offered = editor.follow_up_organisation.combo
    assert sorted(offered.itemText(i) for i in range(offered.count())) == [
        "Garage Ndiaye",
        "Sow Recyclage",
    ]
    choose(offered, services.contacts.get(awa).organisation_id or "")
    type_in(
        qtbot, follow_ups.form.fields["measures_implemented"], "Used oil now sold to a recycler"
    )
    date = follow_ups.form.fields["followed_up_on"]
    assert isinstance(date, DateField)
    date.edit.setDate(QDate(2027, 2, 1))
    qtbot.mouseClick(follow_ups.add_button, LEFT)
    assert (
        follow_ups.form.problem("followed_up_on") == "The follow-up is dated before the training."
    )
    date.edit.setDate(QDate(2027, 6, 1))
    qtbot.mouseClick(follow_ups.add_button, LEFT)
    recorded_follow_ups = services.sme_follow_ups.for_session(session_id)
    assert [f.measures_implemented for f in recorded_follow_ups] == [
        "Used oil now sold to a recycler"
    ]
    assert [row[1] for row in tree_rows(follow_ups.table)] == ["Garage Ndiaye"]

    # The figures count the people seated by gender.
    editor.tabs.setCurrentWidget(editor.figures)
    assert tree_rows(editor.figures.tables["gender"]) == [["Female", "1"], ["Male", "1"]]
    assert editor.figures.total.text() == "2 people registered or confirmed."
    assert sessions.model.index(0, 0).data() is not None


def test_a_registration_changes_status_in_its_row(
    qtbot: QtBot, window: MainWindow, services: Services
) -> None:
    awa, ali = people(services)
    editor = session_editor(sessions_list(qtbot, window))
    session_id = plan_session(qtbot, editor)
    services.sessions.change(session_id, capacity=1)
    first = services.participations.register(session_id, awa)
    second = services.participations.register(session_id, ali, status=RegistrationStatus.WAITLISTED)
    panel = editor.participants
    editor.tabs.setCurrentWidget(panel)
    editor.show_training()

    def status_combo(participation_id: str) -> QComboBox:
        row = next(
            r
            for r in range(panel.table.rowCount())
            if cell(panel.table, r, 0, Qt.ItemDataRole.UserRole) == participation_id
        )
        combo = panel.table.cellWidget(row, 2)
        assert isinstance(combo, QComboBox)
        return combo

    assert panel.places.text() == "1 of 1 place taken; 1 on the waiting list."
    choose(status_combo(second.id), "confirmed")
    assert panel.problem.text() == (
        "The session is full (1 places); put the person on the waiting list."
    )
    assert status_combo(second.id).currentData() == "waitlisted"
    choose(status_combo(first.id), "cancelled")
    choose(status_combo(second.id), "confirmed")
    assert not panel.problem.isVisibleTo(panel)
    assert services.participations.get(second.id).registration_status == "confirmed"
    assert panel.places.text() == "1 of 1 place taken; 0 on the waiting list."
    assert editor.attendance.model.rowCount() == 1


def test_adding_a_person_and_their_sme_is_one_undo_step(
    qtbot: QtBot, window: MainWindow, services: Services
) -> None:
    editor = session_editor(sessions_list(qtbot, window))
    session_id = plan_session(qtbot, editor)
    panel = editor.participants
    editor.tabs.setCurrentWidget(panel)
    qtbot.mouseClick(panel.new_person_button, LEFT)
    person = panel.person_form.fields
    type_in(qtbot, person["family_name"], "Sow")  # no given name: the picker cannot find " Sow"
    choose(person["gender"].combo, "male")  # type: ignore[attr-defined]
    qtbot.mouseClick(panel.new_sme_button, LEFT)
    type_in(qtbot, panel.sme_form.fields["name"], "Sow Recyclage")
    choose(panel.sme_form.fields["size_class"].combo, "micro")  # type: ignore[attr-defined]
    qtbot.mouseClick(panel.add_person_button, LEFT)
    assert panel.table.rowCount() == 1, panel.problem.text()
    counts = (services.organisations.count(), services.contacts.count())
    assert counts == (1, 1)
    window.edits.stack.undo()
    assert (services.organisations.count(), services.contacts.count()) == (0, 0)
    assert services.participations.for_session(session_id) == []
    assert panel.table.rowCount() == 0
    window.edits.stack.redo()
    assert panel.table.rowCount() == 1 and services.contacts.count() == 1


def test_a_supporting_partner_is_added_to_the_plan(
    qtbot: QtBot, window: MainWindow, services: Services
) -> None:
    partner = services.organisations.create(
        OrganisationDraft(
            name="TotalEnergies Marketing Sénégal",
            stakeholder_type=StakeholderType.MULTINATIONAL_COMPANY,
            country="SN",
        )
    )
    editor = session_editor(sessions_list(qtbot, window))
    plan_session(qtbot, editor)
    partners = editor.partners
    editor.tabs.setCurrentWidget(partners)
    fields = partners.form.fields
    organisation = fields["organisation_id"]
    assert isinstance(organisation, RecordField)
    organisation.choose(partner.id)
    choose(fields["kind"].combo, "cash")  # type: ignore[attr-defined]
    type_in(qtbot, fields["amount"], "2500")
    type_in(qtbot, fields["currency"], "XOF")
    qtbot.mouseClick(partners.add_button, LEFT)
    assert tree_rows(partners.table) == [
        ["TotalEnergies Marketing Sénégal", "Cash", "2,500", "XOF", ""]
    ]
    assert partners.summary.text() == "Total in XOF: 2,500"
    window.edits.stack.undo()
    assert partners.table.topLevelItemCount() == 0


def test_a_new_session_must_be_saved_before_anything_else(qtbot: QtBot, window: MainWindow) -> None:
    editor = session_editor(sessions_list(qtbot, window))
    tabs = editor.tabs
    assert [tabs.isTabEnabled(i) for i in range(tabs.count())] == [True] + [False] * (
        tabs.count() - 1
    )
    assert tabs.tabToolTip(tabs.indexOf(editor.attendance)) == "Save the session first."
    qtbot.mouseClick(editor.save_button, LEFT)
    assert editor.record_id is None
    assert editor.form.problem("days") == "A session has at least one day."
    assert editor.form.problem("title") == "This field is required."


def test_a_demo_session_shows_its_grids(
    qtbot: QtBot, demo_services: Services, qtmodeltester: object
) -> None:
    window = MainWindow(demo_services, Settings())
    qtbot.addWidget(window)
    sessions = sessions_list(qtbot, window)
    editor = session_editor(sessions)
    qtbot.waitUntil(lambda: sessions.model.rowCount() > 0)
    sessions.view.selectRow(0)
    assert editor.record_id == sessions.model.record_id(0)
    roster = demo_services.participations.roster(editor.record_id)
    seated = [r for r in roster if r.seated]
    assert editor.attendance.model.rowCount() == len(seated)
    assert editor.participants.table.rowCount() == len(roster)
    qtmodeltester.check(editor.attendance.model)  # type: ignore[attr-defined]
    qtmodeltester.check(editor.scores.model)  # type: ignore[attr-defined]
    figures = demo_services.sessions.figures(editor.record_id)
    shown = sum(int(row[1]) for row in tree_rows(editor.figures.tables["gender"]))
    assert shown == figures.participants == len(seated)
