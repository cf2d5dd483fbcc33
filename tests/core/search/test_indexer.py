"""app.core.search.indexer: what a clause gives the index, and index generations built, published, updated
and cleaned up on a small real index in tmp_path."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from whoosh import index as windex

from app.core.errors import Cancelled, IndexError_
from app.core.models import Clause, Document
from app.core.progress import CancelToken
from app.core.search import indexer, segment
from app.core.search.docids import ClauseIds
from app.core.search.indexer import DOCID_LINES, DOCIDS, INDEX_NAME, POINTER, IndexDoc, IndexStore
from app.core.search.literal import LiteralIndex
from app.core.search.schema import SCHEMA_VERSION
from tests.core.search.index_fixtures import CHAPTER, build_small, small_items

DOC = Document("d", "示例条例", "地方性法规")


def _clause(level: str, heading: str = "", text: str = "", path: tuple[str, ...] = ("第一条",)) -> Clause:
    return Clause(id="d/1", doc_id="d", ordinal=1, level=level, number="", number_value=None, heading=heading,
                  path=path, text=text)


# -- one clause ---------------------------------------------------------------------------------------
def test_to_fields_of_a_task_with_links() -> None:
    c = Clause(id="plan/一/1", doc_id="plan", ordinal=2, level="task", number="1", number_value=1,
               heading="健全碳排放双控制度体系。", path=(CHAPTER, "健全碳排放双控制度体系。"), text="实施双控。")
    fields = indexer.to_fields(IndexDoc(c, Document("plan", "示例规划", "规划"), departments=("市发展改革委", "市生态环境局"),
                                        years=(2025, 2030), has_indicator=True))
    assert fields == {
        "id": "plan/一/1", "doc": "plan", "kind": "规划", "level": "task",
        "words": "实施双控。", "head": "健全碳排放双控制度体系。",
        "anc": CHAPTER,  # the headings above the clause, not its own
        "path": f"示例规划 {CHAPTER}",
        "dept": "市发展改革委,市生态环境局", "year": "2025,2030", "has_ind": "1",
    }


def test_to_fields_of_an_article_leaves_its_label_out_of_the_heading_field() -> None:
    c = _clause("article", heading="第五条", text="禁止焚烧秸秆。", path=("第二章 防治", "第一节 通则", "第五条"))
    fields = indexer.to_fields(IndexDoc(c, DOC))
    assert fields["head"] == ""
    assert fields["anc"] == "第二章 防治 第一节 通则"
    assert fields["path"] == "示例条例 第二章 防治 第一节 通则"
    assert (fields["dept"], fields["year"], fields["has_ind"]) == ("", "", "0")


@pytest.mark.parametrize(("clause", "expected"), [
    (_clause("article", text="禁止焚烧秸秆。"), True),
    (_clause("article", heading="第五条"), False),  # no text: nothing to find
    (_clause("article", text="   "), False),
    (_clause("task", heading="健全双控制度。"), True),  # a headed level's heading is its first sentence
    (_clause("chapter", heading="第二章 监督管理"), True),  # a heading-only container is a result of its own
    (_clause("section", heading="（一）积极稳妥推进碳达峰碳中和"), True),
    (_clause("subsection", heading="第二节 建筑节能"), True),  # a law's 节 too (every container level)
    (_clause("part", heading="第一编 总则"), True),
    (_clause("chapter", heading=" 　"), False),
    (_clause("preamble", heading="前言"), False),
])
def test_indexable(clause: Clause, expected: bool) -> None:
    assert indexer.indexable(clause) is expected


def test_search_text_is_the_full_text_or_a_bare_containers_heading() -> None:
    assert indexer.search_text(_clause("chapter", heading="第二章 监督管理")) == "第二章 监督管理"
    assert indexer.search_text(_clause("subsection", heading="第二节 建筑节能")) == "第二节 建筑节能"
    assert indexer.search_text(_clause("chapter", heading="第二章 监督管理", text="本章适用于…")) == "本章适用于…"
    assert indexer.search_text(_clause("task", heading="健全双控制度。", text="实施双控。")) == "健全双控制度。实施双控。"
    assert indexer.search_text(_clause("article", heading="第五条", text="禁止焚烧秸秆。")) == "禁止焚烧秸秆。"


# -- generations --------------------------------------------------------------------------------------
def test_an_empty_folder_has_no_index(tmp_path: Path) -> None:
    store = IndexStore(tmp_path / "index")
    assert store.pointer() is None and store.current_dir() is None and not store.is_ready()
    with pytest.raises(IndexError_):
        store.open()
    with pytest.raises(IndexError_):
        store.load_side_files()


def test_build_publishes_a_complete_generation(tmp_path: Path) -> None:
    root = tmp_path / "index"
    calls: list[tuple[int, int, str]] = []
    items = small_items()
    store = IndexStore(root)
    assert store.build(items, len(items), progress=lambda *a: calls.append(a)) == 7
    assert calls[0] == (0, 7, "正在建立索引…") and calls[-1] == (7, 7, "正在写入索引…")
    p = store.pointer()
    assert p is not None
    assert (p["schema"], p["segmenter"], p["doc_count"]) == (SCHEMA_VERSION, segment.engine(), 7)
    gen = store.current_dir()
    assert gen is not None and gen.parent == root and gen.name == p["generation"] and gen.name.startswith("gen-")
    assert store.is_ready() and LiteralIndex.exists(gen) and (gen / DOCIDS).exists()
    assert not (root / (POINTER + ".tmp")).exists()
    ix = store.open()
    try:
        assert ix.doc_count() == 7
        with ix.searcher() as s:
            assert s.document(id="law/3") == {"id": "law/3", "doc": "law", "kind": "法律"}
            assert s.doc_frequency("dept", "市生态环境局") == 2
    finally:
        ix.close()


def test_side_files_map_docnums_and_literal_rows_to_clauses(tmp_path: Path) -> None:
    store = build_small(tmp_path / "index")
    literal, toc, ids, rowmap = store.load_side_files()
    expected = [it.clause.id for it in small_items()]
    assert isinstance(ids, ClauseIds) and list(ids) == expected == [ids[i] for i in range(len(ids))]
    assert list(literal.ids) == expected
    assert rowmap is not None and rowmap.tolist() == list(range(7))
    assert toc >= 1
    # The literal index holds search_text: a bare chapter by its heading, a task by heading + text.
    assert {ids[int(r)] for r in literal.rows("监督管理")} == {"law/二", "law/3"}
    assert {ids[int(r)] for r in literal.rows("体系。实施")} == {"plan/一/1"}


def test_docid_map_reads_every_document(tmp_path: Path) -> None:
    store = build_small(tmp_path / "index")
    ix = store.open()
    try:
        with ix.reader() as r:
            assert indexer.docid_map(r) == [it.clause.id for it in small_items()]
    finally:
        ix.close()


def test_a_pointer_of_another_schema_or_segmenter_is_no_index(tmp_path: Path) -> None:
    store = build_small(tmp_path / "index")
    p = store.pointer()
    assert p is not None
    for stale in ({**p, "schema": SCHEMA_VERSION - 1}, {**p, "segmenter": "another"}, {**p, "generation": "gen-x"}):
        (store.root / POINTER).write_text(json.dumps(stale), encoding="utf-8")
        assert store.current_dir() is None and not store.is_ready()
    (store.root / POINTER).write_text("{not json", encoding="utf-8")
    assert store.pointer() is None


def test_a_damaged_generation_raises_index_error(tmp_path: Path) -> None:
    store = build_small(tmp_path / "index")
    gen = store.current_dir()
    assert gen is not None
    for f in gen.glob("*.toc"):
        f.unlink()
    assert not store.is_ready()
    with pytest.raises(IndexError_):
        store.open()
    (gen / DOCIDS).unlink()
    with pytest.raises(IndexError_):
        store.load_side_files()


def test_a_clause_id_file_cut_short_raises_index_error(tmp_path: Path) -> None:
    store = build_small(tmp_path / "index")
    gen = store.current_dir()
    assert gen is not None
    lines = (gen / DOCID_LINES).read_bytes()
    (gen / DOCID_LINES).write_bytes(lines[: lines.rindex(b"\n", 0, len(lines) - 1) + 1])  # the last id lost
    with pytest.raises(IndexError_):
        store.load_side_files()
    (gen / DOCID_LINES).unlink()
    with pytest.raises(IndexError_):
        store.load_side_files()


def test_side_files_of_older_generations_still_load(tmp_path: Path) -> None:
    """A generation written before docids.txt kept its ids in the JSON list: it opens as it did."""
    store = build_small(tmp_path / "index")
    gen = store.current_dir()
    assert gen is not None
    data = json.loads((gen / DOCIDS).read_text(encoding="utf-8"))
    expected = [it.clause.id for it in small_items()]
    (gen / DOCIDS).write_text(json.dumps({"toc": data["toc"], "ids": expected}), encoding="utf-8")
    (gen / DOCID_LINES).unlink()
    assert store.load_side_files()[2] == expected


def test_a_rebuild_replaces_the_generation_and_removes_the_old_one(tmp_path: Path) -> None:
    store = build_small(tmp_path / "index")
    old = store.current_dir()
    orphan = store.root / "gen-orphan"  # what a crashed build leaves
    orphan.mkdir()
    items = small_items()[3:]
    assert store.build(items, len(items)) == 4
    new = store.current_dir()
    assert new is not None and new != old
    assert sorted(p.name for p in store.root.iterdir()) == sorted([POINTER, new.name])
    assert store.pointer()["doc_count"] == 4  # type: ignore[index]


def test_a_cancelled_build_keeps_the_published_generation(tmp_path: Path) -> None:
    store = build_small(tmp_path / "index")
    before = store.current_dir()
    token = CancelToken()
    token.cancel()
    with pytest.raises(Cancelled):
        store.build(small_items(), 7, cancel=token)
    assert store.current_dir() == before and store.is_ready()
    assert sorted(p.name for p in store.root.iterdir()) == sorted([POINTER, before.name])  # type: ignore[union-attr]


def _store_with_writers(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, processes: bool) -> tuple[IndexStore, Path]:
    """The small index, whose next builds use writer processes (or one writer), and its generation."""
    monkeypatch.setattr(indexer, "PARALLEL_THRESHOLD", 3 if processes else 10**9)
    store = build_small(tmp_path / "index")
    before = store.current_dir()
    assert before is not None
    return store, before


@pytest.mark.parametrize("processes", [True, False])
def test_build_runs_meanwhile_before_it_publishes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                  processes: bool) -> None:
    """The caller's work (storing the clauses) runs once, after the last item is handed over and before the
    new generation is published; with writer processes too (they write their segments meanwhile)."""
    store, before = _store_with_writers(tmp_path, monkeypatch, processes)
    calls: list[object] = []
    assert store.build(small_items(), 7, meanwhile=lambda: calls.append(store.current_dir())) == 7
    assert calls == [before] and store.current_dir() != before
    literal, _toc, ids, rowmap = store.load_side_files()
    assert sorted(i for i in ids if i) == sorted(it.clause.id for it in small_items())
    assert rowmap is not None and [ids[int(n)] for n in rowmap] == list(literal.ids)


@pytest.mark.parametrize("processes", [True, False])
def test_a_failure_meanwhile_cancels_the_build(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                               processes: bool) -> None:
    store, before = _store_with_writers(tmp_path, monkeypatch, processes)

    def fail() -> None:
        raise Cancelled()

    with pytest.raises(Cancelled):
        store.build(small_items(), 7, meanwhile=fail)
    assert store.current_dir() == before and store.is_ready()
    assert sorted(p.name for p in store.root.iterdir()) == sorted([POINTER, before.name])


def test_update_replaces_the_clauses_of_a_document(tmp_path: Path) -> None:
    store = build_small(tmp_path / "index")
    items = small_items()
    plan_clauses = [it.clause for it in items if it.doc.id == "plan"]
    assert store.update(["law"], [], plan_clauses) == 0
    assert store.pointer()["doc_count"] == 3  # type: ignore[index]
    literal, _toc, ids, rowmap = store.load_side_files()
    assert list(ids) == ["plan/一", "plan/一/1", "plan/一/2", None, None, None, None]  # deleted documents: None
    assert ids[3] is None and ids[-5] == "plan/一/2"
    assert list(literal.ids) == ["plan/一", "plan/一/1", "plan/一/2"]
    assert rowmap is not None and rowmap.tolist() == [0, 1, 2]
    assert not len(literal.rows("噪声"))

    assert store.update([], items[3:], [it.clause for it in items]) == 4
    literal, _toc, ids, rowmap = store.load_side_files()
    assert store.pointer()["doc_count"] == 7  # type: ignore[index]
    assert ids[7:] == ["law/1", "law/2", "law/二", "law/3"]
    assert rowmap is not None and [ids[n] for n in rowmap.tolist()] == list(literal.ids)
    assert {ids[int(rowmap[r])] for r in literal.rows("噪声")} == {"law/1", "law/2", "law/3"}


def test_a_cancelled_update_changes_nothing(tmp_path: Path) -> None:
    store = build_small(tmp_path / "index")
    token = CancelToken()
    token.cancel()
    with pytest.raises(Cancelled):
        store.update(["law"], small_items()[3:], [], cancel=token)
    ix = store.open()
    try:
        assert ix.doc_count() == 7
    finally:
        ix.close()
    assert list(store.load_side_files()[2]) == [it.clause.id for it in small_items()]


def test_the_index_name_is_the_one_whoosh_finds(tmp_path: Path) -> None:
    gen = build_small(tmp_path / "index").current_dir()
    assert gen is not None
    assert windex.exists_in(str(gen), indexname=INDEX_NAME)
    assert not windex.exists_in(str(gen))  # never the default name: the generation folder holds only ours
