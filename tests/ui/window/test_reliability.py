"""Reliability of the desktop app (issue #13): SIGTERM/SIGINT close it like 退出 (no "上次程序未正常退出" at the
next start, no worker process left), the 检查数据 button shows its result, and a read-only or missing data
folder is caught at start with a choice (D10/D11)."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from app.core.library import Library
from app.core.paths import AppPaths
from app.core.userdata import UserStore
from app.core.userdata import datadir as dd
from app.core.userdata.integrity import LAST_CHECK_KEY
from app.core.userdata.recovery import MARKER
from app.ui import main as ui_main
from app.ui.window.mainwindow import MainWindow

ROOT = Path(__file__).resolve().parents[3]
Open = Callable[..., MainWindow]


# -- SIGTERM ends the app cleanly ------------------------------------------------------------------------------
def _descendants(pid: int) -> set[int]:
    kids: dict[int, list[int]] = {}
    for d in Path("/proc").iterdir():
        if d.name.isdigit():
            try:
                raw = (d / "stat").read_text()
            except OSError:
                continue
            fields = raw[raw.rindex(")") + 2:].split()
            if fields[0] not in ("Z", "X"):
                kids.setdefault(int(fields[1]), []).append(int(d.name))
    out: set[int] = set()
    todo = [pid]
    while todo:
        for k in kids.get(todo.pop(), []):
            if k not in out:
                out.add(k)
                todo.append(k)
    return out


def _alive(pid: int) -> bool:
    try:
        raw = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return raw[raw.rindex(")") + 2:].split()[0] not in ("Z", "X")


@pytest.mark.slow
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="POSIX signals; reads /proc")
@pytest.mark.parametrize("state", ["idle", "building"])
@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_signal_closes_the_app_like_quit(tmp_path: Path, built_library_dir: Path, state: str, signum: int) -> None:
    data = tmp_path / "data"
    if state == "idle":
        shutil.copytree(built_library_dir, data)  # the index is built: the app sits idle
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen([sys.executable, "-m", "app", "--data-dir", str(data)], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    kids: set[int] = set()
    try:
        deadline = time.monotonic() + 60
        ready = False
        while time.monotonic() < deadline and proc.poll() is None:
            ready = (data / MARKER).exists() and (state == "idle" or bool(_descendants(proc.pid)))
            if ready:
                break
            time.sleep(0.05)
        assert ready, f"the app did not get ready (rc={proc.poll()})"
        time.sleep(0.5 if state == "building" else 1.0)
        kids = _descendants(proc.pid)
        t0 = time.monotonic()
        proc.send_signal(signum)
        out, _ = proc.communicate(timeout=30)
        took = time.monotonic() - t0
        print(f"{signal.Signals(signum).name} while {state}: exit {proc.returncode} after {took:.1f} s; "
              f"{len(kids)} worker processes before")
        assert proc.returncode == 0, out
        assert "Traceback" not in out
        assert not (data / MARKER).exists()  # the clean-exit path removed it
        deadline = time.monotonic() + 5
        while any(_alive(k) for k in kids) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not [k for k in kids if _alive(k)]
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate(timeout=10)
    store, report = UserStore.open(data, backup_on_start=False)
    try:
        assert not report.unclean_exit
        assert not any("未正常退出" in m for m in report.messages)
    finally:
        store.close()


def test_quit_signals_reach_python_while_qt_runs(qtbot: QtBot) -> None:
    got: list[int] = []
    signals = ui_main.QuitSignals(got.append, (signal.SIGTERM,))
    try:
        os.kill(os.getpid(), signal.SIGTERM)
        qtbot.waitUntil(lambda: got == [signal.SIGTERM], timeout=3_000)
    finally:
        signals.restore()
    assert signal.getsignal(signal.SIGTERM) is signal.SIG_DFL or callable(signal.getsignal(signal.SIGTERM))


def test_signal_on_the_window_closes_it_like_quit(qtbot: QtBot, library: Library, open_window: Open) -> None:
    win = open_window(library)
    qtbot.waitUntil(win.search.box.isEnabled, timeout=20_000)
    app = ui_main.QApplication.instance()
    assert app is not None
    ui_main.quit_on_signal(app, win)(signal.SIGTERM)  # type: ignore[arg-type]
    qtbot.waitUntil(lambda: win._closed, timeout=15_000)
    assert not win.isVisible()


# -- 检查数据 -----------------------------------------------------------------------------------------------------
def test_check_data_button_shows_the_result(qtbot: QtBot, library: Library, open_window: Open) -> None:
    win = open_window(library)
    dlg = win.open_backups()
    qtbot.waitUntil(dlg.isVisible, timeout=5_000)
    assert dlg.check_button.text() == "检查数据"
    dlg.check_button.click()
    qtbot.waitUntil(lambda: "数据检查完成" in dlg.status.text(), timeout=30_000)
    assert "未发现问题" in dlg.status.text() and "搜索索引：正常" in dlg.status.text()
    assert dlg.check_result is not None and dlg.check_result.ok and dlg.check_button.isEnabled()
    assert library.user.get(LAST_CHECK_KEY)  # remembered: the weekly check at start waits a week
    dlg.close()


# -- the data folder at start ----------------------------------------------------------------------------------
@pytest.fixture
def no_remember(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    remembered: list[Path] = []
    monkeypatch.setattr(ui_main, "remember_data_dir", remembered.append)
    return remembered


def _make_read_only(monkeypatch: pytest.MonkeyPatch, folder: Path) -> None:
    folder.chmod(0o555)
    if os.geteuid() == 0:  # root writes anyway: make the probe see what a user would
        real = dd._probe_write
        monkeypatch.setattr(dd, "_probe_write",
                            lambda p: "PermissionError: Permission denied" if Path(p) == folder else real(p))


def test_writable_local_folder_asks_nothing(tmp_path: Path, no_remember: list[Path]) -> None:
    paths = AppPaths.resolve(tmp_path / "data")
    asked: list[dd.DataDirStatus] = []
    assert ui_main.settle_data_dir(paths, explicit=True, ask=lambda s: asked.append(s) or "quit") == (paths, None)
    assert asked == []


def test_read_only_folder_offers_read_only_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                no_remember: list[Path]) -> None:
    data = tmp_path / "data"
    store, _ = UserStore.open(data)
    store.add_task("c1", note="只读时也要看得到")
    store.close()
    _make_read_only(monkeypatch, data)
    try:
        asked: list[dd.DataDirStatus] = []
        settled = ui_main.settle_data_dir(AppPaths.resolve(data), explicit=True,
                                          ask=lambda s: asked.append(s) or "readonly")
        assert asked and asked[0].state == dd.READ_ONLY and "不可写" in asked[0].message
        assert "以只读方式打开" in asked[0].message
        assert settled is not None
        paths, original = settled
        assert original == data and paths.data != data
        store = UserStore(paths.user_db)
        try:
            assert [t.note for t in store.list_tasks()] == ["只读时也要看得到"]
        finally:
            store.close()
        assert no_remember == []
    finally:
        data.chmod(0o755)
        shutil.rmtree(paths.data, ignore_errors=True)


def test_read_only_folder_choose_another(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                         no_remember: list[Path]) -> None:
    data = tmp_path / "data"
    data.mkdir()
    _make_read_only(monkeypatch, data)
    other = tmp_path / "其他位置"
    other.mkdir()
    try:
        answers = iter(["choose"])
        settled = ui_main.settle_data_dir(AppPaths.resolve(data), explicit=True, ask=lambda s: next(answers),
                                          pick=lambda start: other)
        assert settled is not None and settled[0].data == other.resolve() and settled[1] is None
        assert no_remember == [other.resolve()]
        assert ui_main.settle_data_dir(AppPaths.resolve(data), explicit=True, ask=lambda s: "quit") is None
    finally:
        data.chmod(0o755)


def test_network_folder_warns_and_may_continue(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                               no_remember: list[Path]) -> None:
    monkeypatch.setattr(dd, "location_of", lambda path, mounts_text=None: ("network", "cifs"))
    asked: list[dd.DataDirStatus] = []
    paths = AppPaths.resolve(tmp_path / "data")
    assert ui_main.settle_data_dir(paths, explicit=True, ask=lambda s: asked.append(s) or "continue") == (paths, None)
    assert asked[0].location == "network" and "网络共享" in asked[0].message


def test_settings_menu_has_check_data(qtbot: QtBot, library: Library, open_window: Open) -> None:
    from app.ui.common import strings as S
    from app.ui.window import strings as WS

    win = open_window(library)
    menus = {a.text(): a.menu() for a in win.menuBar().actions() if a.menu() is not None}
    settings = menus[S.MENU_SETTINGS]
    action = next(a for a in settings.actions() if a.text() == WS.ACTION_CHECK_DATA)
    action.trigger()
    dlg = win.backup_dialog
    assert dlg is not None
    qtbot.waitUntil(lambda: "数据检查完成" in dlg.status.text(), timeout=30_000)
    assert dlg.check_result is not None and dlg.check_result.ok
    dlg.close()
