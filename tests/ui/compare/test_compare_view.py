"""The 对照 tab over a real library holding the 征求意见稿 and the 正式稿 of the plan: summary, changed
indicators, the status filter, character-level marks side by side, and the 新旧对照表 export."""

from __future__ import annotations

from pathlib import Path

from docx import Document as DocxDocument
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app.ui.compare import strings as T
from app.ui.compare.view import CompareView
from app.ui.window.mainwindow import MainWindow
from tests.ui.compare.version_data import FINAL, PLAN, WASTE_NEW


def shown_view(qtbot: QtBot, win: MainWindow) -> CompareView:
    """Open the 对照 tab: with a version link in the library it compares the two versions by itself."""
    view = win.version_ui.view
    win.tabs.setCurrentWidget(view)
    qtbot.waitUntil(lambda: view.comparison is not None, timeout=15_000)
    return view


def test_compare_tab_sits_after_the_library_and_compares_the_linked_versions(
        qtbot: QtBot, final_window: MainWindow) -> None:
    win = final_window
    tabs = [win.tabs.tabText(i) for i in range(win.tabs.count())]
    assert tabs.index(T.TAB_COMPARE) == tabs.index("文件库") + 1
    assert win.views.index(win.version_ui.view) == win.tabs.indexOf(win.version_ui.view) - 1
    view = shown_view(qtbot, win)
    cmp = view.comparison
    assert cmp is not None and (cmp.old_doc.id, cmp.new_doc.id) == (PLAN, FINAL)
    assert view.old_box.currentData() == PLAN and view.new_box.currentData() == FINAL
    summary = view.summary.text()
    for label, n in (("修改", 7), ("新增", 3), ("删除", 1), ("移动", 2), ("未变", 72)):
        assert f"{label} <b>{n}</b>" in summary
    assert "仅编号调整" in summary
    # the changed indicators and deadlines, in their own box
    assert view.changes_box.isVisible() and "5" in view.changes_title.text()
    lines = [view.changes.item(i).text() for i in range(view.changes.count())]
    assert any("生活垃圾回收利用率" in t and "50%" in t and "55%" in t for t in lines)
    assert any("森林覆盖率" in t and "14.6%" in t and "15%" in t for t in lines)
    # a click on a change shows its clause
    waste = next(i for i in range(view.changes.count()) if "生活垃圾回收利用率" in view.changes.item(i).text())
    view.changes.itemClicked.emit(view.changes.item(waste))
    assert view.detail.pair is not None and view.detail.pair.new is not None
    assert view.detail.pair.new.id == WASTE_NEW


def test_status_filter_shows_changed_clauses_by_default(qtbot: QtBot, final_window: MainWindow) -> None:
    view = shown_view(qtbot, final_window)
    cmp = view.comparison
    assert cmp is not None
    pairs = view.pairs
    statuses = [cmp.pairs[n].status for n in pairs.shown()]
    assert len(statuses) == len(cmp.changed()) == 13 and "unchanged" not in statuses
    assert pairs.toggles["modified"].text() == "修改 7" and not pairs.show_unchanged.isChecked()
    pairs.show_unchanged.setChecked(True)
    assert len(pairs.shown()) == len(cmp.pairs)
    pairs.show_unchanged.setChecked(False)
    pairs.toggles["modified"].setChecked(False)
    statuses = [cmp.pairs[n].status for n in pairs.shown()]
    assert "modified" not in statuses and len(statuses) == 6
    for status in ("added", "deleted", "moved"):
        pairs.toggles[status].setChecked(False)
    assert pairs.shown() == [] and pairs.empty.isVisible()
    # selecting a clause the filter hides shows its status again
    assert view.select_clause(WASTE_NEW)
    assert pairs.toggles["modified"].isChecked() and cmp.pairs[pairs.current()].new.id == WASTE_NEW


