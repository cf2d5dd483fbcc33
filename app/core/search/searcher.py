"""Run a query's units against one index generation: matches from posting sets and the literal index
(Ctrl+F never misses), filters and facets, and the re-rank of the first page.

Which clauses are candidates and how coverage orders them is `bestmatch.py`'s business; this module
reads the index for it (`Matcher`, `known`, `restrict`); `scoring.py` combines coverage with BM25 and
the priors (`score_best`, `top`); `rerank` re-ranks the hydrated pool on headings, typed form and proximity.
"""

from __future__ import annotations

import heapq
import math
import threading
import weakref
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
from whoosh import query as Q
from whoosh.scoring import BM25F

from app.core.models import CONTAINER_LEVELS
from app.core.normalize import compact, fold
from app.core.search import bestmatch, vectors
from app.core.search.analysis import words
from app.core.search.literal import LiteralIndex
from app.core.search.query import Term

HEADING_RERANK = 0.3  # share of the top score added when the clause heading holds every term
TYPED_RERANK = 0.5  # share of the top score added when the clause holds every term exactly as typed
PROXIMITY_RERANK = 0.3  # share of the top score added when the query's words stand close together
PRIMARY_RERANK = 0.15  # share of the top score added to clauses of a plan: the document officials work from
PRIMARY_KINDS = frozenset({"规划"})
PROXIMITY_SLACK = 6  # characters between the words that still count as "together"


class DocnumMap(Mapping[str, int]):
    """Clause id -> whoosh docnum, built on first use: search reads rows through the stored row map and
    never needs it (building it costs 0.07 s of the first search on the full library)."""

    def __init__(self, docids: Sequence[str | None]) -> None:
        self._docids = docids
        self._map: dict[str, int] | None = None
        self._lock = threading.Lock()

    def _built(self) -> dict[str, int]:
        if self._map is None:
            with self._lock:
                if self._map is None:
                    self._map = {cid: n for n, cid in enumerate(self._docids) if cid is not None}
        return self._map

    def __getitem__(self, cid: str) -> int:
        return self._built()[cid]

    def __iter__(self) -> Iterator[str]:
        return iter(self._built())

    def __len__(self) -> int:
        return len(self._built())


@dataclass(frozen=True)
class Generation:
    """What a search needs of one published index generation."""

    searcher: Any
    literal: LiteralIndex
    docids: Sequence[str | None]  # whoosh docnum -> clause id (None: deleted)
    docnum: Mapping[str, int]
    rowmap: npt.NDArray[np.int32] | None = None  # literal index row -> docnum under `docids`, if stored


@dataclass(frozen=True)
class RawHit:
    id: str
    doc_id: str
    kind: str
    score: float
    tier: int = 0  # 1: the clause holds every unit of the query (or a synonym of it): it stays above partial ones
    docnum: int = -1  # in the generation it came from (-1: not known)


_ROWMAP: weakref.WeakKeyDictionary[LiteralIndex, tuple[Mapping[str, int], npt.NDArray[np.int64]]] = \
    weakref.WeakKeyDictionary()
_ROWMAP_LOCK = threading.Lock()


def _row_docnums(g: Generation) -> npt.NDArray[np.signedinteger[Any]]:
    """Literal index row -> whoosh docnum (-1: not in this reader): stored with the generation, else built
    once per docnum map."""
    if g.rowmap is not None:
        return g.rowmap
    with _ROWMAP_LOCK:
        hit = _ROWMAP.get(g.literal)
        if hit is not None and hit[0] is g.docnum:
            return hit[1]
    get = g.docnum.get
    m = np.fromiter((get(i, -1) for i in g.literal.ids), dtype=np.int64, count=len(g.literal.ids))
    with _ROWMAP_LOCK:
        _ROWMAP[g.literal] = (g.docnum, m)
    return m


