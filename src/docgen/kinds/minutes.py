"""纪要格式 (GB/T 9704 10.3): the red ``××××纪要`` header where the 文件格式's 发文机关标志 stands, the
期号 in place of the 发文字号, the title, the body (the decisions as numbered paragraphs), then the
`出席：`/`请假：`/`列席：` lines, and the 版记 — never signed, never sealed.

The template gives the facts in its front matter: ``organ`` (the 纪要's owner, default the
organization's short name), ``number`` (期号), ``title``, ``present``/``absent``/``observers``
(lists of names), ``cc``, ``printer`` and ``print_date`` (印发).
"""

from __future__ import annotations

from docgen.kinds.base import FrameContext, Kind, lines_of
from docgen.markup import ReadText
from docgen.model import Document, Imprint, Masthead, Meta, NameList, Node, Title, Watermark
from docgen.standard import DEFAULT_PROFILE, profile

LABELS = (("present", "出席："), ("absent", "请假："), ("observers", "列席："))


def build(text: ReadText, context: FrameContext) -> Document:
    front = text.front
    organization = context.campaign.organization if context.campaign else None
    organ = str(front.get("organ") or (organization.short_name if organization else ""))
    status = context.status or ""
    title = str(front.get("title") or "")
    nodes: list[Node] = [Watermark(status)] if status else []
    nodes.append(Masthead(organs=[organ], suffix=profile(DEFAULT_PROFILE).minutes_suffix,
                          number=str(front.get("number") or "")))
    if title:
        nodes.append(Title(title, [str(x) for x in front.get("title_lines") or []], under_masthead=True,
                           keep=context.names()))
    nodes += text.blocks
    first = True
    for key, label in LABELS:
        names = lines_of(front.get(key))
        if names:
            nodes.append(NameList(label, names, space_before=first))
            first = False
    nodes += text.attachments
    printer = str(front.get("printer") or (organization.office if organization else ""))
    if printer:
        nodes.append(Imprint(cc=lines_of(front.get("cc")), printer=printer,
                             print_date=str(front.get("print_date") or "")))
    campaign = context.campaign
    created = campaign.meeting.date.isoformat() if campaign else ""  # a 纪要 is dated by its meeting
    return Document(Meta(kind="minutes", title=title, status=status,
                         author=organization.name if organization else "",
                         subject=campaign.campaign.name if campaign else "", created=created), nodes)


KIND = Kind("minutes", "纪要格式", build)
