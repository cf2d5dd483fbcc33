"""The user DB service: settings compatibility, tasks, indicators and progress, drafts, odd text (D13),
a locked DB (D8), a full disk (D9), migrations (D3), threads, export/import, backups and their thinning.
Real SQLite files throughout."""

from __future__ import annotations

import datetime as dt
import errno
import json
import os
import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import pytest
import sqlite_utils
from hypothesis import given, settings
from hypothesis import strategies as st

from app.core.errors import NotFoundError, PolicyDeskError, StorageError
from app.core.store import connect as library_connect
from app.core.store import migrate as library_migrate
from app.core.userdata import (
    DatabaseBusyError,
    DiskFullError,
    UserStore,
    clean_text,
    compute_progress,
    indicator_key,
    schema,
    text_fingerprint,
    thin,
)
from app.core.userdata import backup as backup_mod
from app.core.userdata.backup import integrity_ok, parse_name, rotate

PRE = f"pre-v{len(schema.USER_MIGRATIONS)}"  # the tag of the backup made before migrating to this version


@pytest.fixture
def store(tmp_path: Path) -> Iterator[UserStore]:
    s = UserStore(tmp_path / "user.db")
    yield s
    s.close()


# -- write discipline -------------------------------------------------------------------------------------
def test_connection_settings(store: UserStore) -> None:
    def pragmas(c: sqlite3.Connection) -> tuple[object, ...]:
        return tuple(c.execute(f"PRAGMA {p}").fetchone()[0]
                     for p in ("journal_mode", "synchronous", "foreign_keys", "busy_timeout"))

    assert store._call(pragmas) == ("wal", 2, 1, 5000)  # synchronous 2 = FULL
    assert store._reader.run(pragmas) == ("wal", 2, 1, 5000)
    assert store._call(lambda c: threading.current_thread().name) == "policydesk-userdb"


def test_settings_and_overrides_keep_their_api(store: UserStore) -> None:
    assert store.get("missing", 7) == 7
    store.set("library.extra_sources", ["/a", "/b"])
    store.set("user.department", "市发展改革委")
    assert store.get("library.extra_sources") == ["/a", "/b"]
    store.set_override("c1", lead=["市交通委"], support=None, deadline="2027")
    assert store.overrides("link_overrides") == {"c1": {"lead": ["市交通委"], "support": None, "deadline": "2027"}}
    store.set_override("c1", lead=None, support=None, deadline=None)
    assert store.overrides("link_overrides") == {}
    store.replace_task_table([{"clause_id": "c2", "lead": ["甲"], "support": ["乙"], "deadline": "2026",
                               "row": {"a": 1}}], "分工表.xlsx")
    assert store.overrides("task_table")["c2"]["support"] == ["乙"]


def _old_release_db(path: Path) -> None:
    """The user DB exactly as the previous release created it (sqlite-utils, schema v2)."""

    def v1(db: sqlite_utils.Database) -> None:
        db.table("settings").create({"key": str, "value": str}, pk="key")

    def v2(db: sqlite_utils.Database) -> None:
        db.table("link_overrides").create(
            {"clause_id": str, "lead": str, "support": str, "deadline": str, "updated_at": str}, pk="clause_id")
        db.table("task_table").create(
            {"clause_id": str, "lead": str, "support": str, "deadline": str, "row": str, "source": str,
             "imported_at": str}, pk="clause_id")

    conn = library_connect(path)
    db = sqlite_utils.Database(conn)
    library_migrate(db, (v1, v2))
    with conn:
        conn.execute("INSERT INTO settings(key, value) VALUES ('library.extra_sources', '[\"/x\"]')")
    conn.close()


def test_old_release_file_migrates_with_a_pre_migration_backup(tmp_path: Path) -> None:
    db = tmp_path / "user.db"
    _old_release_db(db)
    with UserStore(db) as store:
        assert store.get("library.extra_sources") == ["/x"]
        store.add_task("c1")
    pre = list((tmp_path / "backups").glob(f"user-{PRE}-*.sqlite3"))
    assert len(pre) == 1 and integrity_ok(pre[0])
    assert parse_name(pre[0].name, "user") is not None
    with closing(sqlite3.connect(pre[0])) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == 2
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"  # one self-contained file
    # a brand-new file needs no pre-migration backup
    UserStore(tmp_path / "new" / "user.db").close()
    assert not (tmp_path / "new" / "backups").exists()


