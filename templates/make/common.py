"""Shared pieces for the scripts that build masg's shipped Word templates (python-docx).

Each script in this folder builds one or more ``templates/*.docx`` from code, so the shipped
templates can be regenerated and reviewed as text. A co-ordinator never needs these: they copy
the .docx files (``masg templates copy DIR``) and re-brand them in Word, keeping the tags.

The base is an A4 "council letter": a letterhead (service name, then ``{{ locality }}`` and
``{{ panel }}``), Arial (LibreOffice shows it with the metric-compatible Liberation Sans),
2 cm margins, and a footer marking the page OFFICIAL-SENSITIVE with "Page X of Y".
Every document using the base must give ``locality`` and ``panel`` in its context.

Usage from another script in this folder::

    from common import council_letter, heading, para, fields, loop_table, save
    doc = council_letter("Decision sheet")
    fields(doc, [("Reference", "{{ reference }}")])
    save(doc, "decision-sheet.docx")
"""

from __future__ import annotations

from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

TEMPLATES = Path(__file__).resolve().parent.parent
FONT = "Arial"
ACCENT = RGBColor(0x1F, 0x3A, 0x5F)  # a sober council blue
GREY = RGBColor(0x55, 0x55, 0x55)
SERVICE = "Children's Services · Early Help"
MARKING = "OFFICIAL-SENSITIVE"


def _font(style, size: float, *, bold: bool = False, colour: RGBColor | None = None) -> None:
    style.font.name = FONT
    style.font.size = Pt(size)
    style.font.bold = bold
    if colour is not None:
        style.font.color.rgb = colour
    fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    for attribute in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attribute), FONT)
    # Theme fonts win over named ones in Word: drop them so Arial is what shows.
    for attribute in ("w:asciiTheme", "w:hAnsiTheme", "w:cstheme", "w:eastAsiaTheme"):
        fonts.attrib.pop(qn(attribute), None)


def new_document(*, landscape: bool = False) -> Document:
    """A blank A4 document in masg's house style (python-docx's default page is US Letter)."""
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    if landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = Cm(29.7), Cm(21.0)
    for side in ("left_margin", "right_margin"):
        setattr(section, side, Cm(2.0))
    section.top_margin, section.bottom_margin = Cm(1.8), Cm(2.0)
    section.header_distance, section.footer_distance = Cm(1.0), Cm(1.0)
    styles = doc.styles
    _font(styles["Normal"], 10.5)
    styles["Normal"].paragraph_format.space_after = Pt(4)
    styles["Normal"].paragraph_format.line_spacing = 1.1
    for name, size in (("Title", 18), ("Heading 1", 14), ("Heading 2", 12), ("Heading 3", 11)):
        _font(styles[name], size, bold=True, colour=ACCENT)
        styles[name].paragraph_format.space_before = Pt(10 if name != "Title" else 0)
        styles[name].paragraph_format.space_after = Pt(4)
    _british_english(doc)
    # Title's default has a border line and theme font; keep it plain.
    title = styles["Title"].element.get_or_add_pPr()
    for border in title.findall(qn("w:pBdr")):
        title.remove(border)
    return doc


LANGUAGE = "en-GB"


def _british_english(doc) -> None:
    """Spell-check and read aloud as British English (save() re-tags python-docx's own en-US)."""
    language = LANGUAGE
    defaults = doc.styles.element.find(qn("w:docDefaults"))
    run = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    if run.find(qn("w:lang")) is None:
        lang = OxmlElement("w:lang")
        lang.set(qn("w:val"), language)
        run.append(lang)
    doc.core_properties.language = language


def keep_together(*paragraphs) -> None:
    """Keep a letter's closing paragraphs and sign-off on one page: without it, a long table
    above can push 'Yours sincerely,' and the name alone onto the next page."""
    for paragraph in paragraphs[:-1]:
        paragraph.paragraph_format.keep_with_next = True


def council_letter(title: str, *, landscape: bool = False, subtitle: str | None = None) -> Document:
    """The A4 council-letter base: letterhead header, marked footer with page numbers, title."""
    doc = new_document(landscape=landscape)
    section = doc.sections[0]
    _letterhead(section.header)
    _footer(section.footer)
    doc.add_paragraph(title, style="Title")
    if subtitle:
        para(doc, subtitle, colour=GREY)
    return doc


def _letterhead(header) -> None:
    first = header.paragraphs[0]
    run = first.add_run(SERVICE)
    run.bold, run.font.size, run.font.color.rgb = True, Pt(13), ACCENT
    second = header.add_paragraph()
    run = second.add_run("{{ locality }} · {{ panel }} multi-agency panel")
    run.font.size, run.font.color.rgb = Pt(9.5), GREY
    _rule(second)
    marking = header.add_paragraph()
    marking.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    run = marking.add_run(MARKING)
    run.bold, run.font.size = True, Pt(8)


def _rule(paragraph) -> None:
    """A thin line under the letterhead."""
    ppr = paragraph._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("w:val", "single"), ("w:sz", "6"), ("w:space", "4"), ("w:color", "1F3A5F")):
        bottom.set(qn(key), value)
    borders.append(bottom)
    ppr.append(borders)


