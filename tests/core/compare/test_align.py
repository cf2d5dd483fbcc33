"""Aligning the clauses of two versions (app.core.compare.align): pairs, same-place rewrites, moves, order."""

from __future__ import annotations

from app.core.compare.align import (
    GAP_MANY_RATIO,
    GAP_RATIO,
    RawPair,
    display_text,
    longest_increasing,
    pair_clauses,
)
from app.core.models import Clause, Document

CN = "零一二三四五六七八九十"
OLD = Document(id="a", title="某某条例", kind="地方性法规")
NEW = Document(id="b", title="某某条例", kind="地方性法规")
LAW = [
    "为了加强本市音像制品的管理，促进音像业的健康发展，制定本条例。",
    "本条例适用于本市行政区域内音像制品的出版、制作、复制、进口、批发、零售和出租等活动。",
    "市文化行政管理部门负责本市音像制品的监督管理工作，区县文化部门负责本辖区的管理工作。",
    "禁止音像制品经营者转承包经营，违者由文化部门责令改正。",
    "音像制品经营单位应当建立进货查验制度，如实记录音像制品的来源。",
    "本条例自2025年1月1日起施行。",
]


def articles(doc: str, texts: list[str]) -> list[Clause]:
    out = []
    for n, text in enumerate(texts, start=1):
        num = f"第{CN[n]}条"
        out.append(Clause(id=f"{doc}/{num}", doc_id=doc, ordinal=n, level="article", number=num, number_value=n,
                          heading="", path=(num,), text=text))
    return out


def pairs_of(new_texts: list[str]) -> list[tuple[int | None, int | None, bool]]:
    return [(p.old, p.new, p.moved) for p in pair_clauses(OLD, articles("a", LAW), NEW, articles("b", new_texts))]


def test_thresholds_are_ordered() -> None:
    assert 0 < GAP_RATIO < GAP_MANY_RATIO < 1


def test_display_text() -> None:
    task = Clause(id="p/一/（一）/1", doc_id="p", ordinal=3, level="task", number="", number_value=None,
                  heading="健全碳排放双控制度体系。", path=("健全碳排放双控制度体系。",), text="建立统计核算体系。")
    assert display_text(task) == "健全碳排放双控制度体系。建立统计核算体系。"
    section = Clause(id="p/一/（一）", doc_id="p", ordinal=2, level="section", number="（一）", number_value=1,
                     heading="积极稳妥推进碳达峰碳中和", path=("（一）积极稳妥推进碳达峰碳中和",), text="总体要求。")
    assert display_text(section) == "积极稳妥推进碳达峰碳中和\n总体要求。"
    bare = Clause(id="p/二", doc_id="p", ordinal=4, level="chapter", number="二", number_value=2,
                  heading="持续深入打好污染防治攻坚战", path=("二、持续深入打好污染防治攻坚战",), text="")
    assert display_text(bare) == "持续深入打好污染防治攻坚战"
    article = articles("a", ["制定本条例。"])[0]
    assert display_text(article) == "制定本条例。"


def test_longest_increasing_run() -> None:
    assert sorted(longest_increasing([0, 5, 1, 2, 9, 3])) == [0, 2, 3, 5]
    assert len(longest_increasing([4, 3, 2, 1])) == 1
    assert longest_increasing([2, 2, 2]) in ({0}, {1}, {2})  # strictly increasing


def test_identical_versions_pair_in_place() -> None:
    assert pairs_of(LAW) == [(i, i, False) for i in range(len(LAW))]


def test_deleted_added_and_renumbered_articles() -> None:
    new = [LAW[0], LAW[1], LAW[2].replace("区县", "区"), LAW[4], "音像制品经营单位应当在经营场所悬挂许可证。", LAW[5]]
    raw = pair_clauses(OLD, articles("a", LAW), NEW, articles("b", new))
    # in the new version's order, the deleted 第四条 right after its old predecessor's pair
    assert [(p.old, p.new) for p in raw] == [(0, 0), (1, 1), (2, 2), (3, None), (4, 3), (None, 4), (5, 5)]
    assert not any(p.moved for p in raw)
    by_old = {p.old: p for p in raw}
    assert by_old[4].reason == "identical text" and by_old[4].similarity == 1.0
    assert 0.9 < by_old[2].similarity < 1.0  # lightly edited in place
    assert by_old[3] == RawPair(3, None, 0.0, "")


def test_an_article_rewritten_in_place_pairs_as_same_place() -> None:
    new = [LAW[0], LAW[1], "违反本条例规定的行为，按照有关法律法规处理。", LAW[3], LAW[4], LAW[5]]
    raw = pair_clauses(OLD, articles("a", LAW), NEW, articles("b", new))
    p = next(p for p in raw if p.old == 2)
    assert (p.new, p.reason, p.moved) == (2, "same place", False)
    assert p.similarity < GAP_RATIO  # nothing in common: paired by position alone (articles have no heading)


def test_swapped_articles_one_moves() -> None:
    new = [LAW[0], LAW[1], LAW[3], LAW[2], LAW[4], LAW[5]]
    got = pairs_of(new)
    assert [(o, n) for o, n, _ in got] == [(0, 0), (1, 1), (3, 2), (2, 3), (4, 4), (5, 5)]
    assert [o for o, _, moved in got if moved] == [2]


def _plan(doc: str, rows: list[tuple[str, str, str, str | None]]) -> list[Clause]:
    """rows: (rel id, level, heading or text, parent rel id)."""
    out = []
    for n, (rel, level, words, parent) in enumerate(rows):
        container = level == "chapter"
        out.append(Clause(id=f"{doc}/{rel}", doc_id=doc, ordinal=n, level=level, number=rel.split("/")[-1],
                          number_value=None, heading=words if container else "", path=(rel,),
                          text="" if container else words, parent_id=f"{doc}/{parent}" if parent else None))
    return out


def test_a_clause_under_another_parent_has_moved() -> None:
    carbon = "全面实施碳排放双控制度，建立健全碳排放统计核算体系。"
    air = "深入推进细颗粒物和臭氧协同控制，基本消除重污染天气。"
    old = _plan("a", [("一", "chapter", "推进绿色低碳发展", None), ("一/1", "item", carbon, "一"),
                      ("二", "chapter", "持续深入打好污染防治攻坚战", None), ("二/1", "item", air, "二")])
    new = _plan("b", [("一", "chapter", "推进绿色低碳发展", None), ("二", "chapter", "持续深入打好污染防治攻坚战", None),
                      ("二/1", "item", air, "二"), ("二/2", "item", carbon, "二")])
    plan_a, plan_b = Document(id="a", title="某规划", kind="规划"), Document(id="b", title="某规划", kind="规划")
    raw = pair_clauses(plan_a, old, plan_b, new)
    assert [(p.old, p.new, p.moved) for p in raw] == [(0, 0, False), (2, 1, False), (3, 2, False), (1, 3, True)]
    assert next(p for p in raw if p.old == 1).reason == "identical text"


def test_every_clause_is_in_exactly_one_pair() -> None:
    new = ["第一条改写后的文字，与原文完全不同的表述方式。", LAW[1], LAW[4], LAW[3], "新增条文。", LAW[5], "再增一条。"]
    raw = pair_clauses(OLD, articles("a", LAW), NEW, articles("b", new))
    olds = [p.old for p in raw if p.old is not None]
    news = [p.new for p in raw if p.new is not None]
    assert sorted(olds) == list(range(len(LAW))) and sorted(news) == list(range(len(new)))
    assert [p.new for p in raw if p.new is not None] == sorted(news)  # the new version's order
