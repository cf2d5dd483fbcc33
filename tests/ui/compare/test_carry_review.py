"""Carrying work over in the window: the review list of the tasks and comments made on the 征求意见稿
whose clause the 正式稿 changed or dropped, with the edit marked, 转到条款 and 确认."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app.ui.compare.review import CarryReviewDialog, ReviewCard
from app.ui.window.mainwindow import MainWindow
from tests.ui.compare.version_data import FINAL, PLAN, SOIL_OLD, WASTE_NEW, WASTE_TASK


def review_dialog(qtbot: QtBot, win: MainWindow) -> CarryReviewDialog:
    ui = win.version_ui
    qtbot.waitUntil(lambda: ui.review_dialog is not None and ui.review_dialog.isVisible()
                    and ui.review_dialog.result is not None, timeout=20_000)
    assert ui.review_dialog is not None
    return ui.review_dialog


def card(dlg: CarryReviewDialog, kind: str, state: str) -> ReviewCard:
    return next(c for c in dlg.cards if c.row.item.kind == kind and c.row.item.state == state)


def test_review_lists_the_task_whose_clause_changed(qtbot: QtBot, final_window: MainWindow) -> None:
    win = final_window
    win.version_ui.review(PLAN, FINAL)  # 版本关联… › 核对迁移的任务和意见…
    dlg = review_dialog(qtbot, win)
    assert "《美丽上海建设“十五五”规划（征求意见稿）》→《美丽上海建设“十五五”规划》" in dlg.head.text()
    summary = dlg.summary.text()
    assert "任务 2 个" in summary and "1 个条款内容已修改" in summary and "1 个原条款已变更或删除" in summary
    assert "意见 1 条" in summary and "待核对 3 项" in summary
    waste = card(dlg, "task", "changed")
    assert waste.row.item.title == WASTE_TASK
    assert "条款内容已修改" in waste.head.text() and "任务" in waste.head.text()
    assert "原位置：四、（五）2." in waste.where.text() and "新位置：五、（五）2." in waste.where.text()
    marked = waste.text.text()
    assert "line-through" in marked and "underline" in marked and "55%" in marked and "50%" in marked
    soil = card(dlg, "task", "missing")
    assert "原条款已变更或删除" in soil.head.text() and "原位置：四、（三）2." in soil.where.text()
    assert "原条文：推进土壤污染绿色低碳修复" in soil.text.text()
    assert card(dlg, "comment", "changed").row.item.kind_label == "意见"
    # 转到条款 opens the new clause in the reading pane
    with qtbot.waitSignal(win.reader.clause_loaded, timeout=10_000):
        qtbot.mouseClick(waste.goto_button, Qt.MouseButton.LeftButton)
    assert win.reader.current_clause_id == WASTE_NEW
    # 确认: the task takes the new text, and is no longer listed next time
    qtbot.mouseClick(waste.confirm_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(waste.done.isVisible, timeout=10_000)
    task = next(t for t in win.library.user.list_tasks() if t.clause_id == WASTE_NEW)
    assert task.anchor_state == "ok" and "达到55%" in task.text
    # a task without a counterpart: 知道了 writes nothing, it stays flagged on the old clause
    assert soil.confirm_button.text() == "知道了"
    qtbot.mouseClick(soil.confirm_button, Qt.MouseButton.LeftButton)
    assert soil.done.isVisible() and not soil.confirm_button.isVisible()
    assert next(t for t in win.library.user.list_tasks() if t.clause_id == SOIL_OLD).anchor_state == "missing"
    win.version_ui.review(PLAN, FINAL)  # again: the confirmed task is no longer listed, the rest is
    qtbot.waitUntil(lambda: len(dlg.cards) == 2, timeout=20_000)
    assert {(c.row.item.kind, c.row.item.state) for c in dlg.cards} == {("task", "missing"), ("comment", "changed")}
    assert "待核对 2 项" in dlg.summary.text()
    dlg.close()


def test_confirming_a_link_carries_work_over_and_shows_the_review(qtbot: QtBot, final_window: MainWindow) -> None:
    win = final_window
    links = win.version_ui.open_links()
    qtbot.waitUntil(lambda: links.table.rowCount() == 1, timeout=10_000)
    assert links.table.item(0, 3).text() == "自动识别" and links.review_button.isEnabled()
    qtbot.mouseClick(links.confirm_button, Qt.MouseButton.LeftButton)
    dlg = review_dialog(qtbot, win)
    assert {(c.row.item.kind, c.row.item.state) for c in dlg.cards} == {
        ("task", "changed"), ("task", "missing"), ("comment", "changed")}
    qtbot.waitUntil(lambda: links.table.item(0, 3).text() == "已确认", timeout=10_000)
    dlg.close()
    links.close()
