"""app.core.search.writer: the faster segment writer writes what whoosh's own writer writes."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import pytest
from whoosh import index as windex
from whoosh.writing import SegmentWriter

from app.core.search import writer as W
from app.core.search.schema import make_schema

WORDS = ["碳达峰", "碳中和", "噪声", "污染", "防治", "河道", "生态", "环境", "保护", "监督", "管理", "罚款", "垃圾", "分类", "光伏", "风电", "湿地", "公园", "绿化", "能源"]


def _docs(n: int) -> list[dict[str, str]]:
    rnd = random.Random(11)
    out = []
    for i in range(n):
        body = "".join(rnd.choice(WORDS) for _ in range(rnd.randint(0, 30)))
        out.append({"id": f"d/{i}", "doc": f"d{i % 7}", "kind": rnd.choice(["法律", "规划"]), "level": "article",
                    "words": body, "head": rnd.choice(["", "第一章 总则", "生态环境保护"]),
                    "anc": rnd.choice(["", "第二章 监督管理"]), "path": "某条例 第二章 监督管理",
                    "dept": rnd.choice(["", "市生态环境局", "市水务局,市绿化市容局"]), "year": "", "has_ind": "0"})
    return out


def _build(folder: Path, make: Any, docs: list[dict[str, str]]) -> Any:
    folder.mkdir()
    ix = windex.create_in(str(folder), make_schema(), indexname="t")
    w = make(ix)
    for d in docs:
        w.add_document(**d)
    w.commit()
    return windex.open_dir(str(folder), indexname="t")


def _content(ix: Any) -> dict[str, Any]:
    """Everything a reader can see: postings with weights, term statistics, lengths, stored fields."""
    r = ix.reader()
    out: dict[str, Any] = {"n": r.doc_count_all(), "stored": list(r.iter_docs())}
    for field in ("words", "head", "anc", "path", "id", "doc", "kind", "dept"):
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


@pytest.mark.parametrize("limitmb", [128, 0.02])  # one run in memory; many runs spilled to disk
def test_the_fast_writer_writes_what_whoosh_writes(tmp_path: Path, limitmb: float,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(W, "CHUNK", 7)  # runs of several chunks, the last one short
    docs = _docs(400)
    spilled: list[int] = []
    save = W.ChunkedPostingPool.save

    def counting_save(self: Any) -> None:
        spilled.append(len(self.current))
        save(self)

    monkeypatch.setattr(W.ChunkedPostingPool, "save", counting_save)
    ours = _build(tmp_path / "ours", lambda ix: W.FastSegmentWriter(ix, limitmb=limitmb), docs)
    theirs = _build(tmp_path / "theirs", lambda ix: SegmentWriter(ix, limitmb=limitmb), docs)
    assert _content(ours) == _content(theirs)
    assert (len(spilled) > 3) == (limitmb < 1)  # the small buffer did spill, the large one did not


def test_a_run_reads_back_in_order_and_is_removed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(W, "CHUNK", 3)
    ix = windex.create_in(str(tmp_path), make_schema(), indexname="t")
    w = W.FastSegmentWriter(ix)
    pool = w.pool
    items = [("words", f"{i:03d}".encode(), i, 1.0, None) for i in range(10)]
    path, f = pool._new_run()
    pool._write_run(f, iter(items))
    assert list(pool._read_run(path)) == items
    assert not pool.tempstore.file_exists(path)
    w.cancel()


def test_the_parallel_writer_indexes_every_document(tmp_path: Path) -> None:
    docs = _docs(300)
    ix = _build(tmp_path / "mp", lambda ix: W.parallel_writer(ix, 2, multisegment=True, limitmb=1, batchsize=20),
                docs)
    r = ix.reader()
    assert r.doc_count() == 300 and sorted(f["id"] for _, f in r.iter_docs()) == sorted(d["id"] for d in docs)
    single = _build(tmp_path / "one", lambda ix: SegmentWriter(ix), docs)
    words = {t: single.reader().doc_frequency("words", t) for t in single.reader().lexicon("words")}
    assert {t: r.doc_frequency("words", t) for t in r.lexicon("words")} == words
