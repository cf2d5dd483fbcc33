"""The Qt-free side of the versions screens: what runs on a worker thread (carrying work over, the review
list, confirming an item) and plain functions over version links (a document's relation for 文件库, the
links an index run brought). No widgets here."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from app.core.carry import REVIEW_STATES, STATE_LABELS, CarryReport, ReviewItem
from app.core.compare.model import location
from app.core.errors import NotFoundError, PolicyDeskError
from app.core.library import Library
from app.core.models import Clause
from app.core.userdata.versions import REJECTED, VersionLink
from app.ui.compare import strings as T

log = logging.getLogger("policydesk.ui.versions")

LinkKey = tuple[str, str]


def key(link: VersionLink) -> LinkKey:
    return link.old_id, link.new_id


def new_links(before: Iterable[LinkKey], after: Sequence[VersionLink]) -> list[VersionLink]:
    """Links in `after` that were not known before (rejected ones are the user's own: never news)."""
    known = set(before)
    return [k for k in after if key(k) not in known and k.state != REJECTED]


# -- 文件库: a document's versions ---------------------------------------------------------------------------
@dataclass
class DocVersions:
    """What 文件库 shows of a document's versions: the 版本 cell, its tooltip and the line under the table."""

    label: str = ""
    tips: list[str] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)
    pair: LinkKey | None = None  # (old, new) to compare: with its newer version, else with its older one


def doc_versions(links: Sequence[VersionLink]) -> dict[str, DocVersions]:
    """Document id → its version relation, from every link that is not rejected."""
    out: dict[str, DocVersions] = {}

    def at(doc_id: str) -> DocVersions:
        return out.setdefault(doc_id, DocVersions())

    for link in links:
        if link.state == REJECTED:
            continue
        old, new = at(link.old_id), at(link.new_id)
        new_title, old_title = link.new_title or link.new_id, link.old_title or link.old_id
        if link.active:
            old.label = T.LIB_VERSION_OLD  # hidden from search: says the most, wins over 新版本
            old.tips.append(T.LIB_VERSION_OLD_TIP.format(title=new_title, state=link.state_label))
            old.lines.insert(0, T.LIB_VERSION_LINE_OLD.format(title=new_title, state=link.state_label))
            if new.label != T.LIB_VERSION_OLD:
                new.label = T.LIB_VERSION_NEW
            new.tips.append(T.LIB_VERSION_NEW_TIP.format(title=old_title, state=link.state_label))
            new.lines.append(T.LIB_VERSION_LINE_NEW.format(title=old_title, state=link.state_label))
        else:
            for side in (old, new):
                side.label = side.label or T.LIB_VERSION_PENDING
                side.tips.append(T.LIB_VERSION_PENDING_TIP.format(new=new_title, old=old_title))
            old.lines.append(T.LIB_VERSION_LINE_PENDING.format(title=new_title))
            new.lines.append(T.LIB_VERSION_LINE_OLDER_PENDING.format(title=old_title))
        if old.pair is None or old.pair[0] != link.old_id:
            old.pair = key(link)
        if new.pair is None:
            new.pair = key(link)
    return out


