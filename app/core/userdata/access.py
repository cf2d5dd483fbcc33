"""The shared plumbing under every part of `UserStore`: one writer thread (every save is one
`BEGIN IMMEDIATE … COMMIT` there), one read connection, and the schema migration on open.

The repositories (`settings`, `tasks`, `indicators`, `drafts`, `backups`, and `CommentStore`,
`VersionLinks` over a store) only call `_write`, `_read` and `_call` of a `StoreBase`.
"""

from __future__ import annotations

import datetime as dt
import logging
import sqlite3
import threading
import weakref
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import TypeVar

import app.core.userdata.schema as schema
from app.core.errors import StorageError
from app.core.userdata.backup import BACKUP_DIR, new_names, snapshot
from app.core.userdata.db import BUSY_TIMEOUT_MS, MSG_CLOSED, TextCleaner, Writer, connect, translate
from app.core.userdata.model import now_iso, parse_iso

log = logging.getLogger("policydesk.userdata")

T = TypeVar("T")


class Tx:
    """One write transaction: the connection, whether it changed data, and the text cleaner."""

    __slots__ = ("changed", "clean", "conn")

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        self.changed = True
        self.clean = TextCleaner()


class Reader:
    """The read connection: one, shared under a lock (opened on first use)."""

    def __init__(self, path: Path, busy_timeout_ms: int) -> None:
        self.path = path
        self.busy_timeout_ms = busy_timeout_ms
        self.lock = threading.Lock()
        self.conn: sqlite3.Connection | None = None
        self.closed = False

    def _conn(self) -> sqlite3.Connection:
        if self.closed:
            raise StorageError(MSG_CLOSED)
        if self.conn is None:
            self.conn = connect(self.path, busy_timeout_ms=self.busy_timeout_ms, check_same_thread=False,
                                query_only=True)
        return self.conn

    def run(self, fn: Callable[[sqlite3.Connection], T], *, snapshot: bool = True) -> T:
        """Run `fn` in one read transaction (a consistent snapshot across its statements)."""
        with self.lock:
            try:
                conn = self._conn()
                if not snapshot:
                    return fn(conn)
                conn.execute("BEGIN")
                try:
                    return fn(conn)
                finally:
                    if conn.in_transaction:
                        conn.execute("ROLLBACK")
            except (sqlite3.Error, OSError) as exc:
                raise translate(exc) from exc

    def close(self) -> None:
        with self.lock:
            self.closed = True
            if self.conn is not None:
                self.conn.close()
                self.conn = None


def _shutdown(reader: Reader, writer: Writer) -> None:
    reader.close()
    writer.close()


def later(previous: str) -> str:
    """Now, but strictly after `previous` (a clock set back must not make an edit look older)."""
    now = now_iso()
    if now > previous:
        return now
    return (parse_iso(previous) + dt.timedelta(microseconds=1)).isoformat(timespec="microseconds")


class StoreBase:
    """Opens (and migrates) the user DB at `path`: the writer thread, the reader, and what `close` needs.

    `busy_timeout_ms`: how long a save waits for another program's lock before `DatabaseBusyError`.
    `wal_autocheckpoint`: pages before SQLite checkpoints the WAL (None = SQLite's default; tests use 0).
    """

    def __init__(self, path: Path, *, busy_timeout_ms: int = BUSY_TIMEOUT_MS,
                 wal_autocheckpoint: int | None = None) -> None:
        self.path = Path(path)
        self.backup_dir = self.path.parent / BACKUP_DIR
        self._stem = self.path.stem
        self._busy_timeout_ms = busy_timeout_ms
        self._backup_lock = threading.RLock()
        self._marker: Path | None = None
        self._backup_on_close = False
        self._closed = False
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            opener = partial(connect, self.path, busy_timeout_ms=busy_timeout_ms,
                             wal_autocheckpoint=wal_autocheckpoint)
            self._writer = Writer(opener)
        except (sqlite3.Error, OSError) as exc:
            raise translate(exc) from exc
        self._reader = Reader(self.path, busy_timeout_ms)
        self._finalizer = weakref.finalize(self, _shutdown, self._reader, self._writer)
        try:
            self._call(self._migrate)
        except BaseException:
            self._finalizer()
            raise

    def _migrate(self, conn: sqlite3.Connection) -> int:
        def before(current: int, target: int) -> None:
            self.backup_dir.mkdir(parents=True, exist_ok=True)
            final, _ = new_names(self.backup_dir, self._stem, dt.datetime.now(), f"pre-v{target}")
            snapshot(conn.backup, final, None)
            log.info("pre-migration backup v%d -> v%d: %s", current, target, final.name)

        return schema.migrate(conn, schema.USER_MIGRATIONS, before)

    def _call(self, fn: Callable[[sqlite3.Connection], T]) -> T:
        try:
            return self._writer.call(fn)
        except (sqlite3.Error, OSError) as exc:
            raise translate(exc) from exc

    def _write(self, fn: Callable[[Tx], T]) -> T:
        """One logical save: `BEGIN IMMEDIATE`, `fn`, bump the change counter, `COMMIT` (or roll back)."""

        def run(conn: sqlite3.Connection) -> T:
            conn.execute("BEGIN IMMEDIATE")
            tx = Tx(conn)
            try:
                result = fn(tx)
                if tx.changed:
                    conn.execute("UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'change_seq'")
                conn.execute("COMMIT")
            except BaseException:
                if conn.in_transaction:
                    try:
                        conn.execute("ROLLBACK")
                    except sqlite3.Error:
                        log.exception("rollback failed")
                raise
            return result

        return self._call(run)

    def _read(self, fn: Callable[[sqlite3.Connection], T]) -> T:
        return self._reader.run(fn)
