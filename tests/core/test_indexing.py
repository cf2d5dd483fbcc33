"""Adding files: every file ends in the per-file report, refusals are remembered until the file changes,
`sources` lists what each file became, and `remove_source` takes one out (real index, real SQLite)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from app.core import indexing
from app.core.errors import NotFoundError
from app.core.library import Library
from app.core.models import DUPLICATE, OK, REFUSED

DATA = Path(__file__).resolve().parents[1] / "data"

pytestmark = pytest.mark.slow


def _folder(tmp_path: Path) -> Path:
    src = tmp_path / "added"
    (src / "sub").mkdir(parents=True)
    shutil.copy(DATA / "law_code.md", src / "示例法典.md")
    shutil.copy(DATA / "law_code.md", src / "sub" / "副本.md")  # same bytes: reported as a duplicate
    (src / "empty.txt").write_bytes(b"")
    (src / "binary.txt").write_bytes(bytes(range(256)) * 40)
    (src / "not-word.docx").write_text("这不是 Word 文档", encoding="utf-8")
    (src / "~$lock.docx").write_bytes(b"\x00")  # Word's lock file: not a document, not listed
    return src


def _by_name(report: object) -> dict[str, object]:
    return _by_name_in(report, "added")


def test_every_added_file_is_reported_and_refusals_are_not_retried(library: Library, tmp_path: Path) -> None:
    src = _folder(tmp_path)
    report = library.index([src])
    files = _by_name(report)
    assert set(files) == {"示例法典.md", "副本.md", "empty.txt", "binary.txt", "not-word.docx"}
    # Scan order is by path: sub/副本.md comes first and is imported; the same bytes again are a duplicate.
    assert files["副本.md"].status == OK and files["副本.md"].clauses > 5
    assert files["示例法典.md"].status == DUPLICATE and "副本" in files["示例法典.md"].message
    assert files["empty.txt"].status == REFUSED and files["empty.txt"].message == "文件为空"
    assert files["binary.txt"].status == REFUSED and "不是文本" in files["binary.txt"].message
    assert files["not-word.docx"].status == REFUSED and files["not-word.docx"].message
    assert {p for p, _ in report.failed} == {str(src / n) for n in ("empty.txt", "binary.txt", "not-word.docx")}

    again = _by_name(library.index())
    assert again["empty.txt"].again and again["binary.txt"].again  # unchanged: not read again
    (src / "empty.txt").write_text("第一条 本办法自发布之日起施行。\n", encoding="utf-8")
    fixed = _by_name(library.index())
    assert fixed["empty.txt"].status == OK and fixed["binary.txt"].status != OK

    rep = library.sources()
    assert rep.roots == (str(src.resolve()),)
    st = {Path(f.path).name: f for f in rep.files}
    assert st["副本.md"].status == "ok" and st["副本.md"].clauses > 5
    assert st["binary.txt"].status == "refused" and st["binary.txt"].reason


def test_remove_source_takes_a_file_or_a_folder_out(library: Library, tmp_path: Path) -> None:
    src = _folder(tmp_path)
    library.index([src])
    titles_before = {d.source for d in library.documents()}
    assert str((src / "sub" / "副本.md").resolve()) in titles_before
    library.remove_source(src / "sub" / "副本.md")
    sources = {d.source for d in library.documents()}
    assert str((src / "sub" / "副本.md").resolve()) not in sources
    assert str((src / "示例法典.md").resolve()) in sources  # the copy is no longer a duplicate
    assert library.excluded_sources() == [(src / "sub" / "副本.md").resolve()]
    with pytest.raises(NotFoundError):
        library.remove_source(tmp_path / "elsewhere.md")
    library.remove_source(src)
    assert not any(str(src.resolve()) in d.source for d in library.documents())
    assert library.sources().roots == () and library.excluded_sources() == []
    assert library.search("示例").total >= 0  # the index is consistent after removals


def test_an_added_file_that_overruns_the_time_limit_is_refused_alone(
    library: Library, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    src = tmp_path / "slow"
    src.mkdir()
    shutil.copy(DATA / "law_code.md", src / "法典.md")
    monkeypatch.setattr(indexing, "FILE_TIMEOUT_S", 0.0)  # the worker's start-up alone overruns it
    report = library.index([src])
    (f,) = [f for f in report.files if "slow" in f.path]
    assert f.status == REFUSED and "读取超时" in f.message
    assert report.documents >= 15  # the shipped corpus is untouched


def test_a_file_removed_while_the_library_is_read_is_reported(
    library: Library, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from app.core import corpus

    src = tmp_path / "vanishing"
    src.mkdir()
    shutil.copy(DATA / "law_code.md", src / "留下.md")
    gone = src / "已删除.md"
    gone.write_text("第一条 本办法自发布之日起施行。\n", encoding="utf-8")
    real_scan = corpus.scan

    def scan_then_delete(*args: object, **kw: object) -> list[corpus.SourceFile]:
        found = real_scan(*args, **kw)  # type: ignore[arg-type]
        gone.unlink(missing_ok=True)  # listed, then removed before it is read
        return found

    monkeypatch.setattr(corpus, "scan", scan_then_delete)
    report = library.index([src])
    files = _by_name_in(report, "vanishing")
    assert files["留下.md"].status == OK
    assert files["已删除.md"].status == REFUSED and "无法读取" in files["已删除.md"].message


def _by_name_in(report: object, folder: str) -> dict[str, object]:
    return {Path(f.path).name: f for f in report.files if folder in f.path}  # type: ignore[attr-defined]


def test_a_full_build_indexes_from_memory_what_the_clause_db_holds(library: Library,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """A full rebuild feeds the index the documents it just read; the items must be those the clause DB
    gives back (same clauses, documents, departments, years and order), or index and DB disagree."""
    from app.core.search import indexer
    from app.core.store import LibraryStore

    fed: list[dict[str, object]] = []
    build = indexer.IndexStore.build

    def recording(self: indexer.IndexStore, items: object, total: int, **kw: object) -> object:
        listed = list(items)  # type: ignore[call-overload]
        fed.extend(indexer.to_fields(i) for i in listed)
        assert total == len(listed)
        return build(self, iter(listed), total, **kw)

    monkeypatch.setattr(indexer.IndexStore, "build", recording)
    report = library.index(full=True)
    assert report.full_rebuild and len(fed) > 4000
    st = LibraryStore(library.paths.library_db, readonly=True)
    try:
        assert fed == [indexer.to_fields(i) for i in indexing._items(st)]
    finally:
        st.close()
    assert any(f["dept"] for f in fed) and any(f["year"] for f in fed) and any(f["has_ind"] == "1" for f in fed)
