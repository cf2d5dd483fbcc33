"""Compute the links of every clause of a document: departments, indicators and the deadline.

Extraction is pure text work (the extractors in this package); this module decides which extractor
applies to which clause and how the document's horizon and milestones are inherited.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, fields
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.core.models import Clause, Deadline, DepartmentLink, Document, Indicator

if TYPE_CHECKING:
    from app.core.links.indicators import TargetContext

KB_FILE = "departments.json"
# Bump when extraction rules or the knowledge base format change: every document is re-linked.
# 2: indicator tables, results vs targets, inherited deadlines, （责任单位：…）
# 3: unit grammar by category, ranks/ratios/PUE, counting verbs and lists, year leads, annual-plan horizons
# 5: inferences below the confidence floor become suggestions; none under 序言/总体要求/保障措施…; national
#    documents link national bodies only (other descriptors are generic kinds)
LINKS_VERSION = "5"
_ROLE_ORDER = {"lead": 0, "support": 1, "mentioned": 2}
# Plan clause levels whose text is one task: 1./（1） items (models.LEVEL_ITEM) are tasks too.
_TASK_LEVELS = frozenset({"task", "item"})
_INHERITED_CONFIDENCE = 0.9  # an annotation of an enclosing section, for a child that has none


_FIELD_NAMES: dict[type, tuple[str, ...]] = {}


def _flat(obj: DepartmentLink | Indicator | Deadline) -> dict[str, Any]:
    """`dataclasses.asdict` of a link record (scalar fields only: nothing to copy deeply), without its
    recursive deep copy — a tenth of the library's link extraction time went to it."""
    names = _FIELD_NAMES.get(type(obj))
    if names is None:
        names = _FIELD_NAMES[type(obj)] = tuple(f.name for f in fields(obj))
    return {name: getattr(obj, name) for name in names}


@dataclass(frozen=True)
class ClauseLinks:
    departments: tuple[DepartmentLink, ...] = ()
    indicators: tuple[Indicator, ...] = ()
    deadline: Deadline | None = None
    # Inferences too weak to be links (role "suggested"): the links pane lists them as 可能相关; nothing
    # else (departments view, search, export, tasks) counts them.
    suggestions: tuple[DepartmentLink, ...] = ()

    def to_json(self) -> dict[str, Any]:
        out = {
            "departments": [_flat(d) for d in self.departments],
            "indicators": [_flat(i) for i in self.indicators],
            "deadline": _flat(self.deadline) if self.deadline else None,
        }
        if self.suggestions:
            out["suggestions"] = [_flat(d) for d in self.suggestions]
        return out

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ClauseLinks:
        dl = data.get("deadline")
        return cls(
            departments=tuple(DepartmentLink(**d) for d in data.get("departments", [])),
            indicators=tuple(Indicator(**i) for i in data.get("indicators", [])),
            deadline=Deadline(**dl) if dl else None,
            suggestions=tuple(DepartmentLink(**d) for d in data.get("suggestions", [])),
        )

    @property
    def years(self) -> tuple[int, ...]:
        ys = {i.deadline for i in self.indicators if i.deadline}
        if self.deadline:
            ys.add(self.deadline.year)
        return tuple(sorted(ys))

    def lead_names(self) -> tuple[str, ...]:
        return tuple(d.name for d in self.departments if d.role == "lead")


def _horizon(doc: Document, plan: bool) -> tuple[int, int] | None:
    from app.core.links.deadlines import plan_horizon

    h = doc.meta.get("horizon")
    if isinstance(h, list) and len(h) == 2:
        return int(h[0]), int(h[1])
    return plan_horizon(doc.title) if plan else None


def _since(doc: Document, horizon: tuple[int, int] | None) -> int | None:
    """The first year of the document's own time: its period's start, else the year it was issued."""
    if horizon is not None:
        return horizon[0]
    if doc.date and doc.date[:4].isdigit():
        return int(doc.date[:4])
    return None


