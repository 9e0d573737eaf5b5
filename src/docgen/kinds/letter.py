"""信函格式 (GB/T 9704 10.1), for a 函 between offices (商洽函, 询问函, 复函): the 版头 is the red
发文机关标志 30 mm from the paper's top between red double lines (the writers draw them on the first
page, from ``standard.geometry.letter_box``), the 发文字号 at the right under the top lines, and the
first page carries no page number; the title and everything after it are the 文件格式's
(``kinds.official``): 主送, body, 附件说明, 署名/成文日期/印章, 附注, 附件.

A 信函 has no 版记 here: GB/T 9704 10.1 takes the 印发机关, 印发日期 and the rules out of its 版记,
and a letter between two offices rarely has more. The 发文机关标志 is the issuing organ's full name
(``documents.<key>.issuers``, else ``organization.name``), without 文件.
"""

from __future__ import annotations

import dataclasses

from docgen.kinds import official
from docgen.kinds.base import FrameContext, Kind
from docgen.markup import ReadText
from docgen.model import Document, Imprint, LetterHead, Masthead


def build(text: ReadText, context: FrameContext) -> Document:
    document = official.build(text, context)
    nodes = []
    for node in document.nodes:
        if isinstance(node, Masthead):
            nodes.append(LetterHead(organ="".join(node.organs), number=node.number, copy_number=node.copy_number,
                                    secrecy=node.secrecy, urgency=node.urgency))
        elif not isinstance(node, Imprint):
            nodes.append(node)
    meta = dataclasses.replace(document.meta, kind="letter", first_page_numbered=False)
    return Document(meta, nodes)


KIND = Kind("letter", "信函格式", build)
