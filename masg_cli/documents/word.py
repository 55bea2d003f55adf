"""Filling a Word template straight from its zip, with docxtpl's tags but no python-docx round trip.

A .docx is a zip of XML parts, and only the body, headers, footers and footnotes hold tags.
docxtpl's own ``render`` + ``save`` loads the whole package with python-docx (parsing the
~350 KB styles part, for instance), parses the rendered body again and then serialises and
re-compresses every part. Here only the tagged parts are read; they go through docxtpl's own
tag handling (``patch_xml`` and ``render_xml_part``: the same ``{%p %}``, ``{%tr %}``,
``Listing``... as before), are checked as XML, and are written into a copy of the zip whose
other members are copied byte for byte, still compressed.

Used by render.render_docx only; nothing here knows about masg's documents.
"""

from __future__ import annotations

import functools
import posixpath
import re
import struct
import time
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
_RELTYPE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
_TAGGED = ("header", "footer", "footnotes")  # besides the main document part
_TAG = re.compile(r"\{[{%#]")
_CONTROL = re.compile(r"[\t\a\n\f]")  # what docxtpl's Listing leaves for resolve_listing
_MAY_CHANGE = re.compile(r"[{}\t\a\n\f\r]")  # a part with none of these renders to itself
_PARAGRAPH = re.compile(r"<w:p(?: [^>]*)?>.*?</w:p>", re.DOTALL)
_DECLARATION = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'


class NotWord(Exception):
    """The file is not a Word package this module can read."""


@dataclass
class _Member:
    name: str
    date_time: tuple
    flags: int
    method: int
    crc: int
    size: int
    raw: bytes  # the member's data as stored (compressed or not)


@dataclass
class WordTemplate:
    """A template's zip members, and the text of the parts that may hold tags."""

    path: Path
    members: list[_Member]
    tagged: dict[str, str] = field(default_factory=dict)  # member name -> XML text to render
    main: str = "word/document.xml"

    @classmethod
    def open(cls, path: Path) -> WordTemplate | None:
        """Read a template; None when it needs docxtpl's full path (tags in its properties)."""
        try:
            return cls._open(Path(path))
        except Exception as exc:  # a zip error, a missing part, bad XML: not a Word document
            raise NotWord(str(exc)) from None

    @classmethod
    def _open(cls, path: Path) -> WordTemplate | None:
        import io

        data = path.read_bytes()
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = [_member(data, info) for info in archive.infolist()]
        names = {m.name for m in members}
        core = archive.read("docProps/core.xml") if "docProps/core.xml" in names else b""
        if _TAG.search(core.decode("utf-8", "replace")):
            return None
        main = _targets(archive, "_rels/.rels", "", ("officeDocument",))[0]
        rels = posixpath.join(posixpath.dirname(main), "_rels", posixpath.basename(main) + ".rels")
        parts = [main] + (_targets(archive, rels, posixpath.dirname(main), _TAGGED) if rels in names else [])
        template = cls(path, members, main=main)
        for name in parts:
            if name in names and (blob := archive.read(name)):
                template.tagged[name] = _xml_text(blob)
        return template

    def render(self, context: dict, jinja_env) -> dict[str, bytes]:
        """Each tagged part filled in (raises jinja2's TemplateError as docxtpl does)."""
        tpl = _renderer_class()(self.path)
        tpl.render_init_light()
        out = {}
        for name, source in self.tagged.items():
            if _MAY_CHANGE.search(source):
                source = tpl.render_xml_part(tpl.patch_xml(source), None, context, jinja_env)
            # else: no tag, brace, newline or break anywhere, so docxtpl would give it back unchanged
            out[name] = _checked(tpl, source, main=name == self.main)
        return out

    def save(self, target: Path, rendered: dict[str, bytes]) -> None:
        """Write the filled document: rendered parts compressed afresh, the rest copied as stored."""
        now = time.localtime()[:6]
        members = []
        for member in self.members:
            if member.name in rendered:
                data = rendered[member.name]
                packer = zlib.compressobj(6, zlib.DEFLATED, -15)
                raw = packer.compress(data) + packer.flush()
                member = _Member(member.name, now, member.flags, zipfile.ZIP_DEFLATED,
                                 zlib.crc32(data), len(data), raw)
            members.append(member)
        _write_zip(target, members)


@functools.cache
def _renderer_class():
    """docxtpl's template class, told not to load the package (defined on first use: docxtpl is imported lazily)."""
    from docxtpl import DocxTemplate

    class Renderer(DocxTemplate):
        def render_init_light(self) -> None:
            # What render_init sets, without loading the package through python-docx.
            self.pic_map: dict = {}
            self.current_rendering_part, self.docx_ids_index = None, 1000

        def resolve_listing(self, xml: str) -> str:
            # Same result as docxtpl's, which rewrites every paragraph of the document: only a
            # paragraph holding a tab, line or page break (from a Listing) can change.
            if not _CONTROL.search(xml):
                return xml
            resolve = super().resolve_listing
            return _PARAGRAPH.sub(
                lambda m: resolve(m.group(0)) if _CONTROL.search(m.group(0)) else m.group(0), xml)

    return Renderer


def _parser(*, recover: bool = False):
    from lxml import etree

    # As python-docx reads parts: no entity expansion, no blank text between elements.
    return etree.XMLParser(remove_blank_text=not recover, resolve_entities=False, recover=recover)


