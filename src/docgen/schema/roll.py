"""Who is at the meeting: one list, from the meeting's data, that every document counts from.

The notice invites each branch's people (``meeting.attendees``: 支部书记和党员代表2名), the 签到表 lists
who signs in, the 通报 says how many were to attend (应出席) and came (实际出席). They must agree, so all of
them read this roll:

- the people named in ``meeting.attendees_list`` (the organ's leaders and staff), and those named in
  ``meeting.absentees`` (invited, away: they count as 应出席, not as 实际出席);
- for every branch, its delegation: the secretary by name (unless already named above), then one line
  per other person the branch sends, unnamed (the branch writes the name at the door). How many a branch
  sends is ``meeting.delegates`` when given, else counted from ``meeting.attendees``: each post one person,
  「党员代表2名」 two, 「全体党员」 the branch's ``member_count`` (its members by name when the roster has them).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from docgen.schema import Branch, Campaign


@dataclass(frozen=True)
class Seat:
    """One line of the 签到表."""

    name: str  # "" when the branch names its delegate at the door
    unit: str  # the branch, or the organ for its own people
    post: str
    present: bool = True  # False: named in meeting.absentees (请假)


_COUNT = re.compile(r"^(?P<post>.*?)(?P<count>\d+|[一两二三四五六七八九十])名$")
_NUMBERS = {c: i for i, c in enumerate("〇一二三四五六七八九十")} | {"两": 2}


def delegation(attendees: str | None) -> list[tuple[str, int]]:
    """The posts a branch sends and how many of each: 支部书记、支部委员和党员代表2名 → [(支部书记, 1),
    (支部委员, 1), (党员代表, 2)]; 全体党员 → [(全体党员, 0)] (0: the branch's whole membership)."""
    if not attendees:
        return []
    found = []
    for part in re.split(r"[、，,和及与]", attendees):
        part = part.strip()
        if not part:
            continue
        if "全体" in part:
            found.append((part.replace("全体", ""), 0))
            continue
        match = _COUNT.match(part)
        if match:
            count = match.group("count")
            found.append((match.group("post"), int(count) if count.isdigit() else _NUMBERS[count]))
        else:
            found.append((part, 1))
    return found


def _is_secretary(post: str) -> bool:
    return "书记" in post and "副书记" not in post


def branch_seats(branch: Branch, attendees: str | None, delegates: int | None) -> list[Seat]:
    """The lines one branch fills on the 签到表."""
    posts = delegation(attendees) or [("书记", 1)]
    seats: list[Seat] = []
    for post, count in posts:
        if count == 0:  # 全体党员: the members by name, then unnamed lines up to member_count
            named = [Seat(m.name, branch.name, m.post) for m in branch.members]
            seats += named + [Seat("", branch.name, post) for _ in range(branch.member_count - len(named))]
            continue
        for _index in range(count):
            is_head = _is_secretary(post) and not any(s.name == branch.secretary for s in seats)
            seats.append(Seat(branch.secretary, branch.name, _secretary_post(branch)) if is_head
                         else Seat("", branch.name, post))
    if delegates is not None:
        seats = seats[:delegates] + [Seat("", branch.name, "") for _ in range(delegates - len(seats))]
    return seats


def roll(campaign: Campaign) -> list[Seat]:
    """Everyone invited to the meeting, in the order the 签到表 lists them: the organ's own people, then
    branch by branch (a branch secretary named in ``attendees_list`` or ``absentees`` heads his branch)."""
    meeting = campaign.meeting
    organ = campaign.organization.short_name
    secretaries = {b.secretary: b for b in campaign.branches}
    own: list[Seat] = []
    heads: dict[str, Seat] = {}
    people = [((p, "") if isinstance(p, str) else (p.name, p.post), True) for p in meeting.attendees_list]
    people += [((a.name, ""), False) for a in meeting.absentees]
    for (name, post), present in people:
        branch = secretaries.get(name)
        if branch is not None:
            heads[branch.name] = Seat(name, branch.name, _secretary_post(branch), present)
        else:
            own.append(Seat(name, organ, _without_unit(post, organ), present))
    seats = list(own)
    for branch in campaign.branches:
        group = branch_seats(branch, meeting.attendees, meeting.delegates)
        head = heads.get(branch.name)
        if head is not None:
            group = [head, *(seat for seat in group if seat.name != head.name)]
        seats += group
    return seats


def _without_unit(post: str, unit: str) -> str:
    """A post as the 职务 column beside its unit shows it: 柳坪村党支部书记 beside 柳坪村党支部 → 书记."""
    return post[len(unit):] if unit and post.startswith(unit) and len(post) > len(unit) else post


def _secretary_post(branch: Branch | None) -> str:
    if branch is None:
        return ""
    name = branch.name
    for suffix, post in (("党总支", "党总支书记"), ("党委", "党委书记"), ("支部", "支部书记")):
        if name.endswith(suffix):
            return post
    return "书记"
