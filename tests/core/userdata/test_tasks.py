"""app.core.userdata.tasks: bookmark a clause as a task, edit, trash and restore, list and filter, re-anchor.
Real SQLite files."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.core.errors import NotFoundError, PolicyDeskError
from app.core.userdata import UserStore, indicator_key, text_fingerprint
from app.core.userdata.model import parse_iso

TEXT = "健全碳排放双控制度体系，推进碳排放统计核算。"


@pytest.fixture
def store(tmp_path: Path) -> Iterator[UserStore]:
    s = UserStore(tmp_path / "user.db")
    yield s
    s.close()


def _seq(store: UserStore) -> int:
    return store._read(lambda c: int(c.execute("SELECT value FROM meta WHERE key = 'change_seq'").fetchone()[0]))


def test_add_task_keeps_the_anchor_snapshot(store: UserStore) -> None:
    t = store.add_task("plan/三/1", doc_id="plan", doc_title="规划", path=["三、低碳", "1"], heading="健全。",
                       text=TEXT, note="先调研", tags=["碳", "碳", " "], status="进行中", priority="高",
                       due=dt.date(2026, 6, 30), owner="  ", collection=" 重点 ")
    assert (t.clause_id, t.doc_id, t.doc_title, t.path, t.heading, t.text) == (
        "plan/三/1", "plan", "规划", ("三、低碳", "1"), "健全。", TEXT)
    assert t.fingerprint == text_fingerprint(TEXT) and t.anchor_state == "ok"
    assert (t.note, t.tags, t.status, t.priority, t.due, t.owner, t.collection) == (
        "先调研", ("碳",), "doing", 1, "2026-06-30", None, "重点")
    assert t.created_at == t.updated_at and t.notice == ""
    assert store.get_task(t.id) == t
    assert store.add_task("c2", text=TEXT, fingerprint="given").fingerprint == "given"


def test_bookmarking_twice_finds_the_first_task(store: UserStore) -> None:
    first = store.add_task("c1", note="原笔记")
    seq = _seq(store)
    again = store.add_task("c1", note="另一条")
    assert again == first and again.note == "原笔记"
    assert _seq(store) == seq  # nothing was written
    other = store.add_task("c1", indicator_key=indicator_key("c1", "PM2.5"))  # one of its indicators: separate
    assert other.id != first.id and store.find_task("c1", "c1#PM2.5") == other
    assert store.find_task("c1") == first and store.find_task("nope") is None


def test_add_task_refuses_bad_input(store: UserStore) -> None:
    with pytest.raises(PolicyDeskError, match="条款编号不能为空"):
        store.add_task("  ")
    with pytest.raises(PolicyDeskError, match="未知的任务状态"):
        store.add_task("c", status="finished")
    assert store.list_tasks() == []
    assert store.add_task("c", note="a\x00b").notice == "已去除 1 个空字符（NUL）"


def test_update_task(store: UserStore) -> None:
    t = store.add_task("c1")
    u = store.update_task(t.id, note="新笔记", tags="交通", status="done", priority=3, due="2025-12-31",
                          owner=" 李四 ", collection="")
    assert (u.note, u.tags, u.status, u.priority, u.due, u.owner, u.collection) == (
        "新笔记", ("交通",), "done", 3, "2025-12-31", "李四", "")
    assert parse_iso(u.updated_at) > parse_iso(t.updated_at) and u.created_at == t.created_at
    assert store.update_task(t.id, owner="", due=None).owner is None
    with pytest.raises(TypeError, match="clause_id"):
        store.update_task(t.id, clause_id="other")
    with pytest.raises(NotFoundError):
        store.update_task("no-such-id", note="x")
    with pytest.raises(PolicyDeskError, match="无法识别的日期"):
        store.update_task(t.id, due="下周")
    assert store.get_task(t.id).due is None  # the refused edit changed nothing


def test_trash_restore_and_purge(store: UserStore) -> None:
    t = store.add_task("c1", note="要删除的")
    store.delete_task(t.id)
    assert store.list_tasks() == [] and [d.id for d in store.list_tasks(deleted=True)] == [t.id]
    with pytest.raises(NotFoundError):
        store.get_task(t.id)
    assert store.get_task(t.id, include_deleted=True).deleted
    assert store.find_task("c1") is None
    back = store.undelete_task(t.id)
    assert not back.deleted and back.note == "要删除的"
    assert store.undelete_task(t.id) == back  # already live: unchanged

    store.delete_task(t.id)
    newer = store.add_task("c1", note="同一条款的新任务")
    with pytest.raises(PolicyDeskError, match="该条款已有任务"):
        store.undelete_task(t.id)
    assert store.purge_deleted() == 0  # deleted just now: kept 30 days
    assert store.purge_deleted(older_than_days=-1) == 1  # a cutoff in the future takes it
    assert store.list_tasks(deleted=True) == [] and store.list_tasks() == [newer]


def test_list_filters(store: UserStore) -> None:
    a = store.add_task("d1/c1", doc_id="d1", note="调研交通", tags=["交通"], status="todo", due="2025-06-30",
                       owner="张三", collection="A")
    b = store.add_task("d1/c2", doc_id="d1", heading="推进交通", tags=["交通", "年度"], status="doing",
                       due="2025-12-31", collection="B")
    c = store.add_task("d2/c1", doc_id="d2", indicator_key="d2/c1#x", text="节能降碳", status="done")
    assert store.list_tasks() == [a, b, c]  # oldest first
    assert store.list_tasks(status=["todo", "已完成"]) == [a, c]
    assert store.list_tasks(tag="交通") == [a, b] and store.list_tasks(tag="年度") == [b]
    assert store.list_tasks(collection="B") == [b] and store.list_tasks(owner="张三") == [a]
    assert store.list_tasks(due_before="2025-06-30") == [a]  # inclusive, tasks without a due date skipped
    assert store.list_tasks(due_before=dt.date(2026, 1, 1)) == [a, b]
    assert store.list_tasks(doc_id="d1", indicators=False) == [a, b] and store.list_tasks(indicators=True) == [c]
    assert store.list_tasks(text="交通") == [a, b] and store.list_tasks(text="降碳") == [c]
    assert store.list_tasks(clause_id="d2/c1") == [c] and store.list_tasks(anchor_state="missing") == []


def test_collections_and_tags(store: UserStore) -> None:
    a = store.add_task("c1", collection="重点", tags=["b", "a"])
    store.add_task("c2", collection="一般", tags=["c"])
    gone = store.add_task("c3", collection="旧", tags=["z"])
    store.delete_task(gone.id)
    assert store.collections() == sorted(["重点", "一般"]) and store.tags() == ["a", "b", "c"]
    assert store.rename_collection("重点", " 核心 ") == 1
    assert store.get_task(a.id).collection == "核心"
    seq = _seq(store)
    assert store.rename_collection("不存在", "x") == 0 and _seq(store) == seq
    assert store.get_task(gone.id, include_deleted=True).collection == "旧"  # the trash is left alone


def test_reanchor_task_moves_the_task_and_its_indicator(store: UserStore) -> None:
    key = indicator_key("old/五", "PM2.5浓度")
    t = store.add_task("old/五", indicator_key=key, doc_id="old", text="旧文本")
    store.track_indicator("old/五", "PM2.5浓度", target=30)
    store.set_indicator_value(key, 2024, 31.5)
    moved = store.reanchor_task(t.id, clause_id="new/六", state="moved", doc_id="new", doc_title="正式稿",
                                path=["六"], heading="", text="新文本")
    new_key = indicator_key("new/六", "PM2.5浓度")
    assert (moved.clause_id, moved.indicator_key, moved.anchor_state, moved.doc_id, moved.doc_title) == (
        "new/六", new_key, "moved", "new", "正式稿")
    assert moved.text == "新文本" and moved.fingerprint == text_fingerprint("新文本") and moved.path == ("六",)
    assert moved.updated_at == t.updated_at  # not a user edit
    assert store.get_indicator(new_key).clause_id == "new/六"
    assert [(v.year, v.value) for v in store.indicator_values(new_key)] == [(2024, 31.5)]
    gone = store.reanchor_task(t.id, clause_id="new/六", state="missing")
    assert gone.anchor_state == "missing" and gone.text == "新文本"  # the snapshot is kept
    with pytest.raises(PolicyDeskError, match="未知的定位状态"):
        store.reanchor_task(t.id, clause_id="x", state="lost")


def test_reanchor_tasks_may_swap_clauses_but_never_share_one(store: UserStore) -> None:
    a = store.add_task("d/第十条")
    b = store.add_task("d/第十一条")
    got = store.reanchor_tasks([
        {"task_id": a.id, "clause_id": "d/第十一条", "state": "moved"},
        {"task_id": b.id, "clause_id": "d/第十条", "state": "moved"}])
    assert [(x.id, x.clause_id) for x in got] == [(a.id, "d/第十一条"), (b.id, "d/第十条")]
    with pytest.raises(PolicyDeskError, match="已有任务"):
        store.reanchor_task(a.id, clause_id="d/第十条", state="moved")
    assert store.get_task(a.id).clause_id == "d/第十一条"  # the refused move changed nothing
