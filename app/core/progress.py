"""Progress reporting and cooperative cancellation for slow engine calls."""

from __future__ import annotations

import threading
from typing import Protocol

from app.core.errors import Cancelled


class Progress(Protocol):
    """Receives progress of a long operation; `done`/`total` count units such as documents."""

    def __call__(self, done: int, total: int, message: str) -> None: ...


def null_progress(done: int, total: int, message: str) -> None:
    """Ignore progress."""


class CancelToken:
    """A thread-safe flag the caller sets; the engine checks it between units of work."""

    def __init__(self) -> None:
        self._event = threading.Event()

    def cancel(self) -> None:
        """Ask the running operation to stop at the next check."""
        self._event.set()

    @property
    def cancelled(self) -> bool:
        return self._event.is_set()

    def check(self) -> None:
        """Raise `Cancelled` when cancellation was requested."""
        if self._event.is_set():
            raise Cancelled()
