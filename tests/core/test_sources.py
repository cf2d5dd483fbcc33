"""The files the user added (app.core.sources): the report of what each became, and taking one out."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.core.errors import NotFoundError
from app.core.models import Clause, Document
from app.core.sources import REFUSED_KEY, SourceEntry, load_refused, remove, report
from app.core.store import LibraryStore


def _clauses(doc_id: str, n: int) -> list[Clause]:
    return [Clause(id=f"{doc_id}/{i}", doc_id=doc_id, ordinal=i, level="block", number="", number_value=None,
                   heading="", path=(), text=f"第{i}段。") for i in range(n)]


@pytest.fixture
def roots(tmp_path: Path) -> tuple[Path, Path]:
    a, b = (tmp_path / "added-a").resolve(), (tmp_path / "added-b").resolve()
    a.mkdir()
    b.mkdir()
    return a, b


@pytest.fixture
def store(tmp_path: Path, roots: tuple[Path, Path]) -> Iterator[LibraryStore]:
    a, b = roots
    s = LibraryStore(tmp_path / "library.db")
    with s.transaction():
        s.replace_document(Document(id="shipped", title="随附文件", kind="法律", source="法律/随附.md"), _clauses("shipped", 4))
        s.replace_document(Document(id="two", title="第二份", kind="其他", source=str(b / "二.md"), ordinal=2),
                           _clauses("two", 1))
        s.replace_document(Document(id="one", title="第一份", kind="规划", source=str(a / "一.md"), ordinal=1),
                           _clauses("one", 3))
        s.set_meta(REFUSED_KEY, json.dumps({str(a / "坏.pdf"): ["00" * 32, "文件已损坏，无法读取。"]},
                                           ensure_ascii=False))
    yield s
    s.close()


def test_report_lists_added_files_and_refusals_by_root(store: LibraryStore, roots: tuple[Path, Path]) -> None:
    a, b = roots
    rep = report(store, [str(a), str(b)], [str(a / "排除.md")])
    assert rep.roots == (str(a), str(b)) and rep.excluded == (str(a / "排除.md"),)
    assert rep.files == (
        SourceEntry(path=str(a / "一.md"), root=str(a), status="ok", doc_id="one", title="第一份", kind="规划", clauses=3),
        SourceEntry(path=str(a / "坏.pdf"), root=str(a), status="refused", reason="文件已损坏，无法读取。"),
        SourceEntry(path=str(b / "二.md"), root=str(b), status="ok", doc_id="two", title="第二份", kind="其他", clauses=1),
    )  # the shipped document (a relative source) is not the user's
    data = rep.to_json()
    assert data["roots"] == [str(a), str(b)] and data["files"][1]["status"] == "refused"
    assert json.loads(json.dumps(data, ensure_ascii=False)) == data


def test_a_file_outside_every_root_has_no_root(store: LibraryStore, roots: tuple[Path, Path]) -> None:
    a, _ = roots
    rep = report(store, [str(a)], [])
    outside = [f for f in rep.files if f.doc_id == "two"]
    assert [f.root for f in outside] == [""]
    assert rep.files[0].doc_id == "two"  # sorted by (root, path): "" first


@pytest.mark.parametrize(("raw", "expected"), [
    (None, {}),
    ("not json", {}),
    ('["a list"]', {}),
    ('{"/x.pdf": ["sha", "原因"], "/y.pdf": ["only one"], "/z.pdf": "text"}', {"/x.pdf": ("sha", "原因")}),
])
def test_load_refused_tolerates_damaged_meta(tmp_path: Path, raw: str | None, expected: dict[str, tuple[str, str]]
                                             ) -> None:
    s = LibraryStore(tmp_path / "x.db")
    try:
        s.set_meta(REFUSED_KEY, raw)
        assert load_refused(s) == expected
    finally:
        s.close()


def test_removing_a_root_forgets_it_and_its_exclusions(roots: tuple[Path, Path]) -> None:
    a, b = roots
    new_roots, new_excluded = remove(a, [str(a), str(b)], [str(a / "x.md"), str(b / "y.md")])
    assert new_roots == [str(b)] and new_excluded == [str(b / "y.md")]


def test_removing_a_file_inside_a_root_excludes_it(roots: tuple[Path, Path]) -> None:
    a, b = roots
    (a / "sub").mkdir()
    target = a / "sub" / "三.md"
    r, e = remove(target, [str(a), str(b)], [])
    assert r == [str(a), str(b)] and e == [str(target)]
    assert remove(target, r, e) == (r, e)  # already excluded: unchanged


def test_removing_through_a_relative_path_resolves_it(roots: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
                                                       ) -> None:
    a, _ = roots
    monkeypatch.chdir(a.parent)
    assert remove(Path(a.name), [str(a)], []) == ([], [])


def test_removing_something_never_added_is_not_found(roots: tuple[Path, Path], tmp_path: Path) -> None:
    a, _ = roots
    with pytest.raises(NotFoundError, match="文库中没有这个添加的文件或文件夹"):
        remove(tmp_path / "elsewhere.md", [str(a)], [])
