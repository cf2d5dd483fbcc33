"""app.core.userdata.model: the dataclasses of tasks, indicators and drafts and the checks every write goes
through (status, priority, dates, tags, numbers, timestamps)."""

from __future__ import annotations

import datetime as dt
import json
import math
import sqlite3
from contextlib import closing

import pytest

from app.core.errors import PolicyDeskError
from app.core.userdata import PRIORITY_LABELS, STATUS_LABELS, IndicatorValue, TrackedIndicator, schema
from app.core.userdata.model import (
    ANCHOR_STATES,
    EDITABLE,
    Task,
    anchor_sets,
    due_value,
    finite,
    indicator_from_row,
    indicator_key,
    norm_iso,
    now_iso,
    parse_iso,
    priority_value,
    status_code,
    tag_list,
    task_from_json,
    task_from_row,
    text_fingerprint,
)

NOW = "2025-03-01T08:00:00.000000+00:00"


def _task(**kw: object) -> Task:
    base: dict[str, object] = {
        "id": "t1", "clause_id": "plan/三/（一）/1", "indicator_key": None, "doc_id": "plan", "doc_title": "规划",
        "path": ("三、绿色低碳", "（一）碳达峰"), "heading": "健全双控制度。", "fingerprint": "f" * 40,
        "text": "健全碳排放双控制度体系。", "anchor_state": "ok", "note": "笔记", "tags": ("年度",), "status": "doing",
        "priority": 1, "due": "2026-06-30", "owner": "张三", "collection": "重点", "created_at": NOW,
        "updated_at": NOW}
    base.update(kw)
    return Task(**base)  # type: ignore[arg-type]


def test_labels_and_editable_fields() -> None:
    assert STATUS_LABELS == {"todo": "未开始", "doing": "进行中", "done": "已完成", "parked": "已搁置"}
    assert PRIORITY_LABELS == {1: "高", 2: "中", 3: "低"}
    assert ANCHOR_STATES == ("ok", "moved", "changed", "missing")
    assert "clause_id" not in EDITABLE and set(EDITABLE) == {"note", "tags", "status", "priority", "due", "owner",
                                                              "collection"}


def test_timestamps() -> None:
    stamp = now_iso()
    assert stamp.endswith("+00:00") and len(stamp.split("T")[1]) == len("08:00:00.000000+00:00")
    assert parse_iso("2025-03-01T08:00:00Z") == dt.datetime(2025, 3, 1, 8, tzinfo=dt.UTC)
    assert parse_iso("2025-03-01T08:00:00").tzinfo == dt.UTC  # naive: taken as UTC
    assert norm_iso("2025-03-01T16:00:00+08:00") == NOW
    assert norm_iso("2025-03-01T08:00:00Z") == NOW


def test_text_fingerprint_ignores_whitespace_only() -> None:
    a = text_fingerprint("健全碳排放双控\n制度体系。")
    assert a == text_fingerprint(" 健全 碳排放双控制度体系。\t") and len(a) == 40
    assert a != text_fingerprint("健全碳排放双控制度体系")


def test_indicator_key() -> None:
    assert indicator_key("plan/三/（一）/1", "PM2.5浓度") == "plan/三/（一）/1#PM2.5浓度"


def test_status_codes_and_labels() -> None:
    assert status_code("done") == "done" and status_code(" 已搁置 ") == "parked"
    with pytest.raises(PolicyDeskError, match="未知的任务状态：完成"):
        status_code("完成")


@pytest.mark.parametrize(("value", "want"), [(1, 1), (3, 3), ("高", 1), ("低", 3), (" 2 ", 2), ("中", 2)])
def test_priority_values(value: int | str, want: int) -> None:
    assert priority_value(value) == want


@pytest.mark.parametrize("value", [0, 4, True, "最高", ""])
def test_bad_priorities(value: int | str) -> None:
    with pytest.raises(PolicyDeskError, match="未知的优先级"):
        priority_value(value)


def test_due_values() -> None:
    assert due_value(None) is None and due_value("  ") is None
    assert due_value(" 2026-06-30 ") == "2026-06-30"
    assert due_value(dt.date(2026, 1, 2)) == "2026-01-02"
    assert due_value(dt.datetime(2026, 1, 2, 23, 59)) == "2026-01-02"
    for bad in ("明天", "2026-02-30"):
        with pytest.raises(PolicyDeskError, match="无法识别的日期"):
            due_value(bad)


def test_tag_list() -> None:
    assert tag_list("交通") == ["交通"]
    assert tag_list([" 交通", "环保", "交通 ", "", "  ", "年度"]) == ["交通", "环保", "年度"]


