"""Start-up checks and recovery of the user DB (RELIABILITY.md D4, C4): a corrupted file is set aside in
damaged-<ts>/ and the newest good backup restored, with a message that names its date."""

from __future__ import annotations

import os
import random
import shutil
import sqlite3
from collections.abc import Callable
from contextlib import closing
from pathlib import Path

import pytest

from app.core.userdata import DatabaseBusyError, UserStore
from app.core.userdata.backup import integrity_ok

PAGE = 4096


def _random_page2(db: Path) -> None:
    with open(db, "r+b") as f:
        f.seek(PAGE)
        f.write(random.Random(2).randbytes(PAGE))


def _truncate_half(db: Path) -> None:
    with open(db, "r+b") as f:
        f.truncate(db.stat().st_size // 2)


def _zero_fill(db: Path) -> None:
    size = db.stat().st_size
    with open(db, "r+b") as f:
        f.write(b"\0" * size)


CORRUPTIONS: dict[str, Callable[[Path], None]] = {
    "random-page-2": _random_page2, "truncated-half": _truncate_half, "zero-filled": _zero_fill,
}


def _populate(data: Path) -> tuple[list[str], Path]:
    """Two sessions with a backup each; returns the task ids and the newest backup."""
    store, _ = UserStore.open(data)
    store.set("user.department", "市发展改革委")
    ids = [store.add_task(f"c{i}", note=f"第一次 {i} " + "注" * 500, text="条款" * 200).id for i in range(20)]
    store.close()  # backup on close
    store, _ = UserStore.open(data)
    for tid in ids[:5]:
        store.update_task(tid, note="第二次修改", status="进行中")
    store.close()
    newest = store.list_backups()[0]
    assert newest.tag is None and newest.tasks == 20
    return ids, newest.path


@pytest.mark.parametrize("corrupt", list(CORRUPTIONS), ids=list(CORRUPTIONS))
def test_corrupted_db_is_restored_from_newest_backup(tmp_path: Path, corrupt: str) -> None:
    ids, newest = _populate(tmp_path)
    db = tmp_path / "user.db"
    assert not Path(str(db) + "-wal").exists()
    damaged_bytes_before = db.read_bytes()
    CORRUPTIONS[corrupt](db)
    damaged_bytes = db.read_bytes()
    assert damaged_bytes != damaged_bytes_before
    backups_before = {p.name: p.read_bytes() for p in (tmp_path / "backups").iterdir()}

    store, report = UserStore.open(tmp_path)
    try:
        assert report.recovered and report.problem
        assert report.restored_from == newest
        stamp = f"{report.restored_at:%Y-%m-%d %H:%M}"
        assert report.message.startswith(f"数据文件已损坏，已从 {stamp} 的备份恢复；该时间之后的修改可能丢失，原文件已保存在 ")
        assert str(report.damaged_dir) in report.message
        # the damaged set is kept aside, byte for byte
        assert report.damaged_dir is not None and report.damaged_dir.name.startswith("damaged-")
        assert (report.damaged_dir / "user.db").read_bytes() == damaged_bytes
        # the data as of the newest backup
        assert {t.id for t in store.list_tasks()} == set(ids)
        assert [t.note for t in store.list_tasks() if t.note == "第二次修改"] == ["第二次修改"] * 5
        assert store.get("user.department") == "市发展改革委"
        store.update_task(ids[0], note="恢复后可以继续写")
    finally:
        store.close()
    # the corrupt DB never replaced a backup: every earlier backup is still there, unchanged
    for name, data in backups_before.items():
        assert (tmp_path / "backups" / name).read_bytes() == data
    store, report = UserStore.open(tmp_path)
    try:
        assert not report.recovered and report.message == ""
        assert store.get_task(ids[0]).note == "恢复后可以继续写"
    finally:
        store.close()


def test_newest_backup_damaged_too_uses_the_next_one(tmp_path: Path) -> None:
    ids, newest = _populate(tmp_path)
    _zero_fill(newest)
    _zero_fill(tmp_path / "user.db")
    store, report = UserStore.open(tmp_path)
    try:
        assert report.recovered and report.restored_from not in (None, newest)
        assert {t.id for t in store.list_tasks()} == set(ids)
        assert all(t.note.startswith("第一次") for t in store.list_tasks())  # the first session's backup
    finally:
        store.close()


def test_no_backup_reimports_newest_jsonl(tmp_path: Path) -> None:
    ids, _ = _populate(tmp_path)
    for p in (tmp_path / "backups").glob("*.sqlite3"):
        p.unlink()
    jsonl = sorted((tmp_path / "backups").glob("tasks-notes-*.jsonl"))
    assert jsonl
    _truncate_half(tmp_path / "user.db")
    store, report = UserStore.open(tmp_path)
    try:
        assert report.recovered and report.restored_from is None
        assert report.reimported is not None and report.reimported.added == 20
        assert "没有可用的备份" in report.message and "恢复了 20 条任务" in report.message
        tasks = {t.id: t for t in store.list_tasks()}
        assert set(tasks) == set(ids)
        assert sum(t.note == "第二次修改" and t.status == "doing" for t in tasks.values()) == 5
        assert store.get("user.department") == "市发展改革委"
    finally:
        store.close()


def test_no_backup_no_jsonl_starts_empty_and_says_so(tmp_path: Path) -> None:
    _populate(tmp_path)
    shutil.rmtree(tmp_path / "backups")
    _zero_fill(tmp_path / "user.db")
    store, report = UserStore.open(tmp_path)
    try:
        assert report.recovered and store.list_tasks() == []
        assert report.message.startswith("数据文件已损坏，且没有可用的备份，已新建空白数据文件；原文件已保存在 ")
        assert report.damaged_dir is not None and (report.damaged_dir / "user.db").exists()
    finally:
        store.close()


def test_unclean_exit_marker(tmp_path: Path) -> None:
    store, report = UserStore.open(tmp_path)
    assert not report.unclean_exit and (tmp_path / "running.marker").exists()
    store.add_task("c1", note="x")
    store._abandon()  # as if the process died
    store, report = UserStore.open(tmp_path)
    try:
        assert report.unclean_exit and not report.recovered
        assert "上次程序未正常退出" in report.messages[0]
        assert [t.note for t in store.list_tasks()] == ["x"]
    finally:
        store.close()
    assert not (tmp_path / "running.marker").exists()
    store, report = UserStore.open(tmp_path)
    store.close()
    assert not report.unclean_exit


def test_locked_db_at_start_is_not_mistaken_for_damage(tmp_path: Path) -> None:
    """A file locked by another program (rollback-journal mode, exclusive lock) is reported, never
    moved aside as damaged."""
    db = tmp_path / "user.db"
    with closing(sqlite3.connect(db, isolation_level=None)) as other:
        other.execute("CREATE TABLE x(y)")
        other.execute("BEGIN EXCLUSIVE")
        with pytest.raises(DatabaseBusyError) as err:
            UserStore.open(tmp_path, busy_timeout_ms=200)
        assert err.value.message == "数据库被其他程序占用，请关闭占用程序后重试"
        other.execute("ROLLBACK")
    assert not list(tmp_path.glob("damaged-*"))
    store, report = UserStore.open(tmp_path)
    store.close()
    assert not report.recovered


def test_startup_backup_only_when_changed(tmp_path: Path) -> None:
    store, report = UserStore.open(tmp_path)
    assert report.backup is not None  # a new file: the first backup
    store.close()
    store, report = UserStore.open(tmp_path)
    assert report.backup is None
    store.add_task("c1")
    store._abandon()
    store, report = UserStore.open(tmp_path)
    try:
        assert report.backup is not None and report.unclean_exit
        assert integrity_ok(report.backup)
        assert os.path.exists(report.backup.with_name(report.backup.name.replace("user-", "tasks-notes-")
                                                      .replace(".sqlite3", ".jsonl")))
    finally:
        store.close()


def test_missing_db_with_backups_warns(tmp_path: Path) -> None:
    _populate(tmp_path)
    (tmp_path / "user.db").unlink()
    store, report = UserStore.open(tmp_path)
    try:
        assert not report.recovered and store.list_tasks() == []
        assert any("找不到数据文件 user.db" in w for w in report.warnings)
        store.restore_backup(next(b.path for b in store.list_backups() if b.tasks))
        assert len(store.list_tasks()) == 20
    finally:
        store.close()
