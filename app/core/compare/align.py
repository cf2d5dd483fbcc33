"""Align the clauses of two versions and give each pair its status.

1. The re-anchoring matcher (`app.core.anchor.align`) pairs clauses one to one, strongest evidence first:
   identical text, the same id, the same heading path (renumbered or not), neighbours of the old position,
   text similarity, with the thresholds measured in its docstring.
2. Same place: what it leaves unpaired may still be one clause rewritten where it stood. The pairs whose
   order both versions agree on (the longest increasing run of new positions in old order) cut both
   documents into gaps; inside a gap, an unpaired old and an unpaired new clause of the same level pair up
   when they are the only ones of that level there and, for clauses with a heading of their own, their
   texts are at least GAP_RATIO alike. A law article rewritten in place (第三十六条 replaced by a new
   text, numbered 第三十五条 after a deletion) is thus 修改, as the amending decision itself says
   "修改为"; a plan task under a new heading needs some text in common. With several of a level on
   either side (a law revised throughout), the pairs at least GAP_MANY_RATIO alike are taken, most similar
   first and never crossing each other; each new pair splits its gap, and the pass repeats.
3. Moved: a pair whose new parent is not the counterpart of its old parent (both parents unpaired counts
   as the same parent: a section rewritten beyond recognition keeps its tasks), or which leaves the
   order of its siblings (not on the longest increasing run of new positions among them).
4. Status: 移动 for moved pairs; else 未变 when the texts are equal as the matcher compares them
   (folded, without whitespace or number labels), else 修改. Unpaired old clauses are 删除, unpaired
   new ones 新增.
"""

from __future__ import annotations

import bisect
import itertools
from collections.abc import Sequence
from dataclasses import dataclass

from app.core import anchor
from app.core.models import HEADED_LEVELS, Clause, Document

GAP_RATIO = 0.3
GAP_MANY_RATIO = 0.5


def display_text(c: Clause) -> str:
    """A clause as a comparison shows and diffs it: a task's heading and text run on (its heading is its first
    sentence); a section's or chapter's heading on a line of its own above its text. No number label."""
    if c.level in HEADED_LEVELS or not c.heading:
        return c.full_text if c.full_text.startswith(c.heading) else c.heading + c.full_text
    return f"{c.heading}\n{c.text}" if c.text else c.heading


@dataclass(frozen=True)
class RawPair:
    old: int | None  # index into the old clauses
    new: int | None  # index into the new clauses
    similarity: float
    reason: str
    moved: bool = False


def longest_increasing(values: Sequence[int]) -> set[int]:
    """Indexes (into `values`) of one longest strictly increasing subsequence (patience sorting)."""
    tails: list[int] = []  # tails[k]: the smallest last value of an increasing run of length k+1
    tail_at: list[int] = []  # index of that value
    back: list[int] = [-1] * len(values)
    for i, v in enumerate(values):
        k = bisect.bisect_left(tails, v)
        if k == len(tails):
            tails.append(v)
            tail_at.append(i)
        else:
            tails[k], tail_at[k] = v, i
        back[i] = tail_at[k - 1] if k else -1
    out: set[int] = set()
    i = tail_at[-1] if tail_at else -1
    while i >= 0:
        out.add(i)
        i = back[i]
    return out


def pair_clauses(old_doc: Document, old: Sequence[Clause], new_doc: Document,
                 new: Sequence[Clause]) -> list[RawPair]:
    """Every old and every new clause in exactly one pair; sorted in the new version's order, a deleted
    clause right after the pair of its nearest preceding old clause."""
    new_index = {c.id: i for i, c in enumerate(new)}
    matched: dict[int, int] = {}
    score: dict[int, tuple[float, str]] = {}
    found = anchor.align(old_doc, old, new_doc, new)
    for i, c in enumerate(old):
        res = found[c.id]
        if res.clause_id is not None and res.clause_id in new_index:
            matched[i] = new_index[res.clause_id]
            score[i] = (res.score, res.reason)
    _fill_gaps(old, new, matched, score)
    moved = _moves(old, new, matched)
    pairs = [RawPair(o, n, score[o][0], score[o][1], o in moved) for o, n in matched.items()]
    taken = set(matched.values())
    pairs += [RawPair(None, n, 0.0, "") for n in range(len(new)) if n not in taken]
    pairs += [RawPair(o, None, 0.0, "") for o in range(len(old)) if o not in matched]
    return sorted(pairs, key=lambda p: _order(p, matched))


