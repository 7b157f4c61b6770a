"""Record forms: create and edit through the widgets, messages next to fields, undo, links, history."""

from __future__ import annotations

import weakref

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from regional_centre.enums import EngagementStage, Gender, StakeholderType
from regional_centre.services import Services
from regional_centre.services.listing import Kind, ListQuery
from regional_centre.services.organisations import ContactDraft, OrganisationDraft
from regional_centre.ui.editors.fields import ChoiceField, CodeField, LineField, RecordField
from regional_centre.ui.editors.organisations import OrganisationEditor
from regional_centre.ui.edits import Edits
from regional_centre.ui.main_window import MainWindow
from regional_centre.ui.pages.list_page import ListPage
from regional_centre.ui.pages.records import RecordsPage
from regional_centre.ui.settings import Settings
from tests.services.test_organisations import organisation_draft


def partners(qtbot: QtBot, services: Services) -> tuple[MainWindow, ListPage, OrganisationEditor]:
    window = MainWindow(services, Settings())
    qtbot.addWidget(window)
    window.show()
    page = window.show_page("partners")
    assert isinstance(page, RecordsPage)
    listed = page.current_list()
    assert listed is not None and isinstance(listed.editor, OrganisationEditor)
    if listed.model.loading:
        qtbot.waitSignal(listed.model.loaded, timeout=10_000).wait()
    return window, listed, listed.editor


def field(editor: OrganisationEditor, name: str) -> object:
    return editor.form.fields[name]


def type_into(qtbot: QtBot, editor: OrganisationEditor, name: str, text: str) -> None:
    line = field(editor, name)
    assert isinstance(line, LineField)
    line.line.clear()
    qtbot.keyClicks(line.line, text)


def choose_country(editor: OrganisationEditor, text: str) -> None:
    country = field(editor, "country")
    assert isinstance(country, CodeField)
    country.combo.setCurrentIndex(country.combo.findText(text, Qt.MatchFlag.MatchContains))


def test_a_new_partner_is_saved_from_the_form_and_listed(qtbot: QtBot, services: Services) -> None:
    window, page, editor = partners(qtbot, services)
    window.new_action.trigger()
    assert editor.heading.text() == "New organisation"
    type_into(qtbot, editor, "name", "Ecobat Recyclage")
    type_into(qtbot, editor, "acronym", "ECB")
    choose_country(editor, "Senegal")
    messages: list[str] = []
    window.statusBar().messageChanged.connect(messages.append)
    with qtbot.waitSignal(page.model.loaded, timeout=10_000):
        window.save_action.trigger()
    saved = services.organisations.get(editor.record_id or "")
    assert (saved.name, saved.acronym, saved.country) == ("Ecobat Recyclage", "ECB", "SN")
    assert saved.stakeholder_type is StakeholderType.CORPORATE_FOUNDATION  # the first offered
    assert page.model.rowCount() == 1
    assert "Saved." in messages
    assert not editor.save_button.isEnabled()  # nothing left to save


def test_a_refused_save_shows_each_message_next_to_its_field(
    qtbot: QtBot, services: Services
) -> None:
    window, _page, editor = partners(qtbot, services)
    window.new_action.trigger()
    kind = field(editor, "stakeholder_type")
    assert isinstance(kind, ChoiceField)
    kind.combo.setCurrentIndex(kind.combo.findData(StakeholderType.SME.value))
    type_into(qtbot, editor, "email", "not an address")
    type_into(qtbot, editor, "employees", "many")
    window.save_action.trigger()
    assert editor.record_id is None and services.organisations.count() == 0
    assert editor.form.problem("name") == "This field is required."
    assert editor.form.problem("country")
    assert editor.form.problem("email")
    assert editor.form.problem("employees")
    assert "size class" in editor.form.problem("size_class")
    assert editor.form.errors["name"].isVisible()
    assert not editor.form.errors["city"].isVisible()
    # Fixing the form clears the messages on the next save.
    type_into(qtbot, editor, "name", "Atelier Ndiaye")
    type_into(qtbot, editor, "email", "")
    type_into(qtbot, editor, "employees", "4")
    choose_country(editor, "Senegal")
    size = field(editor, "size_class")
    assert isinstance(size, ChoiceField)
    size.combo.setCurrentIndex(size.combo.findData("micro"))
    window.save_action.trigger()
    assert editor.record_id is not None
    assert not any(editor.form.problem(name) for name in editor.form.fields)


