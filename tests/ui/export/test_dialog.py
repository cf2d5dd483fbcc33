"""The 导出 dialog (issue 7) on the real engine and the real thread pools: Ctrl+E after a search → .docx,
the 指标 view → .xlsx, overwrite / read-only / locked targets, cancel without a partial file, closing
the window during an export."""

from __future__ import annotations

import os
import stat
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from docx import Document
from openpyxl import load_workbook
from PySide6.QtCore import Qt, QUrl
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from app.core.export import Scope
from app.core.export.errors import MSG_LOCKED
from app.core.export.xlsx_writer import COLUMNS, HEADER_ROW
from app.core.library import Library
from app.ui.common import strings as S
from app.ui.export import dialog as exportdialog
from app.ui.export import strings as ES
from app.ui.export import worker as exportworker
from app.ui.export.dialog import ExportDialog
from app.ui.search.resultlist import HitRole
from app.ui.window import strings as WS
from app.ui.window.mainwindow import MainWindow

Search = Callable[[MainWindow, str], None]
QUERY = "垃圾分类"
DEPT = "市生态环境局"


@pytest.fixture
def out(tmp_path: Path) -> Path:
    d = tmp_path / "导出"
    d.mkdir()
    return d


@pytest.fixture
def opened(monkeypatch: pytest.MonkeyPatch) -> list[QUrl]:
    """What 打开文件 / 打开所在文件夹 handed to the system (nothing is really opened in tests)."""
    seen: list[QUrl] = []
    monkeypatch.setattr(exportworker, "open_url", lambda url: seen.append(url) or True)
    return seen


def _dialog(win: MainWindow) -> ExportDialog:
    dlg = win.exporter.dialog
    assert dlg is not None and dlg.isVisible()
    return dlg


def _export(qtbot: QtBot, dlg: ExportDialog, target: Path | None = None) -> None:
    if target is not None:
        dlg.set_target(target)
    qtbot.mouseClick(dlg.export_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dlg.running, timeout=30_000)


def _squash(text: str) -> str:
    return "".join(text.split())


