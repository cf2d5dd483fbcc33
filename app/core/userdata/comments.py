"""CommentStore: comments on clauses in the user DB, written like tasks (one `BEGIN IMMEDIATE … COMMIT` per
save on the store's writer thread, reads on its reader). Get it as `UserStore.comments`.

    c = store.comments.add(clause_id, proposal="改为……", reason="……", kind="修改", text=clause_text, …)
    store.comments.find(doc_id=…, kind="补充", text="碳")   # live comments, document order is the caller's
    store.comments.counts(doc_id=…)                         # clause id -> number of live comments
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from typing import Any

from app.core.errors import NotFoundError, PolicyDeskError
from app.core.userdata.access import StoreBase, Tx, later
from app.core.userdata.comment_model import (
    CONTACT_KEY,
    EDITABLE_COMMENT,
    PHONE_KEY,
    UNIT_KEY,
    Comment,
    CommentDefaults,
    cited_list,
    comment_from_row,
    kind_code,
    locate,
)
from app.core.userdata.db import TextCleaner
from app.core.userdata.model import ANCHOR_STATES, anchor_sets, now_iso, text_fingerprint
from app.core.userdata.settings import MY_DEPARTMENT_KEY  # the unit defaults to it when unset


def _quote(text: str, quote: str, offset: int | None, heading: str = "") -> tuple[str, int | None]:
    """The stored (quote, offset): the passage as the clause text has it. Refuses a quote not in the text
    (when the text is known); an empty quote means the whole clause. A passage of a heading that the text
    does not repeat (一、总体要求) is kept without an offset."""
    quote = quote.strip()
    if not quote:
        return "", None
    if not text:
        return quote, offset
    if offset is not None and offset >= 0 and text[offset:offset + len(quote)] == quote:
        return quote, offset
    found = locate(text, quote, offset)
    if found is None:
        in_heading = locate(heading, quote)
        if in_heading is not None:
            return in_heading[1], None
        raise PolicyDeskError("所选原文不在该条款中，请重新选择要提意见的文字")
    return found[1], found[0]


def _line(value: str | None) -> str:
    return " ".join(str(value or "").split())


class CommentStore:
    """Comments of one `UserStore` (shares its writer thread, reader connection and backups)."""

    def __init__(self, store: StoreBase) -> None:
        self._store = store

    # -- defaults (settings) -------------------------------------------------------------------------------
    def defaults(self) -> CommentDefaults:
        """提出单位/联系人/电话 for new comments; the unit falls back to “my department”."""

        def fn(c: sqlite3.Connection) -> CommentDefaults:
            keys = (UNIT_KEY, CONTACT_KEY, PHONE_KEY, MY_DEPARTMENT_KEY)
            rows = c.execute(f"SELECT key, value FROM settings WHERE key IN ({', '.join('?' * len(keys))})", keys)
            got = {r["key"]: json.loads(r["value"]) for r in rows}
            unit = got.get(UNIT_KEY) or got.get(MY_DEPARTMENT_KEY) or ""
            return CommentDefaults(unit=str(unit), contact=str(got.get(CONTACT_KEY) or ""),
                                   phone=str(got.get(PHONE_KEY) or ""))

        return self._store._read(fn)

    def set_defaults(self, *, unit: str | None = None, contact: str | None = None,
                     phone: str | None = None) -> CommentDefaults:
        """Change the defaults in one save (None leaves a value as it is, "" clears it)."""

        def fn(tx: Tx) -> None:
            for key, value in ((UNIT_KEY, unit), (CONTACT_KEY, contact), (PHONE_KEY, phone)):
                if value is not None:
                    tx.conn.execute(
                        "INSERT INTO settings(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = "
                        "excluded.value", (key, tx.clean(json.dumps(_line(value), ensure_ascii=False))))

        self._store._write(fn)
        return self.defaults()

    # -- writing -------------------------------------------------------------------------------------------
    def add(self, clause_id: str, *, proposal: str, reason: str = "", kind: str = "modify", quote: str = "",
            quote_offset: int | None = None, cited: Iterable[str] = (), unit: str | None = None,
            contact: str | None = None, phone: str | None = None, doc_id: str = "", doc_title: str = "",
            path: Sequence[str] = (), heading: str = "", text: str = "", fingerprint: str | None = None) -> Comment:
        """Save a new comment on a clause (or on the passage `quote` of it). `text` is the clause text now (the
        anchor snapshot, and what `quote` must be part of); unit/contact/phone default to `defaults()`."""
        if not str(clause_id).strip():
            raise PolicyDeskError("条款编号不能为空")
        code = kind_code(kind)
        if not proposal.strip() and code != "delete":
            raise PolicyDeskError("修改意见不能为空")
        q, off = _quote(text, quote, quote_offset, heading)
        d = self.defaults() if None in (unit, contact, phone) else CommentDefaults()
        values = {"unit": d.unit if unit is None else unit, "contact": d.contact if contact is None else contact,
                  "phone": d.phone if phone is None else phone}

        def fn(tx: Tx) -> Comment:
            c = tx.clean
            cid, now, body = str(uuid.uuid4()), now_iso(), c(text)
            tx.conn.execute(
                "INSERT INTO comments(id, clause_id, doc_id, anchor_doc_title, anchor_path, anchor_heading, "
                "anchor_fingerprint, anchor_text, anchor_state, quote, quote_offset, kind, proposal, reason, cited, "
                "unit, contact, phone, created_at, updated_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'ok', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (cid, c(str(clause_id).strip()), c(doc_id), c(doc_title),
                 json.dumps([c(p) for p in path], ensure_ascii=False), c(heading),
                 fingerprint or text_fingerprint(body), body, c(q), off, code, c(proposal.strip()),
                 c(reason.strip()), _cited_json(cited, c), c(_line(values["unit"])), c(_line(values["contact"])),
                 c(_line(values["phone"])), now, now))
            return replace(self._row(tx.conn, cid), notice=c.notice())

        return self._store._write(fn)

    def update(self, comment_id: str, **fields: Any) -> Comment:
        """Change any of proposal, reason, kind, quote, quote_offset, cited, unit, contact, phone in one save.
        A new `quote` must be part of the comment's clause text (its anchor snapshot)."""
        unknown = set(fields) - set(EDITABLE_COMMENT)
        if unknown:
            raise TypeError(f"update() got unknown fields: {sorted(unknown)}")

        def fn(tx: Tx) -> Comment:
            old = self._row(tx.conn, comment_id)
            c = tx.clean
            sets: dict[str, Any] = {}
            for k, v in fields.items():
                if k == "kind":
                    sets[k] = kind_code(v)
                elif k == "cited":
                    sets[k] = _cited_json(v, c)
                elif k in ("unit", "contact", "phone"):
                    sets[k] = c(_line(v))
                elif k in ("proposal", "reason"):
                    sets[k] = c(str(v or "").strip())
            if "quote" in fields or "quote_offset" in fields:
                q = fields.get("quote", old.quote)
                off = fields.get("quote_offset", old.quote_offset if "quote" not in fields else None)
                sets["quote"], sets["quote_offset"] = _quote(old.text, c(str(q or "")), off, old.heading)
            kind = sets.get("kind", old.kind)
            if not sets.get("proposal", old.proposal) and kind != "delete":
                raise PolicyDeskError("修改意见不能为空")
            sets["updated_at"] = later(old.updated_at)
            tx.conn.execute(f"UPDATE comments SET {', '.join(f'{k} = ?' for k in sets)} WHERE id = ?",
                            [*sets.values(), comment_id])
            return replace(self._row(tx.conn, comment_id), notice=c.notice())

        return self._store._write(fn)

    def delete(self, comment_id: str) -> None:
        """Move a comment to the trash (undo with `undelete`)."""

        def fn(tx: Tx) -> None:
            old = self._row(tx.conn, comment_id)
            now = later(old.updated_at)
            tx.conn.execute("UPDATE comments SET deleted_at = ?, updated_at = ? WHERE id = ?", (now, now, comment_id))

        self._store._write(fn)

    def undelete(self, comment_id: str) -> Comment:
        def fn(tx: Tx) -> Comment:
            old = self._row(tx.conn, comment_id, include_deleted=True)
            if not old.deleted:
                tx.changed = False
                return old
            tx.conn.execute("UPDATE comments SET deleted_at = NULL, updated_at = ? WHERE id = ?",
                            (later(old.updated_at), comment_id))
            return self._row(tx.conn, comment_id)

        return self._store._write(fn)

    def purge_deleted(self, older_than_days: int = 30) -> int:
        """Remove comments that have been in the trash longer than `older_than_days`; return how many."""
        cutoff = (dt.datetime.now(dt.UTC) - dt.timedelta(days=older_than_days)).isoformat(timespec="microseconds")

        def fn(tx: Tx) -> int:
            n = tx.conn.execute("DELETE FROM comments WHERE deleted_at IS NOT NULL AND deleted_at < ?",
                                (cutoff,)).rowcount
            tx.changed = n > 0
            return int(n)

        return self._store._write(fn)

    def reanchor(self, moves: Sequence[Mapping[str, Any]]) -> list[Comment]:
        """Point comments at their clauses after the library changed, as one save (like
        `UserStore.reanchor_tasks`): each move has `comment_id`, `clause_id`, `state` ("ok", "moved",
        "changed", "missing": pass the old clause id) and optionally doc_id, doc_title, path, heading, text,
        fingerprint. A new `text` moves the quoted passage's offset along (None when it is no longer there;
        the quote itself is kept). Not a user edit: `updated_at` stays."""
        for m in moves:
            if m["state"] not in ANCHOR_STATES:
                raise PolicyDeskError(f"未知的定位状态：{m['state']}")

        def fn(tx: Tx) -> list[Comment]:
            c = tx.clean
            for m in moves:
                old = self._row(tx.conn, m["comment_id"], include_deleted=True)
                sets: dict[str, Any] = {"clause_id": c(m["clause_id"]), "anchor_state": m["state"],
                                        **anchor_sets(m, c)}
                if "anchor_text" in sets and old.quote:
                    found = locate(sets["anchor_text"], old.quote, old.quote_offset)
                    sets["quote_offset"] = None if found is None or found[1] != old.quote else found[0]
                tx.conn.execute(f"UPDATE comments SET {', '.join(f'{k} = ?' for k in sets)} WHERE id = ?",
                                [*sets.values(), old.id])
            return [self._row(tx.conn, m["comment_id"], include_deleted=True) for m in moves]

        return self._store._write(fn)

    # -- reading -------------------------------------------------------------------------------------------
    @staticmethod
    def _row(conn: sqlite3.Connection, comment_id: str, *, include_deleted: bool = False) -> Comment:
        row = conn.execute("SELECT * FROM comments WHERE id = ?", (comment_id,)).fetchone()
        if row is None or (row["deleted_at"] is not None and not include_deleted):
            raise NotFoundError(f"找不到意见：{comment_id}（可能已被删除）")
        return comment_from_row(row)

    def get(self, comment_id: str, *, include_deleted: bool = False) -> Comment:
        return self._store._read(lambda c: self._row(c, comment_id, include_deleted=include_deleted))

    def find(self, *, doc_id: str | None = None, clause_id: str | None = None, kind: str | None = None,
             text: str | None = None, anchor_state: str | None = None, deleted: bool = False) -> list[Comment]:
        """Comments matching every given filter, oldest first. `text` looks in the opinion, the reason, the
        quote and the clause (heading and text); `deleted=True` lists the trash instead."""
        where = ["deleted_at IS NOT NULL" if deleted else "deleted_at IS NULL"]
        args: list[Any] = []
        for col, val in (("doc_id", doc_id), ("clause_id", clause_id), ("anchor_state", anchor_state),
                         ("kind", None if kind is None else kind_code(kind))):
            if val is not None:
                where.append(f"{col} = ?")
                args.append(val)
        if text:
            cols = ("proposal", "reason", "quote", "anchor_heading", "anchor_text")
            where.append("(" + " OR ".join(f"instr({col}, ?) > 0" for col in cols) + ")")
            args += [text] * len(cols)
        sql = f"SELECT * FROM comments WHERE {' AND '.join(where)} ORDER BY created_at, id"
        return self._store._read(lambda c: [comment_from_row(r) for r in c.execute(sql, args)])

    def counts(self, *, doc_id: str | None = None) -> dict[str, int]:
        """Clause id -> number of live comments (clauses without any are absent)."""
        sql = "SELECT clause_id, count(*) FROM comments WHERE deleted_at IS NULL"
        args: tuple[str, ...] = ()
        if doc_id is not None:
            sql += " AND doc_id = ?"
            args = (doc_id,)
        sql += " GROUP BY clause_id"
        return self._store._read(lambda c: {r[0]: int(r[1]) for r in c.execute(sql, args)})

    def count(self) -> int:
        """Live comments in all."""
        return self._store._read(
            lambda c: int(c.execute("SELECT count(*) FROM comments WHERE deleted_at IS NULL").fetchone()[0]))


def _cited_json(ids: Iterable[str] | str | None, clean: TextCleaner) -> str:
    return json.dumps([clean(i) for i in cited_list(ids)], ensure_ascii=False)
