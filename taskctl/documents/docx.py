"""DOCX in the GB/T 9704 official layout (党政机关公文格式), with python-docx and a little raw OOXML.

* A4; margins top 37 mm, left 28 mm; text block 156 × 225 mm (so bottom 35 mm, right 26 mm).
* Title 2号 (22 pt) 方正小标宋简体; body 3号 (16 pt) 仿宋_GB2312; first-level headings 黑体,
  second-level 楷体_GB2312; 附件 labels 黑体; tables 仿宋_GB2312 五号.
* A character grid of 22 lines × 28 characters (``w:docGrid``, which python-docx cannot set).
* Page numbers "— 1 —" in 4号 宋体: right on odd pages, left on even ones, one character in
  (``w:evenAndOddHeaders`` and two footers).
* The East Asian font (``w:eastAsia``) is named on the styles and on every run; the theme fonts are
  removed so that they cannot override it.  The fonts are proprietary and not shipped: the DOCX
  *names* them, and the font table gives each a common fallback (仿宋, 宋体, 黑体, 楷体) as ``w:altName``.

python-docx is imported here only, inside the functions.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from taskctl.errors import InvalidValue
from taskctl.i18n import t

if TYPE_CHECKING:
    from taskctl.documents.bulletin import Bulletin

XBS, FANGSONG, HEITI, KAITI, SONGTI = "方正小标宋简体", "仿宋_GB2312", "黑体", "楷体_GB2312", "宋体"
FALLBACK = {XBS: "宋体", FANGSONG: "仿宋", HEITI: "黑体", KAITI: "楷体", SONGTI: "宋体"}
SIZE_2, SIZE_3, SIZE_4, SIZE_5 = 22, 16, 14, 10.5  # 2号, 3号, 4号, 五号 in points
RED = "FF0000"
PAGE_W, PAGE_H, TOP, LEFT, BLOCK_W, BLOCK_H = 210, 297, 37, 28, 156, 225  # mm
LINES, CHARS = 22, 28
TWIPS_PER_MM = 1440 / 25.4
LINE_PITCH = int(BLOCK_H * TWIPS_PER_MM / LINES)  # 579 twips: 22 lines fill the 225 mm block
# w:charSpace: how far each grid cell differs from the 3号 character, in 1/4096 pt (28 per line)
CHAR_SPACE = round((BLOCK_W / 25.4 * 72 / CHARS - SIZE_3) * 4096)

# placeholders a --template may use ({{name}} or the Chinese word); {{body}} is required
PLACEHOLDERS = {"name": "name", "名称": "name", "office": "office", "发文机关": "office", "year": "year",
                "年份": "year", "number": "number", "期数": "number", "issue": "issue", "期号": "issue",
                "date": "date", "日期": "date", "as_of": "as_of", "截至日期": "as_of", "title": "title",
                "标题": "title", "quarter": "quarter", "季度": "quarter", "body": "body", "正文": "body"}
_FIELD = re.compile(r"\{\{\s*([^{}\s]+)\s*\}\}")


# ---------------------------------------------------------------- raw OOXML helpers

def _qn(tag: str) -> str:
    from docx.oxml.ns import qn

    return qn(tag)


def _el(tag: str, **attrs: str):
    from docx.oxml import OxmlElement

    element = OxmlElement(tag)
    for key, value in attrs.items():
        element.set(_qn("w:" + key), str(value))
    return element


def set_fonts(rpr_owner, east: str, latin: str | None = None) -> None:
    """Name ``east`` as the East Asian font (and ``latin`` for Latin text) on a style's or run's rPr.

    The theme attributes go: Word prefers ``w:asciiTheme`` over ``w:ascii`` when both are present.
    """
    rpr = rpr_owner.get_or_add_rPr()
    fonts = rpr.find(_qn("w:rFonts"))
    if fonts is None:
        fonts = _el("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme"):
        fonts.attrib.pop(_qn("w:" + attr), None)
    latin = latin or east
    for attr, value in (("ascii", latin), ("hAnsi", latin), ("eastAsia", east), ("cs", latin)):
        fonts.set(_qn("w:" + attr), value)


def _font(run_or_style, east: str, size: float, *, bold: bool = False, colour: str | None = None) -> None:
    from docx.shared import Pt, RGBColor

    run_or_style.font.size = Pt(size)
    run_or_style.font.bold = bold
    if colour:
        run_or_style.font.color.rgb = RGBColor.from_string(colour)
    set_fonts(run_or_style.element, east)


def _indent_chars(paragraph, first: int = 0, left: int = 0, right: int = 0, size: float = SIZE_3) -> None:
    """Indents in characters (w:firstLineChars …, with the twips as a fallback for other readers)."""
    ppr = paragraph._p.get_or_add_pPr()
    ind = ppr.find(_qn("w:ind"))
    if ind is None:
        ind = _el("w:ind")
        ppr.append(ind)
    twips = int(size * 20)
    for name, chars in (("firstLine", first), ("left", left), ("right", right)):
        if chars:
            ind.set(_qn(f"w:{name}Chars"), str(chars * 100))
            ind.set(_qn(f"w:{name}"), str(chars * twips))


def _bottom_rule(paragraph, colour: str = RED, size: int = 12) -> None:
    ppr = paragraph._p.get_or_add_pPr()
    borders = _el("w:pBdr")
    borders.append(_el("w:bottom", val="single", sz=size, space=4, color=colour))
    ppr.append(borders)


def _no_grid_snap(paragraph_or_style_element) -> None:
    ppr = paragraph_or_style_element.get_or_add_pPr()
    if ppr.find(_qn("w:snapToGrid")) is None:
        ppr.append(_el("w:snapToGrid", val="0"))


def _page_field(paragraph) -> None:
    """"— 1 —": the PAGE field between two em dashes, each run in 4号 宋体."""
    from docx.oxml import OxmlElement

    def run(text: str | None = None, fld: str | None = None, instr: str | None = None):
        r = paragraph.add_run(text or "")
        _font(r, SONGTI, SIZE_4)
        if fld:
            r._r.append(_el("w:fldChar", fldCharType=fld))
        if instr:
            element = OxmlElement("w:instrText")
            element.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
            element.text = instr
            r._r.append(element)
        return r

    run("— ")
    run(fld="begin")
    run(instr=" PAGE ")
    run(fld="separate")
    run("1")
    run(fld="end")
    run(" —")


def _doc_grid(section) -> None:
    sect = section._sectPr
    for old in sect.findall(_qn("w:docGrid")):
        sect.remove(old)
    sect.append(_el("w:docGrid", type="linesAndChars", linePitch=LINE_PITCH, charSpace=CHAR_SPACE))


def _font_table_fallbacks(document) -> None:
    """Give each font the document names a w:font entry with a common fallback (w:altName)."""
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from lxml import etree

    part = next((rel.target_part for rel in document.part.rels.values() if rel.reltype == RT.FONT_TABLE), None)
    if part is None:
        return
    root = etree.fromstring(part.blob)
    names = {f.get(_qn("w:name")) for f in root.findall(_qn("w:font"))}
    for name, alt in FALLBACK.items():
        if name in names:
            continue
        font = etree.SubElement(root, _qn("w:font"))
        font.set(_qn("w:name"), name)
        if alt != name:
            etree.SubElement(font, _qn("w:altName")).set(_qn("w:val"), alt)
        etree.SubElement(font, _qn("w:charset")).set(_qn("w:val"), "86")  # GB2312
        etree.SubElement(font, _qn("w:family")).set(_qn("w:val"), "modern" if name != XBS else "script")
        etree.SubElement(font, _qn("w:pitch")).set(_qn("w:val"), "fixed" if name != XBS else "variable")
    part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


# ---------------------------------------------------------------- the page and the styles

def _page(document, *, numbers: bool = True) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm

    for section in document.sections:
        section.page_width, section.page_height = Mm(PAGE_W), Mm(PAGE_H)
        section.top_margin, section.left_margin = Mm(TOP), Mm(LEFT)
        section.bottom_margin = Mm(PAGE_H - TOP - BLOCK_H)
        section.right_margin = Mm(PAGE_W - LEFT - BLOCK_W)
        section.header_distance = Mm(15)
        section.footer_distance = Mm(24)  # the page number sits about 7 mm below the text block
        _doc_grid(section)
        if numbers:
            document.settings.odd_and_even_pages_header_footer = True
            for footer, align, side in ((section.footer, WD_ALIGN_PARAGRAPH.RIGHT, "right"),
                                        (section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT, "left")):
                footer.is_linked_to_previous = False
                p = footer.paragraphs[0]
                p.alignment = align
                _indent_chars(p, **{side: 1}, size=SIZE_4)
                _page_field(p)


STYLE_SPECS = {
    # name: (east asian font, size, bold, alignment, first-line chars)
    "Normal": (FANGSONG, SIZE_3, False, None, 0),
    "Title": (XBS, SIZE_2, False, "center", 0),
    "Heading 1": (HEITI, SIZE_3, False, None, 2),
    "Heading 2": (KAITI, SIZE_3, False, None, 2),
    "Attachment Label": (HEITI, SIZE_3, False, None, 0),
    "Table Text": (FANGSONG, SIZE_5, False, "center", 0),
}


def _styles(document, *, restyle: bool) -> None:
    """The GB/T 9704 fonts on the styles (``restyle``), or only the styles a template lacks."""
    from docx.enum.style import WD_STYLE_TYPE
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
    from docx.shared import Pt

    styles = document.styles
    if restyle:
        defaults = styles.element.find(_qn("w:docDefaults"))
        if defaults is not None:
            rpr = defaults.find(_qn("w:rPrDefault") + "/" + _qn("w:rPr"))
            if rpr is not None:
                fonts = rpr.find(_qn("w:rFonts"))
                if fonts is not None:
                    rpr.remove(fonts)
                fonts = _el("w:rFonts", ascii=FANGSONG, hAnsi=FANGSONG, eastAsia=FANGSONG, cs=FANGSONG)
                rpr.insert(0, fonts)
                for tag in ("w:sz", "w:szCs"):  # the grid's character pitch is reckoned from the default size
                    size = rpr.find(_qn(tag))
                    if size is not None:
                        size.set(_qn("w:val"), str(SIZE_3 * 2))
                lang = rpr.find(_qn("w:lang"))
                if lang is not None:
                    lang.set(_qn("w:eastAsia"), "zh-CN")
            spacing = defaults.find(_qn("w:pPrDefault") + "/" + _qn("w:pPr") + "/" + _qn("w:spacing"))
            if spacing is not None:
                spacing.getparent().remove(spacing)
    for name, (east, size, bold, align, first) in STYLE_SPECS.items():
        try:
            style = styles[name]
            existed = True
        except KeyError:
            style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
            style.base_style = styles["Normal"] if name != "Normal" else None
            existed = False
        if existed and not restyle:
            continue
        if style.element.rPr is not None:  # theme fonts, colours, bold of the built-in look go
            style.element.remove(style.element.rPr)
        ppr = style.element.pPr
        if ppr is not None:  # and its rules and contextual spacing (the built-in Title has a blue rule)
            for tag in ("w:pBdr", "w:contextualSpacing"):
                for old in ppr.findall(_qn(tag)):
                    ppr.remove(old)
        _font(style, east, size, bold=bold)
        style.font.color.rgb = None
        pf = style.paragraph_format
        pf.space_before = Pt(0)
        pf.space_after = Pt(0)
        if name == "Table Text":
            pf.line_spacing_rule = WD_LINE_SPACING.SINGLE
            _no_grid_snap(style.element)
        elif name == "Title":  # a 2号 line keeps to one grid line's height instead of snapping to two
            pf.line_spacing = Pt(LINE_PITCH / 20)
            pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
            _no_grid_snap(style.element)
        else:
            pf.line_spacing = Pt(LINE_PITCH / 20)
            pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        if align == "center":
            pf.alignment = WD_ALIGN_PARAGRAPH.CENTER
        elif name == "Normal":
            pf.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        if first:
            ppr = style.element.get_or_add_pPr()
            ind = ppr.find(_qn("w:ind"))
            if ind is None:
                ind = _el("w:ind")
                ppr.append(ind)
            ind.set(_qn("w:firstLineChars"), str(first * 100))
            ind.set(_qn("w:firstLine"), str(int(first * size * 20)))
        if name.startswith("Heading"):
            pf.keep_with_next = True


def _new_document(*, numbers: bool = True):
    import docx

    document = docx.Document()
    _styles(document, restyle=True)
    _page(document, numbers=numbers)
    _font_table_fallbacks(document)
    return document


# ---------------------------------------------------------------- writing blocks

class _Writer:
    """Appends paragraphs and tables with the GB fonts set on every run."""

    def __init__(self, document) -> None:
        self.doc = document
        self._ids: dict[str, str] = {}  # style name -> id: python-docx looks a name up by scanning every style

    def style_id(self, name: str) -> str:
        if name not in self._ids:
            self._ids[name] = self.doc.styles[name].style_id
        return self._ids[name]

    def _styled(self, element, name: str) -> None:
        element.get_or_add_pPr().style = self.style_id(name)

    def _append(self, element) -> None:
        """Before the body's sectPr (python-docx looks for it among every child on each add: O(n²))."""
        body = self.doc.element.body
        if not hasattr(self, "_sect"):
            self._sect = body.find(_qn("w:sectPr"))
        if self._sect is not None:
            self._sect.addprevious(element)
        else:
            body.append(element)

    def _paragraph(self):
        from docx.oxml import OxmlElement
        from docx.text.paragraph import Paragraph

        p = OxmlElement("w:p")
        self._append(p)
        return Paragraph(p, self.doc._body)

    def para(self, text: str, *, style: str = "Normal", east: str = FANGSONG, size: float = SIZE_3,
             align: str | None = None, first: int | None = None, bold: bool = False, colour: str | None = None,
             left: int = 0, right: int = 0, single: bool = False):
        from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING

        p = self._paragraph()
        self._styled(p._p, style)
        if single:  # a line taller than the grid's (the 版头): its own height, not the exact 28.95 pt
            p.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
        if align:
            p.alignment = {"center": WD_ALIGN_PARAGRAPH.CENTER, "right": WD_ALIGN_PARAGRAPH.RIGHT,
                           "left": WD_ALIGN_PARAGRAPH.LEFT}[align]
        if first is not None or left or right:
            _indent_chars(p, first=first or 0, left=left, right=right, size=size)
            if first == 0:
                ppr = p._p.get_or_add_pPr()
                ind = ppr.find(_qn("w:ind"))
                ind.set(_qn("w:firstLineChars"), "0")
                ind.set(_qn("w:firstLine"), "0")
        if text:
            _font(p.add_run(text), east, size, bold=bold, colour=colour)
        return p

    def page_break(self) -> None:
        from docx.enum.text import WD_BREAK

        p = self._paragraph()
        p.add_run().add_break(WD_BREAK.PAGE)

    def table(self, columns: Sequence[str], rows: Sequence[Sequence[str]], widths_mm: Sequence[float],
              label_column: bool = False):
        from docx.enum.table import WD_TABLE_ALIGNMENT, WD_CELL_VERTICAL_ALIGNMENT
        from docx.enum.text import WD_ALIGN_PARAGRAPH
        from docx.shared import Mm

        from docx.oxml.table import CT_Tbl
        from docx.table import Table

        tbl = CT_Tbl.new_tbl(0, len(widths_mm), Mm(BLOCK_W))
        self._append(tbl)
        table = Table(tbl, self.doc._body)
        if "grid" not in self._ids:
            self._ids["grid"] = next((st.style_id for st in self.doc.styles if st.name == "Table Grid"), "")
        if self._ids["grid"]:
            table._tbl.tblPr.style = self._ids["grid"]
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        table.autofit = False
        for column, width in zip(table.columns, widths_mm):  # w:gridCol: what LibreOffice and WPS lay out by
            column.width = Mm(width)
        all_rows = ([list(columns)] if columns else []) + [list(r) for r in rows]
        pattern = None  # the first body row, built through python-docx; the others are copies of it
        for i, values in enumerate(all_rows):
            head = bool(columns) and i == 0
            if pattern is not None:
                table._tbl.append(_row_like(pattern, values))
                continue
            cells = table.add_row().cells
            for j, (cell, value) in enumerate(zip(cells, values)):
                cell.width = Mm(widths_mm[j])
                cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
                p = cell.paragraphs[0]
                self._styled(p._p, "Table Text")
                left_aligned = (not head and (j >= 2 and len(widths_mm) > 3 and widths_mm[j] >= 24)) or \
                               (label_column and j == 1)
                p.alignment = WD_ALIGN_PARAGRAPH.LEFT if left_aligned else WD_ALIGN_PARAGRAPH.CENTER
                east = HEITI if head or (label_column and j == 0) else FANGSONG
                size = SIZE_5 if len(widths_mm) > 3 else SIZE_3 - 2
                run = p.add_run(" ")
                _font(run, east, size)
                _set_text(run._r, value)
            tr = table.rows[i]._tr
            tr_pr = tr.get_or_add_trPr()
            tr_pr.append(_el("w:cantSplit"))  # a row never breaks across pages
            if head:  # the header row repeats on every page
                tr_pr.append(_el("w:tblHeader"))
            elif not label_column:  # body rows share one look: copying the XML is 100x faster than add_row
                pattern = tr
        return table


