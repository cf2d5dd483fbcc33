"""Repeal and amend statements as documents write them, and when a document takes effect
(app.core.validity_statements)."""

from __future__ import annotations

from app.core.models import Clause, Document
from app.core.validity_statements import Statement, effective_date, statements

LOCAL = Document(id="d", title="上海市某某条例", kind="地方性法规")


def art(n: int, text: str, doc: str = "d", path: tuple[str, ...] | None = None) -> Clause:
    return Clause(id=f"{doc}/第{n}条", doc_id=doc, ordinal=n, level="article", number=f"第{n}条", number_value=n,
                  heading="", path=path or (f"第{n}条",), text=text)


def filler(first: int, last: int, doc: str = "d") -> list[Clause]:
    return [art(n, "本市加强相关管理工作。", doc) for n in range(first, last + 1)]


def found(doc: Document, clauses: list[Clause]) -> list[tuple[str, str]]:
    return [(s.action, s.cited) for s in statements(doc, clauses)]


def test_a_final_article_repeals_the_old_regulation() -> None:
    last = art(10, "本条例自2025年1月1日起施行。2003年公布的《上海市旧条例》同时废止。")
    got = statements(LOCAL, [*filler(1, 9), last])
    assert got == [Statement("repeal", "上海市旧条例", last, "2003年公布的《上海市旧条例》同时废止。")]


def test_only_final_articles_count_outside_a_decision() -> None:
    early = art(1, "《上海市旧条例》同时废止。")
    assert found(LOCAL, [early, *filler(2, 10)]) == []
    under_annex = art(2, "《上海市旧条例》同时废止。", path=("第八章 附则", "第2条"))
    assert found(LOCAL, [art(1, "x"), under_annex, *filler(3, 10)]) == [("repeal", "上海市旧条例")]


def test_what_is_not_a_repeal_of_a_document() -> None:
    assert found(LOCAL, [art(1, "废止《某某办法》第十条。")]) == []  # a part of it
    assert found(LOCAL, [art(1, "有关机关可以撤销或者废止《某某办法》。")]) == []  # a power, not an act
    # named as the basis of the act, not its target
    assert found(LOCAL, [art(1, "根据《中华人民共和国立法法》，《某某办法》同时废止。")]) == [("repeal", "某某办法")]
    # a short name given in brackets is not a second document
    assert found(LOCAL, [art(1, "《某某规定》（法释〔2009〕19号，以下简称《解释》）同时废止。")]) == [("repeal", "某某规定")]


def test_several_titles_in_one_statement() -> None:
    got = found(LOCAL, [art(1, "《甲办法》、《乙规定》和《丙细则》同时废止。")])
    assert got == [("repeal", "甲办法"), ("repeal", "乙规定"), ("repeal", "丙细则")]


def test_a_decision_acts_in_its_title_and_in_any_article() -> None:
    decision = Document(id="x", title="全国人民代表大会常务委员会关于修改《中华人民共和国甲法》等三部法律的决定", kind="法律")
    first = art(1, "对《中华人民共和国乙法》作如下修改：", doc="x")
    got = statements(decision, [first, *filler(2, 20, doc="x")])
    assert got == [
        Statement("amend", "中华人民共和国甲法", None, decision.title),
        Statement("amend", "中华人民共和国乙法", first, "对《中华人民共和国乙法》作如下修改："),
    ]
    repeal = Document(id="y", title="国务院关于废止《甲条例》和《乙办法》的决定", kind="行政法规")
    assert found(repeal, []) == [("repeal", "甲条例"), ("repeal", "乙办法")]


def test_amend_wordings() -> None:
    assert found(LOCAL, [art(1, "《上海市甲办法》根据本决定作相应修改。")]) == [("amend", "上海市甲办法")]
    decision = Document(id="z", title="关于修改和废止部分规章的决定", kind="部门规章")
    assert found(decision, [art(1, "一、修改《某某管理办法》", doc="z")]) == [("amend", "某某管理办法")]


def test_effective_date_from_the_text() -> None:
    assert effective_date(LOCAL, [art(1, "本条例自2025年1月1日起施行。")]) == "2025-01-01"
    assert effective_date(LOCAL, [art(1, "本条例自二〇二四年十二月三十一日起施行。")]) == "2024-12-31"
    assert effective_date(LOCAL, [art(1, "自2020年13月1日起施行。")]) is None  # no such month


def test_effective_date_prefers_the_clause_asked_about_then_the_last() -> None:
    whole, part = art(1, "本规定自2020年5月1日起施行。"), art(2, "第二部分自2021年1月1日起施行。")
    assert effective_date(LOCAL, [whole, part]) == "2021-01-01"
    assert effective_date(LOCAL, [whole, part], near=whole) == "2020-05-01"


def test_effective_date_from_history_or_publication() -> None:
    law = Document(id="h", title="某法", kind="法律",
                   history=("2010年1月1日第十一届全国人民代表大会通过", "2012年3月1日起施行"))
    assert effective_date(law, [art(1, "无关条文。")]) == "2012-03-01"
    dated = Document(id="p", title="某法", kind="法律", date="2019-06-01")
    assert effective_date(dated, [art(1, "本法自公布之日起施行。")]) == "2019-06-01"
    undated = Document(id="p", title="某法", kind="法律", history=("2018年10月26日通过",))
    assert effective_date(undated, [art(1, "本法自公布之日起施行。")]) == "2018-10-26"
    assert effective_date(dated, [art(1, "本法由国务院负责解释。")]) is None
