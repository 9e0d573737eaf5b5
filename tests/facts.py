"""The facts that differ between the example township (瓦店乡) and the test township (桥头镇).

Applied to the example's YAML they give tests/data/qiaotou/campaign.yaml; applied to the example's
rendered speech they must give exactly the test township's rendered speech.
"""

FACTS = [
    ("绿色瓦店、生态之乡", "商贸桥头、宜居之镇"),  # slogan
    ("四川丘区强县", "川中经济强县"),  # county goal
    ("瓦店乡", "桥头镇"),
    ("瓦店", "桥头"),  # township
    ("全乡", "全镇"),
    ("我乡", "我镇"),
    ("乡党委", "镇党委"),  # level word
    ("动员部署阶段", "宣传发动阶段"),
    ("整体提升阶段", "巩固提高阶段"),  # phase names
    ("2010年6月", "2012年3月"),
    ("2010", "2012"),
    ("2011", "2013"),  # dates
    ("领导点评", "领导讲评"),  # one of the five methods
    ("群众反映好", "群众评价好"),  # one of 五好
    ("争当和谐卫士", "争当文明卫士"),  # one of 五带五争
    ("学习春风村", "学习明月村"),  # the rural category's model village
    ("省委九届七次全会", "省委九届十次全会"),  # guiding sessions
]


def apply(text: str) -> str:
    for old, new in FACTS:
        text = text.replace(old, new)
    return text
