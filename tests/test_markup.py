"""Markdown + front matter → model: numbering, run-in heads, lists, line joining, refusals."""

import pytest

from docgen.engines.markdown import from_markup as parse
from docgen.errors import DocgenError
from docgen.model import Closing, Heading, ListBlock, Paragraph, Salutation

TEXT = """---
kind: speech
title: "标题"
salutation: 同志们：
closing: 谢谢大家！
---
# 第一部分

## 总体要求。

深入开展活动，
要认真贯彻。

### 小标题。

正文。

#### 细项。

细项正文。

## 第二点

# 第二部分

## 又一个

1. 甲
2. 乙
"""


def test_blocks_numbering_and_run_in():
    doc = parse(TEXT)
    assert doc.meta.title == "标题" and doc.meta.kind == "speech"
    assert isinstance(doc.blocks[0], Salutation) and isinstance(doc.blocks[-1], Closing)
    assert doc.paragraphs_text() == [
        "同志们：",
        "一、第一部分",
        "（一）总体要求。深入开展活动，要认真贯彻。",  # run-in; the line break vanishes between 汉字
        "1.小标题。正文。",
        "（1）细项。细项正文。",
        "（二）第二点",
        "二、第二部分",
        "（一）又一个",  # level 2 restarts under a new level 1
        "1.甲",
        "2.乙",
        "谢谢大家！",
    ]
    run_in = doc.blocks[2]
    assert isinstance(run_in, Paragraph) and run_in.lead.level == 2
    assert isinstance(doc.blocks[5], Heading) and doc.blocks[5].level == 2  # no 。: stands alone
    assert isinstance(doc.blocks[-2], ListBlock) and doc.blocks[-2].ordered


def test_latin_lines_join_with_a_space():
    assert parse("see the\nmanual").paragraphs_text() == ["see the manual"]


def test_indented_text_is_refused_as_a_code_block():
    with pytest.raises(DocgenError, match="code block"):
        parse("段落\n\n    缩进的行\n")


def test_fifth_level_is_refused():
    with pytest.raises(DocgenError, match="four levels"):
        parse("##### 太深\n")
