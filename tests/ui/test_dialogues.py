"""The Dialogues page: the dialogue form, its participants and its follow-up actions."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from pytestqt.qtbot import QtBot

from regional_centre.enums import ActionStatus, DialogueFormat
from regional_centre.services import Services
from regional_centre.services.listing import Kind, ListQuery
from regional_centre.ui.editors.dialogues import OVERDUE_COLOUR, DialogueEditor
from regional_centre.ui.list_model import VALUE_ROLE
from regional_centre.ui.main_window import MainWindow
from regional_centre.ui.pages.list_page import ListPage
from regional_centre.ui.settings import Settings

LEFT = Qt.MouseButton.LeftButton


@dataclass
class Screen:
    window: MainWindow
    page: ListPage
    editor: DialogueEditor


@pytest.fixture
def screen(
    qtbot: QtBot, demo_services: Services, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Screen]:
    # Closing the window at the end would ask about a form left unsaved.
    monkeypatch.setattr("regional_centre.ui.main_window.confirm", lambda *a: True)
    window = MainWindow(demo_services, Settings())
    qtbot.addWidget(window)
    window.resize(1300, 850)
    window.show()
    records = window.show_page("dialogues")
    page = records.list_of(Kind.DIALOGUES)  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: not page.model.loading)
    editor = page.editor
    assert isinstance(editor, DialogueEditor)
    yield Screen(window, page, editor)
    window.close()


def new_saved_dialogue(qtbot: QtBot, screen: Screen, title: str = "Used oils round table") -> str:
    editor = screen.editor
    screen.window.new_record()
    qtbot.keyClicks(editor.form.fields["title"].focus_widget(), title)
    editor.form.fields["country"].set_value("SN")
    qtbot.mouseClick(editor.save_button, LEFT)
    dialogue_id = editor.record_id
    assert dialogue_id is not None, editor.form.general_error.text()
    qtbot.waitUntil(lambda: screen.page.model.row_of(dialogue_id) is not None)
    return dialogue_id


def organisations_with_people(services: Services, count: int) -> list[tuple[str, str, str]]:
    """(organisation id, its name, the id of one of its people) for partners with people."""
    found = []
    for row in services.lists.page(Kind.PARTNERS, ListQuery(), 0, 100):
        people = services.lists.options(Kind.CONTACTS, "", within=row.id)
        if people:
            found.append((row.id, str(row.values[0]), people[0].id))
        if len(found) == count:
            return found
    raise AssertionError("the demo data has too few partners with people")


def test_a_dialogue_is_created_and_changed_through_the_form(qtbot: QtBot, screen: Screen) -> None:
    services, editor = screen.window.services, screen.editor
    before = services.dialogues.count()
    screen.window.new_record()
    assert editor.heading.text() == "New dialogue"
    qtbot.keyClicks(editor.form.fields["title"].focus_widget(), "E-waste take-back scoping")
    format_field = editor.form.fields["format"]
    format_field.combo.setCurrentIndex(format_field.combo.findData("workshop"))  # type: ignore[attr-defined]
    editor.form.fields["country"].set_value("SN")
    editor.form.fields["held_on"].set_value(dt.date(2025, 3, 4))
    qtbot.keyClicks(editor.form.fields["city"].focus_widget(), "Thies")
    qtbot.mouseClick(editor.save_button, LEFT)
    dialogue_id = editor.record_id
    assert dialogue_id is not None
    assert services.dialogues.count() == before + 1
    saved = services.dialogues.get(dialogue_id)
    assert (saved.title, saved.format, saved.country, saved.city, saved.held_on) == (
        "E-waste take-back scoping",
        DialogueFormat.WORKSHOP,
        "SN",
        "Thies",
        dt.date(2025, 3, 4),
    )
    assert editor.heading.text() == "E-waste take-back scoping"
    qtbot.waitUntil(lambda: screen.page.model.row_of(dialogue_id) is not None)

    title = editor.form.fields["title"].focus_widget()
    title.clear()  # type: ignore[attr-defined]
    qtbot.keyClicks(title, "E-waste take-back: second round")
    assert editor.dirty
    qtbot.mouseClick(editor.save_button, LEFT)
    assert services.dialogues.get(dialogue_id).title == "E-waste take-back: second round"
    screen.window.edits.stack.undo()
    assert services.dialogues.get(dialogue_id).title == "E-waste take-back scoping"
    assert editor.form.fields["title"].value() == "E-waste take-back scoping"


def test_a_dialogue_without_a_title_is_refused_with_the_reason_beside_the_title(
    qtbot: QtBot, screen: Screen
) -> None:
    services, editor = screen.window.services, screen.editor
    before = services.dialogues.count()
    screen.window.new_record()
    editor.form.fields["country"].set_value("SN")
    qtbot.mouseClick(editor.save_button, LEFT)
    assert editor.record_id is None
    assert services.dialogues.count() == before
    assert editor.form.problem("title")
    assert editor.form.errors["title"].isVisible()
    assert editor.form.problem("country") == ""


def test_participants_wait_for_the_dialogue_to_be_saved(qtbot: QtBot, screen: Screen) -> None:
    editor = screen.editor
    screen.window.new_record()
    participants, actions = editor.participants, editor.follow_ups
    for tab in (participants, actions):
        editor.tabs.setCurrentWidget(tab)
        assert not tab.add_button.isEnabled()
        assert tab.hint.isVisible()
        assert tab.hint.text().startswith("Save the dialogue first")
    new_saved_dialogue(qtbot, screen)
    for tab in (participants, actions):
        editor.tabs.setCurrentWidget(tab)
        assert tab.add_button.isEnabled()
        assert not tab.hint.isVisible()


def test_participants_are_added_checked_and_removed(
    qtbot: QtBot, screen: Screen, monkeypatch: pytest.MonkeyPatch
) -> None:
    services, editor = screen.window.services, screen.editor
    dialogue_id = new_saved_dialogue(qtbot, screen)
    participants = editor.participants
    editor.tabs.setCurrentWidget(participants)
    (first, first_name, first_person), (_second, _name, other_person) = organisations_with_people(
        services, 2
    )
    assert not participants.person.isEnabled()  # a person belongs to an organisation chosen first
    participants.organisation.choose(first)
    assert participants.person.isEnabled()
    assert participants.person.within == first
    qtbot.mouseClick(participants.add_button, LEFT)
    assert participants.table.topLevelItemCount() == 1
    assert participants.table.topLevelItem(0).text(0) == first_name  # type: ignore[union-attr]
    assert editor.tabs.tabText(editor.tabs.indexOf(participants)) == "Participants (1)"
    assert len(services.dialogue_participants.for_dialogue(dialogue_id)) == 1

    participants.organisation.choose(first)
    qtbot.mouseClick(participants.add_button, LEFT)
    assert "already a participant" in participants.form.problem("organisation_id")
    assert participants.table.topLevelItemCount() == 1

    participants.person.choose(other_person)  # someone of another organisation
    qtbot.mouseClick(participants.add_button, LEFT)
    assert "does not work for the organisation" in participants.form.problem("contact_id")
    assert participants.form.errors["contact_id"].isVisible()
    assert participants.table.topLevelItemCount() == 1

    participants.person.choose(first_person)
    qtbot.mouseClick(participants.add_button, LEFT)
    assert participants.form.problem("contact_id") == ""
    assert participants.table.topLevelItemCount() == 2
    row = screen.page.model.row_of(dialogue_id)
    assert row is not None
    column = [c.key for c in screen.page.model.columns].index("participants")
    assert screen.page.model.index(row, column).data(VALUE_ROLE) == 2

    monkeypatch.setattr("regional_centre.ui.editors.children.confirm", lambda *a: True)
    participants.table.topLevelItem(0).setSelected(True)  # type: ignore[union-attr]
    qtbot.mouseClick(participants.remove_button, LEFT)
    assert participants.table.topLevelItemCount() == 1
    screen.window.edits.stack.undo()
    assert participants.table.topLevelItemCount() == 2


def test_an_overdue_follow_up_action_is_flagged_in_words_and_colour(
    qtbot: QtBot, screen: Screen
) -> None:
    services, editor = screen.window.services, screen.editor
    dialogue_id = new_saved_dialogue(qtbot, screen)
    actions = editor.follow_ups
    editor.tabs.setCurrentWidget(actions)
    qtbot.keyClicks(actions.form.fields["description"].focus_widget(), "Send the draft MoU")
    qtbot.keyClicks(actions.form.fields["responsible"].focus_widget(), "Programme officer")
    actions.form.fields["due_on"].set_value(dt.date.today() - dt.timedelta(days=10))
    qtbot.mouseClick(actions.add_button, LEFT)
    assert actions.form.problem("description") == ""
    assert actions.table.topLevelItemCount() == 1
    item = actions.table.topLevelItem(0)
    assert item is not None
    assert item.text(1) == "Overdue"
    assert item.text(2) == "Send the draft MoU"
    assert item.foreground(2).color() == QColor(OVERDUE_COLOUR)
    assert "10 days ago" in item.toolTip(1)
    assert actions.summary.text() == "1 open, 1 overdue"
    assert "⚠" in editor.tabs.tabText(editor.tabs.indexOf(actions))
    row = screen.page.model.row_of(dialogue_id)
    assert row is not None
    column = [c.key for c in screen.page.model.columns].index("overdue")
    assert screen.page.model.index(row, column).data() == "Yes"

    item.setSelected(True)  # choosing it shows it in the form to change it
    assert actions.add_button.text() == "Save changes"
    assert actions.form.fields["description"].value() == "Send the draft MoU"
    qtbot.mouseClick(actions.done_button, LEFT)
    (action,) = services.follow_up_actions.for_dialogue(dialogue_id)
    assert action.status == ActionStatus.DONE and action.completed_on == dt.date.today()
    item = actions.table.topLevelItem(0)
    assert item is not None
    assert item.text(1) == "Done"
    assert item.foreground(2).color() != QColor(OVERDUE_COLOUR)
    assert screen.page.model.index(row, column).data() == ""
    screen.window.edits.stack.undo()
    assert actions.table.topLevelItem(0).text(1) == "Overdue"  # type: ignore[union-attr]


def test_a_follow_up_action_is_changed_and_a_wrong_one_refused(
    qtbot: QtBot, screen: Screen
) -> None:
    services, editor = screen.window.services, screen.editor
    dialogue_id = new_saved_dialogue(qtbot, screen)
    actions = editor.follow_ups
    editor.tabs.setCurrentWidget(actions)
    qtbot.mouseClick(actions.add_button, LEFT)
    assert actions.form.problem("description")
    assert services.follow_up_actions.for_dialogue(dialogue_id) == []

    qtbot.keyClicks(actions.form.fields["description"].focus_widget(), "Share the inventory")
    qtbot.mouseClick(actions.add_button, LEFT)
    assert actions.form.problem("description") == ""
    actions.table.topLevelItem(0).setSelected(True)  # type: ignore[union-attr]
    qtbot.keyClicks(actions.form.fields["responsible"].focus_widget(), "Ms Diop")
    qtbot.mouseClick(actions.add_button, LEFT)
    (action,) = services.follow_up_actions.for_dialogue(dialogue_id)
    assert action.responsible == "Ms Diop"
    assert actions.table.topLevelItem(0).text(3) == "Ms Diop"  # type: ignore[union-attr]
    assert actions.add_button.text() == "Add"  # back to adding a new one
