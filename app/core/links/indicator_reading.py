"""Reading one number of a phrase (`indicators`): the number + unit mentions, and the words around a number
read as a target (its name, comparator and quote) or as none, with what the sentence's previous phrases left."""

from __future__ import annotations

from dataclasses import dataclass, field

from app.core.links.indicator_names import (
    _change,
    _changed,
    _clean,
    _clean_paren,
    _dimension,
    _head_action,
    _items,
    _lstrip_words,
    _object_after,
    _rstrip_words,
    _topic,
    _unit_kind,
    _unitless,
    parse_cn_number,
)
from app.core.links.indicator_words import (
    _ADJACENT_ACTIONS,
    _APPROX,
    _BAD_NEXT,
    _BARE,
    _BASE_CUE,
    _BASELINE,
    _BUILD_VERBS,
    _COMPARATORS,
    _COUNTING_ACTIONS,
    _CUES,
    _DEADLINE_TOKEN,
    _DECREASES,
    _DIMENSIONS,
    _DURATION_NAMES,
    _HEADING_VERBS,
    _INCREASES,
    _INCREMENTS,
    _LIST_JOINERS,
    _MENTION,
    _METRIC_END,
    _MODIFIERS,
    _NUMERAL,
    _OPENERS,
    _POST,
    _POST_COMPARATOR,
    _QUALIFIER,
    _QUOTE_LEAD,
    _RATIO,
    _SHARE_END,
    _TIER,
    _TIME_CUES,
    _TRAIL_VERBS,
)


def _time_target(shape: _Shape, ctx: _Context) -> bool:
    if not _clean_paren(shape.name).endswith(_DURATION_NAMES) or shape.verb.startswith("不得"):
        return False
    return shape.verb in _TIME_CUES or ctx.future


@dataclass(frozen=True)
class _Mention:
    start: int
    end: int
    value: float
    unit: str
    chinese: bool


def _mentions(folded: str, start: int, end: int) -> list[_Mention]:
    """Number + unit pairs of folded[start:end] that could be targets, and bare numbers (for 系数)."""
    if _NUMERAL.search(folded, start, end) is None:
        return []
    out: list[_Mention] = []
    for m in _MENTION.finditer(folded, start, end):
        raw, unit = m["pct"] or m["num"], "%" if m["pct"] else m["unit"]
        nxt = folded[m.end() : m.end() + 1]
        if (nxt and nxt in _BAD_NEXT.get(unit[-1], "")) or (nxt.isascii() and nxt.isalpha()):
            continue
        value = parse_cn_number(raw)
        before = folded[max(0, m.start() - 1) : m.start()]
        if value is not None and before != "第" and not (before == "前" and _unit_kind(unit) in ("count", "people")):
            out.append(_Mention(m.start(), m.end(), value, unit, not raw[0].isdigit()))
    covered = {i for x in out for i in range(x.start, x.end)}
    for m in _RATIO.finditer(folded, start, end):
        denominator = float(m[2])
        if m.start() not in covered and denominator:
            out.append(_Mention(m.start(), m.end(), round(float(m[1]) / denominator, 6), "", False))
            covered.update(range(m.start(), m.end()))
    for m in _BARE.finditer(folded, start, end):
        if m.start() not in covered:
            out.append(_Mention(m.start(), m.end(), float(m[1]), "", False))
    return sorted(out, key=lambda x: x.start)


@dataclass
class _Context:
    """What the previous phrases of the sentence left for the next target."""

    heading: str = ""
    prev_name: str = ""
    prev_verb: str = ""
    prev_raw: str = ""  # the end of the previous phrase of the sentence when it held no target

    @property
    def prev_phrase(self) -> str:
        """That phrase as a name, cleaned only when a later target needs it (most never do)."""
        return _clean(_DEADLINE_TOKEN.sub("", self.prev_raw)) if self.prev_raw else ""
    pending: list[str] = field(default_factory=list)  # names still owed by “A、B分别…”
    future: bool = False  # the number being read sits in a sentence about the future (a deadline, 力争 …)
    pending_comp: str = ""
    pending_start: int = 0


@dataclass(frozen=True)
class _Shape:
    name: str
    verb: str  # the word that makes it a target ("" when only 以上/左右/约 does)
    quoted: int = 0  # characters of the text after the number that belong to the quote
    items: tuple[str, ...] = ()  # further names of a “分别” list


@dataclass(frozen=True)
class _Reading:
    shape: _Shape
    comparator: str
    quote_from: int  # offset in `pre` where the quote starts
    extra: int  # characters of `post` that belong to the quote
    tier: str = ""  # 确保 | 力争 | 争取 right before the value's verb
    qualifier: str = ""  # 累计 | 年均 | …


