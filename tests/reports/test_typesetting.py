"""Text in six scripts: the right fonts embedded, Arabic shaped and wrapped in reading order."""

from __future__ import annotations

import datetime as dt
import io
import unicodedata

import pytest
from pypdf import PdfReader

from regional_centre.i18n import current_language, document_language, format_day, set_language
from regional_centre.reports.document import DocumentInfo, build_document
from regional_centre.reports.fonts import ARABIC, CHINESE, LATIN, FontStack, is_arabic
from regional_centre.reports.typesetting import RightToLeftParagraph, Typesetter

ARABIC_TEXT = (
    "يقدم المركز الإقليمي تقريرا عن التقدم المحرز في التعاون مع الصناعة خلال عام 2027 "
    "بما في ذلك الشراكات مع ACME Ltd والدورات التدريبية للمؤسسات الصغيرة والمتوسطة "
    "في مجال الإدارة السليمة بيئيا للنفايات الخطرة (الفئة Y18)."
)
SAMPLES = {
    "en": "Environmentally sound management of hazardous wastes, 1,234 participants.",
    "fr": "Gestion écologiquement rationnelle des déchets dangereux : 1 234 participants.",
    "es": "Manejo ambientalmente racional de los desechos peligrosos: 1.234 participantes.",
    "ru": "Экологически обоснованное регулирование опасных отходов: 1 234 участника.",
    "ar": ARABIC_TEXT,
    "zh": "危险废物的无害环境管理：1,234名参与者。ACME Ltd 提供了支持。",
}
# Bidirectional controls a PDF reader may add around runs of the other direction.
BIDI_MARKS = dict.fromkeys(
    map(ord, "\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
)


def plain(text: str) -> str:
    """Text as compared: presentation forms folded (NFKC), bidi marks and spacing removed."""
    return "".join(unicodedata.normalize("NFKC", text).translate(BIDI_MARKS).split())


def pdf_with(language: str, paragraphs: list[str]) -> bytes:
    t = Typesetter(language)
    buffer = io.BytesIO()
    info = DocumentInfo("Title", "Subject", "N-1", "Tester", language, dt.datetime(2027, 5, 3))
    build_document(buffer, info, t, [], [t.paragraph(p) for p in paragraphs], contents=False)
    return buffer.getvalue()


def embedded_fonts(data: bytes) -> dict[str, bool]:
    """Every font the PDF's pages use, by base name, and whether its file is embedded."""
    fonts: dict[str, bool] = {}
    for page in PdfReader(io.BytesIO(data)).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descriptor = font.get("/FontDescriptor")
            embedded = descriptor is not None and any(
                key in descriptor.get_object() for key in ("/FontFile", "/FontFile2", "/FontFile3")
            )
            fonts[str(font["/BaseFont"]).split("+")[-1]] = embedded
    return fonts


@pytest.mark.parametrize("language", list(SAMPLES))
def test_every_language_embeds_its_fonts_and_its_text_reads_back(language: str) -> None:
    data = pdf_with(language, [SAMPLES[language]])
    fonts = embedded_fonts(data)
    assert fonts and all(fonts.values()), fonts
    expected = {"ar": ARABIC.regular, "zh": CHINESE.regular}.get(language, LATIN.regular)
    assert any(name.startswith(expected) for name in fonts), fonts
    text = PdfReader(io.BytesIO(data)).pages[0].extract_text()
    if language == "ar":
        # Lines are drawn in display order; every word must still read back whole.
        for word in ARABIC_TEXT.split():
            assert plain(word.strip("().")) in plain(text), word
    else:
        assert plain(SAMPLES[language]) in plain(text)


def test_mixed_scripts_take_each_character_from_a_font_that_has_it() -> None:
    fonts = FontStack("fr")
    runs = fonts.runs("Société 中国石化 et شركة")
    assert [font for font, _text in runs] == [
        LATIN.regular,
        CHINESE.regular,
        LATIN.regular,
        ARABIC.regular,
    ]
    assert "".join(text for _font, text in runs) == "Société 中国石化 et شركة"
    data = pdf_with("fr", ["Société 中国石化 et شركة"])
    families = {name.split("-")[0] for name in embedded_fonts(data)}
    assert families == {LATIN.regular, CHINESE.regular, ARABIC.regular}


def arabic_words(words: list[str]) -> list[str]:
    """The words that are Arabic letters only, folded for comparison."""
    return [plain(w) for w in words if w.strip() and all(is_arabic(ord(c)) for c in plain(w))]


def test_arabic_lines_break_in_reading_order_and_are_mirrored_for_display() -> None:
    t = Typesetter("ar")
    text = ARABIC_TEXT * 2
    paragraph = t.paragraph(text)
    assert isinstance(paragraph, RightToLeftParagraph)
    _width, height = paragraph.wrap(220, 1000)
    lines = paragraph._lines
    assert len(lines) > 3 and height == len(lines) * t.styles["body"].leading
    assert all(t.fonts.width(line, t.styles["body"].fontSize) <= 220 for line in lines)
    # A display line read from its right end, each word's letters reversed back, gives the
    # words in reading order; the lines top to bottom give the whole paragraph.
    read = [word[::-1] for line in lines for word in reversed(line.split())]
    assert arabic_words(read) == arabic_words(text.split())
    # Latin and numbers inside keep their own left-to-right order.
    assert any("ACME Ltd" in line for line in lines) or any("ACME" in line for line in lines)
    assert any("2027" in line for line in lines)


def test_a_long_arabic_paragraph_splits_across_pages() -> None:
    data = pdf_with("ar", [ARABIC_TEXT * 40])
    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) >= 2
    assert all(plain("الإقليمي") in plain(page.extract_text()) for page in reader.pages)


def test_a_document_language_leaves_the_program_language_alone() -> None:
    set_language("en")
    with document_language("fr"):
        assert current_language() == "fr"
        assert format_day(dt.date(2027, 5, 3), "long") == "3 mai 2027"
    assert current_language() == "en"
    assert format_day(dt.date(2027, 5, 3), "long") == "May 3, 2027"


def test_tables_are_mirrored_in_arabic() -> None:
    def cell_text(cell: object) -> str:
        return cell.text if isinstance(cell, RightToLeftParagraph) else cell.getPlainText()  # type: ignore[attr-defined]

    for language, order in (("en", ["Name", "Count"]), ("ar", ["Count", "Name"])):
        table = Typesetter(language).table(
            ["Name", "Count"], [["ACME", "12"]], [100, 40], numeric=[1]
        )
        assert [cell_text(cell) for cell in table._cellvalues[0]] == order
        assert [cell_text(cell) for cell in table._cellvalues[1]] == (
            ["ACME", "12"] if language == "en" else ["12", "ACME"]
        )
        assert table._colWidths == ([100, 40] if language == "en" else [40, 100])
        assert table.hAlign == ("LEFT" if language == "en" else "RIGHT")
