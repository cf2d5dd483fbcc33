"""Carry work over to a new version: tasks (and any other anchored items, e.g. comments) on the clauses of
an old version move to the matching clauses of the new one, and whatever did not come through whole is
listed for review, so nothing is dropped silently.

Matching is the re-anchoring matcher's (`app.core.anchor.reanchor_in`: identical text, the same id, the
heading path, neighbours, text similarity), against the one new version named, whatever its title says:
a link the user confirmed drives it. Per item the outcome is the matcher's state: `ok`/`moved` (same
text), `changed` (the clause was edited: the item follows it and keeps the old text until the user accepts
the new one), `missing` (no counterpart: the item stays on the old clause, flagged). `conflict`: the new
clause already holds a task of its own (one task per clause), so this one stayed where it was.

The review list holds every changed, missing and conflicting item of the pair, with the old text and
the new text, including items an index refresh moved earlier (they are on the new version, `changed`).

Kinds of items come from providers (`AnchoredItems`): tasks are built in; comments register theirs when
`app.core.comments` is imported (the Library imports it); another kind registers a factory with `register`
(its store applies the resolutions).
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from app.core import anchor as anchoring
from app.core.anchor import Anchor, Resolution
from app.core.desk import task_anchor, task_moves
from app.core.errors import NotFoundError

if TYPE_CHECKING:
    from app.core.ports import LibraryPort

REVIEW_STATES = ("changed", "missing", "conflict")
STATE_LABELS = {"ok": "未变", "moved": "已定位", "changed": "条款内容已修改", "missing": "原条款已变更或删除",
                "conflict": "新版本对应条款已有任务，未移动"}


@dataclass(frozen=True)
class Anchored:
    """One item anchored on a clause: its id, its anchor and the anchor's state now."""

    id: str
    anchor: Anchor
    state: str  # ok | moved | changed | missing
    title: str  # what a review list names it by
    quiet: bool = False  # carried along, never counted nor listed (e.g. a comment in the trash)


class AnchoredItems(Protocol):
    """A kind of item that follows its clause into new versions (tasks; comments). Optionally `unit`: the
    measure word of its counts in the summary ("个" when absent: 任务 3 个; comments say 意见 2 条)."""

    kind: str  # "task"
    label: str  # "任务"

    def items(self, doc_ids: Collection[str]) -> list[Anchored]:
        """The live items anchored on clauses of these documents."""
        ...

    def apply(self, resolved: Mapping[str, Resolution]) -> list[str]:
        """Store the new anchors; return the ids left where they were (`conflict`)."""
        ...


@dataclass(frozen=True)
class ReviewItem:
    """An item whose clause changed or vanished in the new version: to be looked at."""

    kind: str
    kind_label: str
    item_id: str
    title: str
    state: str  # changed | missing | conflict
    old_clause_id: str
    old_path: tuple[str, ...]
    old_text: str
    new_clause_id: str | None
    new_path: tuple[str, ...]
    new_text: str
    reason: str
    score: float

    @property
    def state_label(self) -> str:
        return STATE_LABELS.get(self.state, self.state)

    def inline(self, context: int | None = None) -> str:
        """The edit from the old text to the new one, marked 【删：…】【增：…】 ("" without a new text)."""
        if not self.new_text:
            return ""
        from app.core.compare import inline_marks
        from app.core.compare.textdiff import segments

        return inline_marks(*segments(self.old_text, self.new_text), context)

    def to_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "kind_label": self.kind_label, "item_id": self.item_id, "title": self.title,
                "state": self.state, "state_label": self.state_label, "old_clause_id": self.old_clause_id,
                "old_path": list(self.old_path), "old_text": self.old_text, "new_clause_id": self.new_clause_id,
                "new_path": list(self.new_path), "new_text": self.new_text, "diff": self.inline(),
                "reason": self.reason, "score": self.score}