_ORDER: weakref.WeakKeyDictionary[LiteralIndex, tuple[npt.NDArray[Any], npt.NDArray[np.int64]]] = \
    weakref.WeakKeyDictionary()


def library_order(g: Generation) -> npt.NDArray[np.int64]:
    """Docnum -> its place in the library's own order (document, then clause: the order the clauses were fed
    to the index and the literal index keeps them). Ranking breaks ties by it, not by docnum: the writer
    processes share the clauses out as they come, so docnums differ from one build of the same library to
    the next, and so would the order of equal scores. Docnums without a literal row come last, by docnum."""
    rows = _row_docnums(g)
    with _ROWMAP_LOCK:
        hit = _ORDER.get(g.literal)
        if hit is not None and hit[0] is rows:
            return hit[1]
    size = max(len(g.docids), int(rows.max()) + 1 if len(rows) else 0)
    order = np.arange(size, dtype=np.int64) + len(rows)
    held = rows >= 0
    order[rows[held]] = np.flatnonzero(held)
    with _ROWMAP_LOCK:
        _ORDER[g.literal] = (rows, order)
    return order


def literal_row(g: Generation, docnum: int) -> int:
    """The literal index row of a docnum (-1: none)."""
    order = library_order(g)
    if not 0 <= docnum < len(order):
        return -1
    row = int(order[docnum])
    return row if row < len(g.literal) else -1


def literal_docs(g: Generation, key: str) -> set[int]:
    """Docnums of the clauses whose text holds `key` (a compact folded key) verbatim."""
    return set(literal_array(g, key).tolist())


def literal_array(g: Generation, key: str) -> npt.NDArray[np.int64]:
    """The docnums of `literal_docs` as an array (a clause once per row)."""
    rows = g.literal.rows(key)
    if not len(rows):
        return np.zeros(0, dtype=np.int64)
    found = _row_docnums(g)[rows]
    return found[found >= 0]


def every(g: Generation) -> set[int]:
    """All document numbers (a query made only of filters scopes the whole library)."""
    return set(range(len(g.docids)))


def restrict(g: Generation, docs: set[int], filter_q: Q.Query | None, hidden: set[int] | None) -> set[int]:
    """Apply field filters and leave out hidden documents (superseded versions)."""
    if filter_q is not None:
        docs &= set(filter_q.docs(g.searcher))
    if hidden and docs:
        docs -= hidden
    return {d for d in docs if not g.searcher.ixreader.is_deleted(d)} if g.searcher.ixreader.has_deletions() else docs


def member(docs: npt.NDArray[np.int64], of: npt.NDArray[Any]) -> npt.NDArray[np.bool_]:
    """For each of `docs`, whether it is one of `of` (docnums): `np.isin` by a dense mask, not by sorting
    both (which cost a millisecond a query with tens of thousands of candidates)."""
    if not len(docs) or not len(of):
        return np.zeros(len(docs), dtype=np.bool_)
    mask = np.zeros(max(int(docs.max()), int(of.max())) + 1, dtype=np.bool_)
    mask[of] = True
    return mask[docs]


def restrict_array(g: Generation, docs: npt.NDArray[np.int64], filter_q: Q.Query | None,
                   hidden: npt.NDArray[np.int64] | None) -> npt.NDArray[np.int64]:
    """`restrict` over an array of docnums (order kept)."""
    if filter_q is not None and len(docs):
        docs = docs[member(docs, np.fromiter(filter_q.docs(g.searcher), dtype=np.int64))]
    if hidden is not None and len(hidden) and len(docs):
        docs = docs[~member(docs, hidden)]
    r = g.searcher.ixreader
    if r.has_deletions() and len(docs):
        docs = docs[np.fromiter((not r.is_deleted(d) for d in docs.tolist()), dtype=np.bool_, count=len(docs))]
    return docs


# -- best match (see bestmatch.py) -------------------------------------------------------------------
LITERAL_BUDGET = 12  # literal lookups per query beyond the terms as typed (kept from the scan's days: it decides matches)


