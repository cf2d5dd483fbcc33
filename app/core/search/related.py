"""法条联想: the documents sharing a clause's most telling words, and their best articles."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from whoosh import query as Q

from app.core.search import segment
from app.core.search.analysis import words

MIN_TERM_CHARS = 2
# Words too common in policy text to say what a clause is about.
STOP = frozenset(["加强", "推进", "推动", "持续", "深化", "完善", "健全", "建立", "开展", "实施", "强化", "提升", "加快", "促进", "支持", "鼓励", "全面", "深入", "积极", "有序", "进一步", "不断", "建设", "发展", "管理", "工作", "体系", "制度", "机制", "相关", "有关", "重点", "领域", "行业", "能力", "水平", "规模", "方面", "各类", "一批", "本市", "全市", "国家", "应当", "以及", "或者", "并且", "进行", "按照", "根据", "规定", "要求", "依法", "组织", "单位", "部门", "政府", "人民政府", "主管部门", "等", "和", "与", "及", "的", "对", "在", "为"])


CANDIDATES = 60  # the clause's words looked up in the library
KEY_TERMS = 15  # of which the most telling lead the ranking
CONTEXT_WEIGHT = 0.5  # words of the enclosing chapter/section headings count half
OTHER_REGION_FACTOR = 0.5  # a Shanghai clause: Zhejiang's local regulations do not govern it, national laws do
CITED_SHARE = 0.5  # a cited document gains this share of the best document's score
DOMAIN_WEIGHT = 2.0
ARTICLES_PER_TERM = 3  # best articles per document scored for its summary line


def _counts(text: str, context: str) -> dict[str, float]:
    def ok(w: str) -> bool:
        return len(w) >= MIN_TERM_CHARS and w not in STOP and not w.isdigit()

    counts: dict[str, float] = {}
    domain = segment.domain_terms()
    for source, weight in ((text, 1.0), (context, CONTEXT_WEIGHT)):
        for w in words(source):
            if ok(w):
                # Terms of our domain dictionary (固体废物, 排污许可…) say more than ordinary words.
                counts[w] = counts.get(w, 0.0) + weight * (DOMAIN_WEIGHT if w in domain else 1.0)
    return counts


@dataclass(frozen=True)
class KeyTerm:
    """A word of the clause with its weight and, per other document, how many articles use it."""

    text: str
    weight: float
    per_doc: dict[str, int]


def key_terms(searcher: Any, text: str, *, doc_of: Sequence[str | None], context: str = "",
              excluded: frozenset[str] | set[str] = frozenset(), n_docs: int = 1,
              limit: int = KEY_TERMS) -> list[KeyTerm]:
    """The clause's most telling words that other documents share, best first.

    A word tells what a clause is about when the clause uses it (tf), few documents use it (idf
    over documents, not articles) and the documents that do use it a lot: 固体废物 fills hundreds
    of articles of a handful of laws, while 充分发挥 occurs once in many. That concentration
    (articles per document) is what separates topical words from the generic language of policy
    text, which a plain article-level idf cannot do on a small library (there every word is rare).

    `doc_of` maps a whoosh document number to its document id; documents in `excluded` (the
    clause's own, superseded versions, plans) are not counted.
    """
    counts = _counts(text, context)
    n_docs = max(1, n_docs)
    out: list[KeyTerm] = []
    for term, tf in sorted(counts.items(), key=lambda kv: -kv[1])[:CANDIDATES]:
        per_doc = _per_doc(searcher, term, doc_of, excluded)
        if not per_doc:
            continue  # no other document uses it
        dfd, dfc = len(per_doc), sum(per_doc.values())
        weight = (1 + math.log(tf)) * math.log(1 + n_docs / dfd) * math.log(1 + dfc / dfd)
        out.append(KeyTerm(term, weight, per_doc))
    out.sort(key=lambda k: -k.weight)
    return out[:limit]


def _per_doc(searcher: Any, term: str, doc_of: Sequence[str | None], excluded: frozenset[str] | set[str]
             ) -> dict[str, int]:
    """Document id -> number of its clauses holding `term`, read off the posting list (no query)."""
    if not searcher.doc_frequency("words", term):
        return {}
    counts: dict[str, int] = {}
    for docnum in searcher.postings("words", term).all_ids():
        doc = doc_of[docnum] if docnum < len(doc_of) else None
        if doc is not None and doc not in excluded:
            counts[doc] = counts.get(doc, 0) + 1
    return counts


def rank_documents(terms: Sequence[KeyTerm], cited_docs: Sequence[str] = (),
                   factor: Mapping[str, float] | None = None) -> list[tuple[str, float]]:
    """Documents by how much of the clause's vocabulary they use: sum of weight x log(1 + articles).

    The log keeps a long code from winning on size alone; `factor` scales a document's score (the
    local regulations of another place than the clause's own); a document the clause cites by name
    is related by its author's own word and is lifted by a share of the best score."""
    score: dict[str, float] = {}
    for t in terms:
        for doc, n in t.per_doc.items():
            score[doc] = score.get(doc, 0.0) + t.weight * math.log(1 + n)
    if factor:
        score = {d: v * factor.get(d, 1.0) for d, v in score.items()}
    if cited_docs and score:
        best = max(score.values())
        for d in cited_docs:
            if d in score:
                score[d] += CITED_SHARE * best
    return sorted(score.items(), key=lambda kv: (-kv[1], kv[0]))


def articles_query(terms: Sequence[KeyTerm]) -> Q.Query:
    """The key terms as one weighted query, to find each related document's best articles."""
    parts: list[Q.Query] = [Q.Term("words", t.text, boost=t.weight) for t in terms]
    parts += [Q.Term("head", t.text, boost=t.weight) for t in terms]
    return Q.Or(parts)


def docs_filter(doc_ids: Sequence[str]) -> Q.Query:
    return Q.Or([Q.Term("doc", d) for d in doc_ids])


def exclude_query(doc_ids: list[str], kinds: list[str]) -> Q.Query:
    return Q.Or([Q.Term("doc", d) for d in doc_ids] + [Q.Term("kind", k) for k in kinds])
