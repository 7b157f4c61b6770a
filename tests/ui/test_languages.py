"""The window in each language: no English left on screen, Qt's own words too, right to left in Arabic.

The window is opened on an empty database (so that no record's own text is on
screen), every page is visited and one form of each kind opened, and every text
a user can read is collected from the widgets: labels, buttons, menus and
actions, tabs, group titles, placeholders, list and combo items, table headers,
tooltips and window titles.
"""

from __future__ import annotations

import getpass
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from PySide6.QtCore import QCoreApplication, QLocale, Qt
from PySide6.QtGui import QFont, QFontDatabase, QFontMetrics
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QComboBox,
    QGroupBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QMenu,
    QTableView,
    QTabWidget,
    QTreeView,
    QWidget,
)
from pytestqt.qtbot import QtBot

from regional_centre.enums import EngagementStage, StakeholderType
from regional_centre.i18n import format_number, set_language
from regional_centre.services import Services
from regional_centre.services.listing import Column, Display
from regional_centre.services.organisations import OrganisationDraft
from regional_centre.ui import app as app_module
from regional_centre.ui.collation import sorted_by_text
from regional_centre.ui.display import CellText
from regional_centre.ui.main_window import MainWindow
from regional_centre.ui.settings import Settings
from tests.ui.test_lists import column_values, open_list, reload

ROOT = Path(__file__).resolve().parents[2]
TRANSLATED = ("fr", "es", "ar", "ru", "zh")

# Latin words allowed in a window in Arabic, Russian or Chinese: codes, formats and names that
# every language writes so (the test database's node, user and centre among them).
LATIN_ALLOWED = re.compile(
    r"(?:[A-Za-z]:)?[/\\][^\s()（）]+"  # a file's path
    r"|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"  # an installation's id
    r"|\b(?:English|Español|Français|Dakar)\b"  # languages named in their own, a city's name
    rf"|\b{re.escape(getpass.getuser())}\b"  # the computer's user, the name's placeholder
    r"|\b(?:[A-Z0-9][A-Z0-9-]{1,9}s?|BCRC-[A-Z]+|Ctrl|Shift|Alt|Del|Esc|F\d+|PgUp|PgDown|Enter|Left|Right|Up|Down|Home|End|"
    r"Test|node|User|Excel|sqlite|rcbundle|rcenrol|xlsx|csv|pdf|json|log|http|https|www|"
    r"regional-centre|e\.g|i\.e)\b"
)
LATIN_WORD = re.compile(r"[A-Za-z]{3,}")


@pytest.fixture(autouse=True)
def back_to_english() -> Iterator[None]:
    """The language is the process's: put English back for the tests that follow."""
    yield
    app_module.application("en")


@pytest.fixture(autouse=True)
def closing_never_asks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("regional_centre.ui.main_window.confirm", lambda *args: True)


def english_of(language: str) -> dict[str, str]:
    """Each English text of the catalogue whose translation differs from it, with that translation."""
    path = ROOT / "translations" / language / "LC_MESSAGES" / "messages.po"
    with path.open("rb") as po:
        catalogue = read_po(po, locale=language)
    found = {}
    for message in catalogue:
        if not message.id or isinstance(message.id, tuple):
            continue
        if message.string and message.string != message.id:
            found[_plain(message.id)] = message.string
    return found


def _plain(text: str) -> str:
    """Text as a widget shows it: no mnemonic ampersand, single spaces."""
    return " ".join(text.replace("&&", "\0").replace("&", "").replace("\0", "&").split())


def shown_texts(window: QWidget) -> set[str]:
    """Every text a user can read in ``window`` and its menus."""
    texts: list[str] = [window.windowTitle()]
    widgets = [window, *window.findChildren(QWidget)]
    for widget in widgets:
        texts.append(widget.toolTip())
        if isinstance(widget, (QLabel, QAbstractButton)):
            texts.append(widget.text())
        elif isinstance(widget, QGroupBox):
            texts.append(widget.title())
        elif isinstance(widget, QLineEdit):
            texts.append(widget.placeholderText())
        elif isinstance(widget, QComboBox):
            texts.extend(widget.itemText(i) for i in range(widget.count()))
        elif isinstance(widget, QTabWidget):
            texts.extend(widget.tabText(i) for i in range(widget.count()))
        elif isinstance(widget, QMenu):
            texts.append(widget.title())
        if isinstance(widget, QListWidget):
            texts.extend(widget.item(i).text() for i in range(widget.count()))
        header = (
            widget.horizontalHeader()
            if isinstance(widget, QTableView)
            else widget.header()
            if isinstance(widget, QTreeView)
            else None
        )
        if header is not None and header.model() is not None:
            texts.extend(
                str(header.model().headerData(i, Qt.Orientation.Horizontal) or "")
                for i in range(header.count())
            )
        for action in widget.actions():
            texts.extend((action.text(), action.toolTip()))
    return {_plain(text) for text in texts if text and text.strip()}


