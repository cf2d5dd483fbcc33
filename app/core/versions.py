"""Versions of one document: find them, order them, and decide which ones default search leaves out.

Two documents are versions of one another when their titles agree once the marks of a version are taken
off (`base_title`): the stage of a draft (（征求意见稿）, 草案, 送审稿 …, in brackets or as a bare suffix),
a version date or amendment note in brackets (（2020-12-29）, （2018年修正）) and a leading 中华人民共和国.
Other brackets stay: （试行） or （2021—2025年） name another document, not another version.

Order: by stage (`STAGES`: 讨论稿 < 征求意见稿 < 送审稿 < 草案/修订草案/审议稿 < the final text, which
carries no mark), then by version date (laws' file names and metadata carry it). Each version is linked
to the next one. Two versions at the same stage without different dates are not ordered (no link).

Method and certainty of a link (`userdata.versions.VersionLink`):
- `same_title`: identical titles, both dated, the dates differ: what `filters.superseded` has always
  hidden (older versions of a law). Certain.
- `stage` / `date`: the stage, or else the date, orders two titles that agree on `base_title`. Certain
  when the content agrees too: at least CERTAIN_OVERLAP of the old version's clauses are found in the new
  one (`anchor.align`); else a suggestion waiting for the user.

Links live in the user DB (detection records new ones; the user confirms, rejects or resets them).
A link in force (confirmed, or suggested and certain) hides the old version from default search
(`hidden`) and lets bookmarks follow it (`follow_map`); a rejected one does neither, even for two
versions of a law `filters.superseded` would hide.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from app.core import filters
from app.core.models import Clause, Document
from app.core.normalize import compact, fold
from app.core.userdata.versions import CONFIRMED, REJECTED, SUGGESTED, VersionLink
from app.core.validity import repealed

FINAL = 9
FINAL_LABEL = "正式稿"
# Stage marks, longest first where one contains another (修订草案 before 草案).
STAGES: tuple[tuple[str, int], ...] = (
    ("讨论稿", 0), ("征求意见稿", 1), ("送审稿", 2), ("修订草案", 3), ("草案", 3), ("审议稿", 3),
)
CERTAIN_OVERLAP = 0.5
_STAGE_ALT = "|".join(s for s, _ in STAGES)
_NATIONAL = "中华人民共和国"
# Folded titles: full-width brackets are ASCII after `fold`.
_STAGE_BRACKET = re.compile(rf"\((?:[^()]*?)(?:{_STAGE_ALT})\)")
_STAGE_SUFFIX = re.compile(rf"[-—_·]*(?:{_STAGE_ALT})$")
_VERSION_BRACKET = re.compile(r"\((?:\d{4}-\d{1,2}-\d{1,2}|\d{4}年?[^()]{0,12}(?:修正|修订|修改|版)|[^()]{0,10}?(?:修正|修订|修改)(?:本)?)\)$")


def stage(doc: Document) -> tuple[int, str]:
    """(rank, label) of the document's drafting stage: (1, 征求意见稿) … (9, 正式稿) for a final text."""
    text = f"{doc.title} {doc.status}"
    for mark, rank in STAGES:
        if mark in text:
            return rank, mark
    return FINAL, FINAL_LABEL


def base_title(title: str) -> str:
    """The title without the marks of a version (see the module doc), folded and without whitespace."""
    key = compact(fold(title))
    if key.startswith(_NATIONAL):
        key = key[len(_NATIONAL):]
    while True:
        before = key
        key = _STAGE_BRACKET.sub("", key)
        key = _VERSION_BRACKET.sub("", key)
        key = _STAGE_SUFFIX.sub("", key)
        if key == before:
            return key


@dataclass(frozen=True)
class Candidate:
    """`new` looks like the next version of `old`."""

    old: Document
    new: Document
    method: str  # same_title | stage | date

    @property
    def certain_by_title(self) -> bool:
        return self.method == "same_title"


def _order(doc: Document) -> tuple[int, str]:
    return stage(doc)[0], doc.date or ""