def test_ctrl_e_after_search_exports_the_results_to_word(qtbot: QtBot, window: MainWindow, library: Library,
                                                          search_for: Search, out: Path,
                                                          opened: list[QUrl]) -> None:
    search_for(window, QUERY)
    hits = [window.search.model.index(n).data(HitRole) for n in range(window.search.model.rowCount())]
    assert hits and window.search.export_button.isVisible()
    qtbot.keyClick(window.search.box, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)  # focus in the box
    dlg = _dialog(window)
    assert dlg.request is not None and dlg.request.scope.kind == "query"
    assert QUERY in dlg.scope_label.text() and ES.EXPORT_COUNT.format(n=len(hits)) in dlg.scope_label.text()
    assert dlg.title_edit.text() == ES.EXPORT_TITLE_QUERY.format(query=QUERY)
    assert dlg.fmt() == "docx" and dlg.gongwen.isChecked() and dlg.excerpt.isVisible()  # a query: 全文/摘录
    assert dlg.target.text().endswith(".docx")  # the suggested, sanitised name
    _export(qtbot, dlg, out / "检索结果.docx")

    res = dlg.result
    assert res is not None and res.path == out / "检索结果.docx" and res.count == len(hits)
    assert str(res.path) in dlg.message.text() and dlg.message.property("kind") == "done"
    text = _squash("\n".join(p.text for p in Document(str(res.path)).paragraphs))
    for hit in hits[:3]:
        assert _squash(library.clause(hit.id).text)[:30] in text
    assert dlg.open_file_button.isVisible() and dlg.open_folder_button.isVisible()
    qtbot.mouseClick(dlg.open_file_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(dlg.open_folder_button, Qt.MouseButton.LeftButton)
    assert [u.toLocalFile() for u in opened] == [str(res.path), str(out)]
    assert all(u.isLocalFile() for u in opened)
    assert window.statusBar().currentMessage() == S.EXPORT_DONE_STATUS.format(path=res.path)
    assert window.settings.text("export/folder") == str(out)  # the next export starts here


def test_selected_results_export_only_those(qtbot: QtBot, window: MainWindow, search_for: Search,
                                            out: Path) -> None:
    search_for(window, QUERY)
    model, sel = window.search.model, window.search.list.selectionModel()
    for row in (0, 2):
        sel.select(model.index(row), sel.SelectionFlag.Select)
    want = [model.index(r).data(HitRole).id for r in (0, 2)]
    dlg = window.open_export()
    assert dlg is not None and dlg.request is not None
    assert dlg.request.scope == Scope.of_clauses(want) and not dlg.excerpt.isVisible()
    dlg.set_format("md")
    assert not dlg.gongwen.isEnabled()  # 版式 is for Word and PDF only
    _export(qtbot, dlg, out / "所选.md")
    assert dlg.result is not None and dlg.result.count == 2 and dlg.result.path.suffix == ".md"


def test_indicator_view_exports_the_task_table(qtbot: QtBot, window: MainWindow, library: Library,
                                               out: Path) -> None:
    window.tabs.setCurrentIndex(1)
    view = window.indicators
    qtbot.waitUntil(lambda: view.is_loaded, timeout=10_000)
    assert view.export_button.isEnabled()
    qtbot.mouseClick(view.export_button, Qt.MouseButton.LeftButton)
    dlg = _dialog(window)
    assert dlg.request is not None and dlg.request.scope.kind == "indicators"
    clauses = {r["clause"] for r in library.indicator_rows()}
    assert dlg.request.count == len(clauses)
    dlg.set_format("xlsx")
    assert not dlg.plain.isEnabled()
    _export(qtbot, dlg, out / "指标.xlsx")
    assert dlg.result is not None and dlg.result.format == "xlsx"
    wb = load_workbook(dlg.result.path, read_only=True)
    try:
        rows = list(wb.worksheets[0].iter_rows(values_only=True))
    finally:
        wb.close()
    assert tuple(rows[HEADER_ROW - 1]) == COLUMNS
    body = rows[HEADER_ROW:]
    assert len(body) == len(clauses)
    names = " ".join(str(r[COLUMNS.index("指标")] or "") for r in body)
    assert all(r["name"] in names for r in library.indicator_rows())


def test_department_view_exports_one_role(qtbot: QtBot, window: MainWindow, library: Library, out: Path) -> None:
    window.tabs.setCurrentIndex(3)
    view = window.departments
    qtbot.waitUntil(lambda: view.is_loaded, timeout=10_000)
    assert view.select(DEPT) and DEPT in view.export_button.text()
    qtbot.mouseClick(view.export_button, Qt.MouseButton.LeftButton)
    dlg = _dialog(window)
    lead = {c["id"] for c in library.department_clauses(DEPT)[0]["lead"]}
    dlg.roles.setCurrentIndex(exportdialog.role_index(("lead",)))
    assert dlg.request is not None and dlg.request.scope.roles == ("lead",) and dlg.request.count == len(lead)
    assert dlg.title_edit.text() == f"{DEPT}牵头条款" and dlg.target.text().endswith(f"{DEPT}牵头条款.docx")
    dlg.set_format("md")
    _export(qtbot, dlg, out / "牵头.md")
    assert dlg.result is not None and dlg.result.count == len(lead)


def test_open_export_takes_the_task_scope(qtbot: QtBot, window: MainWindow, out: Path) -> None:
    """The 我的任务 tab calls `open_export(Scope.of_tasks(library.tasks()))`."""
    task = {"clause_id": "美丽上海建设十五五规划-征求意见稿/四/（二）/3", "status": "进行中", "note": "每月报送"}
    dlg = window.open_export(Scope.of_tasks([task]))
    assert dlg is not None and dlg.request is not None
    assert dlg.scope_label.text() == f"{ES.EXPORT_SCOPE_TASKS}（{ES.EXPORT_COUNT.format(n=1)}）"
    assert dlg.title_edit.text() == ES.EXPORT_TITLE_TASKS
    dlg.set_format("docx")
    dlg.target.setText(str(out / "任务.pdf"))  # typed by hand, Word still chosen: the format wins
    _export(qtbot, dlg)
    assert dlg.result is not None and dlg.result.path.name == "任务.docx"
    paras = [p.text for p in Document(str(dlg.result.path)).paragraphs]
    assert any("进行中" in t for t in paras) and any("每月报送" in t for t in paras)


def test_existing_file_asks_before_overwriting(qtbot: QtBot, window: MainWindow, out: Path) -> None:
    window.tabs.setCurrentIndex(1)
    qtbot.waitUntil(lambda: window.indicators.is_loaded, timeout=10_000)
    dlg = window.open_export()
    assert dlg is not None
    (out / "指标.md").write_text("旧内容", encoding="utf-8")
    dlg.set_target(out / "指标.md")
    qtbot.mouseClick(dlg.export_button, Qt.MouseButton.LeftButton)
    box = dlg.overwrite_box
    assert box is not None and box.isVisible() and "指标.md" in box.text() and "指标(2).md" in box.text()
    keep = next(b for b in box.buttons() if b.text() == ES.EXPORT_KEEP_BOTH)
    qtbot.mouseClick(keep, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dlg.running and dlg.result is not None, timeout=20_000)
    assert dlg.result is not None and dlg.result.path.name == "指标(2).md"
    assert (out / "指标.md").read_text(encoding="utf-8") == "旧内容" and ES.EXPORT_RENAMED in dlg.message.text()
    qtbot.mouseClick(dlg.export_button, Qt.MouseButton.LeftButton)  # again: the user now replaces it
    box = dlg.overwrite_box
    assert box is not None
    qtbot.mouseClick(next(b for b in box.buttons() if b.text() == ES.EXPORT_OVERWRITE), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dlg.running, timeout=20_000)
    assert (out / "指标.md").read_text(encoding="utf-8").startswith("# ")


@pytest.fixture
def indicators_dialog(qtbot: QtBot, window: MainWindow) -> ExportDialog:
    window.tabs.setCurrentIndex(1)
    qtbot.waitUntil(lambda: window.indicators.is_loaded, timeout=10_000)
    dlg = window.open_export()
    assert dlg is not None
    return dlg


def _assert_error_shown(dlg: ExportDialog, *parts: str) -> None:
    text = dlg.message.text()
    assert dlg.isVisible() and dlg.message.isVisible() and dlg.message.property("kind") == "error"
    assert all(p in text for p in parts), text
    assert "Traceback" not in text and "Error" not in text
    assert dlg.export_button.isEnabled() and dlg.target.isEnabled()  # pick another name and retry
    assert dlg.result is None


def test_read_only_target_shows_chinese_error_and_stays_open(qtbot: QtBot, indicators_dialog: ExportDialog,
                                                             out: Path) -> None:
    dlg = indicators_dialog
    target = out / "只读.docx"
    target.write_bytes(b"old")
    target.chmod(stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH)
    dlg.set_target(target)
    qtbot.mouseClick(dlg.export_button, Qt.MouseButton.LeftButton)
    box = dlg.overwrite_box
    assert box is not None
    qtbot.mouseClick(next(b for b in box.buttons() if b.text() == ES.EXPORT_OVERWRITE), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dlg.running, timeout=20_000)
    _assert_error_shown(dlg, "只读", "只读.docx")
    assert target.read_bytes() == b"old" and sorted(p.name for p in out.iterdir()) == ["只读.docx"]
    _export(qtbot, dlg, out / "另一个.docx")  # the user picks another name: it works
    assert dlg.result is not None and dlg.result.path.name == "另一个.docx"


def test_missing_folder_and_locked_file_show_chinese_errors(qtbot: QtBot, indicators_dialog: ExportDialog,
                                                            out: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    dlg = indicators_dialog
    _export(qtbot, dlg, out / "不存在的文件夹" / "x.docx")
    _assert_error_shown(dlg, "目标文件夹不存在")

    from app.core.export import files

    def locked(_src: Any, _dst: Any) -> None:
        raise PermissionError(13, "The process cannot access the file")  # what Windows says for Word's lock

    class LockedOs:  # only the export's os.replace fails, not every os.replace in the process
        def __getattr__(self, name: str) -> Any:
            return locked if name == "replace" else getattr(os, name)

    monkeypatch.setattr(files, "REPLACE_SLEEP", 0.0)
    monkeypatch.setattr(files, "os", LockedOs())
    _export(qtbot, dlg, out / "占用.docx")
    _assert_error_shown(dlg, MSG_LOCKED, "占用.docx")
    assert list(out.iterdir()) == []  # the temp file is gone too


class Gate:
    """Holds the export's worker at a progress message until the test lets it go."""

    def __init__(self, library: Library, monkeypatch: pytest.MonkeyPatch, at: str) -> None:
        self.reached, self.release = threading.Event(), threading.Event()
        real = library.export

        def export(scope: Any, out: Path, *, progress: Any, **kw: Any) -> Any:
            def hold(done: int, total: int, message: str) -> None:
                progress(done, total, message)
                if at in message and not self.reached.is_set():
                    self.reached.set()
                    self.release.wait(20)

            return real(scope, out, progress=hold, **kw)

        monkeypatch.setattr(library, "export", export)


@pytest.fixture
def gate_factory(library: Library, monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[[str], Gate]]:
    gates: list[Gate] = []

    def make(at: str) -> Gate:
        gates.append(Gate(library, monkeypatch, at))
        return gates[-1]

    yield make
    for g in gates:  # never leave a worker blocked behind a failed assertion
        g.release.set()


@pytest.mark.parametrize("at", ["正在生成", "正在保存并校验"])
def test_cancel_during_export_leaves_no_file(qtbot: QtBot, window: MainWindow, out: Path,
                                             gate_factory: Callable[[str], Gate], at: str) -> None:
    gate = gate_factory(at)
    window.tabs.setCurrentIndex(4)
    qtbot.waitUntil(lambda: window.library_view.is_loaded, timeout=10_000)
    window.library_view.table.selectRow(0)  # the plan: its whole outline
    dlg = window.open_export()
    assert dlg is not None and dlg.request is not None and dlg.request.scope.kind == "doc"
    plan = dlg.request.scope.doc_id
    assert dlg.request.count == sum(1 for c in window.library.clauses(plan) if c.full_text.strip())
    dlg.set_format("pdf")
    dlg.set_target(out / "规划.pdf")
    qtbot.mouseClick(dlg.export_button, Qt.MouseButton.LeftButton)
    assert dlg.running and not dlg.export_button.isEnabled()
    qtbot.waitUntil(gate.reached.is_set, timeout=20_000)
    qtbot.waitUntil(dlg.progress_row.isVisible, timeout=2_000)
    qtbot.mouseClick(dlg.cancel_button, Qt.MouseButton.LeftButton)
    assert dlg.status.text() == ES.EXPORT_CANCELLING
    gate.release.set()
    qtbot.waitUntil(lambda: not dlg.running, timeout=20_000)
    assert dlg.message.text() == ES.EXPORT_CANCELLED and dlg.result is None and dlg.isVisible()
    assert os.listdir(out) == []  # neither the file nor its temp file


def test_closing_the_window_during_an_export_cancels_it(qtbot: QtBot, window: MainWindow, out: Path,
                                                        gate_factory: Callable[[str], Gate]) -> None:
    gate = gate_factory("正在生成")
    window.tabs.setCurrentIndex(1)
    qtbot.waitUntil(lambda: window.indicators.is_loaded, timeout=10_000)
    dlg = window.open_export()
    assert dlg is not None
    dlg.set_target(out / "指标.docx")
    qtbot.mouseClick(dlg.export_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(gate.reached.is_set, timeout=20_000)
    window.close()  # busy: the window asks first
    box = window.findChild(QMessageBox, "closeBusyBox")
    assert box is not None and box.text() == WS.CLOSE_BUSY_TEXT_EXPORT and window.isVisible()
    qtbot.mouseClick(next(b for b in box.buttons() if b.text() == WS.CLOSE_CANCEL), Qt.MouseButton.LeftButton)
    gate.release.set()
    qtbot.waitUntil(lambda: window._closed, timeout=15_000)
    assert not window.isVisible() and os.listdir(out) == []
