"""Chinese text rules: numerals, ordinals, dates (〇 is U+3007), list joining, punctuation."""

import datetime as dt

import pytest

from docgen import zh


@pytest.mark.parametrize(
    ("n", "text"),
    [(0, "〇"), (1, "一"), (10, "十"), (12, "十二"), (20, "二十"), (90, "九十"), (105, "一百零五"),
     (110, "一百一十"), (1010, "一千零一十"), (10001, "一万零一"), (23456, "二万三千四百五十六")],
)
def test_numerals(n, text):
    assert zh.numeral(n) == text


def test_counting_form_and_ordinals():
    assert zh.numeral(2, counting=True) == "两"
    assert zh.numeral(12, counting=True) == "十二"
    assert [zh.ordinal(i) for i in (1, 2, 4)] == ["一是", "二是", "四是"]


def test_dates():
    day = dt.date(2010, 6, 5)
    assert zh.date_arabic(day) == "2010年6月5日"  # no zero padding
    assert zh.date_arabic(day, precision="month") == "2010年6月"
    assert zh.date_chinese(day) == "二〇一〇年六月五日"
    assert "\u3007" in zh.date_chinese(day) and "○" not in zh.date_chinese(day)
    assert zh.date_chinese("2021-12-31") == "二〇二一年十二月三十一日"


def test_join():
    assert zh.join(["甲", "乙", "丙"]) == "甲、乙和丙"
    assert zh.join(["甲", "乙", "丙"], last="及") == "甲、乙及丙"
    assert zh.join(["甲", "乙"], last=None) == "甲、乙"
    assert zh.join(["甲"]) == "甲"


def test_fullwidth_punctuation_only_next_to_chinese():
    assert zh.fullwidth_punctuation("同志们:") == "同志们："
    assert zh.fullwidth_punctuation("(一)总体要求,深入开展;好!") == "（一）总体要求，深入开展；好！"
    assert zh.fullwidth_punctuation("version 1.5, see (a)") == "version 1.5, see (a)"


def test_to_simplified():
    assert zh.to_simplified("創先爭優活動著重圍繞") == "创先争优活动着重围绕"


def test_numeral_rejects_nonsense():
    with pytest.raises(TypeError):
        zh.numeral("3")
    with pytest.raises(ValueError):
        zh.numeral(-1)


@pytest.mark.parametrize(("start", "end", "label", "text"), [
    ("2024-04-01", "2024-04-30", None, "2024年4月"),  # a whole month
    ("2024-05-01", "2024-06-30", None, "2024年5月至6月"),
    ("2024-12-01", "2025-01-31", None, "2024年12月至2025年1月"),
    ("2024-07-03", "2024-07-31", None, "2024年7月3日至31日"),  # the month said once
    ("2024-04-03", "2024-07-31", None, "2024年4月3日至7月31日"),  # the year said once
    ("2024-12-20", "2025-01-10", None, "2024年12月20日至2025年1月10日"),
    ("2010-06-01", None, "2010年“七一”前", "2010年6月至“七一”前"),
    ("2019-09-09", None, "9月20日前", "2019年9月9日至20日前"),
    ("2011-07-01", None, "党的十八大召开前", "2011年7月至党的十八大召开前"),
])
def test_date_ranges_as_a_clerk_writes_them(start, end, label, text):
    assert zh.date_range(start, end, end_label=label) == text
