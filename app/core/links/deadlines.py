"""Deadlines of a clause: explicit target dates (到2030年, 2026年6月底前, 年底前), else the plan's horizon.

Rules (why they are shaped this way):
* A year is a deadline only with target wording around it: a marker before it (到/至/截至/力争…), a
  tail after it (前/底/末), or, after a weak marker (在/于) or none, a completion or evaluation verb in
  the same phrase (2028年中期评估). Baselines (比2020年, 较…), effective dates (自…起施行), histories
  (…通过), periods (2023—2035 年) and anything inside a title 《…》 are not deadlines.
* The clause deadline is the LATEST explicit year: a clause that states goals for 2030 and 2035 is not
  finished before 2035. Its quote is the marker's phrase (到2030年海铁联运量达到200万标准箱左右).
* Without an explicit year, a plan clause inherits the horizon end (十五五 → 2030; an annual plan
  “2024年…工作要点” → 2024; （2024—2025年） → 2025); laws get None.
* An indicator takes the year that governs its sentence: a deadline governs from its marker to the end
  of its sentence (。！？ or a line break), never backwards (see `sentence_years`).
"""

from __future__ import annotations

import bisect
import calendar
import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass

from app.core.models import Deadline
from app.core.numbers import cn_to_int

__all__ = [
    "explicit_deadlines",
    "extract_deadline",
    "find_milestones",
    "fold_digits",
    "plan_horizon",
    "protected_spans",
    "sentence_end",
    "sentence_years",
    "year_at",
]

# One character in, one character out, so that offsets in the folded text are offsets in the original.
_FOLD: dict[int, int | str] = {0xFF10 + i: 0x30 + i for i in range(10)}
_FOLD.update({ord("％"): "%", ord("．"): ".", ord("\u3000"): " ", ord("\u00a0"): " ", ord("﹪"): "%"})

_CN_DIGIT = "〇零○一二三四五六七八九"
_CN_SMALL = "一二三四五六七八九十"
_DATE = re.compile(
    r"(?P<pre>截至|截止到|截止|力争到|力争在|力争于|争取到|争取在|力争|争取|计划到|预计到|到|至|于|在)?[ \t]{0,3}"
    rf"(?<![\d{_CN_DIGIT}])(?P<year>(?:19|20)\d{{2}}|[{_CN_DIGIT}]{{4}})(?![\d{_CN_DIGIT}])[ \t]{{0,3}}年(?P<fy>度)?"
    rf"(?:[ \t]{{0,3}}(?P<month>1[0-2]|0?[1-9]|[{_CN_SMALL}]{{1,2}})[ \t]{{0,3}}月份?)?"
    rf"(?:[ \t]{{0,3}}(?P<day>[0-3]?\d|[{_CN_SMALL}]{{1,3}})[ \t]{{0,3}}日)?"
    r"(?P<tail>底前|底|末前|末|以前|之前|前)?"
)
_YEAR_END = re.compile(rf"(?<![年每\d{_CN_DIGIT}])(?:年底|年末)前")
_STRONG = frozenset({"截至", "截止到", "截止", "力争到", "力争在", "力争于", "争取到", "争取在", "力争", "争取",
                     "计划到", "预计到", "到", "至"})
# A year after a weak marker (在/于) or none is a deadline only when its phrase says what is due then.
_DUE = re.compile(r"评估|完成|建成|实现|达到|达标|基本|全面|之前|前完成")
_NOT_AFTER = ("起", "以来", "以后", "之后", "后", "相比", "比", "水平", "基础上", "为基准", "已", "通过", "施行", "发布")
_NOT_BEFORE = ("自", "从", "比", "较", "与", "同", "相比", "对比", "—", "－", "-", "–", "~", "～")
# Stops are found by regex search (C speed): a Python loop per date would make junk quadratic.
_SENTENCE_STOP = re.compile(r"[。！？!?\n]")
_PHRASE_STOP = re.compile(r"[，,。；;！？!?\n：:]")
_LEADING_COMMA = re.compile(r"[ \t]{0,3}[，,]?")
# Real phrases and sentences are far shorter; the caps keep junk without punctuation linear.
_MAX_PHRASE = 200
_MAX_SENTENCE = 1000
_MILESTONE = re.compile(r"中期评估|总结评估|终期评估|期末评估|中期检查")
_HORIZON_CN = re.compile(r"十([一二三四五六七八九])个?五")  # “十四五”, 第十四个五年规划
_HORIZON_RANGE = re.compile(r"((?:19|20)\d{2})\s*(?:年\s*)?[—－\-–~～至到]\s*((?:19|20)\d{2})\s*年")
_CN_YEAR = re.compile(rf"[{_CN_DIGIT}]{{4}}(?=\s*年)")
_CN_YEAR_DIGITS = str.maketrans("〇零○一二三四五六七八九", "000123456789")
# An annual document: “2024年数字经济工作要点”, “2024年度…实施方案”. Not a deadline in a title (2030年前碳达峰,
# 到2025年, 面向2035年) and not a long-range vision (二〇三五年远景目标).
_HORIZON_YEAR = re.compile(
    r"(?<![\d到至向迈望])((?:19|20)\d{2})\s*年度?(?!\s*(?:前|以前|之前|底前|远景|目标|以来|\d{1,2}\s*月|[—－\-–~～至到]))"
)


