"""Joining a template's own words to a value from the data without doubling a word at the seam.

Data comes in the shapes real campaigns have: a campaign's name that starts with a verb or an adverb
(深入贯彻中央八项规定精神学习教育, 学习贯彻习近平新时代中国特色社会主义思想主题教育), principles that start with
坚持, a guiding thought written with its own 以……为指导, a spirit that already ends in 精神, a leadership
paragraph that names the speaker. A template that writes 「深入开展」, 「必须坚持“…”」, 「以…为指导」 or
「…精神」 around such a value would print 「深入开展深入贯彻」, 「坚持“坚持」, 「以以」, 「精神精神」, or make a
speaker name himself. These filters take the template's words and the value and write them once.

Written here, not taken from a library: it is a handful of 公文 phrase rules (which adverb may replace
which), not general text processing; the proof-reader (``proofread``) catches what a template misses.
"""

from __future__ import annotations

from collections.abc import Iterable

# Adverbs a 公文 puts before 开展/推进/落实, in the order one replaces another when the value already
# starts with it: 深入开展 + 深入贯彻… → 扎实开展深入贯彻….
ADVERBS = ("深入", "扎实", "认真", "持续", "全面", "切实", "广泛", "大力")


def act(name: object, verb: str = "深入开展", beside: object = "") -> str:
    """``verb`` + ``name`` without doubling a word: 深入开展党纪学习教育; 扎实开展深入贯彻中央八项规定精神
    学习教育; 深入开展学习贯彻…主题教育 (a different verb is not a double); 开展 + 开展… → 开展….

    ``beside``: words the same sentence says next to it (a pledge's basis 「按照深入开展“我为群众办实事”实践
    活动的要求」): the adverb changes rather than say 深入开展 twice."""
    text = str(name)
    adverb = next((a for a in ADVERBS if verb.startswith(a)), "")
    bare_verb = verb[len(adverb):]
    if bare_verb and text.startswith(bare_verb):
        return (adverb if adverb and not text.startswith(bare_verb + adverb) else "") + text
    near = str(beside or "")
    if adverb and (text.startswith(ADVERBS) or f"{adverb}{bare_verb}" in near):
        taken = {a for a in ADVERBS if a in text[:8] or f"{a}{bare_verb}" in near}
        adverb = next((a for a in ADVERBS if a not in taken), "")
    return f"{adverb}{bare_verb}{text}"


def drop_lead(items: Iterable[object], word: str) -> list[str]:
    """Each item without a leading ``word``: principles 坚持学用结合… after a template's own 坚持."""
    return [str(item).removeprefix(word) if str(item) != word else str(item) for item in items]


def spirit(value: object) -> str:
    """A spirit the template follows with 精神: 党的二十大和二十届二中全会（精神）."""
    text = str(value).strip()
    return text.removesuffix("精神") if text != "精神" else text


def thought(value: object) -> str:
    """A guiding thought the template puts inside 以……为指导: its own 以 and 为指导 dropped."""
    text = str(value).strip()
    if text.startswith("以") and text.endswith("为指导"):
        text = text[1:-3]
    return text.removesuffix("为指导")


def own_voice(text: object, name: str, post: str = "") -> str:
    """A paragraph from the data read out by the person it names: 街道党工委书记陈立新同志任组长 → 我任组长.

    The speaker of a speech does not call himself by post and name; the phrases changed are his name
    after his post or any part of it (县委常委、县直机关工委书记: 县直机关工委书记何建华同志) and his
    name with 同志, so nothing else in the data is touched."""
    result = str(text)
    posts = [post, *post.split("、")] if post else []
    phrases = [f"{p}{name}同志" for p in posts] + [f"{p}{name}" for p in posts] + [f"{name}同志"]
    for phrase in sorted(set(phrases), key=len, reverse=True):
        result = result.replace(phrase, "我")
    return result


def stage_word(names: Iterable[object]) -> str:
    """What a campaign calls its steps: 环节 when most steps' names say so (群众路线教育实践活动's 三个环节 and a
    closing 总结评估), else 阶段."""
    listed = [str(name) for name in names]
    return "环节" if listed and 2 * sum(name.endswith("环节") for name in listed) > len(listed) else "阶段"


def list_zh(items: Iterable[object]) -> str:
    """Items of a list inside one quotation: 、 between them, or ， when an item has its own 、
    (围绕中心、服务大局，立足实际、务求实效)."""
    listed = [str(item) for item in items]
    return ("，" if any("、" in item for item in listed) else "、").join(listed)


def each_of(names: Iterable[object]) -> str:
    """How a document addresses all the branches at once: 各党支部 when every one is a 党支部, else 各党组织."""
    listed = [str(name) for name in names]
    return "各党支部" if listed and all(name.endswith("支部") for name in listed) else "各党组织"


def quoted(text: object) -> str:
    """Words set in “ ” by the template, quotations inside them turned to ‘ ’ (GB/T 15834: 双引号里再用引号
    用单引号): 采取““三会一课”、专题学习讨论” → 采取“‘三会一课’、专题学习讨论”."""
    inner = str(text).replace("“", "‘").replace("”", "’")
    return f"“{inner}”"


def without_counts(text: object) -> str:
    """A delegation without its numbers, to name the people of every branch together: 支部书记、支部委员和
    党员代表2名 → 支部书记、支部委员和党员代表 (各党支部书记、支部委员和党员代表共53人)."""
    import re

    return re.sub(r"(\d+|[一两二三四五六七八九十]+)名", "", str(text))
