"""Law and generic outline: 编/章/节 containers, 第X条 articles, headings and text blocks."""

from __future__ import annotations

from app.core import models
from app.core.models import Clause
from app.core.structure._build import ClauseBuilder
from app.core.structure._text import Line, body_lines
from app.core.structure.outline import (
    ARTICLE,
    BLOCK_CHARS,
    CONTAINER,
    PREAMBLE_LABEL,
    _tidy,
    match_container,
    parse_outline,
)

LAW = """根据宪法，制定本法。
第一章 总　　则
第一条 为了保护和改善环境，制定本法。
第二条 本法所称环境，是指影响人类生存和发展的各种天然的和经过人工改造的自然因素的总体，
包括大气、水、海洋。
第二章 监督管理
第一节 规划
第三条 国家制定环境保护规划。
第三条之一 省级人民政府编制规划。
第二节 标准
第四条 国务院制定环境质量标准：
（一）大气；
（二）水。
第三章 附则
第五条 本法自2015年1月1日起施行。
第五条 重复的编号。
"""


def _parse(text: str, *, law: bool) -> tuple[list[Clause], list[str]]:
    builder = ClauseBuilder("doc")
    warnings = parse_outline(body_lines(text), builder, law=law)
    return list(builder.build()), warnings


def test_patterns() -> None:
    art = ARTICLE.match("第十二条之一 内容")
    assert art is not None and art.groups() == ("十二", "一")
    assert ARTICLE.match("第十二条规定的") is None  # not followed by a space
    con = CONTAINER.match("第三章　监督管理")
    assert con is not None and con.groups() == ("三", "章", "监督管理")


def test_tidy() -> None:
    assert _tidy("总　　则") == "总则"
    assert _tidy("Part  one   总则") == "Part one 总则"


def test_match_container_by_line_shape() -> None:
    assert match_container(Line("text", 0, "第二章 监督管理")) is not None
    assert match_container(Line("heading", 2, "第二章 监督管理的若干事项很长很长很长很长很长很长很长很长。")) is not None
    assert match_container(Line("text", 0, "第二章 规定的事项应当遵守。")) is None  # a finished sentence
    assert match_container(Line("text", 0, "第二章的规定")) is None
    assert match_container(Line("table", 0, "第二章 监督管理")) is None


def test_law_outline() -> None:
    clauses, warnings = _parse(LAW, law=True)
    by_id = {c.id: c for c in clauses}
    # Containers nest their ids; articles are numbered through the whole law, so their ids stay flat.
    assert [(c.id, c.parent_id) for c in clauses] == [
        (f"doc/{PREAMBLE_LABEL}", None),
        ("doc/第一章", None), ("doc/第一条", "doc/第一章"), ("doc/第二条", "doc/第一章"),
        ("doc/第二章", None), ("doc/第二章/第一节", "doc/第二章"), ("doc/第三条", "doc/第二章/第一节"),
        ("doc/第三条之一", "doc/第二章/第一节"),
        ("doc/第二章/第二节", "doc/第二章"), ("doc/第四条", "doc/第二章/第二节"),
        ("doc/第三章", None), ("doc/第五条", "doc/第三章"), ("doc/第五条~2", "doc/第三章"),
    ]
    assert by_id[f"doc/{PREAMBLE_LABEL}"].level == models.LEVEL_PREAMBLE
    chapter = by_id["doc/第一章"]
    assert (chapter.level, chapter.heading, chapter.number_value, chapter.path) == ("chapter", "总则", 1, ("第一章 总则",))
    art2 = by_id["doc/第二条"]
    assert art2.text.endswith("自然因素的总体，包括大气、水、海洋。")  # a hard-wrapped sentence joined again
    section = by_id["doc/第二章/第一节"]
    assert (section.level, section.parent_id) == (models.LEVEL_SUBSECTION, "doc/第二章")
    art3 = by_id["doc/第三条之一"]
    assert (art3.level, art3.number, art3.number_value) == ("article", "第三条之一", 3)
    assert art3.path == ("第二章 监督管理", "第一节 规划", "第三条之一")
    assert by_id["doc/第四条"].text == "国务院制定环境质量标准：\n（一）大气；\n（二）水。"
    assert warnings == ["条文编号重复：第五条"]


def test_generic_outline_headings_and_blocks() -> None:
    text = "# 工作总结\n前言一段。\n## 一、基本情况\n情况说明。\n一、另起的条目\n条目内容。\n**加粗小标题**\n小标题下的文字。\n"
    clauses, warnings = _parse(text, law=False)
    assert warnings == []
    assert [(c.level, c.heading, c.path) for c in clauses] == [
        ("block", "工作总结", ("工作总结",)),
        ("block", "基本情况", ("工作总结", "一、基本情况")),
        ("block", "", ("工作总结", "一、基本情况", "一、")),
        ("block", "加粗小标题", ("工作总结", "一、基本情况", "加粗小标题")),
    ]
    assert [c.text for c in clauses] == ["前言一段。", "情况说明。", "一、另起的条目\n条目内容。", "小标题下的文字。"]
    assert clauses[1].number == "一" and clauses[1].number_value == 1
    assert clauses[2].parent_id == clauses[1].id


def test_long_text_is_cut_into_blocks() -> None:
    para = "甲" * (BLOCK_CHARS // 2 - 10) + "。"
    clauses, _ = _parse("\n".join([para] * 4), law=False)
    assert len(clauses) == 2 and all(c.path == ("正文",) for c in clauses)
    assert all(len(c.text) <= BLOCK_CHARS + 1 for c in clauses)
    assert [c.id for c in clauses] == ["doc/¶1", "doc/¶2"]


def test_generic_text_before_any_heading_is_no_preamble() -> None:
    clauses, _ = _parse("第一段。\n第二段。\n", law=False)
    assert [(c.level, c.text) for c in clauses] == [("block", "第一段。\n第二段。")]
