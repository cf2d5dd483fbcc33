"""The main window over the real engine and index, with real thread pools (pytest-qt, offscreen)."""

from __future__ import annotations

import re
import time
from collections.abc import Callable

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QPushButton
from pytestqt.qtbot import QtBot

from app.core.library import Library
from app.ui.common import strings as S
from app.ui.common.theme import LIGHT
from app.ui.reader import strings as RS
from app.ui.search import strings as SS
from app.ui.search.resultlist import HitRole
from app.ui.window import strings as WS
from app.ui.window.mainwindow import MainWindow

Search = Callable[[MainWindow, str], None]
Open = Callable[..., MainWindow]


def test_window_shows_in_chinese(window: MainWindow) -> None:
    assert window.isVisible()
    assert "政策案头" in window.windowTitle()
    assert window.search.box.placeholderText() == SS.SEARCH_PLACEHOLDER
    assert window.reader.isReadOnly()
    assert RS.READER_EMPTY in window.reader.toPlainText()


def test_search_select_and_read(qtbot: QtBot, window: MainWindow, library: Library, search_for: Search) -> None:
    search_for(window, "垃圾分类")
    model = window.search.model
    assert model.rowCount() > 1
    first = model.index(0).data(HitRole)
    assert "<mark>" in first.snippet
    # The count and time, then the engine's notices if any (垃圾分类 is also matched in parts: 垃圾 … 分类).
    assert re.fullmatch(r"共 \d+ 条(，已显示 \d+ 条)? · \d+ 毫秒(\n.+)?", window.search.status.text())

    # The first result is selected on arrival; pick the second one by hand.
    second = model.index(1).data(HitRole)
    window.search.list.setCurrentIndex(model.index(1))
    qtbot.waitUntil(lambda: window.reader.current_clause_id == second.id, timeout=5_000)
    clause = library.clause(second.id)
    text = window.reader.toPlainText()
    assert clause.text.splitlines()[0][:30] in text
    assert second.doc_title in text and second.doc_title in window.reader_pane.header.text()
    html = window.reader.toHtml()
    assert LIGHT.selected_clause in html  # the selected clause sits on its tinted block
    assert LIGHT.mark in html  # and the query terms are marked
    bar = window.reader.verticalScrollBar()
    assert bar.maximum() == 0 or bar.value() > 0 or clause.ordinal < 3  # scrolled to the clause


def test_arrow_keys_enter_and_escape(qtbot: QtBot, window: MainWindow, search_for: Search) -> None:
    search_for(window, "垃圾分类")
    lst, box = window.search.list, window.search.box
    assert lst.currentIndex().row() == 0
    qtbot.keyClick(box, Qt.Key.Key_Down)
    qtbot.keyClick(box, Qt.Key.Key_Down)
    assert lst.currentIndex().row() == 2
    qtbot.keyClick(box, Qt.Key.Key_Up)
    assert lst.currentIndex().row() == 1
    hit = lst.currentIndex().data(HitRole)
    qtbot.waitUntil(lambda: window.reader.current_clause_id == hit.id, timeout=5_000)
    # Enter on an unchanged query opens the selected result in the reading pane.
    window.activateWindow()
    box.setFocus()
    qtbot.keyClick(box, Qt.Key.Key_Return)
    qtbot.waitUntil(window.reader.hasFocus, timeout=2_000)
    box.setFocus()
    qtbot.keyClick(box, Qt.Key.Key_Escape)
    assert box.text() == "" and window.search.model.rowCount() == 0
    assert window.reader.current_clause_id is None


def test_shortcuts_focus_the_search_box(qtbot: QtBot, window: MainWindow) -> None:
    window.activateWindow()
    qtbot.waitActive(window)
    for key in (Qt.Key.Key_K, Qt.Key.Key_F):
        window.reader.setFocus()
        qtbot.waitUntil(window.reader.hasFocus, timeout=2_000)
        qtbot.keyClick(window, key, Qt.KeyboardModifier.ControlModifier)
        qtbot.waitUntil(window.search.box.hasFocus, timeout=2_000)


