"""A council document as a Word file (DOCX) with python-docx (the only module that
imports it).

Built from the typed ``dokument.Dokument``, not from the HTML: administrations edit the
result in Word, so it must be a real Word document – A4 (landscape for the IHK table),
German as the language of every style (spelling and hyphenation), Word's own heading
styles (Überschrift 1–3 in a German Word, so the navigation pane shows the outline),
tables in "Table Grid" with a header row that repeats on every page and column widths
from their content, the states in the legend's colours, and page numbers in the footer.
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING, Any

from ihk.dokument import (
    Absatz,
    Angaben,
    Dokument,
    Lauf,
    Legende,
    Liste,
    Tabelle,
    Ueberschrift,
    Zeile,
    klartext,
)

if TYPE_CHECKING:
    from docx.document import Document
    from docx.table import _Cell
    from docx.text.paragraph import Paragraph

#: Fonts: Arial where Word runs (LibreOffice shows its metric twin Liberation Sans).
FONT = "Arial"
MONO = "Consolas"
#: Sizes in points.
SIZE, TABLE_SIZE, SMALL = 10, 8.5, 8
#: Page margins in millimetres (as the HTML's @page): top, right, bottom, left.
MARGINS = (18, 16, 20, 20)
GREY = "555555"
#: The paragraph style of table cells (Word shows it by this name).
TABLE_STYLE = "Tabelleninhalt"
HEADER_FILL = "E8E8E8"
GROUP_FILL = "F2F2F2"


def word(dokument: Dokument) -> bytes:
    """The document as the bytes of a .docx file."""
    import docx

    doc = docx.Document()
    _setup(doc, dokument)
    _heading(doc, 1, (Lauf(dokument.titel),))
    if dokument.untertitel:
        from docx.shared import Pt, RGBColor

        subtitle = doc.add_paragraph()
        subtitle.paragraph_format.space_after = Pt(8)
        run = subtitle.add_run(dokument.untertitel)
        run.font.size = Pt(11)
        run.font.color.rgb = RGBColor(0x33, 0x33, 0x33)
    for block in dokument.bloecke:
        if isinstance(block, Ueberschrift):
            _heading(doc, block.ebene, block.inhalt)
        elif isinstance(block, Absatz):
            _paragraph(doc, block)
        elif isinstance(block, Liste):
            for item in block.punkte:
                _runs(doc.add_paragraph(style="List Bullet"), item)
        elif isinstance(block, Angaben):
            _facts(doc, block)
        elif isinstance(block, Legende):
            _legend(doc, block)
        elif isinstance(block, Tabelle):
            _table(doc, block, _usable(dokument))
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


# ------------------------------------------------------------------ page and styles


def _setup(doc: Document, dokument: Dokument) -> None:
    from docx.enum.section import WD_ORIENT
    from docx.enum.style import WD_STYLE_TYPE
    from docx.shared import Mm, Pt, RGBColor

    section = doc.sections[0]
    width, height = Mm(210), Mm(297)
    if dokument.querformat:
        section.orientation = WD_ORIENT.LANDSCAPE
        width, height = height, width
    section.page_width, section.page_height = width, height
    top, right, bottom, left = MARGINS
    section.top_margin, section.right_margin = Mm(top), Mm(right)
    section.bottom_margin, section.left_margin = Mm(bottom), Mm(left)
    section.header_distance = section.footer_distance = Mm(8)

    _language(doc, dokument.sprache_region)
    props = doc.core_properties
    props.title = dokument.titel
    props.subject = dokument.untertitel
    props.language = dokument.sprache_region
    props.author = props.last_modified_by = "ihk"
    props.comments = ""

    styles = doc.styles
    normal = styles["Normal"]
    normal.font.size = Pt(SIZE)
    normal.paragraph_format.space_after = Pt(4)
    normal.paragraph_format.line_spacing = 1.15
    sizes = {1: 17, 2: 13, 3: 11}
    for level, size in sizes.items():
        style = styles[f"Heading {level}"]
        style.font.size = Pt(size)
        style.font.bold = True
        style.font.color.rgb = RGBColor(0, 0, 0)
        style.paragraph_format.keep_with_next = True
        style.paragraph_format.space_before = Pt(14 if level == 2 else 10 if level == 3 else 0)
        style.paragraph_format.space_after = Pt(4)
    table_style = styles.add_style(TABLE_STYLE, WD_STYLE_TYPE.PARAGRAPH)
    table_style.base_style = normal
    table_style.font.size = Pt(TABLE_SIZE)
    table_style.paragraph_format.space_after = Pt(0)
    table_style.paragraph_format.line_spacing = 1.0
    for name in ("Header", "Footer"):
        styles[name].paragraph_format.tab_stops.clear_all()  # ours: right at the margin
        styles[name].font.size = Pt(SMALL)  # also the page numbers Word fills in
        styles[name].font.color.rgb = RGBColor.from_string(GREY)
    for style in styles:
        _plain_font(style)
    _running(doc, dokument)


def _usable(dokument: Dokument) -> int:
    """The width between the margins, in EMU."""
    from docx.shared import Mm

    width = 297 if dokument.querformat else 210
    return int(Mm(width - MARGINS[1] - MARGINS[3]))


def _language(doc: Document, language: str) -> None:
    """German as the language of every style (docDefaults) and of the theme's fonts;
    Word then checks spelling and hyphenates in German. Hyphenation is switched on."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    styles = doc.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:val"), language)
    lang.set(qn("w:eastAsia"), language)
    lang.set(qn("w:bidi"), "ar-SA")
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is not None:  # the theme's Calibri/Cambria → Arial for every script
        for key in list(fonts.attrib):
            del fonts.attrib[key]
        for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
            fonts.set(qn(attr), FONT)
    settings = doc.settings.element
    theme = settings.find(qn("w:themeFontLang"))
    if theme is not None:
        theme.set(qn("w:val"), language)
    if settings.find(qn("w:autoHyphenation")) is None:
        hyphenation = OxmlElement("w:autoHyphenation")
        tab = settings.find(qn("w:defaultTabStop"))
        if tab is not None:  # the schema's order: right after defaultTabStop
            tab.addnext(hyphenation)
        else:
            settings.insert(0, hyphenation)


