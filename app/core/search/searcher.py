"""Turn a parsed query into whoosh queries, run them, and return clause ids with scores."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from whoosh import query as Q
from whoosh.scoring import BM25F

from app.core.normalize import compact, fold
from app.core.search.analysis import grams, words
from app.core.search.query import ParsedQuery, Term

# Relative weights of the ways a term can match.
LITERAL_WEIGHT = 1.5  # the exact text occurs (bigram phrase)
WORDS_WEIGHT = 1.0  # all its jieba words occur
HEAD_LITERAL_BONUS = 4.0  # the exact text occurs in the clause heading
PATH_BONUS = 0.3  # its words occur in the breadcrumb / document title

SYNONYM_WEIGHT = 0.6  # an alternative counts this much of the term as typed
HEADING_RERANK = 0.3
TYPED_RERANK = 0.5  # share of the top score added when the clause holds every term exactly as typed  # share of the top score added when the clause heading holds every term

# A one-character literal expands to every bigram starting with it; cap the expansion.
MAX_PREFIX_TERMS = 2048


def literal_query(field: str, key: str, boost: float = 1.0) -> Q.Query:
    """Match `key` (compact folded text) as a contiguous substring of `field`."""
    if len(key) == 1:
        return Q.Prefix(field, key, boost=boost)
    bigrams = grams(key)[:-1]  # drop the trailing unigram: a substring need not end the text
    if len(bigrams) == 1:
        return Q.Term(field, bigrams[0], boost=boost)
    return Q.Phrase(field, bigrams, boost=boost)


def _words_query(term: Term) -> Q.Query | None:
    toks = words(term.text)
    if not toks:
        return None
    per = [Q.Or([Q.Term("words", w), Q.Term("head", w)]) for w in toks]
    return per[0] if len(per) == 1 else Q.And(per)


def _plain_term_query(term: Term) -> Q.Query:
    lit = literal_query("grams", term.key, LITERAL_WEIGHT)
    if term.phrase:
        return lit
    wq = _words_query(term)
    if wq is None:
        return lit
    wq.boost = WORDS_WEIGHT
    return Q.Or([lit, wq])


def term_query(term: Term, alternatives: Sequence[Term] = ()) -> Q.Query:
    """One term: its literal text, or (unless quoted) all of its words; or any of its alternatives
    (synonyms, abbreviations, numeral forms) at a lower weight."""
    q = _plain_term_query(term)
    if term.phrase or not alternatives:
        return q
    return Q.Or([q, *(_plain_term_query(a).with_boost(SYNONYM_WEIGHT) for a in alternatives)])


def _bonus_query(terms: list[Term], alternatives: dict[str, list[Term]]) -> Q.Query | None:
    parts: list[Q.Query] = []
    for t in terms:
        for v, weight in ((t, 1.0), *((a, SYNONYM_WEIGHT) for a in alternatives.get(t.key, []))):
            parts.append(literal_query("hgrams", v.key, HEAD_LITERAL_BONUS * weight))
            for w in words(v.text):
                parts.append(Q.Term("path", w, boost=PATH_BONUS * weight))
    return Q.Or(parts) if parts else None


def filter_query(resolved: dict[str, list[str]]) -> Q.Query | None:
    """AND over filter fields, OR over the values of one field (values already resolved: canonical
    department names, doc ids, kinds, years, "1"/"0")."""
    parts: list[Q.Query] = []
    for field, values in resolved.items():
        terms = [Q.Term(field, v) for v in values]
        parts.append(terms[0] if len(terms) == 1 else Q.Or(terms) if terms else Q.NullQuery)
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else Q.And(parts)


def exclude_docs(doc_ids: list[str]) -> Q.Query | None:
    """A mask for documents to leave out (superseded versions)."""
    return Q.Or([Q.Term("doc", d) for d in doc_ids]) if doc_ids else None


def build_query(pq: ParsedQuery, *, any_group: bool = False) -> Q.Query:
    """AND over the groups (OR inside each), minus excluded terms, plus ranking bonuses."""
    if not pq.groups:
        return Q.Every()
    alts = pq.alternatives
    groups = [Q.Or([term_query(t, alts.get(t.key, [])) for t in g]) if len(g) > 1
              else term_query(g[0], alts.get(g[0].key, [])) for g in pq.groups]
    must: Q.Query = groups[0] if len(groups) == 1 else (Q.Or(groups) if any_group else Q.And(groups))
    if pq.excluded:
        must = Q.AndNot(must, Q.Or([literal_query("grams", t.key) for t in pq.excluded]))
    bonus = _bonus_query(pq.positive_terms(), alts)
    return Q.AndMaybe(must, bonus) if bonus is not None else must


@dataclass(frozen=True)
class RawHit:
    id: str
    doc_id: str
    kind: str
    score: float


FACET_FIELDS = {"doc": "doc", "kind": "kind", "department": "dept", "year": "year", "has_indicator": "has_ind"}


def run(searcher: Any, q: Q.Query, *, limit: int, filter_q: Q.Query | None = None,
        mask: Q.Query | None = None) -> tuple[int, list[RawHit]]:
    """Execute `q`; return (total matches, top hits)."""
    results = searcher.search(q, limit=limit, filter=filter_q, mask=mask)
    hits = [RawHit(id=h["id"], doc_id=h["doc"], kind=h["kind"], score=float(h.score or 0.0)) for h in results]
    return len(results), hits


def facet_counts(searcher: Any, q: Q.Query, *, filter_q: Q.Query | None = None,
                 mask: Q.Query | None = None) -> dict[str, dict[str, int]]:
    """Counts per value of each facet field over ALL matches of `q`."""
    from whoosh import sorting

    facets = {name: sorting.FieldFacet(field, allow_overlap=field in ("dept", "year"), maptype=sorting.Count)
              for name, field in FACET_FIELDS.items()}
    results = searcher.search(q, limit=1, filter=filter_q, mask=mask, groupedby=facets, scored=False)
    out: dict[str, dict[str, int]] = {}
    for name in FACET_FIELDS:
        groups = results.groups(name)
        out[name] = {str(k): int(v) for k, v in sorted(groups.items(), key=lambda kv: (-kv[1], str(kv[0]))) if k not in (None, "")}
    return out


def rerank(hits: list[RawHit], headings: dict[str, str], terms: list[Term],
           alternatives: dict[str, list[Term]] | None = None, texts: dict[str, str] | None = None) -> list[RawHit]:
    """Lift clauses whose own heading contains a query term literally (whoosh's phrase scores are flat).

    The bonus is relative to the best score of this query, so it means the same for any query.
    """
    if not hits:
        return hits
    top = max(h.score for h in hits)
    alts = alternatives or {}
    keys = [[t.key, *(a.key for a in alts.get(t.key, []))] for t in terms]
    out = []
    for h in hits:
        head = compact(fold(headings.get(h.id, "")))
        n = sum(1 for variants in keys if any(k and k in head for k in variants))
        bonus = HEADING_RERANK * n / max(1, len(keys))
        if texts is not None:  # the words as typed outrank their synonyms (Ctrl+F first, then the rest)
            body = compact(fold(texts.get(h.id, "")))
            bonus += TYPED_RERANK * sum(1 for t in terms if t.key in body) / max(1, len(terms))
        out.append(RawHit(h.id, h.doc_id, h.kind, h.score + top * bonus))
    return sorted(out, key=lambda h: -h.score)


def all_ids(searcher: Any, q: Q.Query) -> set[str]:
    """Every matching clause id, unscored (for checks and counts, not for display)."""
    return {searcher.stored_fields(n)["id"] for n in q.docs(searcher)}


def weighting() -> BM25F:
    return BM25F(B=0.75, K1=1.2)
