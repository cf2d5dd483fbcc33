"""Plan parser: numbering systems nested in order of appearance, sequences, bold tasks, 专栏 and 附件."""

from __future__ import annotations

import pytest

from app.core.models import Clause
from app.core.structure._build import ClauseBuilder
from app.core.structure._text import Line, Para, body_lines
from app.core.structure.plan import PREAMBLE_LABEL, _box_or_annex, _closed, is_plan_heading, parse_plan

PLAN = """为推进工作，制定本规划。
一、总体要求
（一）指导思想
坚持绿色发展。
（二）主要目标
到2030年，生态环境质量全面改善。
二、重点任务
（一）推进减污降碳
**健全双控制度。**全面实施双控。
**完善统计核算。**建立核算体系。
1.推进光伏开发。加快建设分布式光伏。
2.加快风电建设；
（1）推进海上风电；
（2）探索氢能应用。
专栏1 重点工程
1.光伏工程：实施专项工程。
2.风电工程：推进示范。
（二）强化监管
附件1：任务分工
一、分工原则
"""


def _parse(text: str) -> tuple[list[Clause], list[str]]:
    builder = ClauseBuilder("p")
    warnings = parse_plan(body_lines(text), builder)
    return list(builder.build()), warnings


def test_is_plan_heading() -> None:
    assert is_plan_heading("一、总体要求") and is_plan_heading("（二）主要目标") and is_plan_heading("第三章 任务")
    assert not is_plan_heading("美丽上海建设规划") and not is_plan_heading("")


@pytest.mark.parametrize(
    ("line", "kind", "label"),
    [
        (Line("text", 0, "专栏1 重点工程"), "box", "1"),
        (Line("text", 0, "专栏 重点工程"), "box", None),
        (Line("table", 0, "| 专栏2：重点项目 |"), "box", "2"),
        (Line("text", 0, "附件1：任务分工"), "annex", "1"),
        (Line("heading", 2, "附件"), "annex", None),
    ],
)
def test_box_or_annex(line: Line, kind: str, label: str | None) -> None:
    found = _box_or_annex(line, line.text)
    assert found is not None and found[0] == kind and found[1].group(1) == label


@pytest.mark.parametrize(
    "line",
    [
        Line("text", 0, "专栏内容应当按照规定填写并报送有关部门审核。"),  # a sentence, not a heading
        Line("text", 0, "附近的居民"),
        Line("text", 0, "专栏" + "长" * 70),
        Line("text", 0, "重点工程"),
    ],
)
def test_not_box_or_annex(line: Line) -> None:
    assert _box_or_annex(line, line.text) is None


def test_closed_headings_take_no_continuation() -> None:
    assert _closed(Para(Line("text", 0, "（一）主要目标"), ["（一）主要目标"]))
    assert _closed(Para(Line("text", 0, "专栏1 重点工程"), ["专栏1 重点工程"]))
    assert not _closed(Para(Line("text", 0, "（一）加强领导，各区要落实"), ["（一）加强领导，各区要落实。"]))
    assert not _closed(Para(Line("text", 0, "一、"), ["一、"]))  # a number without a heading
    assert not _closed(Para(Line("text", 0, "甲"), ["甲", "乙"]))


def test_plan_tree() -> None:
    clauses, warnings = _parse(PLAN)
    assert warnings == []
    tree = [(c.id, c.level, c.heading, c.parent_id) for c in clauses]
    assert tree == [
        (f"p/{PREAMBLE_LABEL}", "preamble", "", None),
        ("p/一", "chapter", "总体要求", None),
        ("p/一/（一）", "section", "指导思想", "p/一"),
        ("p/一/（二）", "section", "主要目标", "p/一"),
        ("p/二", "chapter", "重点任务", None),
        ("p/二/（一）", "section", "推进减污降碳", "p/二"),
        ("p/二/（一）/1", "task", "健全双控制度。", "p/二/（一）"),
        ("p/二/（一）/2", "task", "完善统计核算。", "p/二/（一）"),
        ("p/二/（一）/2/1", "item", "推进光伏开发。", "p/二/（一）/2"),
        ("p/二/（一）/2/2", "item", "", "p/二/（一）/2"),
        ("p/二/（一）/2/2/（1）", "item", "", "p/二/（一）/2/2"),
        ("p/二/（一）/2/2/（2）", "item", "", "p/二/（一）/2/2"),
        ("p/二/（一）/专栏1", "block", "重点工程", "p/二/（一）"),
        ("p/二/（二）", "section", "强化监管", "p/二"),
        ("p/附件1", "block", "任务分工", None),
        ("p/附件1/一", "chapter", "分工原则", "p/附件1"),
    ]
    by_id = {c.id: c for c in clauses}
    assert by_id["p/二/（一）/1"].text == "全面实施双控。"
    assert by_id["p/二/（一）/2/1"].text == "加快建设分布式光伏。"
    assert by_id["p/二/（一）/2/2/（1）"].text == "推进海上风电；"
    # The lists inside the box stay in the box: they are not the plan's items.
    assert by_id["p/二/（一）/专栏1"].text == "1.光伏工程：实施专项工程。\n2.风电工程：推进示范。"
    assert by_id["p/二/（一）/1"].path == ("二、重点任务", "（一）推进减污降碳", "健全双控制度。")
    assert by_id["p/二/（一）/1"].number_value == 1 and by_id["p/二/（一）/2"].number_value == 2


def test_a_number_out_of_sequence_is_text() -> None:
    clauses, warnings = _parse("一、总体要求\n3.这是一个编号不连续的文本行。\n二、主要任务\n")
    assert [c.id for c in clauses] == ["p/一", "p/二"]
    assert clauses[0].text == "3.这是一个编号不连续的文本行。"
    assert warnings == []


def test_a_heading_shaped_line_out_of_sequence_is_kept_with_a_warning() -> None:
    clauses, warnings = _parse("## 一、总体要求\n正文。\n## 三、保障措施\n正文。\n")
    assert [(c.id, c.number_value) for c in clauses] == [("p/一", 1), ("p/三", 3)]
    assert warnings == ["规划编号不连续：一之后为三"]


def test_a_list_that_turned_out_text_keeps_its_items_as_text() -> None:
    # A system seen first nests under the innermost open heading: （一） goes below item 2. Then a new 1. does
    # not continue the open list (2 → 3), so it is text, and so is the 2. that continues it.
    clauses, _ = _parse("一、总体要求\n1.第一项。\n2.第二项。\n（一）主要目标\n正文。\n1.另一个列表的第一项\n2.另一个列表的第二项\n")
    assert [c.id for c in clauses] == ["p/一", "p/一/1", "p/一/2", "p/一/2/（一）"]
    assert clauses[-1].text == "正文。\n1.另一个列表的第一项\n2.另一个列表的第二项"


def test_empty_plan() -> None:
    assert _parse("") == ([], [])
