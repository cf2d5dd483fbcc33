"""Compute the links of every clause of a document: departments, indicators and the deadline.

Extraction is pure text work (the extractors in this package); this module decides which extractor
applies to which clause and how the document's horizon and milestones are inherited.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from app.core.models import Clause, Deadline, DepartmentLink, Document, Indicator

KB_FILE = "departments.json"
# Bump when extraction rules or the knowledge base format change: every document is re-linked.
LINKS_VERSION = "1"
_ROLE_ORDER = {"lead": 0, "support": 1, "mentioned": 2}


@dataclass(frozen=True)
class ClauseLinks:
    departments: tuple[DepartmentLink, ...] = ()
    indicators: tuple[Indicator, ...] = ()
    deadline: Deadline | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "departments": [asdict(d) for d in self.departments],
            "indicators": [asdict(i) for i in self.indicators],
            "deadline": asdict(self.deadline) if self.deadline else None,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ClauseLinks:
        dl = data.get("deadline")
        return cls(
            departments=tuple(DepartmentLink(**d) for d in data.get("departments", [])),
            indicators=tuple(Indicator(**i) for i in data.get("indicators", [])),
            deadline=Deadline(**dl) if dl else None,
        )

    @property
    def years(self) -> tuple[int, ...]:
        ys = {i.deadline for i in self.indicators if i.deadline}
        if self.deadline:
            ys.add(self.deadline.year)
        return tuple(sorted(ys))

    def lead_names(self) -> tuple[str, ...]:
        return tuple(d.name for d in self.departments if d.role == "lead")


def _horizon(doc: Document) -> tuple[int, int] | None:
    from app.core.links.deadlines import plan_horizon

    h = doc.meta.get("horizon")
    if isinstance(h, list) and len(h) == 2:
        return int(h[0]), int(h[1])
    return plan_horizon(doc.title) if doc.kind == "规划" else None


class Linker:
    """Holds the department knowledge base; `link_document` is pure given it."""

    def __init__(self, resources: Path) -> None:
        from app.core.links.departments import DepartmentKB

        self.kb = DepartmentKB.load(resources / KB_FILE)

    def link_document(self, doc: Document, clauses: Sequence[Clause]) -> dict[str, ClauseLinks]:
        from app.core.links.deadlines import extract_deadline, find_milestones

        horizon = _horizon(doc)
        milestones = find_milestones("\n".join(c.full_text for c in clauses)) if horizon else []
        out: dict[str, ClauseLinks] = {}
        for c in clauses:
            if not c.text.strip() and c.level != "task":
                continue
            out[c.id] = ClauseLinks(
                departments=self._departments(doc, c),
                indicators=tuple(self._indicators(c)),
                deadline=extract_deadline(c.full_text, horizon=horizon, milestones=milestones),
            )
        return out

    def _departments(self, doc: Document, c: Clause) -> tuple[DepartmentLink, ...]:
        from app.core.links.departments import find_mentions, link_departments

        if doc.kind == "规划":
            links = link_departments(c.text, c.heading, self.kb, path=c.path)
        else:  # laws name their departments; inferring them for every article would be noise
            links = find_mentions(c.full_text, self.kb)
        return tuple(sorted(links, key=lambda d: (_ROLE_ORDER.get(d.role, 3), -d.confidence)))

    @staticmethod
    def _indicators(c: Clause) -> list[Indicator]:
        from app.core.links.indicators import extract_indicators

        return extract_indicators(c.text, heading=c.heading)


def dumps(links: ClauseLinks) -> str:
    return json.dumps(links.to_json(), ensure_ascii=False)


def loads(text: str | None) -> ClauseLinks:
    return ClauseLinks.from_json(json.loads(text)) if text else ClauseLinks()
