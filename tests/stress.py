"""A stress campaign: the longest real names a clerk meets, and a county-sized roster.

Built from the 金桥 example so that it stays valid as the schema grows: a 团场 Party committee of the
Xinjiang Production and Construction Corps (a 21-character organ name, whose 办公室 forwards with a
26-character 发文机关标志), a 60-character title, and 200 branches whose names, secretaries (Uyghur
names with the middle dot ·, compound surnames) and posts are as long as real ones get.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from . import fastyaml
from .conftest import ROOT

ORGAN = "中共新疆生产建设兵团第十二师二二一团委员会"
OFFICE = ORGAN + "办公室"
TITLE = ("关于在全团各级党组织和广大党员干部职工中深入开展学习贯彻习近平新时代中国特色社会主义思想"
         "主题教育和党纪学习教育的实施方案")
SECRETARIES = ["阿不都热合曼·买买提", "欧阳明月", "司马长风", "古丽娜尔·艾则孜", "诸葛建国", "王芳",
               "努尔艾力·吐尔逊", "上官婉清"]
UNITS = ["第{n}连队", "机关第{n}", "团医院第{n}", "第一中学第{n}", "农业发展服务中心第{n}",
         "天山北坡绿洲现代农业产业园区管委会第{n}"]
CATEGORIES = ["连队", "机关", "卫生", "学校", "事业单位", "两新组织"]
POSTS = ["党支部书记、连长", "党支部书记、指导员", "党支部书记", "党支部书记、副主任（主持工作）"]


def _branch(index: int) -> dict:
    unit = UNITS[index % len(UNITS)].format(n=_ordinal(index // len(UNITS) + 1))
    secretary = SECRETARIES[index % len(SECRETARIES)]
    return {
        "name": f"{unit}党支部",
        "category": CATEGORIES[index % len(UNITS)],
        "secretary": secretary,
        "member_count": 12 + index % 50,
        "deadline": "2024-07-31",
        "commitments": ["每月开展一次条例集中学习", "党员认领连队服务事项不少于30项"],
        "members": [{
            "name": secretary, "post": POSTS[index % len(POSTS)],
            "commitments": ["带头讲好专题党课", "每周走访职工群众不少于5户"],
            "deadline": "2024-07-31", "supervisor": SECRETARIES[(index + 3) % len(SECRETARIES)],
        }],
    }


def _ordinal(number: int) -> str:
    digits = "〇一二三四五六七八九"
    if number < 10:
        return digits[number]
    tens, ones = divmod(number, 10)
    return ("" if tens == 1 else digits[tens]) + "十" + (digits[ones] if ones else "")


def stress_campaign(folder: Path, branches: int = 200) -> Path:
    """Write the stress campaign into `folder` (with the example's seal) and return the folder."""
    data = fastyaml.load((ROOT / "examples" / "jinqiao" / "campaign.yaml").read_text(encoding="utf-8"))
    data["organization"].update(name=ORGAN, short_name="二二一团党委", committee="党委", place="二二一团",
                                place_short="二二一团", level="团", office="团党委办公室")
    data["organization"]["superior"] = {"name": "第十二师", "level": "师"}
    data["campaign"]["categories"] = [
        {"name": name, "guidance": f"{name}党组织要把党纪学习教育与本单位中心工作结合起来，引导党员亮身份、守规矩。"}
        for name in CATEGORIES]
    data["branches"] = [_branch(index) for index in range(branches)]
    # each branch sends its secretary: the 签到表 is then 200 long names and posts (the roll: docgen/schema/roll.py)
    data["meeting"].update(delegates=1,
                           name="二二一团党纪学习教育暨学习贯彻习近平新时代中国特色社会主义思想主题教育工作部署会",
                           place="团部办公楼三楼多功能会议室（新疆生产建设兵团第十二师二二一团团部）")
    documents = data["documents"]
    for document in documents.values():
        document["number"] = document["number"].replace("金桥工委", "团党委")
    documents["opinion"]["title"] = TITLE
    documents["opinion"]["addressees"] = ["各连队党支部", "团机关各党支部", "团属各事业单位党组织",
                                          "各两新组织党组织"]
    documents["opinion"]["cc"] = ["第十二师党委组织部", "第十二师纪委监委", "第十二师党委宣传部"]
    documents["forward"]["issuers"] = [OFFICE]
    documents["qingshi"]["addressees"] = ["中共新疆生产建设兵团第十二师委员会"]
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "campaign.yaml").write_text(fastyaml.dump(data, allow_unicode=True, sort_keys=False),
                                          encoding="utf-8")
    shutil.copy(ROOT / "examples" / "jinqiao" / "seal.png", folder / "seal.png")
    return folder
