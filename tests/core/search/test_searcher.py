"""app.core.search.searcher. The phrase proximity bonus: words standing together outrank the same words far apart;
then the index reads (posting sets, literal matches, filters, facets, scores) on a small real index."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from whoosh import query as Q

from app.core.search import bestmatch, searcher, vectors
from app.core.search.literal import key_of
from app.core.search.query import parse_query
from app.core.search.searcher import (
    Generation,
    RawHit,
    proximity,
    proximity_units,
    rerank,
    sections_after_their_matches,
)
from tests.core.search.index_fixtures import build_small, docnums, open_generation, small_items


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


def keys(texts: dict[str, str]) -> dict[str, str]:
    return {cid: key_of(t) for cid, t in texts.items()}


def test_rerank_lifts_the_clause_where_the_words_stand_together() -> None:
    pq = parse_query("污水 处理")
    texts = {"a": "污水" + "，其他内容" * 30 + "处理", "b": "加快污水处理设施建设"}
    hits = [RawHit("a", "d", "法律", 10.0), RawHit("b", "d", "法律", 9.5)]
    ranked = rerank(hits, {"a": "", "b": ""}, pq.positive_terms(), {}, keys(texts))
    assert [h.id for h in ranked] == ["b", "a"]


def test_plan_clauses_lead_among_near_equals() -> None:
    pq = parse_query("垃圾分类")
    texts = {"law": "建立垃圾分类制度", "plan": "推进垃圾分类工作"}
    hits = [RawHit("law", "l", "法律", 10.0), RawHit("plan", "p", "规划", 9.5)]
    assert [h.id for h in rerank(hits, {"law": "", "plan": ""}, pq.positive_terms(), {}, keys(texts))] == ["plan", "law"]
    far = [RawHit("law", "l", "法律", 10.0), RawHit("plan", "p", "规划", 5.0)]
    assert rerank(far, {"law": "", "plan": ""}, pq.positive_terms(), {}, keys(texts))[0].id == "law"


# -- the index reads, on a small real index (index_fixtures.py; the fixture `g` is in conftest.py) ---------
def test_literal_docs_find_the_text_verbatim_inside_words(g: Generation) -> None:
    assert searcher.literal_docs(g, "噪声") == docnums(g, "law/1", "law/2", "law/3")
    assert searcher.literal_docs(g, "风电") == docnums(g, "plan/一/2")  # inside the word 海上风电
    assert searcher.literal_docs(g, "监督管理") == docnums(g, "law/二", "law/3")  # a bare chapter by its heading
    assert searcher.literal_docs(g, "总则") == set()  # the breadcrumb is no clause text
    assert searcher.every(g) == set(range(7))


def test_matcher_gives_docnums_as_an_array(g: Generation) -> None:
    m = searcher.Matcher(g, budget=0)
    word = bestmatch.Variant(key="噪声污染", toks=("噪声污染",), credit=0.6, literal=False)
    got = m(word, "body")
    assert isinstance(got, np.ndarray) and set(got.tolist()) == docnums(g, "law/1", "law/2")
    head = m(bestmatch.Variant(key="监督管理", toks=("监督管理",), credit=0.6, literal=False), "body")
    assert set(head.tolist()) >= docnums(g, "law/二")  # a heading's words match like its text
    assert m(bestmatch.Variant(key="不存在的词", toks=("不存在的词",), credit=0.6), "body").tolist() == []
    assert m(bestmatch.Variant(key="x", toks=(), credit=0.6, literal=False), "anc").tolist() == []


def test_known_words_and_literal_text(g: Generation) -> None:
    assert searcher.known(g, "噪声污染") and searcher.known(g, "碳达峰")  # body word; heading word
    assert searcher.known(g, "ＬＮＧ") is False
    assert not searcher.known(g, "风电") and searcher.known(g, "风电", literal=True)
    assert not searcher.known(g, "总则", literal=True)


def test_matcher_reads_body_and_inherited_headings_apart(g: Generation) -> None:
    m = searcher.Matcher(g)
    v = bestmatch.Variant(key="碳达峰", toks=("碳达峰",), credit=1.0, typed=True)
    assert set(m(v, "body").tolist()) == docnums(g, "plan/一")
    assert set(m(v, "anc").tolist()) == docnums(g, "plan/一/1", "plan/一/2")
    both = bestmatch.Variant(key="碳排放强度", toks=("碳排放", "强度"), credit=1.0, literal=False)
    assert set(m(both, "body").tolist()) == docnums(g, "plan/一/1")  # every word, anywhere in the clause
    none = bestmatch.Variant(key="碳排放噪声", toks=("碳排放", "噪声"), credit=1.0, literal=False)
    assert set(m(none, "body").tolist()) == set()


def test_matcher_scans_typed_text_always_and_other_variants_within_the_budget(g: Generation) -> None:
    synonym = bestmatch.Variant(key="风电", toks=("风电",), credit=0.6)
    broke = searcher.Matcher(g, budget=0)
    assert set(broke(synonym, "body").tolist()) == set()  # no posting holds 风电 as a word; no scan left
    assert set(broke(bestmatch.Variant(key="风电", toks=("风电",), credit=1.0, typed=True), "body").tolist()) == docnums(g, "plan/一/2")
    m = searcher.Matcher(g, budget=1)
    assert set(m(bestmatch.Variant(key="装机", toks=("装机",), credit=0.6), "body").tolist()) == docnums(g, "plan/一/2")
    assert m.budget == 0
    assert set(m(synonym, "body").tolist()) == docnums(g, "plan/一/2")  # looked up above: a cached needle costs nothing
    assert m.budget == 0


def test_filter_query_ands_fields_and_ors_values() -> None:
    assert searcher.filter_query({}) is None
    assert searcher.filter_query({"kind": ["法律"]}) == Q.Term("kind", "法律")
    assert searcher.filter_query({"year": ["2025", "2030"]}) == Q.Or([Q.Term("year", "2025"), Q.Term("year", "2030")])
    assert searcher.filter_query({"kind": ["规划"], "has_ind": ["1"]}) == Q.And(
        [Q.Term("kind", "规划"), Q.Term("has_ind", "1")])


def test_restrict_applies_filters_and_hidden_documents(g: Generation) -> None:
    every = searcher.every(g)
    laws = searcher.filter_query({"kind": ["法律"]})
    assert searcher.restrict(g, set(every), laws, None) == docnums(g, "law/1", "law/2", "law/二", "law/3")
    assert searcher.restrict(g, set(every), laws, docnums(g, "law/2")) == docnums(g, "law/1", "law/二", "law/3")
    dept = searcher.filter_query({"dept": ["市生态环境局"], "year": ["2025"]})
    assert searcher.restrict(g, set(every), dept, None) == docnums(g, "law/3")
    assert searcher.restrict(g, set(), None, None) == set()


def test_restrict_leaves_out_deleted_documents(tmp_path: Path) -> None:
    store = build_small(tmp_path / "index")
    plan = [it.clause for it in small_items() if it.doc.id == "plan"]
    store.update(["law"], [], plan)
    g = open_generation(store)
    try:
        assert searcher.every(g) == set(range(7))  # docnums of deleted documents remain
        assert searcher.restrict(g, searcher.every(g), None, None) == {0, 1, 2}
    finally:
        g.searcher.close()


def test_field_docs(g: Generation) -> None:
    assert searcher.field_docs(g, "dept", ["市生态环境局"]) == docnums(g, "law/2", "law/3")
    assert searcher.field_docs(g, "dept", None) == docnums(g, "plan/一/1", "plan/一/2", "law/2", "law/3")
    assert searcher.field_docs(g, "year", ["2030", "2025"]) == docnums(g, "plan/一/1", "plan/一/2", "law/3")
    assert searcher.field_docs(g, "dept", ["不存在的部门"]) == set()


def test_facet_counts(g: Generation) -> None:
    assert searcher.facet_counts(g, searcher.every(g)) == {
        "doc": {"law": 4, "plan": 3},
        "kind": {"法律": 4, "规划": 3},
        "department": {"市发展改革委": 2, "市生态环境局": 2, "区人民政府": 1, "市经济信息化委": 1},
        "year": {"2030": 2, "2025": 1},
        "has_indicator": {"0": 5, "1": 2},
    }
    laws = searcher.facet_counts(g, docnums(g, "law/2", "law/3"))
    assert laws["department"] == {"市生态环境局": 2, "区人民政府": 1} and laws["year"] == {"2025": 1}
    assert searcher.facet_counts(g, set()) == {name: {} for name in searcher.FACET_FIELDS}


def test_run_executes_a_plain_whoosh_query(g: Generation) -> None:
    total, hits = searcher.run(g.searcher, Q.Term("words", "噪声污染"), limit=1)
    assert total == 2 and len(hits) == 1 and hits[0].id in {"law/1", "law/2"} and hits[0].kind == "法律"
    assert hits[0].score > 0
    total, hits = searcher.run(g.searcher, Q.Term("words", "噪声污染"), limit=10,
                               filter_q=Q.Term("dept", "市生态环境局"))
    assert (total, [h.id for h in hits]) == (1, ["law/2"])


def test_rerank_keeps_full_matches_above_and_lifts_headings_and_priors() -> None:
    terms = parse_query("监督管理").positive_terms()
    hits = [RawHit("a", "d", "法律", 10.0), RawHit("b", "d", "法律", 10.0), RawHit("c", "d", "法律", 1.0, tier=1)]
    ranked = rerank(hits, {"a": "", "b": "第二章 监督管理"}, terms)
    assert [h.id for h in ranked] == ["c", "b", "a"]
    assert ranked[1].score == pytest.approx(10.0 + 10.0 * searcher.HEADING_RERANK)
    lifted = rerank(hits[:2], {}, terms, prior=lambda cid: 0.5 if cid == "a" else 0.0)
    assert [(h.id, h.score) for h in lifted] == [("a", 15.0), ("b", 10.0)]
    assert rerank([], {}, terms) == []


def test_weighting_is_whooshs_bm25f_with_the_usual_constants() -> None:
    w = searcher.weighting()
    assert (w.B, w.K1) == (0.75, 1.2) == (vectors.B, vectors.K1)


def test_docnum_map_is_built_on_first_use_and_skips_deleted_documents() -> None:
    m = searcher.DocnumMap(["a", None, "c"])
    assert m._map is None  # opening a generation does not build it
    assert m["c"] == 2 and m.get("b") is None and len(m) == 2 and sorted(m) == ["a", "c"]


@settings(max_examples=200, deadline=None)
@given(docs=st.lists(st.integers(0, 500), max_size=60), of=st.lists(st.integers(0, 500), max_size=60))
def test_member_is_numpys_isin(docs: list[int], of: list[int]) -> None:
    a, b = np.array(docs, dtype=np.int64), np.array(of, dtype=np.int64)
    assert searcher.member(a, b).tolist() == np.isin(a, b).tolist()


def test_a_section_comes_after_its_clauses_that_hold_the_words_in_their_text() -> None:
    ids = ["p/一", "p/一/（一）", "law/1", "p/一/（一）/1", "p/二", "p/二/1", "p/一/（一）/2", "law/第六章", "law/3"]
    hits = [RawHit(i, i.split("/")[0], "规划", 10.0 - n) for n, i in enumerate(ids)]
    places = {"p/一": ("chapter", ("一、",)), "p/一/（一）": ("section", ("一、", "（一）")),
              "p/一/（一）/1": ("task", ("一、", "（一）", "1")), "p/一/（一）/2": ("task", ("一、", "（一）", "2")),
              "p/二": ("section", ("二、",)), "p/二/1": ("task", ("二、", "1")),
              "law/第六章": ("chapter", ("第六章",)), "law/1": ("article", ("第一章", "第一条")),
              "law/3": ("article", ("第六章", "第九十四条"))}  # a law's articles are not nested in its chapter's id
    # p/二's task only inherits the words: p/二 keeps its place. The chapter waits for its section, which waits
    # for its two tasks that say the words.
    said = {"p/一/（一）/1", "p/一/（一）/2", "p/一/（一）", "law/1", "law/3"}
    got = [h.id for h in sections_after_their_matches(hits, places, said)]
    assert got == ["law/1", "p/一/（一）/1", "p/二", "p/二/1", "p/一/（一）/2", "p/一/（一）", "p/一", "law/3", "law/第六章"]
    assert sections_after_their_matches(hits, places, set()) == hits
    assert sections_after_their_matches([], places, {"x"}) == []
