"""Comments on clauses (征求意见 feedback): the `Comment` dataclass, the checks every write goes through, the
export/JSONL form and the merge of an exported comment. Standard library only (crash-test children import it).

A comment is anchored like a task (clause id, document, heading path, fingerprint, text snapshot) and may
point at a passage of the clause: `quote` and its character offset in the anchor text. Unlike tasks, a
clause may carry any number of comments, so a merge matches by id only.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from app.core.errors import PolicyDeskError
from app.core.userdata.db import TextCleaner
from app.core.userdata.import_summary import ImportSummary
from app.core.userdata.model import ANCHOR_STATES, norm_iso, parse_iso

# 意见类型: stored codes and their labels, in the order a form lists them.
KIND_LABELS: dict[str, str] = {"modify": "修改", "add": "补充", "delete": "删除", "other": "其他"}
_KIND_ALIASES = {"增加": "add", "新增": "add", "增补": "add", "删去": "delete", "删减": "delete", "修订": "modify",
                 "修正": "modify"}

# Settings keys of the defaults for new comments (提出单位, 联系人, 电话).
UNIT_KEY, CONTACT_KEY, PHONE_KEY = "comment.unit", "comment.contact", "comment.phone"

# Fields a user edits with `CommentStore.update` (anchor fields change only through reanchoring).
EDITABLE_COMMENT = ("proposal", "reason", "kind", "quote", "quote_offset", "cited", "unit", "contact", "phone")


def kind_code(value: str) -> str:
    """Accept a code (modify/add/delete/other) or a label (修改/补充/删除/其他, also 【修改】, 增加, 新增…)."""
    v = str(value).strip().strip("【】[]")
    if v in KIND_LABELS:
        return v
    for code, label in KIND_LABELS.items():
        if v == label:
            return code
    if v in _KIND_ALIASES:
        return _KIND_ALIASES[v]
    raise PolicyDeskError(f"未知的意见类型：{value}（可选：{'、'.join(KIND_LABELS.values())}）")


def cited_list(ids: Iterable[str] | str | None) -> list[str]:
    """Cited clause ids: de-duplicated, in the user's order, blanks dropped."""
    if ids is None:
        return []
    if isinstance(ids, str):
        ids = [ids]
    out: list[str] = []
    for i in ids:
        s = str(i).strip()
        if s and s not in out:
            out.append(s)
    return out


def _compact(text: str) -> tuple[str, list[int]]:
    """`text` without whitespace, and for each kept character its index in `text`."""
    keep = [i for i, ch in enumerate(text) if not ch.isspace()]
    return "".join(text[i] for i in keep), keep


def locate(text: str, quote: str, hint: int | None = None) -> tuple[int, str] | None:
    """Where `quote` is in `text`: (offset, the passage as it is in `text`), or None.

    An exact occurrence first (the one nearest `hint` when it occurs more than once); else a match that
    ignores whitespace (a selection copied across a line break), returned with the text's own spacing."""
    if not quote:
        return None
    starts: list[int] = []
    at = text.find(quote)
    while at >= 0:
        starts.append(at)
        at = text.find(quote, at + 1)
    if starts:
        best = min(starts, key=lambda s: abs(s - hint)) if hint is not None else starts[0]
        return best, quote
    flat, index = _compact(text)
    needle, _ = _compact(quote)
    if not needle:
        return None
    hits: list[int] = []
    at = flat.find(needle)
    while at >= 0:
        hits.append(at)
        at = flat.find(needle, at + 1)
    if not hits:
        return None
    pick = min(hits, key=lambda h: abs(index[h] - hint)) if hint is not None else hits[0]
    start, end = index[pick], index[pick + len(needle) - 1] + 1
    return start, text[start:end]


@dataclass(frozen=True)
class CommentDefaults:
    """What a new comment's 提出单位, 联系人 and 电话 default to (settings `comment.*`)."""

    unit: str = ""
    contact: str = ""
    phone: str = ""

    def to_json(self) -> dict[str, str]:
        return {"unit": self.unit, "contact": self.contact, "phone": self.phone}


@dataclass(frozen=True)
class Comment:
    """An opinion on a clause, or on a passage of it (`quote` at `quote_offset` of `text`).

    The anchor (doc_id … text) is a copy of the clause as it was when the comment was made; `anchor_state`
    says whether the clause is still there unchanged ("ok"), moved, edited ("changed") or gone ("missing").
    `notice` is not stored: it tells the caller that text was cleaned on this save.
    """

    id: str
    clause_id: str
    doc_id: str
    doc_title: str
    path: tuple[str, ...]
    heading: str
    fingerprint: str
    text: str
    anchor_state: str
    quote: str
    quote_offset: int | None
    kind: str
    proposal: str  # 修改意见: the proposed wording or action
    reason: str  # 理由/依据
    cited: tuple[str, ...]  # clause ids the reason relies on
    unit: str  # 提出单位
    contact: str  # 联系人
    phone: str  # 电话
    created_at: str
    updated_at: str
    deleted_at: str | None = None
    notice: str = field(default="", compare=False)

    @property
    def kind_label(self) -> str:
        return KIND_LABELS[self.kind]

    @property
    def deleted(self) -> bool:
        return self.deleted_at is not None

    @property
    def passage(self) -> str:
        """What the comment is about: the quoted passage, else the clause text."""
        return self.quote or self.text

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id, "clause_id": self.clause_id,
            "anchor": {"clause_id": self.clause_id, "doc_id": self.doc_id, "doc_title": self.doc_title,
                       "path": list(self.path), "heading": self.heading, "fingerprint": self.fingerprint,
                       "text": self.text, "state": self.anchor_state},
            "quote": self.quote, "quote_offset": self.quote_offset, "kind": self.kind, "kind_label": self.kind_label,
            "proposal": self.proposal, "reason": self.reason, "cited": list(self.cited), "unit": self.unit,
            "contact": self.contact, "phone": self.phone, "created_at": self.created_at,
            "updated_at": self.updated_at,
        }


