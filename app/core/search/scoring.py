"""Scores of a query's candidates: coverage first, then BM25F, the literal bonus and the boosts
(`score_best`), and the best of them, clauses holding every unit first (`top`).

Candidates, coverage and scores are arrays over whoosh docnums (`Scored`), not dicts: a common word's
tens of thousands of candidates went through several dict and set conversions per query, which cost
more than the scoring. The arithmetic is the same, operation for operation, as one clause at a time.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import numpy as np
import numpy.typing as npt

from app.core.search import bestmatch, vectors
from app.core.search.analysis import words
from app.core.search.query import ParsedQuery
from app.core.search.schema import HEAD_BOOST, PATH_BOOST
from app.core.search.searcher import Generation, RawHit, library_order, literal_array, member

LITERAL_SCORE = 2.5  # a clause holding the exact text, scaled by the literal's idf
PATH_BONUS = 0.3  # its words occur in the breadcrumb / document title
PRIMARY_BOOST = 0.3  # share of the top BM25 added to a plan's clauses: among 150k law articles they still come first
TIE_BOOST = 0.7  # and to a plan's clause covering the query as fully as any clause: it leads the equally covered
INTENT_BOOST = 0.35  # share of the top BM25 added to clauses holding the kind of answer asked for
ELSEWHERE_PENALTY = 0.6  # share of the top BM25 the local rules of another place than the plan's lose
FIELD_BOOSTS = {"head": HEAD_BOOST, "path": PATH_BOOST}
TIE_LENGTHS = 1000  # clauses of the boundary coverage level ordered by length (shorter first) before BM25

Ints = npt.NDArray[np.int64]
Floats = npt.NDArray[np.float64]
Scored = tuple[Ints, Floats]  # (docnums, their values), each docnum once
Docs = set[int] | frozenset[int] | Ints  # docnums as a set or an array


def arrays(scores: Mapping[int, float] | Scored) -> Scored:
    """`scores` as (docnums, values) arrays."""
    if isinstance(scores, tuple):
        return scores
    return (np.fromiter(scores.keys(), dtype=np.int64, count=len(scores)),
            np.fromiter(scores.values(), dtype=np.float64, count=len(scores)))


def as_dict(scores: Scored) -> dict[int, float]:
    return dict(zip(scores[0].tolist(), scores[1].tolist(), strict=True))


def _array(docs: Docs | None) -> Ints:
    if docs is None:
        return np.zeros(0, dtype=np.int64)
    if isinstance(docs, np.ndarray):
        return docs.astype(np.int64, copy=False)
    return np.fromiter(docs, dtype=np.int64, count=len(docs))


def score_best(g: Generation, pq: ParsedQuery, units: Sequence[bestmatch.Unit],
               coverage: Mapping[int, float] | Scored, pool: int, boost_docs: Docs | None = None,
               primary: Docs | None = None, partial: Docs | None = None, elsewhere: Docs | None = None,
               extra: Floats | None = None) -> Scored:
    """Coverage first, then BM25F: BM25 over the best-covered BM25_CAP clauses, plus the literal score
    of each term found verbatim; `boost_docs` (the query's intent) add a share of the top score.
    `partial` clauses (a compound matched in parts) are also scored by the words of its parts; `elsewhere`
    clauses (another place's local rules) lose a share of it; `extra` (per candidate) is added as it is."""
    docs, cov = arrays(coverage)
    if not len(docs):
        return docs, cov
    typed = [w for t in pq.positive_terms() if not t.phrase for w in words(t.text)]
    if len(units) == 1:  # one unit: whoosh's BM25F over every match (numpy), the best BM25_TOPK kept
        shortlist = docs
        terms = bestmatch.score_terms(units, typed, PATH_BONUS)
        bm25: dict[int, float] = {}
        if terms:
            # A fixed top-k (not one that grows with the page) keeps paging stable: a page further down
            # never changes the order above it; pages beyond BM25_TOPK get every match scored.
            k = bestmatch.BM25_TOPK if pool <= bestmatch.BM25_TOPK else len(shortlist)
            bm25 = vectors.whoosh_top(g, terms, shortlist, max(k, 1), order=library_order(g))
    else:  # several: BM25F over the best-covered clauses only (whoosh would walk every posting of 建设)
        shortlist = _shortlist(g, docs, cov, bestmatch.BM25_CAP)
        if primary is not None and len(primary) and len(shortlist) < len(docs):
            # a plan's few clauses are always scored: unscored, they would sink below every scored article
            shortlist = np.union1d(shortlist, docs[member(docs, _array(primary))])
        bm25 = bm25f(g, bestmatch.score_terms(units, typed, PATH_BONUS), shortlist)
    size = max(len(g.docids), int(docs.max()) + 1)
    listed = vectors.selector(size, shortlist)
    if partial is not None and len(partial):
        part = _array(partial)
        for d, s in bm25f(g, bestmatch.score_terms(units, typed, PATH_BONUS, parts=True), part[listed[part]]).items():
            bm25[d] = bm25.get(d, 0.0) + s
    # BM25, then each term's literal bonus, dense over docnums (a clause's sum in the same order as before)
    acc = np.zeros(size, dtype=np.float64)
    scored = np.zeros(size, dtype=np.bool_)
    if bm25:
        keys = np.fromiter(bm25.keys(), dtype=np.int64, count=len(bm25))
        acc[keys] = np.fromiter(bm25.values(), dtype=np.float64, count=len(bm25))
        scored[keys] = True
    _add_literal_scores(g, pq, listed, acc, scored)
    top_bm25 = (float(acc[scored].max()) if scored.any() else 1.0) or 1.0
    # score = BM25 + top x weight x coverage (+ the boosts); a score for a clause that is no candidate counts
    # for nothing
    score = acc[docs] + (top_bm25 * bestmatch.COVERAGE_WEIGHT) * cov
    if extra is not None:
        score = score + extra
    for boosted, share in ((boost_docs, INTENT_BOOST), (primary, PRIMARY_BOOST)):
        if boosted is not None and len(boosted):
            mask = member(docs, _array(boosted))
            score[mask] = score[mask] + top_bm25 * share
            if boosted is primary:
                best = mask & (cov >= float(cov.max()) - 1e-9)
                score[best] = score[best] + top_bm25 * TIE_BOOST
    if elsewhere is not None and len(elsewhere):
        mask = member(docs, _array(elsewhere))
        score[mask] = score[mask] - top_bm25 * ELSEWHERE_PENALTY
    return docs, score


def _add_literal_scores(g: Generation, pq: ParsedQuery, listed: npt.NDArray[np.bool_], acc: Floats,
                        scored: npt.NDArray[np.bool_]) -> None:
    """Add to `acc` the literal score of each term found verbatim in a `listed` clause (scaled by the
    literal's idf); `scored` marks the clauses given one."""
    n = max(1, len(g.docids))
    for t in pq.positive_terms():
        lit = np.zeros(len(listed), dtype=np.bool_)
        lit[literal_array(g, t.key)] = True
        lit &= listed
        count = int(np.count_nonzero(lit))
        if count:
            acc[lit] = acc[lit] + LITERAL_SCORE * math.log(1 + n / count)
            scored |= lit


def _shortlist(g: Generation, docs: Ints, cov: Floats, cap: int) -> Ints:
    """The `cap` best-covered clauses. Where the cap cuts through clauses of equal coverage, the shorter
    ones go first (BM25 favours them), for up to TIE_LENGTHS of them; then the library's order."""
    if len(docs) <= cap:
        return docs
    # Levels are coverage rounded to 6 places (Python's round, on the few distinct values only).
    uniq, inverse = np.unique(cov, return_inverse=True)
    level = np.array([round(float(u), 6) for u in uniq.tolist()], dtype=np.float64)[inverse]
    steps, counts = np.unique(level, return_counts=True)
    taken = 0
    boundary = None
    for step, count in zip(steps[::-1].tolist(), counts[::-1].tolist(), strict=True):
        if taken + count > cap:
            boundary = step
            break
        taken += count
    if boundary is None:
        return docs
    tied = docs[level == boundary]
    tied = tied[np.argsort(library_order(g)[tied], kind="stable")]  # in the library's order
    length = vectors.lengths(g, "words", empty=0.0)
    head = tied[:TIE_LENGTHS]
    head = head[np.argsort(length[head], kind="stable")]
    return np.concatenate([docs[level > boundary], np.concatenate([head, tied[TIE_LENGTHS:]])[: cap - taken]])


def bm25f(g: Generation, terms: Sequence[tuple[str, str, float]], docs: Docs) -> dict[int, float]:
    """BM25 per field (with the schema's field boosts) of `terms` over a set of documents (numpy)."""
    return vectors.bm25f(g, terms, docs, FIELD_BOOSTS)


def top(g: Generation, scores: Mapping[int, float] | Scored, limit: int, full: Docs | None = None,
        kinds: dict[str, str] | None = None) -> list[RawHit]:
    """The `limit` best documents: those in `full` (every unit matched) first, then by score. Clause
    ids come from the docnum map and document kinds from `kinds` (doc id -> kind) when given: no
    stored-field reads."""
    whole = set(_array(full).tolist())
    out = []
    for docnum, s in _best(scores, limit, full, library_order(g)):
        cid = g.docids[docnum] if docnum < len(g.docids) else None
        doc_id = cid.split("/", 1)[0] if cid else None
        if cid is None or doc_id is None or kinds is None or doc_id not in kinds:
            stored = g.searcher.stored_fields(docnum)
            cid, doc_id, kind = stored["id"], stored["doc"], stored["kind"]
        else:
            kind = kinds[doc_id]
        out.append(RawHit(id=cid, doc_id=doc_id, kind=kind, score=s, tier=int(docnum in whole), docnum=docnum))
    return out


def _best(scores: Mapping[int, float] | Scored, limit: int, full: Docs | None,
          order: Ints | None = None) -> list[tuple[int, float]]:
    """The `limit` best (docnum, score): every unit matched first, then higher score, then `order` (docnum ->
    place; docnum order without it)."""
    docs, vals = arrays(scores)
    if limit <= 0 or not len(docs):
        return []
    whole = member(docs, _array(full))
    out: list[tuple[int, float]] = []
    for group in (whole, ~whole):
        room = limit - len(out)
        if room <= 0:
            break
        d, v = docs[group], vals[group]
        if len(d) > room:  # those at or above the room-th best score (ties kept), then sorted
            keep = v >= np.partition(v, len(v) - room)[len(v) - room]
            d, v = d[keep], v[keep]
        ranked = np.lexsort((d if order is None else order[d], -v))[:room]
        out.extend(zip(d[ranked].tolist(), v[ranked].tolist(), strict=True))
    return out
