"""我的任务 (issue 6) over the real engine and user DB: Ctrl+D from the result list and the reading pane,
editing and saving, filters, 督办 colours, anchors that changed, suggestions of "my department", and
indicator progress. Qt warnings fail the test (pytest config)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton
from pytestqt.qtbot import QtBot

from app.core.library import Library
from app.core.userdata import DatabaseBusyError
from app.ui.common import theme
from app.ui.desk import strings as DS
from app.ui.desk.data import draft_key
from app.ui.desk.table import COL_CLAUSE, COL_DUE, COL_NOTE, COL_OWNER, COL_URGENCY, DeskRole
from app.ui.desk.view import TasksView
from app.ui.reader import strings as RS
from app.ui.window import strings as WS
from app.ui.window.mainwindow import MainWindow

Search = Callable[[MainWindow, str], None]
PLAN = "美丽上海建设十五五规划-征求意见稿"
WASTE = "上海市生活垃圾管理条例(2019-01-31)"


def show_tasks(qtbot: QtBot, win: MainWindow) -> TasksView:
    view = win.tasks_view
    if not view.is_loaded:
        with qtbot.waitSignal(view.loaded, timeout=10_000):
            win.tabs.setCurrentWidget(view)
    else:
        win.tabs.setCurrentWidget(view)
    return view


def row_of(view: TasksView, task_id: str) -> int:
    return next(r for r in range(view.proxy.rowCount()) if view.proxy.index(r, 0).data(DeskRole).id == task_id)


def cell(view: TasksView, task_id: str, col: int) -> str:
    return str(view.proxy.index(row_of(view, task_id), col).data())


# -- bookmarking ------------------------------------------------------------------------------------
def test_ctrl_d_bookmarks_from_the_result_list_and_the_reading_pane(qtbot: QtBot, window: MainWindow,
                                                                    library: Library, search_for: Search) -> None:
    search_for(window, "垃圾分类")
    first = window.search.current_hit()
    assert first is not None
    qtbot.waitUntil(lambda: window.reader.current_clause_id == first.id, timeout=5_000)
    window.activateWindow()
    window.search.list.setFocus()
    qtbot.waitUntil(window.search.list.hasFocus, timeout=2_000)
    qtbot.keyClick(window.search.list, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: library.user.find_task(first.id) is not None, timeout=5_000)
    qtbot.waitUntil(lambda: window.reader_pane.bookmark_button.text() == RS.BOOKMARKED_BUTTON, timeout=5_000)
    assert "已收藏为任务" in window.statusBar().currentMessage()

    window.search.list.setCurrentIndex(window.search.model.index(1))  # the reading pane follows
    second = window.search.current_hit()
    assert second is not None and second.id != first.id
    qtbot.waitUntil(lambda: window.reader.current_clause_id == second.id, timeout=5_000)
    qtbot.waitUntil(lambda: window.reader_pane.bookmark_button.text() == RS.BOOKMARK_BUTTON, timeout=5_000)
    window.reader.setFocus()
    qtbot.waitUntil(window.reader.hasFocus, timeout=2_000)
    qtbot.keyClick(window.reader, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: library.user.find_task(second.id) is not None, timeout=5_000)
    assert len(library.user.list_tasks()) == 2

    # Again: no second task; 我的任务 opens with it selected.
    qtbot.keyClick(window.reader, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: window.tabs.currentWidget() is window.tasks_view, timeout=5_000)
    view = window.tasks_view
    qtbot.waitUntil(lambda: view.current_task() is not None and view.current_task().task.clause_id == second.id,
                    timeout=10_000)
    assert len(library.user.list_tasks()) == 2 and view.model.rowCount() == 2
    assert window.statusBar().currentMessage() == WS.BOOKMARK_EXISTS


# -- editing -----------------------------------------------------------------------------------------
def test_edit_and_save_with_ctrl_s(qtbot: QtBot, library: Library, open_window: Callable[..., MainWindow]) -> None:
    t = library.desk.bookmark(f"{PLAN}/四/（五）/1")
    win = open_window(library)
    view = show_tasks(qtbot, win)
    ed = view.editor
    qtbot.waitUntil(lambda: ed.task_id == t.id, timeout=5_000)
    assert cell(view, t.id, COL_DUE) == "2030-12-31" + DS.DUE_FROM_CLAUSE  # the clause's deadline
    # an inferred lead shows its source as the links pane does (issue #13 point 7)
    assert cell(view, t.id, COL_OWNER).startswith("市生态环境局·推断·")
    assert cell(view, t.id, COL_OWNER).endswith("%" + DS.OWNER_FROM_LEAD)
    line = ed.owner.lineEdit()
    assert line is not None and "市生态环境局·推断·" in line.placeholderText()
    assert not ed.save_button.isEnabled()
    ed.status.setCurrentIndex(ed.status.findData("doing"))
    ed.priority.setCurrentIndex(ed.priority.findData(1))
    ed.own_due.setChecked(True)
    ed.due.setDate(ed.due.date().fromString("2026-06-30", "yyyy-MM-dd"))
    ed.owner.setEditText("市绿化市容局")
    ed.tags.setText("固废、 无废城市")
    ed.collection.setEditText("年度重点")
    ed.note.setPlainText("第一行：已对接\n第二行 😀 𠀀")
    assert ed.save_button.isEnabled() and ed.hint.text()
    ed.note.setFocus()
    qtbot.keyClick(ed.note, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: library.user.get_task(t.id).note == "第一行：已对接\n第二行 😀 𠀀", timeout=5_000)
    saved = library.user.get_task(t.id)
    assert (saved.status, saved.priority, saved.due, saved.owner, saved.tags, saved.collection) == (
        "doing", 1, "2026-06-30", "市绿化市容局", ("固废", "无废城市"), "年度重点")
    qtbot.waitUntil(lambda: cell(view, t.id, COL_NOTE) == "第一行：已对接", timeout=5_000)
    assert cell(view, t.id, COL_DUE) == "2026-06-30" and cell(view, t.id, COL_OWNER) == "市绿化市容局"
    assert DS.EDITOR_SAVED.split("（")[0] in ed.hint.text() and not ed.save_button.isEnabled()
    assert library.user.get_draft(draft_key(t.id)) is None

    ed.own_due.setChecked(False)  # back to the clause's deadline
    ed.save()
    qtbot.waitUntil(lambda: library.user.get_task(t.id).due is None, timeout=5_000)
    qtbot.waitUntil(lambda: cell(view, t.id, COL_DUE) == "2030-12-31" + DS.DUE_FROM_CLAUSE, timeout=5_000)


def test_a_locked_database_keeps_the_text_and_says_why(qtbot: QtBot, library: Library, monkeypatch: object,
                                                       open_window: Callable[..., MainWindow]) -> None:
    t = library.desk.bookmark(f"{PLAN}/四/（五）/1")
    win = open_window(library)
    view = show_tasks(qtbot, win)
    ed = view.editor
    qtbot.waitUntil(lambda: ed.task_id == t.id, timeout=5_000)
    user = library.user

    def busy(*_a: object, **_k: object) -> None:
        raise DatabaseBusyError("数据库被其他程序占用，请关闭占用程序后重试")

    monkeypatch.setattr(user, "update_task", busy)  # type: ignore[attr-defined]
    ed.note.setPlainText("不能丢的笔记")
    ed.save()
    qtbot.waitUntil(lambda: "数据库被其他程序占用" in ed.hint.text(), timeout=5_000)
    assert ed.note.toPlainText() == "不能丢的笔记" and ed.save_button.isEnabled()
    monkeypatch.undo()  # type: ignore[attr-defined]
    ed.save()  # retry works
    qtbot.waitUntil(lambda: library.user.get_task(t.id).note == "不能丢的笔记", timeout=5_000)


def test_delete_and_undo(qtbot: QtBot, library: Library, open_window: Callable[..., MainWindow]) -> None:
    t = library.desk.bookmark(f"{WASTE}/第十二条", note="保留")
    win = open_window(library)
    view = show_tasks(qtbot, win)
    qtbot.waitUntil(lambda: view.editor.task_id == t.id, timeout=5_000)
    view.editor.delete_button.click()
    qtbot.waitUntil(lambda: view.model.rowCount() == 0, timeout=5_000)
    assert library.user.list_tasks() == [] and view.banner.isVisible()
    view.banner.buttons[DS.TASK_UNDO].click()
    qtbot.waitUntil(lambda: view.model.rowCount() == 1, timeout=5_000)
    assert library.user.get_task(t.id).note == "保留" and view.editor.task_id == t.id


# -- the table: colours, filters, anchors ------------------------------------------------------------
def test_urgency_colours_filters_and_flags(qtbot: QtBot, library: Library,
                                           open_window: Callable[..., MainWindow]) -> None:
    desk, today = library.desk, dt.date.today()
    overdue = desk.bookmark(f"{PLAN}/四/（五）/1", due=today - dt.timedelta(days=5), status="doing")
    soon = desk.bookmark(f"{WASTE}/第十二条", due=today + dt.timedelta(days=10), tags=["固废"])
    done = desk.bookmark(f"{PLAN}/三/（一）/1", status="done", due=today - dt.timedelta(days=40))
    hold = desk.bookmark(f"{WASTE}/第十一条", status="已搁置", owner="市水务局")
    later = desk.bookmark(f"{WASTE}/第十条", due=today + dt.timedelta(days=200), collection="年度重点")
    library.user.reanchor_task(later.id, clause_id=later.clause_id, state="missing")
    win = open_window(library)
    view = show_tasks(qtbot, win)
    t = theme.LIGHT
    expect = {overdue.id: (t.urg_overdue, t.urg_overdue_bg, DS.URGENCY_OVERDUE_DAYS.format(n=5)),
              soon.id: (t.urg_soon, t.urg_soon_bg, DS.URGENCY_SOON_DAYS.format(n=10)),
              done.id: (t.urg_done, t.urg_done_bg, "已完成"),
              hold.id: (t.urg_hold, t.urg_hold_bg, "已搁置")}
    for tid, (fg, bg, text) in expect.items():
        idx = view.proxy.index(row_of(view, tid), COL_URGENCY)
        assert idx.data() == text
        assert idx.data(Qt.ItemDataRole.ForegroundRole).color().name() == fg
        assert idx.data(Qt.ItemDataRole.BackgroundRole).color().name() == bg
    assert view.proxy.index(row_of(view, later.id), COL_URGENCY).data(Qt.ItemDataRole.BackgroundRole) is None
    # sorted by 督办: overdue first, then due soon
    assert [view.proxy.index(r, 0).data(DeskRole).id for r in range(2)] == [overdue.id, soon.id]
    flagged = view.proxy.index(row_of(view, later.id), COL_CLAUSE)
    assert flagged.data().startswith(DS.ANCHOR_MARK) and DS.ANCHOR_MISSING in flagged.data(Qt.ItemDataRole.ToolTipRole)

    view.status_filter.setCurrentIndex(view.status_filter.findData("done"))
    assert view.proxy.rowCount() == 1 and view.current_task().id == done.id
    view.status_filter.setCurrentIndex(0)
    view.department_filter.setCurrentIndex(view.department_filter.findData("市水务局"))
    assert [view.proxy.index(r, 0).data(DeskRole).id for r in range(view.proxy.rowCount())] == [hold.id]
    view.department_filter.setCurrentIndex(0)
    view.urgency_filter.setCurrentIndex(view.urgency_filter.findData("overdue"))
    assert view.proxy.rowCount() == 1
    view.urgency_filter.setCurrentIndex(0)
    view.tag_filter.setCurrentIndex(view.tag_filter.findData("固废"))
    assert view.proxy.rowCount() == 1
    view.clear_filters()
    view.collection_filter.setCurrentIndex(view.collection_filter.findData("年度重点"))
    assert view.proxy.rowCount() == 1
    view.clear_filters()
    view.filter_box.setText("第十二条")
    assert view.proxy.rowCount() == 1
    view.filter_box.setText("没有这样的任务")
    assert view.proxy.rowCount() == 0 and view.empty is not None and view.empty.isVisible()
    view.clear_filters()
    assert view.proxy.rowCount() == 5

    # the missing task: its old text, and 重新关联 to a clause by hand
    assert view.select_task(later.id)
    ed = view.editor
    assert ed.anchor_box.isVisible() and "智能化" in ed.anchor_box.old_text.toPlainText()
    assert not ed.anchor_box.confirm_button.isVisible()
    ed.anchor_box.reattach_to(f"{WASTE}/第九条")
    qtbot.waitUntil(lambda: library.user.get_task(later.id).anchor_state == "ok", timeout=5_000)
    qtbot.waitUntil(lambda: not ed.anchor_box.isVisible(), timeout=5_000)
    assert not cell(view, later.id, COL_CLAUSE).startswith(DS.ANCHOR_MARK)


def test_double_click_opens_the_clause(qtbot: QtBot, library: Library,
                                       open_window: Callable[..., MainWindow]) -> None:
    t = library.desk.bookmark(f"{WASTE}/第十二条")
    win = open_window(library)
    qtbot.waitUntil(win.search.box.isEnabled, timeout=20_000)
    view = show_tasks(qtbot, win)
    idx = view.proxy.index(row_of(view, t.id), COL_CLAUSE)
    view.table.setCurrentIndex(idx)
    view.table.setFocus()
    qtbot.keyClick(view.table, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: win.reader.current_clause_id == t.clause_id, timeout=5_000)
    assert win.tabs.currentIndex() == 0


# -- my department -----------------------------------------------------------------------------------
def test_suggestions_accept_and_dismiss(qtbot: QtBot, window: MainWindow, library: Library) -> None:
    view = show_tasks(qtbot, window)
    panel = view.suggestions
    assert panel.empty.isVisible() and panel.empty.plain == DS.SUGGESTIONS_NO_DEPARTMENT
    combo = panel.department
    assert combo.findData("市水务局") > 0
    with qtbot.waitSignal(view.loaded, timeout=10_000):
        combo.setCurrentIndex(combo.findData("市水务局"))
    assert library.desk.my_department() == "市水务局"
    n = len(panel.suggestions)
    assert n > 2 and panel.title.text() == DS.SUGGESTIONS_TITLE.format(n=n)
    first, second = panel.suggestions[0]["id"], panel.suggestions[1]["id"]
    panel.table.cellWidget(0, 2).findChild(QPushButton, "suggestionAccept").click()
    qtbot.waitUntil(lambda: view.model.rowCount() == 1, timeout=5_000)
    task = library.user.find_task(first)
    assert task is not None and task.owner == "市水务局" and view.current_task().id == task.id
    assert panel.title.text() == DS.SUGGESTIONS_TITLE.format(n=n - 1)
    panel.table.cellWidget(0, 2).findChild(QPushButton, "suggestionDismiss").click()
    qtbot.waitUntil(lambda: len(panel.suggestions) == n - 2, timeout=5_000)
    left = {s["id"] for s in library.desk.suggestions()}
    assert first not in left and second not in left and len(left) == n - 2


# -- indicator progress ------------------------------------------------------------------------------
def test_track_an_indicator_and_record_a_value(qtbot: QtBot, window: MainWindow, library: Library) -> None:
    with qtbot.waitSignal(window.indicators.loaded, timeout=10_000):
        window.tabs.setCurrentWidget(window.indicators)
    ind = window.indicators
    row = next(r for r in range(ind.proxy.rowCount()) if ind.proxy.index(r, 0).data() == "生活垃圾回收利用率")
    ind.table.selectRow(row)
    ind.track_button.click()
    dlg = window.progress_dialog
    assert dlg is not None
    qtbot.waitUntil(dlg.isVisible, timeout=5_000)
    assert dlg.target.text() == "50" and dlg.unit.text() == "%" and dlg.deadline.value() == 2030
    dlg.baseline.setText("40")
    dlg.baseline_year.setValue(2024)
    dlg.year.setValue(2025)
    dlg.value.setText("43")
    dlg.source.setText("2025年统计公报")
    dlg.record.click()
    qtbot.waitUntil(lambda: dlg.table.rowCount() == 1, timeout=5_000)
    key = dlg.key
    p = library.user.indicator_progress(key)
    assert p.percent == 30.0 and p.status in ("on_track", "behind")
    assert "完成 30%" in dlg.status.text() and p.label in dlg.status.text()
    assert library.user.indicator_values(key)[0].source == "2025年统计公报"
    view = show_tasks(qtbot, window)
    view.pages.setCurrentWidget(view.progress)
    qtbot.waitUntil(lambda: view.progress.model.rowCount() == 1, timeout=5_000)
    assert view.progress.model.item(0, 5).text() == "30%"
    assert view.progress.model.item(0, 6).text() == p.label
    dlg.close()
    view.progress.table.selectRow(0)
    box = view.progress._on_untrack()
    assert box is not None
    next(b for b in box.findChildren(QPushButton) if b.text() == DS.PROGRESS_UNTRACK).click()
    qtbot.waitUntil(lambda: view.progress.model.rowCount() == 0, timeout=5_000)
    assert library.user.tracked_indicators() == [] and view.progress.empty.plain == DS.PROGRESS_NONE


def test_changed_clause_is_confirmed(qtbot: QtBot, library: Library, open_window: Callable[..., MainWindow]) -> None:
    t = library.desk.bookmark(f"{WASTE}/第十二条", note="跟进")
    library.user.reanchor_task(t.id, clause_id=t.clause_id, state="changed")
    win = open_window(library)
    view = show_tasks(qtbot, win)
    ed = view.editor
    qtbot.waitUntil(lambda: ed.task_id == t.id, timeout=5_000)
    assert cell(view, t.id, COL_CLAUSE).startswith(DS.ANCHOR_MARK)
    assert ed.anchor_box.isVisible() and ed.anchor_box.confirm_button.isVisible()
    assert DS.ANCHOR_CHANGED in ed.anchor_box.state.text()
    ed.anchor_box.confirm_button.click()
    qtbot.waitUntil(lambda: library.user.get_task(t.id).anchor_state == "ok", timeout=5_000)
    qtbot.waitUntil(lambda: not ed.anchor_box.isVisible(), timeout=5_000)
    assert not cell(view, t.id, COL_CLAUSE).startswith(DS.ANCHOR_MARK) and ed.hint.text() == DS.ANCHOR_CONFIRMED
    req = view.export_request()  # 导出 on this tab: the tasks shown
    assert req is not None and req.scope.kind == "tasks" and req.count == 1
