"""Worker processes end when their parent dies (issue #13): the index writer processes of a full build and
the sandbox's reader processes, when the CLI (or the app) is SIGKILLed mid-build."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from app.core import procguard

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc; prctl is Linux-only")


# -- /proc helpers ---------------------------------------------------------------------------------------
def _stat(pid: int) -> tuple[str, int, int] | None:
    """(state, ppid, start time) of a process, or None when it is gone."""
    try:
        raw = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = raw[raw.rindex(")") + 2:].split()
    return fields[0], int(fields[1]), int(fields[19])


def _cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""


def _children(pid: int) -> dict[int, int]:
    """Direct children of `pid`: child pid -> start time (to tell a reused pid apart)."""
    out: dict[int, int] = {}
    for d in Path("/proc").iterdir():
        if d.name.isdigit():
            st = _stat(int(d.name))
            if st is not None and st[1] == pid:
                out[int(d.name)] = st[2]
    return out


def _descendants(pid: int) -> dict[int, int]:
    found: dict[int, int] = {}
    todo = [pid]
    while todo:
        for child, start in _children(todo.pop()).items():
            if child not in found:
                found[child] = start
                todo.append(child)
    return found


def _alive(pid: int, start: int) -> bool:
    st = _stat(pid)
    return st is not None and st[2] == start and st[0] not in ("Z", "X")  # a zombie has exited


def _survivors(procs: dict[int, int], within: float) -> dict[int, str]:
    deadline = time.monotonic() + within
    while True:
        alive = {p: _cmdline(p) for p, s in procs.items() if _alive(p, s)}
        if not alive or time.monotonic() > deadline:
            return alive
        time.sleep(0.05)


def _kill_all(procs: dict[int, int]) -> None:
    for p, s in procs.items():
        if _alive(p, s):
            os.kill(p, signal.SIGKILL)


# -- procguard itself ---------------------------------------------------------------------------------------
_MIDDLE = textwrap.dedent("""
    import multiprocessing, sys, time
    from app.core import procguard

    def child(no_prctl):
        if no_prctl:  # only the watchdog thread is left to notice the parent's death
            procguard.set_parent_death_signal = lambda *a, **k: False
        procguard.guard_child()
        while True:
            time.sleep(1)

    if __name__ == "__main__":
        ctx = multiprocessing.get_context(sys.argv[1])
        p = ctx.Process(target=child, args=(sys.argv[2] == "1",))
        p.start()
        print(p.pid, flush=True)
        time.sleep(600)
""")


@pytest.mark.parametrize("method", ["spawn", "fork"])
@pytest.mark.parametrize("no_prctl", [False, True], ids=["prctl+watchdog", "watchdog-only"])
def test_guarded_child_dies_with_its_parent(tmp_path: Path, method: str, no_prctl: bool) -> None:
    script = tmp_path / "middle.py"
    script.write_text(_MIDDLE, encoding="utf-8")
    middle = subprocess.Popen([sys.executable, str(script), method, "1" if no_prctl else "0"], cwd=ROOT,
                              stdout=subprocess.PIPE, text=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
    try:
        assert middle.stdout is not None
        child = int(middle.stdout.readline())
        time.sleep(0.5)  # the child is guarded by now
        st = _stat(child)
        assert st is not None
        procs = {child: st[2]}
        middle.kill()
        middle.wait(5)
        survivors = _survivors(procs, 5.0)
        _kill_all(procs)
        assert not survivors, survivors
    finally:
        if middle.poll() is None:
            middle.kill()
            middle.wait(5)
        if middle.stdout is not None:
            middle.stdout.close()


def test_guard_child_is_idempotent_and_noop_for_a_live_parent() -> None:
    code = ("import os, sys, time\nfrom app.core import procguard\n"
            "procguard.guard_child(); procguard.guard_child(os.getppid())\n"
            "time.sleep(1.2)\nprint('alive')\n")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=30,
                         env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "alive"


def test_child_whose_parent_already_died_leaves_at_once() -> None:
    code = "from app.core import procguard\nprocguard.guard_child(1)\nprint('still here')\n"
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=30,
                         env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert out.returncode == procguard.EXIT_ORPHANED
    assert "still here" not in out.stdout


# -- the real CLI build ----------------------------------------------------------------------------------------
def _is_spawned(pid: int) -> bool:
    """Both the readers (the sandbox) and whoosh's writer tasks are spawned processes. A build of the shipped
    corpus reads it in the CLI's own process, so there the spawned ones are the writers."""
    return "spawn_main" in _cmdline(pid)


@pytest.mark.slow
@pytest.mark.parametrize("phase", ["readers", "writers"])
def test_killed_full_build_leaves_no_worker_processes(tmp_path: Path, phase: str) -> None:
    """SIGKILL `policydesk index --full` while its reader (sandbox) or writer (whoosh) processes run:
    every process it started is gone within 5 s."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    extra: list[str] = []
    if phase == "readers":  # added files (unlike the shipped corpus) are read in the sandbox's processes
        added = tmp_path / "added"
        added.mkdir()
        for f in sorted((ROOT / "corpus" / "laws").glob("*.md")):  # changed copies: never deduplicated
            (added / f"副本{f.name}").write_text(f"# 副本 {f.stem}\n\n" + f.read_text(encoding="utf-8"), encoding="utf-8")
        extra = [str(tmp_path / "added")]
    proc = subprocess.Popen([sys.executable, "-m", "app", "--data-dir", str(tmp_path / "data"), "index", "--full",
                             *extra], cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    procs: dict[int, int] = {}
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and proc.poll() is None:
            kids = _descendants(proc.pid)
            wanted = [p for p in kids if _is_spawned(p)]
            if wanted and (phase == "readers" or len(wanted) >= 2):
                procs = kids
                break
            time.sleep(0.02)
        if not procs:
            pytest.fail(f"the build ended (rc={proc.poll()}) before its {phase} were seen")
        time.sleep(0.3)  # let them get to work (and, for the writers, start on their queue)
        procs.update(_descendants(proc.pid))
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(10)
        survivors = _survivors(procs, 5.0)
        print(f"{phase}: killed the CLI with {len(procs)} descendants; survivors after 5 s: {survivors}")
        assert not survivors, survivors
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(10)
        _kill_all(procs)
