"""导出意见反馈表 from the window (issue 14): the dialog from the 文库 menu, the 意见 tab's button and Ctrl+E on that
tab; a .docx written off the GUI thread and read back (A4 landscape, the five header cells, the 填报 line, the
whole clause when asked), an .xlsx, and nothing to export."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app.core.export.feedback import HEADERS
from app.core.library import Library
from app.ui.comments import strings as T
from app.ui.comments.feedback import FeedbackDialog
from app.ui.window.mainwindow import MainWindow

PLAN = "美丽上海建设十五五规划-征求意见稿"
WASTE = "上海市生活垃圾管理条例(2019-01-31)"
QUOTE = "危险废物和重点一般工业固废填埋处置占比稳步下降"


def opened(qtbot: QtBot, dlg: FeedbackDialog | None) -> FeedbackDialog:
    assert dlg is not None
    qtbot.waitUntil(lambda: dlg.isVisible() and dlg.loaded, timeout=10_000)
    return dlg


def export(qtbot: QtBot, dlg: FeedbackDialog, target: Path) -> Path:
    dlg.set_target(target)
    qtbot.mouseClick(dlg.export_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dlg.running and dlg.result is not None, timeout=30_000)
    assert dlg.open_file_button.isVisible() and dlg.open_folder_button.isVisible()
    assert dlg.result is not None
    return Path(dlg.result.path)


def test_export_docx_and_xlsx(qtbot: QtBot, library: Library, open_window: Callable[..., MainWindow],
                              tmp_path: Path) -> None:
    from docx import Document
    from docx.enum.section import WD_ORIENT

    desk = library.comments
    desk.set_defaults(unit="市生态环境局", contact="李四", phone="021-23115678")
    desk.add(f"{PLAN}/四/（五）/1", proposal="建议明确量化目标。", reason="便于考核。", quote=QUOTE)
    desk.add(f"{PLAN}/三/（一）/1", proposal="建议删去“试点”二字。", quote="试点")
    desk.add(f"{WASTE}/第十二条", proposal="建议补充分类投放的具体要求。", kind="补充")
    win = open_window(library)
    qtbot.waitUntil(win.search.box.isEnabled, timeout=20_000)

    win.commenting.export_action.trigger()  # 文库 › 导出意见反馈表…
    dlg = opened(qtbot, win.commenting.feedback)
    items = [dlg.doc_box.itemText(n) for n in range(dlg.doc_box.count())]
    title = library.document(PLAN).title
    assert items[0] == T.EXPORT_DOC_ITEM.format(title=title, n=2)
    assert items[-1] == T.EXPORT_ALL_DOCS.format(n=3) and len(items) == 3
    assert (dlg.unit.text(), dlg.contact.text(), dlg.phone.text()) == ("市生态环境局", "李四", "021-23115678")
    assert dlg.word.isChecked() and dlg.quote_only.isChecked()
    assert Path(dlg.target.text()).name == f"关于《{title}》的意见反馈表.docx"
    dlg.unit.setText("市生态环境局固体处")
    path = export(qtbot, dlg, tmp_path / "反馈.docx")
    assert path == tmp_path / "反馈.docx" and T.EXPORT_DONE.format(n=2, path=path) in dlg.message.text()

    doc = Document(str(path))
    sec = doc.sections[0]
    assert sec.orientation == WD_ORIENT.LANDSCAPE and sec.page_width > sec.page_height
    [table] = doc.tables
    assert tuple(c.text for c in table.rows[0].cells) == HEADERS and len(table.rows[0].cells) == 5
    assert len(table.rows) == 3  # the plan's two comments, in document order
    assert table.rows[1].cells[1].text.startswith("三、（一）") and table.rows[1].cells[2].text == "试点"
    assert table.rows[2].cells[2].text == QUOTE and "建议明确量化目标" in table.rows[2].cells[3].text
    text = "\n".join(p.text for p in doc.paragraphs)
    assert f"关于《{title}》的意见反馈表" in text and "市生态环境局固体处" in text and "李四" in text

    # 引用整条条款, as Excel, every document: one sheet each.
    from openpyxl import load_workbook

    dlg.whole_clause.setChecked(True)
    dlg.excel.setChecked(True)
    dlg.set_document(None)
    xlsx = export(qtbot, dlg, tmp_path / "全部.xlsx")
    wb = load_workbook(xlsx, read_only=True)
    try:
        assert len(wb.worksheets) == 2
        cells = [str(v) for row in wb.worksheets[0].iter_rows(values_only=True) for v in row if v is not None]
    finally:
        wb.close()
    assert library.clause(f"{PLAN}/四/（五）/1").text in "\n".join(cells)
    dlg.close()
    assert not dlg.isVisible()


def test_from_the_view_and_nothing_to_export(qtbot: QtBot, library: Library,
                                             open_window: Callable[..., MainWindow]) -> None:
    win = open_window(library)
    view = win.commenting.view
    win.tabs.setCurrentWidget(view)
    qtbot.waitUntil(lambda: view.is_loaded, timeout=10_000)
    assert view.empty is not None and view.empty.plain == T.NONE
    qtbot.mouseClick(view.export_button, Qt.MouseButton.LeftButton)
    dlg = opened(qtbot, win.commenting.feedback)
    assert dlg.doc_box.count() == 0 and not dlg.export_button.isEnabled()
    assert dlg.message.text() == T.EXPORT_NO_COMMENTS
    dlg.close()

    library.comments.add(f"{WASTE}/第十二条", proposal="建议补充分类投放的具体要求。")
    win.exporter.action.trigger()  # Ctrl+E on the 意见 tab: the 意见反馈表
    dlg = opened(qtbot, win.commenting.feedback)
    qtbot.waitUntil(lambda: dlg.doc_box.count() == 1, timeout=5_000)
    assert dlg.doc_id() == WASTE and dlg.export_button.isEnabled()
    assert win.exporter.dialog is None  # the ordinary 导出 dialog was not opened
    dlg.close()