def _split_cue(body: str) -> tuple[str, str, bool]:
    """Split `body` (the text before a number) into subject, adjacent cue and an approximation flag."""
    body = body.rstrip()
    approx = False
    for word in _APPROX:
        if body.endswith(word):
            body, approx = body[: -len(word)].rstrip(), True
            break
    cue = next((c for c in _CUES if body.endswith(c)), "")
    return body[: len(body) - len(cue)], cue, approx


def _with_context(subject: str, ctx: _Context) -> str:
    """Complete an elided, pronominal or empty subject from the sentence's previous phrases."""
    prev_phrase = ctx.prev_phrase
    if subject.startswith("其") and prev_phrase:  # 全市PM2.5浓度…其年均浓度 → 全市PM2.5年均浓度, not …浓度年均浓度
        rest = subject[1:]
        tail = next((k for k in range(min(len(prev_phrase), len(rest)), 0, -1) if prev_phrase.endswith(rest[-k:])), 0)
        return (prev_phrase[:-tail] if 2 <= tail < len(prev_phrase) else prev_phrase) + rest
    if not subject:  # 到2030年达到60%: the previous phrase, else the previous target, else the heading
        heading = ctx.heading.rstrip("。；;. ")
        return prev_phrase or ctx.prev_name or _clean(heading[_lstrip_words(heading, _HEADING_VERBS) :])
    if ctx.prev_name and subject.startswith(_MODIFIERS):
        return _topic(ctx.prev_name) + subject
    return subject


def _read(pre: str, post: str, unit: str, ctx: _Context) -> _Reading | None:
    """Interpret the words around one number; None when they do not state a target."""
    lead = _lstrip_words(pre, _QUOTE_LEAD)
    body = _BASELINE.sub("", pre[lead:])  # 比2020年 is a baseline, not the deadline
    cut = max((t.end() for t in _DEADLINE_TOKEN.finditer(body)), default=0)
    body = body[cut:]  # the subject follows the last deadline of the phrase
    pm = _POST.match(post)
    post_comp = _POST_COMPARATOR[pm.group(1)] if pm else ""
    rest = post[pm.end() :] if pm else post
    subject, cue, approx = _split_cue(body)
    if post_comp and "的" in rest:
        return None  # a condition (超过20%以上的, 四万平方米以上的公共绿地，应当…), not a target
    if not cue and not subject.strip():  # 推动1000家企业…: the verb went with the quote's lead words
        cue = next((w for w in _COUNTING_ACTIONS if pre[:lead].rstrip().endswith(w)), "")
    if not cue and ctx.future and subject.endswith("为") and _clean(subject[:-1]).endswith(_METRIC_END):
        subject, cue = subject[:-1], "为"  # 到2027年，…比重为30%; without a future frame it is a state
    shared = not subject.strip() or pre[:lead].lstrip().startswith("其中")
    if not cue and shared and ctx.prev_verb in _ADJACENT_ACTIONS:
        cue = ctx.prev_verb  # 新增5个A、3个B and 新增绿地5000公顷，其中公园绿地2000公顷: the verb is shared
    elif not cue and ctx.prev_verb and pre.lstrip(" \t").startswith(_LIST_JOINERS) and _clean(subject):
        cue = ctx.prev_verb  # 遴选智能工厂60家、数字化车间200个: every item of the list takes the verb
    shape = _opened(_shape(body, subject, cue, unit, rest, ctx), pre, subject, unit, rest, ctx)
    kind = _unit_kind(unit)
    if shape is None or not shape.name or (not unit and not _unitless(shape.name)):
        return None
    if kind == "time" and not _time_target(shape, ctx):
        return None
    firm = unit == "%" and shape.name.endswith(_SHARE_END)  # 生活垃圾无害化处理率100%
    if not (shape.verb or approx or post_comp or firm):
        return None
    verb = shape.verb
    changed = verb in _DECREASES or verb in _INCREASES
    comp = post_comp or ("~" if approx else _COMPARATORS.get(verb, ">=" if changed else "="))
    tiers = _TIER.findall(pre)
    qual = next((q for m in _QUALIFIER.finditer(pre) for q in m.groups() if q), "")
    qual = "每年" if qual.startswith("每年") else qual
    return _Reading(shape, comp, lead, (pm.end() if pm else 0) + shape.quoted, tiers[-1] if tiers else "", qual)