def test_typing_debounces_and_stale_results_are_dropped(qtbot: QtBot, window: MainWindow) -> None:
    panel = window.search
    panel.box.setFocus()
    with qtbot.waitSignal(panel.search_finished, timeout=5_000) as blocker:
        qtbot.keyClicks(panel.box, "LNG")  # ASCII only: keyClicks with Chinese aborts the process
        assert panel.debounce.isActive()
    assert blocker.args[0].query == "LNG"
    # Two requests in flight on the read pool: whichever finishes last, only the newer one is shown.
    shown: list[str] = []
    panel.search_finished.connect(lambda r: shown.append(r.query))
    panel.box.setText("垃圾分类")
    panel.search_now()
    panel.box.setText("LNG 储能")
    panel.search_now()
    qtbot.waitUntil(lambda: bool(shown), timeout=5_000)
    qtbot.wait(300)  # give the stale result time to arrive (and be dropped)
    assert shown == ["LNG 储能"] and panel._shown_query == "LNG 储能"
    assert all("垃圾分类" not in h.snippet for h in panel.model.hits)


def test_first_run_builds_index_with_progress(qtbot: QtBot, small_fresh_library: Library,
                                              open_window: Open) -> None:
    lib = small_fresh_library
    assert lib.needs_index()
    win = open_window(lib, start=False)
    gaps: list[float] = []
    shown: list[bool] = []
    last = [time.monotonic()]

    def tick() -> None:  # the GUI thread's heartbeat: must keep beating while the index builds
        now = time.monotonic()
        gaps.append(now - last[0])
        shown.append(win.progress.isVisible())
        last[0] = now

    heartbeat = QTimer(win)
    heartbeat.timeout.connect(tick)
    heartbeat.start(50)
    updates: list[tuple[int, int, str]] = []
    update_bar = win.progress.update_progress

    def record(done: int, total: int, message: str) -> None:
        updates.append((done, total, message))
        update_bar(done, total, message)

    win.progress.update_progress = record  # type: ignore[method-assign]
    started = time.monotonic()
    win.start()
    box = win.search.box
    assert not box.isEnabled() and not win.progress.isVisible()  # no flash of a progress bar
    qtbot.waitUntil(lambda: box.placeholderText() == S.SEARCH_PLACEHOLDER_INDEXING, timeout=5_000)
    assert win.search.status.text() == WS.STATUS_INDEXING
    qtbot.waitUntil(box.isEnabled, timeout=120_000)
    heartbeat.stop()
    assert any(total > 0 for _, total, _ in updates), updates
    if time.monotonic() - started > 1.0:
        assert any(shown), "the progress bar should appear after ~600 ms"
    assert not win.progress.isVisible()
    assert box.placeholderText() == SS.SEARCH_PLACEHOLDER
    assert "索引已就绪" in win.statusBar().currentMessage()
    assert not lib.needs_index()
    assert max(gaps) < 1.5, f"GUI thread stalled for {max(gaps):.2f} s during indexing"
    box.setText("双控制度")
    with qtbot.waitSignal(win.search.search_finished, timeout=10_000) as blocker:
        qtbot.keyClick(box, Qt.Key.Key_Return)
    assert blocker.args[0].total > 0


def test_cancel_button_stops_first_build(qtbot: QtBot, fresh_library: Library, open_window: Open) -> None:
    win = open_window(fresh_library)
    qtbot.wait(300)
    assert not win.progress.isVisible()  # quick work never flashes a progress bar
    qtbot.waitUntil(win.progress.isVisible, timeout=5_000)
    assert win.progress.cancel_button.isEnabled()
    qtbot.mouseClick(win.progress.cancel_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: win.index_handle is None, timeout=10_000)
    assert not win.progress.isVisible()
    assert not win.search.box.isEnabled()
    assert win.search.box.placeholderText() == S.SEARCH_PLACEHOLDER_NO_INDEX
    assert win.reindex_action.isEnabled()
    assert fresh_library.needs_index()


def test_closing_during_indexing_asks_and_cancels(qtbot: QtBot, fresh_library: Library, open_window: Open) -> None:
    win = open_window(fresh_library)
    qtbot.waitUntil(lambda: win.search.box.placeholderText() == S.SEARCH_PLACEHOLDER_INDEXING, timeout=5_000)
    assert win.tasks.busy()
    assert not win.close()  # refused: a question is asked instead
    box = win.findChild(QMessageBox, "closeBusyBox")
    assert box is not None and box.isVisible()
    labels = {b.text(): b for b in box.findChildren(QPushButton)}
    assert set(labels) >= {WS.CLOSE_WAIT, WS.CLOSE_CANCEL}
    started = time.monotonic()
    labels[WS.CLOSE_CANCEL].click()
    qtbot.waitUntil(lambda: not win.isVisible(), timeout=10_000)
    assert time.monotonic() - started < 10
    assert win.tasks.active_count() == 0
    assert win.tasks.wait_all(0)
    QApplication.processEvents()  # deliver deferred deletes while the test still owns the window