def test_failing_migration_leaves_old_schema(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db = tmp_path / "user.db"
    _old_release_db(db)

    def broken(conn: sqlite3.Connection) -> None:
        conn.execute("CREATE TABLE half_done (x)")
        raise RuntimeError("boom")

    monkeypatch.setattr(schema, "USER_MIGRATIONS", (*schema.USER_MIGRATIONS[:2], broken))
    with pytest.raises(RuntimeError):
        UserStore(db)
    with closing(sqlite3.connect(db)) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == 2
        assert "half_done" not in {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
    assert list((tmp_path / "backups").glob("user-pre-v3-*.sqlite3"))  # three steps in this test
    monkeypatch.undo()
    with UserStore(db) as store:
        assert store.get("library.extra_sources") == ["/x"]


def test_newer_schema_is_refused(tmp_path: Path) -> None:
    db = tmp_path / "user.db"
    UserStore(db).close()
    with closing(sqlite3.connect(db)) as conn:
        conn.execute("PRAGMA user_version = 99")
    with pytest.raises(StorageError, match="更新版本"):
        UserStore(db)


def test_locked_db_raises_typed_error_and_retry_works(tmp_path: Path) -> None:
    """D8: another program holds a write transaction: the save waits busy_timeout, then a clear message;
    nothing is half-written, reads keep working, and the same save succeeds once the lock is gone."""
    store = UserStore(tmp_path / "user.db", busy_timeout_ms=400)
    try:
        task = store.add_task("c1", note="原文")
        with closing(sqlite3.connect(tmp_path / "user.db", isolation_level=None)) as other:
            other.execute("BEGIN EXCLUSIVE")
            started = time.monotonic()
            with pytest.raises(DatabaseBusyError) as err:
                store.update_task(task.id, note="新内容", status="进行中")
            assert time.monotonic() - started >= 0.35
            assert err.value.message == "数据库被其他程序占用，请关闭占用程序后重试"
            assert isinstance(err.value, StorageError)
            assert store.get_task(task.id).note == "原文"  # readers are not blocked (WAL)
            other.execute("ROLLBACK")
        assert store.update_task(task.id, note="新内容", status="进行中").note == "新内容"
    finally:
        store.close()


def test_disk_full_rolls_back_and_keeps_data(store: UserStore) -> None:
    """D9: SQLITE_FULL (a page limit stands in for a full disk): typed error, old content intact, retry works."""
    task = store.add_task("c1", note="旧笔记", tags=["a"])
    pages = store._call(lambda c: c.execute("PRAGMA page_count").fetchone()[0])
    store._call(lambda c: c.execute(f"PRAGMA max_page_count = {pages}"))
    with pytest.raises(DiskFullError) as err:
        store.update_task(task.id, note="大" * 1_000_000, tags=["b"])
    assert err.value.message.startswith("磁盘空间不足")
    assert store.get_task(task.id).note == "旧笔记" and store.get_task(task.id).tags == ("a",)
    store._call(lambda c: c.execute("PRAGMA max_page_count = 1073741823"))
    assert store.update_task(task.id, note="大" * 1_000_000).note == "大" * 1_000_000


def test_disk_full_during_export_and_backup(store: UserStore, tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    store.add_task("c1", note="x")
    target = tmp_path / "share.json"
    target.write_text("旧文件", encoding="utf-8")
    first = store.backup_db()
    assert first is not None

    def full(*args: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "replace", full)
    with pytest.raises(DiskFullError):
        store.export_tasks(target)
    monkeypatch.undo()
    assert target.read_text(encoding="utf-8") == "旧文件"
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")) == []

    store.add_task("c2")
    monkeypatch.setattr(backup_mod, "fsync_file", full)
    with pytest.raises(DiskFullError):
        store.backup_db()
    monkeypatch.undo()
    assert [b.path for b in store.list_backups()] == [first]
    assert not list(store.backup_dir.glob("*.partial*"))
    assert store.changed_since_backup()
    assert store.backup_db() is not None


def test_writes_from_many_threads(store: UserStore) -> None:
    errors: list[BaseException] = []

    def work(n: int) -> None:
        try:
            for i in range(25):
                t = store.add_task(f"t{n}-{i}", note=str(i))
                store.update_task(t.id, status="doing", tags=[f"线程{n}"])
                store.list_tasks(tag=f"线程{n}")
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert len(store.list_tasks(status="进行中")) == 200
    assert store.tags() == sorted(f"线程{n}" for n in range(8))


def test_closed_store_refuses_politely(tmp_path: Path) -> None:
    s = UserStore(tmp_path / "user.db")
    s.close()
    s.close()
    with pytest.raises(StorageError, match="已关闭"):
        s.add_task("c1")
    with pytest.raises(StorageError, match="已关闭"):
        s.list_tasks()


# -- tasks ------------------------------------------------------------------------------------------------
def test_task_lifecycle(store: UserStore) -> None:
    t = store.add_task("c1", doc_id="plan", path=["第一章", "第二条"], heading="交通", text="到2030年，海铁联运量达到200万标准箱",
                       note="跟进", tags=["交通", "交通", " "], priority="高", due="2026-06-30", owner="市交通委",
                       collection="重点")
    assert (t.status, t.status_label, t.priority, t.priority_label) == ("todo", "未开始", 1, "高")
    assert t.tags == ("交通",) and t.path == ("第一章", "第二条") and t.anchor_state == "ok"
    assert t.fingerprint == text_fingerprint("到2030年，海铁联运量达到 200万标准箱".replace(" ", ""))
    assert store.add_task("c1", note="第二次收藏") == t  # idempotent: the existing task, unchanged
    ind = store.add_task("c1", indicator_key=indicator_key("c1", "海铁联运量"))
    assert ind.id != t.id and ind.indicator_key == "c1#海铁联运量"
    u = store.update_task(t.id, status="已完成", tags=["交通", "年度"], due=None, owner="", note="完成")
    assert (u.status, u.tags, u.due, u.owner, u.note) == ("done", ("交通", "年度"), None, None, "完成")
    assert u.updated_at > t.updated_at and u.created_at == t.created_at
    with pytest.raises(PolicyDeskError, match="未知的任务状态"):
        store.update_task(t.id, status="搞定")
    with pytest.raises(PolicyDeskError, match="无法识别的日期"):
        store.update_task(t.id, due="明年")
    with pytest.raises(TypeError):
        store.update_task(t.id, clause_id="x")
    store.delete_task(t.id)
    with pytest.raises(NotFoundError):
        store.get_task(t.id)
    assert store.get_task(t.id, include_deleted=True).deleted
    assert [x.id for x in store.list_tasks(deleted=True)] == [t.id]
    assert store.find_task("c1") is None
    again = store.add_task("c1", note="重新收藏")  # a fresh task; the deleted one stays in the trash
    assert again.id != t.id
    with pytest.raises(PolicyDeskError, match="已有任务"):
        store.undelete_task(t.id)
    store.delete_task(again.id)
    assert store.undelete_task(t.id).note == "完成"
    assert store.purge_deleted(older_than_days=0) == 1
    assert store.list_tasks(deleted=True) == []


def test_list_filters_collections_tags(store: UserStore) -> None:
    a = store.add_task("a", tags=["交通", "年度"], collection="重点", owner="市交通委", due="2026-03-31")
    b = store.add_task("b", tags=["环保"], status="进行中", due="2026-12-31")
    c = store.add_task("c", collection="重点", indicator_key="c#PM2.5浓度", note="PM2.5 要盯")
    ids = lambda ts: [t.id for t in ts]  # noqa: E731
    assert ids(store.list_tasks()) == [a.id, b.id, c.id]
    assert ids(store.list_tasks(status="doing")) == [b.id]
    assert ids(store.list_tasks(status=["未开始", "进行中"])) == [a.id, b.id, c.id]
    assert ids(store.list_tasks(tag="交通")) == [a.id]
    assert ids(store.list_tasks(collection="重点")) == [a.id, c.id]
    assert ids(store.list_tasks(collection="")) == [b.id]
    assert ids(store.list_tasks(owner="市交通委")) == [a.id]
    assert ids(store.list_tasks(due_before="2026-06-30")) == [a.id]
    assert ids(store.list_tasks(due_before=dt.date(2026, 12, 31))) == [a.id, b.id]
    assert ids(store.list_tasks(indicators=True)) == [c.id]
    assert ids(store.list_tasks(text="PM2.5")) == [c.id]
    assert store.collections() == ["重点"]
    assert store.tags() == ["交通", "年度", "环保"]
    assert store.rename_collection("重点", "督办") == 2
    assert store.collections() == ["督办"]


def test_reanchor_moves_task_and_indicator(store: UserStore) -> None:
    key = indicator_key("old", "海铁联运量")
    t = store.add_task("old", indicator_key=key, text="旧条款")
    store.track_indicator("old", "海铁联运量", target=200, unit="万标准箱", deadline=2030)
    store.set_indicator_value(key, 2025, 150, "统计公报")
    r = store.reanchor_task(t.id, clause_id="new", state="changed", text="新条款", heading="新标题", path=["一"])
    new_key = indicator_key("new", "海铁联运量")
    assert (r.clause_id, r.indicator_key, r.anchor_state, r.text) == ("new", new_key, "changed", "新条款")
    assert r.fingerprint == text_fingerprint("新条款") and r.updated_at == t.updated_at
    assert [v.value for v in store.indicator_values(new_key)] == [150.0]
    assert store.indicator_values(key) == []
    m = store.reanchor_task(t.id, clause_id="new", state="missing")
    assert m.anchor_state == "missing" and m.text == "新条款"
    mv = store.reanchor_task(t.id, clause_id="new", state="moved", doc_id="plan-2", doc_title="正式稿",
                             fingerprint="f" * 40)
    assert (mv.anchor_state, mv.doc_id, mv.doc_title, mv.fingerprint) == ("moved", "plan-2", "正式稿", "f" * 40)
    given = store.add_task("fp", text="正文", fingerprint="0" * 40, doc_title="标题")
    assert given.fingerprint == "0" * 40 and given.to_json()["anchor"]["doc_title"] == "标题"
    store.add_task("new")  # a plain bookmark of the same clause: another anchor, no conflict
    other = store.add_task("x")
    with pytest.raises(PolicyDeskError, match="已有任务"):
        store.reanchor_task(other.id, clause_id="new", state="ok", fingerprint="f")
    with pytest.raises(PolicyDeskError):
        store.reanchor_task(other.id, clause_id="y", state="gone")


def test_drafts(store: UserStore) -> None:
    assert store.get_draft("task:1") is None
    assert store.save_draft("task:1", "写到一半") == ""
    assert store.save_draft("task:1", "写到一半，继续") == ""
    assert store.save_draft("note:2", "a\x00b") == "已去除 1 个空字符（NUL）"
    d = store.get_draft("task:1")
    assert d is not None and d.text == "写到一半，继续"
    assert {x.key for x in store.list_drafts()} == {"task:1", "note:2"}
    store.clear_draft("task:1")
    assert store.get_draft("task:1") is None


# -- odd text (D13) ---------------------------------------------------------------------------------------
ODD = [
    "😀👨‍👩‍👧‍👦🇨🇳", "𠀀𠀁𪚥", "\ufeffBOM 开头", "e\u0301 组合字符", "\u200b零宽\u200d", "\ufffe\uffff", "\r\n\t混合换行\r",
    "ﷺ RTL עברית", "\U0010ffff", "'); DROP TABLE tasks; --", "\\u0000 不是 NUL", "",
]


@pytest.mark.parametrize("text", ODD)
def test_odd_text_round_trips_byte_identical(store: UserStore, text: str) -> None:
    t = store.add_task("c", note=text, tags=[text or "空"], collection=text)
    got = store.get_task(t.id)
    assert got.note.encode("utf-8") == text.encode("utf-8") and t.notice == ""
    assert got.collection == text.strip()
    store.delete_task(t.id)


def test_ten_megabyte_note(store: UserStore) -> None:
    text = ("十兆字节的笔记𠀀😀\n" * 1_100_000)[:10_000_000]
    t = store.add_task("c", note="x")
    store.update_task(t.id, note=text)
    assert store.get_task(t.id).note == text


def test_nul_and_lone_surrogates_are_cleaned_and_reported(store: UserStore) -> None:
    t = store.add_task("c", note="前\x00后\ud800尾\udfff", tags=["标\x00签"])
    assert t.note == "前后\ufffd尾\ufffd" and t.tags == ("标签",)
    assert "2 个无法保存的字符" in t.notice and "已去除 2 个空字符" in t.notice
    # a well-formed surrogate pair (as some clipboards deliver it) becomes its character
    assert store.update_task(t.id, note="\ud83d\ude00").note == "😀"
    assert clean_text("普通文本") == ("普通文本", "")


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8", exclude_characters="\x00")))
def test_any_text_is_left_alone(text: str) -> None:
    cleaned, notice = clean_text(text)
    assert (cleaned, notice) == (text, "")


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=())))
def test_any_python_string_is_storable(text: str) -> None:
    cleaned, notice = clean_text(text)
    cleaned.encode("utf-8")  # never UnicodeEncodeError
    assert "\x00" not in cleaned
    assert (notice == "") == (cleaned == text)


