"""Version links in the window: adding the 正式稿 of the plan announces it (banner and 导入报告), and 不是 /
确认 (banner, 版本关联…) make default search show or hide the 征求意见稿 at once; 文件库 says which is which."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app.core.library import Library
from app.core.userdata.versions import REJECTED, VersionLink
from app.ui.compare import strings as T
from app.ui.compare.work import doc_versions, new_links
from app.ui.search.resultlist import HitRole
from app.ui.views.departments import fetch_departments
from app.ui.views.indicators import fetch_indicators
from app.ui.views.timeline import fetch_timeline
from app.ui.window.mainwindow import MainWindow
from tests.ui.compare.version_data import FINAL, PLAN, add_final

Search = Callable[[MainWindow, str], None]
QUERY = "生活垃圾回收利用率"


def hit_docs(win: MainWindow) -> set[str]:
    model = win.search.model
    return {model.index(r).data(HitRole).doc_id for r in range(model.rowCount())
            if model.index(r).data(HitRole) is not None}


def version_cell(qtbot: QtBot, win: MainWindow, doc_id: str) -> str:
    lv = win.library_view
    if not lv.is_loaded:
        with qtbot.waitSignal(lv.loaded, timeout=15_000):
            win.tabs.setCurrentWidget(lv)
    col = lv.model.columnCount() - 1
    row = next(r for r in range(lv.model.rowCount()) if lv.model.item(r, 0).data(Qt.ItemDataRole.UserRole + 2) == doc_id)
    return str(lv.model.item(row, col).text())


def test_new_version_is_announced_and_confirm_or_reject_steer_search(
        qtbot: QtBot, window: MainWindow, search_for: Search, tmp_path: Path) -> None:
    win, ui = window, window.version_ui
    search_for(win, QUERY)
    assert PLAN in hit_docs(win)
    assert not ui.banner.isVisible()
    win.add_files([str(add_final(tmp_path / "added") / "plan-final.md")])
    qtbot.waitUntil(lambda: win.index_handle is None and ui.banner.isVisible(), timeout=120_000)
    text = ui.banner.label.text()
    assert "《美丽上海建设“十五五”规划》似乎是《美丽上海建设“十五五”规划（征求意见稿）》的新版本" in text
    assert "已自动关联" in text  # the same title but for its stage, and the content agrees: certain
    assert {T.BANNER_CONFIRM, T.BANNER_REJECT, T.BANNER_COMPARE} <= set(ui.banner.buttons)
    report = win.import_report_dialog
    assert report is not None and report.isVisible()
    assert ui.report_banner is not None and ui.report_banner.parent() is report
    assert ui.report_banner.isVisible() and ui.report_banner.label.text() == text
    # 查看对照 in the report: the (window-modal) report closes, the comparison shows, the question stays
    qtbot.mouseClick(ui.report_banner.buttons[T.BANNER_COMPARE], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not report.isVisible(), timeout=5_000)
    assert win.tabs.currentWidget() is ui.view and ui.banner.isVisible()
    qtbot.waitUntil(lambda: ui.view.comparison is not None, timeout=15_000)
    # the query shown is searched again once the index is ready: the old version is left out
    qtbot.waitUntil(lambda: FINAL in hit_docs(win) and PLAN not in hit_docs(win), timeout=15_000)
    assert version_cell(qtbot, win, PLAN) == T.LIB_VERSION_OLD
    assert version_cell(qtbot, win, FINAL) == T.LIB_VERSION_NEW
    # 不是: two separate documents, both searched
    qtbot.mouseClick(ui.banner.buttons[T.BANNER_REJECT], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "已否定" in win.statusBar().currentMessage(), timeout=15_000)
    assert not ui.banner.isVisible()
    qtbot.waitUntil(lambda: PLAN in hit_docs(win) and FINAL in hit_docs(win), timeout=15_000)
    assert version_cell(qtbot, win, PLAN) == ""
    assert win.library.version_links()[0].state == "rejected"
    # 版本关联… › 确认: the old version is hidden again
    dlg = ui.open_links()
    qtbot.waitUntil(lambda: dlg.table.rowCount() == 1, timeout=10_000)
    assert dlg.table.item(0, 3).text() == "已否定" and dlg.selected() == (PLAN, FINAL)
    assert not dlg.reject_button.isEnabled() and dlg.reset_button.isEnabled()
    qtbot.mouseClick(dlg.confirm_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dlg.table.item(0, 3).text() == "已确认", timeout=15_000)
    qtbot.waitUntil(lambda: FINAL in hit_docs(win) and PLAN not in hit_docs(win), timeout=15_000)
    assert ui.review_dialog is None  # no task or comment on the old version: nothing to review
    assert "已确认" in win.statusBar().currentMessage()
    # 撤销: back to what detection said (certain: still in force)
    qtbot.mouseClick(dlg.reset_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dlg.table.item(0, 3).text() == "自动识别", timeout=15_000)
    dlg.close()


def test_links_dialog_lists_nothing_without_versions(qtbot: QtBot, window: MainWindow) -> None:
    ui = window.version_ui
    dlg = ui.open_links()
    qtbot.waitUntil(lambda: dlg.empty.isVisible(), timeout=10_000)
    assert dlg.table.rowCount() == 0 and not dlg.confirm_button.isEnabled()
    dlg.close()
    window.tabs.setCurrentWidget(ui.view)
    qtbot.waitUntil(lambda: ui.view.is_loaded, timeout=10_000)
    assert ui.view.empty.isVisible() and ui.view.empty.plain == T.COMPARE_NO_LINKS
    assert ui.view.comparison is None and not ui.view.export_button.isEnabled()


def test_library_version_cells_follow_the_link_state() -> None:
    def link(state: str, certain: bool) -> VersionLink:
        return VersionLink(old_id="a", new_id="b", method="stage", state=state, certain=certain, overlap=0.3,
                           old_title="规划（征求意见稿）", new_title="规划")

    auto = doc_versions([link("suggested", True)])
    assert (auto["a"].label, auto["b"].label) == (T.LIB_VERSION_OLD, T.LIB_VERSION_NEW)
    assert auto["a"].pair == auto["b"].pair == ("a", "b") and "不参与检索" in auto["a"].lines[0]
    pending = doc_versions([link("suggested", False)])
    assert pending["a"].label == pending["b"].label == T.LIB_VERSION_PENDING
    assert "待确认" in pending["a"].lines[0]
    assert doc_versions([link("rejected", True)]) == {}
    assert new_links([("a", "b")], [link("suggested", True)]) == []
    assert new_links([], [link("rejected", True)]) == []  # the user's own decision is never news


def test_indicator_department_and_timeline_views_leave_the_old_version_out(final_library: Library) -> None:
    """指标, 部门 and 时间线 list what default search shows: the 正式稿, not the 征求意见稿 it replaced."""
    lib = final_library

    def shown() -> tuple[set[str], set[str], set[str]]:
        waste = {r["doc_title"] for r in fetch_indicators(lib) if r["name"] == QUERY}
        depts = {c["id"].split("/", 1)[0] for d in fetch_departments(lib) for role in ("lead", "support")
                 for c in d[role]}
        timeline = {d.clause.split("/", 1)[0] for dues in fetch_timeline(lib).years.values() for d in dues}
        return waste, depts, timeline

    waste, depts, timeline = shown()
    assert waste == {"美丽上海建设“十五五”规划"}
    assert FINAL in depts and PLAN not in depts
    assert FINAL in timeline and PLAN not in timeline
    everything = fetch_timeline(lib, all_versions=True)
    assert PLAN in {d.clause.split("/", 1)[0] for dues in everything.years.values() for d in dues}
    lib.set_version_state(PLAN, FINAL, REJECTED)
    waste, depts, timeline = shown()
    assert waste == {"美丽上海建设“十五五”规划", "美丽上海建设“十五五”规划（征求意见稿）"}
    assert {PLAN, FINAL} <= depts and {PLAN, FINAL} <= timeline
