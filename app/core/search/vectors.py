"""BM25 over whoosh's postings with numpy: a posting list is read once, a block at a time, into two
arrays (document numbers, term weights); field lengths are read once per generation from the
segments' length columns. Scoring a term over a candidate set is then a few array operations instead
of whoosh's Python-level matcher walk (four calls per posting) — the bulk of a search's time on the
full library (issue #15).

Two scorers, each reproducing one that the search used before, number for number:

* `whoosh_top` — whoosh's own `BM25F(B=0.75, K1=1.2)` over `Or([Term(field, word, boost)…])` with a
  filter and a limit (idf = log(N / (df + 1)) + 1; ties in document order), for one-unit queries;
* `bm25f` — our BM25F over a small candidate set (idf = log(1 + (N - df + 0.5) / (df + 0.5)), the
  schema's field boosts on top), for queries of several units.

Derived from the index generation and cached per generation (weakly keyed on its literal index), so a
new generation never sees old arrays.
"""

from __future__ import annotations

import math
import threading
import weakref
from collections import OrderedDict
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, W3LeafMatcher, _lenfield
from whoosh.matching.wrappers import MultiMatcher
from whoosh.util.numeric import byte_to_length

from app.core.search.literal import LiteralIndex

K1, B = 1.2, 0.75
CACHE_POSTINGS = 4_000_000  # postings kept per generation (8 bytes each: about 32 MB)

Ids = npt.NDArray[np.int64]
Floats = npt.NDArray[np.float64]
Docs = Sequence[int] | set[int] | frozenset[int] | Ids  # docnums as a set or an array

# A length byte -> the field length whoosh stores (quantised).
_LENGTH_OF_BYTE: Floats = np.array([byte_to_length(i) for i in range(256)], dtype=np.float64)


class _Cache:
    """One generation's arrays: field lengths and the most recently used posting lists."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.lengths: dict[tuple[str, float], Floats] = {}
        self.postings: OrderedDict[tuple[str, str], tuple[Ids, Floats]] = OrderedDict()
        self.size = 0


_CACHES: weakref.WeakKeyDictionary[LiteralIndex, _Cache] = weakref.WeakKeyDictionary()
_CACHES_LOCK = threading.Lock()


def _cache(g: Any) -> _Cache:
    with _CACHES_LOCK:
        c = _CACHES.get(g.literal)
        if c is None:
            c = _CACHES[g.literal] = _Cache()
        return c


def _segments(reader: Any) -> list[tuple[Any, int]]:
    """(segment reader, first document number) of a whoosh reader."""
    if reader.is_atomic():
        return [(reader, 0)]
    return list(zip(reader.readers, reader.doc_offsets, strict=True))


def _length_bytes(segment: Any, fieldname: str) -> npt.NDArray[np.uint8] | None:
    """The raw length column of one field of one segment (one byte per document), or None."""
    perdoc = getattr(segment, "_perdoc", None)
    col = perdoc._cached_reader(_lenfield(fieldname), LENGTHS_COLUMN) if perdoc is not None else None
    if col is None:
        return None
    n = segment.doc_count_all()
    dbfile, base = getattr(col, "_dbfile", None), getattr(col, "_basepos", None)
    if dbfile is not None and base is not None and getattr(col, "_fixedlen", 0) == 1:
        return np.frombuffer(bytes(dbfile.get(base, n)), dtype=np.uint8)
    return np.asarray(col.load(), dtype=np.uint8)


def lengths(g: Any, fieldname: str, empty: float = 1.0) -> Floats:
    """Every document's length of a field as `reader.doc_field_length` gives it (quantised), an empty
    field counting as `empty` (whoosh's scorers: 1)."""
    c = _cache(g)
    with c.lock:
        hit = c.lengths.get((fieldname, empty))
    if hit is not None:
        return hit
    reader = g.searcher.reader()
    out = np.full(reader.doc_count_all(), empty, dtype=np.float64)
    for segment, offset in _segments(reader):
        raw = _length_bytes(segment, fieldname)
        if raw is not None:
            part = _LENGTH_OF_BYTE[raw]
            out[offset:offset + len(raw)] = np.where(part > 0, part, empty)
        else:  # another codec: one call per document
            for d in range(segment.doc_count_all()):
                out[offset + d] = segment.doc_field_length(d, fieldname, 0) or empty
    with c.lock:
        c.lengths[(fieldname, empty)] = out
    return out


def term_postings(g: Any, fieldname: str, word: str) -> tuple[Ids, Floats]:
    """(document numbers ascending, term weights) of a word in a field; empty arrays when absent."""
    c = _cache(g)
    key = (fieldname, word)
    with c.lock:
        hit = c.postings.get(key)
        if hit is not None:
            c.postings.move_to_end(key)
            return hit
    r = g.searcher.reader()
    if r.doc_frequency(fieldname, word):
        ids, weights = _read(r.postings(fieldname, word))
    else:
        ids, weights = np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float64)
    with c.lock:
        c.postings[key] = (ids, weights)
        c.size += len(ids)
        while c.size > CACHE_POSTINGS and len(c.postings) > 1:
            _, (old, _w) = c.postings.popitem(last=False)
            c.size -= len(old)
    return ids, weights