def _running(doc: Document, dokument: Dokument) -> None:
    """Header (the title, and e.g. the Stand, right) and footer (area and Stand left,
    "Seite X von Y" right) on every page."""
    from docx.enum.text import WD_TAB_ALIGNMENT
    from docx.shared import Pt

    section = doc.sections[0]
    usable = _usable(dokument)
    # the first page shows the title; its header stays empty unless asked for
    section.different_first_page_header_footer = not dokument.kopf_auf_erster_seite
    header = section.header.paragraphs[0]
    header.paragraph_format.tab_stops.add_tab_stop(usable, WD_TAB_ALIGNMENT.RIGHT)
    _small(header.add_run(dokument.kopfzeile))
    if dokument.kopfzeile_rechts:
        _small(header.add_run("\t" + dokument.kopfzeile_rechts))
    footers = [section.footer.paragraphs[0]]
    if section.different_first_page_header_footer:
        footers.append(section.first_page_footer.paragraphs[0])
    for footer in footers:
        footer.paragraph_format.tab_stops.add_tab_stop(usable, WD_TAB_ALIGNMENT.RIGHT)
        _small(footer.add_run(dokument.fusszeile + "\tSeite "))
        _field(footer, "PAGE")
        _small(footer.add_run(" von "))
        _field(footer, "NUMPAGES")
    for p in (header, *footers):
        p.paragraph_format.space_after = Pt(0)


def _plain_font(style: Any) -> None:
    """Arial in a style that names a font: a theme font (Calibri, Cambria) would win
    over the one we set, so the theme's names go."""
    from docx.oxml.ns import qn

    rpr = style.element.rPr
    fonts = rpr.find(qn("w:rFonts")) if rpr is not None else None
    if fonts is None:
        return
    for key in list(fonts.attrib):
        del fonts.attrib[key]
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), FONT)


def _small(run: Any) -> Any:
    from docx.shared import Pt, RGBColor

    run.font.size = Pt(SMALL)
    run.font.color.rgb = RGBColor.from_string(GREY)
    return run


def _field(paragraph: Paragraph, instruction: str) -> None:
    """A field Word fills in (PAGE, NUMPAGES), shown as 1 until it is updated."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    run = _small(paragraph.add_run())
    parts = [("w:fldChar", "begin"), ("w:instrText", instruction), ("w:fldChar", "separate"),
             ("w:t", "1"), ("w:fldChar", "end")]  # fmt: skip
    for tag, value in parts:
        element = OxmlElement(tag)
        if tag == "w:fldChar":
            element.set(qn("w:fldCharType"), value)
        else:
            element.set(qn("xml:space"), "preserve")
            element.text = f" {value} " if tag == "w:instrText" else value
        run._r.append(element)


# ------------------------------------------------------------------ text


def _runs(
    paragraph: Paragraph,
    line: Zeile,
    *,
    size: float | None = None,
    bold: bool = False,
    italic: bool = False,
    colour: str | None = None,
    base: float = SIZE,
) -> None:
    """The runs of ``line``; ``bold``, ``italic`` and ``colour`` (RRGGBB, for text that
    has no colour of its own) as the row or paragraph sets them; ``base`` is the size of
    the paragraph's style (an id is set smaller)."""
    from docx.shared import Pt, RGBColor

    from ihk.vocab import STATUS

    for lauf in line:
        run = paragraph.add_run(lauf.text)
        font = run.font
        if size is not None:
            font.size = Pt(size)
        if bold or lauf.art == "fett":
            font.bold = True
        if italic:
            font.italic = True
        shade = colour
        if lauf.art == "kennung":
            font.name = MONO
            font.size = Pt((size or base) * 0.85)
            shade = GREY
        elif lauf.art == "leise":
            shade = "444444"
        if lauf.status is not None:
            shade = STATUS[lauf.status].schrift
        if shade is not None:
            font.color.rgb = RGBColor.from_string(shade)


