"""Sharing tasks between colleagues and re-importing the JSONL twin: the export document and the merge.

Merging never duplicates: a task matches by id, else by its anchor (clause id + indicator key); the
newer `updated_at` wins. Indicators match by key, yearly values by (key, year), comments by id, with the
same rule.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Mapping
from typing import Any

from app.core.errors import PolicyDeskError
from app.core.userdata.comment_model import comment_entries, merge_comment
from app.core.userdata.db import TextCleaner
from app.core.userdata.import_summary import ImportSummary
from app.core.userdata.model import (
    COMPARATORS,
    finite,
    indicator_from_row,
    norm_iso,
    now_iso,
    parse_iso,
    task_from_json,
    task_from_row,
)
from app.core.userdata.progress import compute_progress

EXPORT_FORMAT = "policydesk-tasks"
EXPORT_SCHEMA = 1  # "comments" (a later addition) is an optional key: older releases import the rest


# -- export ------------------------------------------------------------------------------------------------
def indicator_entries(conn: sqlite3.Connection) -> list[dict[str, Any]]:
    out = []
    for r in conn.execute("SELECT * FROM indicators ORDER BY clause_id, name"):
        ind = indicator_from_row(r)
        values = list(conn.execute("SELECT * FROM indicator_values WHERE indicator_key = ? ORDER BY year",
                                   (ind.key,)))
        prog = compute_progress(target=ind.target, comparator=ind.comparator, deadline=ind.deadline,
                                baseline=ind.baseline, baseline_year=ind.baseline_year,
                                values={v["year"]: v["value"] for v in values})
        out.append({**ind.to_json(),
                    "values": [{"year": v["year"], "value": v["value"], "source": v["source"],
                                "updated_at": v["updated_at"]} for v in values],
                    "progress": prog.to_json()})
    return out


def export_document(conn: sqlite3.Connection) -> dict[str, Any]:
    tasks = [task_from_row(r).to_json()
             for r in conn.execute("SELECT * FROM tasks WHERE deleted_at IS NULL ORDER BY created_at, id")]
    return {"format": EXPORT_FORMAT, "schema": EXPORT_SCHEMA, "app": "PolicyDesk", "exported_at": now_iso(),
            "tasks": tasks, "indicators": indicator_entries(conn), "comments": comment_entries(conn)}


def parse_export(text: str) -> dict[str, Any]:
    bad = "文件不是有效的 PolicyDesk 任务导出文件"
    try:
        doc = json.loads(text)
    except ValueError as exc:
        raise PolicyDeskError(bad, detail=str(exc)) from exc
    if not isinstance(doc, dict) or doc.get("format") != EXPORT_FORMAT or not isinstance(doc.get("tasks"), list):
        raise PolicyDeskError(bad)
    if not isinstance(doc.get("schema"), int) or doc["schema"] > EXPORT_SCHEMA:
        raise PolicyDeskError("该导出文件来自更新版本的 PolicyDesk，请升级程序后再导入")
    return doc


# -- merge -------------------------------------------------------------------------------------------------
_TASK_COLUMNS = ("clause_id", "indicator_key", "doc_id", "anchor_doc_title", "anchor_path", "anchor_heading", "anchor_fingerprint",
                 "anchor_text", "anchor_state", "note", "tags", "status", "priority", "due", "owner", "collection",
                 "created_at", "updated_at")


def _clean_row(row: dict[str, Any], clean: TextCleaner) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for k, v in row.items():
        if isinstance(v, str):
            out[k] = clean(v)
        elif isinstance(v, list):
            out[k] = json.dumps([clean(str(x)) for x in v], ensure_ascii=False)
        else:
            out[k] = v
    return out


def live_by_anchor(conn: sqlite3.Connection, clause_id: str, ik: str | None) -> sqlite3.Row | None:
    row: sqlite3.Row | None = conn.execute(
        "SELECT * FROM tasks WHERE clause_id = ? AND ifnull(indicator_key, '') = ifnull(?, '') "
        "AND deleted_at IS NULL", (clause_id, ik)).fetchone()
    return row


def merge_task(conn: sqlite3.Connection, entry: Mapping[str, Any], clean: TextCleaner) -> str:
    """Merge one exported task inside the caller's transaction: "added", "updated" or "skipped"."""
    row = _clean_row(task_from_json(entry), clean)
    local: sqlite3.Row | None = conn.execute("SELECT * FROM tasks WHERE id = ?", (row["id"],)).fetchone()
    live = live_by_anchor(conn, row["clause_id"], row["indicator_key"])
    if local is None or (local["deleted_at"] is not None and live is not None):
        local = live
    if local is None:
        cols = ("id", *_TASK_COLUMNS)
        conn.execute(f"INSERT INTO tasks({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})",
                     [row[c] for c in cols])
        return "added"
    if parse_iso(row["updated_at"]) <= parse_iso(local["updated_at"]):
        return "skipped"
    if live is not None and live["id"] != local["id"]:
        return "skipped"  # the anchor is taken by another task here; never merge two tasks silently
    sets = ", ".join(f"{c} = ?" for c in _TASK_COLUMNS if c != "created_at")
    conn.execute(f"UPDATE tasks SET {sets}, deleted_at = NULL WHERE id = ?",
                 [row[c] for c in _TASK_COLUMNS if c != "created_at"] + [local["id"]])
    return "updated"