def comment_from_row(r: sqlite3.Row) -> Comment:
    return Comment(
        id=r["id"], clause_id=r["clause_id"], doc_id=r["doc_id"], doc_title=r["anchor_doc_title"],
        path=tuple(json.loads(r["anchor_path"])), heading=r["anchor_heading"], fingerprint=r["anchor_fingerprint"],
        text=r["anchor_text"], anchor_state=r["anchor_state"], quote=r["quote"], quote_offset=r["quote_offset"],
        kind=r["kind"], proposal=r["proposal"], reason=r["reason"], cited=tuple(json.loads(r["cited"])),
        unit=r["unit"], contact=r["contact"], phone=r["phone"], created_at=r["created_at"],
        updated_at=r["updated_at"], deleted_at=r["deleted_at"],
    )


_COLUMNS = ("clause_id", "doc_id", "anchor_doc_title", "anchor_path", "anchor_heading", "anchor_fingerprint",
            "anchor_text", "anchor_state", "quote", "quote_offset", "kind", "proposal", "reason", "cited", "unit",
            "contact", "phone", "created_at", "updated_at")


def comment_from_json(d: Mapping[str, Any], clean: TextCleaner) -> dict[str, Any]:
    """Column values (cleaned) of a comment from its export form; PolicyDeskError on a malformed entry."""
    try:
        anchor = d.get("anchor") or {}
        state = str(anchor.get("state") or "ok")
        offset = d.get("quote_offset")
        row: dict[str, Any] = {
            "id": str(d["id"]), "clause_id": str(d["clause_id"]), "doc_id": str(anchor.get("doc_id") or ""),
            "anchor_doc_title": str(anchor.get("doc_title") or ""),
            "anchor_path": [str(p) for p in anchor.get("path") or []],
            "anchor_heading": str(anchor.get("heading") or ""),
            "anchor_fingerprint": str(anchor.get("fingerprint") or ""), "anchor_text": str(anchor.get("text") or ""),
            "anchor_state": state if state in ANCHOR_STATES else "ok", "quote": str(d.get("quote") or ""),
            "quote_offset": None if offset is None else int(offset), "kind": kind_code(d.get("kind") or "modify"),
            "proposal": str(d.get("proposal") or ""), "reason": str(d.get("reason") or ""),
            "cited": cited_list(d.get("cited") or []), "unit": str(d.get("unit") or ""),
            "contact": str(d.get("contact") or ""), "phone": str(d.get("phone") or ""),
            "created_at": norm_iso(str(d["created_at"])), "updated_at": norm_iso(str(d["updated_at"])),
        }
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise PolicyDeskError("意见数据格式不正确", detail=repr(exc)) from exc
    out: dict[str, Any] = {}
    for k, v in row.items():
        if isinstance(v, str):
            out[k] = clean(v)
        elif isinstance(v, list):
            out[k] = json.dumps([clean(x) for x in v], ensure_ascii=False)
        else:
            out[k] = v
    return out


def comment_entries(conn: sqlite3.Connection) -> list[dict[str, Any]]:
    """The live comments in their export form (an empty list for a file from before comments)."""
    if conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'comments'").fetchone() is None:
        return []
    sql = "SELECT * FROM comments WHERE deleted_at IS NULL ORDER BY created_at, id"
    return [comment_from_row(r).to_json() for r in conn.execute(sql)]


def merge_comment(conn: sqlite3.Connection, entry: Mapping[str, Any], clean: TextCleaner,
                  summary: ImportSummary) -> None:
    """Merge one exported comment inside the caller's transaction: matched by id, the newer `updated_at` wins
    (a comment deleted here comes back when the incoming copy is newer)."""
    row = comment_from_json(entry, clean)
    local = conn.execute("SELECT updated_at FROM comments WHERE id = ?", (row["id"],)).fetchone()
    if local is None:
        cols = ("id", *_COLUMNS)
        conn.execute(f"INSERT INTO comments({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})",
                     [row[c] for c in cols])
        summary.comments_added += 1
    elif parse_iso(row["updated_at"]) > parse_iso(local["updated_at"]):
        sets = [c for c in _COLUMNS if c != "created_at"]
        conn.execute(f"UPDATE comments SET {', '.join(f'{c} = ?' for c in sets)}, deleted_at = NULL WHERE id = ?",
                     [*(row[c] for c in sets), row["id"]])
        summary.comments_updated += 1
    else:
        summary.comments_skipped += 1
