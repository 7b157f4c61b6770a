"""The partner pipeline on the Partners page: partners by stage, moved along, undone."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QToolButton
from pytestqt.qtbot import QtBot

from regional_centre.enums import DialogueFormat, EngagementStage, StakeholderType
from regional_centre.services import Services
from regional_centre.services.engagement import (
    DialogueDraft,
    DialogueParticipantDraft,
    FollowUpActionDraft,
)
from regional_centre.services.listing import Kind, ListQuery
from regional_centre.services.organisations import OrganisationDraft
from regional_centre.ui.main_window import MainWindow
from regional_centre.ui.pages.list_page import ListPage
from regional_centre.ui.pages.pipeline import ID_ROLE, SHOWN_PER_STAGE, PipelineBoard
from regional_centre.ui.pages.records import RecordsPage
from regional_centre.ui.settings import Settings

IDENTIFIED = EngagementStage.IDENTIFIED
DIALOGUE = EngagementStage.DIALOGUE
LEFT = Qt.MouseButton.LeftButton


def open_board(qtbot: QtBot, services: Services) -> tuple[MainWindow, RecordsPage, PipelineBoard]:
    window = MainWindow(services, Settings())
    qtbot.addWidget(window)
    window.resize(1300, 850)
    window.show()
    page = window.show_page("partners")
    assert isinstance(page, RecordsPage)
    titles = [page.tabs.tabText(i) for i in range(page.tabs.count())]
    page.tabs.setCurrentIndex(titles.index("Pipeline"))  # the board is built when first shown
    board = page.tabs.currentWidget()
    assert isinstance(board, PipelineBoard)
    qtbot.waitUntil(lambda: not board.loading)
    return window, page, board


@pytest.fixture
def demo(qtbot: QtBot, demo_services: Services) -> Iterator[tuple[MainWindow, PipelineBoard]]:
    window, _page, board = open_board(qtbot, demo_services)
    yield window, board
    window.close()


def heading(board: PipelineBoard, stage: EngagementStage) -> str:
    return board.column_of(stage).heading.text()


def count(services: Services, stage: EngagementStage) -> int:
    return services.lists.count(Kind.PARTNERS, ListQuery(engagement_stage=stage.value))


def shown_ids(board: PipelineBoard, stage: EngagementStage) -> list[str]:
    items = board.column_of(stage).list
    return [items.item(row).data(ID_ROLE) for row in range(items.count())]


def button(board: PipelineBoard, action: object) -> QToolButton:
    return next(b for b in board.findChildren(QToolButton) if b.defaultAction() is action)


def partner(name: str, stage: EngagementStage = IDENTIFIED) -> OrganisationDraft:
    return OrganisationDraft(
        name=name,
        stakeholder_type=StakeholderType.NATIONAL_COMPANY,
        country="SN",
        engagement_stage=stage,
    )


def test_the_board_shows_each_stage_with_its_count(demo: tuple[MainWindow, PipelineBoard]) -> None:
    window, board = demo
    services = window.services
    for stage in EngagementStage:
        total = count(services, stage)
        assert total > 0
        assert heading(board, stage) == f"{stage.label()} ({total})"
        assert board.column_of(stage).list.count() == min(total, SHOWN_PER_STAGE)
        assert not board.column_of(stage).more.isVisible()
    smes = services.lists.page(Kind.SMES, ListQuery(), 0, 5)
    assert smes and all(board.item_text(row.id) is None for row in smes)


def test_a_partner_moves_forward_and_back_and_undo_puts_it_back(
    qtbot: QtBot, demo: tuple[MainWindow, PipelineBoard]
) -> None:
    window, board = demo
    services = window.services
    identified, dialogue = count(services, IDENTIFIED), count(services, DIALOGUE)
    chosen = shown_ids(board, IDENTIFIED)[0]
    assert not board.forward_action.isEnabled()
    assert board.select(chosen)
    assert board.forward_action.isEnabled() and not board.back_action.isEnabled()

    with qtbot.waitSignal(board.loaded):
        qtbot.keyClick(
            board.column_of(IDENTIFIED).list,
            Qt.Key.Key_Right,
            Qt.KeyboardModifier.ControlModifier,
        )
    assert services.organisations.get(chosen).engagement_stage == DIALOGUE
    assert heading(board, IDENTIFIED) == f"{IDENTIFIED.label()} ({identified - 1})"
    assert heading(board, DIALOGUE) == f"{DIALOGUE.label()} ({dialogue + 1})"
    assert chosen in shown_ids(board, DIALOGUE) and chosen not in shown_ids(board, IDENTIFIED)
    assert board.selected_id() == chosen  # still chosen, in its new column
    assert board.back_action.isEnabled()
    assert "Ctrl+Z" in board.status.text()

    with qtbot.waitSignal(board.loaded):
        qtbot.mouseClick(button(board, board.back_action), LEFT)
    assert services.organisations.get(chosen).engagement_stage == IDENTIFIED
    assert heading(board, IDENTIFIED) == f"{IDENTIFIED.label()} ({identified})"
    assert chosen in shown_ids(board, IDENTIFIED)

    with qtbot.waitSignal(board.loaded):
        qtbot.mouseClick(button(board, board.forward_action), LEFT)
    assert heading(board, DIALOGUE) == f"{DIALOGUE.label()} ({dialogue + 1})"
    with qtbot.waitSignal(board.loaded):
        window.edits.stack.undo()
    assert services.organisations.get(chosen).engagement_stage == IDENTIFIED
    assert heading(board, IDENTIFIED) == f"{IDENTIFIED.label()} ({identified})"
    assert heading(board, DIALOGUE) == f"{DIALOGUE.label()} ({dialogue})"
    assert chosen in shown_ids(board, IDENTIFIED)


def test_the_search_box_narrows_every_column(
    qtbot: QtBot, demo: tuple[MainWindow, PipelineBoard]
) -> None:
    window, board = demo
    chosen = shown_ids(board, DIALOGUE)[0]
    name = window.services.organisations.get(chosen).name
    qtbot.keyClicks(board.search, name)
    qtbot.waitUntil(lambda: shown_ids(board, DIALOGUE) == [chosen])
    qtbot.waitUntil(lambda: not board.loading)
    assert heading(board, DIALOGUE) == f"{DIALOGUE.label()} (1)"
    assert all(board.column_of(s).list.count() == 0 for s in EngagementStage if s != DIALOGUE)


def test_double_click_opens_the_partner_on_its_form(
    qtbot: QtBot, demo: tuple[MainWindow, PipelineBoard]
) -> None:
    window, board = demo
    chosen = shown_ids(board, DIALOGUE)[0]
    items = board.column_of(DIALOGUE).list
    where = items.visualItemRect(items.item(0)).center()
    qtbot.mouseClick(items.viewport(), LEFT, pos=where)  # a real double-click starts with a click
    with qtbot.waitSignal(board.open_requested) as opened:
        qtbot.mouseDClick(items.viewport(), LEFT, pos=where)
    assert opened.args == [Kind.PARTNERS.value, chosen]
    page = window.page("partners")
    assert isinstance(page, RecordsPage)
    current = page.current_list()
    assert isinstance(current, ListPage) and current.kind is Kind.PARTNERS
    assert current.editor is not None and current.editor.record_id == chosen


def test_a_partner_with_an_overdue_follow_up_is_flagged(qtbot: QtBot, services: Services) -> None:
    late = services.organisations.create(partner("Late Metals Ltd", DIALOGUE))
    on_time = services.organisations.create(partner("Punctual Plastics", DIALOGUE))
    dialogue = services.dialogues.create(
        DialogueDraft(
            title="Lead recovery",
            held_on=dt.date(2024, 5, 2),
            format=DialogueFormat.MEETING,
            country="SN",
        )
    )
    for organisation in (late, on_time):
        services.dialogue_participants.create(
            DialogueParticipantDraft(dialogue_id=dialogue.id, organisation_id=organisation.id)
        )
    window, _page, board = open_board(qtbot, services)
    assert "⚠ overdue follow-up" not in (board.item_text(late.id) or "")

    action = FollowUpActionDraft(
        dialogue_id=dialogue.id,
        description="Send the sampling plan",
        due_on=dt.date.today() - dt.timedelta(days=3),
    )
    with qtbot.waitSignal(board.loaded):
        window.edits.create(services.follow_up_actions, action)
    # Both took part in that dialogue, so both have the overdue follow-up.
    for organisation in (late, on_time):
        assert "⚠ overdue follow-up" in (board.item_text(organisation.id) or "")
    items = board.column_of(DIALOGUE).list
    flagged = next(
        items.item(r) for r in range(items.count()) if items.item(r).data(ID_ROLE) == late.id
    )
    assert "past its due date" in flagged.toolTip()

    with qtbot.waitSignal(board.loaded):
        window.edits.stack.undo()
    assert "⚠ overdue follow-up" not in (board.item_text(late.id) or "")
    window.close()


def test_a_long_column_shows_its_first_partners_and_how_many_more(
    qtbot: QtBot, services: Services
) -> None:
    services.organisations.bulk_create(
        partner(f"Partner {n:03}") for n in range(SHOWN_PER_STAGE + 5)
    )
    window, _page, board = open_board(qtbot, services)
    column = board.column_of(IDENTIFIED)
    assert column.heading.text() == f"{IDENTIFIED.label()} ({SHOWN_PER_STAGE + 5})"
    assert column.list.count() == SHOWN_PER_STAGE
    assert column.more.isVisible()
    assert column.more.text().startswith("and 5 more")
    qtbot.keyClicks(board.search, "Partner 203")
    qtbot.waitUntil(lambda: column.list.count() == 1 and not board.loading)
    assert not column.more.isVisible()
    window.close()
