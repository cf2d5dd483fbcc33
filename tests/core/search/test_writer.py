"""app.core.search.writer: the faster segment writer writes what whoosh's own writer writes."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import pytest
from whoosh import index as windex
from whoosh.writing import SegmentWriter

from app.core.errors import IndexError_
from app.core.search import writer as W
from app.core.search.indexer import docid_map
from app.core.search.schema import make_schema

WORDS = ["碳达峰", "碳中和", "噪声", "污染", "防治", "河道", "生态", "环境", "保护", "监督", "管理", "罚款", "垃圾", "分类", "光伏", "风电", "湿地", "公园", "绿化", "能源"]


def _docs(n: int) -> list[dict[str, str]]:
    rnd = random.Random(11)
    out = []
    for i in range(n):
        body = "".join(rnd.choice(WORDS) for _ in range(rnd.randint(0, 30)))
        out.append({"id": f"d/{i}", "doc": f"d{i % 7}", "kind": rnd.choice(["法律", "规划"]), "level": rnd.choice(["article", "item"]),
                    "words": body, "head": rnd.choice(["", "第一章 总则", "生态环境保护"]),
                    "anc": rnd.choice(["", "第二章 监督管理"]), "path": "某条例 第二章 监督管理",
                    "dept": rnd.choice(["", "市生态环境局", "市水务局,市绿化市容局"]), "year": rnd.choice(["", "2025", "2025,2030"]), "has_ind": rnd.choice("01")})
    return out


def _build(folder: Path, make: Any, docs: list[dict[str, str]], before_commit: Any = None) -> Any:
    folder.mkdir()
    ix = windex.create_in(str(folder), make_schema(), indexname="t")
    w = make(ix)
    for d in docs:
        w.add_document(**d)
    if before_commit is not None:
        before_commit(w)
    w.commit()
    return windex.open_dir(str(folder), indexname="t")


def _content(ix: Any) -> dict[str, Any]:
    """Everything a reader can see: postings with weights, term statistics, lengths, stored fields."""
    r = ix.reader()
    out: dict[str, Any] = {"n": r.doc_count_all(), "stored": list(r.iter_docs())}
    for field in ("words", "head", "anc", "path", "id", "doc", "kind", "level", "dept", "year", "has_ind"):
        for t in r.lexicon(field):
            ti = r.term_info(field, t)
            m = r.postings(field, t)
            posts = []
            while m.is_active():
                posts.append((m.id(), m.weight()))
                m.next()
            out[f"{field}:{t!r}"] = (posts, ti.weight(), ti.doc_frequency(), ti.min_length(), ti.max_length(),
                                     ti.max_weight())
        if field in ("words", "head", "anc", "path"):
            out[f"len:{field}"] = ([r.doc_field_length(d, field, 0) for d in range(r.doc_count_all())],
                                   r.field_length(field), r.max_field_length(field))
    return out


@pytest.mark.parametrize("n", [20, 400])  # 400: frequent words span several blocks, rare ones are inlined
def test_the_fast_writer_writes_what_whoosh_writes(tmp_path: Path, n: int) -> None:
    docs = _docs(n)
    ours = _build(tmp_path / "ours", W.FastSegmentWriter, docs)
    theirs = _build(tmp_path / "theirs", SegmentWriter, docs)
    assert _content(ours) == _content(theirs)
    longest = max((len(v[0]) for k, v in _content(ours).items() if k.startswith("words:")), default=0)
    assert n < 400 or longest > 128  # several of whoosh's blocks of 128


def test_merged_segments_and_deletions_are_written_as_whoosh_writes_them(tmp_path: Path) -> None:
    """A commit that merges the earlier segments (add_reader: postings of several readers, renumbered)."""
    docs = _docs(300)

    def build(folder: Path, make: Any) -> Any:
        folder.mkdir()
        ix = windex.create_in(str(folder), make_schema(), indexname="t")
        for part in (docs[:120], docs[120:200]):
            w = make(ix)
            for d in part:
                w.add_document(**d)
            w.commit()
        w = make(ix)
        w.delete_by_term("doc", "d3")
        for d in docs[200:]:
            w.add_document(**d)
        w.commit(optimize=True)
        return windex.open_dir(str(folder), indexname="t")

    ours, theirs = build(tmp_path / "ours", W.FastSegmentWriter), build(tmp_path / "theirs", SegmentWriter)
    assert len(ours._segments()) == 1
    assert _content(ours) == _content(theirs)


def test_the_array_pool_gives_postings_in_field_term_docnum_order() -> None:
    pool = W.ArrayPostingPool()
    posts = [("words", b"\xe7\xa2\xb3", 5, 2.0, b"v"), ("head", b"a", 9, 1.0, None), ("words", b"a", 3, 1.5, b"w"),
             ("words", b"\xe7\xa2\xb3", 2, 1.0, b"v"), ("head", b"a", 1, 3.0, None)]  # docnums out of order
    for p in posts:
        pool.add(p)
    assert len(pool) == 5
    got = [(f, t, d, w, v) for f, t, ds, ws, vs in pool.terms() for d, w, v in zip(ds.tolist(), ws.tolist(), vs, strict=True)]
    assert got == sorted(posts, key=lambda p: (p[0], p[1], p[2]))
    assert pool.fieldnames == {"words", "head"} and len(pool) == 0  # taken out, the names kept
    pool.cleanup()
    assert list(pool.terms()) == [] and not pool.fieldnames


def test_the_parallel_writer_indexes_every_document(tmp_path: Path) -> None:
    docs = _docs(1200)
    for d in docs:  # ids long enough that each process reports more than a pipe holds (64 KB)
        d["id"] += "/" + "第一章第二节第三条" * 6
    made: list[Any] = []
    ix = _build(tmp_path / "mp", lambda ix: made.append(W.parallel_writer(ix, 2, batchsize=20)) or made[-1], docs)
    r = ix.reader()
    assert r.doc_count() == 1200 and sorted(f["id"] for _, f in r.iter_docs()) == sorted(d["id"] for d in docs)
    # The docnum -> id map its processes reported is the one the stored fields give, segment by segment
    assert len(list(r.leaf_readers())) == 2
    assert W.segment_docids(made[0], r) == docid_map(r)
    single = _build(tmp_path / "one", lambda ix: SegmentWriter(ix), docs)
    words = {t: single.reader().doc_frequency("words", t) for t in single.reader().lexicon("words")}
    assert {t: r.doc_frequency("words", t) for t in r.lexicon("words")} == words


def test_the_parallel_writer_finishes_feeding_before_commit(tmp_path: Path) -> None:
    """`finish_feeding` hands over the last batch early; `commit` then only collects the same segments."""
    docs = _docs(300)
    made: list[Any] = []
    ix = _build(tmp_path / "mp", lambda ix: made.append(W.parallel_writer(ix, 2, batchsize=40)) or made[-1], docs,
                before_commit=lambda w: w.finish_feeding())
    r = ix.reader()
    assert r.doc_count() == 300 and sorted(f["id"] for _, f in r.iter_docs()) == sorted(d["id"] for d in docs)
    assert W.segment_docids(made[0], r) == docid_map(r)


def test_segment_docids_of_one_writer_and_when_they_are_unknown(tmp_path: Path) -> None:
    docs = _docs(50)
    made: list[Any] = []
    ix = _build(tmp_path / "one", lambda ix: made.append(W.FastSegmentWriter(ix)) or made[-1], docs)
    r = ix.reader()
    assert W.segment_docids(made[0], r) == [d["id"] for d in docs] == docid_map(r)
    theirs = _build(tmp_path / "whoosh", SegmentWriter, docs)
    assert W.segment_docids(object(), theirs.reader()) is None  # a writer that recorded nothing: read the fields


def test_a_writer_process_that_dies_fails_the_build_instead_of_hanging_it(tmp_path: Path,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """Killed (or unable to start: a script without a main guard), a writer stops taking jobs; the full queue
    then reports it within a check or two instead of blocking the build for ever."""
    monkeypatch.setattr(W, "QUEUE_CHECK_S", 0.2)
    (tmp_path / "mp").mkdir()
    ix = windex.create_in(str(tmp_path / "mp"), make_schema(), indexname="t")
    w = W.parallel_writer(ix, 2, batchsize=1)
    docs = _docs(200)
    try:
        for d in docs[:2]:  # a batch each: both processes started
            w.add_document(**d)
        assert len(w.tasks) == 2
        for task in w.tasks:
            task.kill()
            task.join(10)
        with pytest.raises(IndexError_, match="索引写入进程意外退出"):
            for d in docs[2:]:
                w.add_document(**d)
            w.finish_feeding()
    finally:
        w.cancel()
