"""UserStore: the service over the user DB (settings, corrections, tasks, indicator progress, drafts,
sharing, backups). Every write runs on one writer thread as one `BEGIN IMMEDIATE … COMMIT`; reads use a
second connection. Public methods block until done and may be called from any thread."""

from __future__ import annotations

import datetime as dt
import json
import logging
import sqlite3
import threading
import uuid
import weakref
from collections.abc import Callable, Iterable, Mapping, Sequence
from contextlib import closing
from dataclasses import dataclass, replace
from functools import cached_property, partial
from pathlib import Path
from types import TracebackType
from typing import Any, TypeVar

from app.core.errors import NotFoundError, PolicyDeskError, StorageError
from app.core.userdata import schema
from app.core.userdata.backup import (
    BACKUP_DIR,
    BackupInfo,
    integrity_ok,
    list_backups,
    new_names,
    newest_jsonl,
    open_readonly,
    parse_name,
    read_meta,
    remove_partials,
    rotate,
    snapshot,
)
from app.core.userdata.comments import CommentStore
from app.core.userdata.db import (
    BUSY_TIMEOUT_MS,
    MSG_CLOSED,
    DatabaseCorruptError,
    TextCleaner,
    Writer,
    atomic_write_bytes,
    connect,
    translate,
)
from app.core.userdata.model import (
    ANCHOR_STATES,
    COMPARATORS,
    EDITABLE,
    Draft,
    IndicatorValue,
    Task,
    TrackedIndicator,
    due_value,
    finite,
    indicator_from_row,
    indicator_key,
    now_iso,
    parse_iso,
    priority_value,
    status_code,
    tag_list,
    task_from_row,
    text_fingerprint,
)
from app.core.userdata.progress import IndicatorProgress, compute_progress
from app.core.userdata.recovery import (
    MARKER,
    OpenReport,
    check_health,
    move_damaged,
    restore_newest,
    schema_version_of,
    write_marker,
)
from app.core.userdata.salvage import SALVAGED_NAME, salvage_into, salvage_to_file
from app.core.userdata.share import (
    ImportSummary,
    export_document,
    live_by_anchor,
    merge_document,
    merge_jsonl,
    parse_export,
)

log = logging.getLogger("policydesk.userdata")

T = TypeVar("T")

MY_DEPARTMENT_KEY = "user.department"  # settings key: the user's own department (name as in the KB)


class _Tx:
    """One write transaction: the connection, whether it changed data, and the text cleaner."""

    __slots__ = ("changed", "clean", "conn")

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        self.changed = True
        self.clean = TextCleaner()


class _Reader:
    """The read connection: one, shared under a lock (opened on first use)."""

    def __init__(self, path: Path, busy_timeout_ms: int) -> None:
        self.path = path
        self.busy_timeout_ms = busy_timeout_ms
        self.lock = threading.Lock()
        self.conn: sqlite3.Connection | None = None
        self.closed = False

    def _conn(self) -> sqlite3.Connection:
        if self.closed:
            raise StorageError(MSG_CLOSED)
        if self.conn is None:
            self.conn = connect(self.path, busy_timeout_ms=self.busy_timeout_ms, check_same_thread=False,
                                query_only=True)
        return self.conn

    def run(self, fn: Callable[[sqlite3.Connection], T], *, snapshot: bool = True) -> T:
        """Run `fn` in one read transaction (a consistent snapshot across its statements)."""
        with self.lock:
            try:
                conn = self._conn()
                if not snapshot:
                    return fn(conn)
                conn.execute("BEGIN")
                try:
                    return fn(conn)
                finally:
                    if conn.in_transaction:
                        conn.execute("ROLLBACK")
            except (sqlite3.Error, OSError) as exc:
                raise translate(exc) from exc

    def close(self) -> None:
        with self.lock:
            self.closed = True
            if self.conn is not None:
                self.conn.close()
                self.conn = None


def _shutdown(reader: _Reader, writer: Writer) -> None:
    reader.close()
    writer.close()


def _later(previous: str) -> str:
    """Now, but strictly after `previous` (a clock set back must not make an edit look older)."""
    now = now_iso()
    if now > previous:
        return now
    return (parse_iso(previous) + dt.timedelta(microseconds=1)).isoformat(timespec="microseconds")


