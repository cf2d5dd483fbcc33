"""Nothing a user wrote is lost (issue 6, RELIABILITY.md C3/C4/C9, D7, G2): the note draft autosaves and
is offered back by the next window, closing flushes the note being typed, what the data check at start
found is shown, backups are listed/made/restored from the 数据备份与恢复 dialog, a second instance
says 程序已在运行."""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox, QPushButton
from pytestqt.qtbot import QtBot

from app.core.library import Library
from app.core.paths import AppPaths
from app.ui.common import strings as S
from app.ui.desk import strings as DS
from app.ui.desk.data import draft_key
from app.ui.desk.editor import DRAFT_DELAY_MS
from app.ui.desk.view import TasksView
from app.ui.window import strings as WS
from app.ui.window.mainwindow import MainWindow

Open = Callable[..., MainWindow]
PLAN = "美丽上海建设十五五规划-征求意见稿"
WASTE = "上海市生活垃圾管理条例(2019-01-31)"


def show_tasks(qtbot: QtBot, win: MainWindow) -> TasksView:
    with qtbot.waitSignal(win.tasks_view.loaded, timeout=10_000):
        win.tabs.setCurrentWidget(win.tasks_view)
    return win.tasks_view


def test_draft_autosaves_and_the_next_window_offers_it_back(qtbot: QtBot, library: Library,
                                                           open_window: Open) -> None:
    t = library.desk.bookmark(f"{PLAN}/四/（五）/1", note="已保存的笔记")
    win = open_window(library)
    view = show_tasks(qtbot, win)
    ed = view.editor
    qtbot.waitUntil(lambda: ed.task_id == t.id, timeout=5_000)
    assert ed.draft_timer.interval() == DRAFT_DELAY_MS == 2_000
    ed.note.setPlainText("已保存的笔记\n正在输入的一行")
    assert library.user.get_draft(draft_key(t.id)) is None  # debounced: not on every keystroke
    qtbot.waitUntil(lambda: library.user.get_draft(draft_key(t.id)) is not None, timeout=DRAFT_DELAY_MS + 3_000)
    assert library.user.get_draft(draft_key(t.id)).text == "已保存的笔记\n正在输入的一行"
    # The hint follows the saved signal from the user-data thread: wait for it rather than race it.
    qtbot.waitUntil(lambda: "草稿已自动保存" in ed.hint.text(), timeout=3_000)
    assert library.user.get_task(t.id).note == "已保存的笔记"  # the draft is not a save
    win.close()
    qtbot.waitUntil(lambda: not win.isVisible(), timeout=5_000)

    again = open_window(library)
    banner = again.drafts_banner
    qtbot.waitUntil(banner.isVisible, timeout=10_000)
    assert "发现 1 条未保存的笔记草稿" in banner.label.text()
    assert set(banner.buttons) == {WS.DRAFTS_RESTORE, WS.DRAFTS_DISCARD}
    view2 = again.tasks_view
    with qtbot.waitSignal(view2.loaded, timeout=10_000):
        banner.buttons[WS.DRAFTS_RESTORE].click()
    assert library.user.get_task(t.id).note == "已保存的笔记\n正在输入的一行"
    assert library.user.get_draft(draft_key(t.id)) is None
    assert again.tabs.currentWidget() is view2 and view2.editor.task_id == t.id
    assert view2.editor.note.toPlainText() == "已保存的笔记\n正在输入的一行" and not view2.editor.is_dirty()


def test_closing_flushes_the_note_and_discard_drops_it(qtbot: QtBot, library: Library, open_window: Open) -> None:
    t = library.desk.bookmark(f"{WASTE}/第十二条", note="旧")
    win = open_window(library)
    view = show_tasks(qtbot, win)
    qtbot.waitUntil(lambda: view.editor.task_id == t.id, timeout=5_000)
    view.editor.note.setPlainText("关窗前最后输入的")
    win.close()  # well before the 2 s autosave: the close flushes it
    qtbot.waitUntil(lambda: not win.isVisible(), timeout=5_000)
    assert library.user.get_draft(draft_key(t.id)).text == "关窗前最后输入的"

    again = open_window(library)
    qtbot.waitUntil(again.drafts_banner.isVisible, timeout=10_000)
    view2 = show_tasks(qtbot, again)
    qtbot.waitUntil(lambda: view2.editor.task_id == t.id, timeout=5_000)
    assert view2.editor.note.toPlainText() == "关窗前最后输入的" and view2.editor.is_dirty()  # shown, unsaved
    assert "未保存的笔记草稿" in view2.editor.hint.text()
    again.drafts_banner.buttons[WS.DRAFTS_DISCARD].click()
    qtbot.waitUntil(lambda: library.user.get_draft(draft_key(t.id)) is None, timeout=5_000)
    qtbot.waitUntil(lambda: view2.editor.note.toPlainText() == "旧", timeout=5_000)
    assert library.user.get_task(t.id).note == "旧"