@functools.lru_cache(maxsize=64)
def fold_digits(text: str) -> str:
    """Map full-width digits, ％, ． and exotic spaces to ASCII, keeping every offset.

    Cached: the extractors fold the same clause text several times (deadlines, years, targets)."""
    return text.translate(_FOLD)


def protected_spans(text: str) -> list[tuple[int, int]]:
    """Spans of titles 《…》 and quotations “…”「…」 (merged, sorted): names and slogans, never targets."""
    spans: list[tuple[int, int]] = []
    for open_, close in (("《", "》"), ("“", "”"), ("「", "」")):
        start = text.find(open_)
        while start >= 0:
            end = text.find(close, start + 1)
            if end < 0:
                break
            spans.append((start, end + 1))
            start = text.find(open_, end + 1)
    merged: list[tuple[int, int]] = []
    for a, b in sorted(spans):  # a quotation inside a title is covered by the title
        if merged and a < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(b, merged[-1][1]))
        else:
            merged.append((a, b))
    return merged


def inside(spans: Sequence[tuple[int, int]], pos: int) -> bool:
    """True when `pos` falls in one of the disjoint, sorted spans of `protected_spans`."""
    k = bisect.bisect_right(spans, pos, key=lambda span: span[0])
    return k > 0 and spans[k - 1][0] <= pos < spans[k - 1][1]


@dataclass(frozen=True)
class _Hit:
    start: int  # quote start (the marker, or the first year of a 2028年、2030年 list)
    end: int  # end of the date expression
    year: int
    date: str | None


def _year_of(raw: str) -> int | None:
    value = int(raw) if raw.isascii() else cn_to_int(raw)
    return value if value is not None and 1949 <= value <= 2100 else None


def _date_of(year: int, m: re.Match[str]) -> str | None:
    """ISO date when the text names a month, a day or a year end; None for a bare year."""
    month = cn_to_int(m["month"]) if m["month"] else None
    day = cn_to_int(m["day"]) if m["day"] else None
    tail = m["tail"] or ""
    if month is None:
        return f"{year}-12-31" if tail.startswith(("底", "末")) else None
    if not 1 <= month <= 12:
        return None
    last = calendar.monthrange(year, month)[1]
    if day is not None and 1 <= day <= last:
        return f"{year}-{month:02d}-{day:02d}"
    return f"{year}-{month:02d}-{last:02d}"


def _phrase_end(text: str, pos: int) -> int:
    """End of the phrase starting at `pos` (a comma right after a year marker does not end it)."""
    lead = _LEADING_COMMA.match(text, pos)
    limit = min(len(text), pos + _MAX_PHRASE)
    stop = _PHRASE_STOP.search(text, lead.end() if lead else pos, limit)
    return stop.start() if stop else limit


def sentence_end(text: str, pos: int) -> int:
    """Offset of the end of the sentence that contains `pos` (。！？ or a line break)."""
    limit = min(len(text), pos + _MAX_SENTENCE)
    stop = _SENTENCE_STOP.search(text, pos, limit)
    return stop.start() if stop else limit


def _is_deadline(text: str, m: re.Match[str], listed: bool) -> bool:
    before = text[max(0, m.start() - 2) : m.start()]
    after = text[m.end() : m.end() + 3].lstrip()
    if any(before.endswith(w) for w in _NOT_BEFORE) or after.startswith(_NOT_AFTER):
        return False
    pre, tail = m["pre"], m["tail"]
    if tail:
        return True
    if pre in _STRONG:
        return True
    return bool(listed or _DUE.search(text, m.end(), _phrase_end(text, m.end())))


