"""Screenshots of commenting: `python -m app.ui.comments.shots [--data-dir DIR] [--out DIR]` (offscreen or Xvfb).

Adds five comments on clauses of the plan (one from a selection in the reader, through the editor), then
writes comment-editor.png (the editor over the window), comment-reader.png (the reader with 意见 N and a
result row marked 意见N), comments.png (the 意见 tab), feedback.png and feedback-done.png (the 导出意见反馈表
dialog before and after writing a .docx, kept in the output folder). Works on a copy of --data-dir (a built
library; without it, a throw-away one is indexed first). `shoot` adds comments.png to app.ui.shots.screens.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QApplication

from app.core.library import Library

PLAN = "美丽上海建设十五五规划-征求意见稿"
SELECTED = (f"{PLAN}/四/（五）/1", "危险废物和重点一般工业固废填埋处置占比稳步下降")
SHOTS = 1  # in app.ui.shots.screens: comments.png


def populate(lib: Library) -> list[str]:
    """Four comments on the plan (the fifth is typed in the editor by `main`); returns their ids."""
    desk = lib.comments
    desk.set_defaults(unit="市生态环境局固体废物与化学品管理处", contact="王明", phone="021-23115678")
    made = [
        desk.add(f"{PLAN}/三/（一）/1", kind="修改", quote="在重点领域和行业率先开展产品碳足迹认证和碳效评价试点",
                 proposal="建议修改为“在钢铁、石化、汽车等重点行业率先开展产品碳足迹认证和碳效评价”。",
                 reason="明确行业范围，便于各部门对照落实。"),
        desk.add(f"{PLAN}/一", kind="补充", quote="统筹产业结构调整、污染治理、生态保护、应对气候变化", proposal="建议在总体要求中补充“统筹发展和安全”的表述。",
                 reason="与国家《关于全面推进美丽中国建设的意见》表述保持一致。"),
        desk.add(f"{PLAN}/四/（五）/2", kind="删除", quote="", proposal="",
                 reason="与第四部分（五）1. 内容重复。"),
        desk.add(f"{PLAN}/四/（五）/3", kind="其他", proposal="建议明确牵头单位和配合单位。",
                 reason="便于分解任务、落实责任。"),
    ]
    return [c.id for c in made]


Save = Callable[..., None]
Wait = Callable[..., None]


def shoot(app: QApplication, win: Any, save: Save, wait: Wait) -> None:
    """For app.ui.shots.screens: the 意见 tab with the demo comments (the fifth as `main` types it)."""
    lib = win.library
    populate(lib)
    lib.comments.add(SELECTED[0], quote=SELECTED[1], proposal="建议明确“稳步下降”的量化目标。",
                     reason="量化目标便于年度考核评估。", cited=[f"{PLAN}/三/（一）/1"])
    view = win.commenting.view
    view.invalidate()
    win.tabs.setCurrentWidget(view)
    wait(app, lambda: view.is_loaded, settle=0.4)
    save("comments.png")


def main(argv: list[str] | None = None) -> int:
    from app.core.paths import AppPaths
    from app.ui.comments.reader import ReaderComments
    from app.ui.main import ensure_app
    from app.ui.shots.wait import wait
    from app.ui.window.mainwindow import MainWindow

    p = argparse.ArgumentParser(prog="python -m app.ui.comments.shots")
    p.add_argument("--data-dir", type=Path)
    p.add_argument("--out", type=Path, default=Path(tempfile.gettempdir()) / "policydesk-comment-shots")
    args = p.parse_args(argv)
    app = ensure_app()
    tmp = tempfile.TemporaryDirectory(prefix="policydesk-comments-")
    data = Path(tmp.name) / "data"
    if args.data_dir:
        shutil.copytree(args.data_dir, data, ignore=shutil.ignore_patterns("*.lock", "logs"))
    lib = Library(AppPaths.resolve(data))
    win = MainWindow(lib)
    win.resize(1280, 800)
    win.show()
    win.start()
    args.out.mkdir(parents=True, exist_ok=True)
    saved: list[Path] = []
    save = _saver(win, args.out, saved)
    try:
        wait(app, lambda: win.search.box.isEnabled() and win.index_handle is None, timeout=600)
        populate(lib)
        finished: list[object] = []
        win.search.search_finished.connect(finished.append)
        win.search.box.setText("无废城市")
        win.search.search_now()
        wait(app, lambda: bool(finished))
        win.open_clause(SELECTED[0])
        wait(app, lambda: win.reader.current_clause_id == SELECTED[0], settle=0.8)
        cur = win.reader.document().find(SELECTED[1])
        win.reader.setTextCursor(cur)
        reader: ReaderComments = win.commenting.reader
        reader.request()
        wait(app, lambda: win.commenting.editor is not None and win.commenting.editor.isVisible(), settle=0.5)
        ed = win.commenting.editor
        ed.proposal.setPlainText("建议明确“稳步下降”的量化目标，如“到2030年，危险废物和重点一般工业固废填埋处置占比"
                                 "下降至10%以下”。")
        ed.reason.setPlainText("量化目标便于年度考核评估，与第三部分主要指标衔接。")
        ed.cited.add(f"{PLAN}/三/（一）/1", lib.comments.citation(f"{PLAN}/三/（一）/1"))
        wait(app, lambda: True, settle=0.3)
        save("comment-editor.png", ed)
        ed.save()
        wait(app, lambda: not ed.isVisible() and reader.badge.isVisible(), settle=0.8)
        save("comment-reader.png")
        view = win.commenting.view
        win.tabs.setCurrentWidget(view)
        wait(app, lambda: view.is_loaded and view.model.rowCount() > 0, settle=0.5)
        save("comments.png")
        dlg = win.commenting.open_feedback(PLAN)
        wait(app, lambda: dlg.loaded, settle=0.5)
        (args.out / "意见反馈表.docx").unlink(missing_ok=True)  # else 覆盖? would be asked
        dlg.set_target(args.out / "意见反馈表.docx")
        save("feedback.png", dlg)
        dlg.start_export()
        wait(app, lambda: not dlg.running and dlg.result is not None, timeout=60, settle=0.4)
        save("feedback-done.png", dlg)
        dlg.close()
    finally:
        win.shutdown()
        win.close()
        lib.close()
        tmp.cleanup()
    return 0 if len(saved) == 5 else 1


def _saver(win: Any, out: Path, saved: list[Path]) -> Save:
    from PySide6.QtCore import QPoint
    from PySide6.QtGui import QColor, QPainter

    from app.ui.common import theme
    from app.ui.common.layoutcheck import clipped

    def save(name: str, dialog: Any = None) -> None:
        image = win.grab()
        if dialog is not None:  # offscreen dialogs are separate windows: draw it over the window, framed
            shot = dialog.grab()
            at = QPoint((image.width() - shot.width()) // 2, max(0, (image.height() - shot.height()) // 3))
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

    return save


if __name__ == "__main__":
    sys.exit(main())
