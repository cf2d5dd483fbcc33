"""The official's desk: bookmarked clauses as tasks, with what the library knows about each clause.

`Desk` joins the user store (what people wrote) with the clause DB and its links (what the text says):
a task's effective due date is the user's own or the clause deadline, its owner the user's choice or the
lead department; urgency follows the usual 督办 colours (overdue, due within 30 days, done, on hold).
It also turns "my department" into suggested tasks and re-attaches tasks after a re-index.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from app.core import anchor as anchoring
from app.core.errors import NotFoundError, PolicyDeskError
from app.core.links.service import ClauseLinks
from app.core.models import Clause, Deadline, DepartmentLink
from app.core.userdata import MY_DEPARTMENT_KEY, Task, indicator_key

if TYPE_CHECKING:
    from app.core.ports import LibraryPort

log = logging.getLogger("policydesk.desk")

SOON_DAYS = 30
DISMISSED_KEY = "desk.dismissed_suggestions"

# Urgency, in the order a 督办 list shows them.
OVERDUE, SOON, OPEN, DONE, ON_HOLD = "overdue", "soon", "open", "done", "hold"
URGENCY_LABELS = {OVERDUE: "已逾期", SOON: "30天内到期", OPEN: "未到期", DONE: "已完成", ON_HOLD: "已搁置"}


def deadline_date(d: Deadline | None) -> str | None:
    """A clause deadline as an ISO date: its date when stated, else the last day of its year."""
    if d is None:
        return None
    if d.date:
        return d.date[:10]
    return f"{d.year}-12-31"


@dataclass(frozen=True)
class DeskTask:
    """A task as the desk shows it."""

    task: Task
    due: str | None  # effective ISO date
    due_source: str  # "personal" | "clause" | ""
    owner: str | None
    owner_source: str  # "personal" | "lead" | ""
    urgency: str
    days_left: int | None
    # owner_source "lead": the clause's lead with its source and confidence, so that every surface can
    # show an inferred lead as one (市水务局·推断·62%, app.ui.linksformat.dept_text)
    owner_link: DepartmentLink | None = None

    @property
    def id(self) -> str:
        return self.task.id

    def to_json(self) -> dict[str, Any]:
        out = self.task.to_json()
        out.update({"effective_due": self.due, "due_source": self.due_source, "effective_owner": self.owner,
                    "owner_source": self.owner_source, "urgency": self.urgency,
                    "urgency_label": URGENCY_LABELS[self.urgency], "days_left": self.days_left})
        return out


def urgency(status: str, due: str | None, today: dt.date) -> tuple[str, int | None]:
    days = None
    if due:
        try:
            days = (dt.date.fromisoformat(due[:10]) - today).days
        except ValueError:
            days = None
    if status == "done":
        return DONE, days
    if status == "parked":  # 已搁置
        return ON_HOLD, days
    if days is not None and days < 0:
        return OVERDUE, days
    if days is not None and days <= SOON_DAYS:
        return SOON, days
    return OPEN, days


class Desk:
    """Tasks, suggestions and re-anchoring over one Library (its clause DB and its user store)."""

    def __init__(self, library: LibraryPort) -> None:
        self.lib = library

    @property
    def user(self) -> Any:
        return self.lib.user

    # -- bookmarking ---------------------------------------------------------------------------------
    def bookmark(self, clause_id: str, *, indicator: str | None = None, **fields: Any) -> Task:
        """Bookmark a clause (or one of its indicators) as a task; bookmarking twice returns the same task."""
        c = self.lib.clause(clause_id)
        doc = self.lib.document(c.doc_id)
        a = anchoring.anchor_for(c, doc)
        if indicator is not None:
            names = {i.name for i in self.lib.links([c.id]).get(c.id, ClauseLinks()).indicators}
            if indicator not in names:
                raise NotFoundError(f"条款 {c.id} 没有名为“{indicator}”的指标。")
        return self.user.add_task(  # type: ignore[no-any-return]
            c.id, indicator_key=None if indicator is None else indicator_key(c.id, indicator), doc_id=c.doc_id,
            doc_title=doc.title, path=c.path, heading=c.heading, text=c.full_text, fingerprint=a.fingerprint,
            **fields)

    def task_for(self, clause_id: str) -> Task | None:
        return self.user.find_task(clause_id)  # type: ignore[no-any-return]

    # -- the desk ------------------------------------------------------------------------------------
    def tasks(self, *, status: str | None = None, tag: str | None = None, collection: str | None = None,
              department: str | None = None, text: str | None = None, urgency_in: Iterable[str] | None = None,
              today: dt.date | None = None) -> list[DeskTask]:
        """Live tasks with effective due date/owner and urgency, soonest due first (undated last).

        `department` matches the effective owner (the user's choice, else the clause's lead department)."""
        today = today or dt.date.today()
        kw: dict[str, Any] = {}
        if status:
            kw["status"] = status
        if tag:
            kw["tag"] = tag
        if collection is not None:
            kw["collection"] = collection
        if text:
            kw["text"] = text
        raw: list[Task] = self.user.list_tasks(**kw)
        links = self._links(t.clause_id for t in raw)
        out = [self._view(t, links.get(t.clause_id), today) for t in raw]
        if department:
            canon = self.lib.canonical_department(department)
            out = [d for d in out if d.owner in (department, canon)]
        if urgency_in is not None:
            wanted = set(urgency_in)
            out = [d for d in out if d.urgency in wanted]
        out.sort(key=lambda d: (d.due is None, d.due or "", -int(d.task.priority == 1), d.task.created_at))
        return out

    def view(self, task: Task, today: dt.date | None = None) -> DeskTask:
        return self._view(task, self._links([task.clause_id]).get(task.clause_id), today or dt.date.today())

    def _links(self, clause_ids: Iterable[str]) -> dict[str, ClauseLinks]:
        ids = list(dict.fromkeys(clause_ids))
        if not ids:
            return {}
        try:
            return self.lib.links(ids)
        except NotFoundError:  # no clause DB yet: the tasks still show with what the user wrote
            return {}

    @staticmethod
    def _view(t: Task, links: ClauseLinks | None, today: dt.date) -> DeskTask:
        links = links or ClauseLinks()
        indicator = None
        if t.indicator_key and "#" in t.indicator_key:
            name = t.indicator_key.split("#", 1)[1]
            indicator = next((i for i in links.indicators if i.name == name), None)
        due: str | None
        if t.due:
            due, due_source = t.due, "personal"
        elif indicator is not None and indicator.deadline:
            due, due_source = f"{indicator.deadline}-12-31", "clause"
        else:
            due = deadline_date(links.deadline)
            due_source = "clause" if due else ""
        lead = next((d for d in links.departments if d.role == "lead"), None)
        owner_link = None
        if t.owner:
            owner, owner_source = t.owner, "personal"
        elif lead is not None:
            owner, owner_source, owner_link = lead.name, "lead", lead
        else:
            owner, owner_source = None, ""
        urg, days = urgency(t.status, due, today)
        return DeskTask(task=t, due=due, due_source=due_source, owner=owner, owner_source=owner_source,
                        urgency=urg, days_left=days, owner_link=owner_link)

    # -- my department -------------------------------------------------------------------------------
    def my_department(self) -> str | None:
        value = self.user.get(MY_DEPARTMENT_KEY)
        return str(value) if value else None

    def set_my_department(self, name: str | None) -> str | None:
        canon = self.lib.canonical_department(name) if name else None
        self.user.set(MY_DEPARTMENT_KEY, canon)
        return canon

    def suggestions(self, department: str | None = None) -> list[dict[str, Any]]:
        """Clauses the department leads that are not bookmarked yet nor dismissed (document order)."""
        dept = department or self.my_department()
        if not dept:
            return []
        dismissed = set(self.user.get(DISMISSED_KEY, []) or [])
        taken = {t.clause_id for t in self.user.list_tasks() if t.indicator_key is None}
        out = []
        for row in self.lib.department_clauses(dept):
            for c in row.get("lead", []):
                cid = c["id"]
                if cid not in dismissed and cid not in taken:
                    out.append({**c, "department": row["name"]})
        return out

    def accept_suggestion(self, clause_id: str, department: str | None = None) -> Task:
        return self.bookmark(clause_id, owner=department or self.my_department())

    def dismiss_suggestion(self, clause_id: str) -> None:
        dismissed = list(self.user.get(DISMISSED_KEY, []) or [])
        if clause_id not in dismissed:
            dismissed.append(clause_id)
            self.user.set(DISMISSED_KEY, dismissed)

    # -- after a re-index ----------------------------------------------------------------------------
    def reanchor(self) -> dict[str, int]:
        """Re-attach every live task to its clause as the library is now; returns counts per state.

        Runs after each index refresh. Unmatched tasks keep their old clause id and text ('missing')."""
        tasks: list[Task] = self.user.list_tasks()
        if not tasks:
            return {}
        resolved = self.lib.reanchor({t.id: task_anchor(t) for t in tasks})
        counts: dict[str, int] = {}
        for res in resolved.values():
            counts[res.state] = counts.get(res.state, 0) + 1
        skipped: list[str] = []
        moves = task_moves({t.id: t for t in tasks}, resolved, skipped=skipped)
        if skipped:  # their clause's counterpart has a task of its own: they stay where they are
            log.info("tasks not moved onto a clause holding another task: %s", skipped)
        if moves:
            self.user.reanchor_tasks(moves)
            log.info("re-anchored %d tasks: %s", len(moves), counts)
        return counts

    def confirm_anchor(self, task_id: str) -> Task:
        """The user accepts a changed clause's new text (or a missing task's old clause id) as the anchor."""
        t: Task = self.user.get_task(task_id)
        try:
            c = self.lib.clause(t.clause_id)
        except NotFoundError:
            raise PolicyDeskError("原条款已变更或删除，请重新关联到新的条款。") from None
        a = anchoring.anchor_for(c, self.lib.document(c.doc_id))
        return self.user.reanchor_task(  # type: ignore[no-any-return]
            task_id, clause_id=c.id, state="ok", doc_id=c.doc_id, doc_title=a.doc_title, path=c.path,
            heading=c.heading, text=c.full_text, fingerprint=a.fingerprint)

    def reattach(self, task_id: str, clause_id: str) -> Task:
        """Attach a task (e.g. one flagged 原条款已变更或删除) to another clause by hand."""
        c: Clause = self.lib.clause(clause_id)
        a = anchoring.anchor_for(c, self.lib.document(c.doc_id))
        return self.user.reanchor_task(  # type: ignore[no-any-return]
            task_id, clause_id=c.id, state="ok", doc_id=c.doc_id, doc_title=a.doc_title, path=c.path,
            heading=c.heading, text=c.full_text, fingerprint=a.fingerprint)


def task_anchor(t: Task) -> anchoring.Anchor:
    """The anchor a task was saved with."""
    return anchoring.Anchor(clause_id=t.clause_id, doc_id=t.doc_id, doc_title=t.doc_title, path=t.path,
                            heading=t.heading, fingerprint=t.fingerprint, text=t.text)


def task_moves(tasks: Mapping[str, Task], resolved: Mapping[str, anchoring.Resolution],
               live: Iterable[Task] = (), skipped: list[str] | None = None) -> list[dict[str, Any]]:
    """The `UserStore.reanchor_tasks` moves for resolved tasks (only those whose anchor changes).

    `live`: every live task (default: `tasks`). A move onto a clause another live task keeps (the user
    bookmarked the new version too) would break the one-task-per-clause rule: it is left out, and the
    task's id appended to `skipped`."""
    moves: list[dict[str, Any]] = []
    for tid, res in resolved.items():
        t = tasks[tid]
        move = anchoring.move_for("task_id", tid, t.clause_id, t.anchor_state, t.fingerprint, res)
        if move is not None:
            moves.append(move)
    away = {m["task_id"] for m in moves if m["clause_id"] != tasks[m["task_id"]].clause_id}
    holders = {(t.clause_id, t.indicator_key): t.id for t in (*live, *tasks.values()) if t.id not in away}
    out: list[dict[str, Any]] = []
    for m in moves:
        t = tasks[m["task_id"]]
        if m["clause_id"] != t.clause_id:
            ik = t.indicator_key
            if ik is not None and ik.startswith(t.clause_id + "#"):
                ik = indicator_key(m["clause_id"], ik[len(t.clause_id) + 1:])
            holder = holders.get((m["clause_id"], ik))
            if holder is not None and holder != t.id:
                if skipped is not None:
                    skipped.append(t.id)
                continue
            holders[(m["clause_id"], ik)] = t.id
        out.append(m)
    return out


__all__: Sequence[str] = ("URGENCY_LABELS", "Desk", "DeskTask", "deadline_date", "task_anchor", "task_moves",
                          "urgency")