def test_editing_then_undo_and_redo_through_the_menu(qtbot: QtBot, demo_services: Services) -> None:
    window, page, editor = partners(qtbot, demo_services)
    page.view.selectRow(0)
    record_id = page.model.record_id(0)
    assert editor.record_id == record_id
    old_name = demo_services.organisations.get(record_id).name
    type_into(qtbot, editor, "name", "Renamed Partner Ltd")
    assert editor.dirty and editor.save_button.isEnabled()
    window.save_action.trigger()
    assert demo_services.organisations.get(record_id).name == "Renamed Partner Ltd"
    assert window.undo_action.text() == "&Undo Edit organisation"
    window.undo_action.trigger()
    assert demo_services.organisations.get(record_id).name == old_name
    line = field(editor, "name")
    assert isinstance(line, LineField) and line.line.text() == old_name  # the form follows
    window.redo_action.trigger()
    assert demo_services.organisations.get(record_id).name == "Renamed Partner Ltd"
    assert window.redo_action.shortcuts()[0].toString() == "Ctrl+Shift+Z"


def test_creating_can_be_undone_and_redone(qtbot: QtBot, services: Services) -> None:
    window, page, editor = partners(qtbot, services)
    type_into(qtbot, editor, "name", "Short Lived Ltd")
    choose_country(editor, "Ghana")
    with qtbot.waitSignal(page.model.loaded, timeout=10_000):
        editor.save()
    record_id = editor.record_id
    with qtbot.waitSignal(page.model.loaded, timeout=10_000):
        window.undo_action.trigger()
    assert services.organisations.count() == 0 and page.model.rowCount() == 0
    assert editor.record_id is None  # the form no longer shows a record that is gone
    with qtbot.waitSignal(page.model.loaded, timeout=10_000):
        window.redo_action.trigger()
    assert services.organisations.get(record_id or "").name == "Short Lived Ltd"


def test_an_organisation_shows_its_people_and_opens_one(qtbot: QtBot, services: Services) -> None:
    organisation = services.organisations.create(
        OrganisationDraft(
            name="Ecobat", stakeholder_type=StakeholderType.NATIONAL_COMPANY, country="SN"
        )
    )
    person = services.contacts.create(
        ContactDraft(
            given_name="Awa",
            family_name="Diop",
            gender=Gender.FEMALE,
            country="SN",
            organisation_id=organisation.id,
            job_title="Plant manager",
        )
    )
    window, page, editor = partners(qtbot, services)
    page.open_record(organisation.id)
    people = editor.contacts
    assert people.topLevelItemCount() == 1
    item = people.topLevelItem(0)
    assert item is not None and item.text(0) == "Awa Diop" and item.text(2) == "Plant manager"
    people.itemActivated.emit(item, 0)
    records = window.current_page()
    assert isinstance(records, RecordsPage)
    shown = records.current_list()
    assert shown is not None and shown.kind is Kind.CONTACTS
    assert shown.editor is not None and shown.editor.record_id == person.id
    organisation_field = shown.editor.form.fields["organisation_id"]
    assert isinstance(organisation_field, RecordField)
    assert organisation_field.combo.currentText() == "Ecobat"


def test_the_history_tab_tells_who_changed_what(qtbot: QtBot, services: Services) -> None:
    record = services.organisations.create(
        OrganisationDraft(
            name="Ecobat", stakeholder_type=StakeholderType.NATIONAL_COMPANY, country="SN"
        )
    )
    services.organisations.change(record.id, engagement_stage=EngagementStage.DIALOGUE)
    _window, page, editor = partners(qtbot, services)
    page.open_record(record.id)
    lines = [
        editor.history.topLevelItem(i).text(0)  # type: ignore[union-attr]
        for i in range(editor.history.topLevelItemCount())
    ]
    assert lines[0].startswith("Test User created this organisation on ")
    assert lines[1].startswith("Test User changed Stage from Identified to Scoping dialogue on ")


