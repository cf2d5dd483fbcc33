"""Adding files in the window: the folder is read in the background and the 导入报告 lists every file."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

from pytestqt.qtbot import QtBot

from app.core.library import Library
from app.ui.window import strings as WS
from app.ui.window.mainwindow import MainWindow

DATA = Path(__file__).resolve().parents[2] / "data"


def test_add_folder_shows_the_import_report(qtbot: QtBot, window: MainWindow, library: Library,
                                            tmp_path: Path) -> None:
    src = tmp_path / "收到的文件"
    src.mkdir()
    shutil.copy(DATA / "law_code.md", src / "示例法典.md")
    (src / "损坏.docx").write_text("不是 Word 文档", encoding="utf-8")
    (src / "空白.txt").write_bytes(b"")
    window.add_folder(str(src))
    qtbot.waitUntil(lambda: window.index_handle is None and window.import_report_dialog is not None,
                    timeout=120_000)
    dlg = window.import_report_dialog
    assert dlg is not None and dlg.isVisible() and dlg.windowTitle() == WS.IMPORT_REPORT_TITLE
    rows = {dlg.table.item(r, 1).text(): (dlg.table.item(r, 0).text(), dlg.table.item(r, 2).text())
            for r in range(dlg.table.rowCount())}
    assert set(rows) == {"示例法典.md", "损坏.docx", "空白.txt"}
    assert rows["示例法典.md"][0] == "已导入" and "《" in rows["示例法典.md"][1]
    assert rows["空白.txt"] == ("未能导入", "文件为空")
    assert rows["损坏.docx"][0] == "未能导入" and rows["损坏.docx"][1]
    assert "已导入 1 个" in dlg.summary.text() and "未能导入 2 个" in dlg.summary.text()
    assert "未能导入" in window.statusBar().currentMessage()
    dlg.close()
    # The menu re-opens the last report.
    again = window.show_import_report()
    assert again.table.rowCount() == 3
    again.close()


def test_a_plain_refresh_reports_nothing_when_all_is_well(qtbot: QtBot, window: MainWindow,
                                                         open_window: Callable[..., MainWindow]) -> None:
    window.start_indexing(only_if_needed=False)
    qtbot.waitUntil(lambda: window.index_handle is None, timeout=120_000)
    assert window.import_report_dialog is None
