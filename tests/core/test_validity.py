"""Validity from the library's own text (app.core.validity): repeal and amend statements in final articles,
resolved to the version in force, laid over the manifest's status and kept out of default search."""

from __future__ import annotations

import json
from pathlib import Path

from app.core import corpus, validity
from app.core.filters import superseded
from app.core.library import Library
from app.core.models import Clause, Document
from app.core.structure import parse_document

ROOT = Path(__file__).resolve().parents[2]
OLD_ENERGY = "上海市建筑节能条例(2010-09-17)"
GREEN = "上海市绿色建筑条例(2024-09-27)"


def _doc(doc_id: str, title: str, date: str | None, text: str, kind: str = "地方性法规",
         issuer: str = "") -> tuple[Document, list[Clause]]:
    parsed = parse_document(f"# {title}\n\n{text}", doc_id)
    doc = Document(id=doc_id, title=title, kind=kind, issuer=issuer, date=date, status="现行有效",
                   history=parsed.history)
    return doc, list(parsed.clauses)


def _derive(*items: tuple[Document, list[Clause]]) -> dict[str, validity.Validity]:
    return validity.derive([d for d, _ in items], [c for _, cs in items for c in cs])


def _law(doc_id: str, title: str, date: str, final: str, kind: str = "地方性法规") -> tuple[Document, list[Clause]]:
    body = "## 第一章 总则\n\n第一条 为了规范管理，制定本条例。\n\n第二条 本市行政区域内的有关活动，适用本条例。\n\n"
    return _doc(doc_id, title, date, body + f"## 第二章 附则\n\n第三条 {final}\n", kind)


OLD = _law("甲(2010)", "上海市甲条例", "2010-09-17", "本条例自2011年1月1日起施行。")
REPEALER = _law("乙(2024)", "上海市乙条例", "2024-09-27",
                "本条例自2025年1月1日起施行。2010年9月17日上海市第十三届人民代表大会常务委员会第二十一次会议"
                "通过的《上海市甲条例》同时废止。")


def test_a_repealing_regulation_marks_the_repealed_one_with_article_and_date() -> None:
    found = _derive(OLD, REPEALER)
    assert list(found) == ["甲(2010)"]
    v = found["甲(2010)"]
    assert (v.status, v.by_id, v.article, v.clause_id, v.date) == ("已废止", "乙(2024)", "第三条", "乙(2024)/第三条",
                                                                   "2025-01-01")
    assert v.provision() == "《上海市乙条例》第三条，2025年1月1日起"
    assert v.describe("2026-01-01") == "已废止：《上海市乙条例》第三条，2025年1月1日起"
    assert "《上海市甲条例》同时废止" in v.quote


def test_repealed_documents_join_the_superseded_set_once_laid_over() -> None:
    docs = [OLD[0], REPEALER[0]]
    found = validity.loads(validity.dumps(_derive(OLD, REPEALER)))  # through storage, as the library reads it
    shown = validity.overlay(docs, found, today="2026-01-01")
    assert [d.status for d in shown] == ["已废止", "现行有效"]
    assert shown[0].meta["validity"]["provision"] == "《上海市乙条例》第三条，2025年1月1日起"
    assert validity.of(shown[0]) == found["甲(2010)"]
    assert superseded(shown) == ["甲(2010)"]
    assert superseded(docs) == []


def test_a_repeal_still_to_come_is_pending_and_stays_searchable() -> None:
    later = _law("乙(2030)", "上海市乙条例", "2030-03-01",
                 "本条例自2031年1月1日起施行。《上海市甲条例》同时废止。")
    found = _derive(OLD, later)
    shown = validity.overlay([OLD[0]], found, today="2026-12-02")
    assert found["甲(2010)"].pending("2026-12-02")
    assert shown[0].status == "即将废止"
    assert superseded(shown) == []