@dataclass(frozen=True)
class CarryReport:
    """What carrying work from `old_doc_id` to `new_doc_id` did, per kind and state, and the review list."""

    old_doc_id: str
    new_doc_id: str
    counts: dict[str, dict[str, int]]  # kind → state → number of items resolved in this run
    review: tuple[ReviewItem, ...]
    labels: dict[str, str] = field(default_factory=dict, compare=False)  # kind → 任务
    units: dict[str, str] = field(default_factory=dict, compare=False)  # kind → 个 (意见: 条)

    def summary_line(self) -> str:
        """任务 5 个：4 个已定位到新版本，1 个条款内容已修改；意见 2 条：2 条已定位到新版本；待核对 1 项"""
        if not any(self.counts.values()) and not self.review:
            return "旧版本上没有需要转移的任务和意见。"
        parts = []
        for kind, states in self.counts.items():
            n = sum(states.values())
            if not n:
                continue
            done = states.get("ok", 0) + states.get("moved", 0)
            unit = self.units.get(kind, "个")
            text = f"{self.labels.get(kind, kind)} {n} {unit}：{done} {unit}已定位到新版本"
            text += "".join(f"，{states[s]} {unit}{STATE_LABELS[s]}" for s in REVIEW_STATES if states.get(s))
            parts.append(text)
        if self.review:
            parts.append(f"待核对 {len(self.review)} 项")
        return "；".join(parts)

    def to_json(self) -> dict[str, Any]:
        return {"old_doc": self.old_doc_id, "new_doc": self.new_doc_id, "counts": self.counts,
                "summary": self.summary_line(), "review": [r.to_json() for r in self.review]}


class TaskItems:
    """Tasks (bookmarks) as anchored items."""

    kind, label, unit = "task", "任务", "个"

    def __init__(self, lib: LibraryPort) -> None:
        self.lib = lib

    def items(self, doc_ids: Collection[str]) -> list[Anchored]:
        return [Anchored(t.id, task_anchor(t), t.anchor_state, t.heading or t.text[:30])
                for d in doc_ids for t in self.lib.user.list_tasks(doc_id=d)]

    def apply(self, resolved: Mapping[str, Resolution]) -> list[str]:
        live = self.lib.user.list_tasks()
        by_id = {t.id: t for t in live}
        skipped: list[str] = []
        moves = task_moves({tid: by_id[tid] for tid in resolved if tid in by_id}, resolved, live, skipped)
        if moves:
            self.lib.user.reanchor_tasks(moves)
        return skipped


PROVIDERS: list[Callable[[LibraryPort], AnchoredItems]] = [TaskItems]


def register(factory: Callable[[LibraryPort], AnchoredItems]) -> None:
    """Add a kind of anchored item that `Library.carry_over` carries too (idempotent)."""
    if factory not in PROVIDERS:
        PROVIDERS.append(factory)


def carry_over(lib: LibraryPort, old_id: str, new_id: str,
               providers: Sequence[AnchoredItems] | None = None) -> CarryReport:
    """Move every item on `old_id` to its clause in `new_id` and list what needs review (module doc)."""
    new_doc = lib.document(new_id)
    lib.document(old_id)  # NotFoundError for a wrong id
    new_clauses = list(lib.clauses(new_id))
    counts: dict[str, dict[str, int]] = {}
    labels: dict[str, str] = {}
    units: dict[str, str] = {}
    review: list[ReviewItem] = []
    for prov in providers if providers is not None else [f(lib) for f in PROVIDERS]:
        labels[prov.kind] = prov.label
        units[prov.kind] = getattr(prov, "unit", "个")
        items = prov.items([old_id, new_id])
        on_old = {i.id: i for i in items if i.anchor.doc_id == old_id}
        resolved = anchoring.reanchor_in({i: a.anchor for i, a in on_old.items()}, new_doc, new_clauses)
        skipped = set(prov.apply(resolved)) if resolved else set()
        states = counts.setdefault(prov.kind, {})
        for item_id, res in resolved.items():
            if on_old[item_id].quiet:
                continue
            state = "conflict" if item_id in skipped else res.state
            states[state] = states.get(state, 0) + 1
            if state in REVIEW_STATES:
                review.append(_review(lib, prov, on_old[item_id], state, res))
        for item in items:  # moved to the new version earlier (an index refresh), text not yet accepted
            if item.anchor.doc_id == new_id and item.state in ("changed", "missing") and not item.quiet:
                review.append(_review(lib, prov, item, item.state, None))
    return CarryReport(old_id, new_id, counts, tuple(review), labels=labels, units=units)


def _review(lib: LibraryPort, prov: AnchoredItems, item: Anchored, state: str,
            res: Resolution | None) -> ReviewItem:
    a = item.anchor
    new_id = res.clause_id if res is not None else (a.clause_id if state == "changed" else None)
    new_path: tuple[str, ...] = ()
    new_text = ""
    if new_id is not None:
        try:
            c = lib.clause(new_id)
            new_path, new_text = c.path, c.full_text
        except NotFoundError:
            new_id = None
    return ReviewItem(kind=prov.kind, kind_label=prov.label, item_id=item.id, title=item.title, state=state,
                      old_clause_id=a.clause_id, old_path=a.path, old_text=a.text, new_clause_id=new_id,
                      new_path=new_path, new_text=new_text, reason=res.reason if res is not None else "",
                      score=res.score if res is not None else 0.0)