def _order(p: RawPair, matched: dict[int, int]) -> tuple[int, int, int]:
    if p.new is not None:
        return (p.new, 0, 0)
    assert p.old is not None
    before = max((o for o in matched if o < p.old), default=None)
    return (matched[before] if before is not None else -1, 1, p.old)


def _fill_gaps(old: Sequence[Clause], new: Sequence[Clause], matched: dict[int, int],
               score: dict[int, tuple[float, str]]) -> None:
    """Pair unpaired clauses of a level between two pairs both versions agree on (see module doc), until
    nothing more pairs (each new pair splits its gap)."""
    while _fill_pass(old, new, matched, score):
        pass


def _fill_pass(old: Sequence[Clause], new: Sequence[Clause], matched: dict[int, int],
               score: dict[int, tuple[float, str]]) -> bool:
    order = sorted(matched)
    backbone = [order[k] for k in sorted(longest_increasing([matched[o] for o in order]))]
    taken = set(matched.values())
    bounds = [(-1, -1), *((o, matched[o]) for o in backbone), (len(old), len(new))]
    found = False
    for (o1, n1), (o2, n2) in itertools.pairwise(bounds):
        olds = [o for o in range(o1 + 1, o2) if o not in matched]
        news = [n for n in range(n1 + 1, n2) if n not in taken]
        for level in dict.fromkeys(old[o].level for o in olds):
            lo = [o for o in olds if old[o].level == level]
            ln = [n for n in news if new[n].level == level]
            if not ln:
                continue
            for o, n, ratio in _gap_pairs(old, new, lo, ln):
                matched[o] = n
                score[o] = (round(ratio, 4), "same place")
                taken.add(n)
                found = True
    return found


def _gap_pairs(old: Sequence[Clause], new: Sequence[Clause], lo: list[int], ln: list[int]
               ) -> list[tuple[int, int, float]]:
    """The pairs to make in one gap among the unpaired clauses of one level (old indexes, new indexes).

    One on each side: they pair (for clauses with a heading, from GAP_RATIO). Several: the most similar
    pairs from GAP_MANY_RATIO, best first, never crossing one another (the order of both versions kept)."""
    if len(lo) == 1 and len(ln) == 1:
        a, b = old[lo[0]], new[ln[0]]
        ratio = anchor.similarity(display_text(a), display_text(b))
        if (a.heading or b.heading) and ratio < GAP_RATIO:
            return []
        return [(lo[0], ln[0], ratio)]
    scored = []
    for o in lo:
        for n in ln:
            ratio = anchor.similarity(display_text(old[o]), display_text(new[n]), GAP_MANY_RATIO)
            if ratio >= GAP_MANY_RATIO:
                scored.append((ratio, o, n))
    chosen: list[tuple[int, int, float]] = []
    for ratio, o, n in sorted(scored, reverse=True):
        if all(o != co and n != cn and (o < co) == (n < cn) for co, cn, _ in chosen):
            chosen.append((o, n, ratio))
    return chosen


def _moves(old: Sequence[Clause], new: Sequence[Clause], matched: dict[int, int]) -> set[int]:
    """Old indexes of the pairs that moved: to another parent, or out of their siblings' order."""
    old_pos = {c.id: i for i, c in enumerate(old)}
    new_pos = {c.id: i for i, c in enumerate(new)}
    new_of = {o: n for o, n in matched.items()}
    paired_new = set(matched.values())
    moved: set[int] = set()
    siblings: dict[int | None, list[int]] = {}
    for o in sorted(matched):
        n = new_of[o]
        old_parent, new_parent = old[o].parent_id, new[n].parent_id
        op = old_pos.get(old_parent) if old_parent else None
        np_ = new_pos.get(new_parent) if new_parent else None
        same = (new_of.get(op) == np_) if op is not None else np_ is None
        if op is not None and np_ is not None and op not in matched and np_ not in paired_new:
            same = True  # both parents unpaired: the parent was rewritten, its children stayed
        if same:
            siblings.setdefault(np_, []).append(o)
        else:
            moved.add(o)
    for group in siblings.values():
        keep = longest_increasing([new_of[o] for o in group])
        moved.update(o for k, o in enumerate(group) if k not in keep)
    return moved
