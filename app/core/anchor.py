"""Bookmark anchors: keep a task on its clause when a document is re-indexed or replaced by a new version.

A task remembers the clause it was made on as an `Anchor`: the clause id (stable across re-indexing
of the same text), the heading path, a fingerprint of the normalised text and a snapshot of the text.
When the library changes (an edited file, a 征求意见稿 replaced by the 正式稿 under a new doc id, an
amended law), `reanchor` finds each anchor's clause again, strongest evidence first:

1. identical text (fingerprint) at the same id: `ok`; identical text anywhere else: `moved`;
2. the same id (in the same document, or the same relative id in a newer version) with similar text;
3. the same heading: same heading path, same heading under a renumbered section, or the heading alone;
4. text similarity over the candidate documents (a rare-bigram shortlist, then difflib on a few).

Candidate documents are the anchor's own document (when still there) plus the newer versions of it:
documents with the same `version_key` (`filters.title_key`: folded, 中华人民共和国 and a trailing
（…） such as （征求意见稿） dropped; a bare 征求意见稿/草案 suffix is dropped too). Only their clauses
are loaded, and only when an anchor needs them. Version links (`app.core.versions`: confirmed by the user or
detected with certainty) add their newer documents whatever the titles say; a rejected link removes its pair.
`reanchor_in` searches one given document instead (carrying work to a version the user named), and `align`
pairs every clause of one version with the other (`app.core.compare`), both with the same evidence.

All admissible (anchor, clause) pairs are assigned greedily, best first, so two bookmarks on
different old clauses do not share a new clause unless it is the best match of both and holds both
old texts almost whole (two clauses merged into one). An anchor without an admissible clause is
`missing`: the task keeps its anchor (and so the old text) and is flagged.

Thresholds. "ratio" is 2·M/(|a|+|b|) and "contain" M/min(|a|,|b|), M being the characters matched
(`_similarity`: common prefix and suffix, difflib in between) of the folded, whitespace-free texts of
heading + text. Measured on the shipped corpus (4,528 clauses, 69 documents):

- Consecutive clauses of the same level (what an id points at after renumbering): p50 0.18,
  p95 0.44, p99 0.63. The same id is accepted from 0.6: a neighbour passes 1.3% of the time, and
  then only when the real successor is not found with a better score.
- The most similar other clause of the same document (what a deleted clause could be taken for):
  p50 0.32, p95 0.60, p99 0.75, max 0.96 (formulaic penalty articles). Text alone is accepted from
  0.75, where 0.7% of deleted clauses of 20+ characters would find a wrong clause (4.3% at 0.6);
  with the containment rule below, 1.0%. These are upper bounds: the look-alike is usually taken
  by its own bookmark or by identical text first.
- Simulated edits of 1,500 clauses: a 2–4 character word replaced: p1 0.89; a sentence appended:
  p5 0.63; a sentence deleted: p5 0.46. Ratio ≥ 0.75 alone keeps 79% of appends and 64% of
  deletions; adding "contain ≥ 0.9 with ratio ≥ 0.5" keeps 99% and 92%.
- A heading path that is the same (numbers aside) is the evidence itself: a plan task keeps its
  bookmark even when its body is rewritten (a rewrite of 五/（二）/1 scores 0.19). The same heading
  found elsewhere needs 0.3, which refuses a reused heading over unrelated text.
- Texts under 20 characters (bare container headings: 持续深入打好碧水保卫战 vs 净土保卫战 is 0.82)
  match by text alone only from 0.9.

Speed: an unchanged clause costs a dict lookup and one key. Otherwise identical text is found by
fingerprint, renumbered clauses at the neighbours of the old position, and only the rest goes
through the bigram shortlist (built once per document) and difflib on the few clauses it returns.
"""

from __future__ import annotations

import difflib
import hashlib
import operator
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import chain
from typing import Any, Literal

from app.core.filters import title_key
from app.core.models import Clause, Document
from app.core.normalize import fold_char

State = Literal["ok", "moved", "changed", "missing"]

