"""Our small query language, parsed by hand (linear time, never raises).

    碳达峰 新能源          words are ANDed (each word: its jieba words, or its literal text)
    "无废城市"             a quoted phrase matches literally only
    -危险废物              excludes clauses containing the term
    光伏 OR 风电           either side
    部门:市水务局 年份:2030 文件:大气污染防治条例 类型:法律 有指标:是    filters (full-width ： too)
The input is cut to MAX_QUERY_CHARS and to MAX_TERMS terms.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from app.core.normalize import compact, fold

MAX_QUERY_CHARS = 200
MAX_TERMS = 12

_TOKEN = re.compile(r'"([^"]*)"?|(\S+)')


@dataclass(frozen=True)
class Term:
    text: str  # folded
    phrase: bool = False

    @property
    def key(self) -> str:
        return compact(self.text)


# Chinese field names of the filters -> internal filter keys.
FILTERS = {"部门": "dept", "单位": "dept", "年份": "year", "年": "year", "文件": "doc", "法规": "doc",
           "类型": "kind", "有指标": "has_ind", "指标": "has_ind"}
_FILTER = re.compile(r"^(" + "|".join(sorted(FILTERS, key=len, reverse=True)) + r"):(.+)$")


@dataclass
class ParsedQuery:
    groups: list[list[Term]] = field(default_factory=list)  # AND over groups; OR inside a group
    excluded: list[Term] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    filters: list[tuple[str, str]] = field(default_factory=list)  # (filter key, value as typed)
    # Synonyms/abbreviations/numeral forms per unquoted term (keyed by Term.key), matched at lower weight.
    alternatives: dict[str, list[Term]] = field(default_factory=dict)

    @property
    def empty(self) -> bool:
        return not self.groups and not self.filters

    def positive_terms(self) -> list[Term]:
        return [t for g in self.groups for t in g]


def add_alternatives(pq: ParsedQuery, expand: Callable[[str], list[str]]) -> list[str]:
    """Fill `pq.alternatives` for every unquoted term; return the alternatives for the user notice."""
    shown: list[str] = []
    for t in pq.positive_terms():
        if t.phrase or t.key in pq.alternatives:
            continue
        alts: list[Term] = []
        for a in expand(t.text):
            alt = Term(fold(a))
            if alt.key and alt.key != t.key and all(alt.key != x.key for x in alts):
                alts.append(alt)
                shown.append(_changed_words(t.text, a))
        pq.alternatives[t.key] = alts
    return shown


PHRASE_WORDS = 4  # a term of this many jieba words or more is a phrase: its notice names the words that changed


def _changed_words(term: str, alt: str) -> str:
    """What a notice shows of a rewritten term: in a phrase (小诊所的医疗废物怎么收 → 小诊所的医废怎么收) the
    words that changed (医废), not the whole phrase again; a short term (噪声扰民) as it is."""
    from app.core.search.analysis import words

    a, b = words(term), words(alt)
    if len(a) < PHRASE_WORDS:
        return alt
    head = 0
    while head < min(len(a), len(b)) and a[head] == b[head]:
        head += 1
    tail = 0
    while tail < min(len(a), len(b)) - head and a[-1 - tail] == b[-1 - tail]:
        tail += 1
    middle = "".join(b[head:len(b) - tail])
    return middle if middle and (head or tail) else alt


def parse_query(raw: str) -> ParsedQuery:
    """Parse user input into term groups; unknown syntax is treated as plain words."""
    pq = ParsedQuery()
    if len(raw) > MAX_QUERY_CHARS:
        raw = raw[:MAX_QUERY_CHARS]
        pq.notices.append(f"查询过长，只使用前 {MAX_QUERY_CHARS} 个字。")
    text = fold(raw)
    pending_or = False
    count = 0
    for m in _TOKEN.finditer(text):
        if count >= MAX_TERMS:
            pq.notices.append(f"查询词过多，只使用前 {MAX_TERMS} 个。")
            break
        quoted, word = m.group(1), m.group(2)
        if quoted is not None:
            term: Term | None = Term(quoted.strip(), phrase=True) if compact(quoted) else None
            negate = False
        else:
            assert word is not None
            fm = _FILTER.match(word)
            if fm:
                pq.filters.append((FILTERS[fm.group(1)], fm.group(2)))
                continue
            if word in ("or", "|") and pq.groups:
                pending_or = True
                continue
            negate = word.startswith("-") and len(word) > 1
            body = word[1:] if negate else word
            body = body.strip('"')
            term = Term(body) if compact(body) else None
        if term is None:
            continue
        count += 1
        if negate:
            pq.excluded.append(term)
        elif pending_or:
            pq.groups[-1].append(term)
        else:
            pq.groups.append([term])
        pending_or = False
    if not pq.groups and pq.excluded:
        # Only exclusions means nothing to search; the user most likely pasted text starting with "-".
        pq.groups = [[Term(t.text, phrase=t.phrase)] for t in pq.excluded]
        pq.excluded = []
    if not pq.groups and not pq.filters and compact(text):
        # Only syntax characters (a lone “ or -): search them literally, as Ctrl+F would.
        pq.groups = [[Term(compact(text), phrase=True)]]
    return pq