def _read(m: Any) -> tuple[Ids, Floats]:
    """A fresh posting matcher's ids and weights, a block at a time from the segments' leaf matchers
    (anything else — a deletion filter, another codec — one posting at a time)."""
    leaves = list(zip(m.matchers, m.offsets, strict=True)) if isinstance(m, MultiMatcher) else [(m, 0)]
    if not all(type(leaf) is W3LeafMatcher for leaf, _ in leaves):
        ids, weights = [], []
        while m.is_active():
            ids.append(m.id())
            weights.append(m.weight())
            m.next()
        return np.asarray(ids, dtype=np.int64), np.asarray(weights, dtype=np.float64)
    id_parts: list[Ids] = []
    weight_parts: list[Floats] = []
    for leaf, offset in leaves:
        while leaf.is_active():
            block_ids, block_weights = _block(leaf)
            i = leaf._i
            id_parts.append(block_ids[i:] + offset)
            weight_parts.append(block_weights[i:])
            leaf._next_block()
    if not id_parts:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float64)
    return np.concatenate(id_parts), np.concatenate(weight_parts)


def _block(leaf: W3LeafMatcher) -> tuple[Ids, Floats]:
    """One block's ids and weights as whoosh's `_read_ids`/`_read_weights` decode them, with numpy: its
    delta decoding is a Python generator, a call per posting (most of a cold search's reading time)."""
    if leaf._data is None:
        leaf._read_data()
    raw_ids, raw_weights = leaf._data[0], leaf._data[1]
    ids = np.asarray(raw_ids, dtype=np.int64)
    if not leaf._byteids:
        ids = np.cumsum(ids)  # whoosh.util.numlists.delta_decode
    n = leaf._blocklength
    if raw_weights is None:
        weights = np.ones(n, dtype=np.float64)
    elif isinstance(raw_weights, float):  # array("f", …): the single-precision value
        weights = np.full(n, np.float32(raw_weights), dtype=np.float32).astype(np.float64)
    else:
        weights = np.asarray(raw_weights, dtype=np.float64)
    return ids, weights


def selector(n: int, docs: Docs) -> npt.NDArray[np.bool_]:
    """A dense mask over `n` docnums, True at `docs` (a set or an array)."""
    sel = np.zeros(n, dtype=np.bool_)
    if isinstance(docs, np.ndarray):
        sel[docs] = True
    elif docs:
        sel[np.fromiter(docs, dtype=np.int64, count=len(docs))] = True
    return sel


def _bm25(idf: float, tf: Floats, fl: Floats, avgfl: float) -> Floats:
    """whoosh.scoring.bm25, operation for operation (the same doubles come out)."""
    return idf * ((tf * (K1 + 1)) / (tf + K1 * ((1 - B) + B * fl / avgfl)))


def whoosh_top(g: Any, terms: Sequence[tuple[str, str, float]], docs: Docs, limit: int,
               order: Ids | None = None) -> dict[int, float]:
    """What `searcher.search(Or([Term(field, word, boost=b)…]), filter=docs, limit=limit)` returns as
    {docnum: score}: whoosh's BM25F summed over the terms, the best `limit`, ties in document order (or by
    `order`, docnum -> place, when given)."""
    s = g.searcher
    n = s.reader().doc_count_all()
    sel = selector(n, docs)
    acc = np.zeros(n, dtype=np.float64)
    hit = np.zeros(n, dtype=np.bool_)
    for fieldname, word, boost in terms:
        ids, tf = term_postings(g, fieldname, word)
        keep = sel[ids]
        if not keep.any():
            continue
        ids, tf = ids[keep], tf[keep]
        if s.schema[fieldname].scorable:
            score = _bm25(s.idf(fieldname, word), tf, lengths(g, fieldname)[ids],
                          s.avg_field_length(fieldname) or 1)
        else:
            score = tf
        acc[ids] += score * boost if boost != 1 else score
        hit[ids] = True
    found = np.flatnonzero(hit)
    scores = acc[found]
    best = np.lexsort((found if order is None else order[found], -scores))[:limit]
    return {int(d): float(v) for d, v in zip(found[best], scores[best], strict=True)}


def bm25f(g: Any, terms: Sequence[tuple[str, str, float]], docs: Docs,
          field_boosts: Mapping[str, float]) -> dict[int, float]:
    """Our BM25 per field (with the schema's field boosts on top) of `terms` over a set of documents."""
    if not len(docs):
        return {}
    r = g.searcher.reader()
    n_all = r.doc_count_all()
    n = max(1, n_all)
    sel = selector(n_all, docs)
    acc = np.zeros(n_all, dtype=np.float64)
    hit = np.zeros(n_all, dtype=np.bool_)
    for fieldname, word, boost in terms:
        ids, tf = term_postings(g, fieldname, word)
        keep = sel[ids]
        if not keep.any():
            continue
        ids, tf = ids[keep], tf[keep]
        df = r.doc_frequency(fieldname, word)
        idf = math.log(1 + (n - df + 0.5) / (df + 0.5))
        avg = (r.field_length(fieldname) / n) or 1.0
        weight = boost * field_boosts.get(fieldname, 1.0) * idf
        fl = lengths(g, fieldname)[ids]
        acc[ids] += weight * tf * (K1 + 1) / (tf + K1 * (1 - B + B * fl / avg))
        hit[ids] = True
    found = np.flatnonzero(hit)
    return {int(d): float(v) for d, v in zip(found, acc[found], strict=True)}
