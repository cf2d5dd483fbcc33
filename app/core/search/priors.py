"""Priors over the text of a clause: purpose, scope, definitions, commencement and 附则 articles name every
topic of their law but settle nothing about it (they sink below substantive articles), and a text that
defines a term (it rises for a definition query). Computed once per clause when the index is built
(`prior_flags`, kept by the literal index) and read by the re-rank (`pipeline.prior`)."""

from __future__ import annotations

import re
from collections.abc import Sequence

from app.core.normalize import compact, fold

_PURPOSE = re.compile(r"^(为了|为)[^。]{0,120}(制定|根据)[^。]{0,60}本(法|条例|办法|规定|细则|决定)")
_SCOPE = re.compile(r"^[^。]{0,60}(适用本(法|条例|办法|规定|细则)|本(法|条例|办法|规定|细则)适用于)")
_DEFINITION = re.compile(r"(本(法|条例|办法|规定|细则)所称|下列用语的含义|用语的含义|是指)")
_COMMENCE = re.compile(r"(自\d{4}年\d{1,2}月\d{1,2}日起施行|自公布之日起施行|自发布之日起施行|同时废止)")


def boilerplate(text: str, path: Sequence[str], *, definition_query: bool) -> bool:
    """A purpose, scope, definitions, commencement or 附则 article: it names every topic of its law
    but settles nothing about it."""
    return _boilerplate(text, path, None)[1 if definition_query else 0]


def _boilerplate(text: str, path: Sequence[str], key: str | None) -> tuple[bool, bool]:
    """`boilerplate` for a query that does not ask for a definition, and for one that does; `key` is
    `compact(fold(text))` when the caller has it."""
    head = compact(fold(text[:200]))
    if _PURPOSE.search(head):
        return True, True
    # Folding leaves CJK as it is: only a text saying 施行 or 废止 can be a commencement (most of a
    # re-rank pool is not, and folding each whole text was a tenth of the search time)
    if ("施行" in text or "废止" in text) and _COMMENCE.search(compact(fold(text)) if key is None else key):
        return True, True
    if _SCOPE.search(head):
        return True, True
    if any("附则" in p for p in path[:-1]):
        return True, True
    return bool(_DEFINITION.search(head) and len(text) < 1200 and "是指" in text), False


def defines(text: str) -> bool:
    return bool(_DEFINITION.search(compact(fold(text))))


# Where a defined term starts: the text's start, a sentence or list item (（一）湿地，是指), a quotation mark.
_TERM_START = "(?:^|[。；;：:）)“\"「])"


def defines_term(key: str, terms: Sequence[str]) -> bool:
    """`key` (a clause's compact folded text) defines one of `terms` (compact folded) itself: 本法所称湿地，是指…,
    本条例所称的重要湿地, （一）湿地，是指…, “湿地”是指…, 湿地，即…, and one dividing it into grades or kinds (将辐射事故
    分为…四个等级, 船舶污染事故分为以下等级). A text that only uses the term inside
    another term's definition (本法所称环境，是指…湿地…) does not."""
    return _defining(key, terms) is not None


def _defining(text: str, terms: Sequence[str]) -> re.Match[str] | None:
    for t in terms:
        if not t or t not in text:
            continue
        e = re.escape(t)
        m = re.search(rf"所称(?:的)?[^，。；“”]{{0,6}}{e}|{_TERM_START}{e}[”\"」]?[，,]?(?:是指|指(?![标导南数出定挥令引])|即)"
                      rf"|(?:{_TERM_START}|将){e}划?分为", text)  # 辐射事故分为…, 从重到轻将辐射事故分为…: X's grades
        if m:
            return m
    return None


def definition_start(text: str, terms: Sequence[str]) -> int:
    """Where the sentence of `text` defining one of `terms` starts (本法所称湿地，是指…), -1 when none does: a
    definition query's snippet opens there. `text` as shown (folded here; folding keeps every character's place
    in the texts of the library, whose full-width forms fold one to one)."""
    folded = fold(text)
    m = _defining(folded, terms) if len(folded) == len(text) else None
    if m is None:
        return -1
    return max(folded.rfind(p, 0, m.start()) for p in "。；;\n") + 1


# Bits of `prior_flags`, computed once per clause when the index is built (the literal index keeps them).
BOILERPLATE_PLAIN = 1  # a boilerplate article for a query that does not ask for a definition
BOILERPLATE_DEFINITION = 2  # ... and for one that does
DEFINES = 4  # the text defines a term (本法所称…是指…, 下列用语的含义)


def prior_flags(level: str, text: str, path: Sequence[str], key: str) -> int:
    """The priors of a clause as bits: `boilerplate` (articles only) for both kinds of query, and
    `defines`. `key` is `compact(fold(text))`."""
    out = 0
    if level == "article":
        plain, definition = _boilerplate(text, path, key)
        out |= (BOILERPLATE_PLAIN if plain else 0) | (BOILERPLATE_DEFINITION if definition else 0)
    if _DEFINITION.search(key):
        out |= DEFINES
    return out


def in_liability_chapter(path: Sequence[str]) -> bool:
    """The clause sits in a 法律责任 / 罚则 chapter or section (`path` without the clause itself)."""
    return any("法律责任" in p or "罚则" in p for p in path[:-1])


_NUM = "[0-9零〇一二两三四五六七八九十百千]+"
# A time limit stated: 三十日内, 60日前, 五个工作日内, 有效期届满, 不得超过2天, 每五年.
_DURATION = re.compile(rf"{_NUM}个?(?:工作日|日|天|小时|个月|月|周|年)(?:内|以内|之内|前|以前|届满)"
                       rf"|(?:超过|不少于|不超过){_NUM}个?(?:工作日|日|天|小时|个月|年)|每{_NUM}?年|有效期")


def states_time_limit(key: str) -> bool:
    """`key` (a clause's compact folded text) states a time limit: what a 几天/多久/期限 question asks."""
    return bool(_DURATION.search(key))
