"""app.core.search.scoring: coverage, BM25F, the literal bonus and the boosts combined over arrays of docnums,
and the best of them (over a real index of a few clauses)."""

from __future__ import annotations

import heapq
import math
import random
from collections.abc import Sequence

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.core.search import bestmatch, scoring, searcher, vectors
from app.core.search.query import parse_query
from app.core.search.searcher import Generation, RawHit
from tests.core.search.index_fixtures import docnums


def test_literal_scores_go_to_the_clauses_holding_a_term_verbatim(g: Generation) -> None:
    n = len(g.docids)
    acc, scored, listed = np.zeros(n), np.zeros(n, dtype=bool), np.zeros(n, dtype=bool)
    acc[g.docnum["law/1"]], scored[g.docnum["law/1"]] = 1.0, True
    listed[list(docnums(g, "law/1", "law/2", "plan/一"))] = True
    scoring._add_literal_scores(g, parse_query("噪声污染"), listed, acc, scored)
    bonus = scoring.LITERAL_SCORE * math.log(1 + 7 / 2)  # two of the allowed clauses hold it
    got = {d: acc[d] for d in np.flatnonzero(scored).tolist()}
    assert got == pytest.approx({g.docnum["law/1"]: 1.0 + bonus, g.docnum["law/2"]: bonus})


def test_top_lists_full_matches_first_then_by_score(g: Generation) -> None:
    n = g.docnum
    scores = {n["plan/一/1"]: 5.0, n["plan/一/2"]: 3.0, n["law/1"]: 4.0, n["law/2"]: 4.0}
    hits = scoring.top(g, scores, 3, full={n["plan/一/2"]})
    assert [(h.id, h.doc_id, h.kind, h.score, h.tier) for h in hits] == [
        ("plan/一/2", "plan", "规划", 3.0, 1), ("plan/一/1", "plan", "规划", 5.0, 0), ("law/1", "law", "法律", 4.0, 0)]
    # kinds given: taken from there instead of the stored fields
    assert scoring.top(g, {n["law/3"]: 1.0}, 5, kinds={"law": "条例"}) == [RawHit("law/3", "law", "条例", 1.0, docnum=n["law/3"])]
    assert scoring.top(g, {}, 5) == []


def test_bm25f_applies_the_schemas_field_boosts(g: Generation) -> None:
    docs = docnums(g, "law/二", "law/3")
    head = scoring.bm25f(g, [("head", "监督管理", 1.0)], docs)
    plain = vectors.bm25f(g, [("head", "监督管理", 1.0)], docs, {})
    assert set(head) == docnums(g, "law/二") and head[g.docnum["law/二"]] == pytest.approx(
        scoring.FIELD_BOOSTS["head"] * plain[g.docnum["law/二"]])
    assert scoring.bm25f(g, [("words", "噪声", 1.0)], set()) == {}


def _best(g: Generation, query: str, **kw: set[int]) -> dict[int, float]:
    pq = parse_query(query)
    bp = bestmatch.plan(pq, lambda w: [], lambda w: searcher.known(g, w, literal=True))
    cov = bestmatch.cover(bp.units, searcher.Matcher(g), len(g.docids))
    return scoring.as_dict(scoring.score_best(g, pq, bp.units, cov.coverage, pool=20, **kw))


def test_score_best_puts_the_clause_holding_every_term_first(g: Generation) -> None:
    scores = _best(g, "噪声污染 监督管理")
    assert set(scores) == docnums(g, "law/1", "law/2", "law/二", "law/3")
    assert max(scores, key=scores.__getitem__) == g.docnum["law/3"]
    assert scoring.as_dict(scoring.score_best(g, parse_query("噪声"), [], {}, pool=20)) == {}


@pytest.mark.parametrize("query", ["噪声污染 监督管理", "噪声"])
def test_intent_and_plan_boosts_add_their_share_of_the_top_score(g: Generation, query: str) -> None:
    base = _best(g, query)
    d = g.docnum["law/2"]
    intent = _best(g, query, boost_docs={d})
    primary = _best(g, query, primary={d})
    assert {k: v for k, v in intent.items() if k != d} == {k: v for k, v in base.items() if k != d}
    assert intent[d] > base[d] and primary[d] > base[d]
    # A plan's clause covering the query as fully as any also gets the tie boost.
    pq = parse_query(query)
    bp = bestmatch.plan(pq, lambda w: [], lambda w: searcher.known(g, w, literal=True))
    cov = bestmatch.cover(bp.units, searcher.Matcher(g), len(g.docids)).coverage
    share = scoring.PRIMARY_BOOST + (scoring.TIE_BOOST if cov[d] >= max(cov.values()) else 0.0)
    assert (intent[d] - base[d]) / (primary[d] - base[d]) == pytest.approx(scoring.INTENT_BOOST / share)


