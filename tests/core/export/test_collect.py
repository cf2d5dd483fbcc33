"""Turning a Scope into an ExportSet (app.core.export.collect): citations by the document's own numbering,
display headings, excerpts, the summary of one clause with its links, and `collect` on the real library."""

from __future__ import annotations

import pytest

from app.core.errors import Cancelled
from app.core.export import ExportError, ExportOptions, Scope
from app.core.export.collect import (
    QUOTE_CHARS,
    cite_label,
    collect,
    display_heading,
    excerpt,
    lead_sentence,
    location,
    progress_text,
    summarize,
    tracked_progress,
)
from app.core.library import Library
from app.core.links.service import ClauseLinks
from app.core.models import Clause, Deadline, DepartmentLink, Document, Indicator
from app.core.progress import CancelToken
from app.core.userdata.progress import IndicatorProgress

PLAN = "美丽上海建设十五五规划-征求意见稿"
TASK = f"{PLAN}/四/（二）/3"
LONG = "全面深化上海碳市场改革并健全碳排放双控制度体系和碳普惠运行管理机制。"


def _c(cid: str, level: str, number: str, heading: str = "", text: str = "", parent: str | None = None,
       path: tuple[str, ...] = ()) -> Clause:
    return Clause(id=cid, doc_id="d", ordinal=0, level=level, number=number, number_value=None, heading=heading,
                  path=path or (heading or number,), text=text, parent_id=parent)


CHAPTER = _c("d/四", "chapter", "四", "加强污染防治")
SECTION = _c("d/四/（二）", "section", "（二）", "深入打好蓝天保卫战", parent="d/四")
TASK_C = _c("d/四/（二）/1", "task", "1", LONG, "健全配额总量管理制度。", parent="d/四/（二）")
ITEM = _c("d/四/（二）/2", "item", "2", "", "建设站点。", parent="d/四/（二）")
SUB = _c("d/四/（二）/2/（1）", "item", "（1）", "", "细则。", parent="d/四/（二）/2")
BY_ID = {c.id: c for c in (CHAPTER, SECTION, TASK_C, ITEM, SUB)}


@pytest.mark.parametrize(("number", "label"), [
    ("四", "四、"), ("（二）", "（二）"), ("(3)", "(3)"), ("2", "2. "), ("1）", "1）"), ("第五条", "第五条"),
    ("第二节", "第二节"), ("⑩", "⑩"), ("", ""),
])
def test_cite_label_by_numbering_system(number: str, label: str) -> None:
    assert cite_label(_c("d/x", "item", number)) == label


def test_circled_numbers_one_to_nine_are_cited_as_printed() -> None:
    assert cite_label(_c("d/x", "item", "①")) == "①"  # '①'.isdigit() is True: it must not read as 1.
    assert cite_label(_c("d/x", "item", "⑨")) == "⑨" and cite_label(_c("d/x", "item", "⑩")) == "⑩"
    assert cite_label(_c("d/x", "item", "12")) == "12. "


def test_a_task_is_cited_by_its_lead_sentence_cut_inside_the_quotes() -> None:
    assert lead_sentence(TASK_C) == LONG.rstrip("。")
    label = cite_label(TASK_C)
    assert label == "“" + LONG[: QUOTE_CHARS - 2] + "……”"
    assert lead_sentence(_c("d/t", "task", "2", "", "推进治理。其余文字。")) == "推进治理"  # no heading: first sentence
    assert cite_label(_c("d/t", "task", "3", "", "")) == ""


def test_location_walks_the_parents() -> None:
    assert location(CHAPTER, BY_ID) == "四、加强污染防治"  # a container with its heading
    assert location(SECTION, BY_ID) == "四、（二）深入打好蓝天保卫战"
    assert location(TASK_C, BY_ID) == "四、（二）“" + LONG[: QUOTE_CHARS - 2] + "……”"
    assert location(ITEM, BY_ID) == "四、（二）2."
    assert location(SUB, BY_ID) == "四、（二）2. （1）"
    assert location(_c("d/序言", "preamble", ""), BY_ID) == "序言"
    assert location(_c("d/第五条", "article", "第五条", path=("第一章 总则", "第五条")), BY_ID) == "第五条"
    assert location(_c("d/b", "block", "", path=("  附件\n一 ",)), BY_ID) == "附件 一"
    looped = _c("d/loop", "item", "3", parent="d/loop")  # a parent cycle never hangs
    assert location(looped, {"d/loop": looped}) == "3."


def test_display_heading() -> None:
    assert display_heading(TASK_C) == LONG.rstrip("。")
    assert display_heading(_c("d/序言", "preamble", "", "前言")) == "序言"
    assert display_heading(_c("d/第五条", "article", "第五条")) == "第五条"
    assert display_heading(_c("d/i", "item", "一", "", "文字", path=("一、",))) == "一"
    text = "这是一段非常长的没有标题的条文内容需要被截断显示出来才行的"
    assert display_heading(_c("d/y", "item", "3", "", text, path=("",))) == text[:24] + "…"


def test_excerpt() -> None:
    assert excerpt("a  b\n c", ["x"], 20) == ("a b c", False)
    assert excerpt("甲" * 100, [], 20) == ("甲" * 20 + "……", True)  # no hit: the opening
    assert excerpt("甲" * 100 + "碳达峰", ["碳达峰"], 20) == ("……" + "甲" * 17 + "碳达峰", True)  # never past the end
    cut, was_cut = excerpt("甲" * 50 + "碳达峰" + "乙" * 50, ["碳达峰"], 20)
    assert was_cut and cut == "……" + "甲" * 5 + "碳达峰" + "乙" * 12 + "……"  # a quarter of the width before the hit