# -- thresholds (the module docstring gives the data behind them) ----------------------------------
ID_RATIO = 0.6  # same id, or the same relative id in a newer version
ID_CONTAIN_FLOOR = 0.4  # ... or contain >= CONTAIN with at least this ratio
HEADING_RATIO = 0.3  # the same heading elsewhere (a heading path that is the same needs no similarity)
TEXT_RATIO = 0.75  # text similarity alone
TEXT_CONTAIN_FLOOR = 0.5  # ... or contain >= CONTAIN with at least this ratio
CONTAIN = 0.9  # the shorter text survives almost whole in the other (a sentence appended or deleted)
SHORT_TEXT = 20  # characters; shorter texts match by text alone only from SHORT_RATIO
SHORT_RATIO = 0.9
STRONG = 0.9  # a candidate this good ends the search for an anchor (weaker ones only if it is taken)
SHORTLIST = 4  # clauses per candidate document scored after the bigram prefilter
RARE_BIGRAMS = 32  # the anchor's rarest bigrams that pick the shortlist ...
SHORTLIST_POSTINGS = 1000  # ... as long as their clause lists stay this short in all (big documents)
_FLOOR = {"id": ID_CONTAIN_FLOOR, "path": 0.0, "heading": HEADING_RATIO, "text": TEXT_CONTAIN_FLOOR}
_BONUS = {"id": 0.02, "path": 0.01, "heading": 0.005, "text": 0.0}  # tie-breaks: position before text

_DRAFT = re.compile(r"征求意见稿|草案|送审稿|讨论稿|审议稿")
_DRAFT_SUFFIX = re.compile(r"[-—_·\s]*(?:征求意见稿|修订草案|草案|送审稿|讨论稿|审议稿)$")
# A number label at the start of a folded path element: 一、 (二) 第三章 第五条之一 4.
_LABEL = re.compile(
    r"^(?:[一二三四五六七八九十百零〇两]{1,6}、"
    r"|\([一二三四五六七八九十百零〇两\d]{1,6}\)"
    r"|第[零〇一二三四五六七八九十百千两\d]{1,12}[编章节条](?:之[一二三四五六七八九十]{1,3})?"
    r"|\d{1,3}[.、])"
)


# -- text keys ----------------------------------------------------------------------------------------
class _FoldTable(dict[int, str]):
    """`str.translate` table doing `compact(fold(ch))` per character, filled on first use."""

    def __missing__(self, code: int) -> str:
        value = "".join(fold_char(chr(code)).split())
        self[code] = value
        return value


_FOLD = _FoldTable()


def text_key(text: str) -> str:
    """`compact(fold(text))`, at `str.translate` speed: what fingerprints and similarities compare."""
    return text.translate(_FOLD)


def _content(heading: str, full_text: str) -> str:
    """Heading and text (a task's full text already starts with its heading)."""
    return full_text if full_text.startswith(heading) else heading + full_text


def _sha1(key: str) -> str:
    return hashlib.sha1(key.encode("utf-8")).hexdigest()


def _heading_key(heading: str) -> str:
    """A heading without its number label: `（二）持续深入打好碧水保卫战` → `持续深入打好碧水保卫战`."""
    return _LABEL.sub("", text_key(heading), count=1)


def version_key(title: str) -> str:
    """Titles of the versions of one document share this key (征求意见稿 and 正式稿, amended laws)."""
    return _DRAFT_SUFFIX.sub("", title_key(title))


def _recency(doc: Document) -> tuple[bool, str]:
    """Order of versions: any final text after the drafts, then by version date."""
    return (not _DRAFT.search(doc.title), doc.date or "")


def _common_prefix(a: str, b: str, limit: int) -> int:
    lo, hi = 0, limit
    while lo < hi:  # binary search on slice equality: C-speed comparisons
        mid = (lo + hi + 1) // 2
        if a[:mid] == b[:mid]:
            lo = mid
        else:
            hi = mid - 1
    return lo


