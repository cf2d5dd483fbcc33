"""Best-match search over one index generation, as the `Library` facade runs it: the query's
candidates and their scores, the notices that say why (split words, partial matches), the query's
intent, 您是不是要找 suggestions and the boilerplate prior of the re-rank.

`bestmatch.py` holds the pure mechanism (units, coverage, intent words); `searcher.py` reads the
index for it. This module wires them to the lexicon and to values cached once per generation.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence, Set
from dataclasses import replace
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np
import numpy.typing as npt

from app.core.normalize import compact, fold
from app.core.search import abbrev, asking, bestmatch, priors, scoring, searcher, synonyms, vectors
from app.core.search.query import ParsedQuery
from app.core.search.searcher import Generation

BOILERPLATE_PENALTY = 0.6  # share of the top score a purpose/scope/commencement article loses
DEFINES_TERM_BONUS = 0.6  # ... and a definition query adds to the clause defining the asked term itself
LIABILITY_PENALTY = 0.2  # share of the top score a 法律责任 article loses for a query asking no penalty
PROHIBITIONS = ("禁止", "不得", "严禁")  # what a clause answering 能…吗 / 违法吗 says (the permission intent)
INSIDE_WORD_SHARE = 0.5  # of a unit's weight, added to a clause holding it only inside longer words (`inside_words`)
TIME_LIMIT_BONUS = 0.35  # share of the top score a regulation article stating a time limit gains for a 几天/期限 question
PerGeneration = Callable[[Generation, str, Callable[[], Any]], Any]


class Run(NamedTuple):
    """What `BestMatch.run` found for a query."""

    plan: bestmatch.Plan
    docs: npt.NDArray[np.int64]  # the candidates, ascending docnums
    scores: scoring.Scored
    full: npt.NDArray[np.int64]  # those holding every unit
    notices: list[str]
    own: npt.NDArray[np.int64]  # those matching a unit in their own text (not only by a heading above), ascending


class BestMatch:
    """Best-match search with the library's lexicon and per-generation cache."""

    def __init__(self, resources: Path, per_generation: PerGeneration,
                 regions: Callable[[Generation], Mapping[str, npt.NDArray[np.int64]]] | None = None) -> None:
        self.resources = resources
        self.per_generation = per_generation
        # place -> docnums of the local documents governing another place than the plan's (浙江, 北京 …)
        self.regions = regions

    def candidates(self, g: Generation, pq: ParsedQuery, fq: Any,
                   hidden: set[int] | None) -> tuple[bestmatch.Plan, bestmatch.Coverage, npt.NDArray[np.int64]]:
        """The query's units and every clause best match lists for them (filters, hidden versions and
        exclusions applied), ascending docnums."""
        syn = synonyms.load(self.resources)

        def expand(text: str) -> list[tuple[str, float]]:
            return [*syn.expand_weighted(text), *((v, 1.0) for v in synonyms.numeral_variants(text))]

        def df(w: str) -> int:
            return int(g.searcher.doc_frequency("words", fold(w)))

        n = len(g.docids)
        bp = bestmatch.plan(pq, expand, lambda w: searcher.known(g, w, literal=len(w) >= 3), df,
                            lambda w: 0 < df(w) <= bestmatch.TELLING_SHARE * n, syn.is_entry)
        unscore_classes(bp, pq, syn.classes_inside)
        abbrev.extend(bp, g.literal.gap_fills, lambda w: searcher.known(g, w, literal=True), lambda w: df(w) > 0)
        cov = bestmatch.cover(bp.units, searcher.Matcher(g), len(g.docids))
        hidden_docs = self.per_generation(g, "hidden:array", lambda: np.array(sorted(hidden), dtype=np.int64)) \
            if hidden else None
        docs = searcher.restrict_array(g, cov.docs, fq, hidden_docs)
        for t in pq.excluded:
            docs = docs[~searcher.member(docs, searcher.literal_array(g, t.key))]
        return bp, cov, docs

    def run(self, g: Generation, pq: ParsedQuery, fq: Any, hidden: set[int] | None, pool: int) -> Run:
        """Candidates (ascending docnums), their scores and the clauses holding every unit (see
        app.core.search.bestmatch)."""
        bp, cov, docs = self.candidates(g, pq, fq, hidden)
        at = np.searchsorted(cov.docs, docs)  # both ascending: each candidate's place in the coverage arrays
        empty = np.zeros(0, dtype=np.int64)
        full = np.intersect1d(cov.full_array(), docs, assume_unique=True) if len(bp.units) > 1 else empty
        notices: list[str] = []
        if bp.trimmed:
            notices.append(f"查询较长，只按其中最有区分度的 {bestmatch.MAX_UNITS} 个词语排序。")
        if bp.inferred:  # a class is an inference, and said to be one
            said = "；".join(f"“{c}”（{thing}属于{c}）" for thing, c in bp.inferred)
            notices.append(f"按所属类别推断，也查找：{said}。")
        for word, readings in bp.abbreviated:  # an abbreviation's reading is an inference too
            notices.append(f"文库中没有“{word}”，按缩略语推断，也查找：“{'”“'.join(readings)}”。")
        if bp.headed:  # one line for all: a phrase may hold several such words
            lacking, heads = "”“".join(w for w, _ in bp.headed), "”“".join(h for _, h in bp.headed)
            notices.append(f"文库中没有“{lacking}”，也按末字“{heads}”在词语中查找。")
        for word, parts in bp.split:
            notices.append(f"文库中没有“{word}”一词，按“{'”“'.join(parts)}”查找。")
        if cov.missing and len(docs):
            notices.append(f"文库中没有“{'”“'.join(cov.missing)}”，按句中其余的词查找。")
        in_parts = int(np.count_nonzero(cov.parts[at])) if len(cov.parts) else 0
        if bp.parts and in_parts and in_parts < len(docs):
            said = "；".join(f"不含“{w}”，只含其中的“{'”“'.join(p)}”" for w, p in bp.parts)
            notices.append(f"另有 {in_parts} 条{said}，排在完整匹配之后。")
        if len(docs) and len(bp.units) > 1:  # the same test as the ranking's: every unit, as typed or as a synonym
            if not len(full):
                notices.append("没有同时包含全部词语的条款，以下结果只包含部分词语。")
            elif len(docs) > len(full):
                notices.append(f"另有 {len(docs) - len(full)} 条只包含部分词语，排在包含全部词语的条款之后。")
        # A plan states no penalties and defines next to nothing: a question asking for them gets no plan prior.
        primary = None if asks_the_law(bp) else self.per_generation(
            g, "primary", lambda: _array(searcher.field_docs(g, "kind", sorted(searcher.PRIMARY_KINDS))))
        partial = bestmatch.partial_docs(bp.units, cov)
        scores = scoring.score_best(g, pq, bp.units, (docs, cov.values[at]), pool, self.intent_docs(g, bp), primary,
                                    docs[searcher.member(docs, _array(partial))] if partial else None,
                                    self.elsewhere(g, pq), inside_words(g, bp.units, cov, docs))
        return Run(bp, docs, scores, full, notices, docs[cov.own[at]] if len(cov.own) else docs[:0])

    def suggestions(self, g: Generation, query: str, pq: ParsedQuery) -> list[str]:
        """"您是不是要找": for a typed Chinese term that occurs nowhere in the library, the query with
        that term replaced by a library word of the same pinyin (offered, never applied). Asked only
        when no clause holds every unit of the query: a query that found what it asked needs none."""
        from app.core.search.suggest import is_cjk

        out: list[str] = []
        folded = fold(query)
        # Only the content of a term is corrected: 什么时候 in 美丽上海什么时候建成 is a question, not a typo.
        chunks = [c for t in pq.positive_terms() if not t.phrase for c in asking.detect_intent(t.text)[1].split()]
        present = {t.key for t in pq.positive_terms() if len(g.literal.rows(t.key))}  # typed terms: looked up already
        chunks = [c for c in chunks if not any(compact(c) in k for k in present)]
        for chunk in dict.fromkeys(chunks):
            key = compact(chunk)
            if len(key) < 2 or not is_cjk(key) or len(g.literal.rows(key)):
                continue
            sugg: Any = self.per_generation(g, "suggester", lambda: suggester(g))
            alts = sugg.suggest(key, limit=8)
            alts.sort(key=lambda w: -(g.searcher.doc_frequency("words", w) + g.searcher.doc_frequency("head", w)))
            for alt in alts[:3]:
                fixed = folded.replace(chunk, alt) if chunk in folded else alt
                if fixed not in out:
                    out.append(fixed)
        return out[:3]

    def elsewhere(self, g: Generation, pq: ParsedQuery) -> npt.NDArray[np.int64] | None:
        """The clauses of local documents governing another place than the plan's, except a place the query
        names (浙江 垃圾分类 keeps 浙江's rules up): they sink a little (scoring.ELSEWHERE_PENALTY)."""
        if self.regions is None:
            return None
        places = self.regions(g)
        text = " ".join(t.text for t in pq.positive_terms())
        named = sorted(place for place in places if place in text)

        def kept() -> npt.NDArray[np.int64] | None:
            arrays = [a for place, a in places.items() if place not in named]
            return np.concatenate(arrays) if arrays else None

        out: npt.NDArray[np.int64] | None = self.per_generation(g, "elsewhere-docs:" + ",".join(named), kept)
        return out

    def intent_docs(self, g: Generation, bp: bestmatch.Plan) -> npt.NDArray[np.int64] | None:
        """Clauses holding the kind of answer the query asks for (indicators, departments, deadlines, a
        penalty, a prohibition), read off the index once per generation. A penalty is an article of a 法律责任 /
        罚则 chapter, or, in a short regulation without chapters, one that says 罚款 or 处罚 (上海市古树名木…条例
        第二十五条 违反本条例规定…予以处罚)."""
        field = {"indicator": "has_ind", "department": "dept", "deadline": "year"}.get(bp.intent)
        values: tuple[str, ...] | None = ("1",) if field == "has_ind" else None
        if bp.intent == "permission":  # 能砍吗: the clauses that forbid (禁止, 不得, 严禁)
            found_rule: npt.NDArray[np.int64] = self.per_generation(g, "intent:permission", lambda: np.unique(
                np.concatenate([searcher.literal_array(g, w) for w in PROHIBITIONS])))
            return found_rule
        if field is None and bp.penalty:
            found_penalty: npt.NDArray[np.int64] = self.per_generation(g, "intent:penalty", lambda: _penalty_docs(g))
            return found_penalty
        if field is None:
            return None
        found: npt.NDArray[np.int64] = self.per_generation(g, f"intent:{field}",
                                                           lambda: _array(searcher.field_docs(g, field, values)))
        return found


