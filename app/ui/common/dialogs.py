"""Error reporting for the desktop app: one `show_error`, logging to the data dir, the excepthook."""

from __future__ import annotations

import logging
import logging.handlers
import sys
import traceback
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from app.core.errors import Cancelled, PolicyDeskError
from app.ui.common import strings as S

log = logging.getLogger("policydesk.ui")

_log_file: Path | None = None


def setup_logging(log_dir: Path) -> Path:
    """Log to `<data>/logs/policydesk.log` (rotated); returns the file's path."""
    global _log_file
    log_dir.mkdir(parents=True, exist_ok=True)
    path = log_dir / "policydesk.log"
    root = logging.getLogger("policydesk")
    if not any(getattr(h, "baseFilename", None) == str(path) for h in root.handlers):
        handler = logging.handlers.RotatingFileHandler(path, maxBytes=2_000_000, backupCount=3,
                                                       encoding="utf-8")
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s %(threadName)s: %(message)s"))
        root.addHandler(handler)
    root.setLevel(logging.INFO)
    _log_file = path
    return path


def error_message(exc: BaseException) -> str:
    """The Chinese text the user sees for `exc`; never a traceback."""
    if isinstance(exc, PolicyDeskError):
        return exc.message
    if _log_file is not None:
        return S.ERROR_UNEXPECTED.format(log=_log_file)
    return S.ERROR_UNEXPECTED_NO_LOG


def show_error(parent: QWidget | None, exc: BaseException) -> QMessageBox | None:
    """Tell the user what went wrong, in Chinese. Ignores `Cancelled`; logs unexpected errors.

    The box is window-modal but opened without a nested event loop, so background work keeps going.
    """
    if isinstance(exc, Cancelled):
        return None
    if isinstance(exc, PolicyDeskError):
        log.warning("error shown: %s (%s)", exc.message, exc.detail or "")
    else:
        log.error("unexpected error", exc_info=(type(exc), exc, exc.__traceback__))
    if QApplication.instance() is None:
        return None
    box = QMessageBox(QMessageBox.Icon.Warning, S.ERROR_TITLE, error_message(exc),
                      QMessageBox.StandardButton.Ok, parent)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.setWindowModality(Qt.WindowModality.WindowModal if parent else Qt.WindowModality.ApplicationModal)
    box.open()
    return box


def excepthook(etype: type[BaseException], value: BaseException, tb: TracebackType | None) -> None:
    """Last resort for exceptions escaping Qt slots: log them and show a friendly dialog."""
    if issubclass(etype, KeyboardInterrupt):
        sys.__excepthook__(etype, value, tb)
        return
    log.error("uncaught exception:\n%s", "".join(traceback.format_exception(etype, value, tb)))
    try:
        show_error(QApplication.activeWindow(), value)
    except Exception:  # the dialog itself must never raise from the hook
        log.exception("could not show the error dialog")