@dataclass(frozen=True)
class RestoreReport:
    restored_from: Path
    restored_at: dt.datetime
    safety_backup: Path  # the DB as it was before the restore

    @property
    def message(self) -> str:
        return (f"已从 {self.restored_at:%Y-%m-%d %H:%M} 的备份恢复；恢复前的数据已另存为备份 "
                f"{self.safety_backup.name}，需要时可再恢复")


class UserStore:
    """Everything people write: settings, link corrections, tasks (bookmarks + notes), tracked indicators
    and drafts. `UserStore(path)` opens and migrates; `UserStore.open(data_dir)` also runs the start-up
    checks and recovery (use it once per app start, then share the instance).

    `busy_timeout_ms`: how long a save waits for another program's lock before `DatabaseBusyError`.
    `wal_autocheckpoint`: pages before SQLite checkpoints the WAL (None = SQLite's default; tests use 0).
    """

    def __init__(self, path: Path, *, busy_timeout_ms: int = BUSY_TIMEOUT_MS,
                 wal_autocheckpoint: int | None = None) -> None:
        self.path = Path(path)
        self.backup_dir = self.path.parent / BACKUP_DIR
        self._stem = self.path.stem
        self._busy_timeout_ms = busy_timeout_ms
        self._backup_lock = threading.RLock()
        self._marker: Path | None = None
        self._backup_on_close = False
        self._closed = False
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            opener = partial(connect, self.path, busy_timeout_ms=busy_timeout_ms,
                             wal_autocheckpoint=wal_autocheckpoint)
            self._writer = Writer(opener)
        except (sqlite3.Error, OSError) as exc:
            raise translate(exc) from exc
        self._reader = _Reader(self.path, busy_timeout_ms)
        self._finalizer = weakref.finalize(self, _shutdown, self._reader, self._writer)
        try:
            self._call(self._migrate)
        except BaseException:
            self._finalizer()
            raise

    # -- plumbing ------------------------------------------------------------------------------------------
    def _migrate(self, conn: sqlite3.Connection) -> int:
        def before(current: int, target: int) -> None:
            self.backup_dir.mkdir(parents=True, exist_ok=True)
            final, _ = new_names(self.backup_dir, self._stem, dt.datetime.now(), f"pre-v{target}")
            snapshot(conn.backup, final, None)
            log.info("pre-migration backup v%d -> v%d: %s", current, target, final.name)

        return schema.migrate(conn, schema.USER_MIGRATIONS, before)

    def _call(self, fn: Callable[[sqlite3.Connection], T]) -> T:
        try:
            return self._writer.call(fn)
        except (sqlite3.Error, OSError) as exc:
            raise translate(exc) from exc

    def _write(self, fn: Callable[[_Tx], T]) -> T:
        """One logical save: `BEGIN IMMEDIATE`, `fn`, bump the change counter, `COMMIT` (or roll back)."""

        def run(conn: sqlite3.Connection) -> T:
            conn.execute("BEGIN IMMEDIATE")
            tx = _Tx(conn)
            try:
                result = fn(tx)
                if tx.changed:
                    conn.execute("UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'change_seq'")
                conn.execute("COMMIT")
            except BaseException:
                if conn.in_transaction:
                    try:
                        conn.execute("ROLLBACK")
                    except sqlite3.Error:
                        log.exception("rollback failed")
                raise
            return result

        return self._call(run)

    def _read(self, fn: Callable[[sqlite3.Connection], T]) -> T:
        return self._reader.run(fn)

    def close(self) -> None:
        """Back up if data changed (stores from `open`), close both connections, remove the marker."""
        if self._closed:
            return
        if self._backup_on_close:
            try:
                self.backup_db()
            except PolicyDeskError as exc:
                log.warning("backup on close failed: %s", exc.detail or exc.message)
        self._closed = True
        self._finalizer()
        if self._marker is not None:
            self._marker.unlink(missing_ok=True)

    def _abandon(self) -> None:
        """Tests only: drop the connections as a crash would (an open transaction is lost, the marker stays)."""
        self._closed = True
        self._finalizer()

    def __enter__(self) -> UserStore:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()

    @cached_property
    def comments(self) -> CommentStore:
        """Comments on clauses (征求意见), stored and backed up with everything else here."""
        return CommentStore(self)

    # -- settings and link corrections (used by Library) --------------------------------------------------
    def get(self, key: str, default: Any = None) -> Any:
        row = self._read(lambda c: c.execute("SELECT value FROM settings WHERE key = ?", (key,)).fetchone())
        return default if row is None else json.loads(row["value"])

    def set(self, key: str, value: Any) -> None:
        def fn(tx: _Tx) -> None:
            tx.conn.execute(
                "INSERT INTO settings(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                (tx.clean(key), tx.clean(json.dumps(value, ensure_ascii=False))))

        self._write(fn)

    def overrides(self, table: str) -> dict[str, dict[str, Any]]:
        """Clause id -> {"lead": [...], "support": [...], "deadline": str|None} from `link_overrides`
        (the user's corrections) or `task_table` (an imported 分工表)."""
        if table not in ("link_overrides", "task_table"):
            raise ValueError(table)

        def fn(c: sqlite3.Connection) -> dict[str, dict[str, Any]]:
            return {
                r["clause_id"]: {"lead": json.loads(r["lead"] or "null"), "support": json.loads(r["support"] or "null"),
                                 "deadline": r["deadline"]}
                for r in c.execute(f"SELECT clause_id, lead, support, deadline FROM {table}")
            }

        return self._read(fn)

    def set_override(self, clause_id: str, *, lead: list[str] | None, support: list[str] | None,
                     deadline: str | None) -> None:
        """Save (or, with all three None, remove) the user's correction of one clause."""

        def fn(tx: _Tx) -> None:
            if lead is None and support is None and deadline is None:
                tx.conn.execute("DELETE FROM link_overrides WHERE clause_id = ?", (clause_id,))
                return
            c = tx.clean
            tx.conn.execute(
                "INSERT OR REPLACE INTO link_overrides(clause_id, lead, support, deadline, updated_at) "
                "VALUES (?, ?, ?, ?, datetime('now'))",
                (c(clause_id), c(json.dumps(lead, ensure_ascii=False)), c(json.dumps(support, ensure_ascii=False)),
                 None if deadline is None else c(deadline)))

        self._write(fn)

    def replace_task_table(self, rows: list[dict[str, Any]], source: str) -> None:
        """Replace the imported 分工表 links with `rows` (one import is one transaction)."""

        def fn(tx: _Tx) -> None:
            c = tx.clean
            tx.conn.execute("DELETE FROM task_table")
            tx.conn.executemany(
                "INSERT OR REPLACE INTO task_table(clause_id, lead, support, deadline, row, source, imported_at) "
                "VALUES (?, ?, ?, ?, ?, ?, datetime('now'))",
                [(c(r["clause_id"]), c(json.dumps(r["lead"], ensure_ascii=False)),
                  c(json.dumps(r["support"], ensure_ascii=False)), r["deadline"],
                  c(json.dumps(r["row"], ensure_ascii=False)), c(source)) for r in rows])

        self._write(fn)

    # -- tasks ---------------------------------------------------------------------------------------------
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

        def fn(tx: _Tx) -> Task:
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

        def fn(tx: _Tx) -> Task:
            old = self._task_row(tx.conn, task_id)
            c = tx.clean
            stored = {k: (json.dumps([c(t) for t in v], ensure_ascii=False) if k == "tags"
                          else c(v) if isinstance(v, str) else v) for k, v in values.items()}
            stored["updated_at"] = _later(old.updated_at)
            tx.conn.execute(f"UPDATE tasks SET {', '.join(f'{k} = ?' for k in stored)} WHERE id = ?",
                            [*stored.values(), task_id])
            return replace(self._task_row(tx.conn, task_id), notice=c.notice())

        return self._write(fn)

    def delete_task(self, task_id: str) -> None:
        """Move a task to the trash (undo with `undelete_task`; `purge_deleted` empties old trash)."""

        def fn(tx: _Tx) -> None:
            old = self._task_row(tx.conn, task_id)
            now = _later(old.updated_at)
            tx.conn.execute("UPDATE tasks SET deleted_at = ?, updated_at = ? WHERE id = ?", (now, now, task_id))

        self._write(fn)

    def undelete_task(self, task_id: str) -> Task:
        def fn(tx: _Tx) -> Task:
            old = self._task_row(tx.conn, task_id, include_deleted=True)
            if not old.deleted:
                tx.changed = False
                return old
            if live_by_anchor(tx.conn, old.clause_id, old.indicator_key) is not None:
                raise PolicyDeskError("该条款已有任务，无法恢复已删除的同一条款任务")
            tx.conn.execute("UPDATE tasks SET deleted_at = NULL, updated_at = ? WHERE id = ?",
                            (_later(old.updated_at), task_id))
            return self._task_row(tx.conn, task_id)

        return self._write(fn)

    def purge_deleted(self, older_than_days: int = 30) -> int:
        """Remove tasks that have been in the trash longer than `older_than_days`; return how many."""
        cutoff = (dt.datetime.now(dt.UTC) - dt.timedelta(days=older_than_days)).isoformat(timespec="microseconds")

        def fn(tx: _Tx) -> int:
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

        def fn(tx: _Tx) -> int:
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

        def fn(tx: _Tx) -> list[Task]:
            c = tx.clean
            olds = {m["task_id"]: self._task_row(tx.conn, m["task_id"]) for m in moves}
            for tid, old in olds.items():  # phase 1: out of the way of each other
                if c(next(m["clause_id"] for m in moves if m["task_id"] == tid)) != old.clause_id:
                    tx.conn.execute("UPDATE tasks SET clause_id = ? WHERE id = ?", ("\x00moving/" + tid, tid))
            for m in moves:
                tid = m["task_id"]
                old = olds[tid]
                cid = c(m["clause_id"])
                ik = old.indicator_key
                if ik is not None and cid != old.clause_id and ik.startswith(old.clause_id + "#"):
                    ik = indicator_key(cid, ik[len(old.clause_id) + 1:])
                other = live_by_anchor(tx.conn, cid, ik)
                if other is not None and other["id"] != tid:
                    raise PolicyDeskError(f"条款 {cid} 已有任务，无法把另一个任务定位到该条款")
                sets: dict[str, Any] = {"clause_id": cid, "indicator_key": ik, "anchor_state": m["state"]}
                for key, column in (("doc_id", "doc_id"), ("doc_title", "anchor_doc_title"),
                                    ("heading", "anchor_heading")):
                    if m.get(key) is not None:
                        sets[column] = c(m[key])
                if m.get("path") is not None:
                    sets["anchor_path"] = json.dumps([c(x) for x in m["path"]], ensure_ascii=False)
                if m.get("text") is not None:
                    sets["anchor_text"] = c(m["text"])
                    sets["anchor_fingerprint"] = m.get("fingerprint") or text_fingerprint(sets["anchor_text"])
                elif m.get("fingerprint") is not None:
                    sets["anchor_fingerprint"] = m["fingerprint"]
                tx.conn.execute(f"UPDATE tasks SET {', '.join(f'{k} = ?' for k in sets)} WHERE id = ?",
                                [*sets.values(), tid])
                if ik != old.indicator_key and old.indicator_key is not None:
                    taken = tx.conn.execute("SELECT 1 FROM indicators WHERE indicator_key = ?", (ik,)).fetchone()
                    if taken is None:  # ON UPDATE CASCADE moves the yearly values along
                        tx.conn.execute("UPDATE indicators SET indicator_key = ?, clause_id = ? WHERE indicator_key = ?",
                                        (ik, cid, old.indicator_key))
            return [self._task_row(tx.conn, m["task_id"]) for m in moves]

        return self._write(fn)

    # -- tracked indicators --------------------------------------------------------------------------------
    def track_indicator(self, clause_id: str, name: str, *, target: float | None, unit: str = "",
                        comparator: str = ">=", deadline: int | None = None, baseline: float | None = None,
                        baseline_year: int | None = None) -> TrackedIndicator:
        """Follow an indicator (created or updated; its key is `indicator_key(clause_id, name)`)."""
        if comparator not in COMPARATORS:
            raise PolicyDeskError(f"未知的比较方式：{comparator}")
        tgt, base = finite(target, "目标值"), finite(baseline, "基期值")
        dl = None if deadline is None else int(deadline)
        by = None if baseline_year is None else int(baseline_year)

        def fn(tx: _Tx) -> TrackedIndicator:
            c = tx.clean
            cid, nm = c(clause_id), c(name)
            key, now = indicator_key(cid, nm), now_iso()
            tx.conn.execute(
                "INSERT INTO indicators(indicator_key, clause_id, name, target, unit, comparator, deadline, baseline, "
                "baseline_year, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                "ON CONFLICT(indicator_key) DO UPDATE SET target = excluded.target, unit = excluded.unit, "
                "comparator = excluded.comparator, deadline = excluded.deadline, baseline = excluded.baseline, "
                "baseline_year = excluded.baseline_year, updated_at = excluded.updated_at",
                (key, cid, nm, tgt, c(unit), comparator, dl, base, by, now, now))
            return self._indicator_row(tx.conn, key)

        return self._write(fn)

    @staticmethod
    def _indicator_row(conn: sqlite3.Connection, key: str) -> TrackedIndicator:
        row = conn.execute("SELECT * FROM indicators WHERE indicator_key = ?", (key,)).fetchone()
        if row is None:
            raise NotFoundError(f"未跟踪该指标：{key}")
        return indicator_from_row(row)

    def untrack_indicator(self, key: str) -> None:
        """Stop following an indicator; its yearly values go with it (backups keep them)."""

        def fn(tx: _Tx) -> None:
            self._indicator_row(tx.conn, key)
            tx.conn.execute("DELETE FROM indicators WHERE indicator_key = ?", (key,))

        self._write(fn)

    def get_indicator(self, key: str) -> TrackedIndicator:
        return self._read(lambda c: self._indicator_row(c, key))

    def tracked_indicators(self, clause_id: str | None = None) -> list[TrackedIndicator]:
        def fn(c: sqlite3.Connection) -> list[TrackedIndicator]:
            if clause_id is None:
                rows = c.execute("SELECT * FROM indicators ORDER BY clause_id, name")
            else:
                rows = c.execute("SELECT * FROM indicators WHERE clause_id = ? ORDER BY name", (clause_id,))
            return [indicator_from_row(r) for r in rows]

        return self._read(fn)

    def set_indicator_value(self, key: str, year: int, value: float, source: str = "") -> IndicatorValue:
        """Record (or correct) the actual value of a tracked indicator in one year."""
        val = finite(value, "指标数值")
        if val is None:
            raise PolicyDeskError("指标数值不能为空")
        yr = int(year)

        def fn(tx: _Tx) -> IndicatorValue:
            self._indicator_row(tx.conn, key)
            now = now_iso()
            src = tx.clean(source)
            tx.conn.execute(
                "INSERT INTO indicator_values(indicator_key, year, value, source, updated_at) VALUES (?, ?, ?, ?, ?) "
                "ON CONFLICT(indicator_key, year) DO UPDATE SET value = excluded.value, source = excluded.source, "
                "updated_at = excluded.updated_at", (key, yr, val, src, now))
            return IndicatorValue(key, yr, val, src, now)

        return self._write(fn)

    def delete_indicator_value(self, key: str, year: int) -> None:
        def fn(tx: _Tx) -> None:
            n = tx.conn.execute("DELETE FROM indicator_values WHERE indicator_key = ? AND year = ?",
                                (key, int(year))).rowcount
            tx.changed = n > 0

        self._write(fn)

    def indicator_values(self, key: str) -> list[IndicatorValue]:
        sql = "SELECT * FROM indicator_values WHERE indicator_key = ? ORDER BY year"
        return self._read(lambda c: [IndicatorValue(r["indicator_key"], r["year"], r["value"], r["source"],
                                                    r["updated_at"]) for r in c.execute(sql, (key,))])

    def indicator_progress(self, key: str, *, as_of: int | None = None) -> IndicatorProgress:
        def fn(c: sqlite3.Connection) -> IndicatorProgress:
            ind = self._indicator_row(c, key)
            values = {r["year"]: r["value"] for r in
                      c.execute("SELECT year, value FROM indicator_values WHERE indicator_key = ?", (key,))}
            return compute_progress(target=ind.target, comparator=ind.comparator, deadline=ind.deadline,
                                    baseline=ind.baseline, baseline_year=ind.baseline_year, values=values,
                                    as_of=as_of)

        return self._read(fn)

    # -- drafts --------------------------------------------------------------------------------------------
    def save_draft(self, key: str, text: str) -> str:
        """Autosave editor text; returns a notice when text had to be cleaned ("" otherwise)."""

        def fn(tx: _Tx) -> str:
            c = tx.clean
            tx.conn.execute("INSERT INTO drafts(key, text, updated_at) VALUES (?, ?, ?) ON CONFLICT(key) DO UPDATE "
                            "SET text = excluded.text, updated_at = excluded.updated_at", (c(key), c(text), now_iso()))
            return c.notice()

        return self._write(fn)

    def get_draft(self, key: str) -> Draft | None:
        row = self._read(lambda c: c.execute("SELECT * FROM drafts WHERE key = ?", (key,)).fetchone())
        return None if row is None else Draft(row["key"], row["text"], row["updated_at"])

    def clear_draft(self, key: str) -> None:
        def fn(tx: _Tx) -> None:
            tx.changed = tx.conn.execute("DELETE FROM drafts WHERE key = ?", (key,)).rowcount > 0

        self._write(fn)

    def list_drafts(self) -> list[Draft]:
        sql = "SELECT * FROM drafts ORDER BY updated_at DESC"
        return self._read(lambda c: [Draft(r["key"], r["text"], r["updated_at"]) for r in c.execute(sql)])

    # -- sharing -------------------------------------------------------------------------------------------
    def export_tasks(self, path: Path) -> int:
        """Write all live tasks (anchors, notes), tracked indicators with progress and comments to a JSON file
        (temp file + fsync + os.replace); return the number of tasks."""
        doc = self._read(export_document)
        atomic_write_bytes(Path(path), json.dumps(doc, ensure_ascii=False, indent=1).encode("utf-8"))
        return len(doc["tasks"])

    def import_tasks_json(self, path: Path) -> ImportSummary:
        """Merge an export file without duplicates (same id or same anchor: the newer `updated_at` wins).
        One transaction; a backup is made first when data changed since the last one."""
        try:
            raw = Path(path).read_bytes()
        except OSError as exc:
            raise PolicyDeskError(f"无法读取文件：{path}", detail=str(exc)) from exc
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise PolicyDeskError("文件不是有效的 PolicyDesk 任务导出文件（编码错误）", detail=str(exc)) from exc
        doc = parse_export(text)
        self.backup_db()

        def fn(tx: _Tx) -> ImportSummary:
            summary = merge_document(tx.conn, doc)
            tx.changed = summary.changed
            return summary

        return self._write(fn)

    # -- backups -------------------------------------------------------------------------------------------
    def changed_since_backup(self) -> bool:
        """True when something was saved after the newest backup (or no automatic backup exists)."""
        seq = self._read(lambda c: {r["key"]: r["value"] for r in c.execute("SELECT key, value FROM meta")})
        if seq.get("change_seq") != seq.get("backup_seq"):
            return True
        return not any(b.tag is None for b in list_backups(self.backup_dir, self._stem))

    def backup_db(self, *, force: bool = False, tag: str | None = None) -> Path | None:
        """Make a verified backup in `<data>/backups/` (plus its tasks-notes JSONL) and thin old ones.

        Skipped (None) unless data changed since the last backup, `force` or a `tag` (pre-restore, …)."""
        with self._backup_lock:
            if not force and tag is None and not self.changed_since_backup():
                return None
            try:
                self.backup_dir.mkdir(parents=True, exist_ok=True)
                final, jsonl = new_names(self.backup_dir, self._stem, dt.datetime.now(), tag)
                seq = snapshot(self._copy_into, final, None if tag else jsonl)
            except (sqlite3.Error, OSError) as exc:
                raise translate(exc) from exc

            def mark(tx: _Tx) -> None:
                tx.changed = False
                tx.conn.execute("UPDATE meta SET value = ? WHERE key = 'backup_seq'", (str(seq),))

            self._write(mark)
            if tag is None:
                for p in rotate(self.backup_dir, self._stem, dt.date.today()):
                    log.info("old backup removed: %s", p.name)
            return final

    def _copy_into(self, dst: sqlite3.Connection) -> None:
        self._reader.run(lambda c: c.backup(dst), snapshot=False)

    def list_backups(self) -> list[BackupInfo]:
        """Backups, newest first, with date, size and task count."""
        return list_backups(self.backup_dir, self._stem)

    def restore_backup(self, path: Path) -> RestoreReport:
        """Replace the data with a backup. The current data is backed up first (tag pre-restore)."""
        path = Path(path)
        if not path.is_file():
            raise NotFoundError(f"找不到备份文件：{path}")
        if not integrity_ok(path):
            raise DatabaseCorruptError("该备份文件已损坏，无法恢复；请选择其他备份")
        version = schema_version_of(path)
        if version is None or version > len(schema.USER_MIGRATIONS):
            raise StorageError("该备份来自更新版本的 PolicyDesk，无法在此版本中恢复")
        parsed = parse_name(path.name, self._stem)
        when = parsed[0].replace(microsecond=0) if parsed else dt.datetime.fromtimestamp(path.stat().st_mtime)
        with self._backup_lock:
            safety = self.backup_db(force=True, tag="pre-restore")
            assert safety is not None

            def run(conn: sqlite3.Connection) -> None:
                row = conn.execute("SELECT value FROM meta WHERE key = 'change_seq'").fetchone()
                seq = int(row[0]) + 1 if row else 1
                with closing(open_readonly(path)) as src:
                    src.backup(conn)
                schema.migrate(conn, schema.USER_MIGRATIONS)
                # Keep the counter monotonic; the content equals a backup, so nothing is "changed".
                conn.execute("BEGIN IMMEDIATE")
                conn.execute("UPDATE meta SET value = ? WHERE key IN ('change_seq', 'backup_seq')", (str(seq),))
                conn.execute("COMMIT")

            with self._reader.lock:
                self._call(run)
        return RestoreReport(path, when, safety)

    # -- start-up ------------------------------------------------------------------------------------------
    @classmethod
    def open(cls, data_dir: Path, *, db_name: str = "user.db", busy_timeout_ms: int = BUSY_TIMEOUT_MS,
             backup_on_start: bool = True) -> tuple[UserStore, OpenReport]:
        """Start-up path for the GUI and the CLI: marker, quick_check, recovery, migration, backup.

        Never raises for a damaged file (it is moved to `damaged-<ts>/` and the newest good backup
        restored; `report.message` says so). Raises typed StorageErrors for a locked or unwritable folder.
        The returned store backs up on `close()` and removes the marker (unclean-exit detection).
        """
        data_dir = Path(data_dir)
        db = data_dir / db_name
        backup_dir = data_dir / BACKUP_DIR
        report = OpenReport()
        try:
            backup_dir.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise translate(exc) from exc
        report.partials_removed = remove_partials(backup_dir)
        marker = data_dir / MARKER
        report.unclean_exit = marker.exists()
        missing = not db.exists()
        store: UserStore | None = None
        for attempt in (1, 2):
            problem = check_health(db, busy_timeout_ms)
            if problem is None:
                try:
                    store = cls(db, busy_timeout_ms=busy_timeout_ms)
                    break
                except DatabaseCorruptError as exc:
                    if attempt == 2:
                        raise
                    problem = exc.detail or exc.message
            _recover(db, backup_dir, problem, report)
        if store is None:  # recovered twice: the file is now a verified backup or a new one
            store = cls(db, busy_timeout_ms=busy_timeout_ms)
        write_marker(marker)
        store._marker = marker
        store._backup_on_close = True
        if report.recovered:
            _salvage_and_reimport(store, db, backup_dir, report)
        if missing:
            older = [b for b in store.list_backups() if b.tasks or b.comments]
            if older:
                report.warnings.append(
                    f"找不到数据文件 {db.name}（可能被删除或移走），已新建空白数据文件。{older[0].created:%Y-%m-%d %H:%M} "
                    "的备份中有数据，可在“设置 → 数据备份与恢复”中恢复")
        elif not report.recovered:
            _check_lost_wal(store, report)
            if report.unclean_exit:
                report.warnings.append("上次程序未正常退出；已检查数据文件，未发现问题")
        if backup_on_start:
            try:
                report.backup = store.backup_db()
            except PolicyDeskError as exc:
                report.warnings.append(f"启动时备份未完成：{exc.message}")
        return store, report


def _recover(db: Path, backup_dir: Path, problem: str, report: OpenReport) -> None:
    log.error("user DB damaged (%s); recovering", problem[:300])
    report.recovered = True
    report.problem = problem
    try:
        report.damaged_dir = move_damaged(db)
        info = restore_newest(backup_dir, db.stem, db, len(schema.USER_MIGRATIONS))
    except OSError as exc:
        raise translate(exc) from exc
    if info is not None:
        report.restored_from, report.restored_at = info.path, info.created
        report.message = (f"数据文件已损坏，已从 {info.created:%Y-%m-%d %H:%M} 的备份恢复；该时间之后的修改可能丢失，"
                          f"原文件已保存在 {report.damaged_dir}")
    else:
        report.message = f"数据文件已损坏，且没有可用的备份，已新建空白数据文件；原文件已保存在 {report.damaged_dir}"


def _salvage_and_reimport(store: UserStore, db: Path, backup_dir: Path, report: OpenReport) -> None:
    """After recovery: without a backup, the newest tasks-notes JSONL first; then every readable row of the
    damaged file (C4.2): straight into the new file (a newer `updated_at` wins), or, when a backup was
    restored, into `damaged-<ts>/salvaged-user.db` with the tasks newer than the backup merged in.
    `report.message` says what came back."""
    jl = newest_jsonl(backup_dir) if report.restored_from is None else None
    if jl is not None:
        lines = jl[0].read_text(encoding="utf-8", errors="replace").splitlines()

        def fn(tx: _Tx) -> ImportSummary:
            return merge_jsonl(tx.conn, lines)

        report.reimported = store._write(fn)
    damaged = report.damaged_dir / db.name if report.damaged_dir is not None else None
    merged: ImportSummary | None = None
    if damaged is not None and damaged.exists():
        try:
            if report.restored_from is None:
                report.salvaged = store._call(lambda conn: salvage_into(damaged, conn))
            else:
                report.salvaged = salvage_to_file(damaged, damaged.parent / SALVAGED_NAME)
                if report.salvaged.total:
                    with closing(open_readonly(report.salvaged.target or damaged)) as conn:
                        doc = export_document(conn)

                    def merge(tx: _Tx) -> ImportSummary:
                        return merge_document(tx.conn, doc)

                    merged = store._write(merge)
        except (sqlite3.Error, OSError, PolicyDeskError) as exc:
            log.warning("salvage failed: %s", exc)
    report.message = _recovery_message(report, merged, jl)


def _recovery_message(report: OpenReport, merged: ImportSummary | None, jl: tuple[Path, dt.datetime] | None) -> str:
    salvaged = report.salvaged
    saved = salvaged.summary() if salvaged is not None and salvaged.total else ""
    where = f"原文件已保存在 {report.damaged_dir}"
    if report.restored_at is not None:
        msg = f"数据文件已损坏，已从 {report.restored_at:%Y-%m-%d %H:%M} 的备份恢复；该时间之后的修改可能丢失，{where}"
        if saved and salvaged is not None:
            msg += f"；另{saved}，已另存为 {salvaged.target}"
            if merged is not None and (merged.added or merged.updated):
                msg += f"，其中比备份更新的 {merged.added + merged.updated} 条任务已合并"
        return msg
    if not saved and report.reimported is None:
        return f"数据文件已损坏，且没有可用的备份，已新建空白数据文件；{where}"
    msg = "数据文件已损坏，且没有可用的备份；已新建数据文件"
    if jl is not None and report.reimported is not None:
        msg += f"，并从 {jl[1]:%Y-%m-%d %H:%M} 的任务笔记记录（{jl[0].name}）恢复了 {report.reimported.added} 条任务"
    if saved:
        msg += f"；另{saved}"
    return msg + f"；部分修改可能丢失，{where}"


def _check_lost_wal(store: UserStore, report: OpenReport) -> None:
    """D6: a backup that holds more saves than the live file means commits were lost (e.g. -wal deleted)."""
    live = store._read(lambda c: int(c.execute("SELECT value FROM meta WHERE key = 'change_seq'").fetchone()[0]))
    for info in store.list_backups():
        if info.tag is not None:
            continue
        seq = read_meta(info.path, "change_seq")
        if seq is not None and seq > live:
            report.warnings.append(
                f"数据文件可能缺少最近的修改（日志文件 {store.path.name}-wal 可能被删除或移走）：{info.created:%Y-%m-%d %H:%M} "
                "的备份比当前数据更新。请在“设置 → 数据备份与恢复”中查看，必要时从该备份恢复")
        break