def test_hypothesis_text_through_the_db(store: UserStore) -> None:
    @settings(max_examples=40, deadline=None)
    @given(st.text(alphabet=st.characters(codec="utf-8", exclude_characters="\x00"), max_size=300))
    def check(text: str) -> None:
        t = store.add_task("h", note=text)
        assert store.get_task(t.id).note == text
        store.delete_task(t.id)

    check()


# -- indicators and progress ------------------------------------------------------------------------------
def test_progress_increasing_target_on_track_and_behind() -> None:
    kw = dict(target=200.0, comparator=">=", deadline=2030, baseline=100.0, baseline_year=2020)
    p = compute_progress(**kw, values={2025: 150.0})  # type: ignore[arg-type]
    assert (p.status, p.label, p.percent, p.expected) == ("on_track", "进度正常", 50.0, 150.0)
    p = compute_progress(**kw, values={2024: 120.0, 2025: 140.0})  # type: ignore[arg-type]
    assert (p.status, p.percent, p.latest_year) == ("behind", 40.0, 2025)
    p = compute_progress(**kw, values={2027: 210.0})  # type: ignore[arg-type]
    assert (p.status, p.percent) == ("achieved", 100.0)
    p = compute_progress(**kw, values={2030: 190.0})  # type: ignore[arg-type]
    assert p.status == "missed" and p.label == "逾期未达标"
    p = compute_progress(**kw, values={2025: 150.0}, as_of=2031)  # type: ignore[arg-type]
    assert p.status == "missed"
    p = compute_progress(**kw, values={2025: 150.0, 2028: 199.0}, as_of=2026)  # type: ignore[arg-type]
    assert p.latest_year == 2025 and p.status == "on_track"


