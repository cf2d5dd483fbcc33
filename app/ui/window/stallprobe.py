"""Longest GUI-thread stall during a full re-index of the shipped corpus: `python scripts/stall_probe.py`.

Opens the main window offscreen on a throw-away data dir, lets the first build finish, then starts a
full re-index (文库 › 更新索引) while a QTimer fires every 10 ms on the GUI thread and records the largest
gap between two firings. Prints the figure (target: < 100 ms). A search and the 指标 view are exercised
during the build too, as a user would.
"""

from __future__ import annotations

import sys
import tempfile
import time

from PySide6.QtCore import QEventLoop, QTimer

from app.core.library import Library
from app.core.paths import AppPaths
from app.ui.main import ensure_app
from app.ui.window.mainwindow import MainWindow

PROBE_MS = 10


def main() -> int:
    app = ensure_app()
    with tempfile.TemporaryDirectory(prefix="policydesk-stall-") as tmp:
        win = MainWindow(Library(AppPaths.resolve(tmp)))
        win.resize(1280, 800)
        win.show()
        win.start()

        def spin_until(cond: object, timeout: float = 600) -> None:
            end = time.monotonic() + timeout
            while not cond():  # type: ignore[operator]
                if time.monotonic() > end:
                    raise TimeoutError
                app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 20)
                time.sleep(0.002)

        spin_until(lambda: win.search.box.isEnabled() and win.index_handle is None)
        gaps: list[float] = []
        when: list[float] = []
        last = [time.perf_counter()]

        def tick() -> None:
            now = time.perf_counter()
            gaps.append((now - last[0]) * 1000)
            when.append(now - t0)
            last[0] = now

        probe = QTimer()
        probe.setInterval(PROBE_MS)
        probe.timeout.connect(tick)
        t0 = time.perf_counter()
        last[0] = t0
        probe.start()
        win.start_indexing(only_if_needed=False, full=True)
        QTimer.singleShot(300, lambda: win.tabs.setCurrentIndex(1))
        spin_until(lambda: win.index_handle is None)
        probe.stop()
        seconds = time.perf_counter() - t0
        win.shutdown()
        win.close()
    worst = max(gaps) if gaps else 0.0
    at = when[gaps.index(worst)] if gaps else 0.0
    over = sum(1 for g in gaps if g > 50)
    print(f"full re-index: {seconds:.1f} s, {len(gaps)} probe ticks, longest GUI stall {worst:.0f} ms at {at:.2f} s "
          f"({over} gaps > 50 ms; target < 100 ms)")
    return 0 if worst < 100 else 1


if __name__ == "__main__":
    sys.exit(main())
