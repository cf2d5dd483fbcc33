"""法条联想: the key terms of a clause, weighted by how rare they are in the library, as a query."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from whoosh import query as Q

from app.core.search import segment
from app.core.search.analysis import words

MAX_KEY_TERMS = 14
MIN_TERM_CHARS = 2
# Words too common in policy text to say what a clause is about.
STOP = frozenset(["加强", "推进", "推动", "持续", "深化", "完善", "健全", "建立", "开展", "实施", "强化", "提升", "加快", "促进", "支持", "鼓励", "全面", "深入", "积极", "有序", "进一步", "不断", "建设", "发展", "管理", "工作", "体系", "制度", "机制", "相关", "有关", "重点", "领域", "行业", "能力", "水平", "规模", "方面", "各类", "一批", "本市", "全市", "国家", "应当", "以及", "或者", "并且", "进行", "按照", "根据", "规定", "要求", "依法", "组织", "单位", "部门", "政府", "人民政府", "主管部门", "等", "和", "与", "及", "的", "对", "在", "为"])


CANDIDATES = 40
CONTEXT_WEIGHT = 0.5  # words of the enclosing chapter/section headings count half
CITED_BOOST = 2.0
DOMAIN_WEIGHT = 2.0
IDF_FLOOR_DF = 25


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


def key_terms(searcher: Any, text: str, *, context: str = "", exclude: Q.Query | None = None,
              limit: int = MAX_KEY_TERMS) -> list[tuple[str, float]]:
    """The clause's most telling words that other documents share: tf x idf, best first.

    The idf counts only documents outside `exclude` (the clause's own document and the plans), so
    a word only the plan uses, however rare, does not lead the search astray.
    """
    counts = _counts(text, context)
    n_docs = max(1, searcher.doc_count())
    first = sorted(((t, (1 + math.log(1 + tf)) * math.log(n_docs / max(1, searcher.doc_frequency("words", t))))
                    for t, tf in counts.items()), key=lambda kv: -kv[1])[:CANDIDATES]
    scored = []
    for term, _ in first:
        df = len(searcher.search(Q.Term("words", term), limit=1, mask=exclude, scored=False))
        if df == 0 or df > n_docs * 0.15:  # no other document has it, or nearly all do
            continue
        # Cap the idf: a word a handful of articles share (稳步, 高标准) is rare, not telling.
        idf = math.log(n_docs / max(df, IDF_FLOOR_DF))
        scored.append((term, (1 + math.log(1 + counts[term])) * idf))
    scored.sort(key=lambda kv: -kv[1])
    return scored[:limit]


def related_query(terms: list[tuple[str, float]], cited_docs: Sequence[str] = ()) -> Q.Query:
    parts: list[Q.Query] = [Q.Term("words", t, boost=w) for t, w in terms]
    parts += [Q.Term("head", t, boost=w) for t, w in terms]
    q: Q.Query = Q.Or(parts)
    if cited_docs:  # articles of a document the clause cites are related by the author's own word
        q = Q.AndMaybe(q, Q.Or([Q.Term("doc", d, boost=CITED_BOOST) for d in cited_docs]))
    return q


def exclude_query(doc_ids: list[str], kinds: list[str]) -> Q.Query:
    return Q.Or([Q.Term("doc", d) for d in doc_ids] + [Q.Term("kind", k) for k in kinds])
