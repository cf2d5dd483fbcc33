"""Tasks (bookmarks on clauses, with notes) in the user DB: a part of `UserStore`."""

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
from app.core.userdata.model import (
    ANCHOR_STATES,
    EDITABLE,
    Task,
    anchor_sets,
    due_value,
    indicator_key,
    now_iso,
    priority_value,
    status_code,
    tag_list,
    task_from_row,
    text_fingerprint,
)
from app.core.userdata.share import live_by_anchor


class TaskRepo(StoreBase):
    """Tasks: bookmark a clause (or one indicator of it), edit, trash and restore, list, re-anchor."""

    def add_task(self, clause_id: str, *, indicator_key: str | None = None, doc_id: str = "", doc_title: str = "",
                 path: Sequence[str] = (), heading: str = "", text: str = "", fingerprint: str | None = None,
                 note: str = "",
                 tags: Iterable[str] = (), status: str = "todo", priority: int | str = 2,
                 due: str | dt.date | None = None, owner: str | None = None, collection: str = "") -> Task:
        """Bookmark a clause (or one indicator of it) as a task. Idempotent: if a live task already has this
        anchor, it is returned unchanged. `text` is the clause text now (kept as the anchor snapshot);
        `fingerprint` defaults to `text_fingerprint(text)` (pass `app.core.anchor.anchor_for(...)`'s to
        use the re-anchoring module's key)."""
        if not str(clause_id).strip():
            raise PolicyDeskError("条款编号不能为空")
        st, pr, du, tg = status_code(status), priority_value(priority), due_value(due), tag_list(tags)

        def fn(tx: Tx) -> Task:
            c = tx.clean
            cid, ik = c(clause_id), None if indicator_key is None else c(indicator_key)
            existing = live_by_anchor(tx.conn, cid, ik)
            if existing is not None:
                tx.changed = False
                return task_from_row(existing)
            tid, now = str(uuid.uuid4()), now_iso()
            body = c(text)
            tx.conn.execute(
                "INSERT INTO tasks(id, clause_id, indicator_key, doc_id, anchor_doc_title, anchor_path, "
                "anchor_heading, anchor_fingerprint, anchor_text, anchor_state, note, tags, status, priority, due, "
                "owner, collection, created_at, updated_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'ok', ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (tid, cid, ik, c(doc_id), c(doc_title), json.dumps([c(p) for p in path], ensure_ascii=False),
                 c(heading), fingerprint or text_fingerprint(body), body, c(note), json.dumps([c(t) for t in tg], ensure_ascii=False), st, pr,
                 du, None if owner is None or not owner.strip() else c(owner.strip()), c(collection.strip()),
                 now, now))
            return replace(self._task_row(tx.conn, tid), notice=c.notice())

        return self._write(fn)

    @staticmethod
    def _task_row(conn: sqlite3.Connection, task_id: str, *, include_deleted: bool = False) -> Task:
        row = conn.execute("SELECT * FROM tasks WHERE id = ?", (task_id,)).fetchone()
        if row is None or (row["deleted_at"] is not None and not include_deleted):
            raise NotFoundError(f"找不到任务：{task_id}（可能已被删除）")
        return task_from_row(row)

    def update_task(self, task_id: str, **fields: Any) -> Task:
        """Change any of note, tags, status, priority, due, owner, collection in one transaction.

        The returned task's `notice` says when text had to be cleaned (NUL, lone surrogates)."""
        unknown = set(fields) - set(EDITABLE)
        if unknown:
            raise TypeError(f"update_task() got unknown fields: {sorted(unknown)}")
        values: dict[str, Any] = {}
        for k, v in fields.items():
            if k == "tags":
                values[k] = tag_list(v)
            elif k == "status":
                values[k] = status_code(v)
            elif k == "priority":
                values[k] = priority_value(v)
            elif k == "due":
                values[k] = due_value(v)
            elif k == "owner":
                values[k] = None if v is None or not str(v).strip() else str(v).strip()
            elif k == "collection":
                values[k] = str(v).strip()
            else:
                values[k] = str(v)

        def fn(tx: Tx) -> Task:
            old = self._task_row(tx.conn, task_id)
            c = tx.clean
            stored = {k: (json.dumps([c(t) for t in v], ensure_ascii=False) if k == "tags"
                          else c(v) if isinstance(v, str) else v) for k, v in values.items()}
            stored["updated_at"] = later(old.updated_at)
            tx.conn.execute(f"UPDATE tasks SET {', '.join(f'{k} = ?' for k in stored)} WHERE id = ?",
                            [*stored.values(), task_id])
            return replace(self._task_row(tx.conn, task_id), notice=c.notice())

        return self._write(fn)

    def delete_task(self, task_id: str) -> None:
        """Move a task to the trash (undo with `undelete_task`; `purge_deleted` empties old trash)."""

        def fn(tx: Tx) -> None:
            old = self._task_row(tx.conn, task_id)
            now = later(old.updated_at)
            tx.conn.execute("UPDATE tasks SET deleted_at = ?, updated_at = ? WHERE id = ?", (now, now, task_id))

        self._write(fn)

    def undelete_task(self, task_id: str) -> Task:
        def fn(tx: Tx) -> Task:
            old = self._task_row(tx.conn, task_id, include_deleted=True)
            if not old.deleted:
                tx.changed = False
                return old
            if live_by_anchor(tx.conn, old.clause_id, old.indicator_key) is not None:
                raise PolicyDeskError("该条款已有任务，无法恢复已删除的同一条款任务")
            tx.conn.execute("UPDATE tasks SET deleted_at = NULL, updated_at = ? WHERE id = ?",
                            (later(old.updated_at), task_id))
            return self._task_row(tx.conn, task_id)

        return self._write(fn)

    def purge_deleted(self, older_than_days: int = 30) -> int:
        """Remove tasks that have been in the trash longer than `older_than_days`; return how many."""
        cutoff = (dt.datetime.now(dt.UTC) - dt.timedelta(days=older_than_days)).isoformat(timespec="microseconds")

        def fn(tx: Tx) -> int:
            n = tx.conn.execute("DELETE FROM tasks WHERE deleted_at IS NOT NULL AND deleted_at < ?", (cutoff,)).rowcount
            tx.changed = n > 0
            return int(n)

        return self._write(fn)

    def get_task(self, task_id: str, *, include_deleted: bool = False) -> Task:
        return self._read(lambda c: self._task_row(c, task_id, include_deleted=include_deleted))

    def find_task(self, clause_id: str, indicator_key: str | None = None) -> Task | None:
        """The live task anchored at a clause (or one of its indicators), if any."""
        row = self._read(lambda c: live_by_anchor(c, clause_id, indicator_key))
        return None if row is None else task_from_row(row)

    def list_tasks(self, *, status: str | Sequence[str] | None = None, tag: str | None = None,
                   collection: str | None = None, owner: str | None = None, due_before: str | dt.date | None = None,
                   clause_id: str | None = None, doc_id: str | None = None, anchor_state: str | None = None,
                   indicators: bool | None = None, text: str | None = None, deleted: bool = False) -> list[Task]:
        """Tasks matching every given filter, oldest first. `due_before` is inclusive (due <= date) and
        skips tasks without their own due date; `owner` matches the explicit owner only; `deleted=True`
        lists the trash instead."""
        where = ["deleted_at IS NOT NULL" if deleted else "deleted_at IS NULL"]
        args: list[Any] = []
        if status is not None:
            codes = [status_code(s) for s in ([status] if isinstance(status, str) else status)]
            where.append(f"status IN ({', '.join('?' * len(codes))})")
            args += codes
        if tag is not None:
            where.append("EXISTS (SELECT 1 FROM json_each(tasks.tags) WHERE json_each.value = ?)")
            args.append(tag)
        for col, val in (("collection", collection), ("owner", owner), ("clause_id", clause_id),
                         ("doc_id", doc_id), ("anchor_state", anchor_state)):
            if val is not None:
                where.append(f"{col} = ?")
                args.append(val)
        if due_before is not None:
            where.append("due IS NOT NULL AND due <= ?")
            args.append(due_value(due_before))
        if indicators is not None:
            where.append("indicator_key IS NOT NULL" if indicators else "indicator_key IS NULL")
        if text:
            where.append("(instr(note, ?) > 0 OR instr(anchor_heading, ?) > 0 OR instr(anchor_text, ?) > 0)")
            args += [text, text, text]
        sql = f"SELECT * FROM tasks WHERE {' AND '.join(where)} ORDER BY created_at, id"
        return self._read(lambda c: [task_from_row(r) for r in c.execute(sql, args)])

    def collections(self) -> list[str]:
        """Folder names in use (live tasks), sorted."""
        sql = "SELECT DISTINCT collection FROM tasks WHERE deleted_at IS NULL AND collection != '' ORDER BY 1"
        return self._read(lambda c: [r[0] for r in c.execute(sql)])

    def rename_collection(self, old: str, new: str) -> int:
        """Move every live task of folder `old` into `new` ('' = no folder); return how many moved."""

        def fn(tx: Tx) -> int:
            n = tx.conn.execute("UPDATE tasks SET collection = ?, updated_at = ? WHERE collection = ? "
                                "AND deleted_at IS NULL", (tx.clean(new.strip()), now_iso(), old)).rowcount
            tx.changed = n > 0
            return int(n)

        return self._write(fn)

    def tags(self) -> list[str]:
        """Tags in use (live tasks), sorted."""
        sql = ("SELECT DISTINCT j.value FROM tasks, json_each(tasks.tags) AS j WHERE tasks.deleted_at IS NULL "
               "ORDER BY 1")
        return self._read(lambda c: [r[0] for r in c.execute(sql)])

    def reanchor_task(self, task_id: str, *, clause_id: str, state: str, doc_id: str | None = None,
                      doc_title: str | None = None, path: Sequence[str] | None = None, heading: str | None = None,
                      text: str | None = None, fingerprint: str | None = None) -> Task:
        """Point a task at its clause after the library changed (the states of `app.core.anchor`): same
        clause ("ok"), same text elsewhere ("moved"), edited text ("changed") or none ("missing": pass the
        old clause id; the anchor and its text snapshot are kept).

        An indicator key `<old clause>#<name>` follows the clause, and so does its tracked indicator.
        Not a user edit: `updated_at` stays."""
        return self.reanchor_tasks([{
            "task_id": task_id, "clause_id": clause_id, "state": state, "doc_id": doc_id, "doc_title": doc_title,
            "path": path, "heading": heading, "text": text, "fingerprint": fingerprint}])[0]

    def reanchor_tasks(self, moves: Sequence[Mapping[str, Any]]) -> list[Task]:
        """Several `reanchor_task` moves as one transaction (keys as its arguments, plus `task_id`).

        Tasks may swap clauses (a renumbering inside one document moves a task onto 第十条 while another
        is still there): every moving task first steps aside to a private placeholder, then all land."""
        for m in moves:
            if m["state"] not in ANCHOR_STATES:
                raise PolicyDeskError(f"未知的定位状态：{m['state']}")

        def fn(tx: Tx) -> list[Task]:
            c = tx.clean
            olds = {m["task_id"]: self._task_row(tx.conn, m["task_id"]) for m in moves}
            for tid, old in olds.items():  # phase 1: out of the way of each other
                if c(next(m["clause_id"] for m in moves if m["task_id"] == tid)) != old.clause_id:
                    tx.conn.execute("UPDATE tasks SET clause_id = ? WHERE id = ?", ("\x00moving/" + tid, tid))
            for m in moves:
                _land(tx, m, olds[m["task_id"]])
            return [self._task_row(tx.conn, m["task_id"]) for m in moves]

        return self._write(fn)


