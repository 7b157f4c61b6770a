"""The partnerships and joint activities page, driven through its widgets."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QTreeWidget, QTreeWidgetItem, QWidget
from pytestqt.qtbot import QtBot

from regional_centre.enums import ActivityType, AgreementStatus
from regional_centre.services import Services
from regional_centre.services.engagement import PartnershipDraft
from regional_centre.services.listing import Kind
from regional_centre.ui.editors.fields import (
    ChoiceField,
    CodesField,
    DateField,
    FieldEditor,
    LineField,
    RecordField,
    TextField,
)
from regional_centre.ui.editors.form import RecordForm
from regional_centre.ui.editors.partnerships import ActivityEditor, PartnershipEditor
from regional_centre.ui.main_window import MainWindow
from regional_centre.ui.pages.list_page import ListPage
from regional_centre.ui.pages.partnerships import PartnershipsPage
from regional_centre.ui.settings import Settings

# The offscreen platform cannot raise the pickers' completion pop-ups nor grab the keyboard for them.
pytestmark = pytest.mark.qt_log_ignore(
    "This plugin does not support raise", "This plugin does not support grabbing the keyboard"
)


@pytest.fixture
def window(
    qtbot: QtBot, demo_services: Services, monkeypatch: pytest.MonkeyPatch
) -> Iterator[MainWindow]:
    # Closing the window after a test leaves unsaved forms without asking.
    monkeypatch.setattr("regional_centre.ui.main_window.confirm", lambda *a: True)
    shown = MainWindow(demo_services, Settings())
    qtbot.addWidget(shown)
    shown.show()
    qtbot.waitExposed(shown)
    yield shown


def show_page(qtbot: QtBot, window: MainWindow) -> PartnershipsPage:
    page = window.show_page("partnerships")
    assert isinstance(page, PartnershipsPage)
    for lists in page.lists:

        def counted(lists: ListPage = lists) -> bool:
            return lists.count_label.text() != ""  # the first page of the list was read

        qtbot.waitUntil(counted)
    return page


def partnership_editor(page: PartnershipsPage) -> PartnershipEditor:
    editor = page.partnerships.editor
    assert isinstance(editor, PartnershipEditor)
    return editor


def activity_editor(page: PartnershipsPage) -> ActivityEditor:
    editor = page.activities.editor
    assert isinstance(editor, ActivityEditor)
    return editor


def organisation_names(services: Services, count: int) -> list[str]:
    """Names of organisations that no other organisation shares (a picker finds them exactly)."""
    labels = [o.label for o in services.lists.options(Kind.ORGANISATIONS, "", limit=60)]
    unique = [name for name in labels if labels.count(name) == 1]
    return unique[:count]


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


def set_date(field: FieldEditor, day: dt.date) -> None:
    assert isinstance(field, DateField)
    field.edit.setDate(QDate(day.year, day.month, day.day))


def pick(field: FieldEditor, label: str) -> None:
    assert isinstance(field, ChoiceField)
    field.combo.setCurrentIndex(field.combo.findText(label))
    field.combo.activated.emit(field.combo.currentIndex())


def check_codes(field: FieldEditor, codes: list[str]) -> None:
    assert isinstance(field, CodesField)
    for row in range(field.list.count()):
        item = field.list.item(row)
        if item.data(Qt.ItemDataRole.UserRole) in codes:
            item.setCheckState(Qt.CheckState.Checked)


def row(tree: QTreeWidget, number: int) -> QTreeWidgetItem:
    item = tree.topLevelItem(number)
    assert item is not None
    return item


def column_texts(tree: QTreeWidget, column: int = 0) -> list[str]:
    return [row(tree, number).text(column) for number in range(tree.topLevelItemCount())]


def list_texts(page: ListPage, column_key: str) -> list[str]:
    column = next(i for i, c in enumerate(page.model.columns) if c.key == column_key)
    model = page.model
    return [model.index(row, column).data() for row in range(model.rowCount())]


def click(qtbot: QtBot, button: QWidget) -> None:
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def add_member(qtbot: QtBot, editor: PartnershipEditor, name: str, role: str) -> None:
    form = editor.members.form
    type_in(qtbot, form.fields["organisation_id"], name)
    type_in(qtbot, form.fields["role"], role)
    click(qtbot, editor.members.add_button)


def save_partnership(services: Services, title: str = "Used oil partnership") -> str:
    draft = PartnershipDraft(
        title=title,
        priority_fields=("cleaner_production",),
        agreement_status=AgreementStatus.PROPOSED,
        start_on=dt.date(2025, 3, 1),
    )
    return str(services.partnerships.create(draft).id)


def test_a_partnership_is_created_with_priority_fields_and_members_and_edited(
    qtbot: QtBot, window: MainWindow, demo_services: Services
) -> None:
    page = show_page(qtbot, window)
    partnerships = page.partnerships
    editor = partnership_editor(page)
    partnerships.new_record()
    fields = editor.form.fields
    type_in(qtbot, fields["title"], "Lead-acid battery recycling partnership")
    check_codes(fields["priority_fields"], ["cleaner_production", "capacity_building"])
    type_in(qtbot, fields["regional_specificities"], "Informal smelters near Dakar.")
    set_date(fields["start_on"], dt.date(2025, 1, 15))
    members = editor.members
    assert not members.adding.isEnabled()
    assert not members.hint.isHidden() and "Save the partnership first" in members.hint.text()

    with qtbot.waitSignal(partnerships.model.loaded):
        click(qtbot, editor.save_button)

    assert "Lead-acid battery recycling partnership" in list_texts(partnerships, "title")
    saved = demo_services.partnerships.get(str(editor.record_id))
    assert saved.priority_fields == ("capacity_building", "cleaner_production")
    assert members.adding.isEnabled() and members.hint.isHidden()

    first, second = organisation_names(demo_services, 2)
    add_member(qtbot, editor, first, "Recycler")
    add_member(qtbot, editor, second, "Funding partner")
    assert sorted(column_texts(members.table)) == sorted([first, second])
    assert "Funding partner" in column_texts(members.table, 1)
    assert partnerships.model.row_of(str(editor.record_id)) is not None
    qtbot.waitUntil(lambda: "2" in list_texts(partnerships, "members"))

    type_in(qtbot, fields["title"], "Battery recycling partnership")
    pick(fields["agreement_status"], AgreementStatus.NEGOTIATING.label())
    click(qtbot, editor.save_button)  # the row is read again in place
    qtbot.waitUntil(lambda: "Battery recycling partnership" in list_texts(partnerships, "title"))
    assert "Lead-acid battery recycling partnership" not in list_texts(partnerships, "title")
    assert editor.heading.text() == "Battery recycling partnership"
    assert len(column_texts(members.table)) == 2


def test_an_end_date_before_the_start_date_is_shown_next_to_the_end_date(
    qtbot: QtBot, window: MainWindow, demo_services: Services
) -> None:
    page = show_page(qtbot, window)
    editor = partnership_editor(page)
    page.partnerships.open_record(save_partnership(demo_services))
    set_date(editor.form.fields["start_on"], dt.date(2025, 6, 1))
    set_date(editor.form.fields["end_on"], dt.date(2025, 1, 31))
    click(qtbot, editor.save_button)
    assert editor.form.problem("end_on") == "The end date is before the start date."
    assert editor.form.problem("start_on") == ""
    assert editor.dirty


def test_a_signed_agreement_without_a_date_says_so_next_to_the_field(
    qtbot: QtBot, window: MainWindow
) -> None:
    page = show_page(qtbot, window)
    editor = partnership_editor(page)
    page.partnerships.new_record()
    type_in(qtbot, editor.form.fields["title"], "Signed without a date")
    pick(editor.form.fields["agreement_status"], AgreementStatus.SIGNED.label())
    click(qtbot, editor.save_button)
    assert editor.form.problem("priority_fields") == "Choose at least one."
    assert editor.form.problem("signed_on") == "Enter the date the agreement was signed."


def test_undo_of_adding_a_member_removes_it_from_the_members_table(
    qtbot: QtBot, window: MainWindow, demo_services: Services
) -> None:
    page = show_page(qtbot, window)
    editor = partnership_editor(page)
    page.partnerships.open_record(save_partnership(demo_services))
    (name,) = organisation_names(demo_services, 1)
    add_member(qtbot, editor, name, "Host")
    assert column_texts(editor.members.table) == [name]

    window.edits.stack.undo()
    assert column_texts(editor.members.table) == []
    window.edits.stack.redo()
    assert column_texts(editor.members.table) == [name]


def test_a_member_is_checked_in_its_small_form_and_can_be_removed(
    qtbot: QtBot, window: MainWindow, demo_services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    page = show_page(qtbot, window)
    editor = partnership_editor(page)
    page.partnerships.open_record(save_partnership(demo_services))
    members = editor.members
    click(qtbot, members.add_button)
    assert members.form.problem("organisation_id") == "Choose one from the list."
    type_in(qtbot, members.form.fields["organisation_id"], "No such organisation anywhere")
    click(qtbot, members.add_button)
    assert "No record matches" in members.form.problem("organisation_id")

    (name,) = organisation_names(demo_services, 1)
    add_member(qtbot, editor, name, "Host")
    assert members.form.problem("organisation_id") == ""
    add_member(qtbot, editor, name, "Again")
    assert members.form.general_error.text() == (
        "This organisation is already a member of the partnership."
    )
    assert column_texts(members.table) == [name]

    monkeypatch.setattr("regional_centre.ui.editors.children.confirm", lambda *a: True)
    row(members.table, 0).setSelected(True)
    assert members.remove_button.isEnabled()
    click(qtbot, members.remove_button)
    assert column_texts(members.table) == []


def test_an_activity_gets_contributions_with_totals_outcomes_and_reviews(
    qtbot: QtBot, window: MainWindow, demo_services: Services
) -> None:
    partnership_id = save_partnership(demo_services, "Used oil partnership")
    page = show_page(qtbot, window)
    activities = page.activities
    editor = activity_editor(page)
    page.tabs.setCurrentWidget(activities)
    activities.new_record()
    fields = editor.form.fields
    type_in(qtbot, fields["title"], "Used oil collection pilot")
    pick(fields["activity_type"], ActivityType.TECHNOLOGY_ACCESS.label())
    type_in(qtbot, fields["partnership_id"], "Used oil partnership")
    set_date(fields["start_on"], dt.date(2025, 4, 1))
    type_in(qtbot, fields["budget_amount"], "12000")
    type_in(qtbot, fields["budget_currency"], "usd")
    contributions = editor.contributions
    editor.tabs.setCurrentWidget(contributions)
    assert not contributions.add_button.isEnabled()
    assert "Save the activity first" in contributions.hint.text()
    assert not contributions.hint.isHidden()

    with qtbot.waitSignal(activities.model.loaded):
        click(qtbot, editor.save_button)
    activity = demo_services.activities.get(str(editor.record_id))
    assert activity.partnership_id == partnership_id
    assert activity.budget_currency == "USD"
    assert "Used oil collection pilot" in list_texts(activities, "title")
    assert fields["budget_amount"].value() == "12000"
    assert contributions.add_button.isEnabled() and contributions.hint.isHidden()

    first, second = organisation_names(demo_services, 2)
    form = contributions.form
    type_in(qtbot, form.fields["organisation_id"], first)
    click(qtbot, contributions.add_button)
    assert form.problem("amount") == "Enter the amount of a cash contribution."
    assert contributions.table.topLevelItemCount() == 0

    type_in(qtbot, form.fields["amount"], "1500.5")
    type_in(qtbot, form.fields["currency"], "USD")
    click(qtbot, contributions.add_button)
    assert form.problem("amount") == ""
    type_in(qtbot, form.fields["organisation_id"], second)
    pick(form.fields["kind"], "In kind")
    type_in(qtbot, form.fields["amount"], "2500")
    type_in(qtbot, form.fields["currency"], "eur")
    type_in(qtbot, form.fields["description"], "Two collection trucks for a year")
    click(qtbot, contributions.add_button)
    assert column_texts(contributions.table) == [first, second]
    assert column_texts(contributions.table, 2) == ["1,500.5", "2,500"]
    assert not contributions.summary.isHidden()
    assert contributions.summary.text().splitlines() == [
        "Total in EUR: 2,500",
        "Total in USD: 1,500.5",
    ]

    outcomes = editor.outcomes
    editor.tabs.setCurrentWidget(outcomes)
    type_in(qtbot, outcomes.form.fields["indicator"], "Used oil collected")
    type_in(qtbot, outcomes.form.fields["value"], "many")
    type_in(qtbot, outcomes.form.fields["unit"], "t")
    click(qtbot, outcomes.add_button)
    assert outcomes.form.problem("value") == "'many' is not a number."
    type_in(qtbot, outcomes.form.fields["value"], "42.5")
    set_date(outcomes.form.fields["measured_on"], dt.date(2025, 12, 31))
    click(qtbot, outcomes.add_button)
    assert column_texts(outcomes.table) == ["Used oil collected"]
    assert column_texts(outcomes.table, 1) == ["42.5"]
    assert outcomes.form.fields["indicator"].value() == ""  # ready for the next one

    reviews = editor.reviews
    editor.tabs.setCurrentWidget(reviews)
    set_date(reviews.form.fields["reviewed_on"], dt.date(2025, 2, 1))
    type_in(qtbot, reviews.form.fields["reviewer"], "Advisory Committee, 12th meeting")
    click(qtbot, reviews.add_button)
    assert reviews.form.problem("reviewed_on") == (
        "The review is dated before the activity started."
    )
    set_date(reviews.form.fields["reviewed_on"], dt.date(2025, 11, 20))
    pick(reviews.form.fields["recommendation"], "Scale up")
    type_in(qtbot, reviews.form.fields["comments"], "Extend to two more cities.")
    click(qtbot, reviews.add_button)
    assert column_texts(reviews.table, 1) == ["Advisory Committee, 12th meeting"]
    assert column_texts(reviews.table, 2) == ["Scale up"]

    assert len(demo_services.contributions.for_activity(activity.id)) == 2
    assert len(demo_services.outcomes.for_activity(activity.id)) == 1
    assert len(demo_services.reviews.for_activity(activity.id)) == 1


def test_a_partnership_typed_but_not_chosen_is_shown_next_to_the_field(
    qtbot: QtBot, window: MainWindow
) -> None:
    page = show_page(qtbot, window)
    editor = activity_editor(page)
    page.tabs.setCurrentWidget(page.activities)
    page.activities.new_record()
    type_in(qtbot, editor.form.fields["title"], "Awareness week")
    type_in(qtbot, editor.form.fields["partnership_id"], "A partnership nobody made")
    click(qtbot, editor.save_button)
    assert "No record matches" in editor.form.problem("partnership_id")
    assert editor.record_id is None


def test_an_activity_opens_from_its_partnerships_joint_activities_tab(
    qtbot: QtBot, window: MainWindow, demo_services: Services
) -> None:
    page = show_page(qtbot, window)
    editor = partnership_editor(page)
    partnership_id = next(
        p for p in demo_services.partnerships.ids() if demo_services.activities.for_partnership(p)
    )
    page.partnerships.open_record(partnership_id)
    expected = demo_services.activities.for_partnership(partnership_id)
    assert column_texts(editor.activities) == [a.title for a in expected]
    editor.tabs.setCurrentWidget(editor.activities_tab)
    tree = editor.activities
    item = row(tree, 0)
    position = tree.visualItemRect(item).center()
    # A double click as a mouse sends it: a press and release first, then the double click.
    qtbot.mouseClick(tree.viewport(), Qt.MouseButton.LeftButton, pos=position)
    qtbot.mouseDClick(tree.viewport(), Qt.MouseButton.LeftButton, pos=position)
    assert page.tabs.currentWidget() is page.activities
    assert activity_editor(page).record_id == expected[0].id
    assert activity_editor(page).heading.text() == expected[0].title


def test_a_new_activity_is_planned_from_its_partnership(
    qtbot: QtBot, window: MainWindow, demo_services: Services
) -> None:
    partnership_id = save_partnership(demo_services, "Solvent recovery partnership")
    page = show_page(qtbot, window)
    editor = partnership_editor(page)
    page.partnerships.open_record(partnership_id)
    assert column_texts(editor.activities) == []
    click(qtbot, editor.new_activity_button)
    activities = activity_editor(page)
    assert page.tabs.currentWidget() is page.activities
    assert activities.record_id is None
    assert activities.form.fields["partnership_id"].value() == partnership_id
    type_in(qtbot, activities.form.fields["title"], "Solvent recovery training")
    with qtbot.waitSignal(page.activities.model.loaded):
        click(qtbot, activities.save_button)
    assert column_texts(editor.activities) == ["Solvent recovery training"]


def test_the_child_forms_label_their_fields(qtbot: QtBot, window: MainWindow) -> None:
    page = show_page(qtbot, window)
    editor = activity_editor(page)
    form: RecordForm = editor.contributions.form
    assert form.fields["amount"].focus_widget().accessibleName() == "Amount"
    assert editor.tabs.tabText(editor.tabs.indexOf(editor.reviews)) == (
        "Advisory Committee reviews"
    )


def test_a_member_opens_on_the_page_of_its_organisation(
    qtbot: QtBot, window: MainWindow, demo_services: Services
) -> None:
    page = show_page(qtbot, window)
    editor = partnership_editor(page)
    page.partnerships.open_record(save_partnership(demo_services))
    (name,) = organisation_names(demo_services, 1)
    add_member(qtbot, editor, name, "Host")
    member = editor.members.records[0]
    editor.tabs.setCurrentWidget(editor.members)
    tree = editor.members.table
    position = tree.visualItemRect(row(tree, 0)).center()
    qtbot.mouseClick(tree.viewport(), Qt.MouseButton.LeftButton, pos=position)
    qtbot.mouseDClick(tree.viewport(), Qt.MouseButton.LeftButton, pos=position)
    shown = window.current_page()
    assert shown is not page
    assert window.pages["partners"] is shown or window.pages["smes"] is shown
    assert any(
        lists.editor is not None and lists.editor.record_id == member.organisation_id
        for lists in getattr(shown, "lists", [])
    )


def test_the_joint_activities_tab_follows_activities_moved_to_another_partnership(
    qtbot: QtBot, window: MainWindow, demo_services: Services
) -> None:
    partnership_id = save_partnership(demo_services, "Mercury phase-out partnership")
    page = show_page(qtbot, window)
    editor = partnership_editor(page)
    page.partnerships.open_record(partnership_id)
    activity = demo_services.activities.get(demo_services.activities.ids()[0])
    window.edits.change(demo_services.activities, activity.id, partnership_id=partnership_id)
    assert column_texts(editor.activities) == [activity.title]
    window.edits.stack.undo()
    assert column_texts(editor.activities) == []