def _heading(doc: Document, level: int, line: Zeile) -> None:
    paragraph = doc.add_paragraph(style=f"Heading {min(max(level, 1), 3)}")
    _runs(paragraph, line)


def _paragraph(doc: Document, block: Absatz) -> None:
    from docx.shared import Pt, RGBColor

    paragraph = doc.add_paragraph()
    if block.art == "kolophon":
        paragraph.paragraph_format.space_before = Pt(18)
        _runs(paragraph, block.inhalt, size=SMALL)
        for run in paragraph.runs:
            run.font.color.rgb = RGBColor.from_string(GREY)
        return
    _runs(paragraph, block.inhalt)
    if block.art == "einleitung":
        paragraph.paragraph_format.keep_with_next = True
    elif block.art == "hinweis":
        for run in paragraph.runs:
            run.bold = True


def _facts(doc: Document, block: Angaben) -> None:
    from docx.shared import Cm, Pt

    for label, value in block.zeilen:
        paragraph = doc.add_paragraph()
        paragraph.paragraph_format.tab_stops.add_tab_stop(Cm(3))
        paragraph.paragraph_format.space_after = Pt(1)
        paragraph.add_run(label).bold = True
        paragraph.add_run("\t")
        _runs(paragraph, value)
    doc.paragraphs[-1].paragraph_format.space_after = Pt(8)


def _legend(doc: Document, block: Legende) -> None:
    from docx.shared import Pt, RGBColor

    from ihk.vocab import STATUS

    paragraph = doc.add_paragraph()
    for i, (state, colour, text) in enumerate(block.eintraege):
        if i:
            paragraph.add_run("    ").font.size = Pt(SMALL)
        mark = paragraph.add_run("■ ")
        mark.font.size = Pt(SMALL)
        mark.font.color.rgb = RGBColor.from_string(STATUS[state].schrift)
        paragraph.add_run(f"{colour} = {text}").font.size = Pt(SMALL)


# ------------------------------------------------------------------ tables


def _table(doc: Document, block: Tabelle, usable: int) -> None:
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.shared import Emu, Pt
    from docx.table import _Cell

    from ihk.vocab import STATUS

    columns = block.spalten
    table = doc.add_table(rows=1, cols=len(columns))
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.LEFT
    table.autofit = False
    widths = column_widths(block, usable)
    _fixed_layout(table, widths)
    style = doc.styles[TABLE_STYLE].style_id

    head = table.rows[0]
    _header_row(head)
    for cell, column in zip(head.cells, columns, strict=True):
        right = column.art in ("zahl", "wert")
        _cell_lines(cell, ((Lauf(column.titel, "fett", column.status),),), style, right=right)
        _shade(cell, HEADER_FILL)
    for row in block.zeilen:
        # cells are made from the row's XML: python-docx's own merge and row lookup
        # search the whole table each time, quadratic in a table of 1,000 measures
        added = table.add_row()
        _keep_row(added)
        tr = added._tr
        tcs = list(tr.tc_lst)
        colour = STATUS[row.status].schrift if row.status is not None else None
        for content, start, span in zip(row.zellen, row.spalten, row.spannen, strict=True):
            tc = tcs[start]
            if span > 1:
                tc.grid_span = span
                tc.width = Emu(sum(widths[start : start + span]))
                for covered in tcs[start + 1 : start + span]:
                    tr.remove(covered)
            cell = _Cell(tc, table)
            _cell_lines(
                cell,
                content,
                style,
                bold=row.art in ("summe", "gruppe"),
                italic=row.art == "nachtrag",
                colour=colour,
                right=columns[start].art in ("zahl", "wert"),
                indent=Pt(10) if row.art == "nachtrag" and start == 0 else None,
            )
            if row.art == "gruppe":
                _shade(cell, GROUP_FILL)
    # a paragraph after every table: Word joins two tables that touch into one
    gap = doc.add_paragraph().paragraph_format
    gap.space_after, gap.line_spacing = Pt(0), Pt(8)