def unscore_classes(bp: bestmatch.Plan, pq: ParsedQuery, classes: Callable[[str], Sequence[tuple[str, str]]]) -> None:
    """A class reached for a unit (危险废物 for 飞灰 of 焚烧飞灰; `classes(text)` gives (thing, class) for the things
    a text holds) finds the clauses that name only the class, but adds no BM25 to those naming the thing too:
    促进危险废物高水平利用处置 says 危险废物 four times and would outrank the clause 飞灰 is about. What was reached
    goes to `Plan.inferred`, for the notice that says it is an inference."""
    terms = [" ".join(t.text for t in g) for g in pq.groups]
    for u in bp.units:
        text = terms[u.term] if 0 <= u.term < len(terms) else u.label
        found = {compact(fold(c)): (thing, c) for thing, c in classes(text)}
        if not found:
            continue
        u.variants = [replace(v, scored=False) if v.key in found and not v.typed else v for v in u.variants]
        for v in u.variants:
            if v.key in found and not v.scored and found[v.key] not in bp.inferred:
                bp.inferred.append(found[v.key])


def inside_words(g: Generation, units: Sequence[bestmatch.Unit], cov: bestmatch.Coverage,
                 docs: npt.NDArray[np.int64]) -> npt.NDArray[np.float64]:
    """Per candidate, what the units it holds only inside longer words add to its score (养鸡 in 饲养鸡, 砍 in 砍伐,
    砍伐树 of 砍树): BM25 scores the index's words, which such a unit is not, so it added nothing and a clause
    saying 小区 twice outranked the one that forbids 饲养鸡 (K29: 12th). INSIDE_WORD_SHARE of the unit's weight
    times its credit; nothing where any variant of the unit is one of the clause's words or heading words."""
    out = np.zeros(len(docs), dtype=np.float64)
    if not len(docs):
        return out
    for u, weight, credit in zip(units, cov.idf, cov.credits, strict=True):
        held = np.zeros(len(credit), dtype=np.bool_)
        for v in u.variants:
            if v.toks:
                found = searcher.all_words(g, v.toks, ("words", "head", "anc"))
                held[found[found < len(held)]] = True
        c = np.zeros(len(docs), dtype=np.float64)
        inside = docs < len(credit)
        c[inside] = credit[docs[inside]]
        only = (c > 0) & ~held[np.minimum(docs, len(held) - 1)] & inside
        out[only] += INSIDE_WORD_SHARE * weight * c[only]
    return out


