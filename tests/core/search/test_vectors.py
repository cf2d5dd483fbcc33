"""The numpy BM25 of app.core.search.vectors against what it replaced, on the real index of the shipped
corpus: whoosh's own search (the one-word path) and the per-posting BM25F loop (several words). The
same documents with the same scores, so no result list can change."""

from __future__ import annotations

import math
from typing import Any

import pytest
from whoosh import query as Q

from app.core.library import Library
from app.core.search import bestmatch, scoring, searcher, vectors
from app.core.search.query import parse_query

TERM_LISTS = [
    [("words", "污染", 1.0)],  # a common word: hundreds of matches, many ties in length
    [("words", "碳达峰", 1.0), ("head", "碳达峰", 1.0), ("anc", "碳达峰", 0.5), ("path", "碳达峰", 0.3)],
    [("words", "危险废物", 0.6), ("words", "危废", 1.0), ("head", "危险废物", 0.6)],
    [("words", "罚款", 1.0), ("anc", "罚款", 0.5)],
    [("words", "生态", 1.0), ("words", "环境", 1.0), ("head", "保护", 0.25)],
]


def _reference_bm25f(g: Any, terms: list[tuple[str, str, float]], docs: set[int]) -> dict[int, float]:
    """The loop searcher.bm25f ran before (one whoosh matcher call per posting)."""
    k1, b = 1.2, 0.75
    r = g.searcher.reader()
    n = max(1, r.doc_count_all())
    out: dict[int, float] = {}
    for fieldname, word, boost in terms:
        if not r.doc_frequency(fieldname, word):
            continue
        present = sorted(docs & set(r.postings(fieldname, word).all_ids()))
        df = r.doc_frequency(fieldname, word)
        idf = math.log(1 + (n - df + 0.5) / (df + 0.5))
        avg = (r.field_length(fieldname) / n) or 1.0
        weight = boost * scoring.FIELD_BOOSTS.get(fieldname, 1.0) * idf
        m = r.postings(fieldname, word)
        for d in present:
            m.skip_to(d)
            tf = m.weight()
            fl = r.doc_field_length(d, fieldname, 1) or 1
            out[d] = out.get(d, 0.0) + weight * tf * (k1 + 1) / (tf + k1 * (1 - b + b * fl / avg))
    return out


@pytest.fixture
def gen(library: Library) -> Any:
    library.search("碳达峰")
    return library._generation()


def test_postings_and_lengths_are_whooshs(gen: Any) -> None:
    r = gen.searcher.reader()
    # The listed terms and each field's most frequent words: lists of several blocks (decoded with numpy)
    common = [(f, t.decode() if isinstance(t, bytes) else t, 1.0) for f in ("words", "head", "anc", "path")
              for _, t in sorted(((r.doc_frequency(f, t), t) for t in r.lexicon(f)), reverse=True)[:15]]
    assert max(r.doc_frequency(f, w) for f, w, _ in common) > 2 * 128  # whoosh's postings per block
    for fieldname, word, _ in [t for ts in TERM_LISTS for t in ts] + common:
        ids, weights = vectors.term_postings(gen, fieldname, word)
        m = r.postings(fieldname, word) if r.doc_frequency(fieldname, word) else None
        expected = []
        while m is not None and m.is_active():
            expected.append((m.id(), m.weight()))
            m.next()
        assert list(zip(ids.tolist(), weights.tolist(), strict=True)) == expected
    n = r.doc_count_all()
    for fieldname in ("words", "head", "anc", "path"):
        assert vectors.lengths(gen, fieldname).tolist() == [r.doc_field_length(d, fieldname, 1) or 1 for d in range(n)]
        assert vectors.lengths(gen, fieldname, empty=0.0).tolist() == [r.doc_field_length(d, fieldname, 0) or 0
                                                                       for d in range(n)]
    assert vectors.term_postings(gen, "words", "不存在的词语")[0].size == 0


@pytest.mark.parametrize("terms", TERM_LISTS)
def test_whoosh_top_is_whooshs_own_search(gen: Any, terms: list[tuple[str, str, float]]) -> None:
    everything = set(range(gen.searcher.reader().doc_count_all()))
    some = set(range(0, len(everything), 3))
    q = Q.Or([Q.Term(f, w, boost=b) for f, w, b in terms])
    for docs in (everything, some):
        for limit in (5, 1000):
            expected = dict(gen.searcher.search(q, filter=docs, limit=limit).items())
            got = vectors.whoosh_top(gen, terms, docs, limit)
            assert list(got) == list(expected)  # the same documents in the same order (ties: document order)
            assert got == pytest.approx(expected, rel=1e-12)


@pytest.mark.parametrize("terms", TERM_LISTS)
def test_bm25f_is_the_loop_it_replaced(gen: Any, terms: list[tuple[str, str, float]]) -> None:
    docs = set(range(0, gen.searcher.reader().doc_count_all(), 2))
    expected = _reference_bm25f(gen, terms, docs)
    got = scoring.bm25f(gen, terms, docs)
    assert got.keys() == expected.keys() and expected
    assert got == pytest.approx(expected, rel=1e-12)
    assert scoring.bm25f(gen, terms, set()) == {}


def test_a_new_generation_gets_new_arrays(library: Library, tmp_path: Any) -> None:
    library.search("碳达峰")
    old = library._generation()
    before = vectors.term_postings(old, "words", "碳达峰")[0].size
    extra = tmp_path / "corpus"
    extra.mkdir()
    (extra / "音像制品补充规定.md").write_text("# 音像制品补充规定\n\n第一条 本市推进碳达峰工作，应当遵守本规定。\n",
                                          encoding="utf-8")
    library.index([extra])
    library.search("碳达峰")
    new = library._generation()
    assert new is not old
    assert vectors.term_postings(new, "words", "碳达峰")[0].size == before + 1


def test_one_word_search_ranks_as_before(library: Library) -> None:
    """score_best's one-unit path against whoosh's search it replaced, through the whole pipeline."""
    g = library._generation()
    pq = parse_query("危废")
    bp = bestmatch.plan(pq, lambda t: [], lambda w: searcher.known(g, w))
    terms = bestmatch.score_terms(bp.units, ["危废"], scoring.PATH_BONUS)
    docs = set(range(g.searcher.reader().doc_count_all()))
    q = Q.Or([Q.Term(f, w, boost=b) for f, w, b in terms])
    assert list(vectors.whoosh_top(g, terms, docs, 10)) == [d for d, _ in g.searcher.search(q, filter=docs,
                                                                                             limit=10).items()]


def test_the_stored_row_map_is_the_one_computed_from_the_docnum_map(library: Library) -> None:
    from app.core.search import indexer

    library.search("碳达峰")
    g = library._generation()
    assert g.rowmap is not None
    computed = [g.docnum.get(cid, -1) for cid in g.literal.ids]
    assert g.rowmap.tolist() == computed and min(computed) >= 0
    # A generation written before the file existed: the map is computed on first use, results unchanged.
    before = [h.id for h in library.search("碳达峰", limit=50).hits]
    gen_dir = library.index_store.current_dir()
    assert gen_dir is not None
    (gen_dir / indexer.ROWMAP).unlink()
    library._side = None
    assert library._generation().rowmap is None
    assert [h.id for h in library.search("碳达峰", limit=50).hits] == before
