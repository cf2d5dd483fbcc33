"""Character-level differences inside a modified clause, as segments a reader can take in.

difflib's opcodes on the two texts, compared character by character except that a number with its
decimals and percent sign (14.6%, 2030) and a Latin word count as one unit, so a changed target reads
【删：50%】【增：55%】 rather than 5【删：0】【增：5】%. The common prefix and suffix are cut off first (an
edit in a long clause costs a few units of difflib). Then two clean-ups: an unchanged run of one or two characters between
two edits joins them (全面【删：实施】【增：落实】 rather than 全【删：面实】面【增：落】施), and a clause
rewritten almost whole (less than a fifth in common) shows as one deletion and one insertion.
Units are compared folded (`normalize.fold_char`): a half-width bracket that became full-width, as in
(一) → （一）, is not a change; the segments keep each version's own characters.
"""

from __future__ import annotations

import difflib
import re

from app.core.compare.model import Segment
from app.core.normalize import fold_char

SHORT_EQUAL = 2  # an unchanged run this short between two edits is absorbed into them
REWRITE_RATIO = 0.2  # below this share of common characters, the whole text is replaced

_Op = tuple[str, int, int, int, int]
_UNIT = re.compile(r"\d+(?:[.．]\d+)?\s?[%％‰]?|[A-Za-z]+|.", re.S)


def _units(text: str) -> tuple[list[str], list[int]]:
    """The text cut into units (see the module doc) and each unit's start offset (plus the end)."""
    units = [m.group() for m in _UNIT.finditer(text)]
    starts = [0]
    for u in units:
        starts.append(starts[-1] + len(u))
    return units, starts


def _key(unit: str) -> str:
    return "".join(fold_char(c) for c in unit)


def _prefix(a: list[str], b: list[str]) -> int:
    n = min(len(a), len(b))
    i = 0
    while i < n and a[i] == b[i]:
        i += 1
    return i


def opcodes(old: str, new: str) -> list[_Op]:
    """difflib opcodes (equal/delete/insert/replace) of `old` → `new` in character offsets, cleaned up as
    described above."""
    ua, sa = _units(old)
    ub, sb = _units(new)
    ua, ub = [_key(u) for u in ua], [_key(u) for u in ub]  # offsets stay those of the texts as written
    pre = _prefix(ua, ub)
    suf = _prefix(ua[pre:][::-1], ub[pre:][::-1])
    a, b = ua[pre:len(ua) - suf], ub[pre:len(ub) - suf]
    unit_ops: list[_Op] = []
    if pre:
        unit_ops.append(("equal", 0, pre, 0, pre))
    if a or b:
        sm = difflib.SequenceMatcher(None, a, b, autojunk=False)
        unit_ops += [(tag, i1 + pre, i2 + pre, j1 + pre, j2 + pre) for tag, i1, i2, j1, j2 in sm.get_opcodes()]
    if suf:
        unit_ops.append(("equal", len(ua) - suf, len(ua), len(ub) - suf, len(ub)))
    ops = [(tag, sa[i1], sa[i2], sb[j1], sb[j2]) for tag, i1, i2, j1, j2 in unit_ops]
    ops = _absorb_short_equals(_join_equals(ops))
    common = sum(i2 - i1 for tag, i1, i2, _, _ in ops if tag == "equal")
    if old and new and 2 * common < REWRITE_RATIO * (len(old) + len(new)):
        return [("replace", 0, len(old), 0, len(new))]
    return ops


def _join_equals(ops: list[_Op]) -> list[_Op]:
    out: list[_Op] = []
    for op in ops:
        if out and out[-1][0] == op[0] == "equal":
            t, i1, _, j1, _ = out[-1]
            out[-1] = (t, i1, op[2], j1, op[4])
        else:
            out.append(op)
    return out


def _absorb_short_equals(ops: list[_Op]) -> list[_Op]:
    """Merge edit, short equal, edit into one replace (repeatedly)."""
    out: list[_Op] = []
    for op in ops:
        out.append(op)
        while len(out) >= 3 and out[-2][0] == "equal" and out[-1][0] != "equal" and out[-3][0] != "equal" \
                and out[-2][2] - out[-2][1] <= SHORT_EQUAL:
            last, first = out.pop(), out[-2]
            out[-2:] = [("replace", first[1], last[2], first[3], last[4])]
    # adjacent edits (delete then insert) become one replace
    merged: list[_Op] = []
    for op in out:
        if merged and op[0] != "equal" and merged[-1][0] != "equal":
            prev = merged[-1]
            merged[-1] = ("replace", prev[1], op[2], prev[3], op[4])
        else:
            merged.append(op)
    return merged


def segments(old: str, new: str) -> tuple[tuple[Segment, ...], tuple[Segment, ...]]:
    """The old text as same/del segments and the new text as same/ins segments (each joins to its text)."""
    old_out: list[Segment] = []
    new_out: list[Segment] = []
    for tag, i1, i2, j1, j2 in opcodes(old, new):
        if tag == "equal":
            _add(old_out, "same", old[i1:i2])
            _add(new_out, "same", new[j1:j2])
        else:
            _add(old_out, "del", old[i1:i2])
            _add(new_out, "ins", new[j1:j2])
    return tuple(old_out), tuple(new_out)


def _add(out: list[Segment], kind: str, text: str) -> None:
    if not text:
        return
    if out and out[-1].kind == kind:
        out[-1] = Segment(out[-1].kind, out[-1].text + text)
    else:
        out.append(Segment(kind, text))  # type: ignore[arg-type]
