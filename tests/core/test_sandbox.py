"""The reader sandbox on real child processes: a hanging, memory-hungry or crashing job fails alone."""

from __future__ import annotations

import os
import sys
import time

import pytest

from app.core.errors import Cancelled
from app.core.progress import CancelToken
from app.core.sandbox import MSG_CRASH, MSG_MEMORY, Failure, Sandbox

pytestmark = pytest.mark.slow


def job(kind: str) -> str:
    """Module-level so that spawned workers can import it."""
    if kind == "hang":
        time.sleep(600)
    elif kind == "hog":
        blocks = []
        while True:  # grow until the address-space limit stops it
            blocks.append(bytearray(64 * 1024 * 1024))
    elif kind == "crash":
        os._exit(3)
    elif kind == "raise":
        raise ValueError("broken file")
    return kind.upper()


def _run(jobs: list[str], **kw: object) -> dict[int, object]:
    return dict(Sandbox(job, **kw).map(jobs))  # type: ignore[arg-type]


def test_results_of_every_job_in_two_workers() -> None:
    jobs = [f"f{i}" for i in range(7)]
    assert _run(jobs, workers=2) == {i: j.upper() for i, j in enumerate(jobs)}


def test_hanging_job_times_out_and_the_rest_of_the_batch_completes() -> None:
    t0 = time.monotonic()
    out = _run(["a", "hang", "b", "c"], workers=1, timeout=3)
    assert time.monotonic() - t0 < 30
    assert out[0] == "A" and out[2] == "B" and out[3] == "C"
    failed = out[1]
    assert isinstance(failed, Failure) and "读取超时" in failed.message and "3" in failed.message


@pytest.mark.skipif(sys.platform == "win32", reason="RLIMIT_AS is POSIX")
def test_memory_hog_is_stopped_by_the_limit() -> None:
    out = _run(["hog", "ok"], workers=1, memory_mb=1024)
    assert out[1] == "OK"
    assert isinstance(out[0], Failure) and out[0].message in (MSG_MEMORY, MSG_CRASH)


def test_crash_and_exception_fail_their_job_only() -> None:
    out = _run(["crash", "x", "raise", "y"], workers=2)
    assert out[1] == "X" and out[3] == "Y"
    assert isinstance(out[0], Failure) and out[0].message == MSG_CRASH
    assert isinstance(out[2], Failure) and "ValueError" in out[2].message and "broken file" in out[2].detail


def test_cancel_stops_the_batch_and_kills_busy_workers() -> None:
    token = CancelToken()
    box = Sandbox(job, workers=1, timeout=60)
    seen = []
    t0 = time.monotonic()
    with pytest.raises(Cancelled):
        for idx, res in box.map(["a", "hang", "b"], cancel=token):
            seen.append((idx, res))
            token.cancel()
    assert seen == [(0, "A")] and time.monotonic() - t0 < 20