def test_progress_decreasing_target() -> None:
    """PM2.5 控制在 30 以下 from 40 in 2020 (deadline 2030): lower is better."""
    kw = dict(target=30.0, comparator="<=", deadline=2030, baseline=40.0, baseline_year=2020)
    p = compute_progress(**kw, values={2025: 34.0})  # type: ignore[arg-type]
    assert (p.status, p.percent, p.expected, p.direction) == ("on_track", 60.0, 35.0, "down")
    p = compute_progress(**kw, values={2025: 38.0})  # type: ignore[arg-type]
    assert (p.status, p.percent) == ("behind", 20.0)
    p = compute_progress(**kw, values={2025: 45.0})  # type: ignore[arg-type]
    assert (p.status, p.percent) == ("behind", 0.0)
    assert compute_progress(**kw, values={2026: 29.5}).status == "achieved"  # type: ignore[arg-type]
    # strict comparator: reaching the bound is not enough
    assert compute_progress(target=30.0, comparator="<", deadline=2030, baseline=40.0, baseline_year=2020,
                            values={2026: 30.0}).status != "achieved"


def test_progress_hold_and_approx_targets() -> None:
    # 保持在 100%（全覆盖）from 80 %: direction from the baseline
    p = compute_progress(target=100.0, comparator="=", deadline=2025, baseline=80.0, baseline_year=2021,
                         values={2023: 90.0})
    assert (p.direction, p.status, p.percent) == ("up", "on_track", 50.0)
    # 200万标准箱左右: within 5 % counts
    assert compute_progress(target=200.0, comparator="~", deadline=2030, baseline=None, baseline_year=None,
                            values={2029: 192.0}).status == "achieved"
    p = compute_progress(target=50.0, comparator="=", deadline=None, baseline=50.0, baseline_year=2020,
                         values={2024: 45.0})
    assert p.direction == "hold" and p.status == "unknown" and p.percent == 90.0


