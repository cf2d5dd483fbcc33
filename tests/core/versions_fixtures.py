"""Fixtures for versions, comparison and carry-over: the shipped corpus plus a 正式稿 of the plan
(tests/data/plan-final.md) and two versions of a law (tests/data/上海市音像制品管理条例(…).md), with the
hand-made gold statuses of every clause (tests/data/*.changes.json), and scoring against them."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from app.core.compare import STATUSES, Comparison
from app.core.library import Library
from app.core.paths import AppPaths

DATA = Path(__file__).resolve().parents[1] / "data"
PLAN = "美丽上海建设十五五规划-征求意见稿"
FINAL = "plan-final"
LAW_OLD = "上海市音像制品管理条例(2021-08-25)"
LAW_NEW = "上海市音像制品管理条例(2024-12-31)"
PLAN_GOLD = DATA / "plan-final.changes.json"
LAW_GOLD = DATA / "上海市音像制品管理条例.changes.json"
VERSION_FILES = ("plan-final.md", f"{LAW_OLD}.md", f"{LAW_NEW}.md")


def copy_sources(folder: Path, names: tuple[str, ...] = VERSION_FILES) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name in names:
        shutil.copy(DATA / name, folder / name)
    return folder


@pytest.fixture(scope="session")
def versions_dir(built_library_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data dir: the shipped corpus, then the 正式稿 and both law versions added (read-only by convention)."""
    root = tmp_path_factory.mktemp("versions-library")
    d = root / "data"
    shutil.copytree(built_library_dir, d)
    src = copy_sources(root / "added")
    lib = Library(AppPaths.resolve(d))
    try:
        lib.index([src])
    finally:
        lib.close()
    return d


@pytest.fixture
def vlib(versions_dir: Path, tmp_path: Path) -> Iterator[Library]:
    """A Library over a private copy of `versions_dir` (free to mutate)."""
    d = tmp_path / "vlib"
    shutil.copytree(versions_dir, d)
    lib = Library(AppPaths.resolve(d))
    yield lib
    lib.close()


def gold(path: Path) -> dict[tuple[str, str], tuple[str, str | None]]:
    """(side, relative id) → (status, new relative id) from a changes.json."""
    data = json.loads(path.read_text(encoding="utf-8"))
    out: dict[tuple[str, str], tuple[str, str | None]] = {}
    for e in data["clauses"]:
        key = ("old", e["old"]) if e["old"] is not None else ("new", e["new"])
        out[key] = (e["status"], e["new"])
    return out


def predicted(cmp: Comparison) -> dict[tuple[str, str], tuple[str, str | None]]:
    out: dict[tuple[str, str], tuple[str, str | None]] = {}
    for p in cmp.pairs:
        key = ("old", p.old.rel_id) if p.old is not None else ("new", p.new.rel_id if p.new else "")
        out[key] = (p.status, p.new.rel_id if p.new else None)
    return out


def score(cmp: Comparison, gold_path: Path) -> dict[str, dict[str, Any]]:
    """Per status: predicted, gold, correct (status and new location both right), precision, recall
    (1.0 when there is nothing to claim or to find)."""
    truth, pred = gold(gold_path), predicted(cmp)
    out: dict[str, dict[str, Any]] = {}
    for s in STATUSES:
        n_pred = sum(1 for v in pred.values() if v[0] == s)
        n_gold = sum(1 for v in truth.values() if v[0] == s)
        tp = sum(1 for k, v in pred.items() if v[0] == s and truth.get(k) == v)
        out[s] = {"predicted": n_pred, "gold": n_gold, "correct": tp,
                  "precision": tp / n_pred if n_pred else 1.0, "recall": tp / n_gold if n_gold else 1.0}
    return out
