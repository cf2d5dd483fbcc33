"""The 意见 tab (issue 14) over the real engine and user DB: comments grouped by document in document order,
the filters, editing with Enter, Delete with 撤销, 显示已删除 with 恢复, 转到条款, and a comment whose clause
changed (确认新内容) or vanished (重新关联…)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app.core.library import Library
from app.ui.comments import strings as T
from app.ui.comments.table import COL_KIND, COL_ORIGINAL, COL_PROPOSAL, COL_STATE, COL_WHERE
from app.ui.comments.view import CommentsView
from app.ui.window.mainwindow import MainWindow

PLAN = "美丽上海建设十五五规划-征求意见稿"
WASTE = "上海市生活垃圾管理条例(2019-01-31)"


def populate(library: Library) -> dict[str, str]:
    desk = library.comments
    late = desk.add(f"{PLAN}/四/（五）/1", proposal="建议明确量化目标。", quote="稳步下降", kind="修改")
    law = desk.add(f"{WASTE}/第十二条", proposal="建议补充分类投放的具体要求。", kind="补充", reason="与国家标准衔接")
    early = desk.add(f"{PLAN}/三/（一）/1", proposal="建议删去“试点”二字。", quote="试点", kind="修改")
    gone = desk.add(f"{PLAN}/四/（五）/2", proposal="", kind="删除")
    return {"late": late.id, "law": law.id, "early": early.id, "gone": gone.id}


def deleted(library: Library, comment_id: str) -> bool:
    return library.comments.store.get(comment_id, include_deleted=True).deleted


def show_view(qtbot: QtBot, win: MainWindow) -> CommentsView:
    view = win.commenting.view
    win.tabs.setCurrentWidget(view)
    qtbot.waitUntil(lambda: view.is_loaded, timeout=10_000)
    return view


def listed(view: CommentsView) -> list[list[str]]:
    """[group title, comment ids…] per group, as shown."""
    out = []
    for g in range(view.model.rowCount()):
        head = view.model.item(g, 0)
        out.append([head.text(), *(view.model.row_at(head.child(r, 0).index()).id  # type: ignore[union-attr]
                                   for r in range(head.rowCount()))])
    return out


def cell(view: CommentsView, comment_id: str, col: int) -> str:
    return str(view.model.index_of(comment_id).siblingAtColumn(col).data())


def test_grouped_filtered_and_edited(qtbot: QtBot, library: Library, open_window: Callable[..., MainWindow]) -> None:
    ids = populate(library)
    win = open_window(library)
    qtbot.waitUntil(win.search.box.isEnabled, timeout=20_000)
    tabs = [win.tabs.tabText(n) for n in range(win.tabs.count())]
    assert tabs.index(T.TAB_COMMENTS) == tabs.index("我的任务") + 1
    view = show_view(qtbot, win)
    plan_title, law_title = library.document(PLAN).title, library.document(WASTE).title
    groups = listed(view)
    assert [g[0] for g in groups] == [T.GROUP_ROW.format(title=plan_title, n=3), T.GROUP_ROW.format(title=law_title, n=1)]
    assert groups[0][1:] == [ids["early"], ids["late"], ids["gone"]]  # document order, not the order written
    assert cell(view, ids["early"], COL_WHERE).startswith("三、（一）") and cell(view, ids["early"], COL_ORIGINAL) == "试点"
    assert cell(view, ids["law"], COL_WHERE) == "第十二条"
    assert cell(view, ids["gone"], COL_ORIGINAL).startswith(T.WHOLE_CLAUSE)
    assert cell(view, ids["gone"], COL_KIND) == "删除" and cell(view, ids["gone"], COL_STATE) == ""
    assert view.info.text() == T.COUNT.format(n=4, shown=4)

    view.kind_filter.setCurrentIndex(view.kind_filter.findData("add"))
    assert listed(view) == [[T.GROUP_ROW.format(title=law_title, n=1), ids["law"]]]
    view.kind_filter.setCurrentIndex(0)
    view.doc_filter.setCurrentIndex(view.doc_filter.findData(PLAN))
    assert [len(g) - 1 for g in listed(view)] == [3]
    view.filter_box.setText("量化")
    assert listed(view)[0][1:] == [ids["late"]]
    view.filter_box.setText("没有这样的意见")
    assert view.model.rowCount() == 0 and view.empty is not None and view.empty.isVisible()
    assert view.empty.plain == T.NO_MATCH.format(n=4)
    view.filter_box.clear()
    view.doc_filter.setCurrentIndex(0)

    # Enter edits the selected comment in the same dialog; the row follows the save.
    assert view.select(ids["late"])
    view.tree.setFocus()
    qtbot.keyClick(view.tree, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: win.commenting.editor is not None and win.commenting.editor.isVisible(), timeout=10_000)
    ed = win.commenting.editor
    assert ed is not None and ed.windowTitle() == T.EDITOR_TITLE_EDIT
    assert ed.proposal.toPlainText() == "建议明确量化目标。" and ed.quote.toPlainText() == "稳步下降"
    ed.proposal.setPlainText("建议明确到2030年的量化目标。")
    ed.set_kind("other")
    qtbot.mouseClick(ed.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: cell(view, ids["late"], COL_PROPOSAL) == "建议明确到2030年的量化目标。", timeout=10_000)
    assert library.comments.get(ids["late"]).kind == "other" and cell(view, ids["late"], COL_KIND) == "其他"
    assert view.current_row() is not None and view.current_row().id == ids["late"]  # type: ignore[union-attr]

    # 转到条款 opens the clause in the 检索 tab's reader.
    qtbot.mouseClick(view.open_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: win.reader.current_clause_id == f"{PLAN}/四/（五）/1", timeout=10_000)
    assert win.tabs.currentIndex() == 0


def test_delete_undo_and_restore(qtbot: QtBot, library: Library, open_window: Callable[..., MainWindow]) -> None:
    ids = populate(library)
    win = open_window(library)
    view = show_view(qtbot, win)
    assert view.select(ids["law"])
    view.tree.setFocus()
    qtbot.waitUntil(view.tree.hasFocus, timeout=2_000)
    qtbot.keyClick(view.tree, Qt.Key.Key_Delete)
    qtbot.waitUntil(lambda: deleted(library, ids["law"]), timeout=5_000)
    qtbot.waitUntil(lambda: len(listed(view)) == 1, timeout=5_000)  # the law's group went with it
    assert view.banner.isVisible() and T.UNDO in view.banner.buttons
    assert view.info.text() == T.COUNT_DELETED.format(n=3, d=1, shown=3)
    qtbot.mouseClick(view.banner.buttons[T.UNDO], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not deleted(library, ids["law"]), timeout=5_000)
    qtbot.waitUntil(lambda: len(listed(view)) == 2, timeout=5_000)

    library.comments.delete(ids["early"])  # 显示已删除 lists the trash; 恢复 brings one back
    view.invalidate()
    qtbot.waitUntil(lambda: view.model.index_of(ids["early"]).isValid() is False, timeout=5_000)
    view.show_deleted.setChecked(True)
    assert view.select(ids["early"]) and cell(view, ids["early"], COL_STATE) == T.STATE_DELETED
    assert view.restore_button.isVisible() and view.restore_button.isEnabled()
    assert not view.delete_button.isEnabled() and not view.edit_button.isEnabled()
    qtbot.mouseClick(view.restore_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not deleted(library, ids["early"]), timeout=5_000)
    qtbot.waitUntil(lambda: cell(view, ids["early"], COL_STATE) == "", timeout=5_000)
    assert T.RESTORED_MSG.split("：")[0] in win.statusBar().currentMessage()


def test_changed_and_missing_clauses(qtbot: QtBot, library: Library, open_window: Callable[..., MainWindow]) -> None:
    ids = populate(library)
    store = library.comments.store
    store.reanchor([{"comment_id": ids["late"], "clause_id": f"{PLAN}/四/（五）/1", "state": "changed"},
                    {"comment_id": ids["law"], "clause_id": f"{WASTE}/第十二条", "state": "missing"}])
    win = open_window(library)
    view = show_view(qtbot, win)
    assert cell(view, ids["late"], COL_STATE) == T.STATE_CHANGED
    assert cell(view, ids["law"], COL_STATE) == T.STATE_MISSING
    assert view.select(ids["late"])
    assert view.confirm_button.isVisible() and view.reattach_button.isVisible()
    qtbot.mouseClick(view.confirm_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: library.comments.get(ids["late"]).anchor_state == "ok", timeout=5_000)
    qtbot.waitUntil(lambda: cell(view, ids["late"], COL_STATE) == "", timeout=5_000)

    assert view.select(ids["law"])
    assert not view.confirm_button.isVisible() and view.reattach_button.isVisible()
    assert not view.open_button.isEnabled()
    dlg = view.ask_reattach()
    assert dlg is not None
    picker = dlg.picker
    picker.search(f"{WASTE}/第十一条")  # an id finds itself first
    qtbot.waitUntil(lambda: picker.list.count() > 0, timeout=10_000)
    assert picker.current() is not None and picker.current()[0] == f"{WASTE}/第十一条"  # type: ignore[index]
    qtbot.mouseClick(dlg.choose_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: library.comments.get(ids["law"]).clause_id == f"{WASTE}/第十一条", timeout=5_000)
    assert library.comments.get(ids["law"]).anchor_state == "ok"
    qtbot.waitUntil(lambda: cell(view, ids["law"], COL_WHERE) == "第十一条", timeout=5_000)
