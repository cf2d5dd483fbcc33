"""What an export contains (app.core.export.model): cleaning, the labels of departments, indicators and
deadlines, the facts under a clause, grouping by document, and the scopes."""

from __future__ import annotations

import datetime as dt

import pytest

from app.core.export.model import (
    ClauseSummary,
    DeptRef,
    ExportOptions,
    ExportSet,
    IndicatorRef,
    Scope,
    TaskFields,
    clean_text,
    group_heading,
    one_line,
)


def _item(cid: str, doc: str, title: str, **kw: object) -> ClauseSummary:
    base: dict[str, object] = dict(clause_id=cid, doc_id=doc, doc_title=title, doc_kind="规划", level="task",
                                   heading="加强移动源清洁化攻坚", location="四、（一）“加强移动源清洁化攻坚”",
                                   text="全面淘汰国四柴油货车。", full_text="加强移动源清洁化攻坚。全面淘汰国四柴油货车。")
    base.update(kw)
    return ClauseSummary(**base)  # type: ignore[arg-type]


def test_clean_text_and_one_line() -> None:
    assert clean_text(None) == "" and clean_text("") == ""
    assert clean_text("甲\r\n乙\r丙\x00\x1b\x7f\ud800丁") == "甲\n乙\n丙丁"
    assert one_line("  甲\n\t乙\x00  丙 ") == "甲 乙 丙"


def test_group_heading_quotes_a_title_once() -> None:
    assert group_heading("上海市大气污染防治条例") == "《上海市大气污染防治条例》"
    assert group_heading("《已有书名号》") == "《已有书名号》"


def test_department_label_names_its_source() -> None:
    assert DeptRef("市生态环境局", "lead", "explicit").label == "市生态环境局（原文）"
    assert DeptRef("市交通委", "support", "table").label == "市交通委（分工表）"
    assert DeptRef("市水务局", "lead", "inferred").label == "市水务局（推断）"
    assert DeptRef("某局", "lead", "odd").label == "某局（odd）"  # an unknown source is shown as is


def test_indicator_text_marks_a_plan_period_year_and_progress() -> None:
    assert IndicatorRef("国四柴油货车淘汰率", "100%", "%", 2030).text == "国四柴油货车淘汰率 100%（2030年）"
    assert IndicatorRef("PM2.5年均浓度", "≤25微克/立方米", "微克/立方米", 2030, deadline_source="period").text == \
        "PM2.5年均浓度 ≤25微克/立方米（2030年，按规划期）"
    assert IndicatorRef("生态文明", "", "", None).text == "生态文明"
    tracked = IndicatorRef("生活垃圾回收利用率", "55%", "%", None, progress="2024年 44.6%，完成46%，进度正常")
    assert tracked.text == "生活垃圾回收利用率 55%【进度：2024年 44.6%，完成46%，进度正常】"


def test_task_fields_from_a_dict() -> None:
    t = TaskFields.from_dict({"status": " 进行中\n", "due": "2026-06-30", "note": " 每月\x00报送 ",
                              "tags": "重点、督办, 季度；年度"})
    assert (t.status, t.due, t.note, t.tags) == ("进行中", "2026-06-30", "每月报送", ("重点", "督办", "季度", "年度"))
    listed = TaskFields.from_dict({"tags": ["甲", " ", "乙 丙"], "status": None})
    assert listed.tags == ("甲", "乙 丙") and listed.status == "" and listed.note == ""


