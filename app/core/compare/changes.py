"""Changed targets and deadlines between two versions of a clause, from the links the library extracted
(app.core.links: `extract_indicators`, `extract_deadline`, run on every clause when it was indexed).

Indicators pair up by name (exactly, else the most similar name from NAME_RATIO: the extraction may name
the same target 生活垃圾回收利用率 or 回收利用率 depending on the sentence around it). A pair differs
when its value, unit, comparator or year differs. A clause deadline is compared when either version
states it (an inherited plan horizon on both sides is no change).
"""

from __future__ import annotations

import difflib

from app.core.compare.model import ChangeType, IndicatorChange
from app.core.links.service import ClauseLinks
from app.core.models import Deadline, Indicator

NAME_RATIO = 0.75
_COMPARATORS = {">=": "≥", "<=": "≤", ">": "＞", "<": "＜", "~": "约", "=": ""}


def number(value: float) -> str:
    """50.0 → 50, 14.60 → 14.6"""
    return str(int(value)) if float(value).is_integer() else f"{value:.6g}"


def indicator_value(ind: Indicator, *, comparator: bool = False, year: bool = False) -> str:
    """50%, ≥95%, 200万标准箱（2030年）; "" for a target without a number."""
    if ind.value is None:
        text = ""
    else:
        sign = _COMPARATORS.get(ind.comparator, "") if comparator else ""
        text = f"{sign}{number(ind.value)}{ind.unit}"
    if year and ind.deadline:
        text += f"（{ind.deadline}年）"
    return text


def deadline_text(d: Deadline) -> str:
    """2028年, 2026年6月30日"""
    if d.date and len(d.date) >= 10:
        y, m, day = d.date[:10].split("-")
        return f"{int(y)}年{int(m)}月{int(day)}日"
    return f"{d.year}年"


def _pair_indicators(old: tuple[Indicator, ...], new: tuple[Indicator, ...]
                     ) -> tuple[list[tuple[Indicator, Indicator]], list[Indicator], list[Indicator]]:
    """(pairs, only old, only new): exact names first, then the most similar remaining names."""
    left, right = list(old), list(new)
    pairs: list[tuple[Indicator, Indicator]] = []
    for a in list(left):
        b = next((x for x in right if x.name == a.name), None)
        if b is not None:
            pairs.append((a, b))
            left.remove(a)
            right.remove(b)
    scored = sorted(((difflib.SequenceMatcher(None, a.name, b.name).ratio(), i, j)
                     for i, a in enumerate(left) for j, b in enumerate(right)), reverse=True)
    used_l: set[int] = set()
    used_r: set[int] = set()
    for ratio, i, j in scored:
        if ratio < NAME_RATIO:
            break
        if i in used_l or j in used_r:
            continue
        used_l.add(i)
        used_r.add(j)
        pairs.append((left[i], right[j]))
    return (pairs, [a for i, a in enumerate(left) if i not in used_l],
            [b for j, b in enumerate(right) if j not in used_r])


def _differs(a: Indicator, b: Indicator) -> bool:
    return (a.value, a.unit, a.comparator, a.deadline) != (b.value, b.unit, b.comparator, b.deadline)


def _changed(a: Indicator, b: Indicator) -> tuple[str, str]:
    """How to write the old and new values: the comparator only when it changed, the year only when it did."""
    cmp_ = a.comparator != b.comparator
    year = a.deadline != b.deadline
    return indicator_value(a, comparator=cmp_, year=year), indicator_value(b, comparator=cmp_, year=year)


def clause_changes(old: ClauseLinks | None, new: ClauseLinks | None, old_id: str | None, new_id: str | None,
                   where: str) -> list[IndicatorChange]:
    """Indicator and deadline changes of one aligned pair (either side None: the clause came or went)."""
    old_l, new_l = old or ClauseLinks(), new or ClauseLinks()
    out: list[IndicatorChange] = []
    pairs, gone, came = _pair_indicators(old_l.indicators, new_l.indicators)
    for a, b in pairs:
        if not _differs(a, b):
            continue
        if (a.value, a.unit, a.comparator) == (b.value, b.unit, b.comparator):  # only the year
            out.append(IndicatorChange("indicator", "changed", b.name, f"{a.deadline}年" if a.deadline else "未定",
                                       f"{b.deadline}年" if b.deadline else "未定", old_id, new_id, where, True))
        else:
            was, now = _changed(a, b)
            out.append(IndicatorChange("indicator", "changed", b.name, was, now, old_id, new_id, where))
    out += [IndicatorChange("indicator", "removed", a.name, indicator_value(a, year=True), "", old_id, new_id, where)
            for a in gone]
    out += [IndicatorChange("indicator", "added", b.name, "", indicator_value(b, year=True), old_id, new_id, where)
            for b in came]
    if old_id is not None and new_id is not None:
        change = _deadline_change(old_l.deadline, new_l.deadline)
        if change is not None:
            kind, was, now = change
            out.append(IndicatorChange("deadline", kind, where, was, now, old_id, new_id, where))
    return out


def _stated(d: Deadline | None) -> bool:
    return d is not None and d.source != "inherited"


def _deadline_change(a: Deadline | None, b: Deadline | None) -> tuple[ChangeType, str, str] | None:
    if not (_stated(a) or _stated(b)):
        return None
    if a is not None and b is not None:
        if (a.year, a.date) == (b.year, b.date):
            return None
        return "changed", deadline_text(a), deadline_text(b)
    if a is not None:
        return "removed", deadline_text(a), ""
    assert b is not None
    return "added", "", deadline_text(b)
