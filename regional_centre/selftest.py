"""``regional-centre self-test``: start the program's parts without a screen and check them.

Run by the packaged program after a build, so it checks what a build can
miss: migrations, reference data, catalogues and Qt's platform plugins.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

from regional_centre.db.database import head_revision
from regional_centre.enums import StakeholderType
from regional_centre.i18n import _
from regional_centre.reports.progress import prepare, write
from regional_centre.services import Services
from regional_centre.services.errors import ServiceError
from regional_centre.services.organisations import OrganisationDraft
from regional_centre.services.periods import Period
from regional_centre.services.reference import read_shipped_lists


class SelfTestError(ServiceError):
    """A part of the program does not work."""


def run_self_test() -> Iterator[str]:
    """Check each part in turn, yielding a line per part; SelfTestError at the first failure."""
    lists = read_shipped_lists()
    yield _("reference data: {count} code lists").format(count=len(lists))
    yield _("schema revision: {revision}").format(revision=head_revision())
    with tempfile.TemporaryDirectory() as folder:
        services = Services.open(Path(folder) / "self-test.sqlite", create=True, actor="self-test")
        try:
            services.installation.initialise(node_name="self-test", centre_code="BCRC-SN")
            record = services.organisations.create(
                OrganisationDraft(
                    name="Self-test SARL",
                    stakeholder_type=StakeholderType.NATIONAL_COMPANY,
                    country="SN",
                )
            )
            if services.organisations.get(record.id).name != "Self-test SARL":
                raise SelfTestError(_("a saved record did not read back"))
            problems = services.maintenance.check()
            if problems:
                raise SelfTestError(
                    _("database check failed: {problems}").format(problems="; ".join(problems))
                )
            dump = io.StringIO()
            if services.maintenance.dump(dump) < 2:
                raise SelfTestError(_("the dump is missing records"))
            yield _("database: created, migrated, written, checked")
            yield _check_bundle(services, Path(folder))
            yield _check_documents(services)
            yield from _check_window(services)
        finally:
            services.close()


def _check_bundle(services: Services, folder: Path) -> str:
    """Sign, seal, open and apply a bundle between two installations (the crypto library works)."""
    peer = Services.open(folder / "peer.sqlite", create=True, actor="self-test")
    try:
        peer.installation.initialise(node_name="self-test peer", centre_code="BCRC-SN")
        services.sync.enrol(services.sync.read_enrolment(peer.sync.enrolment()))
        peer.sync.enrol(peer.sync.read_enrolment(services.sync.enrolment()))
        bundle = folder / "self-test.rcbundle"
        services.sync.export_bundle("self-test peer", bundle)
        report = peer.sync.import_bundle(bundle)
        if report.tables.get("organisation") is None or report.tables["organisation"].added != 1:
            raise SelfTestError(_("a bundle did not carry its record"))
    finally:
        peer.close()
    return _("sync: a signed, encrypted bundle exported and applied")


def _check_documents(services: Services) -> str:
    """Lay out the progress report in Arabic and Chinese (the fonts and shaping are shipped)."""
    today = dt.date.today()
    period = Period(dt.date(today.year, 1, 1), dt.date(today.year, 12, 31))
    for language in ("ar", "zh"):
        pages = write(prepare(services, period, language), io.BytesIO(), services)
        if pages < 3:
            raise SelfTestError(_("the progress report has {pages} pages").format(pages=pages))
    return _("documents: the progress report laid out in Arabic and Chinese")


def _check_window(services: Services) -> Iterator[str]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

    from regional_centre.ui.app import application
    from regional_centre.ui.main_window import MainWindow
    from regional_centre.ui.operations import wait_for_background_work
    from regional_centre.ui.settings import Settings

    app = application("en")
    with tempfile.TemporaryDirectory() as folder:  # the user's own settings stay untouched
        settings = Settings.in_file(Path(folder) / "settings.ini")
        window = MainWindow(services, settings)
        window.show()
        app.processEvents()
        image = window.grab()
        window.close()
        # The pages' first queries may still run: done before the database and folder go.
        wait_for_background_work()
        app.processEvents()
    if image.isNull() or image.width() < 100:
        raise SelfTestError(_("the main window did not draw"))
    yield _("window: drawn on the {platform} platform").format(platform=app.platformName())