def _land(tx: Tx, m: Mapping[str, Any], old: Task) -> None:
    """Phase 2 of `reanchor_tasks`: one task onto its clause; an indicator key `<old clause>#<name>` and its
    tracked indicator follow the clause."""
    c, tid = tx.clean, m["task_id"]
    cid = c(m["clause_id"])
    ik = old.indicator_key
    if ik is not None and cid != old.clause_id and ik.startswith(old.clause_id + "#"):
        ik = indicator_key(cid, ik[len(old.clause_id) + 1:])
    other = live_by_anchor(tx.conn, cid, ik)
    if other is not None and other["id"] != tid:
        raise PolicyDeskError(f"条款 {cid} 已有任务，无法把另一个任务定位到该条款")
    sets: dict[str, Any] = {"clause_id": cid, "indicator_key": ik, "anchor_state": m["state"], **anchor_sets(m, c)}
    tx.conn.execute(f"UPDATE tasks SET {', '.join(f'{k} = ?' for k in sets)} WHERE id = ?",
                    [*sets.values(), tid])
    if ik != old.indicator_key and old.indicator_key is not None:
        taken = tx.conn.execute("SELECT 1 FROM indicators WHERE indicator_key = ?", (ik,)).fetchone()
        if taken is None:  # ON UPDATE CASCADE moves the yearly values along
            tx.conn.execute("UPDATE indicators SET indicator_key = ?, clause_id = ? WHERE indicator_key = ?",
                            (ik, cid, old.indicator_key))
