"""app.core.anchor.assign: grouping anchors, the greedy best-first assignment of clauses (shared only by
bookmarks on old clauses that were merged into one), and what a resolution says."""

from __future__ import annotations

from app.core.anchor.assign import _groups, _missing, _resolve, _result
from app.core.anchor.candidates import _Cand, _Group
from app.core.anchor.keys import text_key
from app.core.anchor.model import Anchor, Resolution, anchor_for
from app.core.anchor.view import _View
from tests.core.anchor.clauses import article, doc, task

A = "单位和个人应当按照规定分类投放生活垃圾，不得随意倾倒、抛撒或者堆放生活垃圾。"
A_EDITED = "单位和个人应当按照规定分类投放生活垃圾，不得随意倾倒、抛撒、焚烧或者堆放生活垃圾。"
B = "违反本办法规定，未按照规定分类投放生活垃圾的，由城管执法部门责令改正；拒不改正的，处五十元以上二百元以下罚款。"
B2 = "违反本办法规定，未按照规定分类投放生活垃圾的，由城管执法部门责令改正；拒不改正的，处一百元以上五百元以下罚款。"
C = "本办法自2026年1月1日起施行。"
OLD = doc("v1")


def _law(doc_id: str, *texts: str) -> tuple[_View, list[Anchor]]:
    clauses = [article(doc_id, f"第{n}条", t) for n, t in zip("一二三四五六", texts, strict=False)]
    return _View(doc(doc_id), clauses), [anchor_for(c, doc(doc_id)) for c in clauses]


def _run(anchors: dict[str, Anchor], view: _View, merge: bool = True) -> dict[str, Resolution]:
    groups = _groups(anchors)
    for g in groups.values():
        g.views.append(view)
    final: dict[_Group, Resolution] = {}
    _resolve(list(groups.values()), final, {}, merge)
    return {task: final[g] for g in groups.values() for task in g.tasks}


def test_groups_share_one_anchor() -> None:
    a = anchor_for(task("p", "三/（一）/1", "强化协同控制。", "以臭氧为 主线。", ("三、低碳", "（一）碳达峰")), doc("p"))
    edited = Anchor(a.clause_id, a.doc_id, a.doc_title, a.path, a.heading, "other fingerprint", a.text + "又改了")
    groups = _groups({"t1": a, "t2": a, "t3": edited})
    assert [g.tasks for g in groups.values()] == [["t1", "t2"], ["t3"]]  # same clause, other text: apart
    g = groups[("p", a.clause_id, a.fingerprint)]
    assert g.key == text_key("强化协同控制。以臭氧为主线。") and g.heading == "强化协同控制。"
    assert g.path == ("三、低碳", "(一)碳达峰", "强化协同控制。") and g.denum_path == ("低碳", "碳达峰", "强化协同控制。")
    assert g.views == [] and not g.lost and g.best_rejected == 0.0


def test_result_states() -> None:
    view, anchors = _law("v1", A, B)
    g = next(iter(_groups({"t": anchors[0]}).values()))
    ok = _result(_Cand(g, view, 0, 0, "id", "same id", 1.0, 1.0, True))
    assert (ok.state, ok.clause_id, ok.doc_id, ok.score) == ("ok", "v1/第一条", "v1", 1.0)
    assert ok.new_anchor is ok.anchor is anchors[0]
    moved = _result(_Cand(g, view, 0, 1, "text", "identical text", 1.0, 1.0, True))
    assert (moved.state, moved.clause_id) == ("moved", "v1/第二条")
    assert moved.new_anchor is not None and moved.new_anchor.clause_id == "v1/第二条" and moved.new_anchor.text == B
    changed = _result(_Cand(g, view, 0, 1, "text", "text similarity 0.80", 0.801234, 0.9, False))
    assert (changed.state, changed.score, changed.reason) == ("changed", 0.8012, "text similarity 0.80")


def test_missing_reasons() -> None:
    _, anchors = _law("v1", A)
    g = next(iter(_groups({"t": anchors[0]}).values()))
    assert _missing(g).reason == "no similar clause"
    g.best_rejected = 0.61234
    got = _missing(g)
    assert (got.state, got.clause_id, got.score, got.reason) == ("missing", None, 0.6123,
                                                                  "no match (best similarity 0.61)")
    g.lost = True
    assert _missing(g).reason == "matching clause taken by another bookmark"
    assert _missing(g, "document not found").reason == "document not found"
    assert not _missing(g).attached and _missing(g).anchor is anchors[0]


def test_unchanged_moved_changed_and_missing_together() -> None:
    _, old = _law("v1", A, B, C, "本条在新版本中被删除，且与其他条款毫无相似之处。")
    new, _ = _law("v2", C, A_EDITED, B)
    got = _run({"a": old[0], "b": old[1], "c": old[2], "gone": old[3]}, new)
    assert {k: (r.state, r.clause_id) for k, r in got.items()} == {
        "a": ("changed", "v2/第二条"), "b": ("moved", "v2/第三条"), "c": ("moved", "v2/第一条"),
        "gone": ("missing", None)}


def test_a_deleted_clause_does_not_take_its_near_twin() -> None:
    _, old = _law("v1", A, B, B2, C)
    new, _ = _law("v2", A, B2, C)  # B deleted; B2 stays
    got = _run({"b": old[1], "b2": old[2]}, new)
    assert (got["b2"].state, got["b2"].clause_id) == ("moved", "v2/第二条")  # identical text goes first
    assert (got["b"].state, got["b"].reason) == ("missing", "matching clause taken by another bookmark")


def test_merged_clauses_share_only_when_merge_is_allowed() -> None:
    _, old = _law("v1", A, B, C)
    new, _ = _law("v2", A[:-1] + "；" + B, C)  # 第一条 and 第二条 merged
    both = _run({"a": old[0], "b": old[1]}, new)
    assert {k: (r.state, r.clause_id) for k, r in both.items()} == {"a": ("changed", "v2/第一条"),
                                                                    "b": ("changed", "v2/第一条")}
    strict = _run({"a": old[0], "b": old[1]}, new, merge=False)
    assert (strict["b"].state, strict["b"].clause_id) == ("changed", "v2/第一条")  # the larger share wins
    assert strict["a"].state == "missing" and strict["a"].reason == "matching clause taken by another bookmark"


def test_two_bookmarks_on_one_anchor_resolve_together() -> None:
    _, old = _law("v1", A, B)
    new, _ = _law("v2", B, A)
    got = _run({"t1": old[0], "t2": old[0]}, new)
    assert got["t1"] == got["t2"] and (got["t1"].state, got["t1"].clause_id) == ("moved", "v2/第二条")