def test_progress_without_baseline_or_data() -> None:
    p = compute_progress(target=200.0, comparator=">=", deadline=2030, baseline=None, baseline_year=None,
                         values={2025: 150.0})
    assert (p.status, p.percent, p.expected) == ("unknown", 75.0, None)
    p = compute_progress(target=30.0, comparator="<=", deadline=2030, baseline=None, baseline_year=None,
                         values={2025: 40.0})
    assert (p.status, p.percent) == ("unknown", 75.0)
    assert compute_progress(target=1.0, comparator=">=", deadline=2030, baseline=None, baseline_year=None,
                            values={}).status == "no_data"
    assert compute_progress(target=None, comparator=">=", deadline=None, baseline=None, baseline_year=None,
                            values={2024: 3.0}).status == "unknown"
    # baseline already past the target on a ≥ indicator, not yet at it now: no division by a negative span
    p = compute_progress(target=10.0, comparator=">=", deadline=2030, baseline=12.0, baseline_year=2020,
                         values={2024: 8.0})
    assert p.percent == 80.0


def test_tracked_indicator_service(store: UserStore) -> None:
    ind = store.track_indicator("c1", "海铁联运量", target=200, unit="万标准箱", deadline=2030, baseline=100,
                                baseline_year=2020)
    assert ind.key == "c1#海铁联运量"
    store.set_indicator_value(ind.key, 2025, 150, "2025年统计公报")
    store.set_indicator_value(ind.key, 2025, 160, "更正")
    assert [(v.year, v.value, v.source) for v in store.indicator_values(ind.key)] == [(2025, 160.0, "更正")]
    assert store.indicator_progress(ind.key).percent == 60.0
    again = store.track_indicator("c1", "海铁联运量", target=220, unit="万标准箱", deadline=2030)
    assert again.target == 220 and again.created_at == ind.created_at and again.baseline is None
    with pytest.raises(PolicyDeskError):
        store.set_indicator_value(ind.key, 2026, float("nan"))
    with pytest.raises(NotFoundError):
        store.set_indicator_value("nope", 2026, 1)
    store.delete_indicator_value(ind.key, 2025)
    assert store.indicator_progress(ind.key).status == "no_data"
    store.untrack_indicator(ind.key)
    assert store.tracked_indicators() == []


