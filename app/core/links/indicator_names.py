"""Normalising the names and numbers of targets (`indicators`): Chinese numbers, the words trimmed from a
subject, what a unit measures (面积, 长度, 数量 …), changes (降幅, 增加量), shared topics and list items."""

from __future__ import annotations

import re

from app.core.links.deadlines import fold_digits
from app.core.links.indicator_words import (
    _ACTIONS,
    _BASELINE,
    _CHANGE_NAMES,
    _COMPARED,
    _COUNT_UNITS,
    _DECREASES,
    _ENUM,
    _LEAD,
    _MAGNITUDE_PREFIX,
    _METRIC_END,
    _MODIFIERS,
    _TRAIL,
    _UNIT_DIMENSION,
    _UNIT_KIND,
    _UNITLESS_METRICS,
)
from app.core.numbers import cn_to_int


def parse_cn_number(text: str) -> float | None:
    """Parse a Chinese, Arabic or mixed number with an optional decimal part: 十四点六 → 14.6, 1,000 → 1000."""
    text = fold_digits(text).replace(",", "").strip()
    if re.fullmatch(r"\d+(?:\.\d+)?", text):
        return float(text)
    head, _, frac = text.partition("点")
    whole = cn_to_int(head) if head else None
    digits = [cn_to_int(ch) for ch in frac]
    if whole is None or any(d is None or d > 9 for d in digits):
        return None
    return whole + sum(d * 10.0 ** -(i + 1) for i, d in enumerate(digits) if d is not None)


def _lstrip_words(s: str, words: tuple[str, ...]) -> int:
    """Number of leading characters taken by spaces, an enumerator and any run of `words`."""
    m = _ENUM.match(s)
    i = m.end() if m else 0
    while True:
        while i < len(s) and s[i] in " \t、":
            i += 1
        word = next((w for w in words if s.startswith(w, i)), None)
        if word is None:
            return i
        i += len(word)


def _rstrip_words(s: str, words: tuple[str, ...], keep: int = 1) -> str:
    """Drop trailing `words`, keeping at least `keep` characters."""
    s = s.rstrip(" \t、的")
    while True:
        word = next((w for w in words if s.endswith(w) and len(s) - len(w) >= keep), None)
        if word is None:
            return s
        s = s[: -len(word)].rstrip(" \t、")


def _clean(name: str) -> str:
    """Tidy a name: no spaces, no baseline year, no dangling connectives."""
    name = "".join(_BASELINE.sub("", name).split())
    return _rstrip_words(name[_lstrip_words(name, _LEAD) :], _TRAIL).strip("、和及与的")


def _base_unit(unit: str) -> str:
    """The unit without its magnitude and rate: 万亿元 → 元, 万吨/年 → 吨."""
    base = unit.split("/")[0] if not unit.startswith(("微克/", "毫克/")) else unit
    return base if base in _UNIT_KIND else _MAGNITUDE_PREFIX.sub("", base)


def _unit_kind(unit: str) -> str:
    """The category of a unit (count, time, area …; "" for % and bare numbers)."""
    return _UNIT_KIND.get(_base_unit(unit), "")


def _clean_paren(name: str) -> str:
    """The name without a trailing abbreviation in brackets: 电能利用效率（PUE） → 电能利用效率."""
    return re.sub(r"[（(][^（）()]{1,12}[）)]$", "", name)


def _unitless(name: str) -> bool:
    """A dimensionless metric (系数, 车桩比, 电能利用效率（PUE）) may take a bare number."""
    return _clean_paren(name).endswith(_UNITLESS_METRICS) or "PUE" in name


def _dimension(name: str, unit: str) -> str:
    """Append what the unit measures (面积, 长度, 数量 …) unless the name already says it."""
    if not name or name.endswith(_METRIC_END):
        return name
    base = _base_unit(unit)
    if base in _UNIT_DIMENSION:
        return name + _UNIT_DIMENSION[base]
    if _UNIT_KIND.get(base) in ("time", "data", "multiple"):
        return name  # a duration needs a duration subject (see `_read`); 带宽, 倍 name themselves
    return name + ("数量" if base in _COUNT_UNITS else "量")


def _change(cue: str, unit: str) -> str:
    relative = unit in ("%", "个百分点")
    if cue in _DECREASES:
        return "降幅" if relative else "减少量"
    return "增幅" if relative else "增加量"


def _topic(previous: str) -> str:
    """The shared topic of a previous target's name: 生活垃圾回收利用率 → 生活垃圾."""
    for i in range(2, len(previous)):
        if previous.startswith(_MODIFIERS, i):
            return previous[:i]
    return ""


def _items(subject: str) -> list[str]:
    """Items of “A、B分别…”, each completed with the head they share: 化肥、农药使用量 → 化肥使用量, 农药使用量."""
    items = [p for p in re.split("[、和及与]", subject) if p]
    if len(items) < 2:
        return [subject]
    *firsts, last = items
    head = last[len(items[0]) :] if len(items[0]) < len(last) else ""  # parallel items have parallel lengths
    return [p if p.endswith(_METRIC_END) else p + head for p in firsts] + [last]


def _object_after(post: str) -> str:
    """The noun phrase a count or a value-first target is about: up to 、, a digit or the phrase end."""
    m = re.match(r"[ \t]*的?([^、\d%]{1,30})", post)
    return m.group(0).rstrip() if m else ""


def _head_action(subject: str) -> tuple[int, str]:
    """The action at the head of a subject, after at most a short scope: (offset, action) or (-1, "")."""
    starts = ((subject.find(a, 0, 6 + len(a)), a) for a in _ACTIONS)
    return min(((i, a) for i, a in starts if i >= 0), default=(-1, ""))


def _changed(subject: str, suffix: str) -> str:
    """能耗 + 降幅; a subject taken from a previous change (到2030年再下降10%) is not suffixed twice."""
    for old in _CHANGE_NAMES:
        if subject.endswith(old):
            subject = subject[: -len(old)]
    # 办结时限比法定时限压缩60%: the comparison base is not part of the name
    return _COMPARED.sub("", subject) + suffix