def _opened(shape: _Shape | None, pre: str, subject: str, unit: str, rest: str, ctx: _Context) -> _Shape | None:
    """`shape`, or for an amount without a verb of its own that ends its phrase, the phrase's opening verb."""
    kind = _unit_kind(unit)
    if (shape is None or not shape.verb) and kind not in ("", "time") and unit != "%" and _clean(subject) \
            and not rest.strip() and not subject.rstrip().endswith("的") and not _head_action(_clean(subject))[1]:
        opener = next((w for w in _OPENERS if w in pre), "")
        if opener:  # 推动中小企业数字化改造5000家: the phrase's verb sets the amount (ending the phrase)
            return _Shape(_dimension(_with_context(_clean(subject), ctx), unit), opener)
    return shape


def _shape(body: str, subject: str, cue: str, unit: str, rest: str, ctx: _Context) -> _Shape | None:
    """Name the target from the layout of its phrase."""
    raw = subject
    subject = _clean(subject)
    if cue in _ADJACENT_ACTIONS and not subject:
        obj = _object_after(rest)
        prefix = cue if cue in _INCREMENTS else ""
        if not _clean(obj) and ctx.prev_name:  # 2024年，改造5000家；2025年，新增8000家: the same object
            name = ctx.prev_name
            return _Shape(name if not prefix or name.startswith(prefix) else prefix + name, cue)
        return _Shape(_dimension(prefix + _clean(obj), unit), cue, len(obj)) if _clean(obj) else None
    head_at, head = _head_action(subject)
    if cue in _ADJACENT_ACTIONS and head and (cue in _COUNTING_ACTIONS or head_at <= 2):
        subject, cue = subject + cue, ""  # 完成技能培训10万人次, 完成农田建设40万亩: the head action leads
    if cue in _ADJACENT_ACTIONS:
        prefix = "新增" if cue in (*_INCREMENTS, "增加") and not subject.startswith("新增") else ""
        return _Shape(_dimension(prefix + _with_context(subject, ctx), unit), cue)
    # An action at the head, after at most a short scope (全市新增绿地5000公顷): the amount is its object's.
    at, action = _head_action(subject)
    if action and not cue and not _BASE_CUE.search(body.rstrip()) and not raw.rstrip().endswith("的"):
        obj = _clean(subject[at + len(action) :].rstrip("达共"))
        scope = subject[:at].removesuffix("新")  # 新认定, 新培育: the action of a count is new anyway
        prefix = scope + (action if action in _INCREMENTS and not obj.startswith(action) else "")
        tail = _object_after(rest) if unit == "%" else ""  # 新建建筑100%执行绿色建筑标准: what the share does
        name = _dimension(prefix + obj + _clean(tail), unit)
        return _Shape(name, action, len(tail)) if obj else None
    if rest.lstrip().startswith("的"):
        return _shape_attribute(subject, cue, rest)
    if not cue:
        return _shape_bare(body, subject, unit, rest, ctx)
    items = _items(subject) if raw.rstrip().endswith("分别") else [subject]
    suffix = _change(cue, unit) if cue in _DECREASES or cue in _INCREASES else ""
    names = [_changed(_with_context(n, ctx), suffix) if suffix else _dimension(_with_context(n, ctx), unit)
             for n in items]
    return _Shape(names[0], cue, 0, tuple(names[1:])) if names[0] else None


def _shape_attribute(subject: str, cue: str, rest: str) -> _Shape | None:
    """宽度不少于五十米的防护绿地 → 防护绿地宽度; any other “…N的X” is a condition, not a target."""
    dim = next((d for d in _DIMENSIONS if subject.endswith(d)), "")
    if not dim or not cue or not _clean(subject[: -len(dim)]).endswith(_BUILD_VERBS):
        return None
    gap = len(rest) - len(rest.lstrip()) + 1
    obj = _object_after(rest[gap:])
    owner = _rstrip_words(_clean(subject[: -len(dim)]), _TRAIL_VERBS, keep=0)
    return _Shape(_clean(owner + obj) + dim, cue, gap + len(obj))


def _shape_bare(body: str, subject: str, unit: str, rest: str, ctx: _Context) -> _Shape | None:
    """No verb right before the number: a share of a base, a metric with 以上/约, or the value first."""
    base = _BASE_CUE.search(body.rstrip())
    if base and unit == "%":
        owner = _with_context(_clean(body.rstrip()[: base.start()]), ctx)
        return _Shape(f"{owner}占{_clean(base.group(2))}的比例", base.group(1))
    if subject:
        return _Shape(subject, "") if subject.endswith(_METRIC_END) else None
    obj = _object_after(rest)
    name = _clean(obj) + ("比例" if unit == "%" else "")
    return _Shape(name, "", len(obj)) if _clean(obj) else None