def with_versions(library: Library, docs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Worker side of 文件库: each document's row gets its version relation (`"version"`: DocVersions or
    None). Reading the links detects new ones first, so a library indexed before links existed has them."""
    try:
        links = library.version_links()
    except PolicyDeskError as exc:  # the user data cannot be read: the documents still list
        log.warning("version links unavailable: %s", exc.message)
        links = []
    by_doc = doc_versions(links)
    for d in docs:
        d["version"] = by_doc.get(d["id"])
    return docs


# -- carrying work over -----------------------------------------------------------------------------------
@dataclass(frozen=True)
class ReviewRow:
    """One item of the review list with where its clause was and is (computed on the worker)."""

    item: ReviewItem
    old_where: str
    new_where: str

    @property
    def goto(self) -> str | None:
        """The clause 转到条款 opens: the new one when there is one, else the old one."""
        return self.item.new_clause_id or self.item.old_clause_id or None


@dataclass(frozen=True)
class CarryResult:
    """Tasks and comments carried by `Library.carry_over`, and what is left to review."""

    old_id: str
    new_id: str
    old_title: str
    new_title: str
    report: CarryReport
    counts: dict[str, dict[str, int]]  # 任务 / 意见 → anchor state → items on the two versions
    rows: tuple[ReviewRow, ...]

    def summary_line(self) -> str:
        """任务 2 个：1 个已定位到新版本，1 个条款内容已修改；意见 1 条：…；待核对 2 项"""
        parts = []
        for label, states in self.counts.items():
            n = sum(states.values())
            if not n:
                continue
            unit = T.UNIT_COMMENT if label == T.COMMENT_LABEL else T.UNIT_TASK
            done = states.get("ok", 0) + states.get("moved", 0)
            pieces = [T.CARRY_DONE.format(n=done, unit=unit)] if done else []
            pieces += [T.CARRY_STATE.format(n=states[s], unit=unit, state=STATE_LABELS[s])
                       for s in REVIEW_STATES if states.get(s)]
            parts.append(T.CARRY_SUMMARY.format(label=label, n=n, unit=unit) + "，".join(pieces))
        if self.rows:
            parts.append(T.REVIEW_PENDING.format(n=len(self.rows)))
        return "；".join(parts) if parts else T.CARRY_NOTHING


def _where(lib: Library, clause_id: str | None) -> str:
    if not clause_id:
        return ""
    try:
        c = lib.clause(clause_id)
    except NotFoundError:
        return ""
    rel = clause_id.split("/", 1)[1] if "/" in clause_id else clause_id
    return location(c, rel)


def _where_in(clauses: Sequence[Clause], doc_id: str, item: ReviewItem) -> str:
    """The location in the old version of the clause an item was anchored on: same text, else same path."""
    text = " ".join(item.old_text.split())
    found = next((c for c in clauses if text and " ".join(c.full_text.split()) == text), None) or \
        next((c for c in clauses if item.old_path and c.path == item.old_path), None)
    if found is None:
        return ""
    return location(found, found.id[len(doc_id) + 1:] if found.id.startswith(doc_id + "/") else found.id)


def _tally(counts: dict[str, int], state: str, on_old: bool) -> bool:
    """Count an item on either version; True when it needs review. One left on the old version counts
    only when it is waiting for review (else it stays there by the user's choice)."""
    if on_old and state not in REVIEW_STATES:
        return False
    counts[state] = counts.get(state, 0) + 1
    return state in REVIEW_STATES


def _counts(lib: Library, old_id: str, new_id: str) -> dict[str, dict[str, int]]:
    """任务 / 意见 → anchor state → items on the two versions (see `_tally`)."""
    tasks: dict[str, int] = {}
    comments: dict[str, int] = {}
    for doc_id in (new_id, old_id):
        for t in lib.user.list_tasks(doc_id=doc_id):
            _tally(tasks, t.anchor_state, doc_id == old_id)
        for c in lib.user.comments.find(doc_id=doc_id):
            _tally(comments, c.anchor_state, doc_id == old_id)
    return {T.TASK_LABEL: tasks, T.COMMENT_LABEL: comments}


def carry_work(lib: Library, old_id: str, new_id: str) -> CarryResult:
    """Carry tasks and comments from `old_id` to `new_id` (`Library.carry_over`) and list what needs review.
    Idempotent: run it again later to see the review list (items confirmed in between no longer appear)."""
    report = lib.carry_over(old_id, new_id)
    counts = _counts(lib, old_id, new_id)
    old_clauses: list[Clause] | None = None
    rows = []
    for item in report.review:
        old_where = _where(lib, item.old_clause_id) if item.old_clause_id.startswith(old_id + "/") else ""
        if not old_where:  # carried earlier (the anchor names the new clause): find where it was
            if old_clauses is None:
                old_clauses = list(lib.clauses(old_id))
            old_where = _where_in(old_clauses, old_id, item)
        rows.append(ReviewRow(item, old_where, _where(lib, item.new_clause_id)))
    return CarryResult(old_id, new_id, lib.document(old_id).title, lib.document(new_id).title, report,
                       counts, tuple(rows))


def confirm_item(lib: Library, item: ReviewItem) -> None:
    """确认 (an item whose clause was edited): the clause's new text becomes the item's anchor."""
    if item.kind == "comment":
        lib.comments.confirm_anchor(item.item_id)
    else:
        lib.desk.confirm_anchor(item.item_id)
