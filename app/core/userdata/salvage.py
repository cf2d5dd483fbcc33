"""Salvage of rows from a damaged user DB (RELIABILITY.md C4.2).

When `quick_check` fails, the damaged file set is moved to `damaged-<ts>/` (never changed there). This
module reads every row it still can from a *copy* of that set and writes it into a healthy DB with the
current schema: table by table, row by row, in rowid order. A read that fails (a damaged page) is skipped
by seeking past it, so one bad page costs the rows on that page, not the rest of the table. A row the
healthy schema refuses (a CHECK or foreign key) is skipped and counted. Standard library only.
"""

from __future__ import annotations

import logging
import shutil
import sqlite3
import tempfile
from contextlib import closing, suppress
from dataclasses import dataclass, field
from pathlib import Path

import app.core.userdata.schema as schema

log = logging.getLogger("policydesk.userdata")

# Parents before children (indicator_values refers to indicators). `meta` is handled apart.
SALVAGE_TABLES = ("settings", "link_overrides", "task_table", "tasks", "indicators", "indicator_values", "drafts",
                  "comments")
TABLE_LABELS = {"settings": "设置", "link_overrides": "单位更正", "task_table": "分工表", "tasks": "任务与笔记",
                "indicators": "跟踪指标", "indicator_values": "指标年度数值", "drafts": "草稿", "comments": "意见"}
INTRODUCED = {"comments": 4}  # tables added after v3: the schema version that created them
_SIDECARS = ("-wal", "-journal")
SALVAGED_NAME = "salvaged-user.db"  # in damaged-<ts>/ when a backup was restored


@dataclass
class SalvageReport:
    """What was copied out of a damaged DB: rows per table, and what could not be read or stored."""

    saved: dict[str, int] = field(default_factory=dict)  # rows now in the healthy DB, per table
    unreadable: dict[str, int] = field(default_factory=dict)  # read errors skipped (a bad page each)
    rejected: dict[str, int] = field(default_factory=dict)  # rows the healthy schema refused
    lost_tables: list[str] = field(default_factory=list)  # tables that could not be read at all
    target: Path | None = None

    @property
    def total(self) -> int:
        return sum(self.saved.values())

    @property
    def tasks(self) -> int:
        return self.saved.get("tasks", 0)

    def summary(self) -> str:
        """A Chinese sentence: "从损坏的文件中抢救出 N 条记录（任务与笔记 12 条，…）"."""
        parts = [f"{TABLE_LABELS.get(t, t)} {n} 条" for t, n in self.saved.items() if n]
        text = f"从损坏的文件中抢救出 {self.total} 条记录"
        if parts:
            text += "（" + "、".join(parts) + "）"
        problems = sum(self.unreadable.values()) + sum(self.rejected.values())
        if problems or self.lost_tables:
            text += "；部分内容已无法读取"
        return text


def _open_copy(damaged_db: Path, workdir: Path) -> sqlite3.Connection:
    """Copy db (+ -wal) into `workdir` and open the copy: the forensic set is never touched, and the WAL
    (committed saves not yet in the main file) is read too."""
    copy = workdir / "damaged.db"
    shutil.copyfile(damaged_db, copy)
    for suffix in _SIDECARS:
        side = Path(str(damaged_db) + suffix)
        if side.exists():
            shutil.copyfile(side, Path(str(copy) + suffix))
    conn = sqlite3.connect(copy, isolation_level=None)
    conn.text_factory = lambda b: b.decode("utf-8", "replace")  # a damaged text is kept, marked with U+FFFD
    with suppress(sqlite3.Error):
        conn.execute("PRAGMA writable_schema=ON")  # lets a slightly damaged schema still be read
    return conn


def _columns(conn: sqlite3.Connection, table: str) -> list[str]:
    return [str(r[1]) for r in conn.execute(f"PRAGMA table_info([{table}])")]


def _max_rowid(src: sqlite3.Connection, table: str) -> int | None:
    try:
        row = src.execute(f"SELECT max(rowid) FROM [{table}]").fetchone()
    except sqlite3.Error:
        return None
    return None if row is None or row[0] is None else int(row[0])


def read_rows(src: sqlite3.Connection, table: str, columns: list[str],
              report: SalvageReport) -> list[tuple[object, ...]]:
    """Every row of `table` that can be read, in rowid order; damaged stretches are skipped.

    Rows are fetched one at a time from `rowid > last`, so the rows before a bad page are kept. After an
    error, the smallest `last` from which reading works again is searched (doubling steps, then bisection):
    only the rows on the bad page are lost."""
    cols = ", ".join(f"[{c}]" for c in columns)
    sql = f"SELECT rowid, {cols} FROM [{table}] WHERE rowid > ? ORDER BY rowid"
    rows: list[tuple[object, ...]] = []
    last = _MIN_ROWID
    top = _max_rowid(src, table)
    limit = top if top is not None else _MAX_PROBE
    while True:
        failed = False
        try:
            for r in src.execute(sql, (last,)):
                rows.append(tuple(r[1:]))
                last = int(r[0])
        except sqlite3.Error:
            failed = True
        if not failed:
            return rows
        report.unreadable[table] = report.unreadable.get(table, 0) + 1
        resume = _resume_after(src, sql, last, limit)
        if resume is None:
            return rows
        last = resume


_MIN_ROWID = -(2**63)
_MAX_PROBE = 2**40


def _readable(src: sqlite3.Connection, sql: str, last: int) -> bool:
    """Can the first row after `last` be read (or is there none)?"""
    try:
        src.execute(sql + " LIMIT 1", (last,)).fetchall()
    except sqlite3.Error:
        return False
    return True