def _set_text(r, value: str) -> None:
    t_ = r.find(_qn("w:t"))
    t_.text = (value or "").replace("\r", " ").replace("\n", " ")
    t_.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")


def _row_like(pattern, values: Sequence[str]):
    import copy

    tr = copy.deepcopy(pattern)
    for tc, value in zip(tr.findall(_qn("w:tc")), values):
        _set_text(tc.find(_qn("w:p")).find(_qn("w:r")), value)
    return tr


def _fill_text(text: str, values: dict[str, str]) -> str:
    def sub(m: re.Match[str]) -> str:
        key = PLACEHOLDERS.get(m.group(1))
        if key is None:
            raise InvalidValue("doc.template_unknown", field=m.group(0),
                               known=", ".join("{{" + k + "}}" for k in dict.fromkeys(PLACEHOLDERS.values())))
        return m.group(0) if key == "body" else values[key]

    return _FIELD.sub(sub, text)


def _paragraphs_everywhere(document):
    def walk(container):
        for p in container.paragraphs:
            yield p
        for table in container.tables:
            for row in table.rows:
                for cell in row.cells:
                    yield from walk(cell)

    yield from walk(document)
    for section in document.sections:
        for part in (section.header, section.footer, section.first_page_header, section.first_page_footer,
                     section.even_page_header, section.even_page_footer):
            if not part.is_linked_to_previous:
                yield from walk(part)


