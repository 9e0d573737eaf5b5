"""The parts of a Word package a template may put tags in, and the package written per document.

A template's package is read once: the parts with text (the body, headers, footers, foot- and
endnotes) are parsed; every other entry is kept as its bytes and copied into each document.
Documents are written with fixed timestamps, so the same data gives the same bytes.
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
from dataclasses import dataclass, field

from lxml import etree

from docgen.files import unpacking, zipped
from docgen.i18n import _

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
WP_NS = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
A_NS = "http://schemas.openxmlformats.org/drawingml/2006/main"
MC_NS = "http://schemas.openxmlformats.org/markup-compatibility/2006"
PR_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
XML_NS = "http://www.w3.org/XML/1998/namespace"
IMAGE_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/image"
HEADER_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/header"
FOOTER_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer"

_MAIN_TYPES = (
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
    "application/vnd.ms-word.document.macroEnabled.main+xml",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml",
)
_STORY_TYPES = {
    "application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml": "header",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml": "footer",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml": "footnotes",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.endnotes+xml": "endnotes",
}
XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
# A template is a file from outside: no DTD, no entities (an external entity would read a local file
# into the documents), no network.
PARSER = etree.XMLParser(resolve_entities=False, load_dtd=False, no_network=True, huge_tree=False,
                         remove_blank_text=False)


def parse(data: bytes) -> etree._Element:
    return etree.fromstring(data, PARSER)


def parse_part(data: bytes, name: str) -> etree._Element:
    """A part of the template's package; one that is not well-formed (cut off, a DTD of entities
    that expand a billion times — libxml2 refuses those) is NotAWordFile naming the part."""
    try:
        return parse(data)
    except etree.XMLSyntaxError as exc:
        raise NotAWordFile(_("{part} is not well-formed XML (`{error}`)").format(part=name, error=exc)) from None
ZIP_TIME = (1980, 1, 1, 0, 0, 0)


def w(tag: str) -> str:
    return f"{{{W_NS}}}{tag}"


def wp(tag: str) -> str:
    return f"{{{WP_NS}}}{tag}"


def a(tag: str) -> str:
    return f"{{{A_NS}}}{tag}"


def r(tag: str) -> str:
    return f"{{{R_NS}}}{tag}"


def mc(tag: str) -> str:
    return f"{{{MC_NS}}}{tag}"


class NotAWordFile(Exception):
    """The file is not a .docx package (a .doc, a renamed file, a damaged zip)."""


@dataclass
class Package:
    """A .docx read once: its entries' bytes in order, and which parts hold text."""

    entries: dict[str, bytes]
    main: str  # word/document.xml
    stories: dict[str, str] = field(default_factory=dict)  # part name → header/footer/footnotes/endnotes

    def rels_name(self, part: str) -> str:
        folder, name = posixpath.split(part)
        return posixpath.join(folder, "_rels", f"{name}.rels")

    def relationships(self, part: str) -> dict[str, tuple[str, str]]:
        """rId → (type, target part name) of one part."""
        data = self.entries.get(self.rels_name(part))
        if not data:
            return {}
        root = parse_part(data, self.rels_name(part))
        folder = posixpath.dirname(part)
        found = {}
        for rel in root:
            if rel.get("TargetMode") == "External":
                continue
            target = posixpath.normpath(posixpath.join(folder, rel.get("Target", "")))
            found[rel.get("Id")] = (rel.get("Type", ""), target.lstrip("/"))
        return found


def read_package(data: bytes, file: str = "") -> Package:
    """The package's entries, each held to ``unpacking.WORD`` before it is read (a DocgenError naming
    ``file`` and the member); NotAWordFile for what is no Word package."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = [info for info in archive.infolist() if not info.is_dir()]
        unpacking.check(archive, file, unpacking.WORD)
        entries = {info.filename: archive.read(info) for info in infos}
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError) as exc:
        raise NotAWordFile(_("not a .docx package ({error})").format(error=exc)) from None
    types = entries.get("[Content_Types].xml")
    if types is None:
        raise NotAWordFile("no [Content_Types].xml: not a Word package")
    root = parse_part(types, "[Content_Types].xml")
    main = None
    stories = {}
    for override in root.iter(f"{{{CT_NS}}}Override"):
        name = override.get("PartName", "").lstrip("/")
        kind = override.get("ContentType", "")
        if kind in _MAIN_TYPES:
            main = name
        elif kind in _STORY_TYPES and name in entries:
            stories[name] = _STORY_TYPES[kind]
    if main is None or main not in entries:
        raise NotAWordFile("no main document part: not a Word document (a .doc saved as .docx?)")
    return Package(entries, main, stories)


def ensure_image_types(types_xml: bytes, parts: set[str] | None = None) -> bytes:
    """[Content_Types].xml with Default entries for png and jpeg (the pictures a document may get), and
    without the Overrides of parts not in ``parts`` (a placeholder's picture or the comments, left out:
    an Override naming a missing part makes Word call the file corrupt)."""
    root = parse(types_xml)
    if parts is not None:
        for override in list(root.iter(f"{{{CT_NS}}}Override")):
            if override.get("PartName", "").lstrip("/") not in parts:
                root.remove(override)
    known = {d.get("Extension", "").lower() for d in root.iter(f"{{{CT_NS}}}Default")}
    for extension, kind in (("png", "image/png"), ("jpeg", "image/jpeg")):
        if extension not in known:
            element = etree.SubElement(root, f"{{{CT_NS}}}Default")
            element.set("Extension", extension)
            element.set("ContentType", kind)
    root[:] = sorted(root, key=lambda e: 0 if e.tag == f"{{{CT_NS}}}Default" else 1)
    return XML_DECLARATION.encode() + etree.tostring(root, encoding="utf-8")


EMPTY_RELS = f'<Relationships xmlns="{PR_NS}"></Relationships>'


def with_relationships(rels_xml: str, added: list[tuple[str, str, str]]) -> str:
    """A .rels text with (Id, Type, Target) relationships appended."""
    if not added:
        return rels_xml
    extra = "".join(f'<Relationship Id="{i}" Type="{t}" Target="{target}"/>' for i, t, target in added)
    return re.sub(r"</Relationships>\s*$", extra + "</Relationships>", rels_xml.rstrip(), count=1)


ZipEntry = zipped.ZipEntry  # one deflated entry: the entries a template never changes are deflated once


def write_entries(entries: list[ZipEntry]) -> bytes:
    """A zip of already deflated entries, in order, with fixed timestamps (what zipfile writes, less the work)."""
    return zipped.write_entries(entries, ZIP_TIME, 0o100644)


def write_package(entries: list[tuple[str, bytes]]) -> bytes:
    """A zip with the entries in order, fixed timestamps."""
    return write_entries([ZipEntry.deflate(name, data) for name, data in entries])