def open_window(qtbot: QtBot, services: Services, language: str) -> MainWindow:
    app_module.application(language)
    window = MainWindow(services, Settings())
    qtbot.addWidget(window)
    window.show()
    window.smoke_test()  # every page, and one form of each kind
    QCoreApplication.processEvents()
    return window


@pytest.mark.parametrize("language", TRANSLATED)
def test_the_window_shows_no_english_text(qtbot: QtBot, services: Services, language: str) -> None:
    window = open_window(qtbot, services, language)
    texts = shown_texts(window)
    assert len(texts) > 150, "the walk should find the window's texts"
    untranslated = english_of(language)
    left = sorted(text for text in texts if text in untranslated)
    assert not left, f"shown in English in {language}: {left[:10]}"
    if language in ("ar", "ru", "zh"):  # scripts where a Latin word stands out
        latin = sorted(text for text in texts if LATIN_WORD.search(LATIN_ALLOWED.sub("", text)))
        assert not latin, f"Latin text in the {language} window: {latin[:10]}"
    window.close()


def test_arabic_lays_the_whole_window_out_right_to_left(qtbot: QtBot, services: Services) -> None:
    window = open_window(qtbot, services, "ar")
    assert QApplication.layoutDirection() == Qt.LayoutDirection.RightToLeft
    assert window.isRightToLeft()
    assert window.navigation.isRightToLeft()
    assert all(page.isRightToLeft() for page in window.pages.values())
    # Qt's numbers (chart axes) are written with the same digits as the program's (Babel's).
    assert QLocale().toString(1234) == format_number(1234) == "1,234"
    # The navigation sits on the right of the pages.
    navigation = window.navigation.mapTo(window, window.navigation.rect().center())
    pages = window.stack.mapTo(window, window.stack.rect().center())
    assert navigation.x() > pages.x()
    window.close()
    app_module.application("en")
    assert QApplication.layoutDirection() == Qt.LayoutDirection.LeftToRight


@pytest.mark.parametrize(
    ("language", "cancel"), [("fr", "Annuler"), ("ru", "Отмена"), ("zh", "取消")]
)
def test_qt_own_buttons_speak_the_language(qtbot: QtBot, language: str, cancel: str) -> None:
    app_module.application(language)
    assert QCoreApplication.translate("QPlatformTheme", "Cancel") == cancel
    app_module.application("en")
    assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "Cancel"
    set_language("en")


def test_the_shipped_fonts_draw_chinese_and_arabic_without_system_fonts(qtbot: QtBot) -> None:
    families = app_module.add_shipped_fonts()
    assert {"Droid Sans Fallback", "Noto Sans Arabic"} <= set(families)
    assert set(families) <= set(QFontDatabase.families())
    chinese = QFontMetrics(QFont("Droid Sans Fallback"))
    assert all(chinese.inFontUcs4(ord(glyph)) for glyph in "培训班设置")