def _open_template(path: Path, values: dict[str, str]):
    """The office's DOCX with its text placeholders filled, and the paragraph holding {{body}}."""
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(str(path))
    except (PackageNotFoundError, KeyError, ValueError, OSError) as exc:
        raise InvalidValue("doc.template_unreadable", file=str(path), reason=str(exc).splitlines()[0]) from None
    except Exception as exc:  # a zip that is no DOCX: zipfile.BadZipFile, lxml errors
        raise InvalidValue("doc.template_unreadable", file=str(path), reason=type(exc).__name__) from None
    body = None
    for p in _paragraphs_everywhere(document):
        text = p.text
        if "{{" not in text:
            continue
        filled = _fill_text(text, values)
        if _FIELD.fullmatch(filled.strip() or "-") and PLACEHOLDERS.get(_FIELD.fullmatch(filled.strip()).group(1)) == "body":
            if p._p.getparent() is document.element.body:
                body = p
            continue
        if filled != text:  # a placeholder may be split over runs: the text goes to the first run
            runs = p.runs
            runs[0].text = filled
            for r in runs[1:]:
                r.text = ""
    if body is None:
        raise InvalidValue("doc.template_no_body", file=str(path))
    _styles(document, restyle=False)
    _font_table_fallbacks(document)
    return document, body


