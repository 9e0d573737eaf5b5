"""How a value prints in a Word template: as its own text, once, with Word's line breaks and tabs.

Every ``{{ … }}`` sits in a ``w:t`` of its run (``compile``), so a value is XML text there:

- escaped once, whatever filters the template adds: ``|e``/``|escape``/``|safe`` give Jinja's
  Markup, which is read back as the text it stands for (``{{ x|e }}`` printed 「&lt;html&gt;」);
- a line break in the value (``\\n``, ``\\r\\n``, Word's ``\\v``, U+2028) ends the ``w:t`` and adds a
  ``w:br`` in the same run, a tab a ``w:tab``: a multi-line address stays in its paragraph and
  formatting; control characters XML cannot carry are dropped;
- ``{{ x | paragraphs }}`` makes each line of the value (or each item of a list) a paragraph of
  its own with the tag's paragraph and run properties (style, indents, numbering, bold …): the
  value prints with a mark between the paragraphs, and ``split_paragraphs`` splits the rendered
  part there. Data cannot put the mark in (it is one of the characters dropped), so only a
  template that asks for paragraphs gets them.
"""

from __future__ import annotations

import copy
import re
from typing import Any

from lxml import etree
from markupsafe import Markup

from docgen.wordtemplate.ooxml import XML_DECLARATION, XML_NS, parse, w

_INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff\ufdd0-\ufdef]")
_LINE_BREAKS = re.compile("\r\n?|[\v\f\x85\u2028\u2029]")
BREAK = '</w:t><w:br/><w:t xml:space="preserve">'
TAB = '</w:t><w:tab/><w:t xml:space="preserve">'
PARAGRAPH_MARK = "\ufdd2"  # between the paragraphs of a |paragraphs value; never in data (dropped above)
_SPLITTABLE = {w("r"), w("hyperlink"), w("smartTag"), w("customXml")}  # what may lie between a w:t and its w:p
_W14 = "{http://schemas.microsoft.com/office/word/2010/wordml}"


class Paragraphs(str):
    """A value as paragraphs (``| paragraphs``). As a string (``~``, another filter) it is the lines
    joined by line breaks, so it still prints whole where a paragraph cannot be split."""

    paragraphs: tuple[str, ...] = ()


def paragraphs(value: Any) -> Paragraphs:
    """``{{ notes | paragraphs }}``: each line of the value, or each item of a list, a paragraph (blank lines
    skipped)."""
    items = value if isinstance(value, list | tuple) else [value]
    pieces = []
    for item in items:
        text = "" if item is None else item.unescape() if isinstance(item, Markup) else str(item)
        pieces += [line for line in _LINE_BREAKS.sub("\n", text).split("\n") if line.strip()]
    result = Paragraphs("\n".join(pieces))
    result.paragraphs = tuple(pieces)
    return result


def text_xml(text: str) -> str:
    """Text as the content of a ``w:t``: escaped, line breaks and tabs as Word's own elements."""
    text = _INVALID_XML.sub("", _LINE_BREAKS.sub("\n", text))
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    if "\n" in text:
        text = text.replace("\n", BREAK)
    if "\t" in text:
        text = text.replace("\t", TAB)
    return text


def finalize(value: Any) -> str:
    """Every printed value, whatever it went through: its text, once."""
    if value is None:
        return ""
    if isinstance(value, Paragraphs):
        return PARAGRAPH_MARK.join(text_xml(piece) for piece in value.paragraphs)
    if isinstance(value, Markup):  # |e, |escape, |safe: Jinja's HTML escaping, not Word's
        return text_xml(value.unescape())
    return text_xml(str(value))


def split_paragraphs(xml: str) -> str:
    """A rendered part with a new paragraph at each paragraph mark a ``| paragraphs`` value printed."""
    root = parse(xml.encode("utf-8"))
    for text in list(root.iter(w("t"))):
        while text is not None and text.text and PARAGRAPH_MARK in text.text:
            text = _split_at(text, text.text.index(PARAGRAPH_MARK))
    return XML_DECLARATION + etree.tostring(root, encoding="unicode")


def _split_at(text: etree._Element, index: int) -> etree._Element | None:
    """Split the paragraph holding ``text`` at ``index`` (the mark, dropped); the new ``w:t`` after it."""
    before, after = text.text[:index], text.text[index + 1:]
    chain = []
    node = text
    while node.getparent() is not None and node.getparent().tag != w("p"):
        node = node.getparent()
        chain.append(node)
    paragraph = node.getparent()
    if paragraph is None or any(a.tag not in _SPLITTABLE for a in chain):  # a field or a content control: a break
        text.text = before
        right = _text_element(after)
        text.addnext(right)
        text.addnext(etree.Element(w("br")))
        return right
    text.text = before
    right = _text_element(after)
    child, piece = text, right
    for ancestor in chain:  # each run, hyperlink … split in two; the second half holds what follows
        clone = etree.Element(ancestor.tag, dict(ancestor.attrib))
        properties = ancestor.find(w("rPr")) if ancestor.tag == w("r") else None
        if properties is not None:
            clone.append(copy.deepcopy(properties))
        clone.append(piece)
        for sibling in list(child.itersiblings()):
            clone.append(sibling)
        child, piece = ancestor, clone
    following = etree.Element(w("p"), {k: v for k, v in paragraph.attrib.items() if not k.startswith(_W14)})
    properties = paragraph.find(w("pPr"))
    if properties is not None:
        following.append(copy.deepcopy(properties))
        section = properties.find(w("sectPr"))
        if section is not None:  # a section break stays on the section's last paragraph
            properties.remove(section)
    following.append(piece)
    for sibling in list(child.itersiblings()):
        following.append(sibling)
    paragraph.addnext(following)
    return right


def _text_element(content: str) -> etree._Element:
    element = etree.Element(w("t"))
    element.text = content
    element.set(f"{{{XML_NS}}}space", "preserve")
    return element
