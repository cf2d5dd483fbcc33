"""app.core.userdata.schema: the `user_version` steps, each in one transaction, and the constraints the tables
promise. Real SQLite files."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.core.errors import StorageError
from app.core.userdata import schema

TABLES = {"settings", "link_overrides", "task_table", "meta", "tasks", "indicators", "indicator_values", "drafts",
          "comments", "version_links"}
NOW = "2025-01-01T00:00:00.000000+00:00"


@pytest.fixture
def conn(tmp_path: Path) -> Iterator[sqlite3.Connection]:
    c = sqlite3.connect(tmp_path / "user.db", isolation_level=None)
    c.execute("PRAGMA foreign_keys=ON")
    yield c
    c.close()


def _tables(conn: sqlite3.Connection) -> set[str]:
    return {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}


def test_a_new_file_gets_every_step(conn: sqlite3.Connection) -> None:
    calls: list[tuple[int, int]] = []
    assert schema.migrate(conn, schema.USER_MIGRATIONS, lambda cur, tgt: calls.append((cur, tgt))) == 5
    assert schema.user_version(conn) == len(schema.USER_MIGRATIONS) == 5
    assert _tables(conn) == TABLES
    assert calls == []  # no pre-migration backup of a file without a schema
    assert dict(conn.execute("SELECT key, value FROM meta").fetchall()) == {"change_seq": "0", "backup_seq": "0"}
    assert not conn.in_transaction


def test_an_up_to_date_file_is_left_alone(conn: sqlite3.Connection) -> None:
    schema.migrate(conn, schema.USER_MIGRATIONS)
    calls: list[tuple[int, int]] = []
    assert schema.migrate(conn, schema.USER_MIGRATIONS, lambda cur, tgt: calls.append((cur, tgt))) == 5
    assert calls == []


def test_an_old_file_runs_before_once_then_the_missing_steps(conn: sqlite3.Connection) -> None:
    assert schema.migrate(conn, schema.USER_MIGRATIONS[:2]) == 2
    assert _tables(conn) == {"settings", "link_overrides", "task_table"}
    conn.execute("INSERT INTO settings(key, value) VALUES ('k', '\"v\"')")
    calls: list[tuple[int, int, set[str]]] = []
    assert schema.migrate(conn, schema.USER_MIGRATIONS, lambda cur, tgt: calls.append((cur, tgt, _tables(conn)))) == 5
    assert calls == [(2, 5, {"settings", "link_overrides", "task_table"})]  # before the first new step
    assert conn.execute("SELECT value FROM settings WHERE key = 'k'").fetchone()[0] == '"v"'


def test_v1_and_v2_tables_look_like_sqlite_utils_made_them(conn: sqlite3.Connection) -> None:
    schema.migrate(conn, schema.USER_MIGRATIONS[:2])
    sql = dict(conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'table'").fetchall())
    assert sql["settings"] == "CREATE TABLE [settings] (\n   [key] TEXT PRIMARY KEY,\n   [value] TEXT\n)"
    assert [r[1] for r in conn.execute("PRAGMA table_info(task_table)")] == [
        "clause_id", "lead", "support", "deadline", "row", "source", "imported_at"]


def test_a_newer_file_is_refused(conn: sqlite3.Connection) -> None:
    conn.execute("PRAGMA user_version = 9")
    with pytest.raises(StorageError) as info:
        schema.migrate(conn, schema.USER_MIGRATIONS)
    assert "更新版本" in info.value.message and info.value.detail == "user_version 9 > 5"
    assert _tables(conn) == set()


def test_a_failing_step_leaves_the_previous_version(conn: sqlite3.Connection) -> None:
    def broken(c: sqlite3.Connection) -> None:
        c.execute("CREATE TABLE half_done (x)")
        raise RuntimeError("step failed")

    with pytest.raises(RuntimeError, match="step failed"):
        schema.migrate(conn, (*schema.USER_MIGRATIONS[:1], broken))
    assert schema.user_version(conn) == 1
    assert _tables(conn) == {"settings"}  # nothing of the failed step
    assert not conn.in_transaction


def _task(conn: sqlite3.Connection, tid: str, clause: str, *, status: str = "todo", deleted: str | None = None,
          indicator: str | None = None) -> None:
    conn.execute("INSERT INTO tasks(id, clause_id, indicator_key, status, created_at, updated_at, deleted_at) "
                 "VALUES (?, ?, ?, ?, ?, ?, ?)", (tid, clause, indicator, status, NOW, NOW, deleted))


def test_tasks_one_live_task_per_anchor_and_checked_values(conn: sqlite3.Connection) -> None:
    schema.migrate(conn, schema.USER_MIGRATIONS)
    _task(conn, "t1", "c1")
    _task(conn, "t2", "c1", indicator="c1#PM2.5")  # another indicator of the same clause
    _task(conn, "t3", "c1", deleted=NOW)  # a deleted one does not count
    with pytest.raises(sqlite3.IntegrityError, match="UNIQUE"):
        _task(conn, "t4", "c1")
    with pytest.raises(sqlite3.IntegrityError, match="CHECK"):
        _task(conn, "t5", "c2", status="未开始")  # labels are not stored, codes are
    row = conn.execute("SELECT anchor_state, priority, tags, anchor_path FROM tasks WHERE id = 't1'").fetchone()
    assert row == ("ok", 2, "[]", "[]")


def test_indicator_values_follow_their_indicator(conn: sqlite3.Connection) -> None:
    schema.migrate(conn, schema.USER_MIGRATIONS)
    conn.execute("INSERT INTO indicators(indicator_key, clause_id, name, created_at, updated_at) "
                 "VALUES ('c1#x', 'c1', 'x', ?, ?)", (NOW, NOW))
    conn.execute("INSERT INTO indicator_values(indicator_key, year, value, updated_at) VALUES ('c1#x', 2024, 1.5, ?)",
                 (NOW,))
    with pytest.raises(sqlite3.IntegrityError, match="FOREIGN KEY"):
        conn.execute("INSERT INTO indicator_values(indicator_key, year, value, updated_at) VALUES ('nope', 2024, 1, ?)",
                     (NOW,))
    conn.execute("UPDATE indicators SET indicator_key = 'c2#x' WHERE indicator_key = 'c1#x'")
    assert conn.execute("SELECT indicator_key, year, value FROM indicator_values").fetchall() == [("c2#x", 2024, 1.5)]
    conn.execute("DELETE FROM indicators")
    assert conn.execute("SELECT count(*) FROM indicator_values").fetchone()[0] == 0


def test_comments_and_version_links_check_their_codes(conn: sqlite3.Connection) -> None:
    schema.migrate(conn, schema.USER_MIGRATIONS)
    conn.execute("INSERT INTO comments(id, clause_id, created_at, updated_at) VALUES ('m1', 'c1', ?, ?)", (NOW, NOW))
    conn.execute("INSERT INTO comments(id, clause_id, created_at, updated_at) VALUES ('m2', 'c1', ?, ?)", (NOW, NOW))
    assert conn.execute("SELECT kind, cited FROM comments WHERE id = 'm1'").fetchone() == ("modify", "[]")
    with pytest.raises(sqlite3.IntegrityError, match="CHECK"):
        conn.execute("INSERT INTO comments(id, clause_id, kind, created_at, updated_at) VALUES ('m3', 'c1', '修改', ?, ?)",
                     (NOW, NOW))
    conn.execute("INSERT INTO version_links(old_id, new_id, created_at, updated_at) VALUES ('a', 'b', ?, ?)", (NOW, NOW))
    assert conn.execute("SELECT method, state, certain FROM version_links").fetchone() == ("manual", "suggested", 0)
    with pytest.raises(sqlite3.IntegrityError):
        conn.execute("INSERT INTO version_links(old_id, new_id, created_at, updated_at) VALUES ('a', 'b', ?, ?)",
                     (NOW, NOW))
    with pytest.raises(sqlite3.IntegrityError, match="CHECK"):
        conn.execute("INSERT INTO version_links(old_id, new_id, state, created_at, updated_at) "
                     "VALUES ('a', 'c', 'maybe', ?, ?)", (NOW, NOW))
