"""Start the desktop app: QApplication, data dir, single-instance lock, logging, the main window."""

from __future__ import annotations

import argparse
import logging
import multiprocessing
import sys

from PySide6.QtCore import QLibraryInfo, QLocale, QLockFile, QTimer, QTranslator
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication, QMessageBox

from app.core.paths import AppPaths
from app.ui import strings as S

log = logging.getLogger("policydesk.ui")

CJK_FAMILIES = ["Microsoft YaHei", "PingFang SC", "Noto Sans CJK SC", "WenQuanYi Micro Hei",
                "Source Han Sans SC", "SimHei"]
LOCK_NAME = "app.lock"
GUI_SWITCH_INTERVAL_S = 0.001


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


def run_gui(options: argparse.Namespace) -> int:
    """Open the main window; returns the process exit code."""
    # Index builds use worker processes (whoosh's multiprocessing writer). Forking a process whose
    # GUI thread may hold locks can deadlock the child: always spawn.
    multiprocessing.set_start_method("spawn", force=True)
    app = ensure_app()
    from app.ui import dialogs

    try:
        paths = AppPaths.resolve(getattr(options, "data_dir", None))
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
        from app.ui.mainwindow import MainWindow

        log.info("starting; data dir %s, derived %s", paths.data, paths.derived)
        window = MainWindow(Library(paths))
        window.show()
        QTimer.singleShot(0, window.start)  # the window paints first, then the index check starts
        rc = app.exec()
        window.shutdown()
        log.info("exit %s", rc)
        return int(rc)
    finally:
        sys.excepthook = old_hook
        lock.unlock()
