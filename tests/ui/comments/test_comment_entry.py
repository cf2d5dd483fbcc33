"""提意见 in the window (issue 14) over the real engine and user DB: from a selection in the reading pane
(Ctrl+M and the context menu), the whole clause, the result list's context menu; the editor's checks and
设为默认; the reader's 意见 N badge and the 意见N mark on result rows. Qt warnings fail the test."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QMenu
from pytestqt.qtbot import QtBot

from app.core.library import Library
from app.ui.comments import strings as T
from app.ui.comments.editor import CommentEditor
from app.ui.comments.reader import selection_target
from app.ui.search.resultlist import CommentRole, row_html
from app.ui.window.mainwindow import MainWindow

Search = Callable[[MainWindow, str], None]
PLAN = "美丽上海建设十五五规划-征求意见稿"
TARGET = f"{PLAN}/四/（五）/1"  # 高标准建设全域无废城市。…
QUOTE = "危险废物和重点一般工业固废填埋处置占比稳步下降"


def read_clause(qtbot: QtBot, win: MainWindow, clause_id: str) -> None:
    win.open_clause(clause_id)
    qtbot.waitUntil(lambda: win.reader.current_clause_id == clause_id, timeout=10_000)


def select_text(win: MainWindow, text: str, after: int = 0) -> QTextCursor:
    """Select the first occurrence of `text` in the reader at or after document position `after`."""
    doc = win.reader.document()
    cur = doc.find(text, after)
    assert not cur.isNull(), text
    win.reader.setTextCursor(cur)
    return cur


def wait_editor(qtbot: QtBot, win: MainWindow) -> CommentEditor:
    qtbot.waitUntil(lambda: win.commenting.editor is not None and win.commenting.editor.isVisible(), timeout=10_000)
    ed = win.commenting.editor
    assert ed is not None
    return ed


def save(qtbot: QtBot, library: Library, ed: CommentEditor, before: int) -> None:
    qtbot.mouseClick(ed.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(library.comments.comments()) == before + 1, timeout=10_000)
    qtbot.waitUntil(lambda: not ed.isVisible(), timeout=5_000)


def test_comment_on_a_selection_with_ctrl_m(qtbot: QtBot, window: MainWindow, library: Library) -> None:
    win = window
    read_clause(qtbot, win, TARGET)
    assert not win.commenting.reader.badge.isVisible()  # no comments yet
    select_text(win, QUOTE)
    win.reader.setFocus()
    qtbot.waitUntil(win.reader.hasFocus, timeout=2_000)
    qtbot.keyClick(win.reader, Qt.Key.Key_M, Qt.KeyboardModifier.ControlModifier)
    ed = wait_editor(qtbot, win)
    assert ed.quote.toPlainText() == QUOTE and ed.quote_label.text() == T.EDITOR_QUOTE
    assert ed.where.text().startswith(f"《{library.document(PLAN).title}》") and "四、" in ed.where.text()
    assert ed.windowTitle() == T.EDITOR_TITLE_NEW and ed.kind() == "modify"

    # 修改 with nothing proposed: refused in Chinese, nothing saved, the dialog stays
    qtbot.mouseClick(ed.save_button, Qt.MouseButton.LeftButton)
    assert ed.message.isVisible() and ed.message.text() == T.ERR_PROPOSAL
    assert library.comments.comments() == [] and ed.isVisible()
    ed.proposal.setPlainText("建议明确“稳步下降”的量化目标，如“到2030年下降至10%以下”。")
    ed.reason.setPlainText("便于考核评估。")
    ed.unit.setText("市生态环境局固体处")
    ed.contact.setText("张三")
    ed.phone.setText("电话号码")
    qtbot.mouseClick(ed.save_button, Qt.MouseButton.LeftButton)
    assert ed.message.text() == T.ERR_PHONE and library.comments.comments() == []
    ed.phone.setText("021-12345678转123")
    ed.make_default.setChecked(True)
    save(qtbot, library, ed, 0)

    [c] = library.comments.comments()
    assert (c.clause_id, c.quote, c.kind) == (TARGET, QUOTE, "modify")
    assert c.quote_offset == library.clause(TARGET).full_text.index(QUOTE)
    assert (c.unit, c.contact, c.phone) == ("市生态环境局固体处", "张三", "021-12345678转123")
    d = library.comments.defaults()  # 设为默认 was ticked
    assert (d.unit, d.contact, d.phone) == ("市生态环境局固体处", "张三", "021-12345678转123")
    badge = win.commenting.reader.badge
    qtbot.waitUntil(lambda: badge.isVisible() and badge.text() == T.READER_BADGE.format(n=1), timeout=5_000)
    assert T.SAVED_NEW.split("：")[0] in win.statusBar().currentMessage()

    # The whole clause (no selection), from the header button: prefilled from the defaults just saved.
    win.reader.setTextCursor(QTextCursor(win.reader.document()))
    qtbot.mouseClick(win.commenting.reader, Qt.MouseButton.LeftButton)
    ed2 = wait_editor(qtbot, win)
    assert ed2 is not ed and ed2.quote_label.text() == T.EDITOR_QUOTE_WHOLE
    assert ed2.quote.toPlainText() == library.clause(TARGET).full_text
    assert (ed2.unit.text(), ed2.contact.text(), ed2.phone.text()) == ("市生态环境局固体处", "张三", "021-12345678转123")
    ed2.set_kind("delete")  # 删除 may go without a proposal
    save(qtbot, library, ed2, 1)
    whole = next(x for x in library.comments.comments() if x.kind == "delete")
    assert whole.quote == "" and whole.proposal == "" and whole.clause_id == TARGET
    qtbot.waitUntil(lambda: badge.text() == T.READER_BADGE.format(n=2), timeout=5_000)

    # The badge opens the 意见 tab, filtered to this clause.
    qtbot.mouseClick(badge, Qt.MouseButton.LeftButton)
    view = win.commenting.view
    assert win.tabs.currentWidget() is view
    qtbot.waitUntil(lambda: view.is_loaded and view.model.rowCount() == 1, timeout=10_000)
    assert view.clause_row.isVisible() and view.clause_filter == TARGET
    assert view.model.item(0, 0).rowCount() == 2


def test_selection_in_a_neighbouring_clause_and_the_context_menu(qtbot: QtBot, window: MainWindow,
                                                                library: Library) -> None:
    win = window
    read_clause(qtbot, win, TARGET)
    other = f"{PLAN}/三/（一）/1"  # shown above in the plan's full text, not the clause opened
    cur = select_text(win, "完善重点行业和产品碳足迹背景数据库")
    sel = selection_target(win.reader)
    assert sel is not None and sel.clause_id == other and sel.quote == "完善重点行业和产品碳足迹背景数据库"
    # a selection running on into the next clause is cut where its clause ends
    end_of_clause = win.reader.document().find("强化消耗臭氧层物质和氢氟碳化物环境管理。")
    assert not end_of_clause.isNull()
    cur.setPosition(end_of_clause.selectionStart())
    cur.setPosition(end_of_clause.selectionEnd() + 30, QTextCursor.MoveMode.KeepAnchor)
    win.reader.setTextCursor(cur)
    sel = selection_target(win.reader)
    assert sel is not None and sel.clause_id == other and sel.quote == "强化消耗臭氧层物质和氢氟碳化物环境管理。"

    menu = QMenu(win)
    win.commenting.reader.add_to_menu(menu)
    act = menu.actions()[0]
    assert act.text().startswith(T.MENU_COMMENT_SELECTION) and act.text().endswith(T.SHORTCUT)
    act.trigger()
    ed = wait_editor(qtbot, win)
    assert ed.quote.toPlainText() == "强化消耗臭氧层物质和氢氟碳化物环境管理。"
    assert "三、" in ed.where.text()
    ed.proposal.setPlainText("建议补充氢氟碳化物管控的时间表。")
    ed.set_kind("add")
    save(qtbot, library, ed, 0)
    [c] = library.comments.comments()
    assert (c.clause_id, c.kind) == (other, "add")
    menu.deleteLater()


def test_result_list_menu_and_marks(qtbot: QtBot, window: MainWindow, library: Library, search_for: Search) -> None:
    win = window
    search_for(win, "无废城市")
    model = win.search.model
    row = next(n for n, h in enumerate(model.hits) if h.id == TARGET)
    index = model.index(row)
    assert index.data(CommentRole) == 0
    win.search.list.scrollTo(index)
    pos = win.search.list.visualRect(index).center()
    menu = QMenu(win)
    win.exporter.results_menu_hooks[0](menu, pos)
    act = next(a for a in menu.actions() if a.objectName() == "commentResultAction")
    assert act.text() == f"{T.MENU_COMMENT}\t{T.SHORTCUT}"
    act.trigger()
    ed = wait_editor(qtbot, win)
    assert ed.quote_label.text() == T.EDITOR_QUOTE_WHOLE and ed.target.clause_id == TARGET
    ed.proposal.setPlainText("建议增加无废城市建设的年度目标。")
    save(qtbot, library, ed, 0)
    qtbot.waitUntil(lambda: index.data(CommentRole) == 1, timeout=5_000)
    hit = model.hits[row]
    assert T.RESULT_MARK.format(n=1) in row_html(hit, comments=1)
    assert T.RESULT_MARK.format(n=1) not in row_html(hit)
    assert T.RESULT_MARK_TIP.format(n=1) in str(index.data(Qt.ItemDataRole.ToolTipRole))
    menu.deleteLater()

    # Ctrl+M with the result list focused comments on the selected hit.
    win.search.list.setCurrentIndex(model.index(0 if row else 1))
    hit0 = win.search.current_hit()
    assert hit0 is not None
    win.activateWindow()
    win.search.list.setFocus()
    qtbot.waitUntil(win.search.list.hasFocus, timeout=2_000)
    qtbot.keyClick(win.search.list, Qt.Key.Key_M, Qt.KeyboardModifier.ControlModifier)
    ed = wait_editor(qtbot, win)
    assert ed.target.clause_id == hit0.id
    ed.reject()


def test_menus_shortcuts_and_cited_clauses(qtbot: QtBot, window: MainWindow, library: Library) -> None:
    from app.ui.common import strings as S
    from app.ui.window import strings as WS

    win = window
    menus = {a.text(): a.menu() for a in win.menuBar().actions() if a.menu() is not None}
    clause_menu, lib_menu, view_menu = menus[S.MENU_CLAUSE], menus[S.MENU_LIBRARY], menus[S.MENU_VIEW]
    items = clause_menu.actions()
    assert items.index(win.commenting.action) == items.index(win.bookmark_action) + 1  # 收藏为任务, 提意见…
    assert win.commenting.action.shortcut().toString() == T.SHORTCUT
    lib_items = lib_menu.actions()
    assert lib_items.index(win.commenting.export_action) == lib_items.index(win.exporter.action) + 1
    show = next(a for a in view_menu.actions() if a.text() == T.TAB_COMMENTS)
    assert show.shortcut().toString() == "Ctrl+7"
    taken = [a.shortcut().toString() for m in menus.values() for a in m.actions() if not a.shortcut().isEmpty()]
    assert taken.count(T.SHORTCUT) == 1 and taken.count("Ctrl+7") == 1
    assert any(k == T.SHORTCUT for k, _v in WS.SHORTCUTS)  # in the F1 help

    # 添加… in the editor: search the library on a read thread, double-click a hit, save: the id is cited.
    read_clause(qtbot, win, TARGET)
    win.commenting.action.trigger()
    ed = wait_editor(qtbot, win)
    dlg = ed.pick_cited()
    picker = dlg.picker
    picker.search("大气污染防治条例 第四十条")
    qtbot.waitUntil(lambda: picker.list.count() > 0, timeout=10_000)
    first = picker.current()
    assert first is not None
    picker.list.itemActivated.emit(picker.list.currentItem())
    assert ed.cited.ids() == [first[0]]
    picker.list.itemActivated.emit(picker.list.currentItem())  # twice: listed once
    assert ed.cited.ids() == [first[0]] and dlg.isVisible()  # stays open to add more
    dlg.reject()
    ed.proposal.setPlainText("建议与条例衔接。")
    save(qtbot, library, ed, 0)
    [c] = library.comments.comments()
    assert c.cited == (first[0],)

    # Editing shows the cited clause by its citation; 移除 drops it.
    win.commenting.edit_comment(c.id)
    ed2 = wait_editor(qtbot, win)
    assert ed2.cited.list.item(0).text() == library.comments.citation(first[0])
    ed2.cited.list.setCurrentRow(0)
    qtbot.mouseClick(ed2.cited.remove_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(ed2.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: library.comments.get(c.id).cited == (), timeout=5_000)
