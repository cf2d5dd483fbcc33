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
(`keys._similarity`: common prefix and suffix, difflib in between) of the folded, whitespace-free texts of
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

Layout: `keys` (text keys, version keys, similarity), `thresholds`, `model` (Anchor, Resolution), `view`
(one candidate document's lookups), `library` (the candidate documents of an anchor), `candidates`
(candidate finding and scoring), `assign` (the greedy assignment); the entry points are here.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from typing import Any

from app.core.anchor.assign import _groups, _missing, _resolve
from app.core.anchor.candidates import _Group
from app.core.anchor.keys import _content, content_key, similarity, text_key, version_key
from app.core.anchor.library import _Library
from app.core.anchor.model import Anchor, Resolution, State, _anchor, anchor_for
from app.core.anchor.view import _View
from app.core.models import Clause, Document

__all__ = [
    "Anchor",
    "Resolution",
    "State",
    "align",
    "anchor_for",
    "content_key",
    "move_for",
    "reanchor",
    "reanchor_in",
    "similarity",
    "text_key",
    "version_key",
]


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
    pending = [g for g in groups.values() if _prepare(lib, g, follow_newer, final, taken)]
    _resolve(pending, final, taken, merge)
    return {task: final[g] for g in groups.values() for task in g.tasks}


def _prepare(lib: _Library, g: _Group, follow_newer: bool, final: dict[_Group, Resolution],
             taken: dict[tuple[str, int], list[_Group]]) -> bool:
    """Settle an anchor whose clause is unchanged at its id, or whose document is gone; else set its candidate
    views (own document unless `follow_newer` finds a newer one, then the newer versions) and return True."""
    a = g.anchor
    own = lib.by_id.get(a.doc_id)
    newer = lib.newer(a)
    if own is not None and not (follow_newer and newer):
        view = lib.view(own)
        i = view.by_rel.get(a.relative_id)
        if i is not None and view.key(i) == g.key:  # unchanged: the common case, no search
            final[g] = Resolution("ok", a.clause_id, a.doc_id, 1.0, "same id", a, a)
            taken[(own.id, i)] = [g]
            return False
        g.views.append(view)
    g.views.extend(lib.view(d) for d in newer)
    if g.views:
        return True
    final[g] = _missing(g, "document not found")
    return False


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
