"""Screenshots of the versions screens as a user meets them: `python -m app.ui.compare.shots [--out DIR]`
(offscreen or under Xvfb). In a throw-away data dir: index the shipped corpus, bookmark clauses of the plan
that the 正式稿 changes or drops (and comment on one), add tests/data/plan-final.md, then save

compare-banner.png (the new-version notice over the 导入报告), compare-links.png (版本关联…),
compare-library.png (文件库 with its 版本 column, the 征求意见稿 selected), compare.png
(对照 with the 生活垃圾 clause selected), compare-review.png (核对迁移的任务和意见), compare-export.png (the
新旧对照表 dialog after writing a .docx, kept as 新旧对照表.docx beside the PNGs), and compare-dark.png /
compare-review-dark.png in the dark scheme. Prints any clipped widget (app.ui.common.layoutcheck).

`shoot` is the part `app.ui.shots.screens` takes into the app's screenshot set: compare.png.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor, QPainter
from PySide6.QtWidgets import QWidget

from app.core.library import Library
from app.core.paths import AppPaths
from app.ui.common import theme
from app.ui.common.layoutcheck import clipped
from app.ui.common.lazyview import KeyRole
from app.ui.main import ensure_app
from app.ui.shots.wait import wait
from app.ui.window.mainwindow import MainWindow

ROOT = Path(__file__).resolve().parents[3]
FINAL_FILE = ROOT / "tests" / "data" / "plan-final.md"
PLAN = "美丽上海建设十五五规划-征求意见稿"
FINAL = "plan-final"
WASTE = f"{PLAN}/四/（五）/2"  # 生活垃圾回收利用率 50% → 55%, 2030 → 2028
SHOTS = 8  # this script's
SET_SHOTS = 1  # what `shoot` adds to app.ui.shots.screens: compare.png


def demo_work(lib: Library) -> None:
    """Work on clauses the 正式稿 changes: a task on an edited one, one on a dropped one, one that holds."""
    desk = lib.desk
    desk.bookmark(WASTE, note="回收利用率目标需分解到各区。")
    desk.bookmark(f"{PLAN}/四/（三）/2", note="土壤修复试点：跟进吴淞、吴泾。")
    desk.bookmark(f"{PLAN}/四/（五）/1")
    lib.comments.add(WASTE, proposal="建议将“2030年”改为“2028年”，与全市无废城市建设进度衔接。",
                     reason="《上海市“无废城市”建设工作方案》", kind="修改", quote="2030")


def add_final_version(app: Any, win: MainWindow, wait: Callable[..., None]) -> None:
    """Add the 正式稿 as a user does (文库 › 添加文件…) and wait for the new-version notice."""
    ui = win.version_ui
    win.add_files([str(FINAL_FILE)])
    wait(app, lambda: win.index_handle is None and ui.banner.isVisible(), timeout=300, settle=0.3)
    wait(app, lambda: ui.report_banner is not None, timeout=30)  # the notice in the 导入报告 too
    if any(k.state == "suggested" and k.certain for k in win.library.version_links(detect=False)):
        wait(app, lambda: not win.tasks.busy(), timeout=60, settle=0.6)  # carried work: the notice says so


def show_compare(app: Any, win: MainWindow, wait: Callable[..., None]) -> None:
    """The 对照 tab on the plan's two versions, the 生活垃圾 clause (50% → 55%) selected."""
    ui = win.version_ui
    ui.compare(PLAN, FINAL)
    wait(app, lambda: ui.view.comparison is not None, settle=0.3)
    ui.view.select_clause(f"{FINAL}/五/（五）/2")
    wait(app, lambda: True, settle=0.5)


