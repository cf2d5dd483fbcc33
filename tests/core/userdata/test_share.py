"""app.core.userdata.share: the export document and the merge of shared or re-imported data (no duplicates:
same id or same anchor, the newer `updated_at` wins). On a migrated SQLite file, inside one transaction each."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest

from app.core.errors import PolicyDeskError
from app.core.userdata import ImportSummary, schema
from app.core.userdata.db import TextCleaner
from app.core.userdata.share import (
    EXPORT_FORMAT,
    EXPORT_SCHEMA,
    export_document,
    live_by_anchor,
    merge_document,
    merge_indicator,
    merge_jsonl,
    merge_task,
    merge_value,
    parse_export,
)

T0 = "2025-01-01T00:00:00.000000+00:00"
T1 = "2025-02-01T00:00:00.000000+00:00"
T2 = "2025-03-01T00:00:00.000000+00:00"


@pytest.fixture
def conn(tmp_path: Path) -> Iterator[sqlite3.Connection]:
    c = sqlite3.connect(tmp_path / "user.db", isolation_level=None)
    c.row_factory = sqlite3.Row
    c.execute("PRAGMA foreign_keys=ON")
    schema.migrate(c, schema.USER_MIGRATIONS)
    yield c
    c.close()


def _entry(tid: str, clause: str, note: str, updated: str, **kw: Any) -> dict[str, Any]:
    return {"id": tid, "clause_id": clause, "note": note, "created_at": T0, "updated_at": updated,
            "anchor": {"doc_id": "d", "text": "条款", "state": "ok"}, **kw}


def _notes(conn: sqlite3.Connection) -> dict[str, str]:
    return {r["id"]: r["note"] for r in conn.execute("SELECT id, note FROM tasks WHERE deleted_at IS NULL")}


def test_parse_export() -> None:
    doc = {"format": EXPORT_FORMAT, "schema": EXPORT_SCHEMA, "tasks": []}
    assert parse_export(json.dumps(doc)) == doc
    for bad in ("not json", "[]", json.dumps({**doc, "format": "x"}), json.dumps({**doc, "tasks": {}})):
        with pytest.raises(PolicyDeskError, match="不是有效的 PolicyDesk 任务导出文件"):
            parse_export(bad)
    for newer in ({**doc, "schema": EXPORT_SCHEMA + 1}, {**doc, "schema": "1"}):
        with pytest.raises(PolicyDeskError):
            parse_export(json.dumps(newer))
    with pytest.raises(PolicyDeskError, match="更新版本"):
        parse_export(json.dumps({**doc, "schema": EXPORT_SCHEMA + 1}))


def test_merge_task_added_updated_skipped(conn: sqlite3.Connection) -> None:
    clean = TextCleaner()
    assert merge_task(conn, _entry("t1", "c1", "旧", T1), clean) == "added"
    assert merge_task(conn, _entry("t1", "c1", "更旧", T0), clean) == "skipped"  # older
    assert merge_task(conn, _entry("t1", "c1", "同时", T1), clean) == "skipped"  # same time: local wins
    assert merge_task(conn, _entry("t1", "c1", "新", T2), clean) == "updated"
    assert _notes(conn) == {"t1": "新"}
    # another id on the same anchor: the local task is updated, never duplicated
    assert merge_task(conn, _entry("t9", "c1", "同一条款", "2025-04-01T00:00:00Z"), clean) == "updated"
    assert _notes(conn) == {"t1": "同一条款"}
    assert live_by_anchor(conn, "c1", None)["id"] == "t1"  # type: ignore[index]
    assert live_by_anchor(conn, "c1", "c1#x") is None


def test_merge_task_revives_a_deleted_task_only_when_newer(conn: sqlite3.Connection) -> None:
    clean = TextCleaner()
    merge_task(conn, _entry("t1", "c1", "x", T1), clean)
    conn.execute("UPDATE tasks SET deleted_at = ?, updated_at = ? WHERE id = 't1'", (T1, T1))
    assert merge_task(conn, _entry("t1", "c1", "旧副本", T0), clean) == "skipped"
    assert _notes(conn) == {}
    assert merge_task(conn, _entry("t1", "c1", "新副本", T2), clean) == "updated"
    assert _notes(conn) == {"t1": "新副本"}


def test_merge_task_cleans_text_and_refuses_malformed_entries(conn: sqlite3.Connection) -> None:
    clean = TextCleaner()
    merge_task(conn, _entry("t1", "c1", "a\x00b", T1, tags=["x\ud800"]), clean)
    row = conn.execute("SELECT note, tags FROM tasks").fetchone()
    assert row["note"] == "ab" and json.loads(row["tags"]) == ["x\ufffd"]
    assert (clean.nul, clean.surrogates) == (1, 1)
    with pytest.raises(PolicyDeskError, match="任务数据格式不正确"):
        merge_task(conn, {"id": "t2"}, clean)


def test_merge_indicator_and_values(conn: sqlite3.Connection) -> None:
    clean, summary = TextCleaner(), ImportSummary()
    entry = {"indicator_key": "c1#x", "clause_id": "c1", "name": "x", "target": "20", "comparator": "≥",
             "updated_at": T1, "values": [{"year": 2024, "value": 18, "updated_at": T1},
                                          {"year": 2023, "value": None}]}
    merge_indicator(conn, entry, clean, summary)
    row = conn.execute("SELECT target, comparator FROM indicators").fetchone()
    assert (row["target"], row["comparator"]) == (20.0, ">=")  # an unknown comparator falls back
    assert (summary.indicators_added, summary.values_added) == (1, 1)  # a value of None is no value
    merge_indicator(conn, {**entry, "target": 25, "updated_at": T2,
                           "values": [{"year": 2024, "value": 19, "updated_at": T2}]}, clean, summary)
    merge_indicator(conn, {**entry, "target": 1, "updated_at": T0, "values": []}, clean, summary)  # older
    assert conn.execute("SELECT target FROM indicators").fetchone()[0] == 25.0
    assert [tuple(r) for r in conn.execute("SELECT year, value FROM indicator_values")] == [(2024, 19.0)]
    assert (summary.indicators_updated, summary.values_updated) == (1, 1)
    with pytest.raises(PolicyDeskError, match="指标数据格式不正确"):
        merge_indicator(conn, {"clause_id": "c1"}, clean, summary)
    with pytest.raises(PolicyDeskError, match="指标数值格式不正确"):
        merge_value(conn, "c1#x", {"value": 1}, clean, summary)


def test_export_document_and_merge_document_round_trip(conn: sqlite3.Connection, tmp_path: Path) -> None:
    merge_task(conn, _entry("t1", "c1", "共享", T1, tags=["交通"]), TextCleaner())
    merge_task(conn, _entry("t2", "c2", "已删", T1), TextCleaner())
    conn.execute("UPDATE tasks SET deleted_at = ? WHERE id = 't2'", (T2,))
    merge_indicator(conn, {"indicator_key": "c1#x", "clause_id": "c1", "name": "x", "target": 10,
                           "values": [{"year": 2024, "value": 10}]}, TextCleaner(), ImportSummary())
    doc = export_document(conn)
    assert (doc["format"], doc["schema"], doc["app"]) == (EXPORT_FORMAT, EXPORT_SCHEMA, "PolicyDesk")
    assert [t["id"] for t in doc["tasks"]] == ["t1"]  # the trash is not shared
    assert doc["indicators"][0]["progress"]["status"] == "achieved" and doc["comments"] == []
    doc = json.loads(json.dumps(doc, ensure_ascii=False))
    with closing(sqlite3.connect(tmp_path / "other.db", isolation_level=None)) as other:
        other.row_factory = sqlite3.Row
        schema.migrate(other, schema.USER_MIGRATIONS)
        summary = merge_document(other, doc)
        assert (summary.added, summary.indicators_added, summary.values_added, summary.notice) == (1, 1, 1, "")
        assert _notes(other) == {"t1": "共享"}
        assert merge_document(other, {"tasks": doc["tasks"]}).skipped == 1  # a file without indicators/comments


def test_merge_jsonl_skips_bad_lines_and_keeps_the_rest(conn: sqlite3.Connection) -> None:
    task = _entry("t1", "c1", "从记录恢复", T1)
    lines = [
        json.dumps({"type": "task", "task": task}, ensure_ascii=False),
        "",
        "{broken json",
        json.dumps({"type": "task", "task": {"id": "t2"}}),  # malformed task
        json.dumps({"type": "indicator", "indicator_key": "c1#x", "clause_id": "c1", "name": "x", "target": 1}),
        json.dumps({"type": "override", "clause_id": "c1", "lead": '["市交通委"]', "support": None}),
        json.dumps({"type": "setting", "key": "user.department", "value": '"市水务局"'}, ensure_ascii=False),
        json.dumps({"type": "unknown"}),
    ]
    summary = merge_jsonl(conn, lines)
    assert (summary.added, summary.skipped, summary.indicators_added) == (1, 2, 1)
    assert _notes(conn) == {"t1": "从记录恢复"}
    assert conn.execute("SELECT lead FROM link_overrides").fetchone()[0] == '["市交通委"]'
    assert conn.execute("SELECT value FROM settings").fetchone()[0] == '"市水务局"'
    assert not conn.in_transaction
