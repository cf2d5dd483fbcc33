"""法条联想 and citation links on the real index."""

from __future__ import annotations

from app.core.library import Library

PLAN = "美丽上海建设十五五规划-征求意见稿"


def test_related_contract_other_documents_only(library: Library) -> None:
    out = library.related(f"{PLAN}/七/（一）/2")
    assert out["clause"] == f"{PLAN}/七/（一）/2"
    assert out["related"] and len(out["related"]) <= 10
    for r in out["related"]:
        assert set(r) == {"id", "doc_title", "path", "heading", "score", "why"}
        assert not r["id"].startswith(PLAN) and r["why"]
    assert {"text": "《上海市大气污染防治条例》", "doc_id": "上海市大气污染防治条例(2018-12-20)"} in out["citations"]
    titles = [r["doc_title"] for r in out["related"]]
    assert "上海市大气污染防治条例" in titles  # the cited law's articles come first among equals


def test_uncited_or_missing_documents_link_to_null(library: Library) -> None:
    out = library.related(f"{PLAN}/序言")
    cites = {c["text"]: c["doc_id"] for c in out["citations"]}
    assert cites["《美丽中国建设“十五五”规划》"] is None


def test_related_finds_the_obvious_laws(library: Library) -> None:
    titles = [r["doc_title"] for r in library.related(f"{PLAN}/五/（二）/1")["related"]]
    assert any("湿地保护法" in t for t in titles) and any("长江保护法" in t for t in titles)


def test_topical_words_lead_not_generic_policy_language(library: Library) -> None:
    # 高标准建设全域无废城市: 固体废物/生活垃圾/危险废物 fill whole laws, 充分发挥/稳步 occur once in many.
    out = library.related(f"{PLAN}/四/（五）/1")
    titles = [r["doc_title"] for r in out["related"]]
    assert titles[0] == "中华人民共和国固体废物污染环境防治法"
    assert "上海市生活垃圾管理条例" in titles[:5]
    assert "充分发挥" not in out["related"][0]["why"]


def test_region_of_local_documents() -> None:
    from app.core.filters import region
    from app.core.models import Document

    assert region(Document("a", "上海市大气污染防治条例", "地方性法规")) == "上海"
    assert region(Document("b", "浙江省饮用水水源保护条例", "地方性法规")) == "浙江"
    assert region(Document("c", "深圳经济特区绿色建筑条例", "地方性法规")) == "深圳"
    assert region(Document("d", "中华人民共和国长江保护法", "法律")) is None
    assert region(Document("e", "美丽上海建设规划", "规划", issuer="上海市人民政府")) == "上海"