class Matcher:
    """Finds the clauses of each query variant for one search, within a budget of literal lookups."""

    def __init__(self, g: Generation, budget: int = LITERAL_BUDGET) -> None:
        self.g, self.budget = g, budget

    def __call__(self, v: bestmatch.Variant, where: str) -> npt.NDArray[np.int64]:
        """Clauses a variant matches in their own text ("body": its exact text, or all its words in the text
        or heading) or only through the headings above them ("anc"). The exact text is always looked up for
        the terms as typed (the Ctrl+F guarantee); for other variants while the budget lasts (the literal
        index finds 噪声 inside the word 噪声污染, which postings cannot). Docnums as an array, a clause
        possibly more than once: a common word's postings are tens of thousands of clauses, and
        bestmatch.cover works on arrays (sets of them cost more than the rest of the search)."""
        g = self.g
        fields = ("words", "head") if where == "body" else ("anc",)
        found = all_words(g, v.toks, fields)
        if where == "body" and v.literal and v.key and (v.typed or self._spend(v.key)):
            found = np.concatenate([found, literal_array(g, v.key)])
        elif where == "body" and v.part and len(v.toks) > 1 and self._spend(*v.toks):
            # A compound's parts apart (医疗 … 废物 for 医疗废物) also inside longer words, as jieba's search mode
            # would index them: 医疗卫生机构 … 危险废物 holds neither word 医疗 nor 废物.
            held = literal_array(g, v.toks[0])
            for t in v.toks[1:]:
                held = np.intersect1d(held, literal_array(g, t))
            found = np.concatenate([found, held])
        return found

    def _spend(self, *keys: str) -> bool:
        """Whether every one of `keys` may be looked up literally: the ones not remembered are counted against
        the budget, all or none."""
        new = [k for k in keys if not self.g.literal.cached(k)]
        if len(new) > self.budget:
            return False
        self.budget -= len(new)
        return True


def all_words(g: Generation, toks: Sequence[str], fields: Sequence[str]) -> npt.NDArray[np.int64]:
    """Clauses holding every word of `toks`, each in one of `fields` (a clause possibly more than once)."""
    lists = [[vectors.term_postings(g, f, w)[0] for f in fields] for w in toks]
    if len(lists) == 1:
        return lists[0][0] if len(lists[0]) == 1 else np.concatenate(lists[0])
    if not lists or any(not any(len(a) for a in per) for per in lists):
        return np.zeros(0, dtype=np.int64)
    count = np.zeros(len(g.docids), dtype=np.int16)
    for per in lists:
        held = np.zeros(len(count), dtype=np.bool_)
        for a in per:
            held[a] = True
        count += held
    return np.flatnonzero(count == len(lists))


def known(g: Generation, word: str, *, literal: bool = False) -> bool:
    """Whether the library holds `word` as a word (or, with `literal`, anywhere in a clause's text)."""
    w = fold(word)
    s = g.searcher
    if s.doc_frequency("words", w) or s.doc_frequency("head", w):
        return True
    return literal and bool(len(g.literal.rows(compact(w))))


def field_docs(g: Generation, fieldname: str, values: Sequence[str] | None) -> set[int]:
    """Documents with any of `values` in a field (every value of the field when None)."""
    r = g.searcher.reader()
    terms = values if values is not None else [t.decode("utf-8") if isinstance(t, bytes) else t
                                               for t in r.lexicon(fieldname)]
    out: set[int] = set()
    for v in terms:
        if r.doc_frequency(fieldname, v):
            out.update(r.postings(fieldname, v).all_ids())
    return out