def _hits(text: str) -> list[_Hit]:
    """Every explicit deadline of `text`, in order."""
    if "年" not in text:  # every date and every 年底前 holds it (most law articles do not: the scan is skipped)
        return []
    folded = fold_digits(text)
    guarded = protected_spans(text)
    hits: list[_Hit] = []
    seen: list[tuple[int, int]] = []  # (end, year) of every year named, in order, for a later bare 年底前
    for m in _DATE.finditer(folded):
        year = _year_of(m["year"])
        if year is None or inside(guarded, m.start("year")):
            continue
        seen.append((m.end(), year))
        gap = folded[hits[-1].end : m.start()] if hits and m.start() - hits[-1].end <= 4 else ""
        listed = gap.strip() in ("、", "和", "及", "与")  # 在2028年、2030年: one marker for the list
        if not _is_deadline(folded, m, listed):
            continue
        start = hits[-1].start if listed and hits else m.start()
        hits.append(_Hit(start, m.end(), year, _date_of(year, m)))
    ends = [end for end, _ in seen]
    for m in _YEAR_END.finditer(folded):
        k = bisect.bisect_right(ends, m.start())
        if k and not inside(guarded, m.start()):
            year = seen[k - 1][1]
            hits.append(_Hit(m.start(), m.end(), year, f"{year}-12-31"))
    return sorted(hits, key=lambda h: h.start)


def explicit_deadlines(text: str) -> list[Deadline]:
    """All explicit deadlines of a clause in text order, each quoting its phrase."""
    out: list[Deadline] = []
    for h in _hits(text):
        quote = text[h.start : _phrase_end(text, h.end)].strip()
        out.append(Deadline(year=h.year, date=h.date, source="explicit", quote=quote))
    return out


def sentence_years(text: str) -> list[tuple[int, int, int]]:
    """Spans governed by a deadline: (start, end, year) from each marker to the end of its sentence.

    A later marker in the same sentence takes over from its own position (spans may overlap; the
    innermost, i.e. latest-starting, span wins — see `year_at`).
    """
    return [(h.start, sentence_end(text, h.end), h.year) for h in _hits(text)]


def year_at(spans: Sequence[tuple[int, int, int]], pos: int) -> int | None:
    """The year governing offset `pos` (spans as from `sentence_years`, sorted by start), or None."""
    k = bisect.bisect_right([span[0] for span in spans], pos)
    for start, end, year in reversed(spans[max(0, k - 8) : k]):  # the latest-starting span wins
        if start <= pos < end:
            return year
    return None


def extract_deadline(
    text: str, *, horizon: tuple[int, int] | None = None, milestones: Sequence[int] = ()
) -> Deadline | None:
    """Return the deadline of a clause.

    Args:
        text: the clause's full text (heading included for plan tasks).
        horizon: the document's period, e.g. (2026, 2030) for a 十五五 plan; None for laws.
        milestones: evaluation years of the document (2028 mid-term, 2030 final), used when there
            is no horizon.

    Returns:
        The latest explicit deadline with its quote; else an inherited one (horizon end, or the last
        milestone) with quote None; else None (a law without dates).
    """
    found = explicit_deadlines(text)
    if found:
        latest = max(d.year for d in found)
        return next(d for d in found if d.year == latest)
    if horizon is not None:
        return Deadline(year=horizon[1], date=None, source="inherited", quote=None)
    if milestones:
        return Deadline(year=max(milestones), date=None, source="inherited", quote=None)
    return None


def find_milestones(text: str) -> list[int]:
    """Evaluation years named in a phrase about 中期评估/总结评估 (e.g. the plan's 2028 and 2030)."""
    years: set[int] = set()
    for h in _hits(text):
        if _MILESTONE.search(text, h.start, _phrase_end(text, h.end)):
            years.add(h.year)
    return sorted(years)


def plan_horizon(title: str) -> tuple[int, int] | None:
    """The period of a plan from its title: “十五五” → (2026, 2030); “（2021—2025年）” → (2021, 2025);
    an annual plan “2024年…工作要点” → (2024, 2024)."""
    folded = _cn_years(fold_digits(title))
    m = _HORIZON_RANGE.search(folded)
    if m:
        return int(m[1]), int(m[2])
    m = _HORIZON_CN.search(title)
    if m:
        n = 10 + (cn_to_int(m[1]) or 0)
        start = 1966 + 5 * (n - 3)  # the 3rd five-year plan began in 1966 (1963–65 was an adjustment)
        return start, start + 4
    years = {int(y) for y in _HORIZON_YEAR.findall(folded)}
    if len(years) == 1:  # an annual plan: its year is both the start and the end
        year = years.pop()
        return year, year
    return None


def _cn_years(text: str) -> str:
    """Write four-digit Chinese years as digits: 二〇二四年 → 2024年 (a title is short; offsets do not matter)."""
    return _CN_YEAR.sub(lambda m: m[0].translate(_CN_YEAR_DIGITS), text)