def shoot(app: Any, win: MainWindow, save: Callable[..., None], wait: Callable[..., None]) -> None:
    """For app.ui.shots.screens (after its other shots: this adds a document): compare.png."""
    theme.set_scheme(Qt.ColorScheme.Unknown)
    add_final_version(app, win, wait)
    report = win.import_report_dialog
    if report is not None:
        report.close()
    show_compare(app, win, wait)
    save("compare.png")


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m app.ui.compare.shots")
    p.add_argument("--out", type=Path, default=Path(tempfile.gettempdir()) / "policydesk-compare-shots")
    args = p.parse_args(argv)
    app = ensure_app()
    tmp = tempfile.TemporaryDirectory(prefix="policydesk-compare-")
    lib = Library(AppPaths.resolve(tmp.name))
    win = MainWindow(lib)
    win.resize(1280, 800)
    win.show()
    win.start()
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    saved: list[Path] = []

    def save(name: str, dialog: QWidget | None = None) -> None:
        image = win.grab()
        if dialog is not None:  # offscreen dialogs are separate windows: draw it over the window, framed
            shot = dialog.grab()
            at = QPoint(max(0, (image.width() - shot.width()) // 2), max(0, (image.height() - shot.height()) // 3))
            painter = QPainter(image)
            painter.drawPixmap(at, shot)
            painter.setPen(QColor(theme.current().fainter))
            painter.drawRect(at.x() - 1, at.y() - 1, shot.width() + 1, shot.height() + 1)
            painter.end()
        path = out / name
        if not image.save(str(path)):
            raise OSError(f"could not save {path}")
        saved.append(path)
        print(f"saved {path}")
        for problem in [*clipped(win), *(clipped(dialog) if dialog is not None else [])]:
            print(f"  clipped in {name}: {problem}")

    ui = win.version_ui
    try:
        wait(app, lambda: win.search.box.isEnabled() and win.index_handle is None, timeout=600)
        demo_work(lib)
        add_final_version(app, win, wait)
        report = win.import_report_dialog
        assert report is not None
        save("compare-banner.png", report)
        report.close()
        links = ui.open_links()
        wait(app, lambda: links.table.rowCount() > 0, settle=0.5)
        save("compare-links.png", links)
        links.close()
        lv = win.library_view
        win.tabs.setCurrentWidget(lv)
        wait(app, lambda: lv.is_loaded, settle=0.3)
        row = next(r for r in range(lv.proxy.rowCount()) if lv.proxy.index(r, 0).data(KeyRole) == PLAN)
        lv.table.selectRow(row)
        wait(app, lambda: True, settle=0.4)
        save("compare-library.png")
        view = ui.view
        show_compare(app, win, wait)
        save("compare.png")
        ui.review(PLAN, FINAL)
        wait(app, lambda: ui.review_dialog is not None and ui.review_dialog.isVisible()
             and ui.review_dialog.result is not None, settle=0.5)
        review = ui.review_dialog
        assert review is not None
        save("compare-review.png", review)
        review.hide()
        assert view.comparison is not None
        dlg = ui.open_export(view.comparison)
        with tempfile.TemporaryDirectory(prefix="policydesk-compare-export-") as folder:
            dlg.set_target(Path(folder) / "新旧对照表.docx")
            dlg.start_export()
            wait(app, lambda: not dlg.running and dlg.result is not None, timeout=120, settle=0.4)
            save("compare-export.png", dlg)
            assert dlg.result is not None
            shutil.copy(dlg.result.path, out / "新旧对照表.docx")
        dlg.close()
        theme.set_scheme(Qt.ColorScheme.Dark)
        wait(app, lambda: True, settle=0.5)
        save("compare-dark.png")
        review.show()
        wait(app, lambda: True, settle=0.5)
        save("compare-review-dark.png", review)
        review.hide()
    finally:
        theme.set_scheme(Qt.ColorScheme.Unknown)
        win.shutdown()
        win.close()
        tmp.cleanup()
    return 0 if len(saved) == SHOTS else 1


if __name__ == "__main__":  # spawned index workers import this module: only the main process shoots
    sys.exit(main())
