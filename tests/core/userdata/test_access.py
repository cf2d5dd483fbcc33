"""app.core.userdata.access: the plumbing under every part of UserStore (`StoreBase`: one writer thread, one
reader, the migration on open), the clock guard `later` and the read connection. Real SQLite files."""

from __future__ import annotations

import datetime as dt
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import pytest

from app.core.errors import StorageError
from app.core.userdata import schema
from app.core.userdata.access import Reader, StoreBase, Tx, later
from app.core.userdata.db import MSG_CLOSED, MSG_READONLY, TextCleaner
from app.core.userdata.model import parse_iso


@pytest.fixture
def base(tmp_path: Path) -> Iterator[StoreBase]:
    b = StoreBase(tmp_path / "data" / "user.db")
    yield b
    b._finalizer()


def _seq(b: StoreBase) -> int:
    return b._read(lambda c: int(c.execute("SELECT value FROM meta WHERE key = 'change_seq'").fetchone()[0]))


def test_later_is_now_or_just_after_the_previous_stamp() -> None:
    before = dt.datetime.now(dt.UTC)
    got = parse_iso(later("2000-01-01T00:00:00.000000+00:00"))
    assert before <= got <= dt.datetime.now(dt.UTC)
    # a clock set back: an edit must not look older than the one before it
    assert later("2999-01-01T00:00:00.000000+00:00") == "2999-01-01T00:00:00.000001+00:00"


def test_tx_starts_changed_with_a_fresh_cleaner() -> None:
    with closing(sqlite3.connect(":memory:")) as conn:
        tx = Tx(conn)
        assert tx.conn is conn and tx.changed is True
        assert isinstance(tx.clean, TextCleaner) and tx.clean.notice() == ""


def test_opening_creates_the_folder_and_migrates(base: StoreBase, tmp_path: Path) -> None:
    assert base.path == tmp_path / "data" / "user.db" and base.path.exists()
    assert base.backup_dir == tmp_path / "data" / "backups"
    assert base._call(schema.user_version) == len(schema.USER_MIGRATIONS)
    assert base._call(lambda c: threading.current_thread().name) == "policydesk-userdb"


def test_write_commits_and_counts_only_changes(base: StoreBase) -> None:
    def add(tx: Tx) -> str:
        tx.conn.execute("INSERT INTO drafts(key, text, updated_at) VALUES ('k', ?, 'now')", (tx.clean("a\x00b"),))
        return tx.clean.notice()

    assert base._write(add) == "已去除 1 个空字符（NUL）"
    assert _seq(base) == 1
    assert base._read(lambda c: c.execute("SELECT text FROM drafts").fetchone()[0]) == "ab"

    def look(tx: Tx) -> int:
        tx.changed = False
        return int(tx.conn.execute("SELECT count(*) FROM drafts").fetchone()[0])

    assert base._write(look) == 1
    assert _seq(base) == 1  # a save that changed nothing does not count


def test_a_failing_write_rolls_back_everything(base: StoreBase) -> None:
    def half(tx: Tx) -> None:
        tx.conn.execute("INSERT INTO drafts(key, text, updated_at) VALUES ('k', 'x', 'now')")
        raise ValueError("half way")

    with pytest.raises(ValueError, match="half way"):
        base._write(half)
    assert base._read(lambda c: c.execute("SELECT count(*) FROM drafts").fetchone()[0]) == 0
    assert _seq(base) == 0
    with pytest.raises(StorageError) as info:  # sqlite errors come out typed
        base._write(lambda tx: tx.conn.execute("INSERT INTO no_such_table VALUES (1)"))
    assert "no such table" in (info.value.detail or "")
    assert not isinstance(info.value, sqlite3.Error)


def test_read_is_one_snapshot(base: StoreBase) -> None:
    base._write(lambda tx: tx.conn.execute("INSERT INTO drafts(key, text, updated_at) VALUES ('a', '1', 'now')"))
    seen: list[int] = []

    def fn(c: sqlite3.Connection) -> None:
        seen.append(c.execute("SELECT count(*) FROM drafts").fetchone()[0])
        # a save committed by the writer in the middle of this read is not seen by it
        t = threading.Thread(target=base._write, args=(lambda tx: tx.conn.execute(
            "INSERT INTO drafts(key, text, updated_at) VALUES ('b', '2', 'now')"),))
        t.start()
        t.join()
        assert base._call(lambda w: w.execute("SELECT count(*) FROM drafts").fetchone()[0]) == 2
        seen.append(c.execute("SELECT count(*) FROM drafts").fetchone()[0])

    base._read(fn)
    assert seen == [1, 1]
    assert base._read(lambda c: c.execute("SELECT count(*) FROM drafts").fetchone()[0]) == 2


def test_old_schema_gets_a_pre_migration_backup(tmp_path: Path) -> None:
    db = tmp_path / "user.db"
    with closing(sqlite3.connect(db, isolation_level=None)) as conn:
        schema.migrate(conn, schema.USER_MIGRATIONS[:3])
        conn.execute("INSERT INTO settings(key, value) VALUES ('k', '1')")
    b = StoreBase(db)
    try:
        backups = sorted((tmp_path / "backups").iterdir())
        assert len(backups) == 1 and backups[0].name.startswith("user-pre-v5-")
        with closing(sqlite3.connect(backups[0])) as conn:
            assert schema.user_version(conn) == 3
            assert conn.execute("SELECT value FROM settings").fetchone()[0] == "1"
    finally:
        b._finalizer()


def test_a_closed_base_refuses(base: StoreBase) -> None:
    base._finalizer()
    for call in (lambda: base._write(lambda tx: None), lambda: base._read(lambda c: None)):
        with pytest.raises(StorageError) as info:
            call()
        assert info.value.message == MSG_CLOSED


def test_reader_opens_on_first_use_and_cannot_write(base: StoreBase) -> None:
    reader = Reader(base.path, 200)
    assert reader.conn is None
    assert reader.run(lambda c: c.execute("PRAGMA busy_timeout").fetchone()[0]) == 200
    assert reader.conn is not None
    with pytest.raises(StorageError) as info:
        reader.run(lambda c: c.execute("DELETE FROM drafts"))
    assert info.value.message == MSG_READONLY
    assert not reader.conn.in_transaction  # the snapshot was ended
    assert reader.run(lambda c: c.in_transaction, snapshot=False) is False
    reader.close()
    assert reader.conn is None
    with pytest.raises(StorageError):
        reader.run(lambda c: 1)
