"""Verified, rotated backups of the user DB (RELIABILITY.md C3) and their readable JSONL twins.

A backup is made with the SQLite backup API (a consistent snapshot that includes WAL content) into
`<name>.partial`, switched to a single self-contained file, checked with `integrity_check`, fsynced and
only then renamed into place. Rotation runs after that, so old backups are never deleted before the new
one is verified. Pre-migration and pre-restore backups carry a tag and are never rotated away.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import sqlite3
from collections.abc import Callable, Iterator, Sequence
from contextlib import closing, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from app.core.errors import StorageError
from app.core.userdata.comment_model import comment_from_row
from app.core.userdata.db import atomic_write_bytes, fsync_dir, fsync_file
from app.core.userdata.model import indicator_from_row, task_from_row

BACKUP_DIR = "backups"
JSONL_STEM = "tasks-notes"
SNIPPET_CHARS = 120
_STAMP = "%Y%m%d-%H%M%S"


@dataclass(frozen=True)
class BackupInfo:
    """One backup file. `created` is local time (from the file name); `tasks` and `comments` count the
    live ones."""

    path: Path
    created: dt.datetime
    size: int
    tasks: int | None  # None when the file cannot be read
    tag: str | None  # e.g. "pre-v3", "pre-restore"; None for the rotated ones
    comments: int | None = None

    @property
    def kind(self) -> str:
        if self.tag is None:
            return "自动备份"
        if self.tag == "pre-restore":
            return "恢复前备份"
        if self.tag.startswith("pre-v"):
            return "升级前备份"
        return "手动备份"


def _name_re(stem: str, ext: str, tagged: bool) -> re.Pattern[str]:
    tag = r"(?:(?P<tag>pre-[A-Za-z0-9]+)-)?" if tagged else ""
    return re.compile(rf"^{re.escape(stem)}-{tag}(?P<ts>\d{{8}}-\d{{6}})(?:-(?P<n>\d+))?{re.escape(ext)}$")


def parse_name(name: str, stem: str, ext: str = ".sqlite3") -> tuple[dt.datetime, str | None] | None:
    """(time, tag) from a backup or JSONL file name; the n-th file of one second sorts n microseconds later."""
    m = _name_re(stem, ext, ext == ".sqlite3").match(name)
    if m is None:
        return None
    try:
        when = dt.datetime.strptime(m["ts"], _STAMP)
    except ValueError:
        return None
    n = int(m["n"] or 0)
    return when + dt.timedelta(microseconds=min(n, 999_999)), m.groupdict().get("tag")


def new_names(backup_dir: Path, stem: str, when: dt.datetime, tag: str | None) -> tuple[Path, Path]:
    """Unused (backup path, JSONL path) for a backup made at `when`."""
    ts = when.strftime(_STAMP)
    for n in range(10_000):
        suffix = f"-{n}" if n else ""
        db = backup_dir / f"{stem}-{tag + '-' if tag else ''}{ts}{suffix}.sqlite3"
        jl = backup_dir / f"{JSONL_STEM}-{ts}{suffix}.jsonl"
        if not (db.exists() or db.with_suffix(".partial").exists() or jl.exists()):
            return db, jl
    raise StorageError("备份文件名冲突，请稍后重试")


# -- retention ---------------------------------------------------------------------------------------------
def thin(stamps: Sequence[dt.datetime], today: dt.date, *, daily: int = 12, weekly: int = 10,
         monthly: int = 9) -> set[dt.datetime]:
    """Which backups to keep (after Anki): everything from today and yesterday; then, going back in
    time, the newest backup of each of `daily` further days, then of `weekly` further weeks, then of
    `monthly` further months. Pure: `today` is passed in."""
    yesterday = today - dt.timedelta(days=1)
    left = {"daily": daily, "weekly": weekly, "monthly": monthly}
    last_day: dt.date | None = None
    last_week: tuple[int, int] | None = None
    last_month: tuple[int, int] | None = None
    keep: set[dt.datetime] = set()
    for s in sorted(set(stamps), reverse=True):
        day = s.date()
        iso = day.isocalendar()
        week, month = (iso[0], iso[1]), (day.year, day.month)
        if day >= yesterday:
            stage = "recent"
        else:  # the stages are used up in order: days first, then weeks, then months
            stage = next((k for k in ("daily", "weekly", "monthly") if left[k]), "")
            new = {"daily": last_day is None or day < last_day,
                   "weekly": last_week is None or week < last_week,
                   "monthly": last_month is None or month < last_month}.get(stage, False)
            if not new:
                continue
        if stage != "recent":
            left[stage] -= 1
        keep.add(s)
        last_day, last_week, last_month = day, week, month
    return keep


def rotate(backup_dir: Path, stem: str, today: dt.date) -> list[Path]:
    """Delete the untagged backups and JSONL files `thin` does not keep; return what was deleted."""
    deleted: list[Path] = []
    for pattern, name_stem, ext in ((f"{stem}-*.sqlite3", stem, ".sqlite3"),
                                    (f"{JSONL_STEM}-*.jsonl", JSONL_STEM, ".jsonl")):
        files: dict[dt.datetime, Path] = {}
        for p in backup_dir.glob(pattern):
            parsed = parse_name(p.name, name_stem, ext)
            if parsed is not None and parsed[1] is None:
                files[parsed[0]] = p
        keep = thin(list(files), today)
        for stamp, p in files.items():
            if stamp not in keep:
                with suppress(OSError):
                    p.unlink()
                    deleted.append(p)
    return deleted


def remove_partials(backup_dir: Path) -> list[Path]:
    """Leftovers of a backup that was interrupted (D2)."""
    removed: list[Path] = []
    if backup_dir.is_dir():
        for p in backup_dir.iterdir():
            if p.name.endswith((".partial", ".partial-journal", ".partial-wal", ".partial-shm")) or (
                    p.name.startswith(".") and p.name.endswith(".tmp")):
                with suppress(OSError):
                    p.unlink()
                    removed.append(p)
    return removed


# -- files -------------------------------------------------------------------------------------------------
def open_readonly(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(f"{Path(path).resolve().as_uri()}?mode=ro", uri=True, isolation_level=None)
    conn.row_factory = sqlite3.Row
    return conn


def _tables(conn: sqlite3.Connection) -> set[str]:
    return {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}


def integrity_ok(path: Path) -> bool:
    """True when `path` is a readable SQLite file that passes `PRAGMA integrity_check`."""
    try:
        with closing(open_readonly(path)) as conn:
            rows = conn.execute("PRAGMA integrity_check").fetchall()
            return [tuple(r) for r in rows] == [("ok",)]
    except sqlite3.Error:
        return False


def read_meta(path: Path, key: str) -> int | None:
    try:
        with closing(open_readonly(path)) as conn:
            row = conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
            return None if row is None else int(row[0])
    except (sqlite3.Error, ValueError):
        return None


def count_tasks(path: Path, table: str = "tasks") -> int | None:
    """Live rows of `tasks` (or `comments`) in a DB file; None when it cannot be read."""
    if table not in ("tasks", "comments"):
        raise ValueError(table)
    try:
        with closing(open_readonly(path)) as conn:
            if table not in _tables(conn):
                return 0
            return int(conn.execute(f"SELECT count(*) FROM {table} WHERE deleted_at IS NULL").fetchone()[0])
    except sqlite3.Error:
        return None


def list_backups(backup_dir: Path, stem: str) -> list[BackupInfo]:
    """All backups, newest first."""
    found: list[tuple[dt.datetime, BackupInfo]] = []
    if not backup_dir.is_dir():
        return []
    for p in backup_dir.glob(f"{stem}-*.sqlite3"):
        parsed = parse_name(p.name, stem)
        if parsed is None:
            continue
        with suppress(OSError):
            info = BackupInfo(p, parsed[0].replace(microsecond=0), p.stat().st_size, count_tasks(p), parsed[1],
                              count_tasks(p, "comments"))
            found.append((parsed[0], info))
    found.sort(key=lambda f: f[0], reverse=True)
    return [info for _, info in found]


def newest_jsonl(backup_dir: Path) -> tuple[Path, dt.datetime] | None:
    found = []
    for p in backup_dir.glob(f"{JSONL_STEM}-*.jsonl"):
        parsed = parse_name(p.name, JSONL_STEM, ".jsonl")
        if parsed is not None:
            found.append((parsed[0], p))
    if not found:
        return None
    when, path = max(found)
    return path, when.replace(microsecond=0)


# -- making one --------------------------------------------------------------------------------------------
def snapshot(copy: Callable[[sqlite3.Connection], None], final: Path, jsonl: Path | None) -> int:
    """Copy the DB to `final` (verified, durable); write the JSONL twin; return the copy's change_seq.

    `copy(dst)` runs the SQLite backup API from the live connection into `dst` (e.g. `conn.backup`).

    Raises StorageError (or sqlite3/OS errors) with the partial file removed and nothing else touched.
    """
    partial = final.with_suffix(".partial")
    try:
        with closing(sqlite3.connect(partial, isolation_level=None, check_same_thread=False)) as dst:
            copy(dst)  # consistent snapshot, WAL content included
            dst.row_factory = sqlite3.Row
            dst.execute("PRAGMA journal_mode=DELETE")  # one self-contained file, no -wal beside it
            tables = _tables(dst)
            seq = 0
            if "meta" in tables:
                row = dst.execute("SELECT value FROM meta WHERE key = 'change_seq'").fetchone()
                seq = int(row[0]) if row else 0
                dst.execute("UPDATE meta SET value = ? WHERE key = 'backup_seq'", (str(seq),))
            rows = dst.execute("PRAGMA integrity_check").fetchall()
            if [tuple(r) for r in rows] != [("ok",)]:
                raise StorageError("备份校验失败，已放弃本次备份（原有备份不受影响）",
                                   detail="; ".join(str(r[0]) for r in rows[:5]))
            lines = list(jsonl_lines(dst, tables)) if jsonl is not None else []
        fsync_file(partial)
        if jsonl is not None:
            atomic_write_bytes(jsonl, "".join(lines).encode("utf-8"))
        partial.replace(final)
        fsync_dir(final.parent)
    except BaseException:
        with suppress(OSError):
            partial.unlink(missing_ok=True)
        for extra in ("-journal", "-wal", "-shm"):
            with suppress(OSError):
                Path(str(partial) + extra).unlink(missing_ok=True)
        raise
    return seq


def jsonl_lines(conn: sqlite3.Connection, tables: set[str] | None = None) -> Iterator[str]:
    """The human-readable second copy: one JSON object per line, `type` first."""
    tables = _tables(conn) if tables is None else tables

    def line(obj: dict[str, Any]) -> str:
        return json.dumps(obj, ensure_ascii=False) + "\n"

    if "tasks" in tables:
        for r in conn.execute("SELECT * FROM tasks WHERE deleted_at IS NULL ORDER BY created_at, id"):
            t = task_from_row(r)
            yield line({"type": "task", "id": t.id, "clause_id": t.clause_id,
                        "clause_text_snippet": t.text[:SNIPPET_CHARS], "note": t.note, "status": t.status_label,
                        "created_at": t.created_at, "updated_at": t.updated_at, "task": t.to_json()})
    if "indicators" in tables:
        for r in conn.execute("SELECT * FROM indicators ORDER BY indicator_key"):
            ind = indicator_from_row(r)
            values = [{"year": v["year"], "value": v["value"], "source": v["source"], "updated_at": v["updated_at"]}
                      for v in conn.execute("SELECT * FROM indicator_values WHERE indicator_key = ? ORDER BY year",
                                            (ind.key,))]
            yield line({"type": "indicator", **ind.to_json(), "values": values})
    if "comments" in tables:
        for r in conn.execute("SELECT * FROM comments WHERE deleted_at IS NULL ORDER BY created_at, id"):
            cm = comment_from_row(r)
            yield line({"type": "comment", "id": cm.id, "clause_id": cm.clause_id, "kind": cm.kind_label,
                        "quote": cm.quote[:SNIPPET_CHARS], "proposal": cm.proposal, "reason": cm.reason,
                        "created_at": cm.created_at, "updated_at": cm.updated_at, "comment": cm.to_json()})
    if "link_overrides" in tables:
        for r in conn.execute("SELECT * FROM link_overrides ORDER BY clause_id"):
            yield line({"type": "override", **dict(zip(r.keys(), tuple(r), strict=True))})
    if "settings" in tables:
        for r in conn.execute("SELECT key, value FROM settings ORDER BY key"):
            yield line({"type": "setting", "key": r["key"], "value": r["value"]})
