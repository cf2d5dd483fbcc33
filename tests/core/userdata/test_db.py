"""app.core.userdata.db: error translation, connection settings, the writer thread, text sanitation (D13)
and crash-safe file writes. Real SQLite files and real errors."""

from __future__ import annotations

import errno
import sqlite3
import threading
from contextlib import closing
from pathlib import Path

import pytest

from app.core.errors import StorageError
from app.core.userdata.db import (
    MSG_BUSY,
    MSG_CLOSED,
    MSG_CORRUPT,
    MSG_FULL,
    MSG_IO,
    MSG_READONLY,
    DatabaseBusyError,
    DatabaseCorruptError,
    DiskFullError,
    TextCleaner,
    Writer,
    atomic_write_bytes,
    clean_text,
    connect,
    fsync_dir,
    fsync_file,
    translate,
)


def _pragmas(conn: sqlite3.Connection, *names: str) -> tuple[object, ...]:
    return tuple(conn.execute(f"PRAGMA {n}").fetchone()[0] for n in names)


# -- translate -----------------------------------------------------------------------------------------
def test_a_file_that_is_not_a_database_is_corrupt(tmp_path: Path) -> None:
    bad = tmp_path / "bad.db"
    bad.write_bytes(b"x" * 4096)
    with closing(sqlite3.connect(bad)) as conn, pytest.raises(sqlite3.DatabaseError) as info:
        conn.execute("SELECT * FROM sqlite_master")
    err = translate(info.value)
    assert type(err) is DatabaseCorruptError
    assert err.message == MSG_CORRUPT and err.detail == "DatabaseError: file is not a database"


def test_a_write_to_a_read_only_connection_is_read_only(tmp_path: Path) -> None:
    db = tmp_path / "ro.db"
    with closing(sqlite3.connect(db)) as conn:
        conn.execute("CREATE TABLE t (x)")
    with closing(sqlite3.connect(f"{db.as_uri()}?mode=ro", uri=True)) as conn, \
            pytest.raises(sqlite3.OperationalError) as info:
        conn.execute("INSERT INTO t VALUES (1)")
    err = translate(info.value)
    assert type(err) is StorageError and err.message == MSG_READONLY


def test_a_held_write_lock_is_busy(tmp_path: Path) -> None:
    db = tmp_path / "locked.db"
    with closing(sqlite3.connect(db, isolation_level=None)) as holder, \
            closing(sqlite3.connect(db, timeout=0.05, isolation_level=None)) as other:
        holder.execute("CREATE TABLE t (x)")
        holder.execute("BEGIN IMMEDIATE")
        with pytest.raises(sqlite3.OperationalError) as info:
            other.execute("BEGIN IMMEDIATE")
        holder.execute("ROLLBACK")
    err = translate(info.value)
    assert type(err) is DatabaseBusyError and err.message == MSG_BUSY


@pytest.mark.parametrize(("text", "kind", "message"), [
    ("database or disk is full", DiskFullError, MSG_FULL),
    ("disk I/O error", StorageError, MSG_IO),
    ("database disk image is malformed", DatabaseCorruptError, MSG_CORRUPT),
])
def test_sqlite_messages_without_an_error_code(text: str, kind: type[StorageError], message: str) -> None:
    err = translate(sqlite3.OperationalError(text))
    assert type(err) is kind and err.message == message


def test_other_sqlite_errors_keep_their_text() -> None:
    with closing(sqlite3.connect(":memory:")) as conn, pytest.raises(sqlite3.OperationalError) as info:
        conn.execute("SELEC 1")
    err = translate(info.value)
    assert type(err) is StorageError and err.message.startswith("数据库操作失败：") and "SELEC" in err.message


@pytest.mark.parametrize(("code", "kind", "message"), [
    (errno.ENOSPC, DiskFullError, MSG_FULL),
    (errno.EACCES, StorageError, MSG_READONLY),
    (errno.EROFS, StorageError, MSG_READONLY),
    (errno.ENOENT, StorageError, MSG_IO),
])
def test_os_errors(code: int, kind: type[StorageError], message: str) -> None:
    err = translate(OSError(code, "boom"))
    assert type(err) is kind and err.message == message and err.detail is not None and "boom" in err.detail


def test_a_storage_error_passes_through_and_anything_else_is_wrapped() -> None:
    original = DiskFullError("满了")
    assert translate(original) is original
    wrapped = translate(ValueError("odd"))
    assert type(wrapped) is StorageError and wrapped.message == "数据库操作失败：odd"
    assert wrapped.detail == "ValueError: odd"


# -- connect -------------------------------------------------------------------------------------------
def test_connect_settings(tmp_path: Path) -> None:
    with closing(connect(tmp_path / "a.db", busy_timeout_ms=1234, wal_autocheckpoint=0)) as conn:
        assert _pragmas(conn, "journal_mode", "synchronous", "foreign_keys", "busy_timeout", "wal_autocheckpoint",
                        "query_only") == ("wal", 2, 1, 1234, 0, 0)
        assert conn.isolation_level is None  # autocommit: transactions are explicit
        conn.execute("CREATE TABLE t (x)")
        conn.execute("INSERT INTO t VALUES (7)")
        row = conn.execute("SELECT x FROM t").fetchone()
        assert row["x"] == 7  # sqlite3.Row