def filter_query(resolved: dict[str, list[str]]) -> Q.Query | None:
    """AND over filter fields, OR over the values of one field (values already resolved: canonical
    department names, doc ids, kinds, years, "1"/"0")."""
    parts: list[Q.Query] = []
    for field, values in resolved.items():
        terms = [Q.Term(field, v) for v in values]
        parts.append(terms[0] if len(terms) == 1 else Q.Or(terms))
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else Q.And(parts)





FACET_FIELDS = {"doc": "doc", "kind": "kind", "department": "dept", "year": "year", "has_indicator": "has_ind"}


def run(searcher: Any, q: Q.Query, *, limit: int, filter_q: Q.Query | None = None,
        mask: Q.Query | None = None) -> tuple[int, list[RawHit]]:
    """Execute a plain whoosh query (used by 法条联想); return (total matches, top hits)."""
    results = searcher.search(q, limit=limit, filter=filter_q, mask=mask)
    hits = [RawHit(id=h["id"], doc_id=h["doc"], kind=h["kind"], score=float(h.score or 0.0)) for h in results]
    return len(results), hits


def facet_counts(g: Generation, docs: set[int] | npt.NDArray[np.int64]) -> dict[str, dict[str, int]]:
    """Counts per value of each facet field over the matched documents."""
    from whoosh import sorting

    if isinstance(docs, np.ndarray):
        docs = set(docs.tolist())
    if not docs:
        return {name: {} for name in FACET_FIELDS}
    facets = {name: sorting.FieldFacet(field, allow_overlap=field in ("dept", "year"), maptype=sorting.Count)
              for name, field in FACET_FIELDS.items()}
    results = g.searcher.search(Q.Every(), limit=1, filter=docs, groupedby=facets, scored=False)
    out: dict[str, dict[str, int]] = {}
    for name in FACET_FIELDS:
        groups = results.groups(name)
        ordered = sorted(groups.items(), key=lambda kv: (-kv[1], str(kv[0])))
        out[name] = {str(k): int(v) for k, v in ordered if k not in (None, "")}
    return out


def rerank(hits: list[RawHit], headings: dict[str, str], terms: list[Term],
           alternatives: dict[str, list[Term]] | None = None, bodies: dict[str, str] | None = None,
           prior: Callable[[str], float] | None = None, primary: bool = True) -> list[RawHit]:
    """Lift clauses whose heading holds the terms (or their alternatives), and those holding the
    terms exactly as typed; bonuses are relative to the best score of this query. `bodies`: each
    clause's text folded and compacted (`literal.key_of`; the literal index keeps them). `primary`: a plan's
    clauses get their prior."""
    if not hits:
        return hits
    top_score = max(h.score for h in hits) or 1.0
    alts = alternatives or {}
    keys = [[t.key, *(a.key for a in alts.get(t.key, []))] for t in terms]
    units = proximity_units(terms, alts)
    out = []
    for h in hits:
        head = compact(fold(headings.get(h.id, "")))
        n = sum(1 for variants in keys if any(k and k in head for k in variants))
        bonus = HEADING_RERANK * n / max(1, len(keys))
        if primary and h.kind in PRIMARY_KINDS:
            bonus += PRIMARY_RERANK
        if bodies is not None:  # the words as typed outrank their synonyms (Ctrl+F first, then the rest)
            body = bodies.get(h.id, "")
            bonus += TYPED_RERANK * sum(1 for t in terms if t.key in body) / max(1, len(terms))
            bonus += PROXIMITY_RERANK * proximity(body, units)
        if prior is not None:
            bonus += prior(h.id)
        out.append(RawHit(h.id, h.doc_id, h.kind, h.score + top_score * bonus, h.tier, h.docnum))
    return sorted(out, key=lambda h: (-h.tier, -h.score))


