"""app.core.userdata.recovery: the start-up checks' parts: `quick_check` (damage vs. a lock), moving a damaged
file set aside, putting the newest good backup in its place, the unclean-exit marker and the report. Real
SQLite files."""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

from app.core.userdata import DatabaseBusyError, OpenReport, UserStore, schema
from app.core.userdata.recovery import (
    MARKER,
    check_health,
    move_damaged,
    restore_newest,
    schema_version_of,
    write_marker,
)

MAX = len(schema.USER_MIGRATIONS)


def _db_with(path: Path, note: str) -> Path:
    with UserStore(path) as s:
        s.add_task("c1", note=note)
    return path


def _note(path: Path) -> str:
    with closing(sqlite3.connect(path)) as conn:
        return str(conn.execute("SELECT note FROM tasks").fetchone()[0])


def test_open_report_messages() -> None:
    assert OpenReport().messages == [] and not OpenReport().recovered
    report = OpenReport(message="数据文件已损坏", warnings=["", "上次程序未正常退出"])
    assert report.messages == ["数据文件已损坏", "上次程序未正常退出"]


def test_check_health(tmp_path: Path) -> None:
    assert check_health(tmp_path / "missing.db") is None
    empty = tmp_path / "empty.db"
    empty.write_bytes(b"")
    assert check_health(empty) is None  # SQLite makes a database of an empty file
    assert check_health(_db_with(tmp_path / "good.db", "x")) is None
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"SQLite format 3\0" + os.urandom(8192))
    problem = check_health(junk)
    assert problem is not None and problem != ""


def test_a_locked_file_is_not_damage(tmp_path: Path) -> None:
    db = tmp_path / "locked.db"
    with closing(sqlite3.connect(db, isolation_level=None)) as holder:
        holder.execute("CREATE TABLE t (x)")
        holder.execute("BEGIN EXCLUSIVE")  # rollback-journal mode: readers are locked out too
        with pytest.raises(DatabaseBusyError):
            check_health(db, busy_timeout_ms=50)
        holder.execute("ROLLBACK")
    assert check_health(db) is None


def test_move_damaged_moves_the_whole_set(tmp_path: Path) -> None:
    db = tmp_path / "user.db"
    for suffix in ("", "-wal", "-shm"):
        Path(str(db) + suffix).write_bytes(suffix.encode() or b"main")
    when = dt.datetime(2025, 3, 1, 9, 15, 30)
    target = move_damaged(db, when)
    assert target == tmp_path / "damaged-20250301-091530"
    assert sorted(p.name for p in target.iterdir()) == ["user.db", "user.db-shm", "user.db-wal"]
    assert (target / "user.db").read_bytes() == b"main" and not db.exists()
    db.write_bytes(b"again")
    second = move_damaged(db, when)  # the same second: a new folder, nothing overwritten
    assert second == tmp_path / "damaged-20250301-091530-2"
    assert (second / "user.db").read_bytes() == b"again" and (target / "user.db").read_bytes() == b"main"


def test_schema_version_of(tmp_path: Path) -> None:
    assert schema_version_of(_db_with(tmp_path / "u.db", "x")) == MAX
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"\0" * 4096)
    assert schema_version_of(junk) is None
    assert schema_version_of(tmp_path / "missing.db") is None


def test_restore_newest_takes_the_newest_usable_backup(tmp_path: Path) -> None:
    backups = tmp_path / "backups"
    backups.mkdir()
    db = tmp_path / "user.db"
    assert restore_newest(backups, "user", db, MAX) is None and not db.exists()
    _db_with(backups / "user-20250101-080000.sqlite3", "一月")
    _db_with(backups / "user-20250201-080000.sqlite3", "二月")
    (backups / "user-20250301-080000.sqlite3").write_bytes(b"\0" * 8192)  # damaged
    newer = backups / "user-20250401-080000.sqlite3"
    _db_with(newer, "四月，新版本")
    with closing(sqlite3.connect(newer)) as conn:
        conn.execute(f"PRAGMA user_version = {MAX + 1}")  # this release cannot read it
    info = restore_newest(backups, "user", db, MAX)
    assert info is not None and info.path.name == "user-20250201-080000.sqlite3"
    assert info.created == dt.datetime(2025, 2, 1, 8)
    assert _note(db) == "二月"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["backups", "user.db"]  # no temp file left


def test_write_marker(tmp_path: Path) -> None:
    marker = tmp_path / MARKER
    write_marker(marker)
    text = marker.read_text(encoding="utf-8")
    assert text.startswith(f"pid={os.getpid()} started=") and text.endswith("\n")
    write_marker(tmp_path / "missing-folder" / MARKER)  # best effort: never raises
    assert not (tmp_path / "missing-folder").exists()
