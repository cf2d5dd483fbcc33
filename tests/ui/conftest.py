"""Qt fixtures: windows over a real engine and a real index, with the real thread pools."""

from __future__ import annotations

import dataclasses
import json
import re
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from app.core.library import Library
from app.core.paths import AppPaths
from app.ui.main import apply_cjk_font
from app.ui.window.mainwindow import MainWindow


@pytest.fixture(scope="session", autouse=True)
def _cjk_font(qapp: object) -> None:
    apply_cjk_font(qapp)  # type: ignore[arg-type]


@pytest.fixture
def open_window(qtbot: QtBot) -> Callable[..., MainWindow]:
    """Show a MainWindow over `library`; `start=True` runs the first background task (index check/build)."""

    def run(library: Library, *, start: bool = True) -> MainWindow:
        win = MainWindow(library)
        qtbot.addWidget(win)
        win.show()
        qtbot.waitExposed(win)
        if start:
            win.start()
        return win

    return run


@pytest.fixture
def window(qtbot: QtBot, library: Library, open_window: Callable[..., MainWindow]) -> MainWindow:
    """The main window on a built index, ready to search."""
    win = open_window(library)
    qtbot.waitUntil(win.search.box.isEnabled, timeout=20_000)
    return win


@pytest.fixture
def fresh_library(tmp_path: Path) -> Iterator[Library]:
    """A Library on an empty data dir over the whole shipped corpus: the first run has to build the index."""
    lib = Library(AppPaths.resolve(tmp_path / "fresh"))
    yield lib
    lib.close()


SMALL_CORPUS_DOCS = 8


@pytest.fixture
def small_fresh_library(tmp_path: Path) -> Iterator[Library]:
    """Like `fresh_library`, over the plan and the first few laws of the shipped corpus (a build that
    runs to the end in a couple of seconds)."""
    paths = AppPaths.resolve(tmp_path / "fresh")
    small = tmp_path / "corpus"
    manifest = json.loads((paths.corpus / "manifest.json").read_text(encoding="utf-8"))
    manifest["documents"] = manifest["documents"][:SMALL_CORPUS_DOCS]
    for entry in manifest["documents"]:
        (small / entry["file"]).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(paths.corpus / entry["file"], small / entry["file"])
    (small / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")
    lib = Library(dataclasses.replace(paths, corpus=small))
    yield lib
    lib.close()


@pytest.fixture
def search_for(qtbot: QtBot) -> Callable[[MainWindow, str], None]:
    """Enter a (Chinese) query the way a user does: text in the box, then Return."""
    from PySide6.QtCore import Qt

    def run(win: MainWindow, query: str) -> None:
        box = win.search.box
        box.setFocus()
        box.setText(query)  # keyClicks with Chinese aborts the test process (STACK-NOTES)
        with qtbot.waitSignal(win.search.search_finished, timeout=10_000):
            qtbot.keyClick(box, Qt.Key.Key_Return)

    return run


# The offscreen platform plugin warns whenever a top-level window's size constraints change; it is
# platform noise (xcb does not say it), not a problem of ours. Everything else still fails the test.
OFFSCREEN_NOISE = "This plugin does not support propagateSizeHints()"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if Path(str(item.fspath)).is_relative_to(here):
            item.add_marker(pytest.mark.qt_log_ignore(re.escape(OFFSCREEN_NOISE)))
