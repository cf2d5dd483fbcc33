"""已废止 / 已被修改 as the library itself tells it (app.core.validity), in 文件库 and the reading pane."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from app.ui.common.lazyview import em
from app.ui.window.mainwindow import MainWindow

OLD_ENERGY = "上海市建筑节能条例(2010-09-17)"
GREEN = "上海市绿色建筑条例(2024-09-27)"
PROVISION = "《上海市绿色建筑条例》第四十六条，2025年1月1日起"


def _open_library(qtbot: QtBot, win: MainWindow) -> None:
    with qtbot.waitSignal(win.library_view.loaded, timeout=10_000):
        win.tabs.setCurrentWidget(win.library_view)


def test_library_status_column_says_repealed_with_the_provision(qtbot: QtBot, window: MainWindow) -> None:
    _open_library(qtbot, window)
    view = window.library_view
    row = next(r for r in range(view.model.rowCount()) if view.model.item(r, 0).text() == "《上海市建筑节能条例》")
    status = view.model.item(row, 4)
    assert status.text() == "已废止"
    assert PROVISION in status.toolTip() and "同时废止" in status.toolTip()
    green = next(r for r in range(view.model.rowCount()) if view.model.item(r, 0).text() == "《上海市绿色建筑条例》")
    assert view.model.item(green, 4).text() == "现行有效"
    assert view.model.item(green, 4).toolTip() == "现行有效"
    # Titles get the room; the clause count column is only as wide as its header.
    table = view.table
    assert table.columnWidth(0) > 3 * table.columnWidth(5)
    assert table.columnWidth(5) <= em(table, 5) + 1


def test_reading_pane_header_names_the_repealing_provision(qtbot: QtBot, window: MainWindow) -> None:
    pane = window.reader_pane
    window.reader.show_clause(f"{OLD_ENERGY}/第一条")
    qtbot.waitUntil(lambda: pane.validity.isVisible(), timeout=5_000)
    assert pane.validity.text() == f"已废止：{PROVISION}"
    assert "《上海市建筑节能条例》同时废止" in pane.validity.toolTip()
    window.reader.show_clause(f"{GREEN}/第一条")
    qtbot.waitUntil(lambda: window.reader.current_clause_id == f"{GREEN}/第一条", timeout=5_000)
    qtbot.waitUntil(lambda: not pane.validity.isVisible(), timeout=5_000)
    assert pane.validity.text() == ""
