"""Shared fixtures for tests/core, tests/cli and tests/ui. Must not import Qt (tests/core runs without it);
Qt-only fixtures live in tests/ui/conftest.py."""

from __future__ import annotations

import multiprocessing
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.core.library import Library  # the engine never imports Qt, so this may come first
from app.core.paths import ENV_HOME, AppPaths

# As in the app: index builds start worker processes; never fork a process that runs Qt threads.
multiprocessing.set_start_method("spawn", force=True)

# Before anything can create a QApplication: no display needed, same rendering everywhere.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test gets its own empty POLICYDESK_HOME, so nothing touches the real user data dir."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv(ENV_HOME, str(home))
    return home


@pytest.fixture(scope="session")
def built_library_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data dir holding the clause DB and index of the shipped corpus, built once per session.

    Read-only by convention: copy it (or use `library`) before changing anything.
    """
    root = tmp_path_factory.mktemp("built-library")
    lib = Library(AppPaths.resolve(root))
    try:
        lib.index()
    finally:
        lib.close()
    return root


@pytest.fixture
def library_dir(built_library_dir: Path, tmp_path: Path) -> Path:
    """A private copy of the built data dir."""
    d = tmp_path / "library"
    shutil.copytree(built_library_dir, d)
    return d


@pytest.fixture
def library(library_dir: Path) -> Iterator[Library]:
    """A `Library` over a private copy of the built index (free to mutate)."""
    lib = Library(AppPaths.resolve(library_dir))
    yield lib
    lib.close()
