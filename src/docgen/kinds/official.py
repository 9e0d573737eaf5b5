"""文件格式 (GB/T 9704 7): 版头, 标题, 主送, body, 附件说明, 署名/成文日期/印章, 附注, 附件, 版记.

The facts of an issued document come typed from the data's ``documents.<key>`` (the template names
the key in its front matter, ``document: opinion``); the template may override the 主送, 署名 and
成文日期 (a notice is addressed to its branch). The form's rules live here:
- the 发文机关标志 is the issuing organs' names + 文件 (the profile's ``file_suffix``);
- the 主送 of an issued document is its data's ``addressees``, and it must have some;
- a document with a status (草稿, 征求意见稿: from --draft/--status or the data) carries a
  watermark and is never sealed;
- the 版记 goes on its own even page (the writers place it).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from docgen import zh
from docgen.errors import DocgenError
from docgen.i18n import _
from docgen.kinds.base import FrameContext, Kind, lines_of
from docgen.markup import ReadText
from docgen.model import (
    Addressee,
    AttachmentNote,
    Document,
    Imprint,
    Masthead,
    Meta,
    Node,
    Note,
    Salutation,
    Signature,
    Title,
    Watermark,
)
from docgen.standard import DEFAULT_PROFILE, profile

if TYPE_CHECKING:
    from docgen.schema import OfficialDocument


def _issued(text: ReadText, context: FrameContext) -> OfficialDocument | None:
    key = str(text.front.get("document") or "").strip()
    if not key:
        return None
    documents = context.campaign.documents if context.campaign else {}
    if key not in documents:
        raise DocgenError(_("this template needs `documents.{key}` in the campaign data; add it").format(
            key=key), text.source)
    return documents[key]


def build(text: ReadText, context: FrameContext) -> Document:
    front = text.front
    key = str(front.get("document") or "").strip()
    issued = _issued(text, context)
    organization = context.campaign.organization if context.campaign else None
    status = context.status or (issued.status if issued else None) or ""
    issuers = list(issued.issuers) if issued and issued.issuers else ([organization.name] if organization else [])
    title = str(front.get("title") or "")

    nodes: list[Node] = [Watermark(status)] if status else []
    if issued:
        nodes.append(Masthead(
            organs=issuers, suffix=profile(DEFAULT_PROFILE).file_suffix, number=issued.number,
            copy_number=issued.copy_number or "", secrecy=issued.secrecy or "", urgency=issued.urgency or "",
            signer=issued.signer or "",
        ))
    if title:
        lines = [str(x) for x in front.get("title_lines") or []]
        nodes.append(Title(title, lines, under_masthead=bool(issued), keep=context.names()))
    addressee = _addressee(front.get("addressee"), issued, key, context)
    if addressee:
        nodes.append(Addressee(addressee))
    if front.get("salutation"):
        nodes.append(Salutation(str(front["salutation"])))
    nodes += text.blocks
    names = lines_of(front.get("attachment_names")) or [a.title for a in text.attachments]
    if names:
        nodes.append(AttachmentNote(names))
    signature = lines_of(front.get("signature")) or issuers
    if signature:
        date = front.get("signature_date")
        date = str(date) if date is not None else (zh.date_arabic(issued.date) if issued else "")
        seal = issued.seal if issued and issued.seal and not status else None  # a draft is never sealed
        nodes.append(Signature(signature, date, seal))
    notes = [issued.note.strip("（）()")] if issued and issued.note else []
    if issued and issued.contact:  # 请示: the contact goes in the 附注
        notes.append(f"联系人：{issued.contact.name}，联系电话：{issued.contact.phone}")
    if notes:
        nodes.append(Note(f"（{'；'.join(notes)}）"))
    nodes += text.attachments
    if issued and organization:
        nodes.append(Imprint(
            cc=list(issued.cc), printer=issued.printer or default_printer(issuers, organization.name),
            print_date=zh.date_arabic(issued.print_date or issued.date),
        ))
    campaign = context.campaign
    created = issued.date.isoformat() if issued else (campaign.meeting.date.isoformat() if campaign else "")
    meta = Meta(kind="document", title=title, status=status, author="、".join(issuers),
                subject=campaign.campaign.name if campaign else "", created=created)
    return Document(meta, nodes)


def default_printer(issuers: list[str], organization: str) -> str:
    """The 版记's 印发机关 when the data names none: the issuing office itself when an office issues the
    document (a 转发通知 of 中共瓦店乡委员会办公室), else the organization's office by its full name."""
    office = next((name for name in issuers if name.endswith(("办公室", "办公厅"))), None)
    return office or f"{organization}办公室"


def _addressee(override, issued: OfficialDocument | None, key: str, context: FrameContext) -> str:
    """The template's own 主送 (a notice's branch), else the issued document's addressees."""
    if override:
        return str(override)
    if not issued:
        return ""
    if not issued.addressees:
        raise DocgenError(
            _("documents.{key}.addressees: an issued 公文 needs at least one 主送机关; list them").format(key=key),
            context.spot(("documents", key, "addressees")),
        )
    return zh.join(list(issued.addressees), last=None) + "："


KIND = Kind("document", "文件格式", build)
