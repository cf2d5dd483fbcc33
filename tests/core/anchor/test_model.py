"""app.core.anchor.model: a bookmark's `Anchor` (what is remembered of its clause) and where it is now
(`Resolution`)."""

from __future__ import annotations

import json

from app.core.anchor.keys import _sha1, text_key
from app.core.anchor.model import Anchor, Resolution, _anchor, anchor_for
from tests.core.anchor.clauses import article, doc, task

PLAN = doc("plan", "美丽上海建设规划（征求意见稿）")
CLAUSE = task("plan", "三/（一）/1", "健全双控制度。", "推进碳排放统计 核算。", ("三、低碳", "（一）碳达峰"))


def test_anchor_for_a_clause() -> None:
    a = anchor_for(CLAUSE, PLAN)
    assert (a.clause_id, a.doc_id, a.doc_title) == ("plan/三/（一）/1", "plan", "美丽上海建设规划（征求意见稿）")
    assert a.path == ("三、低碳", "（一）碳达峰", "健全双控制度。") and a.heading == "健全双控制度。"
    assert a.text == "健全双控制度。推进碳排放统计 核算。"  # the full text, as it was
    assert a.fingerprint == _sha1(text_key("健全双控制度。推进碳排放统计核算。"))
    assert _anchor(CLAUSE, PLAN, "any key").fingerprint == _sha1("any key")


def test_fingerprint_ignores_spacing_and_width() -> None:
    a = anchor_for(article("law", "第五条", "公园应当 全天开放。"), doc("law"))
    b = anchor_for(article("law", "第五条", "公园应当全天开放。"), doc("law"))
    c = anchor_for(article("law", "第五条", "公园可以全天开放。"), doc("law"))
    assert a.fingerprint == b.fingerprint != c.fingerprint


def test_relative_id() -> None:
    assert anchor_for(CLAUSE, PLAN).relative_id == "三/（一）/1"
    odd = Anchor("legacy-id", "plan", "", (), "", "f", "")
    assert odd.relative_id == "legacy-id"  # an id without its document prefix is kept whole


def test_json_round_trip_and_defaults() -> None:
    a = anchor_for(CLAUSE, PLAN)
    data = json.loads(json.dumps(a.to_json(), ensure_ascii=False))
    assert data["path"] == list(a.path) and Anchor.from_json(data) == a
    minimal = Anchor.from_json({"clause_id": "d/第一条", "doc_id": "d", "fingerprint": "f"})
    assert minimal == Anchor("d/第一条", "d", "", (), "", "f", "")


def test_resolution() -> None:
    a = anchor_for(CLAUSE, PLAN)
    ok = Resolution("ok", a.clause_id, a.doc_id, 1.0, "same id", a, a)
    missing = Resolution("missing", None, None, 0.42, "no match (best similarity 0.42)", a)
    assert ok.attached and not missing.attached and missing.new_anchor is None
    assert ok == Resolution("ok", a.clause_id, a.doc_id, 1.0, "same id", a, None)  # new_anchor not compared