def merge_indicator(conn: sqlite3.Connection, entry: Mapping[str, Any], clean: TextCleaner,
                    summary: ImportSummary) -> None:
    try:
        key = clean(str(entry["indicator_key"]))
        comparator = str(entry.get("comparator") or ">=")
        row = {
            "clause_id": clean(str(entry["clause_id"])), "name": clean(str(entry["name"])),
            "target": finite(entry.get("target"), "目标值"), "unit": clean(str(entry.get("unit") or "")),
            "comparator": comparator if comparator in COMPARATORS else ">=",
            "deadline": None if entry.get("deadline") is None else int(entry["deadline"]),
            "baseline": finite(entry.get("baseline"), "基期值"),
            "baseline_year": None if entry.get("baseline_year") is None else int(entry["baseline_year"]),
            "created_at": norm_iso(str(entry.get("created_at") or now_iso())),
            "updated_at": norm_iso(str(entry.get("updated_at") or now_iso())),
        }
        values = list(entry.get("values") or [])
    except (KeyError, TypeError, ValueError) as exc:
        raise PolicyDeskError("指标数据格式不正确", detail=repr(exc)) from exc
    local = conn.execute("SELECT updated_at FROM indicators WHERE indicator_key = ?", (key,)).fetchone()
    cols = tuple(row)
    if local is None:
        conn.execute(f"INSERT INTO indicators(indicator_key, {', '.join(cols)}) VALUES (?{', ?' * len(cols)})",
                     [key, *row.values()])
        summary.indicators_added += 1
    elif parse_iso(str(row["updated_at"])) > parse_iso(local["updated_at"]):
        sets = ", ".join(f"{c} = ?" for c in cols if c != "created_at")
        conn.execute(f"UPDATE indicators SET {sets} WHERE indicator_key = ?",
                     [row[c] for c in cols if c != "created_at"] + [key])
        summary.indicators_updated += 1
    for v in values:
        merge_value(conn, key, v, clean, summary)


def merge_value(conn: sqlite3.Connection, key: str, v: Mapping[str, Any], clean: TextCleaner,
                summary: ImportSummary) -> None:
    try:
        year, value = int(v["year"]), finite(v["value"], "指标数值")
        source, updated = clean(str(v.get("source") or "")), norm_iso(str(v.get("updated_at") or now_iso()))
    except (KeyError, TypeError, ValueError) as exc:
        raise PolicyDeskError("指标数值格式不正确", detail=repr(exc)) from exc
    if value is None:
        return
    local = conn.execute("SELECT updated_at FROM indicator_values WHERE indicator_key = ? AND year = ?",
                         (key, year)).fetchone()
    if local is None:
        conn.execute("INSERT INTO indicator_values(indicator_key, year, value, source, updated_at) "
                     "VALUES (?, ?, ?, ?, ?)", (key, year, value, source, updated))
        summary.values_added += 1
    elif parse_iso(updated) > parse_iso(local["updated_at"]):
        conn.execute("UPDATE indicator_values SET value = ?, source = ?, updated_at = ? "
                     "WHERE indicator_key = ? AND year = ?", (value, source, updated, key, year))
        summary.values_updated += 1


def merge_document(conn: sqlite3.Connection, doc: Mapping[str, Any]) -> ImportSummary:
    """Merge a parsed export document (inside the caller's transaction)."""
    summary = ImportSummary()
    clean = TextCleaner()
    for entry in doc.get("tasks") or []:
        result = merge_task(conn, entry, clean)
        setattr(summary, result, getattr(summary, result) + 1)
    for entry in doc.get("indicators") or []:
        merge_indicator(conn, entry, clean, summary)
    for entry in doc.get("comments") or []:  # absent from files of releases before comments
        merge_comment(conn, entry, clean, summary)
    summary.notice = clean.notice()
    return summary


def merge_jsonl(conn: sqlite3.Connection, lines: Iterable[str]) -> ImportSummary:
    """Re-import the JSONL twin of a backup (recovery without a usable backup). Bad lines are skipped."""
    summary = ImportSummary()
    clean = TextCleaner()
    for raw in lines:
        if not raw.strip():
            continue
        conn.execute("SAVEPOINT jsonl_line")
        try:
            obj = json.loads(raw)
            kind = obj.get("type")
            if kind == "task":
                result = merge_task(conn, obj["task"], clean)
                setattr(summary, result, getattr(summary, result) + 1)
            elif kind == "indicator":
                merge_indicator(conn, obj, clean, summary)
            elif kind == "comment":
                merge_comment(conn, obj["comment"], clean, summary)
            elif kind == "override":
                conn.execute("INSERT OR IGNORE INTO link_overrides(clause_id, lead, support, deadline, updated_at) "
                             "VALUES (?, ?, ?, ?, ?)", (clean(obj["clause_id"]), obj.get("lead"), obj.get("support"),
                                                        obj.get("deadline"), obj.get("updated_at")))
            elif kind == "setting":
                conn.execute("INSERT OR IGNORE INTO settings(key, value) VALUES (?, ?)",
                             (clean(obj["key"]), clean(obj["value"])))
        except (ValueError, KeyError, TypeError, AttributeError, PolicyDeskError, sqlite3.IntegrityError):
            conn.execute("ROLLBACK TO jsonl_line")
            summary.skipped += 1
        conn.execute("RELEASE jsonl_line")
    summary.notice = clean.notice()
    return summary
