"""The search tab's workbench: facets, outline, related links, keyboard, settings (real engine and index)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from app.core.library import Library
from app.ui.reader import strings as RS
from app.ui.reader.citation import citation_text
from app.ui.window.mainwindow import MainWindow

Search = Callable[[MainWindow, str], None]
PLAN = "美丽上海建设十五五规划-征求意见稿"


def test_facet_filter_narrows_results_and_counts(qtbot: QtBot, window: MainWindow, search_for: Search) -> None:
    search_for(window, "垃圾分类")
    total = window.search.model.rowCount()
    facets = window.facets
    n_law = facets.count("kind", "法律")
    assert n_law is not None and 0 < n_law < total
    with qtbot.waitSignal(window.search.search_finished, timeout=10_000) as blocker:
        facets.set_checked("kind", "法律")
    result = blocker.args[0]
    assert result.total == n_law
    assert all(h.kind == "法律" for h in result.hits)
    assert facets.count("kind", "法律") == n_law and facets.count("kind", "地方性法规") is None
    assert sum(facets.groups["doc"].child(i).data(0, Qt.ItemDataRole.UserRole + 3)
               for i in range(facets.groups["doc"].childCount())) == n_law
    with qtbot.waitSignal(window.search.search_finished, timeout=10_000) as blocker:
        facets.clear_button.click()
    assert blocker.args[0].total == total


def test_synonyms_used_are_shown(window: MainWindow, search_for: Search) -> None:
    search_for(window, "碳排放")
    assert window.search.also.isVisible()
    assert "二氧化碳排放" in window.search.also.text()
    assert "也匹配" not in window.search.status.text()


def test_outline_navigation_and_prev_next(qtbot: QtBot, window: MainWindow, library: Library) -> None:
    clauses = list(library.clauses(PLAN))
    target = next(c for c in clauses if c.level == "task")
    window.open_clause(target.id)
    qtbot.waitUntil(lambda: window.reader.current_clause_id == target.id, timeout=5_000)
    qtbot.waitUntil(lambda: window.outline.current_id() == target.id, timeout=5_000)
    assert len(window.outline.items) == len(clauses)
    # click another entry of the outline
    other = clauses[1]
    item = window.outline.items[other.id]
    window.outline.scrollToItem(item)
    qtbot.mouseClick(window.outline.viewport(), Qt.MouseButton.LeftButton,
                     pos=window.outline.visualItemRect(item).center())
    qtbot.waitUntil(lambda: window.reader.current_clause_id == other.id, timeout=5_000)
    # Ctrl+] and Ctrl+[ step through the document
    window.reader.setFocus()
    qtbot.keyClick(window.reader, Qt.Key.Key_BracketRight, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: window.reader.current_clause_id == clauses[2].id, timeout=5_000)
    qtbot.keyClick(window.reader, Qt.Key.Key_BracketLeft, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: window.reader.current_clause_id == clauses[1].id, timeout=5_000)
    assert window.outline.current_id() == clauses[1].id


def test_ctrl_c_copies_the_clause_with_its_citation(qtbot: QtBot, window: MainWindow, library: Library,
                                                    search_for: Search) -> None:
    clauses = list(library.clauses(PLAN))
    doc = library.document(PLAN)
    task = next(c for c in clauses if c.level == "task" and c.path[0].startswith("四、") and c.number == "3")
    text = citation_text(doc, task, clauses)
    # A task is cited by its lead sentence, never by the ordinal the parser gave it (the plan prints none).
    assert text.startswith("《美丽上海建设“十五五”规划（征求意见稿）》四、（") and f"“{task.heading.rstrip('。')[:10]}" in text
    assert "3. " not in text[:40]
    window.open_clause(task.id)
    qtbot.waitUntil(lambda: window.reader.current_clause_id == task.id, timeout=5_000)
    QGuiApplication.clipboard().clear()
    window.reader.setFocus()
    qtbot.keyClick(window.reader, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    assert QGuiApplication.clipboard().text() == text
    assert task.heading in text
    # a law article from the result list
    search_for(window, "生活垃圾 分类投放 管理责任人")
    hit = window.search.current_hit()
    assert hit is not None
    qtbot.waitUntil(lambda: window.reader.current_clause_id == hit.id, timeout=5_000)
    window.search.list.setFocus()
    qtbot.keyClick(window.search.list, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    copied = QGuiApplication.clipboard().text()
    assert copied.startswith(f"《{hit.doc_title}》") and copied.split("》", 1)[1].startswith("第")


def test_related_and_cited_links_open(qtbot: QtBot, window: MainWindow, search_for: Search) -> None:
    search_for(window, "垃圾分类")
    related = window.reader_pane.related
    qtbot.waitUntil(lambda: related.data is not None, timeout=10_000)
    assert related.data is not None and related.data["related"]
    assert RS.RELATED_TITLE in related.text() and "clause:" in related.text()
    target = related.data["related"][0]["id"]
    related.linkActivated.emit(f"clause:{target}")
    qtbot.waitUntil(lambda: window.reader.current_clause_id == target, timeout=5_000)


def test_shortcuts_help_font_size_and_settings(qtbot: QtBot, window: MainWindow, library: Library,
                                               search_for: Search) -> None:
    window.search.list.setFocus()
    qtbot.keyClick(window.search.list, Qt.Key.Key_F1)
    box = window.findChild(QMessageBox, "shortcutsBox")
    assert box is not None and "Ctrl+[" in box.text()
    box.close()
    px = window.reader.font_px
    qtbot.keyClick(window.reader, Qt.Key.Key_Equal, Qt.KeyboardModifier.ControlModifier)
    assert window.reader.font_px == px + 2
    qtbot.keyClick(window.reader, Qt.Key.Key_Minus, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(window.reader, Qt.Key.Key_Minus, Qt.KeyboardModifier.ControlModifier)
    assert window.reader.font_px == px - 2
    search_for(window, "无废城市")
    window.shutdown()
    ini = library.paths.data / "ui.ini"
    assert ini.exists()
    reopened = MainWindow(library)
    qtbot.addWidget(reopened)
    assert reopened.search.box.text() == "无废城市"
    assert reopened.reader.font_px == px - 2
    assert "无废城市" in reopened.completer.history
    reopened.shutdown()


def test_older_versions_toggle_searches_all_versions(tmp_path, library, open_window, search_for, qtbot) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path / "versions"
    folder.mkdir()
    for date in ("2010-01-01", "2020-01-01"):
        (folder / f"某某条例({date}).md").write_text(
            f"# 某某条例\n\n{date} 通过\n\n<!-- INFO END -->\n\n第一条 共同条文甲乙丙。\n", encoding="utf-8")
    library.index([folder])
    win = open_window(library)
    qtbot.waitUntil(win.search.box.isEnabled, timeout=20_000)
    search_for(win, "共同条文甲乙丙")
    assert win.search.model.rowCount() == 1
    with qtbot.waitSignal(win.search.search_finished, timeout=10_000):
        win.search.versions.setChecked(True)
    assert win.search.model.rowCount() == 2
