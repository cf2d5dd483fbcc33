"""Tasks (bookmarks with a note, status and due date), tracked indicators and drafts: dataclasses and the
checks every write goes through."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import math
import sqlite3
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from app.core.errors import PolicyDeskError

STATUS_LABELS: dict[str, str] = {"todo": "未开始", "doing": "进行中", "done": "已完成", "parked": "已搁置"}
PRIORITY_LABELS: dict[int, str] = {1: "高", 2: "中", 3: "低"}
ANCHOR_STATES = ("ok", "moved", "changed", "missing")  # as app.core.anchor resolves them
COMPARATORS = (">=", ">", "<=", "<", "=", "~")

# Fields a user edits with update_task (anchor fields change only through reanchor_task).
EDITABLE = ("note", "tags", "status", "priority", "due", "owner", "collection")


def now_iso() -> str:
    """UTC timestamp with microseconds; sorts as text and compares across machines."""
    return dt.datetime.now(dt.UTC).isoformat(timespec="microseconds")


def parse_iso(value: str) -> dt.datetime:
    """A stored or imported timestamp as an aware datetime (naive ones are taken as UTC)."""
    d = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    return d if d.tzinfo else d.replace(tzinfo=dt.UTC)


def norm_iso(value: str) -> str:
    """A timestamp in the stored form (UTC, microseconds), so that stored values compare as text."""
    return parse_iso(value).astimezone(dt.UTC).isoformat(timespec="microseconds")


def text_fingerprint(text: str) -> str:
    """sha1 of the clause text without whitespace: survives re-wrapping, changes with any wording change."""
    return hashlib.sha1("".join(text.split()).encode("utf-8")).hexdigest()


def anchor_sets(move: Mapping[str, Any], clean: Callable[[str], str]) -> dict[str, Any]:
    """The anchor columns a reanchor move (of a task or a comment) sets: doc id, title, heading, path, and
    text with its fingerprint (or the fingerprint alone). Keys absent or None in `move` stay as they are."""
    sets: dict[str, Any] = {}
    for key, column in (("doc_id", "doc_id"), ("doc_title", "anchor_doc_title"), ("heading", "anchor_heading")):
        if move.get(key) is not None:
            sets[column] = clean(move[key])
    if move.get("path") is not None:
        sets["anchor_path"] = json.dumps([clean(x) for x in move["path"]], ensure_ascii=False)
    if move.get("text") is not None:
        sets["anchor_text"] = clean(move["text"])
        sets["anchor_fingerprint"] = move.get("fingerprint") or text_fingerprint(sets["anchor_text"])
    elif move.get("fingerprint") is not None:
        sets["anchor_fingerprint"] = move["fingerprint"]
    return sets


def indicator_key(clause_id: str, name: str) -> str:
    """Stable key of an indicator bookmark: the clause id and the indicator name."""
    return f"{clause_id}#{name}"


def status_code(value: str) -> str:
    """Accept a code (todo/doing/done/parked) or its label (未开始/进行中/已完成/已搁置)."""
    v = str(value).strip()
    if v in STATUS_LABELS:
        return v
    for code, label in STATUS_LABELS.items():
        if v == label:
            return code
    raise PolicyDeskError(f"未知的任务状态：{value}（可选：{'、'.join(STATUS_LABELS.values())}）")


def priority_value(value: int | str) -> int:
    """Accept 1/2/3 or 高/中/低."""
    if isinstance(value, int) and not isinstance(value, bool) and value in PRIORITY_LABELS:
        return value
    v = str(value).strip()
    for num, label in PRIORITY_LABELS.items():
        if v in (label, str(num)):
            return num
    raise PolicyDeskError(f"未知的优先级：{value}（可选：高、中、低）")


def due_value(value: str | dt.date | None) -> str | None:
    """An ISO date (YYYY-MM-DD) or None (= use the clause's deadline)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    try:
        return dt.date.fromisoformat(str(value).strip()).isoformat()
    except ValueError:
        raise PolicyDeskError(f"无法识别的日期：{value}（示例：2026-06-30）") from None


def tag_list(tags: Iterable[str] | str) -> list[str]:
    """Tags as a de-duplicated list in the user's order; blank tags dropped."""
    if isinstance(tags, str):
        tags = [tags]
    out: list[str] = []
    for t in tags:
        s = str(t).strip()
        if s and s not in out:
            out.append(s)
    return out


def finite(value: Any, what: str) -> float | None:
    if value is None or value == "":
        return None
    try:
        f = float(value)
    except (TypeError, ValueError):
        raise PolicyDeskError(f"{what}不是数字：{value}") from None
    if not math.isfinite(f):
        raise PolicyDeskError(f"{what}不是有效数字：{value}")
    return f


@dataclass(frozen=True)
class Task:
    """A bookmarked clause (or indicator of a clause) with the user's note, status and plans.

    The anchor (doc_id, path, heading, fingerprint, text) is a copy of the clause as it was when
    bookmarked, so a task survives the clause being edited or removed (anchor_state says which).
    `notice` is not stored: it tells the caller that the text was cleaned on this save (D13).
    """

    id: str
    clause_id: str
    indicator_key: str | None
    doc_id: str
    doc_title: str
    path: tuple[str, ...]
    heading: str
    fingerprint: str
    text: str
    anchor_state: str
    note: str
    tags: tuple[str, ...]
    status: str
    priority: int
    due: str | None
    owner: str | None
    collection: str
    created_at: str
    updated_at: str
    deleted_at: str | None = None
    notice: str = field(default="", compare=False)

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]

    @property
    def priority_label(self) -> str:
        return PRIORITY_LABELS[self.priority]

    @property
    def deleted(self) -> bool:
        return self.deleted_at is not None

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id, "clause_id": self.clause_id, "indicator_key": self.indicator_key,
            "anchor": {"clause_id": self.clause_id, "doc_id": self.doc_id, "doc_title": self.doc_title,
                       "path": list(self.path), "heading": self.heading, "fingerprint": self.fingerprint,
                       "text": self.text, "state": self.anchor_state},
            "note": self.note, "tags": list(self.tags), "status": self.status, "status_label": self.status_label,
            "priority": self.priority, "priority_label": self.priority_label, "due": self.due, "owner": self.owner,
            "collection": self.collection, "created_at": self.created_at, "updated_at": self.updated_at,
        }


