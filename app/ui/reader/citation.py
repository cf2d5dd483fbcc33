"""Pure helpers of the reading pane: the citation copied with Ctrl+C and the document outline.

Runs on worker threads (no Qt). A plan clause is cited by the numbers the document prints down the hierarchy,
and a task (a bold lead sentence, unnumbered in the document) by that sentence in quotes:
《美丽上海建设“十五五”规划（征求意见稿）》三、（一）“全面深化上海碳市场改革”　…, 二、（一）1. （2）…;
a law article as 《…法》第五条　…. The exports cite the same way (app/core/export/collect.cite_label).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from app.core import models as M
from app.core.export.collect import cite_label
from app.core.models import Clause, Document

NUMBERED = (M.LEVEL_PART, M.LEVEL_CHAPTER, M.LEVEL_SECTION, M.LEVEL_SUBSECTION, M.LEVEL_TASK, M.LEVEL_ITEM,
            M.LEVEL_ARTICLE)
OUTLINE_LEVELS = (*NUMBERED, M.LEVEL_PREAMBLE, M.LEVEL_BLOCK)


@dataclass(frozen=True)
class OutlineEntry:
    id: str
    parent_id: str | None
    label: str
    level: str


def number_label(c: Clause) -> str:
    """The number the document prints before a clause: 四、 （二） 1.  第五条 ③ — "" for a task (unnumbered)."""
    return "" if c.level == M.LEVEL_TASK else cite_label(c)


def ancestors(c: Clause, by_id: dict[str, Clause]) -> list[Clause]:
    """`c` and its parents, root first."""
    chain = [c]
    seen = {c.id}
    pid = c.parent_id
    while pid is not None and pid in by_id and pid not in seen:
        seen.add(pid)
        chain.append(by_id[pid])
        pid = by_id[pid].parent_id
    return chain[::-1]


def clause_ref(doc: Document, c: Clause, clauses: Sequence[Clause]) -> str:
    """四、（二）“加强移动源清洁化攻坚” or 二、（一）1. （2） for a plan; 第五条 for a law article."""
    if doc.kind != "规划" and c.level == M.LEVEL_ARTICLE and c.number:
        return c.number
    by_id = {x.id: x for x in clauses}
    ref = "".join(cite_label(x) for x in ancestors(c, by_id) if x.level in NUMBERED).rstrip()
    return ref or (c.path[-1] if c.path else "")


def clause_body(c: Clause) -> str:
    text = " ".join(ln.strip() for ln in c.text.splitlines() if ln.strip())
    if c.level == M.LEVEL_ARTICLE and c.number and text.startswith(c.number):
        text = text[len(c.number):].lstrip()
    if c.level in M.HEADED_LEVELS and c.heading:
        return c.heading + text
    if c.level in (M.LEVEL_CHAPTER, M.LEVEL_SECTION, M.LEVEL_SUBSECTION, M.LEVEL_PART) and c.heading:
        return c.heading + ("　" + text if text else "")
    return text


def citation_text(doc: Document, c: Clause, clauses: Sequence[Clause]) -> str:
    """The clause with where it comes from, ready to paste into a draft."""
    ref = clause_ref(doc, c, clauses)
    body = clause_body(c)
    sep = "" if not ref or ref.endswith(("、", "）", ")")) else " " if ref.endswith(".") else "　"  # ” 第五条
    return f"《{doc.title}》{ref}{sep}{body}".rstrip()


def _short(text: str, n: int = 28) -> str:
    text = re.sub(r"\s+", " ", text).strip()
    return text if len(text) <= n else text[: n - 1] + "…"


def outline(clauses: Sequence[Clause]) -> list[OutlineEntry]:
    """One entry per clause, labelled as in the document (健全碳排放双控制度体系。 / 1. 加快… / 第五条 …)."""
    out = []
    for c in clauses:
        if c.level in M.HEADED_LEVELS:
            label = f"{number_label(c)}{_short(c.heading or c.text)}"
        elif c.level == M.LEVEL_ARTICLE:
            label = f"{c.number}　{_short(clause_body(c), 18)}"
        else:
            label = _short(c.path[-1] if c.path else c.heading or c.text, 32)
        out.append(OutlineEntry(c.id, c.parent_id, label, c.level))
    return out