def _move_before(anchor, elements) -> None:
    for element in elements:
        anchor._p.addprevious(element)
    anchor._p.getparent().remove(anchor._p)


def _body_children(document) -> list:
    return [c for c in document.element.body if c.tag != _qn("w:sectPr")]


# ---------------------------------------------------------------- the bulletin

def write_bulletin(b: "Bulletin", path: Path, template: Path | None = None) -> None:
    """The bulletin as DOCX at ``path`` (written as given: the caller renames it into place)."""
    values = b.values()
    if template is not None:
        document, anchor = _open_template(template, values)
        before = len(_body_children(document))
    else:
        document, anchor = _new_document(), None
    w = _Writer(document)
    if template is None:  # the red header (版头) the office's own template would otherwise give
        w.para(b.name, style="Title", east=XBS, size=42, align="center", colour=RED, single=True)
        w.para(b.number_text, align="center", first=0)
        p = w.para(b.office, first=0)
        from docx.enum.text import WD_TAB_ALIGNMENT
        from docx.shared import Mm

        p.paragraph_format.tab_stops.add_tab_stop(Mm(BLOCK_W), WD_TAB_ALIGNMENT.RIGHT)
        _font(p.add_run("\t" + b.date_text), FANGSONG, SIZE_3)
        _bottom_rule(p)
        w.para("", first=0)
    for block in b.blocks:
        _write_block(w, block)
    if anchor is not None:
        _move_before(anchor, _body_children(document)[before:])
    _properties(document, b.title, b.issued_on)
    document.save(str(path))


