"""app.core.userdata.backups: UserStore's backups (only when data changed), restore (with a safety backup
first) and the task export/import file. Real SQLite files."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import pytest

from app.core.errors import NotFoundError, PolicyDeskError, StorageError
from app.core.userdata import DatabaseCorruptError, RestoreReport, UserStore
from app.core.userdata.backup import JSONL_STEM, integrity_ok, open_readonly


@pytest.fixture
def store(tmp_path: Path) -> Iterator[UserStore]:
    s = UserStore(tmp_path / "data" / "user.db")
    yield s
    s.close()


def _meta(store: UserStore) -> dict[str, str]:
    return store._read(lambda c: dict(c.execute("SELECT key, value FROM meta").fetchall()))


def test_restore_report_message() -> None:
    report = RestoreReport(Path("b/user-20250301-091530.sqlite3"), dt.datetime(2025, 3, 1, 9, 15),
                           Path("b/user-pre-restore-20250302-100000.sqlite3"))
    assert report.message == ("已从 2025-03-01 09:15 的备份恢复；恢复前的数据已另存为备份 "
                              "user-pre-restore-20250302-100000.sqlite3，需要时可再恢复")


def test_backup_only_when_something_changed(store: UserStore) -> None:
    assert store.changed_since_backup()  # a new file has no backup yet
    store.add_task("c1", note="第一条")
    first = store.backup_db()
    assert first is not None and first.parent == store.backup_dir and integrity_ok(first)
    assert first.name.startswith("user-") and "pre-" not in first.name
    assert len(list(store.backup_dir.glob(f"{JSONL_STEM}-*.jsonl"))) == 1  # with its readable twin
    assert not store.changed_since_backup() and _meta(store)["backup_seq"] == _meta(store)["change_seq"]
    assert store.backup_db() is None  # nothing new
    store.update_task(store.list_tasks()[0].id, note="改过")
    assert store.changed_since_backup()
    assert store.backup_db() is not None and not store.changed_since_backup()
    assert store.backup_db(force=True) is not None
    assert len(store.list_backups()) == 3


def test_tagged_backups_have_no_twin_and_do_not_count_as_the_backup(store: UserStore) -> None:
    store.add_task("c1")
    tagged = store.backup_db(tag="pre-test")
    assert tagged is not None and tagged.name.startswith("user-pre-test-")
    assert list(store.backup_dir.glob("*.jsonl")) == []
    assert store.changed_since_backup()  # no automatic backup exists yet
    assert [(b.tag, b.kind, b.tasks) for b in store.list_backups()] == [("pre-test", "手动备份", 1)]


def test_restore_replaces_the_data_and_keeps_a_safety_copy(store: UserStore) -> None:
    kept = store.add_task("c1", note="备份里的")
    backup = store.backup_db()
    assert backup is not None
    store.delete_task(kept.id)
    store.add_task("c2", note="备份之后的")
    seq_before = int(_meta(store)["change_seq"])
    report = store.restore_backup(backup)
    assert report.restored_from == backup and report.safety_backup.name.startswith("user-pre-restore-")
    assert [t.note for t in store.list_tasks()] == ["备份里的"]
    seq = int(_meta(store)["change_seq"])
    assert seq > seq_before and _meta(store)["backup_seq"] == str(seq)  # monotonic, and equal to a backup
    with closing(open_readonly(report.safety_backup)) as safety:  # what was there before the restore
        assert [r[0] for r in safety.execute("SELECT note FROM tasks WHERE deleted_at IS NULL")] == ["备份之后的"]
    assert store.add_task("c3").clause_id == "c3"  # the store keeps working after a restore


def test_restore_refuses_missing_damaged_and_newer_files(store: UserStore, tmp_path: Path) -> None:
    with pytest.raises(NotFoundError):
        store.restore_backup(tmp_path / "none.sqlite3")
    junk = tmp_path / "junk.sqlite3"
    junk.write_bytes(b"\0" * 8192)
    with pytest.raises(DatabaseCorruptError, match="已损坏"):
        store.restore_backup(junk)
    newer = tmp_path / "newer.sqlite3"
    with closing(sqlite3.connect(newer)) as conn:
        conn.execute("PRAGMA user_version = 99")
        conn.execute("CREATE TABLE x (y)")
    with pytest.raises(StorageError, match="更新版本"):
        store.restore_backup(newer)
    assert store.list_backups() == []  # nothing was touched


def test_export_then_import_into_another_store(store: UserStore, tmp_path: Path) -> None:
    t = store.add_task("c1", note="共享的笔记", tags=["交通"])
    store.track_indicator("c1", "x", target=5)
    store.comments.add("c1", proposal="建议修改")
    out = tmp_path / "export.json"
    assert store.export_tasks(out) == 1
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert doc["format"] == "policydesk-tasks" and [x["id"] for x in doc["tasks"]] == [t.id]
    with UserStore(tmp_path / "other" / "user.db") as other:
        summary = other.import_tasks_json(out)
        assert (summary.added, summary.indicators_added, summary.comments_added) == (1, 1, 1)
        assert other.get_task(t.id).note == "共享的笔记"
        again = other.import_tasks_json(out)
        assert (again.added, again.skipped, again.changed) == (0, 1, False)


def test_import_refuses_unreadable_files(store: UserStore, tmp_path: Path) -> None:
    with pytest.raises(PolicyDeskError, match="无法读取文件"):
        store.import_tasks_json(tmp_path / "missing.json")
    gbk = tmp_path / "gbk.json"
    gbk.write_bytes("任务".encode("gbk"))
    with pytest.raises(PolicyDeskError, match="编码错误"):
        store.import_tasks_json(gbk)
    other = tmp_path / "other.json"
    other.write_text(json.dumps({"format": "something-else", "tasks": []}), encoding="utf-8")
    with pytest.raises(PolicyDeskError, match="不是有效的"):
        store.import_tasks_json(other)
    assert store.list_tasks() == []
