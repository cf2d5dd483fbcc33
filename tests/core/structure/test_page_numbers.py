"""Page-number lines left by a PDF/Word conversion are dropped, and the sentence they split is joined again."""

from __future__ import annotations

from app.core.structure import parse_document
from app.core.structure._text import drop_page_numbers

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
