"""Child processes that end when their parent dies (issue #13).

A worker process (whoosh's index writer tasks, the sandbox's readers) that outlives a killed parent keeps
~120 MB and, for whoosh, blocks forever on a queue whose other end a sibling still holds. `guard_child()`,
called first thing in the child, makes it exit when the parent goes away, by two independent means:

* Linux: `prctl(PR_SET_PDEATHSIG, SIGKILL)`, so the kernel kills the child with the parent. The kernel
  ties this to the parent *thread* that started the child: start and finish a worker on one thread (both
  users here do: whoosh's writer joins its tasks at commit, `Sandbox.map` stops its workers in `finally`).
* Everywhere: a daemon watchdog thread. On POSIX it polls `os.getppid()` (a child re-parented to init or a
  subreaper sees another pid); on Windows it waits on a handle of the parent process. When the parent is
  gone the child leaves with `os._exit(EXIT_ORPHANED)`: no cleanup runs that could block on the dead
  parent's queues or locks.

Standard library only; safe to call more than once (the second call does nothing).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import logging
import os
import signal
import sys
import threading
import time

log = logging.getLogger("policydesk.procguard")

EXIT_ORPHANED = 70  # the exit status of a worker that left because its parent died
POLL_S = 0.5
PR_SET_PDEATHSIG = 1
_SYNCHRONIZE = 0x00100000
_INFINITE = 0xFFFFFFFF

_installed = False
_lock = threading.Lock()


def set_parent_death_signal(sig: int = signal.SIGKILL if hasattr(signal, "SIGKILL") else 9) -> bool:
    """Linux: ask the kernel to send `sig` to this process when its parent (thread) dies. False elsewhere."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        if libc.prctl(PR_SET_PDEATHSIG, ctypes.c_ulong(sig), 0, 0, 0) != 0:
            log.warning("prctl(PR_SET_PDEATHSIG) failed: errno %d", ctypes.get_errno())
            return False
    except (OSError, AttributeError) as exc:  # no libc / no prctl: the watchdog still works
        log.warning("prctl unavailable: %s", exc)
        return False
    return True


def parent_alive(parent_pid: int) -> bool:
    """POSIX: is `parent_pid` still this process's parent? (Windows: is the process still there?)"""
    if os.name == "nt":
        return _win_process_alive(parent_pid)
    return os.getppid() == parent_pid


def _win_process_alive(pid: int) -> bool:  # pragma: no cover - Windows only
    kernel32 = ctypes.windll.kernel32  # type: ignore[attr-defined]
    handle = kernel32.OpenProcess(_SYNCHRONIZE, False, pid)
    if not handle:
        return False
    try:
        return bool(kernel32.WaitForSingleObject(handle, 0) != 0)  # 0 = WAIT_OBJECT_0: it has exited
    finally:
        kernel32.CloseHandle(handle)


def _leave() -> None:
    os._exit(EXIT_ORPHANED)


def _watch_posix(parent_pid: int, poll_s: float) -> None:
    while True:
        time.sleep(poll_s)
        if os.getppid() != parent_pid:
            _leave()


def _watch_windows(parent_pid: int, poll_s: float) -> None:  # pragma: no cover - Windows only
    kernel32 = ctypes.windll.kernel32  # type: ignore[attr-defined]
    handle = kernel32.OpenProcess(_SYNCHRONIZE, False, parent_pid)
    if not handle:
        _leave()
    kernel32.WaitForSingleObject(handle, _INFINITE)  # returns when the parent process has exited
    _leave()


def guard_child(parent_pid: int | None = None, *, poll_s: float = POLL_S) -> None:
    """Make this (child) process exit when the process `parent_pid` (default: the current parent) dies.

    Pass the pid the parent recorded before starting the child: if the parent died before this call,
    the child leaves at once instead of guarding the wrong process.
    """
    global _installed
    with _lock:
        if _installed:
            return
        _installed = True
    ppid = os.getppid() if parent_pid is None else parent_pid
    set_parent_death_signal()
    if not parent_alive(ppid):  # the parent died before prctl took effect
        _leave()
    target = _watch_windows if os.name == "nt" else _watch_posix
    threading.Thread(target=target, args=(ppid, poll_s), name="policydesk-parent-watch", daemon=True).start()
