"""What a comparison returns (app.core.compare.model): locations, 变化说明, spans, inline marks, summaries."""

from __future__ import annotations

import pytest

from app.core.compare.model import (
    STATUS_LABELS,
    STATUSES,
    ClausePair,
    ClauseSide,
    Comparison,
    IndicatorChange,
    Segment,
    inline_marks,
    location,
)
from app.core.models import Clause, Document


def clause(cid: str, level: str, *, number: str = "", heading: str = "", path: tuple[str, ...] = (),
           text: str = "正文。") -> Clause:
    return Clause(id=cid, doc_id=cid.split("/")[0], ordinal=0, level=level, number=number, number_value=None,
                  heading=heading, path=path, text=text)


def side(rel: str, text: str, location_: str = "") -> ClauseSide:
    return ClauseSide(id=f"d/{rel}", rel_id=rel, level="article", location=location_ or rel, path=(rel,), heading="",
                      text=text)


def test_every_status_has_a_label() -> None:
    assert set(STATUSES) == set(STATUS_LABELS)
    assert len(set(STATUS_LABELS.values())) == len(STATUS_LABELS)


@pytest.mark.parametrize(("c", "rel", "expected"), [
    (clause("d/序言", "preamble"), "序言", "序言"),
    (clause("d/第三十条", "article", number="第三十条"), "第三十条", "第三十条"),
    (clause("d/第五章", "chapter", path=("第五章 法律责任",)), "第五章", "第五章 法律责任"),
    (clause("p/四/（一）/1", "item", number="1"), "四/（一）/1", "四、（一）1."),
    (clause("p/七/（三）", "section", heading="加强监管"), "七/（三）", "七、（三）"),
])
def test_location_is_how_a_reader_cites_a_clause(c: Clause, rel: str, expected: str) -> None:
    assert location(c, rel) == expected


def test_clause_side_strips_the_document_from_the_id() -> None:
    c = clause("plan/四/（一）/1", "item", number="1", path=("四、…", "（一）…", "1."))
    s = ClauseSide.of(c, "plan", "展示文字")
    assert (s.id, s.rel_id, s.location, s.text) == ("plan/四/（一）/1", "四/（一）/1", "四、（一）1.", "展示文字")
    assert s.to_json()["path"] == ["四、…", "（一）…", "1."]
    other = ClauseSide.of(c, "another-doc", "x")  # an id from elsewhere stays whole
    assert other.rel_id == "plan/四/（一）/1"


@pytest.mark.parametrize(("change", "expected"), [
    (IndicatorChange("indicator", "changed", "森林覆盖率", "14.6%", "15%", "a", "b"), "指标“森林覆盖率”由14.6%调整为15%"),
    (IndicatorChange("indicator", "changed", "达标率", "", "95%", "a", "b"), "指标“达标率”由（未定量）调整为95%"),
    (IndicatorChange("indicator", "changed", "回收利用率", "2030年", "2028年", "a", "b", year_only=True),
     "指标“回收利用率”期限由2030年调整为2028年"),
    (IndicatorChange("indicator", "added", "美丽街区数量", "", "200个", None, "b"), "新增指标“美丽街区数量”（200个）"),
    (IndicatorChange("indicator", "added", "生态质量", "", "", None, "b"), "新增指标“生态质量”"),
    (IndicatorChange("indicator", "removed", "湿地保护率", "55%", "", "a", None), "删去指标“湿地保护率”（原为55%）"),
    (IndicatorChange("deadline", "changed", "五、（二）", "2030年", "2028年", "a", "b"), "完成时限由2030年调整为2028年"),
    (IndicatorChange("deadline", "added", "x", "", "2027年", "a", "b"), "新增完成时限2027年"),
    (IndicatorChange("deadline", "removed", "x", "2027年", "", "a", "b"), "删去完成时限（原为2027年）"),
])
def test_describe(change: IndicatorChange, expected: str) -> None:
    assert change.describe() == expected
    assert change.to_json()["description"] == expected


def _modified() -> ClausePair:
    old = side("第三十六条", "违者罚款五千元。", "第三十六条")
    new = side("第三十五条", "违者罚款一万元。", "第三十五条")
    return ClausePair("modified", old, new, 0.7, True, "same place",
                      (Segment("same", "违者罚款"), Segment("del", "五千"), Segment("same", "元。")),
                      (Segment("same", "违者罚款"), Segment("ins", "一万"), Segment("same", "元。")))