# -- sharing ----------------------------------------------------------------------------------------------
def test_export_import_merge(tmp_path: Path) -> None:
    a = UserStore(tmp_path / "a" / "user.db")
    b = UserStore(tmp_path / "b" / "user.db")
    try:
        t1 = a.add_task("c1", note="甲的笔记", tags=["交通"], text="条款一")
        t2 = a.add_task("c2", note="甲的第二条")
        a.track_indicator("c1", "海铁联运量", target=200, deadline=2030, baseline=100, baseline_year=2020)
        a.set_indicator_value("c1#海铁联运量", 2025, 150)
        out = tmp_path / "share" / "tasks.json"
        out.parent.mkdir()
        assert a.export_tasks(out) == 2
        doc = json.loads(out.read_text(encoding="utf-8"))
        assert doc["format"] == "policydesk-tasks" and doc["schema"] == 1
        assert doc["tasks"][0]["anchor"]["text"] == "条款一"
        assert doc["indicators"][0]["progress"]["status"] == "on_track"
        assert [p.name for p in out.parent.iterdir()] == ["tasks.json"]  # no temp file left

        own = b.add_task("c2", note="乙自己收藏的")  # same clause, another id: must not duplicate
        s = b.import_tasks_json(out)
        assert (s.added, s.updated, s.skipped) == (1, 0, 1)  # b's own c2 task is newer
        assert (s.indicators_added, s.values_added) == (1, 1)
        assert "新增 1 条任务" in s.message
        s = b.import_tasks_json(out)
        assert (s.added, s.updated, s.skipped, s.indicators_added, s.values_added) == (0, 0, 2, 0, 0)
        assert len(b.list_tasks()) == 2

        a.update_task(t1.id, note="甲更新了", status="进行中")
        a.update_task(t2.id, note="甲也改了第二条")  # now newer than b's own c2 task
        a.set_indicator_value("c1#海铁联运量", 2026, 170)
        a.export_tasks(out)
        s = b.import_tasks_json(out)
        assert (s.added, s.updated, s.skipped, s.values_added) == (0, 2, 0, 1)
        by_clause = {t.clause_id: t for t in b.list_tasks()}
        assert by_clause["c1"].note == "甲更新了" and by_clause["c1"].id == t1.id
        assert by_clause["c2"].note == "甲也改了第二条" and by_clause["c2"].id == own.id  # local id kept
        assert b.indicator_progress("c1#海铁联运量").latest_value == 170

        # a task deleted locally after the export stays deleted; a newer remote edit revives it
        b.delete_task(t1.id)
        assert b.import_tasks_json(out).skipped == 2
        a.update_task(t1.id, note="甲又改了")
        a.export_tasks(out)
        assert b.import_tasks_json(out).updated == 1
        assert b.get_task(t1.id).note == "甲又改了"
    finally:
        a.close()
        b.close()


