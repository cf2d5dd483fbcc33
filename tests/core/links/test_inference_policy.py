"""Issue #13 points 8-9: the confidence floor of inferences, headings that get no inferred department,
and national documents that link national bodies only."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

from app.core.links.departments import (
    MIN_INFERRED_CONFIDENCE,
    NATIONAL,
    SUGGESTED,
    DepartmentKB,
    document_level,
    find_mentions,
    link_departments,
    no_inference_path,
)
from app.core.links.service import ClauseLinks, Linker, dumps, loads
from app.core.models import Clause, DepartmentLink, Document
from app.core.read import read_file
from app.core.structure import parse_document

ROOT = Path(__file__).resolve().parents[3]
PLAN = "美丽上海建设十五五规划-征求意见稿"
SOIL = "土壤污染防治法(2018-08-31)"
CITY_LAW = "上海市环境保护条例(2021-11-25)"


@cache
def kb() -> DepartmentKB:
    return DepartmentKB.load(ROOT / "resources" / "departments.json")


@cache
def linker() -> Linker:
    return Linker(ROOT / "resources")


@cache
def document(doc_id: str) -> tuple[Document, tuple[Clause, ...]]:
    manifest = json.loads((ROOT / "corpus" / "manifest.json").read_text(encoding="utf-8"))
    e = next(d for d in manifest["documents"] if d["id"] == doc_id)
    parsed = parse_document(read_file(ROOT / "corpus" / e["file"]).text, doc_id, kind=e.get("kind"))
    doc = Document(id=doc_id, title=e["title"], kind=e.get("kind", ""), issuer=e.get("issuer", ""))
    return doc, tuple(parsed.clauses)


@cache
def links_of(doc_id: str) -> dict[str, ClauseLinks]:
    doc, clauses = document(doc_id)
    return linker().link_document(doc, clauses)


def level_of(name: str) -> str | None:
    e = kb().entry(name)
    return e.level if e else None


# --- point 8: the confidence floor ------------------------------------------------------------------


def test_no_inferred_link_below_the_floor_in_gold_tasks_and_leads_still_agree() -> None:
    gold = json.loads((ROOT / "tests" / "data" / "departments-gold.json").read_text(encoding="utf-8"))
    _doc, clauses = document(PLAN)
    by_id = {c.id: c for c in clauses}
    agree, suggested = 0, []
    for t in gold["plan_tasks"]:
        c = by_id[t["id"]]
        links = link_departments(c.text, c.heading, kb(), path=c.path)
        for d in links:
            if d.source == "inferred" and d.role in ("lead", "support"):
                assert d.confidence >= MIN_INFERRED_CONFIDENCE, (t["heading"], d)
        suggested += [d for d in links if d.role == SUGGESTED]
        lead = next((d for d in links if d.role == "lead"), None)
        agree += lead is not None and lead.name in [t["lead"], *t["alternatives"]]
    assert agree == len(gold["plan_tasks"]) == 44
    assert suggested and all(d.confidence < MIN_INFERRED_CONFIDENCE for d in suggested)


def test_weak_inferences_are_suggestions_of_the_clause_not_links() -> None:
    links = links_of(PLAN)
    weak = [(cid, d) for cid, cl in links.items() for d in cl.departments
            if d.source == "inferred" and d.confidence < MIN_INFERRED_CONFIDENCE]
    assert weak == []
    assert any(c.suggestions for c in links.values())
    assert all(d.role == SUGGESTED for c in links.values() for d in c.suggestions)
    # a stored clause keeps its suggestions
    some = next(c for c in links.values() if c.suggestions)
    assert loads(dumps(some)) == some
    assert loads(dumps(ClauseLinks())) == ClauseLinks()


def test_no_inference_under_preamble_goals_and_safeguards() -> None:
    links = links_of(PLAN)
    for cid in (f"{PLAN}/序言", f"{PLAN}/一"):
        cl = links[cid]
        assert [d for d in cl.departments if d.source == "inferred"] == [] and cl.suggestions == (), cid
    safeguards = links[f"{PLAN}/九"]  # 九、保障措施 names 市生态环境局会同…: the explicit mention stays
    assert [d for d in safeguards.departments if d.source == "inferred"] == [] and not safeguards.suggestions
    assert "市生态环境局" in [d.name for d in safeguards.departments if d.source == "explicit"]


def test_the_heading_words_decide_not_the_clause_ids() -> None:
    text = "推进生活垃圾分类和资源化利用，完善可回收物回收体系。"
    for path in (("三、保障措施", "（一）加强组织领导"), ("序言",), ("一、总体要求", "（二）主要目标"),
                 ("第五章 组织实施",), ("（三）工作原则",)):
        assert no_inference_path(path)
        assert [d for d in link_departments(text, "", kb(), path=path) if d.source == "inferred"] == [], path
    assert not no_inference_path(("四、重点任务", "（一）加强生态环境法治保障"))
    assert any(d.source == "inferred" for d in link_departments(text, "", kb(), path=("四、重点任务",)))
    named = link_departments("市绿化市容局负责生活垃圾分类。", "", kb(), path=("三、保障措施",))
    assert [(d.name, d.role) for d in named] == [("市绿化市容局", "lead")]


# --- point 9: national documents link national bodies ---------------------------------------------


def test_document_level() -> None:
    assert document_level("法律", "全国人民代表大会常务委员会", "中华人民共和国土壤污染防治法") == NATIONAL
    assert document_level("行政法规", "国务院", "排污许可管理条例") == NATIONAL
    assert document_level("地方性法规", "上海市人民代表大会常务委员会", "上海市环境保护条例") == "市"
    assert document_level("规划", "上海市人民政府", "美丽上海建设“十五五”规划") == "市"
    assert document_level("", "", "某某文件") is None


def test_national_law_article_links_no_city_or_district_body() -> None:
    cl = links_of(SOIL)[f"{SOIL}/第七条"]
    bodies = [d for d in cl.departments if not d.evidence.startswith("泛指")]
    assert {d.name for d in bodies} == {"生态环境部", "农业农村部", "自然资源部", "住房城乡建设部", "国家林草局"}
    assert all(level_of(d.name) == NATIONAL for d in bodies)
    kinds = {d.name: d for d in cl.departments if d.evidence.startswith("泛指")}
    assert "地方生态环境主管部门" in kinds and "地方林业草原主管部门" in kinds
    assert kinds["地方生态环境主管部门"].role == "lead"
    assert all(kb().is_generic(n) for n in kinds)
    for cid, links in links_of(SOIL).items():  # no article of the law links a 市/区 body, inferred or not
        assert not [d.name for d in links.departments if level_of(d.name) in ("市", "区")], cid


def test_descriptor_in_a_national_text_is_a_kind_of_body() -> None:
    text = "县级以上地方人民政府生态环境主管部门负责监督管理。国务院生态环境主管部门负责指导。"
    names = {d.name: d for d in find_mentions(text, kb(), NATIONAL)}
    assert "市生态环境局" not in names and "区生态环境部门" not in names
    assert names["生态环境部"].evidence == "国务院生态环境主管部门"
    assert names["地方生态环境主管部门"].evidence.startswith("泛指：")
    # the same words in a Shanghai text (or with no level) keep naming this city's bodies
    assert {"市生态环境局", "区生态环境部门"} <= {d.name for d in find_mentions(text, kb())}


def test_city_regulation_keeps_its_city_and_district_bodies() -> None:
    cl = links_of(CITY_LAW)[f"{CITY_LAW}/第七条"]
    assert "区生态环境部门" in [d.name for d in cl.departments]


def test_generic_kind_names_are_generic() -> None:
    assert kb().is_generic("地方生态环境主管部门") and kb().is_generic("各地海关")
    assert not kb().is_generic("市生态环境局") and not kb().is_generic("生态环境主管部门")
    assert isinstance(DepartmentLink("x", SUGGESTED, "inferred", 0.1, "y"), DepartmentLink)