def test_citation_deadline_label_and_facts() -> None:
    plain = _item("p/四/（一）/1", "p", "美丽上海建设“十五五”规划")
    assert plain.citation == "《美丽上海建设“十五五”规划》四、（一）“加强移动源清洁化攻坚”"
    assert plain.deadline_label == "" and plain.facts() == [("出处", plain.citation)]  # empty values left out

    full = _item("p/四/（一）/1", "p", "规划", lead=(DeptRef("市生态环境局", "lead", "explicit"),),
                 support=(DeptRef("市交通委", "support", "table"), DeptRef("市公安局", "support", "inferred")),
                 indicators=(IndicatorRef("淘汰率", "100%", "%", 2030), IndicatorRef("达标率", "95%", "%", None)),
                 deadline="2030年", deadline_source="inherited",
                 task=TaskFields(status="进行中", due="2026-06-30", tags=("重点", "督办")))
    assert full.deadline_label == "2030年（规划期限）"
    assert full.facts() == [
        ("出处", "《规划》四、（一）“加强移动源清洁化攻坚”"),
        ("牵头单位", "市生态环境局（原文）"),
        ("配合单位", "市交通委（分工表）、市公安局（推断）"),
        ("指标", "淘汰率 100%（2030年）；达标率 95%"),
        ("完成时限", "2030年（规划期限）"),
        ("状态", "进行中"), ("到期", "2026-06-30"), ("标签", "重点、督办"),
    ]
    assert _item("x", "d", "t", deadline="2028年", deadline_source="mystery").deadline_label == "2028年"


def test_export_set_subtitle_groups_and_cleaning() -> None:
    a1, b1, a2 = _item("a/1", "a", "甲文件"), _item("b/1", "b", "乙文件"), _item("a/2", "a", "甲文件")
    data = ExportSet(title="摘编\x00", items=(a1, b1, a2), scope="clauses", generated=dt.date(2026, 3, 1),
                     notices=("注意\x07",))
    assert data.subtitle == "（共3条，2026年3月1日导出）"
    assert data.groups() == [("甲文件", [a1, a2]), ("乙文件", [b1])]  # first-seen order, items kept in order
    dirty = _item("a/3", "a", "甲\x01文件", heading="头\x02", task=TaskFields(note="备注\x1f", tags=("标\x03",)),
                  lead=(DeptRef("局\x04", "lead", "explicit"),))
    cleaned = ExportSet(title="摘编\x00", items=(dirty,), scope="clauses", notices=("注意\x07",)).cleaned()
    it = cleaned.items[0]
    assert cleaned.title == "摘编" and cleaned.notices == ("注意",)
    assert (it.doc_title, it.heading, it.lead[0].name) == ("甲文件", "头", "局")
    assert it.task is not None and (it.task.note, it.task.tags) == ("备注", ("标",))
    assert data.items[0] is a1  # the original is left alone (frozen)


def test_default_date_is_today() -> None:
    assert ExportSet(title="t", items=(), scope="clauses").generated == dt.date.today()
    assert ExportOptions().generated is None and ExportOptions().layout == "gongwen"


@pytest.mark.parametrize(("scope", "expected"), [
    (Scope.of_clauses(["a/1", "a/2"], title="摘编"), ("clauses", ("a/1", "a/2"), "", "", "摘编")),
    (Scope.of_query("碳达峰", all_versions=True), ("query", (), "碳达峰", "", "")),
    (Scope.of_document("plan"), ("doc", (), "", "plan", "")),
    (Scope.of_indicators("指标"), ("indicators", (), "", "", "指标")),
])
def test_scope_constructors(scope: Scope, expected: tuple[object, ...]) -> None:
    assert (scope.kind, scope.clause_ids, scope.query, scope.doc_id, scope.title) == expected


def test_department_and_task_scopes() -> None:
    d = Scope.of_department("市生态环境局", roles=["lead"])
    assert (d.kind, d.department, d.roles) == ("department", "市生态环境局", ("lead",))
    assert Scope.of_department("x").roles == ("lead", "support")
    assert Scope.of_query("q").all_versions is False and Scope.of_query("q", all_versions=True).all_versions
    t = Scope.of_tasks([{"clause_id": "a/1", "status": "未开始"}])
    assert t.kind == "tasks" and t.tasks == ({"clause_id": "a/1", "status": "未开始"},)
