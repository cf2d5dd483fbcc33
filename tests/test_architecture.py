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


# -- the shape of the house (#16): no import cycles, no long modules, tests that mirror the engine ----------------
MAX_MODULE_LINES = 500
TESTS = ROOT / "tests"


def _app_modules() -> dict[str, Path]:
    return {_module_name(p): p for p in sorted(APP.rglob("*.py"))}


def _import_graph(modules: dict[str, Path]) -> dict[str, set[str]]:
    """Module -> the app modules it imports (every form `_imports` sees, TYPE_CHECKING blocks included)."""
    return {name: {m for _, m in _imports(path) if m in modules and m != name} for name, path in modules.items()}


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    out: list[list[str]] = []
    for root in graph:
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on.add(root)
        while work:
            v, edges = work[-1]
            for w in edges:
                if w not in index:
                    index[w] = low[w] = len(index)
                    stack.append(w)
                    on.add(w)
                    work.append((w, iter(sorted(graph[w]))))
                    break
                if w in on:
                    low[v] = min(low[v], index[w])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[v])
                if low[v] == index[v]:
                    comp = []
                    while True:
                        w = stack.pop()
                        on.discard(w)
                        comp.append(w)
                        if w == v:
                            break
                    if len(comp) > 1:
                        out.append(sorted(comp))
    return out


def test_no_import_cycles_in_app() -> None:
    cycles = _cycles(_import_graph(_app_modules()))
    assert not cycles, "import cycles (type-only imports count too):\n" + "\n".join(" ↔ ".join(c) for c in cycles)


def test_cycle_finder_finds_cycles() -> None:
    """Guard against a vacuous pass."""
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert _cycles({"a": {"b"}, "b": set()}) == []
    src = "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from app.core.library import Library\n"
    assert "app.core.library" in {m for _, m in _imports_in(src, "app.core.desk", is_package=False)}


def test_no_module_over_500_lines() -> None:
    long = {str(p.relative_to(ROOT)): n for p in sorted(APP.rglob("*.py"))
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_MODULE_LINES}
    assert not long, f"modules over {MAX_MODULE_LINES} lines: {long}"


def test_the_qt_layer_is_in_feature_packages() -> None:
    loose = sorted(p.name for p in (APP / "ui").glob("*.py") if p.name not in ("__init__.py", "main.py"))
    assert not loose, f"app/ui modules outside a feature package: {loose}"
    for pkg in sorted(p for p in (APP / "ui").iterdir() if p.is_dir() and p.name != "__pycache__"):
        init = pkg / "__init__.py"
        assert init.exists() and ast.get_docstring(ast.parse(init.read_text(encoding="utf-8"))), \
            f"{pkg.relative_to(ROOT)} needs an __init__.py whose docstring says which screen it is"


def _has_code(path: Path) -> bool:
    """Whether a module defines functions or classes (a package __init__ that only re-exports does not)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return any(isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef) for n in tree.body)


def expected_test_module(path: Path) -> Path | None:
    """app/core/a/b.py -> tests/core/a/test_b.py; a package app/core/a/p/__init__.py with code ->
    tests/core/a/test_p.py; a leading underscore is dropped (structure/_build.py -> test_build.py)."""
    rel = path.relative_to(CORE)
    if path.name == "__init__.py":
        if rel.parent == Path() or not _has_code(path):
            return None
        return TESTS / "core" / rel.parent.parent / f"test_{rel.parent.name.lstrip('_')}.py"
    return TESTS / "core" / rel.parent / f"test_{path.stem.lstrip('_')}.py"


def test_every_engine_module_has_a_test_module() -> None:
    missing = sorted(str(t.relative_to(ROOT)) + f"  (for {p.relative_to(ROOT)})"
                     for p in sorted(CORE.rglob("*.py")) if (t := expected_test_module(p)) and not t.exists())
    assert not missing, f"{len(missing)} engine modules without their test module:\n" + "\n".join(missing)
