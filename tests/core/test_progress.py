"""Progress reporting and cooperative cancellation (app.core.progress)."""

from __future__ import annotations

import threading

import pytest

from app.core.errors import Cancelled
from app.core.progress import CancelToken, Progress, null_progress


def test_a_fresh_token_lets_work_go_on() -> None:
    token = CancelToken()
    assert token.cancelled is False
    token.check()  # no exception


def test_cancel_makes_the_next_check_raise() -> None:
    token = CancelToken()
    token.cancel()
    assert token.cancelled is True
    with pytest.raises(Cancelled):
        token.check()
    token.cancel()  # idempotent
    assert token.cancelled


def test_cancel_from_another_thread_is_seen() -> None:
    token = CancelToken()
    t = threading.Thread(target=token.cancel)
    t.start()
    t.join()
    with pytest.raises(Cancelled):
        token.check()


def test_tokens_are_independent() -> None:
    a, b = CancelToken(), CancelToken()
    a.cancel()
    assert a.cancelled and not b.cancelled


def test_null_progress_and_a_recording_callback_fit_the_protocol() -> None:
    seen: list[tuple[int, int, str]] = []

    def record(done: int, total: int, message: str) -> None:
        seen.append((done, total, message))

    callbacks: list[Progress] = [null_progress, record]
    for cb in callbacks:
        assert cb(1, 3, "正在读取…") is None
    assert seen == [(1, 3, "正在读取…")]
