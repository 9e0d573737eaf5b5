"""命令（令）格式 (GB/T 9704 10.2): the red 发文机关标志 (the organ's full name + 令) 20 mm below the
type block's top, the 令号 (第1号) centred two blank lines under it, the body two blank lines under
the 令号, then the 签发人职务 with the 签名章 and the 成文日期 (7.3.5.3). No title, no 主送, no red
line, no 版记.

The facts come typed from ``documents.<key>`` (the template names the key, ``document: mingling``):
``number`` (the 令号), ``date``, ``signer`` and ``signer_post``, ``issuers`` (default
``organization.name``). The writers draw the 签名章 (the name in red 楷体 in a red frame); a
document with a status (草稿) carries the watermark and the name without the 签名章.
"""

from __future__ import annotations

from docgen import zh
from docgen.errors import DocgenError
from docgen.i18n import _
from docgen.kinds.base import FrameContext, Kind
from docgen.kinds.official import _issued
from docgen.markup import ReadText
from docgen.model import Document, Masthead, Meta, Node, OrderSignature, Watermark
from docgen.standard import DEFAULT_PROFILE, profile


def build(text: ReadText, context: FrameContext) -> Document:
    key = str(text.front.get("document") or "").strip()
    issued = _issued(text, context)
    if issued is None:
        raise DocgenError(_("a 命令 template names its data in the front matter: `document: <key>`"), text.source)
    organization = context.campaign.organization if context.campaign else None
    for field in ("signer", "signer_post"):
        if not getattr(issued, field):
            unsigned = _("documents.{key}.{field}: a 命令 is signed by its 签发人 (post and name); add it")
            raise DocgenError(unsigned.format(key=key, field=field), context.spot(("documents", key)))
    status = context.status or issued.status or ""
    issuers = list(issued.issuers) or ([organization.name] if organization else [])
    nodes: list[Node] = [Watermark(status)] if status else []
    nodes.append(Masthead(organs=["".join(issuers)], suffix=profile(DEFAULT_PROFILE).order_suffix,
                          number=issued.number, form="order"))
    nodes += text.blocks
    nodes.append(OrderSignature(post=issued.signer_post or "", name=issued.signer or "",
                                date=zh.date_arabic(issued.date), sealed=not status))
    nodes += text.attachments
    campaign = context.campaign
    meta = Meta(kind="order", title=str(text.front.get("title") or f"{''.join(issuers)}令（{issued.number}）"),
                status=status, author="、".join(issuers), subject=campaign.campaign.name if campaign else "",
                created=issued.date.isoformat())
    return Document(meta, nodes)


KIND = Kind("order", "命令（令）格式", build)
