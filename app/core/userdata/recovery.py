"""Start-up checks of the user DB (RELIABILITY.md C4): unclean-exit marker, `quick_check`, moving a damaged
file set aside and putting the newest good backup in its place."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import sqlite3
from contextlib import closing, suppress
from dataclasses import dataclass, field
from pathlib import Path

from app.core.userdata.backup import BackupInfo, integrity_ok, list_backups, open_readonly
from app.core.userdata.db import BUSY_TIMEOUT_MS, DatabaseCorruptError, fsync_dir, fsync_file, translate
from app.core.userdata.import_summary import ImportSummary
from app.core.userdata.salvage import SalvageReport

MARKER = "running.marker"
_SIDECARS = ("-wal", "-shm", "-journal")


@dataclass
class OpenReport:
    """What `UserStore.open` found and did. `message` is the one dialog to show ("" when all is well)."""

    unclean_exit: bool = False  # running.marker was left by the previous run
    recovered: bool = False  # the DB was damaged and replaced
    problem: str | None = None  # what quick_check (or opening) reported
    damaged_dir: Path | None = None  # where the damaged db + -wal + -shm were moved
    restored_from: Path | None = None
    restored_at: dt.datetime | None = None
    reimported: ImportSummary | None = None  # no usable backup: what the newest JSONL gave back
    salvaged: SalvageReport | None = None  # rows copied out of the damaged file (C4.2)
    backup: Path | None = None  # the start-up backup, when data had changed since the last one
    partials_removed: list[Path] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    message: str = ""

    @property
    def messages(self) -> list[str]:
        return [m for m in (self.message, *self.warnings) if m]


def check_health(path: Path, busy_timeout_ms: int = BUSY_TIMEOUT_MS) -> str | None:
    """None when `path` is missing or passes `PRAGMA quick_check`; else what is wrong.

    A locked or unreadable file is not "damaged": those errors are raised (typed), never recovered from.
    """
    if not path.exists() or path.stat().st_size == 0:
        return None
    try:
        with closing(sqlite3.connect(path, timeout=busy_timeout_ms / 1000, isolation_level=None)) as conn:
            conn.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
            rows = conn.execute("PRAGMA quick_check").fetchall()
    except sqlite3.Error as exc:
        err = translate(exc)
        if isinstance(err, DatabaseCorruptError):
            return str(exc)
        raise err from exc
    if [tuple(r) for r in rows] == [("ok",)]:
        return None
    return "; ".join(str(r[0]) for r in rows)[:2000] or "quick_check failed"


def move_damaged(db: Path, now: dt.datetime | None = None) -> Path:
    """Move db + -wal + -shm (+ -journal) into `damaged-<ts>/` beside it, as one forensic set."""
    stamp = (now or dt.datetime.now()).strftime("%Y%m%d-%H%M%S")
    target = db.parent / f"damaged-{stamp}"
    n = 1
    while target.exists():
        n += 1
        target = db.parent / f"damaged-{stamp}-{n}"
    target.mkdir(parents=True)
    for suffix in ("", *_SIDECARS):
        p = Path(str(db) + suffix)
        if p.exists():
            os.replace(p, target / p.name)
    fsync_dir(target)
    fsync_dir(db.parent)
    return target


def schema_version_of(path: Path) -> int | None:
    try:
        with closing(open_readonly(path)) as conn:
            return int(conn.execute("PRAGMA user_version").fetchone()[0])
    except sqlite3.Error:
        return None


def restore_newest(backup_dir: Path, stem: str, db: Path, max_version: int) -> BackupInfo | None:
    """Copy the newest backup that passes integrity_check (and that this version can read) to `db`."""
    for info in list_backups(backup_dir, stem):
        version = schema_version_of(info.path)
        if version is None or version > max_version or not integrity_ok(info.path):
            continue
        tmp = db.with_name(f".{db.name}.restore.tmp")
        try:
            shutil.copyfile(info.path, tmp)
            fsync_file(tmp)
            os.replace(tmp, db)
        except OSError as exc:
            with suppress(OSError):
                tmp.unlink(missing_ok=True)
            raise translate(exc) from exc
        fsync_dir(db.parent)
        return info
    return None


def write_marker(path: Path) -> None:
    with suppress(OSError):
        path.write_text(f"pid={os.getpid()} started={dt.datetime.now().isoformat(timespec='seconds')}\n",
                        encoding="utf-8")
