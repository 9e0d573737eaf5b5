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