def test_saving_another_language_reopens_the_window_in_it(
    qtbot: QtBot, services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[str] = []
    monkeypatch.setattr(
        "regional_centre.ui.main_window.confirm",
        lambda _parent, _title, text: asked.append(text) or True,
    )
    window = open_window(qtbot, services, "en")
    page = window.show_page("settings")
    page.language.setCurrentIndex(page.language.findData("ar"))
    assert page.save()
    assert asked == ["Show the program in Arabic (العربية) now?"]
    successors = [
        top
        for top in QApplication.topLevelWidgets()
        if isinstance(top, MainWindow) and top.isVisible() and top is not window
    ]
    assert len(successors) == 1
    arabic = successors[0]
    qtbot.addWidget(arabic)
    assert not window.isVisible() and not window.has_services()
    assert arabic.isRightToLeft()
    assert arabic.current_page() is arabic.pages["settings"]  # on the page the user was on
    assert arabic.navigation.item(0).text() == "لوحة المعلومات"
    assert arabic.services.organisations.count() == 0  # the same database, still open
    arabic.close()


def test_the_language_stays_when_forms_have_unsaved_changes_and_the_user_keeps_them(
    qtbot: QtBot, services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = open_window(qtbot, services, "en")
    monkeypatch.setattr(type(window.pages["partners"]), "has_unsaved_changes", lambda _self: True)
    monkeypatch.setattr("regional_centre.ui.main_window.confirm", lambda *_args: False)
    assert window.reopen_in("fr") is None
    assert window.isVisible() and window.has_services()
    assert window.navigation.item(0).text() == "Dashboard"


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "Capacity-building and technology transfer, Y8"),
        ("fr", "Renforcement des capacités et transfert de technologie, Y8"),
    ],
)
def test_lists_show_code_sets_by_title_in_the_language(
    services: Services, language: str, expected: str
) -> None:
    column = Column("priority_fields", "Priority fields", Display.CODES)
    set_language(language)
    try:
        shown = CellText(services.reference).text(column, ("capacity_building", "Y8"))
    finally:
        set_language("en")
    assert shown == expected


@pytest.mark.parametrize(
    ("language", "names"),
    [
        ("fr", ["Ecobat", "Égypte Recyclage", "Eswatini Metals", "Zambia Oil"]),
        ("zh", ["北京回收", "上海电子", "中国化工"]),  # by pinyin: bei, shang, zhong
        ("en", ["Ecobat", "Égypte Recyclage", "Eswatini Metals", "Zambia Oil"]),
    ],
)
def test_lists_sort_names_and_countries_as_the_language_does(
    qtbot: QtBot, services: Services, language: str, names: list[str]
) -> None:
    """By code point "Égypte" would follow "Zambia", and 上 (shàng) come before 北 (běi)."""
    countries = ["AT", "DE", "EG", "SZ"]  # Autriche, Allemagne…: the codes' order is not the names'
    for name, country in zip(reversed(names), countries, strict=False):
        services.organisations.create(
            OrganisationDraft(
                name=name, stakeholder_type=StakeholderType.NATIONAL_COMPANY, country=country
            )
        )
    app_module.application(language)
    _window, page = open_list(qtbot, services)
    assert column_values(page, "name") == names
    country = [c.key for c in page.model.columns].index("country")
    header = page.view.horizontalHeader()
    reload(qtbot, page, lambda: header.setSortIndicator(country, Qt.SortOrder.AscendingOrder))
    shown = column_values(page, "country")
    assert shown == sorted_by_text(shown, str) and len(set(shown)) == len(names)
    if language == "fr":
        assert shown[:2] == ["Allemagne", "Autriche"]


@pytest.mark.parametrize("language", ["fr", "ru"])
def test_list_headings_are_not_clipped(qtbot: QtBot, services: Services, language: str) -> None:
    """A heading such as "Type de partie prenante" is wider than a default column."""
    app_module.application(language)
    _window, page = open_list(qtbot, services)
    header = page.view.horizontalHeader()
    metrics = QFontMetrics(header.font())
    model = page.model
    for column in range(model.columnCount()):
        heading = model.headerData(column, Qt.Orientation.Horizontal)
        assert metrics.horizontalAdvance(heading) < header.sectionSize(column), heading


def test_a_list_sorted_by_a_column_compares_the_texts_its_cells_show(services: Services) -> None:
    cells = CellText(services.reference)
    set_language("fr")
    try:
        for column, values in (
            (Column("name", "Name"), ["Égypte Recyclage", None, "", "Zambia Oil"]),
            (Column("country", "Country", Display.COUNTRY), ["DE", "AT", None]),
            (Column("stage", "Stage", Display.CHOICE, EngagementStage), ["identified", None]),
            (Column("streams", "Streams", Display.CODES), [("e_waste", "Y8"), ()]),
        ):
            assert cells.texts(column, values) == [cells.text(column, value) for value in values]
        country = Column("country", "Country", Display.COUNTRY)
        assert cells.texts(country, ["DE", "AT", None]) == ["Allemagne", "Autriche", ""]
    finally:
        set_language("en")
