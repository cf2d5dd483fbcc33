"""Comparing two versions clause by clause: alignment against hand-made gold statuses (a 正式稿 of the plan,
two versions of a law), changed indicators and deadlines, character-level differences."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.core.compare import Comparison, Segment, compare, inline_marks
from app.core.compare.align import longest_increasing
from app.core.compare.textdiff import opcodes, segments
from app.core.library import Library
from app.core.models import Clause, Document
from tests.core.versions_fixtures import (
    FINAL,
    LAW_GOLD,
    LAW_NEW,
    LAW_OLD,
    PLAN,
    PLAN_GOLD,
    score,
    versions_dir,
    vlib,
)

__all__ = ["versions_dir", "vlib"]  # fixtures used here

MIN_PR = 0.95


@pytest.fixture(scope="module")
def plan_cmp(versions_dir: Path) -> Comparison:
    from app.core.paths import AppPaths

    lib = Library(AppPaths.resolve(versions_dir))
    try:
        return lib.compare(PLAN, FINAL)
    finally:
        lib.close()


@pytest.fixture(scope="module")
def law_cmp(versions_dir: Path) -> Comparison:
    from app.core.paths import AppPaths

    lib = Library(AppPaths.resolve(versions_dir))
    try:
        return lib.compare(LAW_OLD, LAW_NEW)
    finally:
        lib.close()


@pytest.mark.parametrize("which", ["plan", "law"])
def test_alignment_precision_and_recall_per_status(which: str, plan_cmp: Comparison, law_cmp: Comparison) -> None:
    cmp, gold_path = (plan_cmp, PLAN_GOLD) if which == "plan" else (law_cmp, LAW_GOLD)
    scores = score(cmp, gold_path)
    for status, s in scores.items():
        assert s["precision"] >= MIN_PR and s["recall"] >= MIN_PR, (status, s)
    # every clause of both versions is in exactly one pair
    assert sum(s["predicted"] for s in scores.values()) == sum(s["gold"] for s in scores.values()) == len(cmp.pairs)


def test_plan_summary_and_statuses(plan_cmp: Comparison) -> None:
    s = plan_cmp.summary
    assert s == {"modified": 7, "added": 3, "deleted": 1, "moved": 2, "unchanged": 72}
    assert plan_cmp.renumbered > 50  # chapters 三…九 became 四…十: every clause under them renumbered
    assert plan_cmp.summary_line().startswith("共比对 85 条：修改 7 条，新增 3 条，删除 1 条，移动 2 条，未变 72 条")
    by_old = {p.old.rel_id: p for p in plan_cmp.pairs if p.old}
    moved = by_old["七/（三）/3"]
    assert (moved.status, moved.new.rel_id if moved.new else None, moved.edited) == ("moved", "八/（一）/3", True)
    assert moved.explain() == "移动（原位于七、（三）3.），并有修改"
    reorder = by_old["八/（一）/1"]
    assert (reorder.status, reorder.edited) == ("moved", False)
    heading = by_old["七/（三）"]  # a section whose only text, its heading, was edited
    assert heading.status == "modified" and heading.reason == "same place"


def test_law_rewritten_article_in_place_is_modified(law_cmp: Comparison) -> None:
    by_old = {p.old.rel_id: p for p in law_cmp.pairs if p.old}
    p = by_old["第三十六条"]
    assert (p.status, p.new.rel_id if p.new else None) == ("modified", "第三十五条")
    assert p.renumbered and p.explain() == "修改（原第三十六条）"
    assert by_old["第三十条"].status == "deleted" and by_old["第四十一条"].status == "deleted"
    kept = by_old["第四十二条"]
    assert (kept.status, kept.new.rel_id if kept.new else None, kept.renumbered) == ("unchanged", "第四十条", True)


def test_changed_indicators_and_deadlines(plan_cmp: Comparison) -> None:
    text = [c.describe() for c in plan_cmp.changes]
    assert "指标“生活垃圾回收利用率”由50%（2030年）调整为55%（2028年）" in text
    assert "指标“森林覆盖率”由14.6%调整为15%" in text
    assert "完成时限由2030年调整为2028年" in text
    added = [c for c in plan_cmp.changes if c.change == "added"]
    assert [c.name for c in added] == ["美丽街区数量"] and added[0].where == "六、（四）4."
    waste = next(c for c in plan_cmp.changes if c.name == "生活垃圾回收利用率")
    assert waste.old_clause == f"{PLAN}/四/（五）/2" and waste.new_clause == f"{FINAL}/五/（五）/2"
    pair = next(p for p in plan_cmp.pairs if p.new and p.new.rel_id == "五/（五）/2")
    assert "指标“生活垃圾回收利用率”由50%（2030年）调整为55%（2028年）" in pair.explain()
    assert "到【删：2030】【增：2028】年，生活垃圾回收利用率达到【删：50%】【增：55%】" in pair.inline()


def test_segments_rebuild_both_texts(plan_cmp: Comparison, law_cmp: Comparison) -> None:
    for cmp in (plan_cmp, law_cmp):
        for p in cmp.pairs:
            if p.edited:
                assert p.old and p.new
                assert "".join(s.text for s in p.old_segments) == p.old.text
                assert "".join(s.text for s in p.new_segments) == p.new.text
                assert {s.kind for s in p.old_segments} <= {"same", "del"}
                assert {s.kind for s in p.new_segments} <= {"same", "ins"}
                deleted = "".join(p.old.text[a:b] for a, b in p.spans("old"))
                assert deleted == "".join(s.text for s in p.old_segments if s.kind == "del")
                added = "".join(p.new.text[a:b] for a, b in p.spans("new"))
                assert added == "".join(s.text for s in p.new_segments if s.kind == "ins")


def test_json_contract(plan_cmp: Comparison) -> None:
    data = plan_cmp.to_json()
    assert set(data) >= {"old_doc", "new_doc", "summary", "changes", "pairs", "summary_text"}
    pair = next(p for p in data["pairs"] if p["status"] == "modified")
    assert set(pair) >= {"status", "label", "old", "new", "old_segments", "new_segments", "changes", "explanation"}
    assert pair["old"]["location"] and pair["new"]["rel_id"]


# -- pure pieces ---------------------------------------------------------------------------------------
def test_numbers_and_percentages_change_as_one_unit() -> None:
    old, new = segments("到2030年回收利用率达到50%。", "到2028年回收利用率达到55%。")
    assert inline_marks(old, new) == "到【删：2030】【增：2028】年回收利用率达到【删：50%】【增：55%】。"


def test_width_of_brackets_and_digits_is_not_a_change() -> None:
    # 全国年节及纪念日放假办法 2013 → 2024: (一)新年 → （一）元旦; only the holiday's name changed.
    old, new = segments("(一)新年，放假1天(1月1日)；", "（一）元旦，放假1天（1月1日）；")
    assert inline_marks(old, new) == "（一）【删：新年】【增：元旦】，放假1天（1月1日）；"
    assert "".join(s.text for s in old) == "(一)新年，放假1天(1月1日)；"  # each side keeps its own characters


def test_short_unchanged_runs_between_edits_are_absorbed() -> None:
    ops = opcodes("全面实施碳排放", "全面落实碳排放")
    assert [op[0] for op in ops] == ["equal", "replace", "equal"]


def test_a_rewrite_is_one_deletion_and_one_insertion() -> None:
    old, new = segments("禁止音像制品经营者转承包经营。", "违反本条例规定的行为，按照有关规定处理。")
    assert old == (Segment("del", "禁止音像制品经营者转承包经营。"),)
    assert new == (Segment("ins", "违反本条例规定的行为，按照有关规定处理。"),)


def test_inline_context_trims_long_unchanged_runs() -> None:
    old, new = segments("甲" * 50 + "乙" + "丙" * 50, "甲" * 50 + "丁" + "丙" * 50)
    assert inline_marks(old, new, 3) == "…甲甲甲【删：乙】【增：丁】丙丙丙…"


def test_longest_increasing() -> None:
    assert sorted(longest_increasing([3, 1, 2])) == [1, 2]
    assert sorted(longest_increasing([0, 1, 2])) == [0, 1, 2]
    assert longest_increasing([]) == set()


def _clause(doc: str, rel: str, text: str, parent: str | None = None, level: str = "article") -> Clause:
    return Clause(id=f"{doc}/{rel}", doc_id=doc, ordinal=0, level=level, number=rel, number_value=None, heading="",
                  path=(rel,), text=text, parent_id=f"{doc}/{parent}" if parent else None)


def test_compare_without_links_reports_no_indicator_changes() -> None:
    a = Document(id="a", title="某某条例", kind="地方性法规")
    b = Document(id="b", title="某某条例", kind="地方性法规")
    old = [_clause("a", "第一条", "到2030年覆盖率达到50%。"), _clause("a", "第二条", "本条例自公布之日起施行。")]
    new = [_clause("b", "第一条", "到2030年覆盖率达到60%。"), _clause("b", "第二条", "本条例自公布之日起施行。")]
    cmp = compare(a, old, b, new)
    assert [p.status for p in cmp.pairs] == ["modified", "unchanged"] and cmp.changes == []


def test_library_compare_refuses_the_same_document(vlib: Library) -> None:
    from app.core.errors import PolicyDeskError

    with pytest.raises(PolicyDeskError):
        vlib.compare(PLAN, PLAN)