def _write_block(w: _Writer, block) -> None:
    kind = block.kind
    if kind == "title":
        w.para(block.text, style="Title", east=XBS, size=SIZE_2, align="center")
        w.para("", first=0)
    elif kind == "h1":
        w.para(block.text, style="Heading 1", east=HEITI, size=SIZE_3, first=2)
    elif kind == "h2":
        w.para(block.text, style="Heading 2", east=KAITI, size=SIZE_3, first=2)
    elif kind == "para":
        w.para(block.text, first=2)
    elif kind == "attachments_note":
        w.para("", first=0)
        w.para(block.text, left=2, first=0)
    elif kind == "attachments_note2":
        w.para(block.text, left=5, first=0)
    elif kind == "signature":
        w.para("", first=0)
        w.para(block.text, align="right", right=4, first=0)
    elif kind == "signature_date":
        w.para(block.text, align="right", right=4, first=0)
    elif kind == "pagebreak":
        w.page_break()
    elif kind == "attachment":
        w.para(block.label, style="Attachment Label", east=HEITI, size=SIZE_3, first=0)
        w.para(block.text, style="Title", east=XBS, size=SIZE_2, align="center")
        w.para("", first=0)
        # 序号 编号 任务 牵头单位 责任领导 时限 状态/逾期天数 进度 最新进展: 156 mm
        w.table(block.columns, block.rows, (8, 10, 30, 18, 12, 21, 12, 19, 26))
        if not block.rows:
            w.para(t("doc.none_rows"), align="center", first=0)


