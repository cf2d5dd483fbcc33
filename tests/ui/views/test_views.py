"""The 指标 / 时间线 / 部门 / 文件库 views over the real index: load, sort, filter, click through."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from app.core.library import Library
from app.ui.views import strings as VS
from app.ui.views.indicators import COL_VALUE, SortRole
from app.ui.window.mainwindow import MainWindow


def double_click(qtbot: QtBot, widget: QWidget, pos: QPoint) -> None:
    """A real double click: press/release, then the double-click event (item views need the press)."""
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton, pos=pos)
    qtbot.mouseDClick(widget, Qt.MouseButton.LeftButton, pos=pos)


def show_tab(qtbot: QtBot, win: MainWindow, n: int) -> None:
    view = win.views[n - 1]
    with qtbot.waitSignal(view.loaded, timeout=10_000):
        win.tabs.setCurrentIndex(n)


def test_indicator_table_sorts_filters_and_opens(qtbot: QtBot, window: MainWindow, library: Library) -> None:
    show_tab(qtbot, window, 1)
    view = window.indicators
    rows = library.indicator_rows()
    assert view.model.rowCount() == len(rows) > 10
    view.table.sortByColumn(COL_VALUE, Qt.SortOrder.DescendingOrder)
    values = [view.proxy.index(r, COL_VALUE).data(SortRole) for r in range(view.proxy.rowCount())]
    assert values == sorted(values, reverse=True)
    view.filter_box.setText("覆盖率")
    assert 0 < view.proxy.rowCount() < view.model.rowCount()
    assert all("覆盖率" in view.proxy.index(r, 0).data() for r in range(view.proxy.rowCount()))
    cid = view.clause_at(0)
    assert cid is not None
    rect = view.table.visualRect(view.proxy.index(0, 0))
    double_click(qtbot, view.table.viewport(), rect.center())
    qtbot.waitUntil(lambda: window.reader.current_clause_id == cid, timeout=5_000)
    assert window.tabs.currentIndex() == 0


def test_timeline_year_lists_its_clauses(qtbot: QtBot, window: MainWindow, library: Library) -> None:
    show_tab(qtbot, window, 2)
    view = window.timeline
    years = [view.years.item(i).data(Qt.ItemDataRole.UserRole + 1) for i in range(view.years.count())]
    assert {2026, 2027, 2028, 2029, 2030, 2035} <= set(years)
    view.select_year(2028)
    assert any("中期评估" in view.clauses.topLevelItem(i).text(0) for i in range(view.clauses.topLevelItemCount()))
    view.select_year(2030)
    ids = view.clause_ids()
    links = library.links(ids)
    assert len(ids) > 10
    assert sum(1 for i in ids if links[i].deadline and links[i].deadline.year == 2030) >= len(ids) - 2
    item = view.clauses.topLevelItem(3)
    view.clauses.itemActivated.emit(item, 0)  # what Enter/double-click does  # noqa: RUF100
    qtbot.waitUntil(lambda: window.reader.current_clause_id == ids[3], timeout=5_000)


def test_department_view_lists_lead_and_support(qtbot: QtBot, window: MainWindow, library: Library) -> None:
    show_tab(qtbot, window, 3)
    view = window.departments
    assert view.select("市生态环境局")
    lead_group, support_group = view.clauses.topLevelItem(0), view.clauses.topLevelItem(1)
    expected = library.department_clauses("市生态环境局")[0]
    assert lead_group.text(0) == VS.DEPT_LEAD.format(n=len(expected["lead"]))
    assert support_group.childCount() == len(expected["support"])
    first = lead_group.child(0)
    rect = view.clauses.visualItemRect(first)
    double_click(qtbot, view.clauses.viewport(), rect.center())
    qtbot.waitUntil(lambda: window.reader.current_clause_id == expected["lead"][0]["id"], timeout=5_000)


def test_library_view_lists_documents_and_scopes_search(qtbot: QtBot, window: MainWindow, library: Library,
                                                       search_for: object) -> None:
    show_tab(qtbot, window, 4)
    view = window.library_view
    docs = library.documents()
    assert view.model.rowCount() == len(docs)
    titles = [view.model.item(r, 0).text() for r in range(view.model.rowCount())]
    assert any("美丽上海" in t for t in titles)
    assert all(int(view.model.item(r, 5).text()) > 0 for r in range(view.model.rowCount()))
    row = next(r for r in range(view.proxy.rowCount()) if "生活垃圾管理条例" in view.proxy.index(r, 0).data())
    view.table.selectRow(row)
    assert view.search_button.isEnabled()
    window.search.box.setText("垃圾分类")
    with qtbot.waitSignal(window.search.search_finished, timeout=10_000) as blocker:
        qtbot.mouseClick(view.search_button, Qt.MouseButton.LeftButton)
    assert window.tabs.currentIndex() == 0
    result = blocker.args[0]
    assert result.total > 0 and all("生活垃圾管理条例" in h.doc_title for h in result.hits)
