"""Salvage of rows from a damaged user DB (RELIABILITY.md C4.2): every row that can still be read is copied
into a healthy file; the damaged set stays aside; the report counts what was saved."""

from __future__ import annotations

import random
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

from app.core.userdata import UserStore
from app.core.userdata.backup import integrity_ok
from app.core.userdata.salvage import SALVAGED_NAME, salvage_to_file

PAGE = 4096
N_TASKS = 300


def _fill(store: UserStore, start: int, n: int, note: str) -> dict[str, str]:
    notes = {}
    for i in range(start, start + n):
        t = store.add_task(f"c{i}", note=f"{note} {i} " + "注" * 300, text="条款" * 100, status="进行中")
        notes[t.id] = t.note
    return notes


def _tasks_pages(db: Path) -> list[int]:
    """Page numbers (1-based) of the tasks table's leaves, in rowid order."""
    with closing(sqlite3.connect(db)) as conn:
        try:
            rows = conn.execute("SELECT pageno FROM dbstat WHERE name = 'tasks' AND pagetype = 'leaf' "
                                "ORDER BY path").fetchall()
        except sqlite3.Error:  # no dbstat: the middle third of the file is mostly task pages
            n = db.stat().st_size // PAGE
            return list(range(n // 3, 2 * n // 3))
    return [r[0] for r in rows]


def _smash(db: Path, pages: list[int]) -> None:
    rnd = random.Random(13)
    with open(db, "r+b") as f:
        for p in pages:
            f.seek((p - 1) * PAGE)
            f.write(rnd.randbytes(PAGE))


def _checkpointed(data: Path) -> Path:
    db = data / "user.db"
    with closing(sqlite3.connect(db)) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return db


def test_salvage_keeps_every_readable_row(tmp_path: Path) -> None:
    data = tmp_path / "data"
    store = UserStore(data / "user.db")
    notes = _fill(store, 0, N_TASKS, "笔记")
    store.set("user.department", "市发展改革委")
    ind = store.track_indicator("c1", "单位GDP能耗下降", target=13.5, unit="%")
    store.set_indicator_value(ind.key, 2023, 8.1)
    store.close()
    db = _checkpointed(data)
    pages = _tasks_pages(db)
    assert len(pages) > 20
    bad = pages[len(pages) // 2: len(pages) // 2 + 3]  # three leaves in the middle of the table
    _smash(db, bad)

    report = salvage_to_file(db, tmp_path / "out.db")
    assert integrity_ok(tmp_path / "out.db")
    with closing(sqlite3.connect(tmp_path / "out.db")) as conn:
        got = dict(conn.execute("SELECT id, note FROM tasks").fetchall())
        dept = conn.execute("SELECT value FROM settings WHERE key = 'user.department'").fetchone()
    print(f"salvage: {len(got)}/{N_TASKS} tasks from a file with {len(bad)} of {len(pages)} task pages smashed; "
          f"unreadable stretches {report.unreadable}, rejected {report.rejected}")
    assert report.saved["tasks"] == len(got)
    assert N_TASKS - 3 * 5 <= len(got) < N_TASKS  # only the rows on the smashed pages are lost
    assert all(notes[tid] == note for tid, note in got.items())  # nothing garbled came back
    assert report.unreadable.get("tasks", 0) >= 1
    assert dept is not None and "市发展改革委" in dept[0]
    assert report.saved["indicators"] == 1 and report.saved["indicator_values"] == 1
    assert "抢救出" in report.summary() and "任务与笔记" in report.summary()


def test_open_without_backup_salvages_into_new_file(tmp_path: Path) -> None:
    data = tmp_path / "data"
    store = UserStore(data / "user.db")  # not `open`: no backups, no JSONL
    notes = _fill(store, 0, N_TASKS, "笔记")
    store.close()
    db = _checkpointed(data)
    pages = _tasks_pages(db)
    _smash(db, pages[len(pages) // 2: len(pages) // 2 + 2])

    store, report = UserStore.open(data)
    try:
        assert report.recovered and report.restored_from is None
        assert report.salvaged is not None and report.salvaged.tasks > N_TASKS * 0.9
        assert report.damaged_dir is not None and (report.damaged_dir / "user.db").exists()
        tasks = store.list_tasks()
        assert len(tasks) == report.salvaged.tasks
        assert all(notes[t.id] == t.note for t in tasks)
        assert "没有可用的备份" in report.message and f"抢救出 {report.salvaged.total} 条记录" in report.message
        assert str(report.damaged_dir) in report.message
        store.add_task("new", note="恢复后可以继续保存")  # the new file is healthy and writable
    finally:
        store.close()
    assert integrity_ok(data / "user.db")
    store, report = UserStore.open(data)  # and the next start is clean
    try:
        assert not report.recovered and not report.unclean_exit
        assert any(t.note == "恢复后可以继续保存" for t in store.list_tasks())
    finally:
        store.close()


def test_with_backup_newer_tasks_are_merged_from_the_damaged_file(tmp_path: Path) -> None:
    data = tmp_path / "data"
    store, _ = UserStore.open(data)
    old = _fill(store, 0, N_TASKS, "备份前")
    store.close()  # the backup holds these
    store = UserStore(data / "user.db")  # a session whose changes no backup has
    new = _fill(store, N_TASKS, 5, "备份后")
    store.close()
    db = _checkpointed(data)
    pages = _tasks_pages(db)
    _smash(db, pages[len(pages) // 3: len(pages) // 3 + 2])  # old tasks' pages; the new ones are at the end

    store, report = UserStore.open(data)
    try:
        assert report.recovered and report.restored_from is not None
        assert report.salvaged is not None and report.salvaged.total > 0
        assert report.damaged_dir is not None and (report.damaged_dir / SALVAGED_NAME).exists()
        got = {t.id: t.note for t in store.list_tasks()}
        assert set(old) <= set(got)  # the backup's tasks, all of them
        assert set(new) <= set(got)  # plus what only the damaged file had
        assert all(got[k] == v for k, v in {**old, **new}.items())
        assert report.message.startswith("数据文件已损坏，已从 ")
        assert "抢救出" in report.message and "已合并" in report.message
    finally:
        store.close()


def test_unreadable_file_salvages_nothing_and_says_so(tmp_path: Path) -> None:
    bad = tmp_path / "user.db"
    bad.write_bytes(b"\0" * (PAGE * 8))
    report = salvage_to_file(bad, tmp_path / "out.db")
    assert report.total == 0
    assert "tasks" in report.lost_tables or report.saved.get("tasks", 0) == 0


# -- 检查数据 (the engine of the button and the weekly check) ------------------------------------------------------
def test_data_check_finds_a_damaged_user_db_and_library_db(tmp_path: Path) -> None:
    import datetime as dt

    from app.core.userdata.integrity import LAST_CHECK_KEY, check_data, check_due, run_weekly_check

    data = tmp_path / "data"
    store = UserStore(data / "user.db")
    _fill(store, 0, N_TASKS, "笔记")
    lib_db = tmp_path / "library.db"
    with closing(sqlite3.connect(lib_db)) as conn:
        conn.execute("CREATE TABLE clauses (id TEXT PRIMARY KEY, text TEXT)")
        conn.executemany("INSERT INTO clauses VALUES (?, ?)", [(f"c{i}", "条款" * 200) for i in range(500)])
        conn.commit()
    report = check_data(data / "user.db", lib_db, tmp_path / "no-index")
    assert report.ok, report.message
    assert "未发现问题" in report.message and "搜索索引：尚未建立" in report.message

    now = dt.datetime(2025, 3, 1, 9, 0)
    assert check_due(store, now)
    first = run_weekly_check(store, data / "user.db", lib_db, tmp_path / "no-index", now=now)
    assert first is not None and store.get(LAST_CHECK_KEY)
    assert run_weekly_check(store, data / "user.db", lib_db, tmp_path / "no-index",
                            now=first.checked_at + dt.timedelta(days=3)) is None  # not due for a week
    assert check_due(store, first.checked_at + dt.timedelta(days=7, minutes=1))
    store.close()

    db = _checkpointed(data)
    pages = _tasks_pages(db)
    _smash(db, pages[len(pages) // 2: len(pages) // 2 + 1])
    with open(lib_db, "r+b") as f:
        f.seek(PAGE * 5)
        f.write(random.Random(5).randbytes(PAGE))
    report = check_data(db, lib_db, tmp_path / "no-index")
    assert not report.ok
    assert [i.label for i in report.problems] == ["用户数据（任务、笔记、设置）", "文库数据库（条款）"]
    assert "发现问题" in report.message and "从最近的备份恢复" in report.message and "重建索引" in report.message


def test_data_check_of_a_broken_index(tmp_path: Path) -> None:
    import json

    from app.core.userdata.integrity import check_index

    index = tmp_path / "search"
    gen = index / "gen-1"
    gen.mkdir(parents=True)
    (gen / "_clauses_1.toc").write_bytes(b"garbage")
    (index / "CURRENT").write_text(json.dumps({"generation": "gen-1", "schema": -1}), encoding="utf-8")
    ok, detail = check_index(index)
    assert not ok and detail


# -- the data folder (D10/D11) --------------------------------------------------------------------------------
MOUNTS = """\
sysfs /sys sysfs rw 0 0
/dev/sda1 / ext4 rw,relatime 0 0
//server/share /mnt/share cifs rw 0 0
server:/export /home/u/nfs nfs4 rw 0 0
u@h:/x /home/u/ssh fuse.sshfs rw 0 0
/dev/sdb1 /media/u/U\\040盘 vfat rw 0 0
/dev/sdc1 /data vfat rw 0 0
"""


@pytest.mark.parametrize(("path", "where"), [
    ("/home/u/文档", ("local", "ext4")), ("/mnt/share/政策", ("network", "cifs")),
    ("/home/u/nfs/a", ("network", "nfs4")), ("/home/u/ssh", ("network", "fuse.sshfs")),
    ("/media/u/U 盘/PolicyDesk", ("removable", "vfat")), ("/data/x", ("local", "vfat")),
    ("/home/u/nfsx", ("local", "ext4")),
])
def test_location_from_proc_mounts(path: str, where: tuple[str, str]) -> None:
    from app.core.userdata.datadir import location_of

    assert location_of(Path(path), MOUNTS) == where


def test_classify_writable_read_only_missing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    from app.core.userdata import datadir as dd

    ok = dd.classify(tmp_path / "new" / "data")
    assert ok.state == dd.WRITABLE and ok.message == "" and (tmp_path / "new" / "data").is_dir()
    ro = tmp_path / "ro"
    ro.mkdir()
    ro.chmod(0o555)
    try:
        if os.geteuid() == 0:  # root ignores the mode bits: fail the probe as a user would see it
            monkeypatch.setattr(dd, "_probe_write", lambda p: "PermissionError: denied")
        st = dd.classify(ro)
        assert st.state == dd.READ_ONLY and "不可写" in st.message
        if os.geteuid() == 0:
            monkeypatch.undo()
            monkeypatch.setattr(dd.Path, "mkdir", _deny_mkdir)
        missing = dd.classify(ro / "sub" / "data")
        assert missing.state == dd.MISSING and "不存在" in missing.message
    finally:
        monkeypatch.undo()
        ro.chmod(0o755)
    net = dd.classify(tmp_path / "n", mounts_text=f"srv:/x {tmp_path} nfs rw 0 0\n")
    assert net.state == dd.WRITABLE and net.location == "network" and "网络共享" in net.message


def _deny_mkdir(self: Path, *args: object, **kwargs: object) -> None:
    raise PermissionError(13, "Permission denied", str(self))
