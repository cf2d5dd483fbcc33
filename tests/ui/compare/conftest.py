"""Fixtures of the versions screens: the shipped corpus with the 正式稿 of the plan added (a task and a
comment made on the 征求意见稿 first, so they were carried over), and a window over it."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from app.core.library import Library
from app.core.paths import AppPaths
from app.ui.window.mainwindow import MainWindow
from tests.ui.compare.version_data import SOIL_OLD, WASTE_OLD, add_final


@pytest.fixture(scope="session")
def final_dir(built_library_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data dir: tasks on a changed and a dropped clause and a comment, then the 正式稿 added (read-only)."""
    root = tmp_path_factory.mktemp("final-library")
    d = root / "data"
    shutil.copytree(built_library_dir, d)
    lib = Library(AppPaths.resolve(d))
    try:
        lib.desk.bookmark(WASTE_OLD, note="回收利用率目标需分解到各区。")
        lib.desk.bookmark(SOIL_OLD)
        lib.comments.add(WASTE_OLD, proposal="建议将“2030年”改为“2028年”。", kind="修改", quote="2030")
        lib.index([add_final(root / "added")])
    finally:
        lib.close()
    return d


@pytest.fixture
def final_library(final_dir: Path, tmp_path: Path) -> Iterator[Library]:
    d = tmp_path / "final"
    shutil.copytree(final_dir, d)
    lib = Library(AppPaths.resolve(d))
    yield lib
    lib.close()


@pytest.fixture
def final_window(qtbot: QtBot, final_library: Library, open_window: Callable[..., MainWindow]) -> MainWindow:
    win = open_window(final_library)
    qtbot.waitUntil(win.search.box.isEnabled, timeout=20_000)
    return win