def _similarity(a: str, b: str, floor: float) -> tuple[float, float] | None:
    """(ratio, contain) of two non-empty keys, or None when the ratio is surely below `floor`.

    The common prefix and suffix match as they are; difflib matches what lies between. An edit in a
    long clause thus costs a few characters of difflib, not the whole clause.
    """
    la, lb = len(a), len(b)
    shortest = min(la, lb)
    if 2.0 * shortest / (la + lb) < floor:
        return None
    pre = _common_prefix(a, b, shortest)
    suf = _common_prefix(a[::-1], b[::-1], shortest - pre)
    mid_a, mid_b = a[pre:la - suf], b[pre:lb - suf]
    matched = pre + suf
    if mid_a and mid_b:
        # Characters in common (as multisets) bound what difflib can match: a cheap refusal first.
        common = (Counter(mid_a) & Counter(mid_b)).total()
        if 2.0 * (matched + common) / (la + lb) < floor:
            return None
        sm = difflib.SequenceMatcher(None, mid_a, mid_b, autojunk=False)
        matched += sum(block.size for block in sm.get_matching_blocks())
    return 2.0 * matched / (la + lb), matched / shortest


# -- public data ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Anchor:
    """Where a bookmark points: enough to find the clause again after its document changed."""

    clause_id: str
    doc_id: str
    doc_title: str
    path: tuple[str, ...]
    heading: str
    fingerprint: str  # sha1 of text_key(heading + text)
    text: str  # the clause's full text when the bookmark was made (shown when the clause is gone)

    @property
    def relative_id(self) -> str:
        """The clause id without its document: `四/（二）/3`, `第五条`."""
        prefix = self.doc_id + "/"
        return self.clause_id[len(prefix):] if self.clause_id.startswith(prefix) else self.clause_id

    def to_json(self) -> dict[str, Any]:
        return {
            "clause_id": self.clause_id, "doc_id": self.doc_id, "doc_title": self.doc_title,
            "path": list(self.path), "heading": self.heading, "fingerprint": self.fingerprint, "text": self.text,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Anchor:
        return cls(
            clause_id=str(data["clause_id"]), doc_id=str(data["doc_id"]), doc_title=str(data.get("doc_title", "")),
            path=tuple(str(p) for p in data.get("path", ())), heading=str(data.get("heading", "")),
            fingerprint=str(data["fingerprint"]), text=str(data.get("text", "")),
        )


def anchor_for(clause: Clause, doc: Document) -> Anchor:
    """The anchor of a bookmark made on `clause` (of `doc`) now."""
    return _anchor(clause, doc, text_key(_content(clause.heading, clause.full_text)))


def _anchor(clause: Clause, doc: Document, key: str) -> Anchor:
    return Anchor(clause_id=clause.id, doc_id=clause.doc_id, doc_title=doc.title, path=clause.path,
                  heading=clause.heading, fingerprint=_sha1(key), text=clause.full_text)


@dataclass(frozen=True)
class Resolution:
    """Where a bookmark's clause is now.

    state: "ok" (same id, same text), "moved" (same text, other id or newer version), "changed"
    (attached, text edited: 条款内容已修改), "missing" (no match: keep the old anchor and its text,
    原条款已变更或删除).
    """

    state: State
    clause_id: str | None  # the clause now; None when missing
    doc_id: str | None
    score: float  # similarity 0..1 of old and new text; for missing, the best one turned down
    reason: str  # English, for logs and tooltips: "same id", "same heading path", "text similarity 0.83"
    anchor: Anchor  # the bookmark as it was
    new_anchor: Anchor | None = field(default=None, compare=False)  # the anchor of the clause now

    @property
    def attached(self) -> bool:
        return self.state != "missing"


# -- one candidate document, its lookups built on first use ---------------------------------------------
class _View:
    def __init__(self, doc: Document, clauses: Sequence[Clause]) -> None:
        self.doc = doc
        self.clauses = tuple(clauses)
        prefix = doc.id + "/"
        self.by_rel = {(c.id[len(prefix):] if c.id.startswith(prefix) else c.id): i
                       for i, c in enumerate(self.clauses)}
        self._keys: list[str | None] = [None] * len(self.clauses)
        self._fp: dict[str, list[int]] | None = None
        self._headings: dict[str, list[int]] | None = None
        self._postings: dict[str, list[int]] | None = None  # bigram → clauses having it

    def rel(self, i: int) -> str:
        cid, prefix = self.clauses[i].id, self.doc.id + "/"
        return cid[len(prefix):] if cid.startswith(prefix) else cid

    def key(self, i: int) -> str:
        k = self._keys[i]
        if k is None:
            c = self.clauses[i]
            k = self._keys[i] = text_key(_content(c.heading, c.full_text))
        return k

    def by_fingerprint(self) -> dict[str, list[int]]:
        if self._fp is None:
            self._fp = {}
            for i in range(len(self.clauses)):
                if k := self.key(i):
                    self._fp.setdefault(_sha1(k), []).append(i)
        return self._fp

    def by_heading(self) -> dict[str, list[int]]:
        if self._headings is None:
            self._headings = {}
            for i, c in enumerate(self.clauses):
                if c.heading and (h := _heading_key(c.heading)):
                    self._headings.setdefault(h, []).append(i)
        return self._headings

    def shortlist(self, grams: set[str]) -> list[int]:
        """The clauses sharing most of the anchor's rarest bigrams (short posting lists), best first."""
        if self._postings is None:
            postings: defaultdict[str, list[int]] = defaultdict(list)
            for i in range(len(self.clauses)):
                for g in _bigrams(self.key(i)):
                    postings[g].append(i)
            self._postings = dict(postings)
        found = self._postings
        used: list[list[int]] = []
        total = 0
        for ids in sorted([found[g] for g in grams if g in found], key=len)[:RARE_BIGRAMS]:
            if used and total + len(ids) > SHORTLIST_POSTINGS:
                break
            used.append(ids)
            total += len(ids)
        return [i for i, _ in Counter(chain.from_iterable(used)).most_common(SHORTLIST)]


def _bigrams(key: str) -> set[str]:
    if len(key) < 2:
        return {key} if key else set()
    return set(map(operator.add, key, key[1:]))


# -- matching -------------------------------------------------------------------------------------------
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


def _path_keys(path: Sequence[str]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    raw = tuple(text_key(p) for p in path)
    return raw, tuple(_LABEL.sub("", p, count=1) for p in raw)


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


def _candidates(g: _Group, full: bool) -> list[_Cand]:
    """Admissible clauses for the group, strongest evidence first.

    Unless `full`, the search stops at identical text, or once a clause scores STRONG; later stages
    then only take clauses that beat it. A group stopped early is searched again in full if its
    clause goes to another bookmark.
    """
    out: list[_Cand] = []
    seen: set[tuple[int, int]] = set()  # (rank, index)

    def best() -> float:
        return max((c.ratio for c in out), default=0.0)

    def floor() -> float:
        return best() if not full and best() >= STRONG else 0.0

    def consider(rank: int, i: int, at_least: float = 0.0) -> None:
        if (rank, i) in seen:
            return
        cand = _score(g, rank, i, at_least)
        if cand is not None and (cand.ratio >= at_least or cand.exact):
            seen.add((rank, i))
            out.append(cand)

    if g.key:
        fp = _sha1(g.key)
        for rank, view in enumerate(g.views):
            for i in view.by_fingerprint().get(fp, ()):
                consider(rank, i)
        if out and not full:
            return out
    # Position first, but unless `full` only a strong match there: a weak one costs a full difflib and
    # is scored last, when nothing better turned up.
    rels = [view.by_rel.get(g.anchor.relative_id) for view in g.views]
    for rank, (view, i_rel) in enumerate(zip(g.views, rels, strict=True)):
        if i_rel is not None:
            consider(rank, i_rel, 0.0 if full else STRONG)
        for i in view.by_heading().get(g.heading, ())[:8] if g.heading else ():
            consider(rank, i)
        if not full and g.key and i_rel is not None:
            # Renumbered by an insertion or a deletion nearby: a neighbour of the old position may hold
            # the text, even when the clause now at the old number looks alike (formulaic articles).
            for i in (i_rel + 1, i_rel - 1, i_rel + 2, i_rel - 2):
                if 0 <= i < len(view.clauses):
                    consider(rank, i, max(STRONG, best()))
    if floor():
        return out
    grams = _bigrams(g.key)
    for rank, view in enumerate(g.views if grams else ()):
        for i in view.shortlist(grams):
            consider(rank, i, floor())
        if floor():
            return out
    for rank, i_rel in enumerate(rels):
        if i_rel is not None:
            consider(rank, i_rel)
    g.complete = True
    return out


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


class _Library:
    """The documents by id and by version key; their clauses loaded once, on demand.

    `links` (old doc id → newer doc ids) are version links the user confirmed or the library detected
    with certainty (`app.core.versions`): followed whatever the titles say. `unlinked` holds (old, new)
    pairs the user rejected: never followed, even when the titles share a version key.
    """

    def __init__(self, docs: Sequence[Document], clauses_of: Callable[[str], Sequence[Clause]],
                 links: Mapping[str, Sequence[str]] | None = None,
                 unlinked: Collection[tuple[str, str]] = ()) -> None:
        self.by_id = {d.id: d for d in docs}
        self.by_key: dict[str, list[Document]] = {}
        for d in docs:
            self.by_key.setdefault(version_key(d.title), []).append(d)
        self._clauses_of = clauses_of
        self._views: dict[str, _View] = {}
        self._newer: dict[tuple[str, str], list[Document]] = {}
        self._links = links or {}
        self._unlinked = set(unlinked)

    def linked(self, doc_id: str) -> list[str]:
        """Every document a chain of version links leads to from `doc_id` (nearest first)."""
        out: list[str] = []
        todo = list(self._links.get(doc_id, ()))
        while todo:
            d = todo.pop(0)
            if d != doc_id and d not in out:
                out.append(d)
                todo.extend(self._links.get(d, ()))
        return out

    def view(self, doc: Document) -> _View:
        v = self._views.get(doc.id)
        if v is None:
            v = self._views[doc.id] = _View(doc, self._clauses_of(doc.id))
        return v

    def newer(self, anchor: Anchor) -> list[Document]:
        """Newer versions of the anchor's document, newest first."""
        cache_key = (anchor.doc_id, anchor.doc_title)
        if cache_key in self._newer:
            return self._newer[cache_key]
        own = self.by_id.get(anchor.doc_id)
        keys = {version_key(anchor.doc_title)} | ({version_key(own.title)} if own else set())
        found = {d.id: d for k in keys for d in self.by_key.get(k, ())
                 if d.id != anchor.doc_id and (anchor.doc_id, d.id) not in self._unlinked}
        if own is not None:
            out = [d for d in found.values() if _recency(d) > _recency(own)]
        else:  # the old version is gone: any version, but not a draft after a final text
            draft = bool(_DRAFT.search(anchor.doc_title))
            out = [d for d in found.values() if draft or not _DRAFT.search(d.title)]
        out = sorted(out, key=_recency, reverse=True)
        linked = [self.by_id[i] for i in self.linked(anchor.doc_id) if i in self.by_id]
        # Linked versions first, newest (furthest along the chain) first; then the ones the titles suggest.
        self._newer[cache_key] = out = list({d.id: d for d in (*reversed(linked), *out)}.values())
        return out


def reanchor(
    anchors: Mapping[str, Anchor],
    docs: Sequence[Document],
    clauses_of: Callable[[str], Sequence[Clause]],
    *,
    follow_newer: bool = False,
    merge: bool = True,
    links: Mapping[str, Sequence[str]] | None = None,
    unlinked: Collection[tuple[str, str]] = (),
) -> dict[str, Resolution]:
    """Find every bookmark's clause in the library as it is now.

    Args:
        anchors: task id → the anchor saved with the task.
        docs: the documents in the library now.
        clauses_of: doc id → its clauses; called at most once per document, only for candidate documents.
        follow_newer: move bookmarks to the newest version of their document even while the old version
            is still in the library (by default a clause that is still there keeps its bookmarks).
        merge: let bookmarks on two old clauses that were merged into one both follow it; with False
            every clause takes at most one old clause's bookmarks (the other one is missing).
        links: old doc id → ids of its newer versions by a version link (confirmed, or detected with
            certainty): candidates whatever their titles.
        unlinked: (old doc id, new doc id) pairs never to follow (a version link the user rejected).

    Returns:
        task id → Resolution, for every task of `anchors`.
    """
    lib = _Library(docs, clauses_of, links, unlinked)
    groups = _groups(anchors)
    final: dict[_Group, Resolution] = {}
    taken: dict[tuple[str, int], list[_Group]] = {}
    pending: list[_Group] = []
    for g in groups.values():
        a = g.anchor
        own = lib.by_id.get(a.doc_id)
        newer = lib.newer(a)
        if own is not None and not (follow_newer and newer):
            view = lib.view(own)
            i = view.by_rel.get(a.relative_id)
            if i is not None and view.key(i) == g.key:  # unchanged: the common case, no search
                final[g] = Resolution("ok", a.clause_id, a.doc_id, 1.0, "same id", a, a)
                taken[(own.id, i)] = [g]
                continue
            g.views.append(view)
        g.views.extend(lib.view(d) for d in newer)
        if g.views:
            pending.append(g)
        else:
            final[g] = _missing(g, "document not found")
    _resolve(pending, final, taken, merge)
    return {task: final[g] for g in groups.values() for task in g.tasks}


def reanchor_in(anchors: Mapping[str, Anchor], doc: Document, clauses: Sequence[Clause], *,
                merge: bool = True) -> dict[str, Resolution]:
    """Find every anchor's clause in one given document (a version linked by hand, the other side of a
    comparison), whatever the titles say; same evidence and thresholds as `reanchor`."""
    view = _View(doc, clauses)
    groups = _groups(anchors)
    for g in groups.values():
        g.views.append(view)
    final: dict[_Group, Resolution] = {}
    _resolve(list(groups.values()), final, {}, merge)
    return {task: final[g] for g in groups.values() for task in g.tasks}


def align(old_doc: Document, old_clauses: Sequence[Clause], new_doc: Document,
          new_clauses: Sequence[Clause]) -> dict[str, Resolution]:
    """Old clause id → its clause in `new_doc` (one to one: no two old clauses share a new one)."""
    anchors = {c.id: _anchor(c, old_doc, text_key(_content(c.heading, c.full_text))) for c in old_clauses}
    return reanchor_in(anchors, new_doc, new_clauses, merge=False)


def content_key(clause: Clause) -> str:
    """What two versions of a clause compare equal on: heading and text, folded, without number labels."""
    return text_key(_content(clause.heading, clause.full_text))


def similarity(a: str, b: str, floor: float = 0.0) -> float:
    """The matcher's ratio (2·M/(|a|+|b|)) of two texts' keys; 0.0 when either is empty, or when the ratio
    is surely below `floor` (then cheaply)."""
    ka, kb = text_key(a), text_key(b)
    if not ka or not kb:
        return 1.0 if ka == kb else 0.0
    found = _similarity(ka, kb, floor)
    return found[0] if found else 0.0


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


def move_for(key: str, item_id: str, clause_id: str, anchor_state: str, fingerprint: str,
             res: Resolution) -> dict[str, Any] | None:
    """The store move for one bookmarked item (a task or a comment: `key` names its id column) whose anchor
    resolved to `res`, or None when nothing changes. Same text elsewhere ("moved") follows the new clause;
    an edited clause ("changed") keeps the old snapshot so the user can see what changed until they confirm
    the new text; "missing" keeps the old clause, flagged."""
    if res.state == "missing":
        return None if anchor_state == "missing" else {key: item_id, "clause_id": clause_id, "state": "missing"}
    new = res.new_anchor
    if res.clause_id == clause_id and res.state == anchor_state and (new is None or new.fingerprint == fingerprint):
        return None
    move: dict[str, Any] = {key: item_id, "clause_id": res.clause_id, "state": res.state}
    if new is not None and res.state == "moved":
        move.update(doc_id=new.doc_id, doc_title=new.doc_title, path=new.path, heading=new.heading,
                    text=new.text, fingerprint=new.fingerprint)
    elif new is not None:
        move.update(doc_id=new.doc_id, doc_title=new.doc_title)
    return move
