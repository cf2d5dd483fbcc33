"""Run work on untrusted files in child processes: a time limit per job, a memory limit, crashes contained.

A document someone adds may be hostile or just broken: a zip bomb, XML that expands without end, a PDF
whose page tree loops, a 500 MB file. Reading it in the app's own process could hang the window, take
all memory or crash the interpreter. `Sandbox.map` hands one job at a time to each of a few spawned
worker processes (never forked: the desktop app calls this from a thread of a Qt process) and:

* a job that runs longer than `timeout` seconds has its worker killed and replaced; the job fails;
* each worker runs under an address-space limit (`RLIMIT_AS`, where the OS has it): an allocation past
  it raises MemoryError in the worker, which reports it as this job's failure;
* a worker that dies (segfault in a C library, `os._exit`) fails its job; a new worker takes the rest;
* a worker whose parent dies (the app or the CLI killed) exits too (`app.core.procguard`), even mid-job.

Every job ends either with its result or with a `Failure` carrying a Chinese message; the batch always
completes. The job function must be importable by name (a module-level function), as for any spawn.
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import os
import time
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from multiprocessing.process import BaseProcess
from typing import Any, Generic, TypeVar

from app.core import procguard
from app.core.progress import CancelToken

log = logging.getLogger("policydesk.sandbox")

J = TypeVar("J")
R = TypeVar("R")

TIMEOUT_S = 30.0
MEMORY_MB = 3072  # per worker; Python, jieba and a parsed document fit well within it
MSG_TIMEOUT = "读取超时（超过 {seconds:g} 秒），已跳过：文件可能已损坏或结构异常"
MSG_MEMORY = "文件过大或结构异常，读取时内存超出限制，已跳过"
MSG_CRASH = "读取时处理进程意外退出，已跳过：文件可能已损坏"
MSG_ERROR = "读取失败（{kind}），已跳过"
_POLL_S = 0.5


@dataclass(frozen=True)
class Failure:
    """A job that did not produce a result: the Chinese message, and an English detail for the log."""

    message: str
    detail: str = ""


def _limit_memory(megabytes: int) -> None:
    try:
        import resource
    except ImportError:  # Windows: no RLIMIT_AS (a Job Object would do it; not done yet)
        return
    limit = megabytes * 1024 * 1024
    try:
        _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        if hard != resource.RLIM_INFINITY:
            limit = min(limit, hard)
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    except (ValueError, OSError) as exc:  # pragma: no cover - depends on the OS
        log.warning("could not limit worker memory: %s", exc)


def _worker_main(conn: Connection, fn: Callable[[Any], Any], memory_mb: int, parent_pid: int | None = None) -> None:
    """Child process: answer jobs until told to stop (None) or the parent goes away."""
    procguard.guard_child(parent_pid)
    _limit_memory(memory_mb)
    while True:
        try:
            msg = conn.recv()
        except (EOFError, OSError):
            return
        if msg is None:
            return
        idx, job = msg
        result: tuple[str, Any]
        try:
            result = ("ok", fn(job))
        except MemoryError:
            result = ("fail", Failure(MSG_MEMORY, "MemoryError"))
        except RecursionError:
            result = ("fail", Failure(MSG_ERROR.format(kind="结构嵌套过深"), "RecursionError"))
        except Exception as exc:  # the job's own bug or a library's: one file fails, not the batch
            result = ("fail", Failure(MSG_ERROR.format(kind=type(exc).__name__), repr(exc)[:500]))
        try:
            conn.send((idx, result))
        except MemoryError:
            conn.send((idx, ("fail", Failure(MSG_MEMORY, "MemoryError while sending the result"))))
        except Exception as exc:  # an unpicklable result
            conn.send((idx, ("fail", Failure(MSG_ERROR.format(kind=type(exc).__name__), repr(exc)[:500]))))


class _Worker:
    def __init__(self, ctx: Any, fn: Callable[[Any], Any], memory_mb: int) -> None:
        self.conn, child = ctx.Pipe(duplex=True)
        self.proc: BaseProcess = ctx.Process(target=_worker_main, args=(child, fn, memory_mb, os.getpid()),
                                             daemon=True,
                                             name="policydesk-reader")
        self.proc.start()
        child.close()
        self.job: int | None = None
        self.started = 0.0

    def send(self, idx: int, job: Any) -> None:
        self.job = idx
        self.started = time.monotonic()
        self.conn.send((idx, job))

    def kill(self) -> None:
        if self.proc.is_alive():
            self.proc.kill()
        self.proc.join(5)
        self.conn.close()

    def stop(self) -> None:
        with contextlib.suppress(OSError, ValueError):
            self.conn.send(None)
        self.proc.join(2)
        if self.proc.is_alive():
            self.proc.kill()
            self.proc.join(2)
        self.conn.close()


class Sandbox(Generic[J, R]):
    """Map `fn` over jobs in `workers` child processes with per-job time and memory limits."""

    def __init__(self, fn: Callable[[J], R], *, workers: int = 1, timeout: float = TIMEOUT_S,
                 memory_mb: int = MEMORY_MB) -> None:
        self.fn = fn
        self.workers = max(1, workers)
        self.timeout = timeout
        self.memory_mb = memory_mb
        self._ctx = multiprocessing.get_context("spawn")

    def _spawn(self) -> _Worker:
        return _Worker(self._ctx, self.fn, self.memory_mb)

    def map(self, jobs: Sequence[J], cancel: CancelToken | None = None) -> Iterator[tuple[int, R | Failure]]:
        """Yield (job index, result or Failure) for every job, in completion order."""
        pending = deque(range(len(jobs)))
        # A slot's worker is started on first need and again after one was killed.
        pool: list[_Worker | None] = [None] * min(self.workers, len(jobs))
        try:
            while pending or any(w is not None and w.job is not None for w in pool):
                if cancel is not None:
                    cancel.check()
                for slot, w in enumerate(pool):
                    if pending and (w is None or w.job is None):
                        if w is None:
                            w = pool[slot] = self._spawn()
                        idx = pending.popleft()
                        try:
                            w.send(idx, jobs[idx])
                        except (OSError, ValueError) as exc:  # the worker died while idle
                            w.kill()
                            pool[slot] = None
                            yield idx, Failure(MSG_CRASH, repr(exc))
                yield from self._collect(pool)
        finally:
            for w in pool:
                if w is not None:
                    w.stop() if w.job is None else w.kill()

    def _collect(self, pool: list[_Worker | None]) -> Iterator[tuple[int, R | Failure]]:
        busy = [(slot, w) for slot, w in enumerate(pool) if w is not None and w.job is not None]
        if not busy:
            return
        next_deadline = min(w.started + self.timeout for _, w in busy)
        timeout = max(0.0, min(_POLL_S, next_deadline - time.monotonic()))
        ready = wait([w.conn for _, w in busy], timeout=timeout)
        for slot, w in busy:
            idx = w.job
            assert idx is not None
            failure: Failure | None = None
            if w.conn in ready:
                try:
                    got_idx, (_status, value) = w.conn.recv()
                except (EOFError, OSError, MemoryError) as exc:
                    code = w.proc.exitcode
                    log.warning("reader process died on job %d (exit code %s)", idx, code)
                    failure = Failure(MSG_CRASH, f"exit code {code}: {exc!r}")
                else:
                    w.job = None
                    yield got_idx, value
                    continue
            elif time.monotonic() - w.started > self.timeout:
                log.warning("reader process timed out on job %d after %.0f s", idx, self.timeout)
                failure = Failure(MSG_TIMEOUT.format(seconds=self.timeout), "timeout")
            if failure is not None:
                w.kill()
                pool[slot] = None
                yield idx, failure
