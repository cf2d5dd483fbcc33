"""Render each main view of the desktop app to PNG: `python -m app.ui.shots.screens [--out DIR]` (offscreen
or Xvfb).

Writes search.png (检索 with 垃圾分类), indicators.png (指标), timeline.png (时间线), departments.png (部门),
library.png (文件库), export.png and export-done.png (the 导出 dialog over 部门 › 市生态环境局, before and
after writing a .docx into a throw-away folder), empty.png (a query without results: what to try) and search-dark.png (检索 in the
dark scheme) at 1280×800 into docs/screenshots/. Uses a throw-away data dir (the index is built first,
~10 s) unless --data-dir names one. Prints any clipped widget it finds (app.ui.common.layoutcheck); run with
QT_SCALE_FACTOR=2 to check high-DPI rendering. Also comments.png (the 意见 tab, app.ui.comments.shots).
Last, compare.png: the 对照 tab after the 正式稿 of the plan is added (app.ui.compare.shots).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor, QPainter
from PySide6.QtWidgets import QWidget

from app.core.library import Library
from app.core.paths import AppPaths
from app.ui.comments import shots as comment_shots
from app.ui.common import theme
from app.ui.common.layoutcheck import clipped
from app.ui.compare import shots as compare_shots
from app.ui.main import ensure_app
from app.ui.shots import desk as shots_desk
from app.ui.shots.wait import wait
from app.ui.window.mainwindow import MainWindow

OUT = Path(__file__).resolve().parents[3] / "docs" / "screenshots"
NO_MATCH_QUERY = "元宇宙 量子计算"
SHOTS = 9 + shots_desk.SHOTS + comment_shots.SHOTS + compare_shots.SET_SHOTS  # shots_desk: tasks,
# tasks-progress, indicator-progress, backup, tasks-dark; comment_shots: comments (the 意见 tab);
# compare_shots: compare (the 对照 tab, after adding the 正式稿 of the plan: taken last)
EXPORT_DEPT = "市生态环境局"


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="scripts/screenshots.py")
    p.add_argument("--out", type=Path, default=OUT)
    p.add_argument("--data-dir")
    p.add_argument("--query", default="垃圾分类")
    args = p.parse_args(argv)
    app = ensure_app()
    tmp = None if args.data_dir else tempfile.TemporaryDirectory(prefix="policydesk-shots-")
    lib = Library(AppPaths.resolve(args.data_dir or tmp.name))  # type: ignore[union-attr]
    win = MainWindow(lib)
    win.resize(1280, 800)
    win.show()
    win.start()
    args.out.mkdir(parents=True, exist_ok=True)
    saved: list[Path] = []

    def save(name: str, dialog: QWidget | None = None) -> None:
        path = args.out / name
        image = win.grab()
        if dialog is not None:  # offscreen dialogs are separate windows: draw it over the window, framed
            shot = dialog.grab()
            at = QPoint((image.width() - shot.width()) // 2, (image.height() - shot.height()) // 3)
            painter = QPainter(image)
            painter.drawPixmap(at, shot)
            painter.setPen(QColor(theme.current().fainter))
            painter.drawRect(at.x() - 1, at.y() - 1, shot.width() + 1, shot.height() + 1)
            painter.end()
        if not image.save(str(path)):
            raise OSError(f"could not save {path}")
        saved.append(path)
        print(f"saved {path}")
        for problem in [*clipped(win), *(clipped(dialog) if dialog is not None else [])]:
            print(f"  clipped in {name}: {problem}")

    finished: list[object] = []
    win.search.search_finished.connect(finished.append)

    def search(query: str) -> None:
        finished.clear()
        win.search.box.setText(query)
        win.search.search_now()
        wait(app, lambda: bool(finished))

    try:
        wait(app, lambda: win.search.box.isEnabled() and win.index_handle is None, timeout=600)
        search(args.query)
        wait(app, lambda: win.reader.current_clause_id is not None and win.reader_pane.related.data is not None,
             settle=0.8)
        save("search.png")
        for n, name in enumerate(("indicators.png", "timeline.png", "departments.png", "library.png"), start=1):
            view = win.views[n - 1]
            win.tabs.setCurrentIndex(n)
            wait(app, lambda v=view: v.is_loaded)  # type: ignore[misc]
            if name == "departments.png":
                win.departments.select("市生态环境局")
            if name == "timeline.png":
                win.timeline.select_year(2030)
            wait(app, lambda: True, settle=0.4)
            save(name)
        shots_desk.shoot(app, win, save, wait)  # 我的任务 with tasks in every 督办 state, progress, backups
        comment_shots.shoot(app, win, save, wait)  # 意见 with comments on five clauses of the plan
        win.tabs.setCurrentIndex(3)
        win.departments.select(EXPORT_DEPT)
        dlg = win.open_export()
        assert dlg is not None
        wait(app, dlg.isVisible, settle=0.4)
        save("export.png", dlg)
        with tempfile.TemporaryDirectory(prefix="policydesk-export-") as folder:
            dlg.set_target(Path(folder) / Path(dlg.target.text()).name)
            dlg.start_export()
            wait(app, lambda: not dlg.running, settle=0.4)
            save("export-done.png", dlg)
        dlg.close()
        win.tabs.setCurrentIndex(0)
        search(NO_MATCH_QUERY)
        wait(app, lambda: win.reader.current_clause_id is None, settle=0.5)
        save("empty.png")
        theme.set_scheme(Qt.ColorScheme.Dark)
        search(args.query)
        wait(app, lambda: win.reader.current_clause_id is not None and win.reader_pane.related.data is not None,
             settle=0.8)
        save("search-dark.png")
        shots_desk.shoot_dark(app, win, save, wait)
        compare_shots.shoot(app, win, save, wait)  # adds a document: last (back in the system's scheme)
    finally:
        theme.set_scheme(Qt.ColorScheme.Unknown)
        win.shutdown()
        win.close()
        if tmp is not None:
            tmp.cleanup()
    return 0 if len(saved) == SHOTS else 1


if __name__ == "__main__":
    sys.exit(main())
