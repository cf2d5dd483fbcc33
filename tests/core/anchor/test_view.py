"""app.core.anchor.view: one candidate document of the matcher and its lookups (relative id, key, fingerprint,
heading, the bigram shortlist), built on first use."""

from __future__ import annotations

from dataclasses import replace

from app.core.anchor.keys import _bigrams, _sha1, content_key, text_key
from app.core.anchor.thresholds import SHORTLIST
from app.core.anchor.view import _View
from tests.core.anchor.clauses import article, doc, section, task

D = doc("d")


def test_relative_ids_and_keys() -> None:
    clauses = [article("d", "第一条", "为了 加强管理，制定本办法。"), article("d", "第二条", "本办法适用于本市。")]
    clauses.append(replace(clauses[1], id="legacy/第九条"))  # an id without this document's prefix
    view = _View(D, clauses)
    assert view.by_rel == {"第一条": 0, "第二条": 1, "legacy/第九条": 2}
    assert [view.rel(i) for i in range(3)] == ["第一条", "第二条", "legacy/第九条"]
    assert view.key(0) == "为了加强管理,制定本办法。" == content_key(clauses[0])
    assert view.key(0) is view.key(0)  # computed once


def test_by_fingerprint_groups_identical_texts() -> None:
    clauses = [article("d", "第一条", "本办法自公布之日起施行。"), article("d", "第二条", "其他内容。"),
               article("d", "第三条", "本办法自公布之日起 施行。"), section("d", "一", "一、", "")]
    view = _View(D, clauses)
    fp = view.by_fingerprint()
    assert fp[_sha1(text_key("本办法自公布之日起施行。"))] == [0, 2]
    assert sum(len(v) for v in fp.values()) == 3  # a clause without any text has no fingerprint
    assert view.by_fingerprint() is fp


def test_by_heading_without_number_labels() -> None:
    clauses = [section("d", "一/（二）", "（二）", "持续深入打好碧水保卫战"),
               task("d", "一/（二）/1", "强化协同控制。", "正文。"),
               task("d", "二/（一）/3", "强化协同控制。", "另一处正文。"),
               article("d", "第五条", "没有标题。")]
    headings = _View(D, clauses).by_heading()
    assert headings == {"持续深入打好碧水保卫战": [0], "强化协同控制。": [1, 2]}


def test_shortlist_ranks_by_shared_rare_bigrams() -> None:
    texts = ["推进生活垃圾分类", "加强生活垃圾处理", "生活污水收集处理", "推进生活垃圾源头减量", "完善法规制度",
             "落实河长制湖长制", "生活垃圾"]
    view = _View(D, [article("d", f"第{i}条", t) for i, t in enumerate(texts)])
    grams = _bigrams(text_key("推进生活垃圾源头减量工作"))
    got = view.shortlist(grams)
    assert got[0] == 3 and len(got) == SHORTLIST  # the clause sharing the most of them first
    assert set(got) <= {0, 1, 2, 3, 6} and 4 not in got and 5 not in got
    assert view.shortlist(_bigrams("完全无关的字")) == [] and view.shortlist(set()) == []