def _xml_text(blob: bytes) -> str:
    """A part as docxtpl sees it: parsed and serialised again (namespaces, quoting normalised)."""
    from lxml import etree

    return etree.tostring(etree.fromstring(blob, _parser()), encoding="unicode")


def _checked(tpl, xml: str, *, main: bool) -> bytes:
    """The rendered part as bytes, after docxtpl's fixes: repaired XML, table grids, picture ids."""
    from lxml import etree

    try:
        tree = etree.fromstring(xml.encode("utf-8"), _parser(recover=False))
        changed = False
    except etree.XMLSyntaxError:  # docxtpl parses the rendered body with recover=True too
        tree = etree.fromstring(xml.encode("utf-8"), _parser(recover=True))
        changed = True
    if main and _grid_mismatch(tree):
        tree, changed = tpl.fix_tables(etree.tostring(tree, encoding="unicode")), True
    if main and "docPr" in xml:
        tpl.fix_docpr_ids(tree)  # a picture repeated in a loop would share one id
        changed = True
    if changed:
        return etree.tostring(tree, encoding="UTF-8", xml_declaration=True, standalone=True)
    return (_DECLARATION + xml).encode("utf-8")


def _grid_mismatch(tree) -> bool:
    """Whether docxtpl's fix_tables would change a table: a row wider than its grid, or all narrower.

    Asked in XPath, as fix_tables counts (a table's rows include those of tables inside it).
    """
    irregular, tables, too_wide, full_width = _grid_queries()
    if not irregular(tree):  # every row as wide as its own grid: nothing for fix_tables to do
        return False
    for table in tables(tree):
        columns = len(table.find(_W + "tblGrid").findall(_W + "gridCol"))
        if too_wide(table, n=columns) or not full_width(table, n=columns):
            return True
    return False


@functools.cache
def _grid_queries():
    from lxml import etree

    ns = {"w": _W.strip("{}")}
    return (etree.XPath("boolean(//w:tbl//w:tbl | //w:gridSpan | //w:tbl[not(w:tblGrid)]"
                        " | //w:tr[count(w:tc) != count(ancestor::w:tbl[1]/w:tblGrid/w:gridCol)])",
                        namespaces=ns),
            etree.XPath("//w:tbl[w:tblGrid]", namespaces=ns),
            etree.XPath("boolean(.//w:tr[count(w:tc) > $n])", namespaces=ns),
            etree.XPath("boolean(.//w:tr[count(w:tc[not(w:tcPr/w:gridSpan)])"
                        " + sum(w:tc/w:tcPr/w:gridSpan/@w:val) >= $n])", namespaces=ns))


def _targets(archive, rels_name: str, base: str, kinds) -> list[str]:
    """Members named by a relationships part, for relationships of the given kinds, in order."""
    from lxml import etree

    root = etree.fromstring(archive.read(rels_name), _parser())
    found = []
    for rel in root.iter(_REL):
        if rel.get("TargetMode") == "External":
            continue
        if rel.get("Type", "").removeprefix(_RELTYPE) in kinds:
            target = rel.get("Target", "")
            found.append(target.lstrip("/") if target.startswith("/")
                         else posixpath.normpath(posixpath.join(base, target)))
    if not found and "officeDocument" in kinds:
        raise KeyError("no main document part")
    return found


# --- the zip itself ------------------------------------------------------------------------------

def _member(data: bytes, info: zipfile.ZipInfo) -> _Member:
    """A member with its stored bytes, read from its local header (zipfile only gives them inflated)."""
    if info.flag_bits & 0x1:
        raise ValueError("encrypted member")
    if max(info.file_size, info.compress_size, info.header_offset) >= 0xFFFFFFFF:
        raise ValueError("zip64 member")
    offset = info.header_offset
    signature, *_, name_length, extra_length = struct.unpack("<4s5H3L2H", data[offset:offset + 30])
    if signature != b"PK\x03\x04":
        raise ValueError("bad local header")
    start = offset + 30 + name_length + extra_length
    raw = data[start:start + info.compress_size]
    return _Member(info.filename, info.date_time, info.flag_bits & 0x800, info.compress_type,
                   info.CRC, info.file_size, raw)


def _dos_time(date_time: tuple) -> tuple[int, int]:
    year, month, day, hour, minute, second = date_time
    return (hour << 11) | (minute << 5) | (second // 2), ((max(year, 1980) - 1980) << 9) | (month << 5) | day


def _write_zip(target: Path, members: list[_Member]) -> None:
    """A plain zip (no data descriptors, no zip64): local headers, data, central directory."""
    central = []
    with open(target, "wb") as out:
        for m in members:
            name = m.name.encode("utf-8")
            flags = m.flags | (0x800 if not m.name.isascii() else 0)
            clock, day = _dos_time(m.date_time)
            offset = out.tell()
            out.write(struct.pack("<4s5H3L2H", b"PK\x03\x04", 20, flags, m.method, clock, day,
                                  m.crc, len(m.raw), m.size, len(name), 0) + name)
            out.write(m.raw)
            central.append(struct.pack("<4s6H3L5H2L", b"PK\x01\x02", 20, 20, flags, m.method, clock,
                                       day, m.crc, len(m.raw), m.size, len(name), 0, 0, 0, 0, 0,
                                       offset) + name)
        start = out.tell()
        directory = b"".join(central)
        out.write(directory)
        out.write(struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, len(members), len(members),
                              len(directory), start, 0))