def _field(paragraph, instruction: str) -> None:
    """A Word field (PAGE, NUMPAGES) that Word and LibreOffice fill in when showing the page."""
    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    text = OxmlElement("w:instrText")
    text.set(qn("xml:space"), "preserve")
    text.text = f" {instruction} "
    separate = OxmlElement("w:fldChar")
    separate.set(qn("w:fldCharType"), "separate")
    shown = OxmlElement("w:t")
    shown.text = "1"
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    # One element per run, each with the footer's size (LibreOffice sizes a field by its runs).
    for element in (begin, text, separate, shown, end):
        run = paragraph.add_run()
        run.font.size = Pt(8)
        run._r.append(element)


def _footer(footer) -> None:
    line = footer.paragraphs[0]
    line.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for text in (f"{MARKING} · Page ",):
        run = line.add_run(text)
        run.font.size = Pt(8)
    _field(line, "PAGE")
    run = line.add_run(" of ")
    run.font.size = Pt(8)
    _field(line, "NUMPAGES")


def heading(doc, text: str, level: int = 1):
    return doc.add_heading(text, level=level)


def para(doc, text: str = "", *, bold: bool = False, size: float | None = None,
         colour: RGBColor | None = None, style: str | None = None, space_after: float | None = None):
    """A paragraph of one run (a Jinja tag must stay inside one run, so keep tags in ``text``)."""
    paragraph = doc.add_paragraph(style=style)
    if text:
        run = paragraph.add_run(text)
        run.bold = bold
        if size:
            run.font.size = Pt(size)
        if colour is not None:
            run.font.color.rgb = colour
    if space_after is not None:
        paragraph.paragraph_format.space_after = Pt(space_after)
    return paragraph


def _shade(cell, fill: str) -> None:
    tcpr = cell._tc.get_or_add_tcPr()
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    tcpr.append(shading)


def _cell_text(cell, text: str, *, bold: bool = False, colour: RGBColor | None = None) -> None:
    paragraph = cell.paragraphs[0]
    paragraph.paragraph_format.space_after = Pt(1)
    run = paragraph.add_run(text)
    run.bold = bold
    run.font.size = Pt(9.5)
    if colour is not None:
        run.font.color.rgb = colour


def _widths(table, widths_cm) -> None:
    if not widths_cm:
        return
    table.autofit = False
    # Both the grid and each cell: LibreOffice reads the grid, Word the cells.
    for column, width in zip(table._tbl.tblGrid.findall(qn("w:gridCol")), widths_cm):
        column.set(qn("w:w"), str(int(width * 567)))
    for row in table.rows:
        for cell, width in zip(row.cells, widths_cm):
            cell.width = Cm(width)


def fields(doc, pairs, *, label_width: float = 5.0, value_width: float = 12.0):
    """A two-column table of labels and values (Reference | {{ reference }} ...)."""
    table = doc.add_table(rows=0, cols=2)
    table.style = "Table Grid"
    for label, value in pairs:
        cells = table.add_row().cells
        _shade(cells[0], "E8EDF3")
        _cell_text(cells[0], label, bold=True)
        _cell_text(cells[1], value)
    _widths(table, (label_width, value_width))
    doc.add_paragraph().paragraph_format.space_after = Pt(2)
    return table


def loop_table(doc, headers, cells, *, loop: str, widths_cm=None, empty: str | None = None):
    """A table with a header row and one row repeated by docxtpl for each item of ``loop``.

    ``loop`` is the inside of a Jinja for, e.g. ``"s in slots"``; ``cells`` are the row's
    texts, e.g. ``["{{ s.time }}", "{{ s.reference }}"]``. ``empty`` adds a line shown when
    the list is empty.
    """
    variable = loop.split(" in ", 1)[1].strip()
    table = doc.add_table(rows=4, cols=len(headers))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, text in zip(table.rows[0].cells, headers):
        _shade(cell, "1F3A5F")
        _cell_text(cell, text, bold=True, colour=RGBColor(0xFF, 0xFF, 0xFF))
    _repeat_header(table.rows[0])
    _cell_text(table.rows[1].cells[0], f"{{%tr for {loop} %}}")
    for cell, text in zip(table.rows[2].cells, cells):
        _cell_text(cell, text)
    _cell_text(table.rows[3].cells[0], "{%tr endfor %}")
    _widths(table, widths_cm)
    if empty:
        para(doc, f"{{% if not {variable} %}}{empty}{{% endif %}}", colour=GREY)
    else:
        doc.add_paragraph().paragraph_format.space_after = Pt(2)
    return table


def _repeat_header(row) -> None:
    trpr = row._tr.get_or_add_trPr()
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    trpr.append(repeat)


def page_break(doc) -> None:
    from docx.enum.text import WD_BREAK

    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


def save(doc, name: str) -> Path:
    """Write the template into templates/ (the folder masg ships)."""
    path = TEMPLATES / name
    # The document's title, as a screen reader and a PDF's title bar say it: the Title paragraph's
    # words (never tags here: they double-escape).
    titles = [p.text for p in doc.paragraphs if p.style.name == "Title" and "{" not in p.text]
    doc.core_properties.title = titles[0] if titles else name.removesuffix(".docx")
    doc.core_properties.author = "masg"
    doc.save(path)
    _retag_language(path)
    return path


def _retag_language(path: Path) -> None:
    """python-docx's base document says en-US in parts it does not expose (settings.xml's theme
    font language, stylesWithEffects.xml): re-tag every part, so nothing is US English."""
    import zipfile

    with zipfile.ZipFile(path) as archive:
        parts = [(info, archive.read(info)) for info in archive.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for info, data in parts:
            if info.filename.endswith(".xml"):
                data = data.replace(b'"en-US"', f'"{LANGUAGE}"'.encode())
            archive.writestr(info, data)