def test_the_tie_boost_goes_only_to_a_plan_clause_covering_the_query_as_fully_as_any(g: Generation) -> None:
    full, partial = g.docnum["law/3"], g.docnum["law/1"]  # law/3 holds both terms, law/1 one of them
    plain = _best(g, "噪声污染 监督管理")
    top = _best(g, "噪声污染 监督管理", primary={full})
    low = _best(g, "噪声污染 监督管理", primary={partial})
    gain_full, gain_low = top[full] - plain[full], low[partial] - plain[partial]
    assert gain_full / gain_low == pytest.approx((scoring.PRIMARY_BOOST + scoring.TIE_BOOST) / scoring.PRIMARY_BOOST)


def test_a_plan_clause_is_scored_by_bm25_even_beyond_the_cap(g: Generation, monkeypatch: pytest.MonkeyPatch) -> None:
    # On the full library thousands of articles cover a query better than a plan clause holding its concept through a
    # synonym: beyond the BM25_CAP best covered the clause went unscored and sank below every scored article.
    partial, full = g.docnum["law/1"], g.docnum["law/3"]  # law/1 holds one of the two terms, law/3 both
    asked: list[set[int]] = []
    real = scoring.bm25f

    def recording(g: Generation, terms: Sequence[tuple[str, str, float]], docs: scoring.Docs) -> dict[int, float]:
        asked.append({int(d) for d in docs})
        return real(g, terms, docs)

    monkeypatch.setattr(scoring, "bm25f", recording)
    monkeypatch.setattr(bestmatch, "BM25_CAP", 1)
    _best(g, "噪声污染 监督管理")
    assert asked[-1] == {full}
    _best(g, "噪声污染 监督管理", primary={partial})
    assert asked[-1] == {full, partial}


# The numpy selections against the one-clause-at-a-time definitions they replaced.
_scores = st.dictionaries(st.integers(0, 60), st.sampled_from([0.0, 0.5, 1.0, 1.5, 2.25, 7.0, 1e-7]), max_size=40)


@settings(max_examples=200, deadline=None)
@given(scores=_scores, full=st.sets(st.integers(0, 60)), limit=st.integers(0, 45))
def test_best_is_every_unit_first_then_score_then_index_order(scores: dict[int, float], full: set[int],
                                                              limit: int) -> None:
    expected = heapq.nsmallest(limit, scores.items(), key=lambda kv: (kv[0] not in full, -kv[1], kv[0]))
    assert scoring._best(scores, limit, full) == expected


def _shortlist_reference(g: Generation, coverage: dict[int, float], cap: int) -> set[int]:
    if len(coverage) <= cap:
        return set(coverage)
    levels: dict[float, list[int]] = {}
    for d, c in coverage.items():
        levels.setdefault(round(c, 6), []).append(d)
    out: set[int] = set()
    for level in sorted(levels, reverse=True):
        docs = levels[level]
        room = cap - len(out)
        if len(docs) <= room:
            out.update(docs)
            continue
        docs.sort()
        length = vectors.lengths(g, "words", empty=0.0)
        head = sorted(docs[: scoring.TIE_LENGTHS], key=lambda d: length[d])
        out.update((head + docs[scoring.TIE_LENGTHS :])[:room])
        break
    return out


def test_shortlist_keeps_the_best_covered_and_the_shorter_of_equals(g: Generation) -> None:
    n = len(g.docids)
    rng = random.Random(7)
    for _ in range(300):
        coverage = {d: rng.choice([0.2, 0.25, 1 / 3, 0.5, 0.5000000001, 1.0]) for d in rng.sample(range(n), rng.randint(0, n))}
        cap = rng.randint(1, n)
        docs, cov = scoring.arrays(coverage)
        shortlist = scoring._shortlist(g, docs, cov, cap).tolist()
        assert len(shortlist) == len(set(shortlist)) and set(shortlist) == _shortlist_reference(g, coverage, cap)


def test_equal_scores_come_in_the_librarys_order_not_by_docnum(g: Generation) -> None:
    """Docnums depend on how a build's writer processes shared the clauses out; the library's order (the
    literal index's rows) does not, so two builds of one library rank ties alike."""
    from dataclasses import replace

    assert g.rowmap is not None
    reversed_rows = replace(g, literal=g.literal, rowmap=g.rowmap[::-1].copy())  # as if fed the other way round
    order = searcher.library_order(reversed_rows)
    n = g.docnum
    ties = {n["law/1"]: 2.0, n["law/2"]: 2.0, n["law/3"]: 2.0, n["plan/一/1"]: 1.0}
    by_docnum = [h.id for h in scoring.top(g, ties, 4)]
    assert by_docnum[:3] == sorted(by_docnum[:3], key=lambda cid: n[cid])
    flipped = [h.id for h in scoring.top(reversed_rows, ties, 4)]
    assert flipped[:3] == sorted(by_docnum[:3], key=lambda cid: int(order[n[cid]]))
    assert flipped[:3] == by_docnum[:3][::-1] and flipped[3] == "plan/一/1"
