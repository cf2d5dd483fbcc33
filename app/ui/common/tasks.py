"""Background work for the Qt layer (ARCHITECTURE.md §5).

A `Task` runs one engine call on a pool thread and reports through `TaskSignals`. Results come back to
the GUI thread by queued connections to the bound slots of a `_Handle` that lives in the GUI thread;
widgets are never touched from a worker. `TaskManager` owns three pools: reads (searches, clause loads),
writes (indexing) on exactly one thread, so two index builds can never overlap, and the user's saves
(tasks, notes, drafts) on another single thread, so they never wait behind an index build. An inline mode runs
tasks synchronously for widget tests that do not test threading (Picard's FakeThreadPool).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal, Slot

from app.core.errors import Cancelled, PolicyDeskError
from app.core.progress import CancelToken
from app.ui.common.qtcompat import emit

log = logging.getLogger("policydesk.ui.tasks")

PROGRESS_INTERVAL_S = 0.1  # at most ~10 progress signals a second reach the GUI thread
READ_THREADS = 2

ProgressFn = Callable[[int, int, str], None]


class TaskSignals(QObject):
    """What a task reports; exactly one of succeeded/failed/cancelled ends it.

    Created in the GUI thread as a child of the task's `_Handle`, so it lives (and dies) there; the
    worker only emits.
    """

    progress = Signal(int, int, str)
    succeeded = Signal(object)
    failed = Signal(object)
    cancelled = Signal()


class Task(QRunnable):
    """Run `fn` on a pool thread. With `with_context`, `fn(progress, cancel_token)`; else `fn()`.

    The pool deletes the runnable after `run()` (autoDelete); it drops its reference to the signals
    object first, so no QObject is ever freed on a worker thread.
    """

    def __init__(self, fn: Callable[..., Any], signals: TaskSignals, *, token: CancelToken | None = None,
                 with_context: bool = False, name: str = "") -> None:
        super().__init__()
        self.fn = fn
        self.signals: TaskSignals | None = signals
        self.token = token or CancelToken()
        self.with_context = with_context
        self.name = name or getattr(fn, "__name__", "task")
        self._last_emit = 0.0
        self._last_message = ""

    def _progress(self, done: int, total: int, message: str) -> None:
        """Called by the engine on the worker thread; throttled before crossing threads."""
        now = time.monotonic()
        if message == self._last_message and done < total and now - self._last_emit < PROGRESS_INTERVAL_S:
            return
        self._last_emit, self._last_message = now, message
        if self.signals is not None:
            emit(self.signals.progress, int(done), int(total), str(message))

    def run(self) -> None:
        s = self.signals
        assert s is not None, "a Task runs once"
        try:
            self.token.check()
            result = self.fn(self._progress, self.token) if self.with_context else self.fn()
        except Cancelled:
            log.info("task %s cancelled", self.name)
            self._end(s.cancelled)
        except PolicyDeskError as exc:
            log.warning("task %s failed: %s", self.name, exc.message)
            self._end(s.failed, exc)
        except Exception as exc:
            log.exception("task %s crashed", self.name)
            self._end(s.failed, exc)
        else:
            self._end(s.succeeded, result)

    def _end(self, signal: Any, *args: Any) -> None:
        self.signals = None
        self.fn = _done  # drop the closure (and what it holds) now, not whenever the pool frees us
        try:
            emit(signal, *args)
        except RuntimeError:  # the receiving side was destroyed (forced shutdown): nobody to tell
            log.info("task %s finished after its manager was gone", self.name)


def _done(*_args: Any) -> None:
    raise RuntimeError("a Task runs once")


class _Handle(QObject):
    """GUI-thread end of one task: receives its signals and calls the caller's callbacks.

    A child of the manager: if the manager goes away first, so do the handle and any events still
    queued for it.
    """

    def __init__(self, manager: TaskManager, *, write: bool, token: CancelToken,
                 on_done: Callable[[Any], None] | None, on_error: Callable[[BaseException], None] | None,
                 on_progress: ProgressFn | None, on_cancelled: Callable[[], None] | None) -> None:
        super().__init__(manager)
        self.manager, self.write, self.token = manager, write, token
        self.on_done, self.on_error = on_done, on_error
        self.on_progress, self.on_cancelled = on_progress, on_cancelled
        self.cancellable = True
        self.signals = TaskSignals(self)
        # Queued: the slots run in the GUI thread whatever thread emits. Inline mode runs the task right
        # here, so direct calls keep it synchronous.
        q = Qt.ConnectionType.DirectConnection if manager.inline else Qt.ConnectionType.QueuedConnection
        self.signals.progress.connect(self._on_progress, q)
        self.signals.succeeded.connect(self._on_succeeded, q)
        self.signals.failed.connect(self._on_failed, q)
        self.signals.cancelled.connect(self._on_cancelled, q)

    def cancel(self) -> None:
        self.token.cancel()

    @Slot(int, int, str)
    def _on_progress(self, done: int, total: int, message: str) -> None:
        if self.on_progress is not None and not self.token.cancelled:
            self.on_progress(done, total, message)

    @Slot(object)
    def _on_succeeded(self, result: object) -> None:
        self._finish(self.on_done, result)

    @Slot(object)
    def _on_failed(self, exc: BaseException) -> None:
        self._finish(self.on_error or self.manager.on_error, exc)

    @Slot()
    def _on_cancelled(self) -> None:
        self._finish(self.on_cancelled)

    def _finish(self, callback: Callable[..., None] | None, *args: Any) -> None:
        """Leave the running set, call back, then announce idleness (callbacks see busy() == False)."""
        self.manager._active.remove(self)
        try:
            if callback is not None:
                callback(*args)
        finally:
            self.manager._released(self)


class TaskManager(QObject):
    """Owns the read pool and the single-thread write pool; tracks running tasks for cancel and close."""

    idle = Signal()  # emitted when the last running task has finished
    write_idle = Signal()

    def __init__(self, parent: QObject | None = None, *,
                 on_error: Callable[[BaseException], None] | None = None, inline: bool = False) -> None:
        """`inline=True` runs every task synchronously in the caller's thread (for tests of the widgets)."""
        super().__init__(parent)
        self.inline = inline
        self.on_error: Callable[[BaseException], None] = on_error or _log_error
        self.read_pool = QThreadPool(self)
        self.read_pool.setMaxThreadCount(READ_THREADS)
        self.write_pool = QThreadPool(self)
        self.write_pool.setMaxThreadCount(1)
        self.user_pool = QThreadPool(self)  # saves of what the user wrote: in order, never behind an index build
        self.user_pool.setMaxThreadCount(1)
        self._active: list[_Handle] = []
        self._retired: list[_Handle] = []

    def run_read(self, fn: Callable[[], Any], on_done: Callable[[Any], None] | None = None, *,
                 on_error: Callable[[BaseException], None] | None = None, name: str = "") -> _Handle:
        """Run a quick engine call (search, load a clause) on the read pool."""
        return self._start(fn, self.read_pool, token=None, with_context=False, name=name, write=False,
                           on_done=on_done, on_error=on_error, on_progress=None, on_cancelled=None)

    def run_write(self, fn: Callable[[ProgressFn, CancelToken], Any],
                  on_done: Callable[[Any], None] | None = None, *, on_progress: ProgressFn | None = None,
                  on_cancelled: Callable[[], None] | None = None,
                  on_error: Callable[[BaseException], None] | None = None, token: CancelToken | None = None,
                  name: str = "") -> _Handle:
        """Run slow work `fn(progress, cancel_token)` on the write thread; one at a time, in order."""
        return self._start(fn, self.write_pool, token=token, with_context=True, name=name, write=True,
                           on_done=on_done, on_error=on_error, on_progress=on_progress,
                           on_cancelled=on_cancelled)

    def run_user(self, fn: Callable[[], Any], on_done: Callable[[Any], None] | None = None, *,
                 on_error: Callable[[BaseException], None] | None = None, name: str = "") -> _Handle:
        """Save the user's own data (tasks, notes, drafts, backups) on its own single thread: in the order
        asked, never queued behind an index build, never cancelled (shutdown waits for it)."""
        return self._start(fn, self.user_pool, token=None, with_context=False, name=name, write=False,
                           on_done=on_done, on_error=on_error, on_progress=None, on_cancelled=None,
                           cancellable=False)

    def _start(self, fn: Callable[..., Any], pool: QThreadPool, *, token: CancelToken | None,
               with_context: bool, name: str, cancellable: bool = True, **kw: Any) -> _Handle:
        token = token or CancelToken()
        handle = _Handle(self, token=token, **kw)
        handle.cancellable = cancellable
        task = Task(fn, handle.signals, token=token, with_context=with_context, name=name)
        self._active.append(handle)
        if self.inline:
            task.run()
        else:
            pool.start(task)
        return handle

    def _released(self, handle: _Handle) -> None:
        # We are inside one of `handle`'s slots, so it must outlive this call. It is freed at the next
        # release (or with the manager). Not deleteLater(): a pending deferred delete of a child makes
        # a direct deletion of the manager crash under PySide.
        for old in self._retired:
            old.setParent(None)  # back to Python ownership: freed when the list lets go
        self._retired = [handle]
        if handle.write and not any(h.write for h in self._active):
            emit(self.write_idle)
        if not self._active:
            emit(self.idle)

    # -- state and shutdown ---------------------------------------------------------------------
    def busy(self) -> bool:
        """True while a write task (indexing) is queued or running."""
        return any(h.write for h in self._active)

    def active_count(self) -> int:
        return len(self._active)

    def cancel_all(self) -> None:
        """Ask every running task to stop at its next check (cooperative; never terminates a thread)."""
        for h in list(self._active):
            if h.cancellable:  # a user's save always completes
                h.cancel()  # a queued task sees the token before it starts and reports `cancelled`

    def wait_all(self, msecs: int = 10_000) -> bool:
        """Block until both pools are idle or `msecs` passed; True when idle. Only for shutdown."""
        deadline = time.monotonic() + msecs / 1000
        ok = self.write_pool.waitForDone(msecs)
        left = max(0, int((deadline - time.monotonic()) * 1000))
        ok = self.user_pool.waitForDone(left) and ok
        left = max(0, int((deadline - time.monotonic()) * 1000))
        return self.read_pool.waitForDone(left) and ok


def _log_error(exc: BaseException) -> None:
    if isinstance(exc, PolicyDeskError):
        log.warning("%s", exc.message)
    else:
        log.error("unhandled task error", exc_info=(type(exc), exc, exc.__traceback__))
