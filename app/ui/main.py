"""Start the desktop app: QApplication, data dir, single-instance lock, logging, the main window."""

from __future__ import annotations

import argparse
import dataclasses
import logging
import multiprocessing
import os
import shutil
import signal
import socket
import sys
import tempfile
from collections.abc import Callable
from contextlib import suppress
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QLibraryInfo, QLocale, QLockFile, QSettings, QSocketNotifier, QTimer, QTranslator
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox

from app.core.paths import ENV_HOME, AppPaths
from app.core.userdata import datadir
from app.ui.common import strings as S

if TYPE_CHECKING:
    from app.ui.window.mainwindow import MainWindow

log = logging.getLogger("policydesk.ui")

CJK_FAMILIES = ["Microsoft YaHei", "PingFang SC", "Noto Sans CJK SC", "WenQuanYi Micro Hei",
                "Source Han Sans SC", "SimHei"]
LOCK_NAME = "app.lock"
GUI_SWITCH_INTERVAL_S = 0.001
SIGNAL_POLL_MS = 200  # fallback when no wakeup fd can be set: Python runs its signal handlers this often
DATA_DIR_KEY = "dataDir"  # QSettings (per user, outside the data folder): a data folder chosen at start
WEEKLY_CHECK_DELAY_MS = 20_000  # after the window and the first index check have settled
QUIT_SIGNALS = tuple(getattr(signal, n) for n in ("SIGTERM", "SIGINT", "SIGHUP") if hasattr(signal, n))


