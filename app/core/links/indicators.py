"""Quantified and qualitative targets of a clause: 海铁联运量达到200万标准箱左右 → 海铁联运量 ~ 200 万标准箱.

A number is a target only with a unit AND target wording around it. Units follow a grammar: number
(Arabic or Chinese) + optional magnitude (万, 亿, 千万, 万亿 …) + a unit of a category (currency 元, area 亩/
平方米, length 公里, mass 吨, power 兆瓦/吉瓦, data Tbps/EFLOPS, people 人/人次/户, counts by classifier 家/个/
项/台/架 …, durations 个工作日/小时, multiples 倍), or % / 百分之N; a bare number or a ratio (2.5∶1) only for
a dimensionless metric (系数, 指数, 车桩比, PUE); ranks as 前N位 / 第N位 after 进入/位居 … . Target wording:
a comparator right before the number (达到, 不低于, 提升至, 控制在, 压缩至, 突破, 保持, 下降, 新增 …), an
action at the head of its phrase (完成 X N 万亩, 遴选 X N 家), a counting verb before a count (推动1000家企业…),
a verb of the phrase (推动/确保/力争/实现 … X N家 ending the phrase), the verb of the previous item of a list
(建成A80个、B600个), or a bound after it (以上, 以下, 左右). 为 + value is a target only in a sentence that
looks ahead (到2027年, 力争, a 目标 heading); otherwise it states the present (比重为28.3%).
Hence the non-targets: years and ordinals have no unit (2030年, 第二次), names and slogans sit in “…” or
《…》 or lack a verb (五个新城; 15分钟生活圈: a duration needs a duration subject such as 审批时间), classes
have no unit (国四, Ⅲ类, 三星级), Chinese counts need an action right before them (两个关键, 三项工程), a
measure before a class noun qualifies it (超100亿元企业, 10万吨级泊位), and sentences about fines or
definitions and conditions (…以上的, 排名前10位的, …的，由…) are skipped. A sentence or ；-part opening with
a bare year (2024年，…；2025年，…) gives its targets that year.

Naming rules (what an official would write in a target table):
1. Subject + comparator: the subject as written, minus leading connectives and verbs (推动, 确保 …), a
   leading deadline (到2030年), a baseline (比2020年) and trailing adverbs (持续, 分别 …): 中重型新能源货车占比.
2. Action + object + amount (完成集中连片规模化造林 2 万亩) or action + count + object (开发10个应用场景):
   the object plus the dimension of its unit unless it already ends with one (面积/长度/数量/人数/量/比例):
   集中连片规模化造林面积, 生态环境数智化应用场景数量. 新增/新建 stay in front: 新增野生动物栖息地数量.
3. Changes: subject + 降幅/增幅 for % (能耗下降14% → 能耗降幅), + 减少量/增加量 otherwise.
4. Value first (70%左右市管及区管河道建成美丽幸福河湖): what follows + 比例.
5. Shared subjects: after 、/，a subject starting with a modifier (资源化利用率) takes the topic of the
   previous target (生活垃圾回收利用率 → 生活垃圾资源化利用率); 其… or an empty subject takes the previous
   phrase; “A、B分别下降5%和10%” gives one target per item, sharing the head (化肥使用量, 农药使用量).
6. Share of a base (不得低于居住区用地总面积的百分之十): subject + 占 + base + 的比例.
7. Qualitative targets keep their implied value: X全覆盖 → X覆盖率 100 %; X零填埋 → X填埋量 0;
   全面淘汰/禁用/完成/执行 Y → Y淘汰率 … 100 %; 全面新能源化 → …新能源化比例 100 %; all with "=".

Parts: `indicator_words` (unit grammar and vocabulary), `indicator_names` (naming and numbers),
`indicator_reading` (the words around one number), `indicator_table` (target tables); this module walks a
clause's phrases and sentences, settles deadlines and adds ranks and qualitative targets.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, replace

from app.core.links.deadlines import (
    fold_digits,
    inside,
    protected_spans,
    sentence_end,
    sentence_years,
    year_at,
)
from app.core.links.indicator_names import (
    _change,
    _changed,
    _clean,
    _lstrip_words,
    _unit_kind,
    parse_cn_number,
)
from app.core.links.indicator_reading import _Context, _Mention, _mentions, _read, _with_context
from app.core.links.indicator_table import table_targets
from app.core.links.indicator_words import (
    _ADJACENT_ACTIONS,
    _ATTRIBUTIVE,
    _CHANGE_NAMES,
    _CN_NUM,
    _COUNT_UNITS,
    _DEADLINE_TOKEN,
    _DECREASES,
    _INCREASES,
    _JOINERS,
    _LEAD,
    _MEASURE_KINDS,
    _NOT_TARGETS,
    _NUMERAL,
    _PHRASE_SEP,
    _POST,
    _QUOTE_LEAD,
    _SENTENCE_SEP,
    _WINDOW,
)
from app.core.links.retrospect import PERIOD, past_spans, period_years
from app.core.models import Indicator

__all__ = ["TargetContext", "extract_indicators", "lead_in_year", "parse_cn_number"]

log = logging.getLogger("policydesk.links")

_Q_FULL = re.compile(r"(?:实现|达到|做到)?全覆盖(?!的)")
_Q_ZERO = re.compile(r"(?:实现)?零(填埋|排放|直排|增长|事故|伤亡)(?=$|[，。；、,;）)])")
_Q_ALL = re.compile(r"全面(淘汰|禁用|禁止使用|完成|执行|取消|关停|退出|清退|拆除)([^，。；;,]{2,30})")
_Q_IZE = re.compile(r"全面([\u4e00-\u9fff]{1,4}化)(?=$|[，。；,;])")
_ZERO_NAMES = {"填埋": "填埋量", "排放": "排放量", "直排": "直排量", "增长": "增长率", "事故": "事故数", "伤亡": "伤亡人数"}


def _qualitative(text: str, start: int, end: int) -> list[tuple[int, int, str, float, str]]:
    """Qualitative targets of text[start:end] as (quote start, quote end, name, value, unit)."""
    seg = text[start:end]
    if "覆盖" not in seg and "零" not in seg and "全面" not in seg:  # each pattern below holds one of them
        return []
    # (match start, match end, what follows the subject in the name, value, unit, subject required)
    hits: list[tuple[int, int, str, float, str, bool]] = []
    for m in _Q_FULL.finditer(seg):
        hits.append((m.start(), m.end(), "覆盖率", 100.0, "%", True))
    for m in _Q_ZERO.finditer(seg):
        hits.append((m.start(), m.end(), _ZERO_NAMES[m[1]], 0.0, "%" if m[1] == "增长" else "", True))
    for m in _Q_ALL.finditer(seg):
        hits.append((m.start(), m.end(), _clean(m[2]) + m[1] + "率", 100.0, "%", False))
    for m in _Q_IZE.finditer(seg):
        hits.append((m.start(), m.end(), m[1] + "比例", 100.0, "%", True))
    out, floor = [], 0
    for a, b, tail, value, unit, needs_subject in sorted(hits):
        pre, floor = seg[max(floor, a - _WINDOW) : a], b  # A全覆盖、B全覆盖: B's subject starts after A
        if pre.endswith(("基本", "基本实现", "近")):
            continue  # 基本实现全覆盖, 近零填埋: qualified, no firm value
        lead = _lstrip_words(pre, _LEAD)
        subject = _clean(pre[lead:])
        if subject or not needs_subject:
            out.append((start + a - len(pre) + lead, start + b, subject + tail, value, unit))
    return out


def _phrases(text: str) -> list[tuple[int, int]]:
    """Phrase spans: split at ，；。：and line breaks."""
    spans, begin = [], 0
    for i, ch in enumerate(text):
        if ch in _PHRASE_SEP and not (ch in "：:" and text[i - 1 : i].isdigit() and text[i + 1 : i + 2].isdigit()):
            spans.append((begin, i))
            begin = i + 1
    spans.append((begin, len(text)))
    return [(a, b) for a, b in spans if b > a]


@dataclass(frozen=True)
class TargetContext:
    """What the document tells about time, for a clause's targets (the Linker builds it).

    since: the first year of the document's own period (2026 for a 2026–2030 plan): earlier years and
        periods are the past, so their figures are results (see `retrospect`).
    horizon_end: the end of the plan period: the deadline of a target that states none.
    lead_year: the lead-in of an enclosing clause (到2027年，主要目标如下：…) for targets without a year.
    """

    since: int | None = None
    horizon_end: int | None = None
    lead_year: int | None = None


_LEAD_IN = re.compile(
    r"^[ \t]*(?:[*_]{1,2})?(?:——|—|-|[（(]?[一二三四五六七八九十\d]{1,3}[)）、.．])?[ \t]*(?:[*_]{1,2})?"
    r"(?:力争|争取)?(?:到|至)[ \t]{0,2}(?:((?:19|20)\d{2})[ \t]{0,2}年(?:底|末)?|"
    + PERIOD.pattern + r"[ \t]{0,2}末)前?[ \t]{0,2}[，,：:]",
    re.MULTILINE,
)
_PERIOD_SPAN = re.compile(PERIOD.pattern + r"[ \t]{0,2}(?:时期|期间|末|内)")


def _lead_ins(text: str, since: int | None) -> list[tuple[int, int]]:
    """(offset, year) of every paragraph that opens with a deadline (到2027年，… / 到“十五五”末，…)."""
    out: list[tuple[int, int]] = []
    for m in _LEAD_IN.finditer(fold_digits(text)):
        if m[1]:
            year = int(m[1])
        else:
            span = period_years(m[2])
            year = span[1] if span else 0
        if year and (since is None or year >= since):
            out.append((m.start(), year))
    return out


def lead_in_year(text: str, since: int | None = None) -> int | None:
    """The year of the lead-in that opens `text` (its first paragraph), or None."""
    found = _lead_ins(text, since)
    return found[0][1] if found and not text[: found[0][0]].strip() else None


def extract_indicators(text: str, *, heading: str = "", context: TargetContext | None = None) -> list[Indicator]:
    """Return every quantified or qualitative target stated in `text`, in text order.

    Args:
        text: a clause (plan task, section or law article); targets are looked for in `text` only.
        heading: the clause heading, used to name a target whose subject is left out (到2030年达到50%).
        context: the document's period. Without it a target's deadline is the year governing its own
            sentence (or None); with it a target without one takes, in order, the plan period named in
            its sentence (“十五五”期间), the clause's lead-in (到2027年，…), `context.lead_year`, the
            horizon end — and `deadline_source` says which. Figures reported as results (已建成,
            “十四五”期间累计完成 …; see `retrospect.past_spans`) are never targets.

    Returns:
        Indicators whose `quote` is a literal substring of `text`. Never raises.
    """
    try:
        return _extract(text, heading, context)
    except Exception:  # a parser bug must not stop indexing a whole corpus
        log.exception("indicator extraction failed")
        return []


def _extract(text: str, heading: str, context: TargetContext | None) -> list[Indicator]:
    folded = fold_digits(text)
    guarded = protected_spans(text)
    since = context.since if context else None
    years = _with_year_leads(text, sentence_years(text), since)
    past: list[tuple[int, int]] | None = None  # worked out on the first target (most clauses have none)
    tables, table_spans = table_targets(text, _table_change)
    found: list[tuple[int, Indicator]] = [(t.start, t.indicator) for t in tables]
    ctx, skip_until = _Context(heading=heading), -1
    for start, end in _phrases(text):
        if start == 0 or text[start - 1] in _SENTENCE_SEP:
            ctx = _Context(heading=heading)
            stop = sentence_end(text, start)
            skip_until = stop if _NOT_TARGETS.search(text, start, stop) else -1
        if start < skip_until or text[start:end].rstrip().endswith("的"):
            continue  # fines, definitions and conditions (…的，由…)
        if inside(table_spans, start):
            continue  # table rows: read by `table_targets`
        targets = _phrase_targets(text, folded, (start, end), guarded, years, ctx)
        if not targets:
            continue
        if past is None:
            past = past_spans(text, since)
        if not inside(past, start):  # results (已建成…, “十四五”期间累计…) still name what follows
            found.extend(targets)
    found.sort(key=lambda item: item[0])
    return _settle_deadlines(text, found, context)


# A sentence or ；-part that opens with a bare year (2024年，推动…；2025年，新增…) sets that year's targets.
_YEAR_LEAD = re.compile(
    r"(?:^|(?<=[。；;！？!?\n]))[ \t]*(?:[（(]?[一二三四五六七八九十\d]{1,2}[)）.、．][ \t]*)?"
    r"((?:19|20)\d{2})[ \t]{0,2}年度?[ \t]{0,2}[，,：:]",
    re.MULTILINE,
)


def _with_year_leads(
    text: str, years: list[tuple[int, int, int]], since: int | None
) -> list[tuple[int, int, int]]:
    """Add the spans governed by year leads (not earlier than the document's own time) to `years`."""
    leads = [(m.start(1), sentence_end(text, m.end()), int(m[1])) for m in _YEAR_LEAD.finditer(fold_digits(text))]
    leads = [lead for lead in leads if since is None or lead[2] >= since]
    return sorted({*years, *leads}) if leads else years


def _table_change(name: str, change: str) -> str:
    """A row whose cell says 下降13.5% names what changes: 单位生产总值能耗 → 单位生产总值能耗降幅."""
    if any(w in name for w in (*_DECREASES, *_INCREASES, *_CHANGE_NAMES)):
        return name
    return _changed(name, _change(_DECREASES[0] if change == "down" else _INCREASES[0], "%"))


def _settle_deadlines(
    text: str, found: list[tuple[int, Indicator]], context: TargetContext | None
) -> list[Indicator]:
    """Mark where each deadline comes from; with a context, give the targets without one a deadline."""
    out: list[Indicator] = []
    leads = _lead_ins(text, context.since if context else None) if context else []
    for pos, ind in found:
        if ind.deadline is not None:
            out.append(ind if ind.deadline_source else replace(ind, deadline_source="explicit"))
            continue
        if context is None:
            out.append(ind)
            continue
        year, source = _period_in_sentence(text, pos, context.since), "period"
        if year is None:
            before = [y for at, y in leads if at <= pos]
            year, source = (before[-1] if before else context.lead_year), "lead-in"
        if year is None:
            year, source = context.horizon_end, "inherited"
        out.append(replace(ind, deadline=year, deadline_source=source if year is not None else ""))
    return out


def _period_in_sentence(text: str, pos: int, since: int | None) -> int | None:
    """The end year of a plan period the target's sentence names (“十五五”期间累计新增… → 2030)."""
    floor = max(0, pos - 1000)  # no sentence is longer; a scan back to the start would be quadratic on junk
    begin = max(floor, max(text.rfind(ch, floor, pos) for ch in _SENTENCE_SEP) + 1)
    for m in _PERIOD_SPAN.finditer(text, begin, sentence_end(text, pos)):
        span = period_years(m[1])
        if span and (since is None or span[1] >= since):
            return span[1]
    return None


def _owed_target(
    text: str, m: _Mention, post: str, years: list[tuple[int, int, int]], ctx: _Context,
    out: list[tuple[int, Indicator]],
) -> int:
    """Give the next name owed by a “分别” list to this value; return the end of its quote."""
    bound = _POST.match(post)
    q_end = m.end + (bound.end() if bound else 0)
    quote = text[ctx.pending_start : q_end].strip()
    ind = Indicator(ctx.pending.pop(0), m.value, m.unit, ctx.pending_comp, year_at(years, m.start), quote)
    out.append((ctx.pending_start, ind))
    return q_end


_FUTURE_FRAME = re.compile(r"力争|争取|确保|预计|预期|目标|计划|将(?!其|之|该|本)")


def _future_frame(text: str, pos: int, heading: str) -> bool:
    """Whether the sentence before `pos` (or the clause heading) looks ahead: 力争, 目标, 确保 …"""
    floor = max(0, pos - _WINDOW)  # bounded: a scan back to the text start would be quadratic on junk
    begin = max(text.rfind(ch, floor, pos) for ch in _SENTENCE_SEP) + 1
    return bool(_FUTURE_FRAME.search(text, max(begin, floor), pos) or "目标" in heading)


# Ranks: 进入全国前三位 (<= 3), 位居全省第2位 (= 2); the verb before it is required.
_RANK = re.compile(rf"(前|第)[ \t]{{0,2}}([1-9]\d{{0,2}}|[{_CN_NUM}]{{1,4}})[ \t]{{0,2}}(位|名)(?![次置于])")
_RANK_CUE = re.compile(r"(进入|跻身|位居|位列|稳居|保持|排名|排在|居于|位于|迈入|跃居|升至|提升至|提升到|居)"
                       r"([^，。；;,、\d]{0,10})$")


def _ranks(
    text: str, folded: str, span: tuple[int, int], years: list[tuple[int, int, int]], ctx: _Context
) -> list[tuple[int, Indicator]]:
    """Rank targets of folded[span]: the subject + 排名, the rank as value, 前N as at most N."""
    out: list[tuple[int, Indicator]] = []
    start, end = span
    if _NUMERAL.search(folded, start, end) is None:
        return out
    for m in _RANK.finditer(folded, start, end):
        value = parse_cn_number(m[2])
        pre = folded[max(start, m.start() - _WINDOW) : m.start()]
        cue = _RANK_CUE.search(pre)
        if value is None or cue is None or re.match(r"[ \t]{0,2}(?:以内|之内|内)?的", folded[m.end() : m.end() + 4]):
            continue  # 对排名前10位的企业给予奖励: which ones, not a target
        lead = _lstrip_words(pre, _QUOTE_LEAD)
        body = pre[lead : cue.start()]
        body = body[max((t.end() for t in _DEADLINE_TOKEN.finditer(body)), default=0) :]
        subject = _with_context(_clean(body), ctx)
        if not subject:
            continue
        name = subject if subject.endswith(("排名", "位次", "排位")) else subject + "排名"
        q_start = m.start() - len(pre) + lead
        comp = "<=" if m[1] == "前" else "="
        out.append((q_start, Indicator(name, value, m[3], comp, year_at(years, m.start()),
                                       text[q_start : m.end()].strip())))
        ctx.prev_name = name
    return out


def _phrase_targets(
    text: str, folded: str, span: tuple[int, int], guarded: list[tuple[int, int]],
    years: list[tuple[int, int, int]], ctx: _Context,
) -> list[tuple[int, Indicator]]:
    """Targets of one phrase; updates `ctx` for the phrases that follow in the sentence."""
    start, end = span
    out: list[tuple[int, Indicator]] = []
    cursor = start
    for m in _mentions(folded, start, end):
        if inside(guarded, m.start) or m.start < cursor:
            continue
        if m.chinese and m.unit in _COUNT_UNITS and not folded[max(0, m.start - 4) : m.start].endswith(_ADJACENT_ACTIONS):
            continue  # 两个关键, 五个新城, 三项工程: Chinese counts are targets only right after 新增/建设 …
        pre = folded[max(cursor, m.start - _WINDOW) : m.start]
        post = folded[m.end : min(end, m.end + _WINDOW)]
        if _unit_kind(m.unit) in _MEASURE_KINDS and _ATTRIBUTIVE.match(post):
            continue
        ctx.future = year_at(years, m.start) is not None or _future_frame(text, m.start, ctx.heading)
        if ctx.pending and pre.strip() in _JOINERS:  # the second value of “A、B分别下降5%和10%”
            cursor = _owed_target(text, m, post, years, ctx, out)
            continue
        reading = _read(pre, post, m.unit, ctx)
        if reading is None:
            continue
        q_start, q_end = m.start - len(pre) + reading.quote_from, m.end + reading.extra
        shape = reading.shape
        ind = Indicator(shape.name, m.value, m.unit, reading.comparator, year_at(years, m.start),
                        text[q_start:q_end].strip(), tier=reading.tier, qualifier=reading.qualifier)
        out.append((q_start, ind))
        ctx.prev_name, ctx.prev_verb, cursor = shape.name, shape.verb, q_end
        ctx.pending, ctx.pending_comp, ctx.pending_start = list(shape.items), reading.comparator, q_start
    if ctx.pending and out:  # “A和B分别下降10%”: one value for every item
        q_start, last = out[-1]
        out.extend((q_start, replace(last, name=name)) for name in ctx.pending)
        ctx.pending = []
    out += _ranked_and_qualitative(text, folded, (cursor, end), guarded, years, ctx)
    ctx.prev_raw = "" if out else text[max(start, end - _WINDOW) : end]
    return out


def _ranked_and_qualitative(
    text: str, folded: str, span: tuple[int, int], guarded: list[tuple[int, int]],
    years: list[tuple[int, int, int]], ctx: _Context,
) -> list[tuple[int, Indicator]]:
    """The rank targets, then the qualitative targets (全覆盖, 零填埋 …) of text[span] outside `guarded`."""
    out = [(q_start, ind) for q_start, ind in _ranks(text, folded, span, years, ctx) if not inside(guarded, q_start)]
    for q_start, q_end, name, value, unit in _qualitative(text, *span):
        if not inside(guarded, q_start):
            ind = Indicator(name, value, unit, "=", year_at(years, q_start), text[q_start:q_end].strip(), True)
            out.append((q_start, ind))
    return out