def sections_after_their_matches(hits: list[RawHit], places: Mapping[str, tuple[str, tuple[str, ...]]],
                                 in_text: set[str]) -> list[RawHit]:
    """A chapter or section listed before clauses of its own that hold the query's words in their text moves to
    just after the last of them: the tasks (articles) say what is to be done, the section's heading only names
    the subject. A section found by its heading alone, whose clauses only inherit the words (碳达峰 and the
    tasks of 三、（一）), keeps its place. `places`: clause id -> (level, path); a clause is a section's own when
    it is in the same document and its path extends the section's."""
    def below(d: RawHit, section: RawHit, path: tuple[str, ...]) -> bool:
        dp = places.get(d.id, ("", ()))[1]
        return d.doc_id == section.doc_id and len(dp) > len(path) and dp[: len(path)] == path

    out: list[RawHit] = []
    waiting: list[tuple[RawHit, set[str]]] = []  # (section, its matching clauses still to come)

    def emit(h: RawHit) -> None:
        out.append(h)
        for _, left in waiting:
            left.discard(h.id)
        ready = [section for section, left in waiting if not left]
        waiting[:] = [(section, left) for section, left in waiting if left]
        for section in ready:  # a chapter may have waited for this section
            emit(section)

    for i, h in enumerate(hits):
        level, path = places.get(h.id, ("", ()))
        if level in CONTAINER_LEVELS and path:
            left = {d.id for d in hits[i + 1:] if d.id in in_text and below(d, h, path)}
            if left:
                waiting.append((h, left))
                continue
        emit(h)
    return out + [section for section, _ in waiting]


def proximity_units(terms: Sequence[Term], alternatives: dict[str, list[Term]]) -> list[list[str]]:
    """What must stand close together for the proximity bonus: the query's terms (each with its
    alternatives) when there are several; the jieba words of a single unquoted term otherwise, so
    垃圾回收率目标 prefers clauses where 垃圾, 回收率 and 目标 are one phrase over ones that merely
    hold the three words far apart."""
    if len(terms) > 1:
        return [[t.key, *(a.key for a in alternatives.get(t.key, []))] for t in terms]
    if len(terms) == 1 and not terms[0].phrase:
        parts = [compact(fold(w)) for w in words(terms[0].text)]
        parts = [w for w in parts if w]
        return [[w] for w in dict.fromkeys(parts)] if len(parts) > 1 else []
    return []


def proximity(body: str, units: Sequence[Sequence[str]]) -> float:
    """1.0 when every unit occurs within a window of its own length plus PROXIMITY_SLACK characters,
    falling towards 0 as the smallest window holding them all grows; 0 when one is missing.

    `body` is a compact folded key; the smallest window is found by a sweep over the sorted
    occurrences (clauses are short: a few hundred characters, a handful of occurrences)."""
    if len(units) < 2:
        return 0.0
    occ: list[tuple[int, int, int]] = []  # (start, end, unit)
    for u, variants in enumerate(units):
        found = False
        for v in variants:
            if not v:
                continue
            pos = body.find(v)
            while pos != -1:
                occ.append((pos, pos + len(v), u))
                found = True
                pos = body.find(v, pos + 1)
        if not found:
            return 0.0
    occ.sort()
    need = len(units)
    count: dict[int, int] = {}
    best = math.inf
    left = 0
    ends: list[tuple[int, int]] = []  # (end, index) of the window's members, for its right edge
    for right, (_, end, u) in enumerate(occ):
        count[u] = count.get(u, 0) + 1
        heapq.heappush(ends, (-end, right))
        while len(count) == need:
            while ends[0][1] < left:  # lazily drop members that left the window
                heapq.heappop(ends)
            width = -ends[0][0] - occ[left][0]
            best = min(best, width)
            lu = occ[left][2]
            count[lu] -= 1
            if not count[lu]:
                del count[lu]
            left += 1
    shortest = sum(min((len(v) for v in variants if v), default=1) for variants in units)
    if best is math.inf:
        return 0.0
    return min(1.0, (shortest + PROXIMITY_SLACK) / max(best, 1))


def weighting() -> BM25F:
    return BM25F(B=0.75, K1=1.2)
