"""The facade over a real SQLite file and a real index."""

from __future__ import annotations

import threading
import weakref
from pathlib import Path

from app.core.library import Library
from app.core.paths import AppPaths

PLAN = "美丽上海建设十五五规划-征求意见稿"


def test_full_rebuild_keeps_every_clause_id(library: Library) -> None:
    before = [c.id for c in library.clauses()]
    report = library.index(full=True)
    assert report.full_rebuild and report.unchanged == 0
    assert [c.id for c in library.clauses()] == before
    assert library.search("双控制度").hits[0].id == f"{PLAN}/三/（一）/1"


def test_refresh_without_changes_touches_nothing(library: Library) -> None:
    gen = library.index_store.current_dir()
    report = library.index()
    assert (report.added, report.updated, report.removed) == (0, 0, 0)
    assert not report.full_rebuild and library.index_store.current_dir() == gen


def test_derived_and_user_data_live_apart(library_dir: Path) -> None:
    paths = AppPaths.resolve(library_dir)
    assert paths.user_db.parent == paths.data and paths.library_db.parent == paths.derived
    assert paths.derived != paths.data


def test_changed_file_is_reindexed_and_old_text_is_gone(tmp_path: Path, library: Library) -> None:
    folder = tmp_path / "extra"
    folder.mkdir()
    f = folder / "通知.md"
    f.write_text("# 通知\n\n第一条 甲乙丙丁戊己庚辛。\n", encoding="utf-8")
    library.index([folder])
    assert library.search("甲乙丙丁").total == 1
    f.write_text("# 通知\n\n第一条 子丑寅卯辰巳。\n", encoding="utf-8")
    report = library.index()
    assert report.updated == 1
    assert library.search("甲乙丙丁").total == 0
    assert library.search("子丑寅卯").hits[0].id == "通知/第一条"


def test_cancelled_build_keeps_the_old_generation(library: Library) -> None:
    from app.core.errors import Cancelled
    from app.core.progress import CancelToken

    gen = library.index_store.current_dir()
    token = CancelToken()

    def progress(done: int, total: int, message: str) -> None:
        if "索引" in message and done > 0:
            token.cancel()

    try:
        library.index(full=True, progress=progress, cancel=token)
    except Cancelled:
        pass
    else:  # pragma: no cover - the build must notice the token
        raise AssertionError("not cancelled")
    assert library.index_store.current_dir() == gen
    assert library.search("双控制度").total >= 1
    assert sorted(p.name for p in gen.parent.glob("gen-*")) == [gen.name]


def test_an_upgraded_link_extraction_rebuilds_at_start(library: Library) -> None:
    from app.core.indexing import LINKS_KEY
    from app.core.store import LibraryStore

    assert not library.needs_index()
    store = LibraryStore(library.paths.library_db)
    try:
        with store.transaction():
            store.set_meta(LINKS_KEY, "0")  # links stored by an older version of the app
    finally:
        store.close()
    assert library.needs_index()
    library.index()
    assert not library.needs_index()


def test_each_thread_keeps_one_read_connection_that_sees_every_refresh(library: Library, tmp_path: Path) -> None:
    first = library._reader()
    assert library._reader() is first  # kept between calls in this thread
    other: list[object] = []
    t = threading.Thread(target=lambda: other.append(library._reader()))
    t.start()
    t.join()
    assert other and other[0] is not first  # another thread gets its own
    assert all(h.doc_title != "某市绿化补充规定" for h in library.search("绿化补充规定", limit=50).hits)
    extra = tmp_path / "extra"
    extra.mkdir()
    (extra / "某市绿化补充规定.md").write_text("# 某市绿化补充规定\n\n第一条 绿化补充规定的测试条文。\n", encoding="utf-8")
    library.index([extra])
    assert library._reader() is first  # the same connection, and it sees the refresh's commits
    hits = library.search("绿化补充规定", limit=5).hits
    assert hits[0].doc_title == "某市绿化补充规定"
    assert library.clause(hits[0].id).text
    # close() drops every thread's connection; each closes when its last user lets go (not under a reader)
    gone = weakref.ref(first)
    other.clear()
    del first
    library.close()
    assert gone() is None  # the store and the connection only it holds are freed, so closed
