"""Assignment of the re-anchoring matcher: all admissible (anchor, clause) pairs, greedily, best first; a
clause is shared only by bookmarks on old clauses that were merged into it."""

from __future__ import annotations

from collections.abc import Mapping

from app.core.anchor.candidates import _Cand, _candidates, _Group
from app.core.anchor.keys import _content, _heading_key, _path_keys, text_key
from app.core.anchor.model import Anchor, Resolution, State, _anchor
from app.core.anchor.thresholds import _BONUS, CONTAIN


def _result(c: _Cand) -> Resolution:
    g, clause = c.group, c.view.clauses[c.index]
    state: State = ("ok" if clause.id == g.anchor.clause_id else "moved") if c.exact else "changed"
    new = g.anchor if state == "ok" else _anchor(clause, c.view.doc, c.view.key(c.index))
    return Resolution(state, clause.id, clause.doc_id, round(c.ratio, 4), c.reason, g.anchor, new)


def _missing(g: _Group, reason: str = "") -> Resolution:
    if not reason:
        if g.lost:
            reason = "matching clause taken by another bookmark"
        elif g.best_rejected:
            reason = f"no match (best similarity {g.best_rejected:.2f})"
        else:
            reason = "no similar clause"
    return Resolution("missing", None, None, round(g.best_rejected, 4), reason, g.anchor, None)


def _groups(anchors: Mapping[str, Anchor]) -> dict[tuple[str, str, str], _Group]:
    """The anchors grouped by clause and text: tasks sharing one resolve together."""
    groups: dict[tuple[str, str, str], _Group] = {}
    for task, a in anchors.items():
        g = groups.get((a.doc_id, a.clause_id, a.fingerprint))
        if g is None:
            path, denum = _path_keys(a.path)
            heading = _heading_key(a.heading) if a.heading else ""
            g = _Group(a, [], text_key(_content(a.heading, a.text)), heading, path, denum)
            groups[(a.doc_id, a.clause_id, a.fingerprint)] = g
        g.tasks.append(task)
    return groups


def _resolve(pending: list[_Group], final: dict[_Group, Resolution], taken: dict[tuple[str, int], list[_Group]],
             merge: bool) -> None:
    """Assign the pending groups (their candidate views set) to clauses; unassigned ones are missing."""
    best: dict[_Group, tuple[str, int]] = {}  # each group's best clause
    _assign([c for g in pending for c in _candidates(g, full=False)], taken, final, best, merge)
    # Anchors whose strong match went to another bookmark: now score everything else too.
    retry = [g for g in pending if g not in final and not g.complete]
    if retry:
        _assign([c for g in retry for c in _candidates(g, full=True)], taken, final, best, merge)
    for g in pending:
        if g not in final:
            final[g] = _missing(g)


def _assign(pool: list[_Cand], taken: dict[tuple[str, int], list[_Group]], final: dict[_Group, Resolution],
            best: dict[_Group, tuple[str, int]], merge: bool) -> None:
    """Greedy best-first assignment: identical texts first, then by similarity (position breaks ties)."""
    pool.sort(key=lambda c: (not c.exact, -(c.ratio + _BONUS[c.tier]), c.rank, c.index))
    for c in pool:
        g = c.group
        if g in final:
            continue
        first = best.setdefault(g, c.target) == c.target
        holders = taken.setdefault(c.target, [])
        if holders and not (merge and first and _merged(c, holders, best)):
            g.lost = True
            continue
        holders.append(g)
        final[g] = _result(c)


def _merged(c: _Cand, holders: list[_Group], best: dict[_Group, tuple[str, int]]) -> bool:
    """Whether bookmarks on different old clauses may share c's clause: the old clauses were merged.

    It must be the best match of each of them, c's old text must survive in it almost whole, and it
    must be long enough to hold all their old texts (a near-twin of the same length is no merge).
    """
    if c.contain < CONTAIN or any(best.get(h) != c.target for h in holders):
        return False
    return len(c.view.key(c.index)) >= CONTAIN * (sum(len(h.key) for h in holders) + len(c.group.key))
