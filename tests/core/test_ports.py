"""The protocol the services see of the facade (app.core.ports.LibraryPort): `Library` provides every member
with a matching signature, and the services that take a LibraryPort never import the facade."""

from __future__ import annotations

import ast
import inspect
from pathlib import Path

import pytest

from app.core.library import Library
from app.core.paths import AppPaths
from app.core.ports import LibraryPort
from app.core.search.indexer import IndexStore
from app.core.userdata import UserStore

ROOT = Path(__file__).resolve().parents[2]
CORE = ROOT / "app" / "core"
MEMBERS = sorted(n for n in vars(LibraryPort) if not n.startswith("_"))
PROPERTIES = sorted(n for n in MEMBERS if isinstance(vars(LibraryPort)[n], property))
METHODS = sorted(n for n in MEMBERS if n not in PROPERTIES)
SERVICES = ("desk.py", "comments.py", "carry.py", "indexing.py", "export/collect.py", "export/feedback.py",
            "export/pipeline.py", "library_versions.py", "library_search.py")


def test_the_protocol_lists_what_the_services_use() -> None:
    assert PROPERTIES == ["index_store", "paths", "user"]
    assert {"documents", "document", "clause", "clauses", "links", "search", "reanchor", "extra_sources",
            "excluded_sources", "canonical_department", "department_clauses", "indicator_rows"} == set(METHODS)


@pytest.mark.parametrize("name", METHODS)
def test_library_methods_match_the_protocol(name: str) -> None:
    want = inspect.signature(getattr(LibraryPort, name))
    got = inspect.signature(getattr(Library, name))
    shape = [(p.name, p.kind, p.default) for p in want.parameters.values()]
    assert [(p.name, p.kind, p.default) for p in got.parameters.values()] == shape, name


def test_library_attributes_are_of_the_protocol_types(tmp_path: Path) -> None:
    lib = Library(AppPaths.resolve(tmp_path / "data"))
    try:
        assert isinstance(lib.paths, AppPaths) and isinstance(lib.index_store, IndexStore)
        assert isinstance(lib.user, UserStore)
        for name in MEMBERS:
            assert hasattr(lib, name), name
    finally:
        lib.close()


@pytest.mark.parametrize("rel", SERVICES)
def test_services_never_import_the_facade(rel: str) -> None:
    tree = ast.parse((CORE / rel).read_text(encoding="utf-8"))
    imported = {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module}
    imported |= {a.name for node in ast.walk(tree) if isinstance(node, ast.Import) for a in node.names}
    assert "app.core.library" not in imported
    names = {a.name for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module == "app.core"
             for a in node.names}
    assert "library" not in names
    assert "LibraryPort" in (CORE / rel).read_text(encoding="utf-8") or rel == "library_search.py"
