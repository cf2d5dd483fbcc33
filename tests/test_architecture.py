"""Layer boundaries, checked by machine (ARCHITECTURE.md §3): the engine and the CLI never load Qt, and
whoosh stays behind app/core/search. Stdlib + pytest only."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
APP = ROOT / "app"
CORE = APP / "core"
SEARCH = CORE / "search"

# Runs in a fresh interpreter: the test process itself may already have PySide6 loaded (tests/ui, conftest).
_IMPORT_ALL = """
import importlib, json, pkgutil, sys
sys.path.insert(0, sys.argv[1])
import app.core
names = ["app.core"] + [m.name for m in pkgutil.walk_packages(app.core.__path__, "app.core.")] + ["app.cli"]
for name in names:
    importlib.import_module(name)
qt = sorted(m for m in sys.modules if m == "PySide6" or m.startswith("PySide6.") or m == "shiboken6"
            or m.startswith("shiboken6."))
ui = sorted(m for m in sys.modules if m == "app.ui" or m.startswith("app.ui."))
print(json.dumps({"imported": names, "qt": qt, "ui": ui}))
"""


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _imports(path: Path) -> list[tuple[int, str]]:
    """(line, absolute module name) for every import in a file under the repository."""
    return _imports_in(path.read_text(encoding="utf-8"), _module_name(path), path.name == "__init__.py")


def _imports_in(source: str, module_name: str, is_package: bool) -> list[tuple[int, str]]:
    """(line, absolute module name) for every import in `source`, relative imports resolved.

    `from X import y` yields both `X` and `X.y` (y may be a submodule, as in `from app import ui`);
    `importlib.import_module("X")` / `__import__("X")` with a literal name count too.
    """
    package = module_name.split(".") if is_package else module_name.split(".")[:-1]
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else []
            module = ".".join([*base, *([node.module] if node.module else [])])
            found.append((node.lineno, module))
            found += [(node.lineno, f"{module}.{a.name}") for a in node.names if a.name != "*"]
        elif isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant):
            func = node.func
            fname = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if fname in ("import_module", "__import__") and isinstance(node.args[0].value, str):
                found.append((node.lineno, node.args[0].value))
    return found


def _is(module: str, top: str) -> bool:
    return module == top or module.startswith(top + ".")


def _headless_files() -> list[Path]:
    return [*sorted(CORE.rglob("*.py")), *sorted((APP / "cli").rglob("*.py"))]


def test_engine_and_cli_import_without_qt() -> None:
    proc = subprocess.run(
        [sys.executable, "-c", _IMPORT_ALL, str(ROOT)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0, f"importing app.core / app.cli failed:\n{proc.stderr}"
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    assert "app.cli" in result["imported"] and len(result["imported"]) > 2
    assert result["qt"] == [], f"Qt loaded by the engine or the CLI: {result['qt']}"
    assert result["ui"] == [], f"app.ui loaded by the engine or the CLI: {result['ui']}"


@pytest.mark.parametrize("path", _headless_files(), ids=lambda p: str(p.relative_to(ROOT)))
def test_no_qt_or_ui_import_in_engine_and_cli(path: Path) -> None:
    bad = [
        f"{path.relative_to(ROOT)}:{line}: {mod}"
        for line, mod in _imports(path)
        if _is(mod, "PySide6") or _is(mod, "shiboken6") or _is(mod, "app.ui")
    ]
    assert not bad, "the engine and the CLI must not import Qt or app.ui:\n" + "\n".join(bad)


def test_whoosh_only_in_core_search() -> None:
    files = sorted(APP.rglob("*.py"))
    assert any(p.is_relative_to(SEARCH) for p in files), "app/core/search is missing"
    bad = [
        f"{p.relative_to(ROOT)}:{line}: {mod}"
        for p in files
        if not p.is_relative_to(SEARCH)
        for line, mod in _imports(p)
        if _is(mod, "whoosh")
    ]
    assert not bad, "whoosh may only be imported under app/core/search/:\n" + "\n".join(bad)


def test_import_scanner_resolves_the_forms_it_must_catch() -> None:
    """Guard against a vacuous pass: relative, from-package, aliased and dynamic imports are all seen."""
    src = (
        "from ..ui import main\nfrom app import ui\nimport PySide6.QtCore as qc\nfrom .search import x\n"
        "import importlib\nimportlib.import_module('whoosh.query')\n"
    )
    mods = {m for _, m in _imports_in(src, "app.core.probe", is_package=False)}
    assert {"app.ui", "app.ui.main", "PySide6.QtCore", "app.core.search", "whoosh.query"} <= mods
    assert {m for _, m in _imports_in("from . import library", "app.core", is_package=True)} >= {
        "app.core.library"
    }
