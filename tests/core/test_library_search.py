"""The search side of the facade (app.core.library_search): the reader helpers `query_terms`, `mark_terms` and
`highlight_needles`, and SearchMixin's search, paging, facets, filters, `match_ids` and `related` on the real
library (the shipped corpus, indexed once per session)."""

from __future__ import annotations

import pytest

from app.core import library as facade
from app.core.library import Library
from app.core.library_search import RERANK_POOL, highlight_needles, mark_terms, query_terms
from app.core.search.query import parse_query

PLAN = "美丽上海建设十五五规划-征求意见稿"
DUAL = f"{PLAN}/三/（一）/1"  # 健全碳排放双控制度体系


def test_the_facade_re_exports_the_helpers() -> None:
    assert facade.query_terms is query_terms and facade.mark_terms is mark_terms
    assert facade.highlight_needles is highlight_needles and facade.RERANK_POOL == RERANK_POOL >= 20


def test_query_terms_are_what_a_reader_marks() -> None:
    assert query_terms("   ") == []
    assert set(query_terms("碳达峰 新能源")) == {"碳达峰", "新能源"}
    assert query_terms('"双控制度" -屋顶 部门:市水务局') == ["双控制度"]  # no exclusions, no filter values
    assert "pm2.5" in query_terms("PM2.5 浓度")  # folded: half-width, lower case


def test_highlight_needles_adds_the_words_of_plain_terms_only() -> None:
    plain = highlight_needles(parse_query("大气污染防治"))
    assert plain[0] == "大气污染防治" and set(plain) <= {"大气污染防治", "大气", "污染", "防治", "大气污染"}
    assert highlight_needles(parse_query('"大气污染防治"')) == ["大气污染防治"]  # a phrase stays whole
    assert "屋顶" not in highlight_needles(parse_query("光伏 -屋顶")) and "光伏" in highlight_needles(parse_query("光伏 -屋顶"))


def test_mark_terms_escapes_and_marks() -> None:
    assert mark_terms("<b>碳达峰</b>与碳中和", ["碳达峰"]) == "&lt;b&gt;<mark>碳达峰</mark>&lt;/b&gt;与碳中和"
    assert mark_terms("<b>x</b>", []) == "&lt;b&gt;x&lt;/b&gt;"
    assert mark_terms("ＰＭ２.５浓度", ["pm2.5"]) == "<mark>ＰＭ２.５</mark>浓度"  # folded matching, text as written


def test_search_ranks_marks_and_links(library: Library) -> None:
    res = library.search("双控制度", limit=3)
    assert res.hits[0].id == DUAL and res.hits[0].doc_id == PLAN and res.total >= len(res.hits) >= 2
    assert "<mark>双控制度</mark>" in res.hits[0].snippet and res.hits[0].heading.startswith("健全碳排放双控制度体系")
    assert res.hits[0].deadline is not None and res.hits[0].deadline.year == 2030
    assert all(d.role in ("lead", "support") for h in res.hits for d in h.departments)  # never 'mentioned'
    assert res.facets is None and res.elapsed_ms > 0 and res.query == "双控制度"


def test_an_empty_query_finds_nothing(library: Library) -> None:
    for q in ("", "   ", "\u3000"):
        res = library.search(q)
        assert (res.total, res.hits) == (0, ()), q
    assert library.match_ids("  ") == set()


def test_facets_count_every_match(library: Library) -> None:
    res = library.search("双控制度", facets=True)
    assert res.facets is not None and set(res.facets) == {"doc", "kind", "department", "year", "has_indicator"}
    assert sum(res.facets["doc"].values()) == sum(res.facets["kind"].values()) == res.total
    assert res.facets["doc"][PLAN] >= 1


def test_pages_follow_each_other(library: Library) -> None:
    whole = [h.id for h in library.search("污染", limit=30).hits]
    pages = [h.id for off in (0, 10, 20) for h in library.search("污染", limit=10, offset=off).hits]
    assert len(whole) == 30 and pages == whole
    assert library.search("污染", limit=10, offset=-5).offset == 0
    deep = library.search("污染", limit=5, offset=RERANK_POOL + 5)
    assert deep.offset == RERANK_POOL + 5 and len(deep.hits) == 5 and not set(h.id for h in deep.hits) & set(whole)


def test_filters(library: Library) -> None:
    nothing = library.search("部门:不存在的部门 大气")
    assert nothing.total == 0 and nothing.hits == ()
    dept = library.search("部门:市生态环境局", limit=5)
    assert dept.total > 5 and len(dept.hits) == 5
    kind = library.search("类型:法律 大气", limit=50)
    assert kind.total > 0 and {h.kind for h in kind.hits} == {"法律"}


def test_match_ids_are_every_match(library: Library) -> None:
    ids = library.match_ids("双控制度")
    res = library.search("双控制度", limit=len(ids) + 10)  # partial matches are listed too: ask for them all
    assert ids == {h.id for h in res.hits} and len(ids) == res.total and DUAL in ids
    for q in ("类型:法律 大气", "部门:市生态环境局", "部门:不存在的部门 大气", "建筑节能"):  # filters, hidden versions
        assert len(library.match_ids(q)) == library.search(q).total, q
    assert library.match_ids("建筑节能", all_versions=True) >= library.match_ids("建筑节能")


def test_related_articles_of_other_documents(library: Library) -> None:
    out = library.related(DUAL, limit=3)
    assert out["clause"] == DUAL and isinstance(out["citations"], list)
    assert 1 <= len(out["related"]) <= 3
    for r in out["related"]:
        assert set(r) == {"id", "doc_title", "path", "heading", "score", "why"}
        assert not r["id"].startswith(PLAN + "/")  # never its own document, never a plan
        assert library.document(r["id"].split("/", 1)[0]).kind != "规划" and r["why"]
    scores = [r["score"] for r in out["related"]]
    assert scores == sorted(scores, reverse=True)


def test_search_works_again_after_close(library: Library) -> None:
    first = library.search("双控制度")
    library.close()
    again = library.search("双控制度")
    assert [h.id for h in again.hits] == [h.id for h in first.hits]


@pytest.mark.parametrize("query", ["双控制度", "部门:市生态环境局"])
def test_search_is_repeatable(library: Library, query: str) -> None:
    a, b = library.search(query, limit=10), library.search(query, limit=10)
    assert [h.id for h in a.hits] == [h.id for h in b.hits] and a.total == b.total
