"""Page images of every printed document in every language, for docs/reports.

Each document is made from the small demo data set (a new database in a temporary
folder), turned into page images with ``pdftoppm`` (poppler-utils) and put side by
side on one sheet per document and language (``make report-pages``):

    .venv/bin/python scripts/report_pages.py [--out docs/reports] [--dpi 40] [--lang ar ...]

A second, larger image of one chosen page of each document shows the detail.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

from PIL import Image

REPOSITORY = Path(__file__).resolve().parent.parent
COLUMNS = 6
# The page of each document shown larger (1 = the first).
DETAIL_PAGE = {"progress-report": 4, "partner-directory": 3}


def main() -> int:
    """Write the sheets; 0 when every document was drawn."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=REPOSITORY / "docs" / "reports")
    parser.add_argument("--dpi", type=int, default=40)
    parser.add_argument("--lang", nargs="*")
    args = parser.parse_args()
    if shutil.which("pdftoppm") is None:
        print("pdftoppm is missing: install poppler-utils.", file=sys.stderr)
        return 1
    sys.path.insert(0, str(REPOSITORY))
    from regional_centre.demo import generate
    from regional_centre.i18n import LANGUAGES
    from regional_centre.reports.directory import write_directory
    from regional_centre.reports.progress import prepare, write
    from regional_centre.reports.training_papers import write_training_papers
    from regional_centre.services import Services
    from regional_centre.services.listing import Kind, ListQuery
    from regional_centre.services.periods import Period

    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        database = work / "demo.sqlite"
        services = Services.open(database, create=True, actor="Demo")
        services.installation.initialise(node_name="Dakar office", centre_code="BCRC-SN")
        generate(services, "small", seed=7)
        year, session_id, country = _choices(database)
        period = Period(dt.date(year, 1, 1), dt.date(year, 12, 31))
        for language in args.lang or LANGUAGES:
            documents: dict[str, Path] = {}
            report = work / f"progress-{language}.pdf"
            buffer = io.BytesIO()
            write(prepare(services, period, language), buffer, services)
            report.write_bytes(buffer.getvalue())
            documents["progress-report"] = report
            papers = work / f"papers-{language}"
            write_training_papers(services, session_id, papers, language)
            for name in ("sign-in-sheets", "participants", "evaluation", "certificates"):
                documents[name] = papers / f"{name}.pdf"
            directory = work / f"directory-{language}.pdf"
            write_directory(
                services, Kind.PARTNERS, ListQuery(country=country), language, directory
            )
            documents["partner-directory"] = directory
            for name, pdf in documents.items():
                sheet = args.out / f"{name}-{language}.png"
                _sheet(pdf, sheet, args.dpi, work)
                _detail(
                    pdf, args.out / f"{name}-{language}-page.png", DETAIL_PAGE.get(name, 1), work
                )
                print(sheet.relative_to(REPOSITORY) if sheet.is_relative_to(REPOSITORY) else sheet)
        services.close()
    return 0


def _choices(database: Path) -> tuple[int, str, str]:
    """The busiest year, the session with most certificates, the country with most partners."""
    with sqlite3.connect(database) as connection:
        (year,) = connection.execute(
            "SELECT substr(first_day, 1, 4) y FROM training_session GROUP BY y ORDER BY count(*) DESC LIMIT 1"
        ).fetchone()
        (session_id,) = connection.execute(
            "SELECT p.session_id FROM certificate c JOIN participation p ON p.id = c.participation_id "
            "GROUP BY p.session_id ORDER BY count(*) DESC, p.session_id LIMIT 1"
        ).fetchone()
        (country,) = connection.execute(
            "SELECT country FROM organisation WHERE stakeholder_type != 'sme' AND deleted = 0 "
            "GROUP BY country ORDER BY count(*) DESC LIMIT 1"
        ).fetchone()
    return int(year), str(session_id), str(country)


def _pages(pdf: Path, dpi: int, folder: Path, first: int | None = None) -> list[Path]:
    prefix = folder / f"{pdf.stem}-{dpi}"
    for old in folder.glob(f"{prefix.name}-*.png"):
        old.unlink()
    command = ["pdftoppm", "-png", "-r", str(dpi)]
    if first is not None:
        command += ["-f", str(first), "-l", str(first)]
    subprocess.run([*command, str(pdf), str(prefix)], check=True)
    return sorted(folder.glob(f"{prefix.name}-*.png"))


def _sheet(pdf: Path, target: Path, dpi: int, folder: Path) -> None:
    """Every page of ``pdf``, side by side in rows, with a thin frame around each."""
    images = [Image.open(path).convert("RGB") for path in _pages(pdf, dpi, folder)]
    width = max(image.width for image in images) + 8
    height = max(image.height for image in images) + 8
    columns = min(COLUMNS, len(images))
    rows = -(-len(images) // columns)
    sheet = Image.new("RGB", (columns * width, rows * height), (200, 200, 200))
    for index, image in enumerate(images):
        sheet.paste(image, ((index % columns) * width + 4, (index // columns) * height + 4))
    _save(sheet, target)


def _detail(pdf: Path, target: Path, page: int, folder: Path) -> None:
    """One page at a readable resolution."""
    pages = _pages(pdf, 80, folder, first=page) or _pages(pdf, 80, folder, first=1)
    _save(Image.open(pages[0]).convert("RGB"), target)


def _save(image: Image.Image, target: Path) -> None:
    """A PNG of few colours: pages of text lose nothing and weigh a third."""
    image.quantize(colors=48, method=Image.Quantize.MEDIANCUT).save(target, optimize=True)


if __name__ == "__main__":
    sys.exit(main())