def _penalty_docs(g: Generation) -> npt.NDArray[np.int64]:
    """The articles of 法律责任 / 罚则 chapters, and those of a document without chapters that fine or punish."""
    in_chapter = _array(searcher.field_docs(g, "anc", ("法律责任", "罚则")))
    fines = np.union1d(searcher.literal_array(g, "罚款"), searcher.literal_array(g, "处罚"))
    no_heading = vectors.lengths(g, "anc", empty=0.0) == 0  # no heading above (the length column: no term walk)
    fines = fines[fines < len(no_heading)]
    return np.union1d(in_chapter, fines[no_heading[fines]])


def asks_the_law(bp: bestmatch.Plan) -> bool:
    """The query asks what only a regulation says (a penalty, a definition): the plan's clauses get no prior."""
    return bp.penalty or bp.intent == "definition"


def _array(docs: set[int]) -> npt.NDArray[np.int64]:
    return np.array(sorted(docs), dtype=np.int64)


def suggester(g: Generation) -> Any:
    """Same-pinyin suggester over the index's words and the domain dictionary (built on first need)."""
    from app.core.search import segment
    from app.core.search.suggest import PinyinSuggester

    r = g.searcher.reader()
    vocab: dict[str, int] = {}
    for fieldname in ("words", "head"):  # document frequencies are looked up for the few candidates only
        for term in r.lexicon(fieldname):
            vocab[term.decode("utf-8") if isinstance(term, bytes) else str(term)] = 1
    for w in segment.domain_terms():
        vocab.setdefault(w, 1)
    return PinyinSuggester(vocab.items())


