"""Page-number lines left by a PDF/Word conversion are dropped, and the sentence they split is joined again.

Also the rest of `structure._text`: markup removal, line classification, the header split, paragraph assembly.
"""

from __future__ import annotations

import pytest

from app.core.structure import parse_document
from app.core.structure._text import (
    INFO_END,
    Line,
    Para,
    assemble,
    body_lines,
    clean_inline,
    drop_page_numbers,
    ends_sentence,
    split_header,
    strip_comments,
    to_line,
)

TEXT = """— 1 —

某区2024年垃圾分类工作方案

一、工作目标
到2024年底，生活垃圾回收利用率达到
- 2 -
45%以上，全区居住区分类达标率保持95%。
第3页 共9页
二、保障措施
（一）加强组织领导
各街道要落实责任。
"""


def test_page_number_lines_go_and_the_title_is_the_real_one() -> None:
    parsed = parse_document(TEXT, "d")
    assert parsed.title == "某区2024年垃圾分类工作方案"
    goal = next(c for c in parsed.clauses if c.path and c.path[-1].startswith("一、"))
    assert "回收利用率达到45%以上" in goal.text
    assert not any("页" in c.text or "—" in c.text for c in parsed.clauses)


def test_numbers_that_are_content_stay() -> None:
    kept = "2024\n计划投资3亿元—5亿元\n第3页的表格列出了项目。\n"
    assert drop_page_numbers(kept) == kept


# --- the rest of structure._text ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "ends"),
    [
        ("制定本法。", True),
        ("他说：“好。”", True),
        ("包括以下内容：", True),
        ("（见附件）", True),
        ("", True),
        ("总面积达到14.", False),  # "14." may be a number split by a page break
        ("See section A.", True),
        ("生活垃圾回收利用率达到", False),
        ("第一条\u3000", False),
    ],
)
def test_ends_sentence(text: str, ends: bool) -> None:
    assert ends_sentence(text) is ends


def test_clean_inline() -> None:
    assert clean_inline("**加粗**与<span class='x'>标签</span>") == "加粗与标签"
    assert clean_inline("见[通知](http://x/a.html)![图](a.png)") == "见通知"
    assert clean_inline("A&amp;B &lt;C&gt;") == "A&B <C>"
    assert clean_inline("a < b") == "a < b"


def test_strip_comments() -> None:
    assert strip_comments("甲<!-- FORCE BREAK -->乙<!--x-->丙") == "甲乙丙"
    assert strip_comments("甲<!-- unclosed") == "甲<!-- unclosed"
    assert strip_comments("无注释") == "无注释"


def test_to_line() -> None:
    assert to_line("   ") is None and to_line("---") is None and to_line("* * *") is None
    assert to_line("## 一、总体要求 ##") == Line("heading", 2, "一、总体要求")
    assert to_line("| 指标 | **目标** |") == Line("table", 0, "| 指标 | 目标 |")
    assert to_line("> 引用的段落") == Line("text", 0, "引用的段落")
    assert to_line("**全部加粗的一行**") == Line("text", 0, "全部加粗的一行", bold=True)
    lead = to_line("**健全双控制度。**全面实施双控。")
    assert lead == Line("text", 0, "健全双控制度。全面实施双控。", bold=False, lead="健全双控制度。")
    assert to_line("**加粗**后文") == Line("text", 0, "加粗后文")  # no final mark: no lead
    assert to_line("####### 七级") == Line("text", 0, "####### 七级")


def test_body_lines() -> None:
    lines = body_lines("第一行<br>第二行\n\n<!-- note -->\n# 标题\n")
    assert [(ln.kind, ln.text) for ln in lines] == [("text", "第一行"), ("text", "第二行"), ("heading", "标题")]


def test_assemble_joins_torn_sentences_only() -> None:
    lines = body_lines("生活垃圾回收利用率\n达到45%以上。\nEnglish words\nsplit here.\n三、其他规定\n新的段落。\n"
                       "（五）约定的其他\n共有部分。\n**加粗行**\n不接。\n")
    paras = assemble(lines, lambda line: line.text.startswith("（"))
    assert [p.text for p in paras] == [
        "生活垃圾回收利用率达到45%以上。",
        "English words split here.",
        "三、其他规定",  # a short 一、 line is a heading, never continued
        "新的段落。",
        "（五）约定的其他共有部分。",  # is_break only stops a line from continuing, it may be continued
        "加粗行",
        "不接。",
    ]
    closed = assemble(body_lines("甲\n乙\n"), lambda line: False, lambda para: True)
    assert [p.text for p in closed] == ["甲", "乙"]
    assert Para(Line("text", 0, "x"), ["a", "b"]).text == "ab"


def test_split_header_with_the_corpus_marker() -> None:
    text = f"---\nid: x\n---\n# 中华人民共和国\n# 环境保护法\n（2014年4月24日修订）\n<!-- c -->\n{INFO_END}\n第一条 正文。"
    header = split_header(text, lambda t: False)
    assert header.title == "中华人民共和国 环境保护法"
    assert header.history == ("（2014年4月24日修订）",)
    assert header.body == "第一条 正文。"


def test_split_header_plain() -> None:
    header = split_header("\n# 美丽上海建设规划\n（征求意见稿）\n一、总体要求\n", lambda t: t.startswith("一、"))
    assert (header.title, header.history, header.body) == ("美丽上海建设规划（征求意见稿）", (), "一、总体要求\n")
    structural = split_header("# 一、总体要求\n正文。", lambda t: t.startswith("一、"))
    assert structural.title == "" and structural.body == "# 一、总体要求\n正文。"
    no_title = split_header("正文第一行\n# 标题", lambda t: False)
    assert no_title.title == "" and no_title.body == "正文第一行\n# 标题"