def test_the_version_in_force_before_the_repeal_is_picked_among_same_title_versions() -> None:
    v2005 = _law("甲(2005)", "上海市甲条例", "2005-01-01", "本条例自2005年3月1日起施行。")
    v2015 = _law("甲(2015)", "上海市甲条例", "2015-06-01", "本条例自2015年9月1日起施行。")
    early = _law("乙(2012)", "上海市乙条例", "2012-05-01", "本条例自2012年7月1日起施行。《上海市甲条例》同时废止。")
    late = _law("乙(2020)", "上海市乙条例", "2020-05-01",
                "本条例自2020年7月1日起施行。《上海市甲条例（2015年修正）》同时废止。")  # a version suffix
    assert list(_derive(v2005, v2015, late)) == ["甲(2015)"]
    assert list(_derive(v2005, v2015, early)) == ["甲(2005)"]
    # Every version postdates the statement: they already incorporate it, nothing is marked.
    assert _derive(v2015, _law("乙(2010)", "上海市乙条例", "2010-01-01", "《上海市甲条例》同时废止。")) == {}


def test_a_newer_version_of_the_same_title_repeals_its_predecessor_by_name() -> None:
    old = _law("丁(2008)", "上海市丁规定", "2008-01-01", "本规定自2008年3月1日起施行。")
    new = _law("丁(2022)", "上海市丁规定", "2022-01-01",
               "本规定自2022年3月1日起施行。2008年1月1日通过的《上海市丁规定》同时废止。")
    found = _derive(old, new)
    assert list(found) == ["丁(2008)"]
    assert found["丁(2008)"].by_id == "丁(2022)"


def test_an_amending_decision_marks_the_version_it_amends_not_the_amended_text() -> None:
    before = _law("丙(2018)", "上海市丙条例", "2018-12-20", "本条例自2019年1月1日起施行。")
    after = _law("丙(2021)", "上海市丙条例", "2021-04-01", "本条例自2019年1月1日起施行。")
    decision = _doc("丙修改决定", "上海市人民代表大会常务委员会关于修改《上海市丙条例》的决定", None,
                    "2021年3月1日 上海市第十五届人民代表大会常务委员会第二十九次会议通过\n\n<!-- INFO END -->\n\n"
                    "上海市第十五届人民代表大会常务委员会第二十九次会议决定对《上海市丙条例》作如下修改：\n\n"
                    "一、将第二条修改为：“本市行政区域内的有关活动，适用本条例。”\n\n"
                    "本决定自2021年5月1日起施行。\n\n《上海市丙条例》根据本决定作相应修改，重新公布。\n")
    found = _derive(before, after, decision)
    assert list(found) == ["丙(2018)"]
    v = found["丙(2018)"]
    assert (v.status, v.by_id, v.article, v.date) == ("已被修改", "丙修改决定", "", "2021-05-01")
    assert v.provision() == "《上海市人民代表大会常务委员会关于修改《上海市丙条例》的决定》，2021年5月1日起"
    # Amended is not repealed: the only text the library has stays in default search.
    alone = validity.overlay([before[0]], _derive(before, decision))
    assert alone[0].status == "已被修改"
    assert superseded(alone) == []


def test_a_list_of_repealed_titles_with_parentheticals_and_issuer_prefixed_titles() -> None:
    a = _doc("解释A", "最高人民法院关于审理甲类案件适用法律若干问题的解释", "2015-01-01", "第一条 甲。\n", kind="司法解释")
    b = _doc("解释B", "最高人民法院关于审理乙类案件的规定", "2016-01-01", "第一条 乙。\n", kind="司法解释")
    new = _doc("解释C", "最高人民法院关于审理甲乙类案件适用法律若干问题的解释", "2023-08-01",
               "第一条 丙。\n\n第二条 本解释自2023年9月1日起施行。最高人民法院《关于审理甲类案件适用法律若干问题的解释》"
               "（法释〔2015〕1号，以下简称《解释》）和2016年发布的《最高人民法院关于审理乙类案件的规定》同时废止。\n",
               kind="司法解释")
    found = _derive(a, b, new)
    assert sorted(found) == ["解释A", "解释B"]
    assert {v.article for v in found.values()} == {"第二条"}


