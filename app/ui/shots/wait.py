"""Waiting for the window in the screenshot scripts: process events until a condition holds, then let late
layouts settle. Shared by app.ui.shots.screens and the feature packages' own shots (app.ui.comments.shots,
app.ui.compare.shots), which app.ui.shots.screens runs in turn.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QEventLoop
from PySide6.QtWidgets import QApplication


def wait(app: QApplication, cond: Callable[[], bool], timeout: float = 120.0, settle: float = 0.3) -> None:
    end = time.monotonic() + timeout
    while not cond():
        if time.monotonic() > end:
            raise TimeoutError("the window did not get ready in time")
        app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
        time.sleep(0.01)
    end = time.monotonic() + settle  # let late layouts and scrolls land
    while time.monotonic() < end:
        app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
        time.sleep(0.01)
