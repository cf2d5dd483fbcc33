"""Low-level pieces of the user DB: connections, the one writer thread, error translation, text sanitation
and crash-safe file writes. Standard library only, so a crash-test child process starts fast."""

from __future__ import annotations

import errno
import os
import queue
import re
import sqlite3
import threading
import uuid
from collections.abc import Callable
from concurrent.futures import Future
from contextlib import suppress
from pathlib import Path
from typing import Any, TypeVar

from app.core.errors import StorageError

T = TypeVar("T")

BUSY_TIMEOUT_MS = 5000

MSG_BUSY = "数据库被其他程序占用，请关闭占用程序后重试"
MSG_FULL = "磁盘空间不足，本次操作未完成，已保存的数据不受影响；请清理磁盘后重试"
MSG_CORRUPT = "数据文件已损坏；请重新启动程序，程序会自动从备份恢复"
MSG_READONLY = "数据文件夹不可写（可能没有权限或为只读位置），请检查权限或选择其他数据文件夹"
MSG_IO = "读写数据文件失败（磁盘或U盘可能已断开），本次操作未完成"
MSG_CLOSED = "数据库已关闭"


class DatabaseBusyError(StorageError):
    """Another program held the write lock longer than busy_timeout. Nothing was written; retry works."""


class DiskFullError(StorageError):
    """SQLITE_FULL or ENOSPC: the transaction was rolled back."""


class DatabaseCorruptError(StorageError):
    """The file is damaged or is not a database; `UserStore.open` recovers from a backup."""


# Primary SQLite result codes (extended codes carry them in the low byte).
_SQLITE_BUSY, _SQLITE_LOCKED, _SQLITE_READONLY, _SQLITE_IOERR = 5, 6, 8, 10
_SQLITE_CORRUPT, _SQLITE_FULL, _SQLITE_CANTOPEN, _SQLITE_NOTADB = 11, 13, 14, 26


def translate(exc: BaseException) -> StorageError:
    """Map a sqlite3 or OS error to a typed engine error with a Chinese message (`detail` keeps the original)."""
    if isinstance(exc, StorageError):
        return exc
    detail = f"{type(exc).__name__}: {exc}"
    if isinstance(exc, sqlite3.Error):
        code = (getattr(exc, "sqlite_errorcode", None) or 0) & 0xFF
        text = str(exc).lower()
        if code in (_SQLITE_BUSY, _SQLITE_LOCKED) or "database is locked" in text:
            return DatabaseBusyError(MSG_BUSY, detail=detail)
        if code == _SQLITE_FULL or "disk is full" in text:
            return DiskFullError(MSG_FULL, detail=detail)
        if code in (_SQLITE_CORRUPT, _SQLITE_NOTADB) or "malformed" in text or "not a database" in text:
            return DatabaseCorruptError(MSG_CORRUPT, detail=detail)
        if code in (_SQLITE_READONLY, _SQLITE_CANTOPEN) or "readonly" in text:
            return StorageError(MSG_READONLY, detail=detail)
        if code == _SQLITE_IOERR or "disk i/o" in text:
            return StorageError(MSG_IO, detail=detail)
        return StorageError(f"数据库操作失败：{exc}", detail=detail)
    if isinstance(exc, OSError):
        if exc.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", -1)):
            return DiskFullError(MSG_FULL, detail=detail)
        if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
            return StorageError(MSG_READONLY, detail=detail)
        return StorageError(MSG_IO, detail=detail)
    return StorageError(f"数据库操作失败：{exc}", detail=detail)


def connect(path: Path, *, busy_timeout_ms: int = BUSY_TIMEOUT_MS, check_same_thread: bool = True,
            query_only: bool = False, wal_autocheckpoint: int | None = None) -> sqlite3.Connection:
    """A connection with the settings of RELIABILITY.md C2, in autocommit mode: transactions are explicit."""
    conn = sqlite3.connect(path, timeout=busy_timeout_ms / 1000, isolation_level=None,
                           check_same_thread=check_same_thread)
    try:
        conn.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
        if not query_only:
            conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=FULL")
        conn.execute("PRAGMA foreign_keys=ON")
        if query_only:
            conn.execute("PRAGMA query_only=ON")
        if wal_autocheckpoint is not None:
            conn.execute(f"PRAGMA wal_autocheckpoint={int(wal_autocheckpoint)}")
    except BaseException:
        conn.close()
        raise
    conn.row_factory = sqlite3.Row
    return conn