def test_connect_query_only_refuses_writes(tmp_path: Path) -> None:
    db = tmp_path / "a.db"
    with closing(connect(db)) as conn:
        conn.execute("CREATE TABLE t (x)")
    with closing(connect(db, query_only=True)) as reader:
        assert _pragmas(reader, "query_only", "journal_mode") == (1, "wal")  # the file keeps its WAL mode
        with pytest.raises(sqlite3.OperationalError):
            reader.execute("INSERT INTO t VALUES (1)")


# -- Writer --------------------------------------------------------------------------------------------
def test_writer_runs_every_call_on_its_own_thread_in_order(tmp_path: Path) -> None:
    writer = Writer(lambda: connect(tmp_path / "w.db"), name="test-writer")
    try:
        writer.call(lambda c: c.execute("CREATE TABLE t (n INTEGER)"))
        names: set[str] = set()

        def add(n: int) -> None:
            names.add(writer.call(lambda c: (c.execute("INSERT INTO t VALUES (?)", (n,)),
                                             threading.current_thread().name)[1]))

        threads = [threading.Thread(target=add, args=(n,)) for n in range(20)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert names == {"test-writer"}
        assert writer.call(lambda c: c.execute("SELECT count(*) FROM t").fetchone()[0]) == 20
        with pytest.raises(ZeroDivisionError):  # an error of the job reaches the caller
            writer.call(lambda c: 1 / 0)
        assert writer.call(lambda c: 42) == 42  # and the writer goes on
        with pytest.raises(RuntimeError, match="deadlock"):
            writer.call(lambda c: writer.call(lambda c2: 0))
    finally:
        writer.close()
    assert writer.closed
    with pytest.raises(StorageError) as info:
        writer.call(lambda c: 0)
    assert info.value.message == MSG_CLOSED
    writer.close()  # idempotent


def test_writer_close_rolls_back_an_open_transaction(tmp_path: Path) -> None:
    db = tmp_path / "w.db"
    writer = Writer(lambda: connect(db))
    writer.call(lambda c: c.execute("CREATE TABLE t (x)"))
    writer.call(lambda c: (c.execute("BEGIN IMMEDIATE"), c.execute("INSERT INTO t VALUES (1)")))
    writer.close()
    with closing(sqlite3.connect(db)) as conn:
        assert conn.execute("SELECT count(*) FROM t").fetchone()[0] == 0


def test_writer_whose_opener_fails_raises_and_is_closed(tmp_path: Path) -> None:
    def opener() -> sqlite3.Connection:
        raise sqlite3.OperationalError("unable to open database file")

    with pytest.raises(sqlite3.OperationalError, match="unable to open"):
        Writer(opener)


# -- text ----------------------------------------------------------------------------------------------
def test_text_cleaner_counts_what_it_changed() -> None:
    clean = TextCleaner()
    assert clean("a\x00b\x00") == "ab"
    assert clean("x\ud800y") == "x\ufffdy"
    assert clean("已有\ufffd字符\udfff") == "已有\ufffd字符\ufffd"  # a U+FFFD already there is not counted
    assert (clean.nul, clean.surrogates) == (2, 2)
    assert clean.notice() == (
        "有 2 个无法保存的字符（不成对的代理字符，常见于从其他程序复制的文本）已替换为“\ufffd”；已去除 2 个空字符（NUL）")


def test_a_surrogate_pair_is_joined_not_replaced() -> None:
    assert clean_text("\ud83d\ude00") == ("😀", "")


def test_clean_text_leaves_ordinary_text_alone() -> None:
    text = "第一条　为了加强管理，制定本办法。\t😀𠀀\r\n"
    assert clean_text(text) == (text, "")
    assert clean_text("a\x00") == ("a", "已去除 1 个空字符（NUL）")


# -- files ---------------------------------------------------------------------------------------------
def test_atomic_write_replaces_whole_file_and_leaves_no_temp(tmp_path: Path) -> None:
    target = tmp_path / "out.json"
    target.write_bytes(b"old content")
    atomic_write_bytes(target, "新内容".encode())
    assert target.read_bytes() == "新内容".encode()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.json"]


def test_atomic_write_into_a_missing_folder_raises_typed_and_writes_nothing(tmp_path: Path) -> None:
    target = tmp_path / "missing" / "out.json"
    with pytest.raises(StorageError) as info:
        atomic_write_bytes(target, b"data")
    assert info.value.message == MSG_IO
    assert not target.parent.exists()


def test_fsync_helpers(tmp_path: Path) -> None:
    f = tmp_path / "f.bin"
    f.write_bytes(b"abc")
    fsync_file(f)
    assert f.read_bytes() == b"abc"
    assert fsync_dir(tmp_path / "no-such-folder") is None  # a folder that cannot be opened is skipped
    with pytest.raises(FileNotFoundError):
        fsync_file(tmp_path / "no-such-file")