def test_unclean_exit_is_reported_at_start(qtbot: QtBot, library: Library, open_window: Open) -> None:
    library.paths.data.mkdir(parents=True, exist_ok=True)
    (library.paths.data / "running.marker").write_text("pid=1\n", encoding="utf-8")
    win = open_window(library)
    qtbot.waitUntil(win.data_banner.isVisible, timeout=10_000)
    assert "上次程序未正常退出" in win.data_banner.label.text()
    assert S.ACTION_BACKUPS_SHORT in win.data_banner.buttons


def test_a_damaged_data_file_is_restored_and_said_so(qtbot: QtBot, library: Library, open_window: Open) -> None:
    t = library.desk.bookmark(f"{PLAN}/四/（五）/1", note="备份里的笔记")
    library.user.backup_db(force=True)
    db = library.user.path
    library.close()
    with db.open("r+b") as f:  # the header: "file is not a database"
        f.write(b"\x00garbage" * 20)
    win = open_window(library)
    qtbot.waitUntil(lambda: win.findChild(QMessageBox, "dataRecoveredBox") is not None, timeout=10_000)
    box = win.findChild(QMessageBox, "dataRecoveredBox")
    assert box is not None and "数据文件已损坏，已从" in box.text() and "的备份恢复" in box.text()
    assert win.data_banner.isVisible() and "数据文件已损坏" in win.data_banner.label.text()
    assert library.user.get_task(t.id).note == "备份里的笔记"
    box.close()


def test_backup_dialog_lists_makes_and_restores(qtbot: QtBot, library: Library, open_window: Open,
                                                tmp_path: Path) -> None:
    t = library.desk.bookmark(f"{PLAN}/四/（五）/1", note="备份前的笔记")
    win = open_window(library)
    dlg = win.open_backups()
    qtbot.waitUntil(dlg.isVisible, timeout=5_000)
    qtbot.waitUntil(lambda: dlg.where.text() != "", timeout=5_000)
    before = dlg.table.rowCount()
    dlg.backup_button.click()
    qtbot.waitUntil(lambda: dlg.table.rowCount() == before + 1, timeout=10_000)
    assert "已备份" in dlg.status.text()
    newest = dlg.backups[0]
    assert dlg.table.item(0, 3).text() == DS.BACKUP_TASKS.format(n=1) and newest.tasks == 1

    library.user.update_task(t.id, note="备份后改过的笔记")
    dlg.table.selectRow(0)
    box = dlg.ask_restore()
    assert box is not None
    ok = next(b for b in box.findChildren(QPushButton) if b.text() == DS.BACKUP_RESTORE_OK)
    ok.click()
    qtbot.waitUntil(lambda: library.user.get_task(t.id).note == "备份前的笔记", timeout=10_000)
    qtbot.waitUntil(lambda: "已从" in dlg.status.text(), timeout=5_000)
    assert any(b.tag == "pre-restore" for b in library.user.list_backups())  # the current data was kept first

    out = tmp_path / "任务.json"
    dlg.export_to(out)
    qtbot.waitUntil(out.exists, timeout=5_000)
    assert [x["note"] for x in json.loads(out.read_text(encoding="utf-8"))["tasks"]] == ["备份前的笔记"]
    dlg.import_from(out)  # merging what is already here: nothing doubles
    qtbot.waitUntil(lambda: "导入完成" in dlg.status.text(), timeout=5_000)
    assert "跳过 1 条" in dlg.status.text() and [x.note for x in library.user.list_tasks()] == ["备份前的笔记"]
    dlg.close()


def test_periodic_backup_only_when_something_changed(qtbot: QtBot, library: Library, open_window: Open) -> None:
    win = open_window(library)
    assert win.backup_timer.isActive() and win.backup_timer.interval() == 30 * 60 * 1000
    library.desk.bookmark(f"{WASTE}/第十二条")
    count = len(library.user.list_backups())
    win.periodic_backup()
    qtbot.waitUntil(lambda: len(library.user.list_backups()) == count + 1, timeout=10_000)
    win.periodic_backup()  # nothing changed since: no new file
    win.tasks.user_pool.waitForDone(5_000)
    assert len(library.user.list_backups()) == count + 1


def test_second_instance_says_already_running(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from app.ui import main
    from app.ui.common import dialogs

    paths = AppPaths.resolve(tmp_path / "d")
    paths.data.mkdir(parents=True)
    first = main.acquire_instance_lock(paths)
    assert first is not None
    shown: list[str] = []
    monkeypatch.setattr(dialogs, "setup_logging", lambda _d: tmp_path / "log")
    monkeypatch.setattr(QMessageBox, "information", lambda _p, _title, text, *_a: shown.append(text))
    try:
        rc = main.run_gui(argparse.Namespace(data_dir=str(tmp_path / "d")))
    finally:
        first.unlock()
    assert rc == 0 and len(shown) == 1 and "程序已在运行" in shown[0]