class Linker:
    """Holds the department knowledge base; `link_document` is pure given it."""

    def __init__(self, resources: Path) -> None:
        from app.core.links.departments import DepartmentKB

        self.kb = DepartmentKB.load(resources / KB_FILE)

    def link_document(
        self, doc: Document, clauses: Sequence[Clause], plan: bool | None = None
    ) -> dict[str, ClauseLinks]:
        """Links of every clause with text.

        `plan`: whether the document is a plan (task-style clauses: departments inferred from duties when
        it names none, the period's horizon inherited); None means `doc.kind == "规划"`. Clauses under a
        review heading (发展基础, 取得成效 …) report results: no targets and no deadline.
        """
        from app.core.links.deadlines import extract_deadline, find_milestones
        from app.core.links.departments import document_level
        from app.core.links.retrospect import is_review_path

        plan = doc.kind == "规划" if plan is None else plan
        level = document_level(doc.kind, doc.issuer, doc.title)
        horizon = _horizon(doc, plan)
        since = _since(doc, horizon)
        milestones = find_milestones("\n".join(c.full_text for c in clauses)) if horizon else []
        by_id = {c.id: c for c in clauses}
        annotated = self._annotations(clauses)
        out: dict[str, ClauseLinks] = {}
        for c in clauses:
            if not c.text.strip() and c.level not in _TASK_LEVELS:
                continue
            parent = by_id.get(c.parent_id) if c.parent_id else None
            if plan and is_review_path(c.path):
                depts, suggested = self._departments(plan, c, by_id, annotated, level)
                out[c.id] = ClauseLinks(departments=depts, suggestions=suggested)
                continue
            context = self._context(parent, since, horizon)
            depts, suggested = self._departments(plan, c, by_id, annotated, level)
            out[c.id] = ClauseLinks(
                departments=depts,
                suggestions=suggested,
                indicators=tuple(self._indicators(c, context)),
                deadline=extract_deadline(c.full_text, horizon=horizon, milestones=milestones),
            )
        return out

    def _annotations(self, clauses: Sequence[Clause]) -> dict[str, list[DepartmentLink]]:
        """The units of each clause's own responsibility annotations （责任单位：…）, by clause id."""
        from app.core.links.departments import annotated_departments

        out: dict[str, list[DepartmentLink]] = {}
        for c in clauses:
            text = c.full_text if c.heading and c.heading in c.full_text else c.heading + c.full_text
            links, _ = annotated_departments(text, self.kb)
            if links:
                out[c.id] = links
        self._hoist_closing_annotations(clauses, out)
        return out

    def _hoist_closing_annotations(self, clauses: Sequence[Clause], out: dict[str, list[DepartmentLink]]) -> None:
        """An annotation paragraph after a run of sub-items belongs to the item that holds them.

        `1.加快智能工厂建设。…（1）…（2）…（3）…` followed by a paragraph of its own `（责任单位：A、B）`: the
        parser puts that paragraph at the end of （3）, but when none of （1）（2） has an annotation it closes
        the whole of item 1. It moves there, and the sub-items inherit it (marked 上级条目).
        """
        by_id = {c.id: c for c in clauses}
        children: dict[str, list[Clause]] = {}
        for c in clauses:
            # Only sub-items of an item: after the last item of a section, the annotation is that item's own.
            parent = by_id.get(c.parent_id) if c.parent_id else None
            if parent is not None and parent.level in _TASK_LEVELS and c.level in _TASK_LEVELS:
                children.setdefault(parent.id, []).append(c)
        for parent_id, kids in children.items():
            last = kids[-1]
            if (len(kids) < 2 or parent_id in out or last.id not in out
                    or any(k.id in out for k in kids[:-1]) or not self._closing_annotation(last)):
                continue
            out[parent_id] = [DepartmentLink(d.name, d.role, d.source, d.confidence, f"下属条目末尾：{d.evidence}")
                              for d in out.pop(last.id)]

    def _closing_annotation(self, c: Clause) -> bool:
        """Whether the last paragraph of `c` is an annotation and nothing else."""
        from app.core.links.annotations import find_annotations

        lines = [ln.strip() for ln in c.text.strip().split("\n") if ln.strip()]
        if len(lines) < 2:
            return False
        found = find_annotations(lines[-1], lambda n: self.kb.canonical(n) is not None)
        return len(found) == 1 and found[0].quote.strip() == lines[-1].strip("*_ ")

    def _inherited(
        self, c: Clause, by_id: dict[str, Clause], annotated: dict[str, list[DepartmentLink]]
    ) -> list[DepartmentLink]:
        """A task or item without an annotation takes the nearest enclosing clause's annotation."""
        parent = by_id.get(c.parent_id) if c.parent_id else None
        while parent is not None:
            if parent.id in annotated:
                return [DepartmentLink(d.name, d.role, d.source, _INHERITED_CONFIDENCE, f"上级条目：{d.evidence.removeprefix('下属条目末尾：')}")
                        for d in annotated[parent.id]]
            parent = by_id.get(parent.parent_id) if parent.parent_id else None
        return []

    def _departments(
        self, plan: bool, c: Clause, by_id: dict[str, Clause], annotated: dict[str, list[DepartmentLink]],
        level: str | None = None,
    ) -> tuple[tuple[DepartmentLink, ...], tuple[DepartmentLink, ...]]:
        """(links, suggestions) of one clause; `level` is the document's (`document_level`)."""
        from app.core.links.departments import SUGGESTED, find_mentions, link_departments, with_annotations

        inherited = [] if c.id in annotated or c.level not in _TASK_LEVELS else self._inherited(c, by_id, annotated)
        hoisted = [d for d in annotated.get(c.id, ()) if d.evidence.startswith("下属条目末尾：")]
        if plan and hoisted:  # the annotation closing this item's sub-items (not in its own text)
            links = with_annotations(hoisted, find_mentions(c.heading + c.text, self.kb, level))
        elif plan and not inherited:
            links = link_departments(c.text, c.heading, self.kb, path=c.path, level=level)
        elif plan:
            links = with_annotations(inherited, find_mentions(c.heading + c.text, self.kb, level))
        else:  # laws name their departments; inferring them for every article would be noise
            from app.core.links.annotations import find_annotations, strip_annotations

            own = annotated.get(c.id, [])
            text = c.full_text
            if own:
                text = strip_annotations(text, find_annotations(text, lambda n: self.kb.canonical(n) is not None))
            found = find_mentions(text, self.kb, level)
            links = with_annotations(own, found) if own else found
        ranked = sorted(links, key=lambda d: (_ROLE_ORDER.get(d.role, 3), -d.confidence))
        return (tuple(d for d in ranked if d.role != SUGGESTED), tuple(d for d in ranked if d.role == SUGGESTED))

    @staticmethod
    def _context(parent: Clause | None, since: int | None, horizon: tuple[int, int] | None) -> TargetContext:
        """What a clause's targets inherit in time: the document's period, the lead-in of its parent."""
        from app.core.links.indicators import TargetContext, lead_in_year

        return TargetContext(
            since=since,
            horizon_end=horizon[1] if horizon else None,
            lead_year=lead_in_year(parent.full_text, since) if parent is not None else None,
        )

    @staticmethod
    def _indicators(c: Clause, context: TargetContext | None = None) -> list[Indicator]:
        from app.core.links.indicators import extract_indicators

        return extract_indicators(c.full_text, heading=c.display_heading, context=context)


def dumps(links: ClauseLinks) -> str:
    return json.dumps(links.to_json(), ensure_ascii=False)


def loads(text: str | None) -> ClauseLinks:
    return ClauseLinks.from_json(json.loads(text)) if text else ClauseLinks()