def test_the_person_picker_searches_as_you_type(qtbot: QtBot, demo_services: Services) -> None:
    window, _page, _editor = partners(qtbot, demo_services)
    records = window.current_page()
    assert isinstance(records, RecordsPage)
    people = records.list_of(Kind.CONTACTS)
    assert people is not None and people.editor is not None
    records.tabs.setCurrentWidget(people)
    picker = people.editor.form.fields["organisation_id"]
    assert isinstance(picker, RecordField)
    name = demo_services.lists.page(Kind.ORGANISATIONS, ListQuery(), 0, 1)[0].values[0]
    word = name.split()[0]
    picker.combo.setFocus()
    qtbot.keyClicks(picker.combo.lineEdit(), word)

    def offered() -> list[str]:
        return [
            picker.combo.itemText(i)
            for i in range(picker.combo.count())
            if picker.combo.itemText(i)
        ]

    before = offered()
    qtbot.waitUntil(lambda: offered() != before)
    # Organisations match by their name or their people's names: "Abdullahi" finds both.
    assert name in offered() and len(offered()) < len(before)


def test_fields_have_accessible_names_and_a_tab_order_down_the_form(
    qtbot: QtBot, services: Services
) -> None:
    _window, _page, editor = partners(qtbot, services)
    names = [f.focus_widget().accessibleName() for f in editor.form.fields.values()]
    assert names[:4] == ["Name", "Acronym", "Stakeholder type", "Country"]
    assert all(names)
    first = editor.form.fields["name"].focus_widget()
    assert first.nextInFocusChain() is editor.form.fields["acronym"].focus_widget()


def test_leaving_an_unsaved_form_asks_first(
    qtbot: QtBot, demo_services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    _window, page, editor = partners(qtbot, demo_services)
    page.view.selectRow(0)
    type_into(qtbot, editor, "city", "Elsewhere")
    asked: list[str] = []

    def refuse(parent: object, title: str, text: str) -> bool:
        asked.append(title)
        return False

    monkeypatch.setattr("regional_centre.ui.pages.list_page.confirm", refuse)
    page.view.selectRow(1)
    assert asked == ["Unsaved changes"]
    assert editor.record_id == page.model.record_id(0)  # still on the edited record


def test_after_a_save_the_form_stays_with_the_row_the_user_chose(
    qtbot: QtBot, demo_services: Services
) -> None:
    window, page, editor = partners(qtbot, demo_services)
    page.view.selectRow(0)
    saved_id = page.model.record_id(0)
    type_into(qtbot, editor, "city", "Elsewhere")
    window.save_action.trigger()
    page.view.selectRow(3)
    chosen = page.model.record_id(3)
    assert editor.record_id == chosen
    with qtbot.waitSignal(page.model.loaded, timeout=10_000):
        page.refresh()
    assert editor.record_id == chosen != saved_id  # no jump back to the saved record


def test_after_new_the_same_row_opens_again_on_a_click(
    qtbot: QtBot, demo_services: Services
) -> None:
    window, page, editor = partners(qtbot, demo_services)
    page.view.selectRow(0)
    first = page.model.record_id(0)
    window.new_action.trigger()
    assert editor.record_id is None
    page.view.selectRow(0)
    assert editor.record_id == first


def test_keeping_unsaved_changes_keeps_the_selection_on_their_record(
    qtbot: QtBot, demo_services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    _window, page, editor = partners(qtbot, demo_services)
    page.view.selectRow(0)
    type_into(qtbot, editor, "city", "Elsewhere")
    monkeypatch.setattr("regional_centre.ui.pages.list_page.confirm", lambda *a: False)
    page.view.selectRow(2)
    qtbot.waitUntil(lambda: page.selected_ids() == [page.model.record_id(0)])
    assert editor.record_id == page.model.record_id(0)


def test_edits_and_their_undo_stack_are_freed_without_the_cycle_collector(
    qtbot: QtBot, services: Services
) -> None:
    """A command must not hold its Edits: the cycle's collection freed commands the stack still owned."""
    edits = Edits()
    edits.create(services.organisations, organisation_draft(name="Undone Ltd"))
    with qtbot.waitSignal(edits.changed):
        edits.stack.undo()  # the command still tells its Edits what changed
    assert services.organisations.count() == 0
    gone = weakref.ref(edits)
    del edits
    assert gone() is None  # freed when the last reference went, stack and commands with it
