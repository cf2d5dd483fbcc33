"""Links that people set: an imported 任务分工表 and the user's own corrections, laid over extracted links.

Precedence: user (手工) > table (分工表) > explicit (原文) > inferred (推断). Both kinds of user input live
in the user database, so they survive every rebuild of the derived clause database.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import replace
from typing import Any

from app.core.links.service import ClauseLinks
from app.core.models import Deadline, DepartmentLink

_YEAR = re.compile(r"(20\d{2})\s*年?(?:\s*[-/.年]?\s*(\d{1,2})\s*(?:月|$|[-/.]))?(?:\s*(\d{1,2})\s*日?)?")


def parse_deadline(raw: str | None, source: str) -> Deadline | None:
    """Read a deadline as people write it: 2028, 2028-06-30, 2026年6月底前, 2027年底前."""
    if not raw or not raw.strip():
        return None
    text = raw.strip()
    m = _YEAR.search(text)
    if m is None:
        return None
    year = int(m.group(1))
    month = int(m.group(2)) if m.group(2) else (12 if "年底" in text else None)
    date = None
    if month is not None and 1 <= month <= 12:
        day = int(m.group(3)) if m.group(3) else calendar.monthrange(year, month)[1]
        if 1 <= day <= calendar.monthrange(year, month)[1]:
            date = f"{year:04d}-{month:02d}-{day:02d}"
    return Deadline(year=year, date=date, source=source, quote=text)


def _named(names: list[str] | None, role: str, source: str, evidence: str) -> list[DepartmentLink]:
    return [DepartmentLink(name=n, role=role, source=source, confidence=1.0, evidence=evidence) for n in names or []]


def _merge(base: ClauseLinks, over: dict[str, Any], source: str, evidence: str) -> ClauseLinks:
    lead, support = over.get("lead"), over.get("support")
    if lead is None and support is None:
        depts = list(base.departments)
    else:
        set_roles = {r for r, v in (("lead", lead), ("support", support)) if v is not None}
        named = set((lead or []) + (support or []))
        kept = [d for d in base.departments
                if d.source != "inferred" and d.role not in set_roles and d.name not in named]
        depts = _named(lead, "lead", source, evidence) + _named(support, "support", source, evidence) + kept
    deadline = parse_deadline(over.get("deadline"), source) or base.deadline
    return replace(base, departments=tuple(depts), deadline=deadline)


def apply(base: ClauseLinks, table: dict[str, Any] | None, user: dict[str, Any] | None) -> ClauseLinks:
    """Lay the imported table row, then the user's correction, over the extracted links."""
    out = base
    if table:
        out = _merge(out, table, "table", "任务分工表")
    if user:
        out = _merge(out, user, "user", "手工设置")
    return out