def test_what_is_not_a_repeal_of_a_whole_document() -> None:
    basis = _law("戊(2015)", "上海市戊条例", "2015-01-01", "本条例自2015年3月1日起施行。")
    water = _doc("水法", "中华人民共和国水法", "2016-07-02", "第一条 水。\n", kind="法律")
    other_region = _law("北京(2012)", "北京市己条例", "2012-01-01", "本条例自2012年3月1日起施行。")
    actor = _law("庚(2020)", "上海市庚条例", "2020-01-01",
                 "本条例自2020年3月1日起施行。根据《上海市戊条例》第五条的规定，《上海市戊条例》第十条同时废止；"
                 "《中华人民共和国水法》同时废止；《北京市己条例》同时废止；有关机关可以撤销或者废止《上海市戊条例》第七条。")
    assert _derive(basis, water, other_region, actor) == {}


def test_a_cited_trial_version_never_resolves_to_the_formal_one() -> None:
    formal = _doc("诉讼法", "中华人民共和国某诉讼法", "2021-12-24", "第一条 甲。\n", kind="法律")
    actor = _doc("诉讼法2023", "中华人民共和国某诉讼法", "2023-09-01",
                 "第一条 甲。\n\n第二条 本法自公布之日起施行，《中华人民共和国某诉讼法（试行）》同时废止。\n", kind="法律")
    assert _derive(formal, actor) == {}


def test_chinese_numeral_dates_and_titles_with_nested_brackets() -> None:
    old = _law("实施办法", "上海市实施《中华人民共和国某某法》办法", "1998-01-01", "本办法自1998年3月1日起施行。")
    new = _law("新条例", "上海市某某条例", "2005-01-01",
               "本条例自二〇〇五年三月一日起施行。《上海市实施〈中华人民共和国某某法〉办法》同时废止。")
    v = _derive(old, new)["实施办法"]
    assert (v.date, v.by_id) == ("2005-03-01", "新条例")


def _shipped() -> tuple[list[Document], list[Clause]]:
    """The shipped corpus read straight from its files (no index)."""
    docs: list[Document] = []
    clauses: list[Clause] = []
    for n, src in enumerate(corpus.scan(ROOT / "corpus", [])):
        parsed = parse_document(src.path.read_text(encoding="utf-8"), src.entry["id"], kind=src.entry.get("kind"))
        docs.append(corpus.make_document(src, doc_id=src.entry["id"], title=parsed.title, history=parsed.history,
                                         sha="", ordinal=n, style=parsed.style))
        clauses += parsed.clauses
    return docs, clauses


def test_the_shipped_corpus_says_the_building_energy_regulation_is_repealed() -> None:
    manifest = json.loads((ROOT / "corpus" / "manifest.json").read_text(encoding="utf-8"))
    assert next(d for d in manifest["documents"] if d["id"] == OLD_ENERGY)["status"] == "现行有效"  # issue #13
    docs, clauses = _shipped()
    found = validity.derive(docs, clauses)
    v = found[OLD_ENERGY]
    assert (v.status, v.by_id, v.article, v.date) == ("已废止", GREEN, "第四十六条", "2025-01-01")
    assert v.provision() == "《上海市绿色建筑条例》第四十六条，2025年1月1日起"
    # The corpus's other fact of the kind: the 示范区 decision of 2020 gave way to the 2024 regulation.
    demo = found["上海市人民代表大会常务委员会关于促进和保障长三角生态绿色一体化发展示范区建设若干问题的决定(2020-09-25)"]
    assert (demo.status, demo.article, demo.date) == ("已废止", "第六十六条", "2024-05-01")
    assert set(found) == {OLD_ENERGY, demo.doc_id}


def test_the_library_reports_it_and_default_search_leaves_it_out(library: Library) -> None:
    doc = library.document(OLD_ENERGY)
    assert doc.status == "已废止"
    assert doc.meta["validity"]["provision"] == "《上海市绿色建筑条例》第四十六条，2025年1月1日起"
    assert library.derived_validity()[OLD_ENERGY].by_id == GREEN
    assert next(d for d in library.documents() if d.id == OLD_ENERGY).status == "已废止"
    assert library.document(GREEN).status == "现行有效"
    query = "文件:上海市建筑节能条例 建筑节能"
    assert library.search(query).total == 0
    assert library.search(query, all_versions=True).total > 0
    assert all(h.doc_id != OLD_ENERGY for h in library.search("建筑节能", limit=100).hits)
