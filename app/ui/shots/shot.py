"""Screenshot of the main window for review: `python -m app.ui.shots.shot OUT.png [QUERY] [--data-dir DIR]`.

Opens the window at 1280×800 on the given (or default) data dir, builds the index if needed, searches
QUERY (default 垃圾分类), selects the first result, waits for the reading pane, and saves a PNG.
With `--edit` the correction dialog (修改条款信息) is opened too and drawn over the window, centred.
"""

from __future__ import annotations

import argparse
import sys

from PySide6.QtCore import QPoint, QTimer
from PySide6.QtGui import QColor, QPainter

from app.core.library import Library
from app.core.paths import AppPaths
from app.ui.common import theme
from app.ui.main import ensure_app
from app.ui.window.mainwindow import MainWindow

TIMEOUT_MS = 180_000


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m app.ui.shots.shot")
    p.add_argument("out")
    p.add_argument("query", nargs="?", default="垃圾分类")
    p.add_argument("--data-dir")
    p.add_argument("--row", type=int, default=0, help="which result to select (0 = first)")
    p.add_argument("--size", default="1280x800")
    p.add_argument("--edit", action="store_true", help="also open the correction dialog (Ctrl+L)")
    args = p.parse_args(argv)
    app = ensure_app()
    w, h = (int(x) for x in args.size.split("x"))
    lib = Library(AppPaths.resolve(args.data_dir))
    win = MainWindow(lib)
    win.resize(w, h)
    win.show()
    state = {"rc": 1}

    def search() -> None:
        win.search.box.setText(args.query)
        win.search.search_now()

    def on_results(_result: object) -> None:
        row = min(args.row, max(0, win.search.model.rowCount() - 1))
        if win.search.model.rowCount():
            win.search.list.setCurrentIndex(win.search.model.index(row))
        QTimer.singleShot(700, open_dialog if args.edit else save)  # let the reading pane load and scroll

    def open_dialog() -> None:
        win.reader_pane.edit_links()
        QTimer.singleShot(400, save)

    def save() -> None:
        image = win.grab()
        dlg = win.reader_pane.dialog
        if dlg is not None and dlg.isVisible():
            shot = dlg.grab()
            at = QPoint((image.width() - shot.width()) // 2, (image.height() - shot.height()) // 3)
            painter = QPainter(image)
            painter.drawPixmap(at, shot)
            painter.setPen(QColor(theme.current().fainter))  # offscreen windows have no frame: draw an outline
            painter.drawRect(at.x() - 1, at.y() - 1, shot.width() + 1, shot.height() + 1)
            painter.end()
        ok = image.save(args.out)
        print(f"saved {args.out}" if ok else f"could not save {args.out}")
        state["rc"] = 0 if ok else 1
        win.close()

    win.search.search_finished.connect(on_results)
    win.tasks.write_idle.connect(lambda: QTimer.singleShot(0, search))
    QTimer.singleShot(0, win.start)
    QTimer.singleShot(TIMEOUT_MS, app.quit)
    app.exec()
    win.shutdown()
    return state["rc"]


if __name__ == "__main__":
    sys.exit(main())
