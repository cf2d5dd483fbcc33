"""Numbering systems of Chinese policy documents: matching a numbered line, inline headings, heading shapes."""

from __future__ import annotations

import pytest

from app.core.structure.numbering import (
    ANNEX,
    ARABIC,
    ARABIC_CLOSE,
    BOX,
    CHAPTER,
    CIRCLED,
    CN,
    INLINE_HEADING,
    PAREN_ARABIC,
    PAREN_CN,
    PART,
    SHORT_HEADING,
    STRONG_HEADING,
    SUBSECTION,
    VOLUME,
    System,
    is_heading_line,
    is_list_item,
    match_number,
    split_inline,
    strip_final,
)


def test_system_ranks_and_kinds() -> None:
    assert PART.rank == VOLUME.rank == 0 < CHAPTER.rank == 1 < SUBSECTION.rank == 2  # type: ignore[operator]
    assert all(s.rank is None for s in (CN, PAREN_CN, ARABIC, ARABIC_CLOSE, PAREN_ARABIC, CIRCLED))
    assert {s.key for s in (ARABIC, ARABIC_CLOSE, PAREN_ARABIC, CIRCLED) if s.item} == {"1.", "1）", "（1）", "①"}
    assert not any(s.item for s in (PART, VOLUME, CHAPTER, SUBSECTION, CN, PAREN_CN))
    assert INLINE_HEADING < SHORT_HEADING < STRONG_HEADING


@pytest.mark.parametrize(
    ("text", "system", "label", "prefix", "value", "rest"),
    [
        ("一、总体要求", CN, "一", "一、", 1, "总体要求"),
        ("十二．保障措施", CN, "十二", "十二、", 12, "保障措施"),
        ("（三）主要目标", PAREN_CN, "（三）", "（三）", 3, "主要目标"),
        ("(四) 加强领导", PAREN_CN, "（四）", "（四）", 4, "加强领导"),
        ("（12）推进光伏", PAREN_ARABIC, "（12）", "（12）", 12, "推进光伏"),
        ("3.加快建设。", ARABIC, "3", "3.", 3, "加快建设。"),
        ("２、完善机制", ARABIC, "2", "２、", 2, "完善机制"),
        ("5）强化监管", ARABIC_CLOSE, "5）", "5）", 5, "强化监管"),
        ("③推进试点", CIRCLED, "③", "③", 3, "推进试点"),
        ("第二章 总则", CHAPTER, "第二章", "第二章 ", 2, "总则"),
        ("第一部分：发展基础", PART, "第一部分", "第一部分 ", 1, "发展基础"),
        ("第三篇 绿色发展", VOLUME, "第三篇", "第三篇 ", 3, "绿色发展"),
        ("第4节 监督", SUBSECTION, "第4节", "第4节 ", 4, "监督"),
    ],
)
def test_match_number(text: str, system: System, label: str, prefix: str, value: int, rest: str) -> None:
    num = match_number(text)
    assert num is not None
    assert (num.system, num.label, num.prefix, num.value, num.rest) == (system, label, prefix, value, rest)


@pytest.mark.parametrize("text", ["", "总体要求", "2030年目标", "1.5倍", "第二章的规定", "第三条 内容", "一是加强"])
def test_not_numbered(text: str) -> None:
    assert match_number(text) is None


def test_box_and_annex_patterns() -> None:
    box = BOX.match("专栏1 能源绿色低碳转型重点工程")
    assert box is not None and (box.group(1), box.group(2)) == ("1", "能源绿色低碳转型重点工程")
    annex = ANNEX.match("附件２：任务分工表")
    assert annex is not None and (annex.group(1), annex.group(2)) == ("２", "任务分工表")
    assert BOX.match("专项资金") is None


def test_split_inline() -> None:
    assert split_inline("加强组织领导。各地区要落实责任。") == ("加强组织领导。", "各地区要落实责任。")
    assert split_inline("主要目标：到2030年，基本建成。") == ("主要目标：", "到2030年，基本建成。")
    assert split_inline("各区要落实责任，加强协调，形成合力。") == ("", "各区要落实责任，加强协调，形成合力。")
    assert split_inline("未依法取得许可证；") == ("", "未依法取得许可证；")
    long = "甲" * (INLINE_HEADING + 1) + "。后文"
    assert split_inline(long) == ("", long)
    assert split_inline("。开头就是句号") == ("", "。开头就是句号")


@pytest.mark.parametrize(
    ("text", "heading"),
    [
        ("总体要求", True),
        ("加强组织领导", True),
        ("加强组织领导。", False),
        ("未依法取得许可证的；", False),
        ("主要目标：", False),
        ("各区要落实。其余", False),
        ("甲" * (SHORT_HEADING + 1), False),
        ("", False),
    ],
)
def test_is_heading_line(text: str, heading: bool) -> None:
    assert is_heading_line(text) is heading


def test_list_items_and_final_marks() -> None:
    assert is_list_item("未依法取得许可证的；") and is_list_item("甲、") and not is_list_item("加强领导。")
    assert not is_list_item("")
    assert strip_final("加强组织领导。") == "加强组织领导"
    assert strip_final("主要目标：　") == "主要目标"
    assert strip_final("总体要求") == "总体要求"
