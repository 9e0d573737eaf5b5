"""讲话稿: title, speaker and date (楷体, centred), 同志们：, the body, 谢谢大家！ — no signature, no 版头;
a draft (--draft) carries the watermark on every page like any other document."""

from __future__ import annotations

from docgen.kinds.base import FrameContext, Kind
from docgen.markup import ReadText
from docgen.model import Closing, Document, Meta, Node, Salutation, Speaker, SpeechDate, Title, Watermark


def build(text: ReadText, context: FrameContext) -> Document:
    front = text.front
    title = str(front.get("title") or "")
    nodes: list[Node] = [Watermark(context.status)] if context.status else []
    if title:
        nodes.append(Title(title, [str(x) for x in front.get("title_lines") or []], keep=context.names()))
    if front.get("speaker"):
        nodes.append(Speaker(str(front["speaker"])))
    if front.get("date"):
        nodes.append(SpeechDate(str(front["date"])))
    if front.get("salutation"):
        nodes.append(Salutation(str(front["salutation"])))
    nodes += text.blocks
    if front.get("closing"):
        nodes.append(Closing(str(front["closing"])))
    nodes += text.attachments
    campaign = context.campaign
    meta = Meta(kind="speech", title=title, status=context.status or "",
                author=campaign.organization.name if campaign else "",
                subject=campaign.campaign.name if campaign else "",
                created=campaign.meeting.date.isoformat() if campaign else "")
    return Document(meta, nodes)


KIND = Kind("speech", "讲话稿", build)