def test_a_modified_pair() -> None:
    p = _modified()
    assert p.label == "修改" and p.renumbered
    assert p.spans("old") == [(4, 6)] and p.spans("new") == [(4, 6)]
    assert p.explain() == "修改（原第三十六条）"
    assert p.inline() == "违者罚款【删：五千】【增：一万】元。"
    data = p.to_json()
    assert data["old_spans"] == [[4, 6]] and data["renumbered"] is True and data["explanation"] == p.explain()
    assert data["new_segments"][1] == {"kind": "ins", "text": "一万"}


def test_added_deleted_moved_and_unchanged_pairs() -> None:
    added = ClausePair("added", None, side("第九条", "新条文。"), 0.0)
    assert added.spans("new") == [(0, 4)] and added.spans("old") == []
    assert (added.explain(), added.inline(), added.renumbered) == ("新增", "新条文。", False)
    deleted = ClausePair("deleted", side("第四条", "旧条文。"), None, 0.0)
    assert deleted.spans("old") == [(0, 4)] and (deleted.explain(), deleted.inline()) == ("删除", "旧条文。")
    moved = ClausePair("moved", side("一/1", "文字。", "一、1."), side("二/2", "文字。", "二、2."))
    assert moved.explain() == "移动（原位于一、1.）" and moved.inline() == "文字。"
    edited = ClausePair("moved", side("一/1", "文字。", "一、1."), side("二/2", "文字！", "二、2."), edited=True)
    assert edited.explain() == "移动（原位于一、1.），并有修改"
    same = ClausePair("unchanged", side("第五条", "同。"), side("第四条", "同。"))
    assert same.explain() == "未变（原第五条）"
    assert ClausePair("unchanged", side("第一条", "同。"), side("第一条", "同。")).explain() == "未变"


def test_explain_appends_the_changed_targets() -> None:
    change = IndicatorChange("indicator", "changed", "森林覆盖率", "14.6%", "15%", "a", "b")
    p = ClausePair("modified", side("1", "a"), side("1", "b"), edited=True, changes=(change,))
    assert p.explain() == "修改；指标“森林覆盖率”由14.6%调整为15%"


def test_inline_marks_merges_uneven_unchanged_runs() -> None:
    # the unchanged text is cut differently on the two sides
    old = (Segment("same", "甲乙"), Segment("same", "丙"), Segment("del", "丁"))
    new = (Segment("same", "甲"), Segment("same", "乙丙"), Segment("ins", "戊"))
    assert inline_marks(old, new) == "甲乙丙【删：丁】【增：戊】"


def test_inline_marks_context_trims_long_runs_and_long_edits() -> None:
    old = (Segment("same", "甲" * 20), Segment("del", "乙" * 30), Segment("same", "丙" * 20))
    new = (Segment("same", "甲" * 20), Segment("same", "丙" * 20))
    assert inline_marks(old, new, 2) == "…甲甲【删：乙乙乙乙…（共30字）】丙丙…"
    assert inline_marks(old, new) == "甲" * 20 + "【删：" + "乙" * 30 + "】" + "丙" * 20


def test_comparison_summaries() -> None:
    doc_a = Document(id="a", title="某条例", kind="地方性法规", date="2021-08-25")
    doc_b = Document(id="b", title="某条例", kind="地方性法规", date="2024-12-31")
    change = IndicatorChange("indicator", "changed", "覆盖率", "50%", "55%", "a/1", "b/1")
    pairs = (
        ClausePair("unchanged", side("第一条", "同。"), side("第一条", "同。")),
        ClausePair("unchanged", side("第三条", "同。"), side("第二条", "同。")),
        ClausePair("modified", side("第二条", "旧"), side("第三条", "新"), 0.5, True, changes=(change,)),
        ClausePair("deleted", side("第四条", "删。"), None, 0.0),
        ClausePair("added", None, side("第四条", "增。"), 0.0),
    )
    cmp = Comparison(doc_a, doc_b, pairs)
    assert cmp.summary == {"modified": 1, "added": 1, "deleted": 1, "moved": 0, "unchanged": 2}
    assert cmp.renumbered == 1
    assert cmp.changes == [change]
    assert [p.status for p in cmp.changed()] == ["modified", "deleted", "added"]
    assert cmp.summary_line() == "共比对 5 条：修改 1 条，新增 1 条，删除 1 条，移动 0 条，未变 2 条（其中 1 条仅编号调整）"
    data = cmp.to_json()
    assert data["old_doc"] == doc_a.brief() and data["summary_text"] == cmp.summary_line()
    assert len(data["pairs"]) == 5 and data["changes"][0]["description"] == "指标“覆盖率”由50%调整为55%"
    assert Comparison(doc_a, doc_b, ()).summary_line() == "共比对 0 条：修改 0 条，新增 0 条，删除 0 条，移动 0 条，未变 0 条"