def task_from_row(r: sqlite3.Row) -> Task:
    return Task(
        id=r["id"], clause_id=r["clause_id"], indicator_key=r["indicator_key"], doc_id=r["doc_id"],
        doc_title=r["anchor_doc_title"], path=tuple(json.loads(r["anchor_path"])), heading=r["anchor_heading"],
        fingerprint=r["anchor_fingerprint"], text=r["anchor_text"], anchor_state=r["anchor_state"],
        note=r["note"], tags=tuple(json.loads(r["tags"])), status=r["status"], priority=int(r["priority"]),
        due=r["due"], owner=r["owner"], collection=r["collection"], created_at=r["created_at"],
        updated_at=r["updated_at"], deleted_at=r["deleted_at"],
    )


def task_from_json(d: Mapping[str, Any]) -> dict[str, Any]:
    """Column values of a task from its export form (raises PolicyDeskError on a malformed entry)."""
    try:
        anchor = d.get("anchor") or {}
        state = str(anchor.get("state") or "ok")
        if state not in ANCHOR_STATES:
            state = "ok"
        ik = d.get("indicator_key")
        return {
            "id": str(d["id"]), "clause_id": str(d["clause_id"]), "indicator_key": None if ik is None else str(ik),
            "doc_id": str(anchor.get("doc_id") or ""), "anchor_doc_title": str(anchor.get("doc_title") or ""),
            "anchor_path": [str(p) for p in anchor.get("path") or []],
            "anchor_heading": str(anchor.get("heading") or ""),
            "anchor_fingerprint": str(anchor.get("fingerprint") or ""), "anchor_text": str(anchor.get("text") or ""),
            "anchor_state": state, "note": str(d.get("note") or ""), "tags": tag_list(d.get("tags") or []),
            "status": status_code(d.get("status") or "todo"), "priority": priority_value(d.get("priority") or 2),
            "due": due_value(d.get("due")), "owner": None if d.get("owner") in (None, "") else str(d["owner"]),
            "collection": str(d.get("collection") or ""), "created_at": norm_iso(str(d["created_at"])),
            "updated_at": norm_iso(str(d["updated_at"])),
        }
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise PolicyDeskError("任务数据格式不正确", detail=repr(exc)) from exc


@dataclass(frozen=True)
class TrackedIndicator:
    """An indicator the user follows: target from the plan, baseline and yearly actual values from the user."""

    key: str
    clause_id: str
    name: str
    target: float | None
    unit: str
    comparator: str
    deadline: int | None
    baseline: float | None
    baseline_year: int | None
    created_at: str
    updated_at: str

    def to_json(self) -> dict[str, Any]:
        return {
            "indicator_key": self.key, "clause_id": self.clause_id, "name": self.name, "target": self.target,
            "unit": self.unit, "comparator": self.comparator, "deadline": self.deadline,
            "baseline": self.baseline, "baseline_year": self.baseline_year,
            "created_at": self.created_at, "updated_at": self.updated_at,
        }


def indicator_from_row(r: sqlite3.Row) -> TrackedIndicator:
    return TrackedIndicator(
        key=r["indicator_key"], clause_id=r["clause_id"], name=r["name"], target=r["target"], unit=r["unit"],
        comparator=r["comparator"], deadline=r["deadline"], baseline=r["baseline"],
        baseline_year=r["baseline_year"], created_at=r["created_at"], updated_at=r["updated_at"],
    )


@dataclass(frozen=True)
class IndicatorValue:
    """The actual value of an indicator in one year, with where the number came from."""

    key: str
    year: int
    value: float
    source: str
    updated_at: str

    def to_json(self) -> dict[str, Any]:
        return {"year": self.year, "value": self.value, "source": self.source, "updated_at": self.updated_at}


@dataclass(frozen=True)
class Draft:
    """Autosaved editor text (a crash loses at most the seconds since the last autosave)."""

    key: str
    text: str
    updated_at: str