def _resume_after(src: sqlite3.Connection, sql: str, bad: int, limit: int) -> int | None:
    """The smallest x > `bad` from which reading works again, or None when nothing past `bad` is readable."""
    lo = bad  # reading from `lo` fails
    if bad == _MIN_ROWID:
        if _readable(src, sql, 0):
            return 0
        lo = 0
    step = 1
    hi = lo + step
    while not _readable(src, sql, hi):
        lo = hi
        if hi >= limit:
            return None
        step *= 2
        hi = min(lo + step, limit)
    while hi - lo > 1:  # reading from lo fails, from hi works: bisect
        mid = (lo + hi) // 2
        if _readable(src, sql, mid):
            hi = mid
        else:
            lo = mid
    return hi


def salvage_into(damaged_db: Path, dst: sqlite3.Connection) -> SalvageReport:
    """Copy the readable rows of `damaged_db` into `dst` (a connection to a DB with the current schema).

    One transaction per table; a row `dst` already has is replaced only by a newer one (`updated_at`). Returns the counts."""
    report = SalvageReport()
    with tempfile.TemporaryDirectory(prefix="policydesk-salvage-") as tmp:
        try:
            src = _open_copy(damaged_db, Path(tmp))
        except (OSError, sqlite3.Error) as exc:
            log.warning("salvage: cannot open the damaged copy: %s", exc)
            report.lost_tables = list(SALVAGE_TABLES)
            return report
        with closing(src):
            for table in SALVAGE_TABLES:
                wanted = _columns(dst, table)
                try:
                    have = set(_columns(src, table))
                except sqlite3.Error:
                    have = set()
                cols = [c for c in wanted if c in have]
                if not cols:
                    if not _never_had(src, table):  # a file from before the table is not missing anything
                        report.lost_tables.append(table)
                    continue
                rows = read_rows(src, table, cols, report)
                report.saved[table], report.rejected[table] = _insert(dst, table, cols, rows)
            _carry_change_seq(src, dst)
    log.info("salvaged %d rows (unreadable stretches %s, rejected %s, lost tables %s)", report.total,
             report.unreadable, report.rejected, report.lost_tables)
    return report


def _never_had(src: sqlite3.Connection, table: str) -> bool:
    """True when `src` comes from a schema version before `table` existed (nothing of it can be missing)."""
    if table not in INTRODUCED:
        return False
    try:
        version = int(src.execute("PRAGMA user_version").fetchone()[0])
    except (sqlite3.Error, TypeError, ValueError):
        return False
    return 0 < version < INTRODUCED[table]


def _insert(dst: sqlite3.Connection, table: str, cols: list[str], rows: list[tuple[object, ...]]) -> tuple[int, int]:
    """Insert `rows`; where `dst` already has the key (e.g. from a JSONL re-import), the salvaged row
    wins only when its `updated_at` is newer. Returns (rows kept: stored, or already there at least as new;
    rows refused)."""
    names = ", ".join(f"[{c}]" for c in cols)
    sql = f"INSERT INTO [{table}]({names}) VALUES ({', '.join('?' * len(cols))})"
    keys = [str(r[1]) for r in sorted(dst.execute(f"PRAGMA table_info([{table}])"), key=lambda r: r[5]) if r[5]]
    if keys and all(k in cols for k in keys):
        if "updated_at" in cols and len(cols) > len(keys):
            sets = ", ".join(f"[{c}] = excluded.[{c}]" for c in cols if c not in keys)
            sql += (f" ON CONFLICT({', '.join(f'[{k}]' for k in keys)}) DO UPDATE SET {sets}"
                    f" WHERE excluded.updated_at > [{table}].updated_at")
        else:
            sql += f" ON CONFLICT({', '.join(f'[{k}]' for k in keys)}) DO NOTHING"
    saved = rejected = 0
    dst.execute("BEGIN IMMEDIATE")
    try:
        for row in rows:
            try:
                dst.execute(sql, row)
                saved += 1
            except sqlite3.Error:  # a CHECK, NOT NULL, UNIQUE or foreign key the damaged row breaks
                rejected += 1
        dst.execute("COMMIT")
    except BaseException:
        if dst.in_transaction:
            dst.execute("ROLLBACK")
        raise
    return saved, rejected


def _carry_change_seq(src: sqlite3.Connection, dst: sqlite3.Connection) -> None:
    """Keep the save counter monotonic (D6 compares it with backups) and mark the data as not backed up."""
    try:
        row = src.execute("SELECT value FROM meta WHERE key = 'change_seq'").fetchone()
        old = int(row[0]) if row else 0
    except (sqlite3.Error, ValueError, TypeError):
        old = 0
    dst.execute("BEGIN IMMEDIATE")
    dst.execute("UPDATE meta SET value = CAST(max(CAST(value AS INTEGER), ?) + 1 AS TEXT) WHERE key = 'change_seq'",
                (old,))
    dst.execute("UPDATE meta SET value = '-1' WHERE key = 'backup_seq'")
    dst.execute("COMMIT")


def salvage_to_file(damaged_db: Path, target: Path) -> SalvageReport:
    """Salvage into a new file `target` with the current schema (kept beside the damaged set)."""
    target.unlink(missing_ok=True)
    with closing(sqlite3.connect(target, isolation_level=None)) as dst:
        dst.execute("PRAGMA foreign_keys=ON")
        schema.migrate(dst, schema.USER_MIGRATIONS)
        report = salvage_into(damaged_db, dst)
    report.target = target
    return report