_Job = tuple[Callable[[sqlite3.Connection], Any], "Future[Any]"]


def _writer_loop(jobs: queue.SimpleQueue[_Job | None], opener: Callable[[], sqlite3.Connection],
                 ready: Future[None]) -> None:
    try:
        conn = opener()
    except BaseException as exc:
        ready.set_exception(exc)
        return
    ready.set_result(None)
    try:
        while True:
            job = jobs.get()
            if job is None:
                break
            fn, fut = job
            if not fut.set_running_or_notify_cancel():
                continue
            try:
                fut.set_result(fn(conn))
            except BaseException as exc:
                fut.set_exception(exc)
    finally:
        with suppress(sqlite3.Error):
            conn.close()  # an open transaction is rolled back, never committed


class Writer:
    """The one writer connection, owned by one thread: every call runs there, in order, and the caller
    blocks on the result. Safe to call from any thread (GUI, Qt workers, plain threads)."""

    def __init__(self, opener: Callable[[], sqlite3.Connection], name: str = "policydesk-userdb") -> None:
        self._jobs: queue.SimpleQueue[_Job | None] = queue.SimpleQueue()
        self._lock = threading.Lock()
        self._closed = False
        ready: Future[None] = Future()
        self._thread = threading.Thread(target=_writer_loop, args=(self._jobs, opener, ready), name=name,
                                        daemon=True)
        self._thread.start()
        try:
            ready.result()
        except BaseException:
            self._thread.join()
            self._closed = True
            raise

    def call(self, fn: Callable[[sqlite3.Connection], T]) -> T:
        if threading.current_thread() is self._thread:
            raise RuntimeError("Writer.call from the writer thread would deadlock")
        fut: Future[T] = Future()
        with self._lock:
            if self._closed:
                raise StorageError(MSG_CLOSED)
            self._jobs.put((fn, fut))
        return fut.result()

    def close(self) -> None:
        """Finish queued work, close the connection (SQLite checkpoints the WAL) and stop the thread."""
        with self._lock:
            if self._closed:
                return
            self._closed = True
            self._jobs.put(None)
        if threading.current_thread() is not self._thread:
            self._thread.join()

    @property
    def closed(self) -> bool:
        return self._closed


# -- text ----------------------------------------------------------------------------------------------
_SURROGATE = re.compile("[\ud800-\udfff]")


class TextCleaner:
    """Makes text storable without changing anything else (D13): NUL removed, lone surrogates -> U+FFFD
    (a well-formed pair of surrogates is joined into its character). Counts what it changed."""

    def __init__(self) -> None:
        self.nul = 0
        self.surrogates = 0

    def __call__(self, text: str) -> str:
        if "\x00" in text:
            self.nul += text.count("\x00")
            text = text.replace("\x00", "")
        if _SURROGATE.search(text):
            before = text.count("\ufffd")
            text = text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")
            self.surrogates += text.count("\ufffd") - before
        return text

    def notice(self) -> str:
        """A Chinese sentence for the user, or "" when nothing was changed."""
        parts = []
        if self.surrogates:
            parts.append(f"有 {self.surrogates} 个无法保存的字符（不成对的代理字符，常见于从其他程序复制的文本）已替换为“\ufffd”")
        if self.nul:
            parts.append(f"已去除 {self.nul} 个空字符（NUL）")
        return "；".join(parts)


def clean_text(text: str) -> tuple[str, str]:
    """(storable text, notice) for one string."""
    cleaner = TextCleaner()
    out = cleaner(text)
    return out, cleaner.notice()


# -- files ---------------------------------------------------------------------------------------------
def fsync_dir(directory: Path) -> None:
    """Make a rename durable (POSIX); Windows has no directory handles for this and needs none."""
    if os.name == "nt":
        return
    with suppress(OSError):
        fd = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def fsync_file(path: Path) -> None:
    with open(path, "rb+") as f:
        os.fsync(f.fileno())


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Temp file in the same folder -> flush + fsync -> os.replace -> fsync the folder.

    The old file stays intact until the new one is complete; nothing half-written is ever left at `path`.
    Errors are raised as `StorageError` subclasses (disk full -> `DiskFullError`).
    """
    path = Path(path)
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex[:8]}.tmp")
    try:
        with open(tmp, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except OSError as exc:
        with suppress(OSError):
            tmp.unlink(missing_ok=True)
        raise translate(exc) from exc
    fsync_dir(path.parent)
