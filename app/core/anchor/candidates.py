"""Candidate finding of the re-anchoring matcher: the clauses an anchor may be on now, each with its
evidence (same id, same heading path, same heading, text) and similarity, strongest evidence first."""

from __future__ import annotations

from dataclasses import dataclass, field

from app.core.anchor.keys import _bigrams, _heading_key, _path_keys, _sha1, _similarity
from app.core.anchor.model import Anchor
from app.core.anchor.thresholds import (
    _FLOOR,
    CONTAIN,
    HEADING_RATIO,
    ID_CONTAIN_FLOOR,
    ID_RATIO,
    SHORT_RATIO,
    SHORT_TEXT,
    STRONG,
    TEXT_CONTAIN_FLOOR,
    TEXT_RATIO,
)
from app.core.anchor.view import _View


@dataclass(slots=True, eq=False)
class _Group:
    """The tasks sharing one anchor (same clause, same text): they resolve together."""

    anchor: Anchor
    tasks: list[str]
    key: str
    heading: str  # own heading without its number label ("" for articles and untitled blocks)
    path: tuple[str, ...]  # folded path
    denum_path: tuple[str, ...]  # folded path without number labels
    views: list[_View] = field(default_factory=list)
    best_rejected: float = 0.0
    lost: bool = False  # an admissible clause went to another bookmark
    complete: bool = False  # every candidate was scored (not stopped at a strong one)


@dataclass(slots=True)
class _Cand:
    group: _Group
    view: _View
    rank: int  # the view's place in the group's views: own document first, then newest version first
    index: int
    tier: str  # "id" | "path" | "heading" | "text"
    reason: str
    ratio: float
    contain: float
    exact: bool

    @property
    def target(self) -> tuple[str, int]:
        return self.view.doc.id, self.index


def _relations(g: _Group, view: _View, i: int) -> list[tuple[str, str]]:
    """The evidence linking the anchor to clause i, strongest first: (tier, reason), text always last."""
    where = "" if view.doc.id == g.anchor.doc_id else " in newer version"
    out: list[tuple[str, str]] = []
    if view.rel(i) == g.anchor.relative_id:
        out.append(("id", "same id" + where))
    c = view.clauses[i]
    if g.heading and c.heading and _heading_key(c.heading) == g.heading:
        raw, denum = _path_keys(c.path)
        if raw == g.path:
            out.append(("path", "same heading path" + where))
        elif denum == g.denum_path:
            out.append(("path", "same heading, renumbered" + where))
        else:
            out.append(("heading", "same heading" + where))
    out.append(("text", ""))
    return out


def _admits(tier: str, ratio: float, contain: float, shortest: int) -> bool:
    if tier == "id":
        return ratio >= ID_RATIO or (contain >= CONTAIN and ratio >= ID_CONTAIN_FLOOR)
    if tier == "path":
        return True
    if tier == "heading":
        return ratio >= HEADING_RATIO
    if shortest < SHORT_TEXT:
        return ratio >= SHORT_RATIO
    return ratio >= TEXT_RATIO or (contain >= CONTAIN and ratio >= TEXT_CONTAIN_FLOOR)


def _score(g: _Group, rank: int, i: int, floor: float = 0.0) -> _Cand | None:
    """The candidate for clause i of the group's view `rank`, or None when no tier admits it.

    `floor` > 0 returns None early when the ratio is surely below it.
    """
    view = g.views[rank]
    key = view.key(i)
    relations = _relations(g, view, i)
    if key == g.key:
        tier, reason = relations[0]
        return _Cand(g, view, rank, i, tier, reason or "identical text", 1.0, 1.0, True)
    if not key or not g.key:
        return None
    sim = _similarity(key, g.key, max(floor, min(_FLOOR[t] for t, _ in relations)))
    if sim is None:
        return None
    ratio, contain = sim
    shortest = min(len(key), len(g.key))
    for tier, reason in relations:
        if _admits(tier, ratio, contain, shortest):
            return _Cand(g, view, rank, i, tier, reason or f"text similarity {ratio:.2f}", ratio, contain, False)
    g.best_rejected = max(g.best_rejected, ratio)
    return None


class _Search:
    """The search of `_candidates` for one group: the candidates found so far and the stop rule."""

    def __init__(self, g: _Group, full: bool) -> None:
        self.g = g
        self.full = full
        self.out: list[_Cand] = []
        self.seen: set[tuple[int, int]] = set()  # (rank, index)

    def best(self) -> float:
        return max((c.ratio for c in self.out), default=0.0)

    def floor(self) -> float:
        return self.best() if not self.full and self.best() >= STRONG else 0.0

    def consider(self, rank: int, i: int, at_least: float = 0.0) -> None:
        if (rank, i) in self.seen:
            return
        cand = _score(self.g, rank, i, at_least)
        if cand is not None and (cand.ratio >= at_least or cand.exact):
            self.seen.add((rank, i))
            self.out.append(cand)

    def identical(self) -> None:
        """Clauses with the anchor's text, by fingerprint."""
        fp = _sha1(self.g.key)
        for rank, view in enumerate(self.g.views):
            for i in view.by_fingerprint().get(fp, ()):
                self.consider(rank, i)

    def by_position(self) -> list[int | None]:
        """The clause at the anchor's relative id, those with its heading, and (unless `full`) the neighbours
        of the old position; returns the relative id's index in each view (None: not there)."""
        g = self.g
        # Position first, but unless `full` only a strong match there: a weak one costs a full difflib and
        # is scored last, when nothing better turned up.
        rels = [view.by_rel.get(g.anchor.relative_id) for view in g.views]
        for rank, (view, i_rel) in enumerate(zip(g.views, rels, strict=True)):
            if i_rel is not None:
                self.consider(rank, i_rel, 0.0 if self.full else STRONG)
            for i in view.by_heading().get(g.heading, ())[:8] if g.heading else ():
                self.consider(rank, i)
            if not self.full and g.key and i_rel is not None:
                # Renumbered by an insertion or a deletion nearby: a neighbour of the old position may hold
                # the text, even when the clause now at the old number looks alike (formulaic articles).
                for i in (i_rel + 1, i_rel - 1, i_rel + 2, i_rel - 2):
                    if 0 <= i < len(view.clauses):
                        self.consider(rank, i, max(STRONG, self.best()))
        return rels

    def by_shortlist(self) -> bool:
        """The bigram shortlist of every view; True when a strong match ends the search."""
        grams = _bigrams(self.g.key)
        for rank, view in enumerate(self.g.views if grams else ()):
            for i in view.shortlist(grams):
                self.consider(rank, i, self.floor())
            if self.floor():
                return True
        return False


def _candidates(g: _Group, full: bool) -> list[_Cand]:
    """Admissible clauses for the group, strongest evidence first.

    Unless `full`, the search stops at identical text, or once a clause scores STRONG; later stages
    then only take clauses that beat it. A group stopped early is searched again in full if its
    clause goes to another bookmark.
    """
    search = _Search(g, full)
    if g.key:
        search.identical()
        if search.out and not full:
            return search.out
    rels = search.by_position()
    if search.floor() or search.by_shortlist():
        return search.out
    for rank, i_rel in enumerate(rels):
        if i_rel is not None:
            search.consider(rank, i_rel)
    g.complete = True
    return search.out