def prior(flags: Mapping[str, int], bp: bestmatch.Plan, keys: Mapping[str, str] | None = None,
          liability: Set[str] = frozenset(), plans: Set[str] = frozenset()) -> Callable[[str], float]:
    """Per-clause share of the top score, from each clause's `priors.prior_flags`: boilerplate articles
    (purpose, scope, definitions, commencement, 附则) sink below substantive ones; a definition query lifts
    definitions, and most the one that defines the asked term itself (`priors.defines_term` over `keys`,
    each clause's compact folded text): 湿地保护法's 本法所称湿地，是指… before the 环境 of 环境保护法 that
    lists 湿地. An article of a 法律责任 chapter (`liability`) restates a duty of its law to fine its breach: it
    sinks a little below the duty itself unless the query asks for a penalty. A time-limit question lifts the
    articles stating one (`priors.states_time_limit`); not the clauses of a plan (`plans`), which the intent
    boost lifted already by their linked deadlines."""
    definition = bp.intent == "definition"
    sink = priors.BOILERPLATE_DEFINITION if definition else priors.BOILERPLATE_PLAIN
    asked = definition_terms(bp) if definition and keys else []
    deadline = bp.intent == "deadline"

    def prior(cid: str) -> float:
        f = flags.get(cid, 0)
        out = 0.0
        if f & sink:
            out -= BOILERPLATE_PENALTY
        if not bp.penalty and cid in liability:
            out -= LIABILITY_PENALTY
        if deadline and keys is not None and cid not in plans and priors.states_time_limit(keys.get(cid, "")):
            out += TIME_LIMIT_BONUS
        if definition and f & priors.DEFINES:
            out += BOILERPLATE_PENALTY
            if asked and keys is not None and priors.defines_term(keys.get(cid, ""), asked):
                out += DEFINES_TERM_BONUS
        return out

    return prior


def definition_terms(bp: bestmatch.Plan) -> list[str]:
    """The terms a definition query asks about: each content unit as typed and its synonyms (湿地; 生态补偿 and
    生态保护补偿), not the parts of a compound nor a one-character word cut off a term; first each term's own words
    without the asking ones (伴生放射性矿 of 什么是伴生放射性矿, which jieba cuts in three)."""
    out: list[str] = list(dict.fromkeys(bp.asked))
    for u in bp.units:
        if u.attached:
            continue
        out += [v.key for v in u.variants if not v.part and v.credit >= bestmatch.SYNONYM_CREDIT * 0.5
                and len(v.key) >= 2 and v.key not in out]
    return out