def test_import_rejects_foreign_files(store: UserStore, tmp_path: Path) -> None:
    for content in (b"not json", b'{"format": "other", "tasks": []}', b"\xff\xfe\x00",
                    b'{"format": "policydesk-tasks", "schema": 9, "tasks": []}'):
        p = tmp_path / "x.json"
        p.write_bytes(content)
        with pytest.raises(PolicyDeskError):
            store.import_tasks_json(p)
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"format": "policydesk-tasks", "schema": 1,
                               "tasks": [{"id": "1", "clause_id": "c", "created_at": "x", "updated_at": "y"}]}))
    with pytest.raises(PolicyDeskError, match="格式不正确"):
        store.import_tasks_json(bad)
    with pytest.raises(PolicyDeskError, match="无法读取"):
        store.import_tasks_json(tmp_path / "missing.json")
    assert store.list_tasks() == []


# -- backups ----------------------------------------------------------------------------------------------
def test_backup_only_when_changed_and_restore(store: UserStore) -> None:
    t = store.add_task("c1", note="第一版")
    first = store.backup_db()
    assert first is not None and integrity_ok(first)
    assert store.backup_db() is None and not store.changed_since_backup()
    jsonl = [json.loads(line) for line in
             first.with_name(first.name.replace("user-", "tasks-notes-").replace(".sqlite3", ".jsonl"))
             .read_text(encoding="utf-8").splitlines()]
    task_lines = [x for x in jsonl if x["type"] == "task"]
    assert task_lines[0]["note"] == "第一版" and task_lines[0]["status"] == "未开始"
    assert task_lines[0]["clause_id"] == "c1" and "clause_text_snippet" in task_lines[0]
    store.update_task(t.id, note="第二版")
    store.set("k", 1)
    assert store.changed_since_backup()
    infos = store.list_backups()
    assert [i.path for i in infos] == [first] and infos[0].tasks == 1 and infos[0].size > 0
    report = store.restore_backup(first)
    assert store.get_task(t.id).note == "第一版" and store.get("k") is None
    assert "已从" in report.message and report.safety_backup.name.startswith("user-pre-restore-")
    assert not store.changed_since_backup()
    # the safety backup holds the state before the restore
    store.restore_backup(report.safety_backup)
    assert store.get_task(t.id).note == "第二版" and store.get("k") == 1
    with pytest.raises(NotFoundError):
        store.restore_backup(store.backup_dir / "nope.sqlite3")
    broken = store.backup_dir / "user-20200101-000000.sqlite3"
    broken.write_bytes(b"\0" * 8192)
    with pytest.raises(StorageError, match="已损坏"):
        store.restore_backup(broken)


