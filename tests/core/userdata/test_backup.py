"""app.core.userdata.backup: backup file names, retention (`thin`, `rotate`), leftovers of an interrupted backup,
reading backup files, the verified snapshot and its JSONL twin. Real SQLite files."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import pytest

from app.core.errors import StorageError
from app.core.userdata import BackupInfo, UserStore, schema, thin
from app.core.userdata.backup import (
    JSONL_STEM,
    count_tasks,
    integrity_ok,
    jsonl_lines,
    list_backups,
    new_names,
    newest_jsonl,
    open_readonly,
    parse_name,
    read_meta,
    remove_partials,
    rotate,
    snapshot,
)

WHEN = dt.datetime(2025, 3, 1, 9, 15, 30)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[UserStore]:
    s = UserStore(tmp_path / "user.db")
    yield s
    s.close()


def _empty_db(path: Path, version: int = len(schema.USER_MIGRATIONS)) -> Path:
    with closing(sqlite3.connect(path, isolation_level=None)) as conn:
        schema.migrate(conn, schema.USER_MIGRATIONS[:version])
    return path


# -- names -------------------------------------------------------------------------------------------------
def test_parse_name() -> None:
    assert parse_name("user-20250301-091530.sqlite3", "user") == (WHEN, None)
    assert parse_name("user-pre-v5-20250301-091530-2.sqlite3", "user") == (
        WHEN + dt.timedelta(microseconds=2), "pre-v5")
    assert parse_name(f"{JSONL_STEM}-20250301-091530.jsonl", JSONL_STEM, ".jsonl") == (WHEN, None)
    for bad in ("user-20251301-091530.sqlite3", "other-20250301-091530.sqlite3", "user-20250301-091530.partial",
                "user-pre-restore-x-20250301-091530.sqlite3"):
        assert parse_name(bad, "user") is None


def test_new_names_never_reuse_a_name(tmp_path: Path) -> None:
    db, jl = new_names(tmp_path, "user", WHEN, None)
    assert (db.name, jl.name) == ("user-20250301-091530.sqlite3", f"{JSONL_STEM}-20250301-091530.jsonl")
    db.write_bytes(b"")
    db1, jl1 = new_names(tmp_path, "user", WHEN, None)
    assert (db1.name, jl1.name) == ("user-20250301-091530-1.sqlite3", f"{JSONL_STEM}-20250301-091530-1.jsonl")
    db1.with_suffix(".partial").write_bytes(b"")  # an interrupted one blocks its name too
    (tmp_path / f"{JSONL_STEM}-20250301-091530-2.jsonl").write_bytes(b"")  # and so does a JSONL twin
    assert new_names(tmp_path, "user", WHEN, None)[0].name == "user-20250301-091530-3.sqlite3"
    assert new_names(tmp_path, "user", WHEN, "pre-restore")[0].name == "user-pre-restore-20250301-091530.sqlite3"


# -- retention ---------------------------------------------------------------------------------------------
def test_thin_keeps_recent_then_one_per_day_week_month() -> None:
    today = dt.date(2025, 3, 31)
    recent = [dt.datetime(2025, 3, 31, h) for h in (1, 2, 3)] + [dt.datetime(2025, 3, 30, 23)]
    older_days = [dt.datetime(2025, 3, d, h) for d in (27, 28, 29) for h in (8, 18)]
    keep = thin(recent + older_days, today, daily=2, weekly=0, monthly=0)
    assert keep == set(recent) | {dt.datetime(2025, 3, 29, 18), dt.datetime(2025, 3, 28, 18)}
    assert thin([], today) == set()
    months = [dt.datetime(2024, m, 15) for m in range(1, 13)]
    assert thin(months, today, daily=0, weekly=0, monthly=3) == {dt.datetime(2024, m, 15) for m in (10, 11, 12)}


def test_rotate_deletes_what_thin_drops_and_spares_tagged_files(tmp_path: Path) -> None:
    today = dt.date(2025, 3, 31)
    stamps = [dt.datetime(2025, 3, 29, 12) - dt.timedelta(days=n) for n in range(60)]  # one a day, 60 days back
    names = {s: s.strftime("user-%Y%m%d-%H%M%S.sqlite3") for s in stamps}
    twins = {s: s.strftime(f"{JSONL_STEM}-%Y%m%d-%H%M%S.jsonl") for s in stamps}
    spared = ["user-pre-v5-20240101-120000.sqlite3", "user-manual.sqlite3", "notes.txt"]
    for n in [*names.values(), *twins.values(), *spared]:
        (tmp_path / n).write_bytes(b"")
    keep = thin(stamps, today)
    assert set(stamps[:12]) <= keep and len(keep) < len(stamps)  # the newest 12 days, then fewer
    deleted = {p.name for p in rotate(tmp_path, "user", today)}
    assert deleted == {names[s] for s in stamps if s not in keep} | {twins[s] for s in stamps if s not in keep}
    assert {p.name for p in tmp_path.iterdir()} == (
        {names[s] for s in keep} | {twins[s] for s in keep} | set(spared))
    assert rotate(tmp_path, "user", today) == []  # a second run finds nothing more to drop


def test_remove_partials(tmp_path: Path) -> None:
    assert remove_partials(tmp_path / "missing") == []
    leftovers = ["user-x.partial", "user-x.partial-wal", "user-x.partial-journal", ".tasks.jsonl.ab12.tmp"]
    kept = ["user-20250301-091530.sqlite3", "visible.tmp"]
    for n in leftovers + kept:
        (tmp_path / n).write_bytes(b"")
    assert sorted(p.name for p in remove_partials(tmp_path)) == sorted(leftovers)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(kept)


# -- reading backup files ------------------------------------------------------------------------------------
def test_reading_a_backup_file(store: UserStore, tmp_path: Path) -> None:
    store.add_task("c1")
    gone = store.add_task("c2")
    store.delete_task(gone.id)
    store.comments.add("c1", proposal="改为“应当”")
    assert integrity_ok(store.path) and count_tasks(store.path) == 1 and count_tasks(store.path, "comments") == 1
    assert read_meta(store.path, "change_seq") == 4 and read_meta(store.path, "nope") is None
    with pytest.raises(ValueError):
        count_tasks(store.path, "settings")
    v3 = _empty_db(tmp_path / "v3.db", 3)
    assert count_tasks(v3, "comments") == 0  # a file from before comments
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"\0" * 8192)
    assert not integrity_ok(junk) and count_tasks(junk) is None and read_meta(junk, "change_seq") is None
    assert not integrity_ok(tmp_path / "missing.db")
    with closing(open_readonly(store.path)) as conn, pytest.raises(sqlite3.OperationalError, match="readonly"):
        conn.execute("DELETE FROM tasks")


def test_list_backups_newest_first_with_counts(tmp_path: Path) -> None:
    assert list_backups(tmp_path / "none", "user") == []
    _empty_db(tmp_path / "user-20250101-080000.sqlite3")
    _empty_db(tmp_path / "user-pre-v5-20250201-080000.sqlite3")
    (tmp_path / "user-20250301-080000.sqlite3").write_bytes(b"\0" * 4096)  # unreadable
    (tmp_path / "user-unparsable.sqlite3").write_bytes(b"")
    got = list_backups(tmp_path, "user")
    assert [(b.created, b.tag, b.tasks, b.comments) for b in got] == [
        (dt.datetime(2025, 3, 1, 8), None, None, None),
        (dt.datetime(2025, 2, 1, 8), "pre-v5", 0, 0),
        (dt.datetime(2025, 1, 1, 8), None, 0, 0)]
    assert got[1].size == (tmp_path / "user-pre-v5-20250201-080000.sqlite3").stat().st_size


@pytest.mark.parametrize(("tag", "kind"), [(None, "自动备份"), ("pre-restore", "恢复前备份"), ("pre-v4", "升级前备份"),
                                           ("pre-manual", "手动备份")])
def test_backup_kinds(tag: str | None, kind: str) -> None:
    assert BackupInfo(Path("x"), WHEN, 0, 0, tag).kind == kind


def test_newest_jsonl(tmp_path: Path) -> None:
    assert newest_jsonl(tmp_path) is None
    for n in ("20250101-080000", "20250301-080000", "20250301-080000-1", "20250201-080000"):
        (tmp_path / f"{JSONL_STEM}-{n}.jsonl").write_text("", encoding="utf-8")
    path, when = newest_jsonl(tmp_path)  # type: ignore[misc]
    assert path.name == f"{JSONL_STEM}-20250301-080000-1.jsonl" and when == dt.datetime(2025, 3, 1, 8)


# -- making one --------------------------------------------------------------------------------------------
def test_snapshot_is_verified_self_contained_and_has_a_jsonl_twin(store: UserStore, tmp_path: Path) -> None:
    t = store.add_task("c1", note="笔记", text="条款原文" * 50)
    store.set("user.department", "市水务局")
    final, jl = tmp_path / "out" / "user-x.sqlite3", tmp_path / "out" / "twin.jsonl"
    final.parent.mkdir()
    with closing(sqlite3.connect(store.path)) as live:
        seq = snapshot(live.backup, final, jl)
    assert seq == 2 and integrity_ok(final)
    assert sorted(p.name for p in final.parent.iterdir()) == ["twin.jsonl", "user-x.sqlite3"]  # no -wal, no .partial
    with closing(sqlite3.connect(final)) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
        assert dict(conn.execute("SELECT key, value FROM meta")) == {"change_seq": "2", "backup_seq": "2"}
    lines = [json.loads(x) for x in jl.read_text(encoding="utf-8").splitlines()]
    assert [x["type"] for x in lines] == ["task", "setting"]
    assert lines[0]["id"] == t.id and lines[0]["note"] == "笔记" and len(lines[0]["clause_text_snippet"]) == 120
    assert lines[0]["status"] == "未开始" and lines[0]["task"]["anchor"]["text"] == t.text


def test_a_failed_snapshot_leaves_nothing(tmp_path: Path) -> None:
    final = tmp_path / "user-x.sqlite3"

    def broken(dst: sqlite3.Connection) -> None:
        dst.execute("CREATE TABLE t (x)")
        raise sqlite3.OperationalError("disk I/O error")

    with pytest.raises(sqlite3.OperationalError):
        snapshot(broken, final, tmp_path / "twin.jsonl")
    assert list(tmp_path.iterdir()) == []


def test_a_snapshot_that_fails_its_check_is_refused(tmp_path: Path) -> None:
    src = tmp_path / "src.db"
    with closing(sqlite3.connect(src, isolation_level=None)) as conn:
        conn.execute("CREATE TABLE t (x INTEGER, y INTEGER)")
        conn.execute("CREATE INDEX t_x ON t(x)")
        conn.execute("BEGIN")
        conn.executemany("INSERT INTO t VALUES (?, ?)", [(i, -i) for i in range(200)])
        conn.execute("COMMIT")
        conn.execute("PRAGMA writable_schema = ON")  # the index no longer matches its table
        conn.execute("UPDATE sqlite_master SET sql = 'CREATE INDEX t_x ON t(y)' WHERE name = 't_x'")
    out = tmp_path / "out"
    out.mkdir()
    with closing(sqlite3.connect(src)) as live, pytest.raises(StorageError, match="备份校验失败"):
        snapshot(live.backup, out / "b.sqlite3", None)
    assert list(out.iterdir()) == []


def test_jsonl_lines_of_every_kind(store: UserStore) -> None:
    store.add_task("c1")
    gone = store.add_task("c2")
    store.delete_task(gone.id)
    key = store.track_indicator("c1", "x", target=1).key
    store.set_indicator_value(key, 2024, 0.5, "公报")
    store.comments.add("c1", proposal="删去", kind="删除")
    store.set_override("c1", lead=["市交通委"], support=None, deadline=None)
    store.set("a", 1)
    lines = [json.loads(x) for x in store._read(lambda c: list(jsonl_lines(c)))]
    assert [x["type"] for x in lines] == ["task", "indicator", "comment", "override", "setting"]
    assert lines[0]["clause_id"] == "c1"  # the deleted task is not in it
    assert lines[1]["values"] == [{"year": 2024, "value": 0.5, "source": "公报", "updated_at": lines[1]["values"][0][
        "updated_at"]}]
    assert lines[2]["kind"] == "删除" and lines[2]["comment"]["proposal"] == "删去"
    assert lines[3]["clause_id"] == "c1" and json.loads(lines[3]["lead"]) == ["市交通委"]
    assert lines[4] == {"type": "setting", "key": "a", "value": "1"}
