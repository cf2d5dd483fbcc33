"""Best-match retrieval: every clause that holds any concept of the query is a candidate, ranked by
how much of the query it covers (concepts weighted by idf), then by BM25 within equal coverage.

This is Lucene's `minimum_should_match` with coordination, on our own terms:

* A query is turned into **units** (`plan`): the content words of each typed term (question words
  such as 怎么 and intent words such as 多少/什么时候 are taken out and become the query's *intent*),
  a word the library never contains split into the library words it is made of (臭氧污染 → 臭氧 + 污染),
  an `A OR B` group one unit, a quoted phrase one *required* unit (literal only).
* A unit matches a clause through one of its **variants**: the word itself (its jieba words, or its
  exact text: the literal guarantee), a synonym of the word or of the whole term (lower credit), or
  only through the headings above the clause (`anc` field: the clause inherits its section's and
  chapter's words at reduced credit, so the tasks of 三、（一）积极稳妥推进碳达峰碳中和 match 碳达峰).
* **Coverage** of a clause = Σ idf(unit) x best credit / Σ idf(unit): the telling word counts more
  than 目标 or 建设. Candidates below MIN_COVERAGE are dropped (with two or more units), the rest are
  listed: clauses holding every unit stay above those holding some.

Pure functions over a `Generation` (whoosh searcher + literal index); no Qt, no store.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property

import numpy as np
import numpy.typing as npt

from app.core.normalize import compact, fold
from app.core.search.analysis import words
from app.core.search.asking import (
    COUNTS_AS,
    FUNCTION_CHARS,
    STOP_WORDS,
    asks_duration,
    asks_penalty,
    asks_permission,
    detect_intent,
    spoken_char,
    spoken_place,
)
from app.core.search.cuts import join_entries, recut, split_known
from app.core.search.query import ParsedQuery, Term

SYNONYM_CREDIT = 0.6  # a synonym covers this much of the unit as typed
PIECE_CREDIT = 0.7  # a synonym of a piece of a compound word (火电厂 → 火电 → 煤电) counts this much of a synonym
ANCESTOR_CREDIT = 0.5  # the unit occurs only in a heading above the clause
SUBWORD_CREDIT = 1.0  # a split compound's pieces are ordinary units
PARTS_CREDIT = 0.6  # a compound the library knows, found only as its library words apart (海上 … 风电)
PART_CREDIT = 0.3  # ... or through one of those words alone (风电 for 海上风电): listed after the whole
PART_MIN_LEN = 4  # compounds this long or longer are matched in parts
TELLING_SHARE = 0.01  # a part stands alone for its compound when at most this share of clauses hold it
MIN_COVERAGE = 0.25  # with 2+ units, a clause must cover this share of the best-covered clause
MIN_ABSOLUTE = 0.2  # ... and never less than this share: 元宇宙 量子计算 finds nothing, not every clause with 计算
COVERAGE_WEIGHT = 1.2  # coverage counts this many top BM25 scores: it dominates, BM25 orders within
BM25_TOPK = 1000  # one-unit queries: the best this many get BM25 scores, the rest keep their coverage order
MAX_UNITS = 8  # a pasted paragraph keeps its most telling words
SENTENCE_WORDS = 3  # a typed term of this many words or more is a phrase, not a compound (see `Unit.sentence`)
LOCATIVE_CREDIT = 0.8  # 河里, 村里, 海边: the place named by the noun of a noun + locative word (asking.spoken_place)
BM25_CAP = 600  # clauses BM25 scores when the query has several units (the best covered; shorter first on ties)

@dataclass(frozen=True)
class Variant:
    key: str  # compact folded text (literal)
    toks: tuple[str, ...]  # its jieba words (all must occur); () = literal only
    credit: float
    literal: bool = True
    typed: bool = False  # the term as typed: always scanned literally (the exact-text guarantee)
    part: bool = False  # a library word inside a compound: in BM25 only for clauses lacking the whole word
    scored: bool = True  # False: it covers clauses but adds no BM25 (a class: 危险废物 for 飞灰, see `pipeline.unscore_classes`)


@dataclass
class Unit:
    label: str
    variants: list[Variant]
    required: bool = False  # quoted phrase: strict
    term: int = -1  # which typed term (group) it comes from
    # A one-character word jieba cut off a longer term (元宇宙 → 元 + 宇宙, 环保税 → 环保 + 税): it counts only in
    # clauses that also match another part of the same term, or 元宇宙 would list every 罚款…300元.
    attached: bool = False
    # The term is a phrase of three or more words (a question as an official types it): a word of it the
    # library never uses is the asker's own vocabulary, and a cut-off character is a modifier (see `cover`).
    sentence: bool = False


@dataclass
class Plan:
    units: list[Unit] = field(default_factory=list)
    intent: str = ""
    penalty: bool = False
    split: list[tuple[str, list[str]]] = field(default_factory=list)  # compound -> the library words used
    parts: list[tuple[str, list[str]]] = field(default_factory=list)  # known compound -> its parts (also matched)
    dropped: list[str] = field(default_factory=list)  # intent / question words taken out
    # A term's own words once the asking words are out (什么是伴生放射性矿 → 伴生放射性矿): what a definition asks.
    asked: list[str] = field(default_factory=list)
    inferred: list[tuple[str, str]] = field(default_factory=list)  # (thing, class) searched (`unscore_classes`)
    abbreviated: list[tuple[str, list[str]]] = field(default_factory=list)  # 砍树 -> [砍伐树] (`abbrev.extend`)
    headed: list[tuple[str, str]] = field(default_factory=list)  # 母鸡 -> 鸡: also found by its head (`abbrev.extend`)
    trimmed: int = 0  # units left out of a long query (the most common words)


def _word_variant(w: str, credit: float, typed: bool = False) -> Variant:
    key = compact(fold(w))
    toks = tuple(words(w))
    if not typed and len(toks) > 1 and all(len(t) == 1 for t in toks):
        # jieba knows no word in it (中水 → 中 + 水): its characters apart are no match, only its text is
        toks = ()
    return Variant(key=key, toks=toks, credit=credit, typed=typed,
                   literal=typed or len(key) >= 2 or (not key.isascii() and len(toks) == 0))


Expand = Callable[[str], list[tuple[str, float]]]  # alternatives of a word with their lexicon weight (0..1]


def plan(pq: ParsedQuery, expand: Expand, known: Callable[[str], bool],
         df: Callable[[str], int] | None = None, telling: Callable[[str], bool] | None = None,
         is_entry: Callable[[str], bool] | None = None) -> Plan:
    """The units of a parsed query. `expand` gives synonyms of a word or term; `known(word)` tells
    whether the library holds the word (as a word or literally); `df(word)` how many clauses hold it
    as a word (used to keep the MAX_UNITS most telling units of a long pasted text); `telling(word)`
    whether a word is rare enough to stand for a compound it is part of (风电 for 海上风电)."""
    out = Plan()
    word_known = (lambda w: df(w) > 0) if df is not None else known
    _units(pq, expand, known, out, word_known, telling or (lambda w: False), df, is_entry)
    if out.penalty and out.intent == "indicator":  # 罚多少: the amount asked is the fine's, not a plan's target
        out.intent = ""
    if out.penalty and out.intent == "deadline" and any(asks_duration(w) for w in out.dropped):
        out.intent = ""  # 拘留几天: the length asked is the penalty's, not a time limit to keep
    if not out.intent and not out.penalty and any(asks_permission(t.text) for g in pq.groups for t in g):
        out.intent = "permission"  # 能砍吗, 违法吗: whether an act is allowed; the rule forbidding it answers
    if out.intent in ("", "indicator") and out.dropped and not out.penalty and any(u.label == COUNTS_AS for u in out.units):
        out.intent, out.units = "definition", [u for u in out.units if u.label != COUNTS_AS]  # 多少吨 | 算重大事故
    free = [u for u in out.units if not u.required]
    if len(free) > MAX_UNITS:
        rank = df or (lambda w: 0)
        keep = {id(u) for u in sorted(free, key=lambda u: (rank(u.label) or 10**9, -len(u.label)))[:MAX_UNITS]}
        out.trimmed = len(free) - MAX_UNITS
        out.units = [u for u in out.units if u.required or id(u) in keep]
    return out


def _units(pq: ParsedQuery, expand: Expand, known: Callable[[str], bool], out: Plan,
           word_known: Callable[[str], bool], telling: Callable[[str], bool],
           df: Callable[[str], int] | None = None, is_entry: Callable[[str], bool] | None = None) -> None:
    # A term that only asks (是指 beside 碳排放配额, 谁管 beside 电梯噪声) is intent when another term names the topic.
    asks_only = [len(g) == 1 and not g[0].phrase and not [
        w for w in words(detect_intent(g[0].text, alone=False)[1]) if w not in STOP_WORDS] for g in pq.groups]
    alone = all(asks_only)
    for gi, group in enumerate(pq.groups):
        if len(group) > 1:  # A OR B: one unit, any of the sides (and their synonyms)
            vs: list[Variant] = []
            for t in group:
                vs.append(Variant(t.key, () if t.phrase else tuple(words(t.text)), 1.0, typed=True))
                if not t.phrase:
                    vs += [_word_variant(a.text, SYNONYM_CREDIT) for a in pq.alternatives.get(t.key, [])]
                    vs += _parts_of(t.text, word_known, telling, out)
            out.units.append(Unit(" 或 ".join(t.text for t in group), vs, term=gi))
            continue
        if len(out.units) >= 4 * MAX_UNITS:
            break
        t = group[0]
        if t.phrase:
            out.units.append(Unit(t.text, [Variant(t.key, (), 1.0, typed=True)], required=True, term=gi))
            continue
        _term_units(t, pq.alternatives.get(t.key, []), expand, known, out, gi, word_known, telling, alone, df, is_entry)


def _term_units(t: Term, alts: Sequence[Term], expand: Expand, known: Callable[[str], bool],
                out: Plan, term: int = -1, word_known: Callable[[str], bool] | None = None,
                telling: Callable[[str], bool] | None = None, alone: bool = True,
                df: Callable[[str], int] | None = None, is_entry: Callable[[str], bool] | None = None) -> None:
    intent, rest, dropped = detect_intent(t.text, alone)
    out.intent = out.intent or intent
    out.dropped += dropped
    if dropped and len(key := compact(fold(rest))) >= 2:
        out.asked.append(key)
    if asks_penalty(t.text):
        out.penalty = True
    content = [w for w in words(rest) if w not in STOP_WORDS]
    if dropped:  # what a question leaves of itself is grammar: 由 of 由谁负责, 向 of 向哪个部门报告
        content = [w for w in content if w not in FUNCTION_CHARS]
    if not content and not alone:  # it only asks: the query's other terms are the topic
        return
    if not content:  # nothing but stop words: search the term as typed
        content = words(t.text) or [t.key]
    if df is not None:
        content = recut(content, df, fold(rest))  # spaces kept: no move across a word taken out
    if is_entry is not None:  # 旧 + 家电 of 回收拆解旧家电: the lexicon's 旧家电
        content = join_entries(content, is_entry, fold(rest))
    pieces: list[str] = []
    entry_of: dict[str, list[tuple[str, float]]] = {}  # a piece of a split lexicon entry -> the entry's alternatives
    for w in list(dict.fromkeys(content))[:4 * MAX_UNITS]:
        if len(w) >= 3 and not known(w):
            parts = split_known(w, known)
            if parts:
                out.split.append((w, parts))
                pieces += parts
                if is_entry is not None and is_entry(w):  # 移送司法 → 移送 + 司法, each also matched by 行刑衔接
                    entry_of.update({p: expand(w) for p in parts})
                continue
        pieces.append(w)
    weight = {compact(fold(a)): wt for a, wt in expand(t.text)}
    whole = [Variant(t.key, tuple(words(t.text)), 1.0, typed=True)] + [
        _word_variant(a.text, SYNONYM_CREDIT * weight.get(a.key, 1.0)) for a in alts]
    for w in dict.fromkeys(pieces):
        vs = [_word_variant(w, 1.0, typed=w == t.key)]
        if len(pieces) > 1 or w != t.key:
            vs += [_word_variant(a, SYNONYM_CREDIT * wt) for a, wt in [*expand(w), *entry_of.get(w, [])]
                   if compact(fold(a)) != compact(fold(w))]
        if len(pieces) > 1 or w != t.key:  # the whole term (or a synonym of it) covers every unit of it
            vs += whole
        else:
            vs += whole[1:]
        vs += _piece_variants(w, expand, word_known or known)
        # 村里 (a spoken place word the library lacks) is also found as its noun inside words: 农村. The noun's
        # own rarity weighs it: 海 of 海边, in every 上海, counts for next to nothing.
        if place := spoken_place(w, word_known or known):
            vs.append(Variant(key=place, toks=(), credit=LOCATIVE_CREDIT))
        # 砍 of 砍了百年老树 is also found inside words (砍伐), as the text holds it: its weight is then the
        # character's own rarity (修 of 维修, 修复, 修改 counts for less than 砍). Not a character cut off a
        # compound the user typed (碳 of 碳交易): only a term's one word, or a word of a phrase.
        if (len(pieces) == 1 or len(dict.fromkeys(pieces)) >= SENTENCE_WORDS) and spoken_char(w):
            vs.append(Variant(key=w, toks=(), credit=1.0))
        vs += _parts_of(w, word_known or known, telling or (lambda w: False), out)
        attached = len(w) == 1 and len(pieces) > 1 and any(len(p) > 1 for p in pieces)
        out.units.append(Unit(w, _dedupe(vs), term=term, attached=attached,
                              sentence=len(dict.fromkeys(pieces)) >= SENTENCE_WORDS))


def _piece_variants(w: str, expand: Expand, known: Callable[[str], bool]) -> list[Variant]:
    """A compound word the library knows is also matched, at lower credit, through the synonyms of the
    library words it is made of: 火电厂 (no synonym reaches the plan) → 火电 → 煤电."""
    if len(w) < 3:
        return []
    out: list[Variant] = []
    for p in split_known(w, lambda x: x != w and known(x)):
        out += [_word_variant(a, SYNONYM_CREDIT * wt * PIECE_CREDIT) for a, wt in expand(p)
                if compact(fold(a)) != compact(fold(p))]
    return out


def _parts_of(w: str, known: Callable[[str], bool], telling: Callable[[str], bool], out: Plan) -> list[Variant]:
    """`_part_variants`, with the parts noted on the plan (for the notice that says why)."""
    vs = _part_variants(w, known, telling)
    if vs:
        out.parts.append((w, split_known(w, lambda x: x != w and known(x))))
    return vs


def _part_variants(w: str, known: Callable[[str], bool], telling: Callable[[str], bool]) -> list[Variant]:
    """Best match inside a compound the library knows: 海上风电 also matches a clause holding 海上 and
    风电 apart, and (lower) one holding a telling part alone (风电, not 生态保护 of 生态保护红线), after
    every clause holding the whole word."""
    if len(w) < PART_MIN_LEN:
        return []
    parts = [p for p in split_known(w, lambda x: x != w and known(x)) if len(p) >= 2]
    if not parts:
        return []
    out = []
    if len(parts) >= 2:
        toks = tuple(t for p in parts for t in words(p))
        out.append(Variant(key=compact(fold(w)), toks=toks, credit=PARTS_CREDIT, literal=False, part=True))
    # A telling part alone is also looked up verbatim, as jieba's search mode would index it: 联运 of 海铁联运
    # inside 多式联运, which postings of the word 联运 do not hold.
    return out + [replace(_word_variant(p, PART_CREDIT), part=True) for p in parts if telling(p)]


def _dedupe(vs: list[Variant]) -> list[Variant]:
    best: dict[tuple[str, tuple[str, ...]], Variant] = {}
    for v in vs:
        k = (v.key, v.toks)
        if k not in best or best[k].credit < v.credit:
            best[k] = v
    return list(best.values())


# -- matching ----------------------------------------------------------------------------------------
Docs = Callable[[Variant, str], "set[int] | npt.NDArray[np.int64]"]  # (variant, "body" | "anc") -> docnums


@dataclass
class Coverage:
    docs: npt.NDArray[np.int64]  # the candidates, ascending docnums
    values: npt.NDArray[np.float64]  # their coverage
    idf: list[float]
    credits: list[npt.NDArray[np.float64]]  # per unit, dense over docnums: the best credit of each clause (0: none)
    parts: npt.NDArray[np.bool_] = field(default_factory=lambda: np.zeros(0, dtype=np.bool_))  # per candidate:
    # its best match of a unit is a compound's parts
    own: npt.NDArray[np.bool_] = field(default_factory=lambda: np.zeros(0, dtype=np.bool_))  # per candidate: it
    # matches some unit in its own text or heading, not only through the headings above it
    missing: list[str] = field(default_factory=list)  # words of a phrase no clause holds, left out of coverage

    @cached_property
    def coverage(self) -> dict[int, float]:
        """{docnum: coverage} of every candidate."""
        return dict(zip(self.docs.tolist(), self.values.tolist(), strict=True))

    @property
    def in_parts(self) -> set[int]:
        """Candidates whose best match of a unit is a compound's parts."""
        return set(self.docs[self.parts].tolist()) if len(self.parts) else set()

    @property
    def per_unit(self) -> list[dict[int, float]]:
        """Per unit, {docnum: credit} of every clause the unit matches."""
        return [dict(zip(np.flatnonzero(cr).tolist(), cr[cr > 0].tolist(), strict=True)) for cr in self.credits]

    def full(self) -> set[int]:
        """Clauses that hold every unit (as typed, as a synonym or through a heading above them)."""
        return set(self.full_array().tolist())

    def full_array(self) -> npt.NDArray[np.int64]:
        """`full` as an array of ascending docnums."""
        if not self.credits or not len(self.docs):
            return np.zeros(0, dtype=np.int64)
        every = np.logical_and.reduce([cr[self.docs] > 0 for cr in self.credits])
        return self.docs[every]