def test_restore_of_pre_migration_backup_migrates(tmp_path: Path) -> None:
    db = tmp_path / "user.db"
    _old_release_db(db)
    with UserStore(db) as store:
        store.add_task("c1")
        pre = next(b for b in store.list_backups() if b.tag == PRE)
        assert pre.kind == "升级前备份" and pre.tasks == 0
        store.restore_backup(pre.path)
        assert store.list_tasks() == [] and store.get("library.extra_sources") == ["/x"]
        store.add_task("c2")


D = dt.datetime


def test_thinning_keeps_recent_then_daily_weekly_monthly() -> None:
    today = dt.date(2026, 11, 27)
    # three backups a day for 400 days
    stamps = [D(2026, 11, 27, 20) - dt.timedelta(days=d, hours=h) for d in range(400) for h in (0, 4, 8)]
    keep = thin(stamps, today)
    assert {s for s in stamps if s.date() >= dt.date(2026, 11, 26)} <= keep  # today and yesterday: all
    older = sorted((s for s in keep if s.date() < dt.date(2026, 11, 26)), reverse=True)
    days = [s.date() for s in older]
    assert len(days) == len(set(days))  # one per day at most
    daily = days[:12]
    assert daily == [dt.date(2026, 11, 25) - dt.timedelta(days=i) for i in range(12)]
    assert all(s.hour == 20 for s in older[:12])  # the newest of each day
    weeks = [d.isocalendar()[:2] for d in days[12:22]]
    assert len(set(weeks)) == 10
    months = [(d.year, d.month) for d in days[22:]]
    assert len(months) == 9 and len(set(months)) == 9
    assert len(keep) == 6 + 12 + 10 + 9


def test_thinning_edge_cases() -> None:
    today = dt.date(2026, 11, 27)
    assert thin([], today) == set()
    few = [D(2026, 1, 1), D(2025, 6, 1)]
    assert thin(few, today) == set(few)
    same_day = [D(2026, 11, 20, h) for h in range(5)]
    assert thin(same_day, today) == {D(2026, 11, 20, 4)}
    assert thin([D(2026, 11, 27, 1), D(2026, 11, 26, 1)], today, daily=0, weekly=0, monthly=0) == {
        D(2026, 11, 27, 1), D(2026, 11, 26, 1)}


def test_rotation_on_disk_spares_tagged_and_new(store: UserStore) -> None:
    bdir = store.backup_dir
    bdir.mkdir(parents=True, exist_ok=True)
    for d in range(40):
        day = dt.datetime(2026, 11, 27) - dt.timedelta(days=d)
        for name in (f"user-{day:%Y%m%d}-120000.sqlite3", f"tasks-notes-{day:%Y%m%d}-120000.jsonl"):
            (bdir / name).write_bytes(b"x")
    (bdir / "user-pre-v3-20200101-000000.sqlite3").write_bytes(b"x")
    (bdir / "notes-unrelated.txt").write_bytes(b"x")
    deleted = rotate(bdir, "user", dt.date(2026, 11, 27))
    names = {p.name for p in bdir.iterdir()}
    assert "user-pre-v3-20200101-000000.sqlite3" in names and "notes-unrelated.txt" in names
    assert "user-20261127-120000.sqlite3" in names and "user-20261126-120000.sqlite3" in names
    kept_db = {n for n in names if n.startswith("user-2")}
    kept_jl = {n.replace("tasks-notes-", "user-").replace(".jsonl", ".sqlite3") for n in names
               if n.startswith("tasks-notes-")}
    assert kept_db == kept_jl  # the readable twins rotate with their backups
    assert len(deleted) == 2 * (40 - len(kept_db))