def test_summarize_with_links() -> None:
    links = ClauseLinks(
        departments=(DepartmentLink("市水务局", "lead", "table", 1.0, ""),
                     DepartmentLink("市交通委", "support", "inferred", 0.5, ""),
                     DepartmentLink("市公安局", "mentioned", "explicit", 1.0, "")),
        indicators=(Indicator("回收利用率", 55.0, "%", ">=", 2030, "达到55%以上"),
                    Indicator("生态文明", None, "", "", None, "", qualitative=True),
                    Indicator("处置能力", 1.5, "万吨", "~", None, "")),
        deadline=Deadline(2028, "2028-06-30", "explicit", None))
    doc = Document(id="d", title="滨海\n规划", kind="规划")
    s = summarize(TASK_C, doc, BY_ID, links, options=ExportOptions(), progress={"d/四/（二）/1#回收利用率": "进度"})
    assert (s.doc_title, s.heading, s.text, s.excerpt) == ("滨海 规划", LONG.rstrip("。"), "健全配额总量管理制度。", False)
    assert s.full_text == LONG + "健全配额总量管理制度。"
    assert [(d.name, d.source) for d in s.lead] == [("市水务局", "table")]
    assert [(d.name, d.source) for d in s.support] == [("市交通委", "inferred")]  # mentioned ones are left out
    assert [(i.name, i.target, i.progress) for i in s.indicators] == [("回收利用率", "≥55%", "进度"),
                                                                     ("生态文明", "定性", ""), ("处置能力", "约1.5万吨", "")]
    assert (s.deadline, s.deadline_source) == ("2028年6月30日", "explicit")
    year_only = summarize(ITEM, doc, BY_ID, ClauseLinks(deadline=Deadline(2030, None, "inherited", None)),
                          options=ExportOptions())
    assert (year_only.deadline, year_only.deadline_source, year_only.lead) == ("2030年", "inherited", ())
    cut = summarize(TASK_C, doc, BY_ID, ClauseLinks(), options=ExportOptions(excerpt=True, excerpt_chars=6),
                    needles=["总量"])
    assert cut.excerpt and cut.text == "……额总量管理制……" and cut.full_text == s.full_text


def test_progress_text() -> None:
    p = IndicatorProgress("on_track", 46.4, 2024, 44.6, 43.0, "up")
    assert progress_text(p, "%") == "2024年 44.6%，完成46%，进度正常"
    assert progress_text(IndicatorProgress("no_data", None, None, None, None, "up"), "%") == "暂无数据"


def test_collect_clauses_dedupes_and_keeps_the_order(library: Library) -> None:
    seen: list[str] = []
    data = collect(library, Scope.of_clauses([f" {TASK} ", f"{PLAN}/一", TASK, ""], title=" 我的\n摘编 "),
                   progress=lambda d, t, m: seen.append(m))
    assert [i.clause_id for i in data.items] == [TASK, f"{PLAN}/一"] and data.title == "我的 摘编"
    assert data.scope == "clauses" and data.notices == ()
    assert seen[0] == "正在收集条款…" and seen[-1] == "条款整理完成"
    assert collect(library, Scope.of_clauses([TASK])).title == "条款摘编"


def test_collect_query_caps_and_excerpts(library: Library) -> None:
    with pytest.raises(ExportError, match="请输入检索词"):
        collect(library, Scope.of_query("  "))
    full = library.search("双控制度", limit=1)
    data = collect(library, Scope.of_query("双控制度"), ExportOptions(max_results=1, excerpt=True, excerpt_chars=20))
    assert [i.clause_id for i in data.items] == [full.hits[0].id]
    assert data.notices == (f"检索共 {full.total} 条结果，只导出前 1 条。",) and full.total > 1
    assert len(data.items[0].text) <= 24


def test_collect_tasks_notes_missing_clauses_and_cancel(library: Library) -> None:
    data = collect(library, Scope.of_tasks([{"clause_id": TASK, "status": "进行中"}, {"clause_id": TASK, "status": "已完成"},
                                            {"clause_id": "不存在/第一条"}, {"status": "无编号"}]))
    assert [i.clause_id for i in data.items] == [TASK] and data.title == "任务清单"
    assert data.items[0].task is not None and data.items[0].task.status == "进行中"  # the first record wins
    assert data.notices == ("1 个任务的条款已不在文库中，未导出。",)
    token = CancelToken()
    token.cancel()
    with pytest.raises(Cancelled):
        collect(library, Scope.of_clauses([TASK]), cancel=token)


def test_tracked_progress(library: Library) -> None:
    assert tracked_progress(library) == {}
    row = next(r for r in library.indicator_rows() if r["name"] == "生活垃圾回收利用率")
    t = library.user.track_indicator(row["clause"], row["name"], target=50, unit="%", comparator=">=",
                                     deadline=2030, baseline=40, baseline_year=2020)
    library.user.set_indicator_value(t.key, 2024, 44.6, source="年度通报")
    assert tracked_progress(library) == {t.key: "2024年 44.6%，完成46%，进度正常"}