def _properties(document, title: str, on: dt.date) -> None:
    """Fixed metadata: the same data gives the same document."""
    props = document.core_properties
    props.title = title
    props.author = "taskctl"
    props.last_modified_by = "taskctl"
    props.revision = 1
    stamp = dt.datetime(on.year, on.month, on.day)
    props.created = stamp
    props.modified = stamp


# ---------------------------------------------------------------- slips

def write_slips(slips: Sequence[dict[str, Any]], path: Path) -> None:
    """One page per slip (一事一单): heading in the level's colour, number, a two-column table."""
    document = _new_document()
    w = _Writer(document)
    for i, slip in enumerate(slips):
        if i:
            w.page_break()
        w.para(slip["office"], style="Title", east=XBS, size=SIZE_2, align="center", colour=slip["colour_hex"])
        w.para(slip["title"], style="Title", east=XBS, size=SIZE_2, align="center", colour=slip["colour_hex"])
        p = w.para(slip["number"], align="right", first=0)
        _bottom_rule(p, colour=slip["colour_hex"])
        w.para("", first=0)
        w.table([], slip["fields"], (36, 120), label_column=True)
        w.para("", first=0)
        w.para(slip["closing"], first=2)
        w.para("", first=0)
        w.para(slip["office"], align="right", right=4, first=0)
        w.para(slip["date"], align="right", right=4, first=0)
    _properties(document, t("notice.doc_title"), slips[0]["issued_on"] if slips else dt.date(2000, 1, 1))
    document.save(str(path))


def save_to(path: Path, writer: Callable[[Path], None]) -> None:
    """Write through a temporary file renamed into place; an unwritable path is one clear error."""
    from taskctl.transfer.atomic import write_with

    try:
        write_with(path, writer)
    except OSError as exc:
        raise InvalidValue("export.cannot_write", file=str(path), reason=exc.strerror or str(exc)) from None
