"""Field filters, facets, version collapse and the richer search JSON, on the real index."""

from __future__ import annotations

from pathlib import Path

from app.core.filters import superseded
from app.core.library import Library
from app.core.models import Document
from app.core.search.query import parse_query

PLAN = "美丽上海建设十五五规划-征求意见稿"


def test_filters_parse_in_chinese_with_full_width_colon() -> None:
    pq = parse_query("垃圾 部门：市水务局 年份:2030 文件:大气 类型:法律 有指标:是")
    assert pq.filters == [("dept", "市水务局"), ("year", "2030"), ("doc", "大气"), ("kind", "法律"), ("has_ind", "是")]
    assert [t.text for g in pq.groups for t in g] == ["垃圾"]


def test_department_filter_uses_aliases(library: Library) -> None:
    res = library.search("部门:市发改委", limit=500)
    assert res.total > 0
    links = library.links([h.id for h in res.hits])
    assert all(any(d.name == "市发展改革委" for d in links[h.id].departments) for h in res.hits)


def test_year_kind_doc_and_indicator_filters_narrow(library: Library) -> None:
    everything = library.search("垃圾").total
    assert 0 < library.search("垃圾 年份:2030").total < everything
    law = library.search("噪声 类型:法律", limit=50)
    assert law.total and all(h.kind == "法律" for h in law.hits)
    doc = library.search("机动车 文件:上海市大气污染防治条例", limit=50)
    assert doc.total and {h.doc_id for h in doc.hits} == {"上海市大气污染防治条例(2018-12-20)"}
    ind = library.search("森林 有指标:是", limit=50)
    assert f"{PLAN}/五/（二）/2" in [h.id for h in ind.hits]
    assert all(library.links([h.id])[h.id].indicators for h in ind.hits)
    assert ind.total < library.search("森林").total


def test_unknown_filter_value_says_so(library: Library) -> None:
    res = library.search("垃圾 文件:不存在的条例")
    assert res.total == 0 and any("没有对应" in n for n in res.notices)


def test_facets_count_all_matches(library: Library) -> None:
    res = library.search("垃圾分类", facets=True)
    assert res.facets is not None
    assert sum(res.facets["kind"].values()) == res.total
    assert res.facets["doc"]["上海市生活垃圾管理条例(2019-01-31)"] >= 1
    assert set(res.facets) == {"doc", "kind", "department", "year", "has_indicator"}


def test_search_json_carries_doc_kind_departments_deadline(library: Library) -> None:
    hit = library.search("生活垃圾回收利用率").to_json()["hits"][0]
    assert hit["doc_id"] == PLAN and hit["kind"] == "规划"
    assert hit["deadline"]["year"] == 2030 and hit["departments"][0]["source"] == "inferred"


def test_older_versions_collapse_unless_asked(tmp_path: Path, library: Library) -> None:
    folder = tmp_path / "versions"
    folder.mkdir()
    for date, word in (("2010-01-01", "甲版本特有词"), ("2020-01-01", "乙版本特有词")):
        (folder / f"某某条例({date}).md").write_text(
            f"# 某某条例\n\n<!-- INFO END -->\n\n第一条 共同条文{word}。\n", encoding="utf-8")
    library.index([folder])
    # Quoted: the exact text only (unquoted, best match also lists clauses holding 共同 or 条文 alone).
    assert [h.doc_id for h in library.search('"共同条文"').hits] == ["某某条例(2020-01-01)"]
    assert "某某条例(2010-01-01)" not in {h.doc_id for h in library.search("共同条文", limit=500).hits}
    both = {h.doc_id for h in library.search('"共同条文"', all_versions=True).hits}
    assert both == {"某某条例(2010-01-01)", "某某条例(2020-01-01)"}


def test_superseded_keeps_the_newest_dated_version() -> None:
    docs = [Document(id="a", title="X条例", kind="法律", date="2010-01-01"),
            Document(id="b", title="X条例", kind="法律", date="2020-01-01"),
            Document(id="c", title="X条例", kind="法律"), Document(id="d", title="Y", kind="法律")]
    assert sorted(superseded(docs)) == ["a", "c"]
