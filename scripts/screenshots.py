"""Screenshots of every page of the desktop program on the demo data, for docs/screenshots.

Run under a virtual display so that fonts and styles are those of a real
desktop (``make screenshots`` does this):

    xvfb-run -a .venv/bin/python scripts/screenshots.py [--out docs/screenshots] [--lang en]

``make screenshots`` takes them in English (``docs/screenshots``) and in Arabic,
Chinese and French (``docs/screenshots/ar`` and so on).

A new database with the small demo data set is made in a temporary folder;
the user's own data and settings are not touched.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from regional_centre.services import Services

REPOSITORY = Path(__file__).resolve().parent.parent

# (file name, page key, tab title to show or None, open the first record)
SHOTS = [
    ("dashboard", "dashboard", None, False),
    ("partners", "partners", "Organisations", True),
    ("people", "partners", "People", True),
    ("pipeline", "partners", "Pipeline", False),
    ("dialogues", "dialogues", None, True),
    ("partnerships", "partnerships", "Partnerships", True),
    ("joint-activities", "partnerships", "Joint activities", True),
    ("smes", "smes", None, True),
    ("training", "training", None, True),
    ("sync", "sync", None, False),
    ("reports", "reports", None, False),
    ("settings", "settings", None, False),
]


def main() -> int:
    """Take the screenshots; 0 when every page was drawn."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=REPOSITORY / "docs" / "screenshots")
    parser.add_argument("--lang", default="en")
    parser.add_argument("--width", type=int, default=1366)
    parser.add_argument("--height", type=int, default=800)
    args = parser.parse_args()
    home = Path(tempfile.mkdtemp(prefix="regional-centre-screenshots-"))
    os.environ["REGIONAL_CENTRE_DATA_DIR"] = str(home / "data")
    os.environ["XDG_CONFIG_HOME"] = str(home / "config")

    from PySide6.QtTest import QTest

    from regional_centre.demo import generate
    from regional_centre.i18n import _
    from regional_centre.services import Services
    from regional_centre.ui.app import application
    from regional_centre.ui.main_window import MainWindow
    from regional_centre.ui.operations import wait_for_background_work
    from regional_centre.ui.pages.records import RecordsPage
    from regional_centre.ui.settings import Settings

    app = application(args.lang)
    services = Services.open(home / "demo.sqlite", create=True, actor="Amina Diallo")
    services.installation.initialise(node_name="Dakar office", centre_code="BCRC-SN")
    generate(services, "small", seed=7)
    secretariat = exchange_with_peers(services, home)
    window = MainWindow(services, Settings.in_file(home / "settings.ini"))
    window.resize(args.width, args.height)
    window.show()
    args.out.mkdir(parents=True, exist_ok=True)

    def settle() -> None:
        for _round in range(3):
            wait_for_background_work()
            app.processEvents()
            QTest.qWait(150)

    for name, key, tab, open_first in SHOTS:
        page = window.show_page(key)
        if isinstance(page, RecordsPage) and tab is not None:
            titles = [page.tabs.tabText(i) for i in range(page.tabs.count())]
            page.tabs.setCurrentIndex(titles.index(_(tab)))
        settle()
        if open_first and isinstance(page, RecordsPage):
            listed = page.current_list()
            if listed is not None and listed.model.rowCount():
                listed.view.selectRow(0)
                settle()
        path = args.out / f"{name}.png"
        if not window.grab().save(str(path)):
            print(f"could not write {path}", file=sys.stderr)
            return 1
        print(path.relative_to(REPOSITORY) if path.is_relative_to(REPOSITORY) else path)
    if not _preview_shot(services, args, settle):
        return 1
    window.close()
    settle()
    services.close()
    consolidated = MainWindow(secretariat, Settings.in_file(home / "secretariat.ini"))
    consolidated.resize(args.width, args.height)
    consolidated.show()
    consolidated.show_page("sync")
    settle()
    path = args.out / "sync-secretariat.png"
    if not consolidated.grab().save(str(path)):
        print(f"could not write {path}", file=sys.stderr)
        return 1
    print(path.relative_to(REPOSITORY) if path.is_relative_to(REPOSITORY) else path)
    consolidated.close()
    settle()
    secretariat.close()
    return 0


def _preview_shot(services: Services, args: argparse.Namespace, settle: Callable[[], None]) -> bool:
    """The preview of the progress report in Arabic, at its third page."""
    import datetime as dt
    import io

    from regional_centre.reports.progress import prepare, write
    from regional_centre.services.periods import Period
    from regional_centre.ui.pdf_preview import PdfPreview

    year = dt.date.today().year - 1
    document = prepare(services, Period(dt.date(year, 1, 1), dt.date(year, 12, 31)), "ar")
    buffer = io.BytesIO()
    write(document, buffer, services)
    preview = PdfPreview(None, document.info.title, buffer.getvalue(), "report.pdf")
    preview.resize(900, args.height)
    preview.show()
    settle()
    preview.view.pageNavigator().jump(2, preview.view.pageNavigator().currentLocation())
    settle()
    path = args.out / "report-preview.png"
    saved = preview.grab().save(str(path))
    preview.close()
    if saved:
        print(path.relative_to(REPOSITORY) if path.is_relative_to(REPOSITORY) else path)
    else:
        print(f"could not write {path}", file=sys.stderr)
    return saved


def exchange_with_peers(office: Services, home: Path) -> Services:
    """A field laptop and the secretariat enrolled with the office, and some exchanges.

    Both the office and the laptop change the same organisation's notes
    before they exchange, so the office's Sync page shows a conflict. Return
    the secretariat's services, which also hold a second centre's records.
    """
    from regional_centre.demo import generate
    from regional_centre.services import Services

    def enrol(first: Services, second: Services) -> None:
        first.sync.enrol(first.sync.read_enrolment(second.sync.enrolment()))
        second.sync.enrol(second.sync.read_enrolment(first.sync.enrolment()))

    def send(sender: Services, recipient: Services, name: str) -> None:
        bundle = home / f"{name}.rcbundle"
        sender.sync.export_bundle(recipient.installation.this_node().name, bundle)
        recipient.sync.import_bundle(bundle)

    laptop = Services.open(home / "laptop.sqlite", create=True, actor="Moussa Sow")
    laptop.installation.initialise(node_name="Field laptop", centre_code="BCRC-SN")
    secretariat = Services.open(home / "secretariat.sqlite", create=True, actor="Secretariat")
    secretariat.installation.initialise(node_name="Geneva", centre_code=None)
    enrol(office, laptop)
    enrol(office, secretariat)
    send(office, laptop, "office-to-laptop")
    send(office, secretariat, "office-to-geneva")
    organisation = office.organisations.ids()[0]
    office.organisations.change(organisation, notes="Visit planned for March.")
    laptop.organisations.change(organisation, notes="Director asked for the training calendar.")
    send(laptop, office, "laptop-to-office")
    send(office, laptop, "office-to-laptop-2")
    laptop.close()
    ibadan = Services.open(home / "ibadan.sqlite", create=True, actor="Chidi Okafor")
    ibadan.installation.initialise(node_name="Ibadan office", centre_code="BCRC-NG")
    generate(ibadan, "small", seed=11)
    enrol(ibadan, secretariat)
    send(ibadan, secretariat, "ibadan-to-geneva")
    ibadan.close()
    return secretariat


if __name__ == "__main__":
    sys.exit(main())