def test_finite() -> None:
    assert finite(None, "目标值") is None and finite("", "目标值") is None
    assert finite("13.5", "目标值") == 13.5 and finite(7, "目标值") == 7.0
    with pytest.raises(PolicyDeskError, match="目标值不是数字：abc"):
        finite("abc", "目标值")
    for bad in (math.inf, float("nan"), "inf"):
        with pytest.raises(PolicyDeskError, match="不是有效数字"):
            finite(bad, "基期值")


def test_anchor_sets_only_what_the_move_gives() -> None:
    def up(s: str) -> str:
        return s.upper()

    assert anchor_sets({"clause_id": "x", "state": "missing"}, up) == {}
    full = anchor_sets({"doc_id": "d", "doc_title": "t", "heading": "h", "path": ["a", "b"], "text": "body"}, up)
    assert full == {"doc_id": "D", "anchor_doc_title": "T", "anchor_heading": "H", "anchor_path": '["A", "B"]',
                    "anchor_text": "BODY", "anchor_fingerprint": text_fingerprint("BODY")}
    given = anchor_sets({"text": "body", "fingerprint": "fp"}, up)
    assert given == {"anchor_text": "BODY", "anchor_fingerprint": "fp"}
    assert anchor_sets({"fingerprint": "fp", "doc_id": None}, up) == {"anchor_fingerprint": "fp"}


def test_task_properties_and_json() -> None:
    t = _task()
    assert (t.status_label, t.priority_label, t.deleted) == ("进行中", "高", False)
    assert _task(deleted_at=NOW).deleted
    assert _task(notice="已去除") == t  # the notice is not part of the value
    data = t.to_json()
    assert data["anchor"] == {"clause_id": t.clause_id, "doc_id": "plan", "doc_title": "规划",
                              "path": ["三、绿色低碳", "（一）碳达峰"], "heading": "健全双控制度。",
                              "fingerprint": "f" * 40, "text": t.text, "state": "ok"}
    assert (data["status"], data["status_label"], data["priority_label"], data["tags"]) == ("doing", "进行中", "高",
                                                                                          ["年度"])
    json.dumps(data, ensure_ascii=False)  # plain JSON


def test_task_from_json_normalises_an_export_entry() -> None:
    cols = task_from_json(_task().to_json())
    assert cols["anchor_path"] == ["三、绿色低碳", "（一）碳达峰"] and cols["status"] == "doing"
    odd = {"id": 5, "clause_id": "c", "status": "已完成", "priority": "低", "tags": ["a", "a"],
           "anchor": {"state": "weird"}, "owner": "", "created_at": "2025-03-01T16:00:00+08:00",
           "updated_at": "2025-03-01T08:00:00Z"}
    cols = task_from_json(odd)
    assert (cols["id"], cols["status"], cols["priority"], cols["tags"], cols["anchor_state"]) == (
        "5", "done", 3, ["a"], "ok")
    assert cols["owner"] is None and cols["created_at"] == NOW and cols["updated_at"] == NOW
    for bad in ({"clause_id": "c"}, {**odd, "updated_at": "昨天"}, {**odd, "anchor": "not a dict"}):
        with pytest.raises(PolicyDeskError, match="任务数据格式不正确"):
            task_from_json(bad)


def test_rows_read_back_into_dataclasses() -> None:
    with closing(sqlite3.connect(":memory:", isolation_level=None)) as conn:
        conn.row_factory = sqlite3.Row
        schema.migrate(conn, schema.USER_MIGRATIONS)
        conn.execute("INSERT INTO tasks(id, clause_id, anchor_path, tags, status, priority, created_at, updated_at) "
                     "VALUES ('t', 'c', '[\"一\"]', '[\"x\", \"y\"]', 'done', 3, ?, ?)", (NOW, NOW))
        conn.execute("INSERT INTO indicators(indicator_key, clause_id, name, target, unit, deadline, created_at, "
                     "updated_at) VALUES ('c#n', 'c', 'n', 1.5, '%', 2030, ?, ?)", (NOW, NOW))
        task = task_from_row(conn.execute("SELECT * FROM tasks").fetchone())
        ind = indicator_from_row(conn.execute("SELECT * FROM indicators").fetchone())
    assert (task.path, task.tags, task.status, task.priority, task.deleted) == (("一",), ("x", "y"), "done", 3, False)
    assert ind == TrackedIndicator("c#n", "c", "n", 1.5, "%", ">=", 2030, None, None, NOW, NOW)
    assert ind.to_json()["indicator_key"] == "c#n" and ind.to_json()["comparator"] == ">="
    assert IndicatorValue("c#n", 2024, 1.2, "统计公报", NOW).to_json() == {
        "year": 2024, "value": 1.2, "source": "统计公报", "updated_at": NOW}