def test_side_by_side_marks_deleted_and_added_characters(qtbot: QtBot, final_window: MainWindow) -> None:
    view = shown_view(qtbot, final_window)
    assert view.select_clause(WASTE_NEW)
    detail = view.detail
    pair = detail.pair
    assert pair is not None and pair.status == "modified"
    assert "五、（五）2." in detail.title.text() and "原四、（五）2." in detail.title.text()
    assert detail.explain.text() == pair.explain() and "由50%" in detail.explain.text()
    src = detail.source
    assert '<span class="del">50%</span>' in src and '<span class="ins">55%</span>' in src
    assert '<span class="del">2030</span>' in src and '<span class="ins">2028</span>' in src
    assert src.index("原条文") < src.index("新条文")  # the old text in the left column, the new in the right
    old_cell, new_cell = src.split("<td")[1:3]
    assert 'class="del"' in old_cell and 'class="ins"' not in old_cell
    assert 'class="ins"' in new_cell and 'class="del"' not in new_cell
    rendered = detail.html()  # what Qt shows: the classes became the theme's styles
    assert "line-through" in rendered and "underline" in rendered
    # 阅读新条文 opens the clause in the reading pane
    with qtbot.waitSignal(final_window.reader.clause_loaded, timeout=10_000):
        qtbot.mouseClick(detail.open_new, Qt.MouseButton.LeftButton)
    assert final_window.reader.current_clause_id == WASTE_NEW


def test_export_comparison_docx_through_the_dialog(qtbot: QtBot, final_window: MainWindow, tmp_path: Path) -> None:
    view = shown_view(qtbot, final_window)
    assert view.export_button.isEnabled()
    final_window.exporter.action.trigger()  # Ctrl+E on the 对照 tab: the 新旧对照表, not the 导出 dialog
    dlg = final_window.version_ui.export_dialog
    assert dlg is not None and dlg.isVisible() and final_window.exporter.dialog is None
    dlg.close()
    qtbot.mouseClick(view.export_button, Qt.MouseButton.LeftButton)
    assert dlg.isVisible()
    assert dlg.target.text().endswith("新旧对照表.docx") and "13 条有变化的条款" in dlg.what.text()
    dlg.set_target(tmp_path / "对照表.docx")
    qtbot.mouseClick(dlg.export_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dlg.running and dlg.result is not None, timeout=60_000)
    assert dlg.result is not None and dlg.result.path == tmp_path / "对照表.docx"
    assert dlg.open_file_button.isVisible() and dlg.open_folder_button.isVisible()
    assert "已导出 13 条" in dlg.message.text()
    doc = DocxDocument(str(dlg.result.path))
    table = doc.tables[0]
    assert [c.text for c in table.rows[0].cells] == ["原条文", "新条文", "变化说明"]
    assert len(table.rows) == 14
    text = "\n".join(c.text for row in table.rows for c in row.cells)
    assert "55%" in text and "生活垃圾回收利用率" in text
    # with 包括未变条款: every clause, and the existing file is not overwritten silently
    dlg.unchanged.setChecked(True)
    dlg.set_target(tmp_path / "全部.xlsx")
    assert dlg.fmt() == "xlsx"
    qtbot.mouseClick(dlg.export_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dlg.running and dlg.result is not None and dlg.result.format == "xlsx",
                    timeout=60_000)
    assert dlg.result is not None and dlg.result.count == len(view.comparison.pairs)  # type: ignore[union-attr]
    dlg.close()


def test_library_compare_button_opens_the_versions_of_the_selected_document(
        qtbot: QtBot, final_window: MainWindow) -> None:
    win = final_window
    lv = win.library_view
    with qtbot.waitSignal(lv.loaded, timeout=15_000):
        win.tabs.setCurrentWidget(lv)
    col = lv.model.columnCount() - 1
    assert lv.model.horizontalHeaderItem(col).text() == T.LIB_VERSION_COLUMN
    rows = {lv.model.item(r, 0).data(Qt.ItemDataRole.UserRole + 2): r for r in range(lv.model.rowCount())}
    assert lv.model.item(rows[PLAN], col).text() == T.LIB_VERSION_OLD
    assert "不参与检索" in lv.model.item(rows[PLAN], col).toolTip()
    assert lv.model.item(rows[FINAL], col).text() == T.LIB_VERSION_NEW
    proxy_row = lv.proxy.mapFromSource(lv.model.index(rows[PLAN], 0)).row()
    lv.table.selectRow(proxy_row)
    assert lv.version_line.isVisible() and "新版本：《美丽上海建设“十五五”规划》" in lv.version_line.text()
    assert lv.compare_button.isEnabled()
    qtbot.mouseClick(lv.compare_button, Qt.MouseButton.LeftButton)
    view = win.version_ui.view
    assert win.tabs.currentWidget() is view
    qtbot.waitUntil(lambda: view.comparison is not None, timeout=15_000)
    assert (view.comparison.old_doc.id, view.comparison.new_doc.id) == (PLAN, FINAL)  # type: ignore[union-attr]