def _cell_lines(
    cell: _Cell,
    lines: tuple[Zeile, ...],
    style: str,
    *,
    bold: bool = False,
    italic: bool = False,
    colour: str | None = None,
    right: bool = False,
    indent: Any = None,
) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    for i, line in enumerate(lines or ((),)):
        paragraph = cell.paragraphs[0] if i == 0 else cell.add_paragraph()
        # size and spacing from the style, by its id (python-docx's ``style =`` looks
        # through every style of the document each time)
        paragraph._p.style = style
        if right:
            paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        if indent is not None and i == 0:
            paragraph.paragraph_format.left_indent = indent
        _runs(paragraph, line, bold=bold, italic=italic, colour=colour, base=TABLE_SIZE)


def _shade(cell: _Cell, fill: str) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    tc_pr = cell._tc.get_or_add_tcPr()
    shade = OxmlElement("w:shd")
    shade.set(qn("w:val"), "clear")
    shade.set(qn("w:color"), "auto")
    shade.set(qn("w:fill"), fill)
    tc_pr.append(shade)


def _header_row(row: Any) -> None:
    """The first row repeats at the top of every page the table runs onto."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    tr_pr = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    tr_pr.append(header)
    _keep_row(row)


def _keep_row(row: Any) -> None:
    """A row is not split across two pages."""
    from docx.oxml import OxmlElement

    tr_pr = row._tr.get_or_add_trPr()
    tr_pr.insert(0, OxmlElement("w:cantSplit"))


def _fixed_layout(table: Any, widths: list[int]) -> None:
    """The table's column widths (EMU) as computed, not re-guessed by Word (the table's
    ``autofit`` is off: a fixed layout)."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Emu

    margins = OxmlElement("w:tblCellMar")  # a little air above and below the text
    for side in ("top", "bottom"):
        margin = OxmlElement(f"w:{side}")
        margin.set(qn("w:w"), "28")
        margin.set(qn("w:type"), "dxa")
        margins.append(margin)
    tbl_pr = table._tbl.tblPr
    look = tbl_pr.find(qn("w:tblLook"))
    if look is not None:  # the schema's order: tblCellMar before tblLook
        look.addprevious(margins)
    else:
        tbl_pr.append(margins)
    for column, width in zip(table.columns, widths, strict=True):
        column.width = Emu(width)
    for cell, width in zip(table.rows[0].cells, widths, strict=True):
        cell.width = Emu(width)


#: Estimates of a character's width in EMU at the table's size (averages for Arial,
#: bold in the header row); a little generous, so a number or a date never breaks.
_CHAR = int(TABLE_SIZE * 0.6 * 12700)
_BOLD_CHAR = int(TABLE_SIZE * 0.68 * 12700)
#: Padding of a cell (left and right, Word's 0.19 cm each) in EMU.
_PADDING = 2 * 108 * 635


def column_widths(block: Tabelle, usable: int) -> list[int]:
    """Widths (EMU) from the content, as a browser sizes an HTML table: each column at
    least as wide as its longest word (the whole line for numbers and dates), and what
    the page has left shared in proportion to how much more the column would like."""
    n = len(block.spalten)
    least = [0] * n
    most = [0] * n
    # a cell across several columns does not size them
    single: list[list[str]] = [[] for _ in range(n)]
    for row in block.zeilen:
        for content, start, span in zip(row.zellen, row.spalten, row.spannen, strict=True):
            if span == 1:
                single[start] += [klartext(line) for line in content]
    for i, column in enumerate(block.spalten):
        texts = single[i]
        head = _BOLD_CHAR * max((len(w) for w in column.titel.split()), default=1)
        if column.art in ("zahl", "kurz"):  # never wraps: its longest line
            body = max((len(t) for t in texts), default=0)
        else:  # wraps between words (a very long word is broken)
            body = min(max((len(w) for t in texts for w in t.split()), default=0), 30)
        least[i] = max(head, _CHAR * body) + _PADDING
        most[i] = max(_BOLD_CHAR * len(column.titel), _CHAR * max(map(len, texts), default=0))
        most[i] = max(most[i] + _PADDING, least[i])
    if sum(most) <= usable:
        extra = usable - sum(most)
        text = [i for i, c in enumerate(block.spalten) if c.art == "text"] or list(range(n))
        weight = sum(most[i] for i in text) or 1
        return [most[i] + (extra * most[i] // weight if i in text else 0) for i in range(n)]
    if sum(least) >= usable:
        scale = usable / sum(least)
        return [int(w * scale) for w in least]
    room = usable - sum(least)
    want = [most[i] - least[i] for i in range(n)]
    total = sum(want) or 1
    return [least[i] + room * want[i] // total for i in range(n)]
