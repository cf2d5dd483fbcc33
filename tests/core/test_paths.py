"""Where PolicyDesk reads and writes (app.core.paths)."""

from __future__ import annotations

import sys
from pathlib import Path

import platformdirs
import pytest

from app.core.paths import APP_NAME, ENV_HOME, AppPaths, bundle_root

REPO = Path(__file__).resolve().parents[2]


def test_bundle_root_is_the_checkout() -> None:
    root = bundle_root()
    assert root == REPO
    assert (root / "corpus").is_dir() and (root / "resources").is_dir()


def test_bundle_root_of_a_frozen_app(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path), raising=False)
    assert bundle_root() == tmp_path


def test_explicit_data_dir_holds_everything(tmp_path: Path) -> None:
    p = AppPaths.resolve(tmp_path / "data")
    assert p.data == (tmp_path / "data").resolve()
    assert p.derived == p.data / "index"
    assert (p.corpus, p.resources) == (REPO / "corpus", REPO / "resources")
    assert p.user_db == p.data / "user.db"
    assert p.library_db == p.derived / "library.db"
    assert p.index_dir == p.derived / "search"
    assert p.cache == p.derived / "cache"
    assert p.logs == p.data / "logs"


def test_explicit_dir_beats_the_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ENV_HOME, str(tmp_path / "from-env"))
    assert AppPaths.resolve().data == (tmp_path / "from-env").resolve()
    assert AppPaths.resolve(str(tmp_path / "given")).data == (tmp_path / "given").resolve()


def test_home_is_expanded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    assert AppPaths.resolve("~/pd").data == (tmp_path / "pd").resolve()


def test_without_a_data_dir_a_checkout_keeps_derived_data_in_index(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(ENV_HOME, raising=False)
    p = AppPaths.resolve()
    assert p.data == Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))
    assert p.derived == REPO / "index"


def test_without_a_data_dir_a_bundle_keeps_derived_data_in_the_cache(monkeypatch: pytest.MonkeyPatch,
                                                                     tmp_path: Path) -> None:
    monkeypatch.delenv(ENV_HOME, raising=False)
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path), raising=False)  # no .git, no pyproject.toml
    p = AppPaths.resolve()
    assert p.derived == Path(platformdirs.user_cache_dir(APP_NAME, appauthor=False))
    assert (p.corpus, p.resources) == (tmp_path / "corpus", tmp_path / "resources")


def test_ensure_creates_the_writable_folders(tmp_path: Path) -> None:
    p = AppPaths.resolve(tmp_path / "d")
    assert not p.data.exists()
    assert p.ensure() is p
    for d in (p.data, p.derived, p.index_dir, p.cache, p.logs):
        assert d.is_dir()
    p.ensure()  # again: no error
    assert not p.user_db.exists()  # folders only


def test_paths_are_frozen(tmp_path: Path) -> None:
    p = AppPaths.resolve(tmp_path)
    with pytest.raises(AttributeError):
        p.data = tmp_path / "other"  # type: ignore[misc]