def _array(docs: set[int] | npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
    if isinstance(docs, np.ndarray):
        return docs.astype(np.int64, copy=False)
    return np.fromiter(docs, dtype=np.int64, count=len(docs))


def cover(units: Sequence[Unit], docs_of: Docs, n_docs: int) -> Coverage:
    """Coverage of every clause that matches at least one unit (required units must match).

    Dense numpy arrays over the docnums (a common word's tens of thousands of clauses were sets and dicts
    built a clause at a time); the arithmetic is the same, operation for operation, as one clause at a time."""
    found_docs: list[tuple[list[tuple[float, int, npt.NDArray[np.int64], bool]], npt.NDArray[np.int64]]] = []
    in_text: list[npt.NDArray[np.int64]] = []  # every clause a variant matches in its own text or heading
    size = n_docs
    for u in units:
        layers: list[tuple[float, int, npt.NDArray[np.int64], bool]] = []
        body_df: list[npt.NDArray[np.int64]] = []
        for v in sorted(u.variants, key=lambda v: -v.credit):  # the words as typed first (literal budget)
            body = _array(docs_of(v, "body"))
            if v.credit >= 1.0:
                body_df.append(body)
            layers.append((v.credit, len(layers), body, v.part))
            in_text.append(body)
            if not u.required:
                # Its own body layer ranks above it (credit x ANCESTOR_CREDIT < credit): the clauses it holds
                # are taken by then, so the ancestor layer adds only those the variant reaches by heading.
                layers.append((v.credit * ANCESTOR_CREDIT, len(layers), _array(docs_of(v, "anc")), v.part))
        size = max(size, *(int(a.max()) + 1 for _, _, a, _ in layers if len(a)), 1)
        found_docs.append((layers, np.concatenate(body_df) if body_df else np.zeros(0, dtype=np.int64)))
    credits: list[npt.NDArray[np.float64]] = []
    idf: list[float] = []
    parts = np.zeros(size, dtype=np.bool_)
    for layers, body_all in found_docs:
        # Each clause takes the highest credit any variant gives it (the first such on ties): layers best first,
        # each crediting the clauses no earlier layer holds.
        credit = np.zeros(size, dtype=np.float64)
        for c, _, docs, is_part in sorted(layers, key=lambda layer: (-layer[0], layer[1])):
            if c <= 0.0 or not len(docs):
                continue
            new = docs[credit[docs] == 0.0]
            credit[new] = c
            if is_part:
                parts[new] = True
        credits.append(credit)
        held = np.zeros(size, dtype=np.bool_)
        held[body_all] = True
        df = int(held.sum()) or int(np.count_nonzero(credit))
        idf.append(math.log(1 + n_docs / max(1, df)))
    for i, u in enumerate(units):
        if u.attached:
            others = np.zeros(size, dtype=np.bool_)
            for j, o in enumerate(units):
                if j != i and o.term == u.term:
                    others |= credits[j] > 0
            credits[i] = np.where(others, credits[i], 0.0)
    # A one-character word cut off a term that matches nowhere next to the rest of it, the rest being found
    # (老 of 老建筑), is a modifier the library does not use: it does not lower every clause's coverage. When
    # the rest is not found either (元 of 元宇宙), the term is unknown and keeps its full weight.
    has = [bool(np.any(cr > 0)) for cr in credits]
    found = {u.term for u, h in zip(units, has, strict=True) if h and not u.attached}
    idf, missing = _sentence_weights(units, idf, has)
    total = sum(w for u, w, h in zip(units, idf, has, strict=True)
                if h or not u.attached or u.term not in found) or 1.0
    coverage = np.zeros(size, dtype=np.float64)
    matched = np.zeros(size, dtype=np.bool_)
    for w, credit in zip(idf, credits, strict=True):
        coverage = coverage + w * credit / total  # 0.0 + x is x: a unit a clause lacks adds nothing
        matched |= credit > 0
    for u, credit in zip(units, credits, strict=True):
        if u.required:
            matched &= credit > 0
    if len(units) > 1 and matched.any():
        floor = max(MIN_ABSOLUTE, MIN_COVERAGE * float(coverage[matched].max()))
        matched &= (coverage >= floor - 1e-9) | _whole_terms(units, credits)
    docs = np.flatnonzero(matched)
    own = np.zeros(size, dtype=np.bool_)
    for body in in_text:
        own[body] = True
    return Coverage(docs, coverage[docs], idf, credits, parts[docs], own[docs], missing)


def _sentence_weights(units: Sequence[Unit], idf: Sequence[float], has: Sequence[bool]) -> tuple[list[float], list[str]]:
    """The weights of a phrase's words (`Unit.sentence`: 小诊所的医疗废物怎么收), and the words left out.

    * A word no clause of the library holds, in any form, is the asker's own (诊所): it weighs nothing, so
      the clauses holding the rest of the phrase are listed (with a notice naming it). A short term keeps its
      unknown words: each word of 量子计算 is the concept, and `元宇宙 量子计算` finds nothing.
    * A character jieba cut off the phrase (小, 收 of 怎么收, 各 of 各部门) is a modifier or a verb. The word
      index rarely holds it alone, so its idf there says nothing of how telling it is: it weighs no more
      than the least telling word of the phrase the library holds.
    Both only when another word of the phrase is found."""
    out, missing = list(idf), []
    for i, u in enumerate(units):
        if not u.sentence or u.required:
            continue
        rest = [idf[j] for j, o in enumerate(units) if j != i and o.term == u.term and has[j] and not o.attached]
        if not rest:
            continue
        if u.attached:
            out[i] = min(out[i], min(rest))
        elif not has[i]:
            out[i] = 0.0
            missing.append(u.label)
    return out, missing


def _whole_terms(units: Sequence[Unit], credits: Sequence[npt.NDArray[np.float64]]) -> npt.NDArray[np.bool_]:
    """Clauses holding every unit of at least one typed term: a typed term is a concept of its own,
    so they are candidates whatever share of the whole query they cover (海铁联运 in 海铁联运 XYZ)."""
    by_term: dict[int, list[npt.NDArray[np.float64]]] = {}
    for u, credit in zip(units, credits, strict=True):
        by_term.setdefault(u.term, []).append(credit)
    out = np.zeros(len(credits[0]) if credits else 0, dtype=np.bool_)
    if len(by_term) < 2:
        return out
    for term_credits in by_term.values():
        out |= np.logical_and.reduce([c > 0 for c in term_credits])
    return out


def score_terms(units: Sequence[Unit], typed: Sequence[str], path_bonus: float,
                *, parts: bool = False) -> list[tuple[str, str, float]]:
    """(field, word, boost) scored by BM25F: the words of every variant (weighted by credit), the
    inherited headings at reduced weight and the breadcrumb for the words as typed. With `parts`, only
    the words of compound parts (`_part_variants`): they order the clauses lacking the whole word."""
    best: dict[tuple[str, str], float] = {}
    for u in units:
        for v in u.variants:
            if v.part != parts or not v.scored:
                continue
            for w in v.toks:
                for fieldname, boost in (("words", 1.0), ("head", 1.0), ("anc", ANCESTOR_CREDIT)):
                    k = (fieldname, w)
                    best[k] = max(best.get(k, 0.0), boost * v.credit)
    for w in () if parts else typed:
        best.setdefault(("path", w), path_bonus)
    return [(f, w, b) for (f, w), b in best.items()]


def partial_docs(units: Sequence[Unit], cov: Coverage) -> set[int]:
    """Candidates that lack the whole word of a unit matched in parts (海上 … 风电 without 海上风电)."""
    out: set[int] = set()
    for u, credit in zip(units, cov.credits, strict=True):
        if any(v.part for v in u.variants):
            out.update(np.flatnonzero((credit > 0) & (credit < 1.0)).tolist())
    return out
