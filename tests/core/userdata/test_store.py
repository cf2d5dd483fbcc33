"""app.core.userdata.store: UserStore itself: closing (with a backup when data changed and the marker removed),
the context manager, `comments`, and `UserStore.open` as the start-up path. Real SQLite files."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

from app.core.errors import StorageError
from app.core.userdata import CommentStore, UserStore
from app.core.userdata.db import MSG_CLOSED
from app.core.userdata.recovery import MARKER


def test_context_manager_closes_and_close_is_idempotent(tmp_path: Path) -> None:
    with UserStore(tmp_path / "user.db", busy_timeout_ms=750) as store:
        assert store._call(lambda c: c.execute("PRAGMA busy_timeout").fetchone()[0]) == 750
        task = store.add_task("c1", note="保存后关闭")
    for call in (lambda: store.list_tasks(), lambda: store.add_task("c2")):
        with pytest.raises(StorageError) as info:
            call()
        assert info.value.message == MSG_CLOSED
    store.close()
    assert not (tmp_path / "backups").exists()  # a plain store makes no backup on close
    with UserStore(tmp_path / "user.db") as again:
        assert again.get_task(task.id).note == "保存后关闭"


def test_comments_belong_to_the_store(tmp_path: Path) -> None:
    with UserStore(tmp_path / "user.db") as store:
        assert isinstance(store.comments, CommentStore) and store.comments is store.comments
        c = store.comments.add("c1", proposal="改为“应当”")
        assert store.backup_db() is not None  # comments are backed up with everything else
        assert store.list_backups()[0].comments == 1
    with UserStore(tmp_path / "user.db") as store:
        assert store.comments.get(c.id).proposal == "改为“应当”"


def test_open_writes_the_marker_and_close_removes_it(tmp_path: Path) -> None:
    store, report = UserStore.open(tmp_path, db_name="mine.db")
    assert store.path == tmp_path / "mine.db" and (tmp_path / MARKER).exists()
    assert not report.unclean_exit and not report.recovered and report.messages == []
    assert report.backup is not None and report.backup.name.startswith("mine-")  # first start: a backup
    store.add_task("c1")
    store.close()
    assert not (tmp_path / MARKER).exists()
    assert len(store.list_backups()) == 2  # data changed: backed up on close


def test_open_without_start_backup_and_an_unclean_exit(tmp_path: Path) -> None:
    store, report = UserStore.open(tmp_path, backup_on_start=False)
    assert report.backup is None and store.list_backups() == []
    store.add_task("c1", note="未备份")
    store._abandon()  # as a crash would: the marker stays, no backup on the way out
    assert (tmp_path / MARKER).exists() and store.list_backups() == []
    store, report = UserStore.open(tmp_path)
    try:
        assert report.unclean_exit and "上次程序未正常退出" in report.messages[0]
        assert [t.note for t in store.list_tasks()] == ["未备份"]
    finally:
        store.close()


def test_a_failed_backup_on_close_still_closes(tmp_path: Path) -> None:
    store, _ = UserStore.open(tmp_path, backup_on_start=False)
    store.add_task("c1")
    store.backup_dir.rmdir()
    store.backup_dir.write_text("a file where the backups folder should be", encoding="utf-8")
    store.close()  # logged, not raised
    assert not (tmp_path / MARKER).exists()
    with pytest.raises(StorageError):
        store.list_tasks()
    with closing(sqlite3.connect(tmp_path / "user.db")) as conn:
        assert conn.execute("SELECT count(*) FROM tasks").fetchone()[0] == 1
