"""The phrase proximity bonus: words standing together outrank the same words far apart."""

from __future__ import annotations

from app.core.search.query import parse_query
from app.core.search.searcher import RawHit, proximity, proximity_units, rerank


def test_proximity_is_one_for_adjacent_words_and_falls_with_distance() -> None:
    units = [["垃圾"], ["回收率"], ["目标"]]
    assert proximity("提高垃圾回收率目标值", units) == 1.0
    far = proximity("垃圾" + "，" * 40 + "回收率" + "，" * 40 + "目标", units)
    near = proximity("垃圾分类后回收率达到目标", units)
    assert 0.0 < far < near <= 1.0


def test_proximity_needs_every_unit_and_uses_the_closest_occurrences() -> None:
    assert proximity("只有垃圾和目标", [["垃圾"], ["回收率"], ["目标"]]) == 0.0
    assert proximity("垃圾", [["垃圾"]]) == 0.0  # one unit: nothing to be close to
    # the far-away first 垃圾 must not hide the close pair at the end
    body = "垃圾" + "。" * 200 + "垃圾回收率"
    assert proximity(body, [["垃圾"], ["回收率"]]) == 1.0


def test_alternatives_count_for_their_unit() -> None:
    assert proximity("挥发性有机物治理", [["vocs", "挥发性有机物"], ["治理"]]) == 1.0


def test_units_are_terms_or_the_words_of_one_term() -> None:
    assert proximity_units(parse_query("生活垃圾 回收率").positive_terms(), {}) == [["生活垃圾"], ["回收率"]]
    single = proximity_units(parse_query("垃圾回收率目标").positive_terms(), {})
    assert len(single) >= 2 and all(len(u) == 1 for u in single)
    assert proximity_units(parse_query('"垃圾回收率目标"').positive_terms(), {}) == []


def test_rerank_lifts_the_clause_where_the_words_stand_together() -> None:
    pq = parse_query("污水 处理")
    texts = {"a": "污水" + "，其他内容" * 30 + "处理", "b": "加快污水处理设施建设"}
    hits = [RawHit("a", "d", "法律", 10.0), RawHit("b", "d", "法律", 9.5)]
    ranked = rerank(hits, {"a": "", "b": ""}, pq.positive_terms(), {}, texts)
    assert [h.id for h in ranked] == ["b", "a"]


def test_plan_clauses_lead_among_near_equals() -> None:
    pq = parse_query("垃圾分类")
    texts = {"law": "建立垃圾分类制度", "plan": "推进垃圾分类工作"}
    hits = [RawHit("law", "l", "法律", 10.0), RawHit("plan", "p", "规划", 9.5)]
    assert [h.id for h in rerank(hits, {"law": "", "plan": ""}, pq.positive_terms(), {}, texts)] == ["plan", "law"]
    far = [RawHit("law", "l", "法律", 10.0), RawHit("plan", "p", "规划", 5.0)]
    assert rerank(far, {"law": "", "plan": ""}, pq.positive_terms(), {}, texts)[0].id == "law"
