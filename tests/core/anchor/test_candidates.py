"""app.core.anchor.candidates: the clauses an anchor may be on now, with their evidence (same id, same heading
path, same heading, text) and similarity, and the tiers' admission rules."""

from __future__ import annotations

import pytest

from app.core.anchor.assign import _groups
from app.core.anchor.candidates import _admits, _candidates, _Group, _relations, _score
from app.core.anchor.keys import _similarity, text_key
from app.core.anchor.model import anchor_for
from app.core.anchor.thresholds import CONTAIN, HEADING_RATIO, ID_RATIO, SHORT_RATIO, SHORT_TEXT, TEXT_RATIO
from app.core.anchor.view import _View
from app.core.models import Clause
from tests.core.anchor.clauses import article, doc, task

A = "单位和个人应当按照规定分类投放生活垃圾，不得随意倾倒、抛撒或者堆放生活垃圾。"
A_EDITED = "单位和个人应当按照规定分类投放生活垃圾，不得随意倾倒、抛撒、焚烧或者堆放生活垃圾。"
B = "违反本办法规定，未按照规定分类投放生活垃圾的，由城管执法部门责令改正。"
C = "本办法自2026年1月1日起施行。"
PATH = ("三、低碳", "（一）碳达峰")


def _group(clause: Clause, *views: _View) -> _Group:
    g = next(iter(_groups({"t": anchor_for(clause, doc(clause.doc_id))}).values()))
    g.views.extend(views)
    return g


def _law(doc_id: str, *texts: str) -> _View:
    return _View(doc(doc_id), [article(doc_id, f"第{n}条", t) for n, t in zip("一二三四五六", texts, strict=False)])


def test_relations_by_position_and_heading() -> None:
    g = _group(article("d", "第二条", B))
    assert _relations(g, _law("d", A, C), 1) == [("id", "same id"), ("text", "")]
    assert _relations(g, _law("new", A, C), 1) == [("id", "same id in newer version"), ("text", "")]
    assert _relations(g, _law("d", A, C), 0) == [("text", "")]

    bookmarked = task("p", "三/（一）/1", "强化协同控制。", "正文甲。", PATH)
    g = _group(bookmarked)
    view = _View(doc("p"), [
        task("p", "三/（一）/2", "强化协同控制。", "正文乙。", PATH),
        task("p", "三/（二）/1", "强化协同控制。", "正文丙。", ("三、低碳", "（二）碳达峰")),
        task("p", "五/（一）/1", "强化协同控制。", "正文丁。", ("五、保障", "（一）组织")),
        task("p", "三/（一）/9", "其他标题。", "正文戊。", PATH)])
    assert [_relations(g, view, i)[0] for i in range(4)] == [
        ("path", "same heading path"), ("path", "same heading, renumbered"), ("heading", "same heading"), ("text", "")]


@pytest.mark.parametrize(("tier", "ratio", "contain", "shortest", "admitted"), [
    ("id", ID_RATIO, 0.0, 50, True),
    ("id", ID_RATIO - 0.01, 0.5, 50, False),
    ("id", 0.45, CONTAIN, 50, True),  # a sentence appended or deleted
    ("id", 0.35, 1.0, 50, False),
    ("path", 0.0, 0.0, 50, True),  # the same heading path is the evidence itself
    ("heading", HEADING_RATIO, 0.0, 50, True),
    ("heading", HEADING_RATIO - 0.01, 1.0, 50, False),
    ("text", TEXT_RATIO, 0.0, SHORT_TEXT, True),
    ("text", TEXT_RATIO - 0.01, 0.8, SHORT_TEXT, False),
    ("text", 0.5, CONTAIN, SHORT_TEXT, True),
    ("text", 0.49, 1.0, SHORT_TEXT, False),
    ("text", SHORT_RATIO - 0.01, 1.0, SHORT_TEXT - 1, False),  # short texts: text alone needs more
    ("text", SHORT_RATIO, 0.0, SHORT_TEXT - 1, True),
])
def test_admits(tier: str, ratio: float, contain: float, shortest: int, admitted: bool) -> None:
    assert _admits(tier, ratio, contain, shortest) is admitted


def test_score() -> None:
    g = _group(article("d", "第一条", A), _law("d", A, A_EDITED, B), _law("new", C, A))
    same = _score(g, 0, 0)
    assert same is not None and (same.tier, same.reason, same.ratio, same.exact) == ("id", "same id", 1.0, True)
    assert same.target == ("d", 0)
    elsewhere = _score(g, 1, 1)
    assert elsewhere is not None and (elsewhere.tier, elsewhere.reason, elsewhere.exact) == ("text", "identical text",
                                                                                             True)
    edited = _score(g, 0, 1)
    ratio = _similarity(text_key(A_EDITED), text_key(A), 0.0)[0]  # type: ignore[index]
    assert edited is not None and not edited.exact and edited.tier == "text"
    assert edited.ratio == ratio and edited.reason == f"text similarity {ratio:.2f}"
    assert _score(g, 0, 2) is None and g.best_rejected < TEXT_RATIO


def test_a_rejected_candidate_is_remembered() -> None:
    half = A[:20] + "必须在指定地点投放大件垃圾并预约收运服务。"
    g = _group(article("d", "第一条", A), _law("n", C, half))
    ratio, contain = _similarity(text_key(half), text_key(A), 0.0)  # type: ignore[misc]
    assert 0.5 <= ratio < TEXT_RATIO and contain < CONTAIN  # not enough for text alone
    assert _score(g, 0, 1) is None and g.best_rejected == ratio


def test_candidates_stop_at_identical_text() -> None:
    g = _group(article("d", "第二条", B), _law("d", A, C, B))  # renumbered: same text at 第三条
    got = _candidates(g, full=False)
    assert [(c.index, c.exact, c.tier) for c in got] == [(2, True, "text")] and not g.complete


def test_candidates_find_an_edited_clause_at_a_neighbour() -> None:
    g = _group(article("d", "第一条", A), _law("d", C, A_EDITED, B))  # an article inserted before it, and edited
    got = _candidates(g, full=False)
    assert got and got[0].index == 1 and got[0].ratio >= 0.9 and not got[0].exact


def test_full_search_scores_everything_admissible() -> None:
    g = _group(article("d", "第一条", A), _law("d", A_EDITED, C, A_EDITED + "另加一句。"))
    got = _candidates(g, full=True)
    assert sorted(c.index for c in got) == [0, 2] and g.complete
    assert {c.tier for c in got} == {"id", "text"}