def candidates(docs: Sequence[Document]) -> list[Candidate]:
    """Each document linked to the next version of it in the library (see the module doc)."""
    groups: dict[str, list[Document]] = {}
    for d in docs:
        groups.setdefault(base_title(d.title), []).append(d)
    out: list[Candidate] = []
    for group in groups.values():
        if len(group) < 2:
            continue
        levels = sorted({_order(d) for d in group})
        for lower, upper in itertools.pairwise(levels):
            for old in (d for d in group if _order(d) == lower):
                for new in (d for d in group if _order(d) == upper):
                    out.append(Candidate(old, new, _method(old, new)))
    return out


def _method(old: Document, new: Document) -> str:
    if stage(old)[0] != stage(new)[0]:
        return "stage"
    same = compact(fold(old.title)) == compact(fold(new.title))
    return "same_title" if same and old.date and new.date else "date"


def overlap(old_doc: Document, old: Sequence[Clause], new_doc: Document, new: Sequence[Clause]) -> float:
    """The share of the old version's clauses with text that the matcher finds in the new version."""
    body = [c for c in old if c.text.strip() or c.heading]
    if not body or not new:
        return 0.0
    from app.core import anchor  # the clause matcher: needed to suggest version links, not to search

    found = anchor.align(old_doc, body, new_doc, new)
    return sum(1 for r in found.values() if r.attached) / len(body)


def detect(docs: Sequence[Document], clauses_of: Callable[[str], Sequence[Clause]],
           known: Iterable[tuple[str, str]] = ()) -> list[VersionLink]:
    """Links for the candidates not in `known` (pairs already stored): suggested, certain or not."""
    seen = set(known)
    out: list[VersionLink] = []
    for cand in candidates(docs):
        if (cand.old.id, cand.new.id) in seen:
            continue
        share: float | None = None
        certain = cand.certain_by_title
        if not certain:
            share = round(overlap(cand.old, clauses_of(cand.old.id), cand.new, clauses_of(cand.new.id)), 3)
            certain = share >= CERTAIN_OVERLAP
        out.append(VersionLink(old_id=cand.old.id, new_id=cand.new.id, method=cand.method, state=SUGGESTED,
                               certain=certain, overlap=share, old_title=cand.old.title, new_title=cand.new.title))
    return out


def hidden(docs: Sequence[Document], links: Sequence[VersionLink]) -> list[str]:
    """Ids default search leaves out: `filters.superseded` (older law versions, repealed documents), plus the
    old side of every link in force, minus the old side of a rejected link (unless repealed or still the
    old side of a link in force)."""
    present = {d.id for d in docs}
    base = filters.superseded(docs)
    active = {link.old_id for link in links if link.active and link.old_id in present and link.new_id in present}
    gone = repealed(docs)
    undo = {link.old_id for link in links if link.state == REJECTED} - active - set(gone)
    out = [i for i in base if i not in undo]
    return out + sorted(active - set(out))


def follow_map(links: Sequence[VersionLink]) -> tuple[dict[str, list[str]], set[tuple[str, str]]]:
    """(old doc id → newer doc ids by links in force, rejected (old, new) pairs) for `anchor.reanchor`."""
    forward: dict[str, list[str]] = {}
    for link in links:
        if link.active:
            forward.setdefault(link.old_id, []).append(link.new_id)
    return forward, {(link.old_id, link.new_id) for link in links if link.state == REJECTED}


def chain(doc_id: str, links: Sequence[VersionLink]) -> tuple[list[str], list[str]]:
    """(older versions, newer versions) of a document by the links that are not rejected, nearest first."""
    live = [link for link in links if link.state != REJECTED]

    def walk(start: str, step: Callable[[VersionLink], tuple[str, str]]) -> list[str]:
        out: list[str] = []
        todo = [start]
        while todo:
            cur = todo.pop(0)
            for link in live:
                src, dst = step(link)
                if src == cur and dst != doc_id and dst not in out:
                    out.append(dst)
                    todo.append(dst)
        return out

    return (walk(doc_id, lambda k: (k.new_id, k.old_id)), walk(doc_id, lambda k: (k.old_id, k.new_id)))


__all__ = ["CERTAIN_OVERLAP", "CONFIRMED", "REJECTED", "STAGES", "SUGGESTED", "Candidate", "VersionLink",
           "base_title", "candidates", "chain", "detect", "follow_map", "hidden", "overlap", "stage"]
