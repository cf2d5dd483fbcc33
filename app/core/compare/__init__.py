"""Compare two versions of a document (征求意见稿 and 正式稿, two versions of a law) clause by clause.

    from app.core.compare import compare
    result = compare(old_doc, old_clauses, new_doc, new_clauses, old_links=..., new_links=...)
    result.summary          # {"modified": 7, "added": 3, "deleted": 1, "moved": 2, "unchanged": 72}
    result.changes          # changed indicators and deadlines: 生活垃圾回收利用率 50% → 55%
    result.changed()        # the pairs to read, each with character-level segments and 变化说明

`Library.compare(old_id, new_id)` does the loading. Alignment and statuses: `align`; differences inside a
clause: `textdiff`; targets and deadlines: `changes`; the data returned: `model`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from app.core import anchor
from app.core.compare.align import display_text, pair_clauses
from app.core.compare.changes import clause_changes
from app.core.compare.model import (
    STATUS_LABELS,
    STATUSES,
    ClausePair,
    ClauseSide,
    Comparison,
    IndicatorChange,
    Segment,
    Status,
    inline_marks,
)
from app.core.compare.textdiff import segments
from app.core.links.service import ClauseLinks
from app.core.models import Clause, Document

__all__ = [
    "STATUSES", "STATUS_LABELS", "ClausePair", "ClauseSide", "Comparison", "IndicatorChange", "Segment", "Status",
    "compare", "display_text", "inline_marks",
]


def compare(old_doc: Document, old_clauses: Sequence[Clause], new_doc: Document, new_clauses: Sequence[Clause], *,
            old_links: Mapping[str, ClauseLinks] | None = None,
            new_links: Mapping[str, ClauseLinks] | None = None) -> Comparison:
    """Every clause of both versions in one pair with its status, text differences and changed targets.

    `old_links` / `new_links`: clause id → the links extracted from its text (indicators, deadline);
    without them no indicator or deadline changes are reported.
    """
    old_l, new_l = old_links or {}, new_links or {}
    out: list[ClausePair] = []
    for raw in pair_clauses(old_doc, old_clauses, new_doc, new_clauses):
        a = old_clauses[raw.old] if raw.old is not None else None
        b = new_clauses[raw.new] if raw.new is not None else None
        old_side = ClauseSide.of(a, old_doc.id, display_text(a)) if a is not None else None
        new_side = ClauseSide.of(b, new_doc.id, display_text(b)) if b is not None else None
        shown = new_side or old_side
        where = shown.location if shown is not None else ""
        changes = tuple(clause_changes(old_l.get(a.id) if a else None, new_l.get(b.id) if b else None,
                                       a.id if a else None, b.id if b else None, where))
        if a is None or b is None:
            status: Status = "added" if a is None else "deleted"
            out.append(ClausePair(status, old_side, new_side, 0.0, False, "", (), (), changes))
            continue
        assert old_side is not None and new_side is not None
        edited = anchor.content_key(a) != anchor.content_key(b)
        status = "moved" if raw.moved else "modified" if edited else "unchanged"
        old_seg, new_seg = segments(old_side.text, new_side.text) if edited else ((), ())
        out.append(ClausePair(status, old_side, new_side, 1.0 if not edited else raw.similarity, edited, raw.reason,
                              old_seg, new_seg, changes))
    return Comparison(old_doc, new_doc, tuple(out))