def ensure_app(argv: list[str] | None = None) -> QApplication:
    """The QApplication (created once), named and with a CJK-capable default font."""
    app = QApplication.instance()
    if app is None:
        app = QApplication(argv if argv is not None else sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName(S.APP_NAME_EN)
    app.setOrganizationName(S.APP_NAME_EN)
    apply_cjk_font(app)
    install_qt_translations(app)
    # Background work (indexing, export) is Python in threads of this process: let it hand the GIL to
    # the GUI thread every 1 ms instead of 5 ms, or each Qt event that calls into Python (paint, event
    # filters, slots) can wait that long, and a tab opened during indexing stalls ~100 ms (measured).
    sys.setswitchinterval(GUI_SWITCH_INTERVAL_S)
    return app


_translators: list[QTranslator] = []  # kept alive for the life of the application


def install_qt_translations(app: QApplication) -> bool:
    """Qt's own texts (OK/Cancel of standard dialogs, context menus of text fields) in Simplified Chinese,
    from the qtbase_zh_CN catalogue shipped with PySide6. Once per application."""
    if _translators:
        return True
    tr = QTranslator(app)
    where = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if not tr.load(QLocale(QLocale.Language.Chinese, QLocale.Country.China), "qtbase", "_", where):
        return False
    app.installTranslator(tr)
    _translators.append(tr)
    return True


def apply_cjk_font(app: QApplication) -> None:
    font = QFont(app.font())
    base = font.family()
    font.setFamilies([*CJK_FAMILIES, base] if base not in CJK_FAMILIES else CJK_FAMILIES)
    if 0 < font.pointSizeF() < 10:
        font.setPointSizeF(10)
    app.setFont(font)


def acquire_instance_lock(paths: AppPaths) -> QLockFile | None:
    """Hold `<data>/app.lock`; None when another PolicyDesk already runs on this data dir."""
    lock = QLockFile(str(paths.data / LOCK_NAME))
    if lock.tryLock(0):
        return lock
    log.info("another instance holds %s (%s)", paths.data / LOCK_NAME, lock.error())
    return None


# Qt platform plugins that need a display server; the others (offscreen, minimal, eglfs, linuxfb, vnc …) do not.
_DISPLAY_PLATFORMS = {"xcb", "wayland", "wayland-egl", "wayland-brcm"}

NO_DISPLAY = ("无法打开桌面程序：没有图形显示环境（未设置 DISPLAY 或 WAYLAND_DISPLAY，"
              "例如通过 SSH 登录或在服务器上运行）。\n"
              "请在桌面会话中运行；命令行仍可使用，如 policydesk search 碳达峰（全部命令：policydesk --help）。")


def display_problem(env: dict[str, str] | None = None, platform: str | None = None) -> str | None:
    """Why the window cannot open here, in Chinese — or None. Linux (and other X11/Wayland systems) without
    DISPLAY/WAYLAND_DISPLAY, unless QT_QPA_PLATFORM names a platform that needs no display (offscreen,
    minimal …): Qt would abort the process with English messages instead."""
    env = dict(os.environ) if env is None else env
    platform = sys.platform if platform is None else platform
    if platform.startswith(("win", "darwin", "cygwin")):
        return None
    if env.get("DISPLAY") or env.get("WAYLAND_DISPLAY"):
        return None
    wanted = [p.split(":", 1)[0].strip().lower() for p in env.get("QT_QPA_PLATFORM", "").split(";") if p.strip()]
    if any(p not in _DISPLAY_PLATFORMS for p in wanted):
        return None
    return NO_DISPLAY


# -- signals: SIGTERM / SIGINT close the app like 退出 ------------------------------------------------------
class QuitSignals:
    """Let Python see SIGTERM/SIGINT/SIGHUP while Qt's event loop runs, and call `on_signal(signum)` on the
    GUI thread. Python's C handler writes the signal number to a socket (`signal.set_wakeup_fd`); a
    `QSocketNotifier` on the other end wakes the loop, and the Python handler runs. Without a wakeup fd a
    200 ms timer gives the interpreter the same chance. `restore()` puts the old handlers back."""

    def __init__(self, on_signal: Callable[[int], None], signals: tuple[int, ...] = QUIT_SIGNALS) -> None:
        self.on_signal = on_signal
        self.received: list[int] = []
        self._old: dict[int, Any] = {}
        self._old_fd: int | None = None
        self._socks: tuple[socket.socket, socket.socket] | None = None
        self._notifier: QSocketNotifier | None = None
        self._timer: QTimer | None = None
        for sig in signals:
            with suppress(ValueError, OSError):  # not the main thread, or a signal this OS lacks
                self._old[sig] = signal.signal(sig, self._handle)
        try:
            rsock, wsock = socket.socketpair()
            for sock in (rsock, wsock):
                sock.setblocking(False)
            self._old_fd = signal.set_wakeup_fd(wsock.fileno(), warn_on_full_buffer=False)
            self._socks = (rsock, wsock)
            self._notifier = QSocketNotifier(rsock.fileno(), QSocketNotifier.Type.Read)
            self._notifier.activated.connect(self._drain)
        except (ValueError, OSError) as exc:
            log.info("no signal wakeup fd (%s); polling every %d ms", exc, SIGNAL_POLL_MS)
            self._timer = QTimer()
            self._timer.timeout.connect(lambda: None)  # a trip into Python is all it takes
            self._timer.start(SIGNAL_POLL_MS)

    def _drain(self, *_args: object) -> None:
        if self._socks is not None:
            with suppress(OSError):
                while self._socks[0].recv(64):
                    pass

    def _handle(self, signum: int, _frame: object) -> None:
        self.received.append(signum)
        log.info("signal %d received: closing", signum)
        QTimer.singleShot(0, lambda: self.on_signal(signum))

    def restore(self) -> None:
        for sig, old in self._old.items():
            with suppress(ValueError, OSError, TypeError):
                signal.signal(sig, old)
        self._old = {}
        if self._socks is not None:
            with suppress(ValueError, OSError):
                signal.set_wakeup_fd(self._old_fd if self._old_fd is not None else -1)
            if self._notifier is not None:
                self._notifier.setEnabled(False)
                self._notifier.deleteLater()
                self._notifier = None
            for sock in self._socks:
                sock.close()
            self._socks = None
        if self._timer is not None:
            self._timer.stop()
            self._timer = None


def quit_on_signal(app: QApplication, window: MainWindow) -> Callable[[int], None]:
    """The first signal closes like 退出 (work cancelled, data saved and closed, marker removed); a
    second one closes at once without waiting for background work."""

    def on_signal(_signum: int) -> None:
        if window._closed:
            app.quit()
            return
        if window._close_when_idle:  # second signal: stop waiting
            window._forced = True
            window.close()
            return
        window.close_when_idle(cancel=True)

    return on_signal


# -- the data folder at start (D10/D11) ----------------------------------------------------------------------
def remembered_data_dir() -> str | None:
    v = QSettings(QSettings.Format.IniFormat, QSettings.Scope.UserScope, S.APP_NAME_EN, S.APP_NAME_EN).value(
        DATA_DIR_KEY)
    return v if isinstance(v, str) and v else None


def remember_data_dir(path: Path) -> None:
    qs = QSettings(QSettings.Format.IniFormat, QSettings.Scope.UserScope, S.APP_NAME_EN, S.APP_NAME_EN)
    qs.setValue(DATA_DIR_KEY, str(path))
    qs.sync()


def ask_data_dir(status: datadir.DataDirStatus) -> str:
    """The start-up dialog: "choose", "readonly", "continue" or "quit"."""
    icon = QMessageBox.Icon.Warning if status.writable else QMessageBox.Icon.Critical
    box = QMessageBox(icon, S.DATADIR_TITLE, status.message, QMessageBox.StandardButton.NoButton)
    box.setObjectName("dataDirBox")
    choose = box.addButton(S.DATADIR_CHOOSE, QMessageBox.ButtonRole.AcceptRole)
    answers = {choose: "choose"}
    if status.writable:
        answers[box.addButton(S.DATADIR_CONTINUE, QMessageBox.ButtonRole.RejectRole)] = "continue"
    elif status.state == datadir.READ_ONLY:
        answers[box.addButton(S.DATADIR_READONLY, QMessageBox.ButtonRole.ActionRole)] = "readonly"
    answers[box.addButton(S.DATADIR_QUIT, QMessageBox.ButtonRole.DestructiveRole)] = "quit"
    box.setDefaultButton(choose)
    box.exec()
    return answers.get(box.clickedButton(), "quit")  # type: ignore[call-overload]


def pick_folder(start: Path) -> Path | None:
    folder = QFileDialog.getExistingDirectory(None, S.DATADIR_PICK, str(start))
    return Path(folder) if folder else None


def readonly_copy(paths: AppPaths) -> AppPaths:
    """Paths for a read-only session: the user data copied to a temp folder (the original is never
    written); derived data stays where it is when that is writable, else it goes to the temp folder too."""
    tmp = Path(tempfile.mkdtemp(prefix="policydesk-readonly-"))
    for name in ("user.db", "user.db-wal", "ui.ini"):
        src = paths.data / name
        if src.is_file():
            with suppress(OSError):
                shutil.copy2(src, tmp / name)
    derived = paths.derived if datadir.classify(paths.derived).writable else tmp / "index"
    return dataclasses.replace(paths, data=tmp, derived=derived)


def settle_data_dir(paths: AppPaths, *, explicit: bool,
                    ask: Callable[[datadir.DataDirStatus], str] = ask_data_dir,
                    pick: Callable[[Path], Path | None] = pick_folder) -> tuple[AppPaths, Path | None] | None:
    """Check the data folder before anything is opened: (paths to use, the folder a read-only session was
    opened from, else None), or None to quit."""
    while True:
        status = datadir.classify(paths.data)
        log.info("data dir %s: %s, %s %s %s", paths.data, status.state, status.location, status.fs_type,
                 status.detail)
        if status.writable and status.location == "local":
            return paths, None
        answer = ask(status)
        if answer == "continue" and status.writable:
            return paths, None
        if answer == "readonly" and status.state == datadir.READ_ONLY:
            return readonly_copy(paths), paths.data
        if answer != "choose":
            return None
        folder = pick(paths.data.parent if paths.data.parent.exists() else Path.home())
        if folder is None:
            continue
        new = AppPaths.resolve(folder)
        if not explicit:  # keep the platform layout's derived folder; only the user data moves
            new = dataclasses.replace(paths, data=new.data)
        paths = new
        if datadir.classify(paths.data).writable:
            remember_data_dir(paths.data)


def schedule_weekly_check(window: MainWindow, delay_ms: int = WEEKLY_CHECK_DELAY_MS) -> None:
    """Once a week, at start: the full data check in the background; problems go to the data banner."""
    lib = window.library

    def work() -> Any:
        from app.core.userdata.integrity import run_weekly_check

        return run_weekly_check(lib.user, lib.paths.user_db, lib.paths.library_db, lib.paths.index_dir)

    def done(report: Any) -> None:
        if report is not None and not report.ok and not window._closed:
            window.data_banner.show_message(report.message, [(S.ACTION_BACKUPS_SHORT, window.open_backups)])

    def start() -> None:
        if not window._closed:
            window.tasks.run_read(work, done, on_error=lambda exc: log.warning("weekly data check: %s", exc),
                                  name="weekly_data_check")

    QTimer.singleShot(delay_ms, window, start)


def run_gui(options: argparse.Namespace) -> int:
    """Open the main window; returns the process exit code."""
    problem = display_problem()
    if problem:
        print(problem, file=sys.stderr)
        return 1
    # Index builds use worker processes (whoosh's multiprocessing writer). Forking a process whose
    # GUI thread may hold locks can deadlock the child: always spawn.
    multiprocessing.set_start_method("spawn", force=True)
    app = ensure_app()
    from app.ui.common import dialogs

    explicit = getattr(options, "data_dir", None) or os.environ.get(ENV_HOME)
    paths = AppPaths.resolve(explicit or None)
    if not explicit and (chosen := remembered_data_dir()):
        paths = dataclasses.replace(paths, data=Path(chosen))
    settled = settle_data_dir(paths, explicit=bool(explicit))
    if settled is None:
        return 0
    paths, read_only = settled
    try:
        paths.data.mkdir(parents=True, exist_ok=True)
        dialogs.setup_logging(paths.logs)
    except OSError as exc:
        QMessageBox.critical(None, S.ERROR_TITLE, S.LOCK_FAILED.format(path=exc.filename or ""))
        return 1
    lock = acquire_instance_lock(paths)
    if lock is None:
        QMessageBox.information(None, S.ALREADY_RUNNING_TITLE, S.ALREADY_RUNNING)
        return 0
    old_hook = sys.excepthook
    sys.excepthook = dialogs.excepthook
    try:
        from app.core.library import Library
        from app.ui.window.mainwindow import MainWindow

        log.info("starting; data dir %s, derived %s", paths.data, paths.derived)
        window = MainWindow(Library(paths))
        if read_only is not None:
            window.setWindowTitle(window.windowTitle() + S.READONLY_SUFFIX)
            window.data_banner.show_message(S.READONLY_BANNER.format(path=read_only))
        signals = QuitSignals(quit_on_signal(app, window))
        window.show()
        QTimer.singleShot(0, window.start)  # the window paints first, then the index check starts
        if read_only is None:
            schedule_weekly_check(window)
        try:
            rc = app.exec()
            window.shutdown()
        finally:
            signals.restore()
        log.info("exit %s%s", rc, f" (signal {signals.received[0]})" if signals.received else "")
        return int(rc)
    finally:
        sys.excepthook = old_hook
        lock.unlock()
