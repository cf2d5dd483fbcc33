"""Results are not targets: review parts of a plan, and sentences that report what was done.

A plan looks back before it looks ahead: “一、发展基础” or “（一）“十四五”时期取得的成就” list results
(累计完成造林10万亩, PM2.5浓度较2015年下降42%), and even a task paragraph may open with a result before it
sets the target. Two mechanisms keep them out of the targets:

* `is_review_path(path)`: a clause under a heading about the past (发展基础, 现实基础, 发展现状, 取得成效,
  主要成就, 规划执行情况, 工作回顾, “十四五”时期…成就/进展, 面临形势) states no targets at all.
* `past_spans(text, since)`: inside any clause, the phrases that report results. Markers, strongest first:
  - a completed action: 已(经)+verb (已建成, 已累计完成; not the attributive 已建成的设施), verb+了 (实现了);
  - a period behind us or the present state: …以来, 近年来, 过去五年, 过去一年, 目前; a named period or a year before `since` (“十四五”期间,
    2023年，… in a 十五五 plan), and 截至/截止 + a year (a status date, not a due date);
  - weaker, only when the sentence sets nothing ahead: 比上年/同比, and a base year older than the
    document's own base (较2015年下降18% in a plan starting 2026; 比2025年 is that plan's baseline).
  A phrase with a future marker (到2030年, 力争, 确保, 到“十五五”末 …) starts a target again: in
  “‘十四五’期间累计下降14%，到2030年再下降13.5%” only the second number is a target.

`since` is the first year of the document's own period (2026 for a 2026–2030 plan); without it only the
markers that need no calendar apply (已, 了, 以来, 截至).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from app.core.numbers import cn_to_int

__all__ = ["PERIOD", "is_review_heading", "is_review_path", "past_spans", "period_years"]

_SPACE = re.compile(r"[\s*_#]+")
_NUMBERING = re.compile(r"^(?:第[一二三四五六七八九十百]+[章节篇部分]|[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十\d]+[)）]|\d+[、.．])")
_REVIEW = re.compile(
    r"(?:发展|现实|工作|规划)基础|发展现状|^现状|现状(?:与|和|及)|取得的?(?:主要|显著|积极)?(?:成效|成就|成绩|进展)"
    r"|(?:主要|显著|重大|历史性|突出)(?:成效|成就|成绩|进展)|发展成就|工作回顾|^回顾|(?:执行|完成|实施)情况"
    r"|(?:面临|发展)(?:的)?形势|形势(?:与|和)(?:挑战|机遇)|机遇(?:与|和)挑战|规划背景|发展环境"
)
# A heading that also announces what is to be done is not a review (主要目标, 加强规划实施情况评估).
_FORWARD = re.compile(r"目标|任务|措施|举措|要求|评估|监测|考核|保障|推进|加强|加快|健全|完善|建立|强化")
PERIOD = re.compile(r"[“\"”「]?十([一二三四五六七八九])五[”\"」]?")
_YEAR = r"((?:19|20)\d{2})\s{0,2}年"
_FUTURE = re.compile(
    rf"(?:到|至|力争到|争取到|力争在|争取在|计划到|预计到|力争|争取)\s{{0,2}}(?:{_YEAR}|{PERIOD.pattern}\s{{0,2}}(?:末|时期|期间))"
)
_FUTURE_WORDS = re.compile(r"力争|争取|确保|预计|预期|目标|计划|将(?!其|之|该|本)")
_ALREADY = re.compile(
    r"(?<![而业不早])已(?:经)?(?:累计|基本|全面|初步|提前|连续|先后|相继)?"
    r"(?:建成|完成|实现|达到|达|形成|超过|突破|下降|降至|降低|提高|提升|增长|增加|减少|新增|有|占|覆盖|开通|投运|投入|"
    r"淘汰|关停|创建|获批|列入|成为|取得|整治|治理|修复|改造|建立|推广|出台|编制|制定|印发|拥有|完善|开工|竣工)"
)
_DONE = re.compile(r"(?:建成|完成|实现|达到|下降|降低|提高|提升|增长|增加|减少|突破|超过|形成|新增|取得|开展)了")
_SINCE = re.compile(r"以来|近年来|近几年|近五年|过去五年|过去十年|过去一年|五年来|十年来|多年来|一年来|这五年|此前|目前")
_STATUS = re.compile(rf"(?:截至|截止到|截止)\s{{0,2}}{_YEAR}")
_LAST_YEAR = re.compile(r"比上年|较上年|比去年|较去年|同比|环比|比上一年")
_BASE_YEAR = re.compile(rf"(?:比|较|与|相比|同)\s{{0,2}}{_YEAR}")
_BARE_YEAR = re.compile(rf"(?<![\d到至止比较与从自同以—－\-–~～争在于\s])\s{{0,2}}{_YEAR}(?![底末度]?(?:以来|起|前|以前|之前|为))")
_PERIOD_AT = re.compile(rf"{PERIOD.pattern}\s{{0,2}}(时期|期间|以来|末)")
_PHRASE_SEP = re.compile(r"[，,；;：:]")
_SENTENCE_SEP = re.compile(r"[。！？!?\n]")


def _clean_heading(heading: str) -> str:
    text = _SPACE.sub("", heading or "")
    return _NUMBERING.sub("", text)


def is_review_heading(heading: str) -> bool:
    """Whether a heading names a part about the past (发展基础, “十四五”时期取得的成就, 规划执行情况 …)."""
    text = _clean_heading(heading)
    if not text or _FORWARD.search(text):
        return False
    return bool(_REVIEW.search(text))


def is_review_path(path: Sequence[str]) -> bool:
    """Whether a clause (by its headings, root first) sits in a review part: it then states no targets."""
    return any(isinstance(h, str) and is_review_heading(h) for h in path)


def period_years(numeral: str) -> tuple[int, int] | None:
    """The years of the 十X五 plan period named by its digit X: 四 → (2021, 2025)."""
    n = cn_to_int(numeral)
    if n is None:
        return None
    start = 1966 + 5 * (n + 10 - 3)  # the 3rd five-year plan began in 1966
    return start, start + 4


def _completed(phrase: str) -> bool:
    """A completed action: 已建成充电桩80万个, 实现了; not the attributive 已建成的污水处理厂."""
    if _DONE.search(phrase):
        return True
    return any("的" not in phrase[m.end() : m.end() + 8] for m in _ALREADY.finditer(phrase))


def _past_markers(phrase: str, since: int | None) -> bool:
    """Markers that make a phrase (and what follows in its sentence) a report of results."""
    if _completed(phrase) or _SINCE.search(phrase):
        return True
    for m in _STATUS.finditer(phrase):
        if since is None or int(m[1]) < since:
            return True
    if since is None:
        return False
    for m in _PERIOD_AT.finditer(phrase):
        years = period_years(m[1])
        before = phrase[max(0, m.start() - 2) : m.start()]
        if years and years[1] < since and not before.endswith(("到", "至", "较", "比", "与", "同")):
            return True
    return any(int(m[1]) < since for m in _BARE_YEAR.finditer(phrase))


def _future_marker(phrase: str, since: int | None) -> bool:
    for m in _FUTURE.finditer(phrase):
        if m[1]:
            year = int(m[1])
        else:
            years = period_years(m[2])
            year = years[1] if years else 0
        if since is None or year >= since:
            return True
    return bool(_FUTURE_WORDS.search(phrase))


def _weak_past(sentence: str, since: int | None) -> bool:
    if _LAST_YEAR.search(sentence):
        return True
    # An older base than the document's own (较2015年 in a plan whose base year is 2025) measures a past period.
    return since is not None and any(int(m[1]) < since - 1 for m in _BASE_YEAR.finditer(sentence))


def past_spans(text: str, since: int | None = None) -> list[tuple[int, int]]:
    """Spans (sorted, disjoint) of `text` whose numbers are results, not targets."""
    out: list[tuple[int, int]] = []
    begin = 0
    for stop in [*(m.start() for m in _SENTENCE_SEP.finditer(text)), len(text)]:
        if stop > begin:
            _sentence(text, begin, stop, since, out)
        begin = stop + 1
    return out


def _sentence(text: str, begin: int, end: int, since: int | None, out: list[tuple[int, int]]) -> None:
    sentence = text[begin:end]
    phrases: list[tuple[int, int]] = []
    a = 0
    for m in _PHRASE_SEP.finditer(sentence):
        phrases.append((a, m.start()))
        a = m.end()
    phrases.append((a, len(sentence)))
    future = any(_future_marker(sentence[p:q], since) for p, q in phrases)
    past = not future and _weak_past(sentence, since)
    for p, q in phrases:
        phrase = sentence[p:q]
        if _past_markers(phrase, since):
            past = True
            if _completed(phrase):
                out.append((begin + p, begin + q))  # 到2025年已建成…: a completed action stays a result
                continue
        elif _future_marker(phrase, since):
            past = False
        if past:
            out.append((begin + p, begin + q))
