"""What a comparison of two versions returns: plain frozen data with `to_json`, and the Chinese wording of
each change (变化说明) shared by the CLI, the exports and the desktop app."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from app.core.models import LEVEL_ARTICLE, LEVEL_PREAMBLE, Clause, Document

Status = Literal["added", "deleted", "modified", "moved", "unchanged"]
STATUSES: tuple[Status, ...] = ("modified", "added", "deleted", "moved", "unchanged")
STATUS_LABELS: dict[str, str] = {"added": "新增", "deleted": "删除", "modified": "修改", "moved": "移动",
                                 "unchanged": "未变"}
SegmentKind = Literal["same", "del", "ins"]
ChangeKind = Literal["indicator", "deadline"]
ChangeType = Literal["changed", "added", "removed"]

_CN_NUMBER = re.compile(r"[一二三四五六七八九十百零〇两]+")


@dataclass(frozen=True)
class Segment:
    """A run of a clause's text: unchanged (`same`), only in the old text (`del`) or only in the new (`ins`).
    The old side holds same/del segments, the new side same/ins: joined, each gives its clause's text."""

    kind: SegmentKind
    text: str

    def to_json(self) -> dict[str, str]:
        return {"kind": self.kind, "text": self.text}


@dataclass(frozen=True)
class ClauseSide:
    """One side of a pair: the clause as the comparison shows it."""

    id: str
    rel_id: str  # the id without its document: 四/（一）/1, 第三十条
    level: str
    location: str  # 四、（一）1.  第三十条  第五章 法律责任  序言
    path: tuple[str, ...]
    heading: str
    text: str  # heading and text as printed, without the number label (what is diffed)

    @classmethod
    def of(cls, clause: Clause, doc_id: str, text: str) -> ClauseSide:
        prefix = doc_id + "/"
        rel = clause.id[len(prefix):] if clause.id.startswith(prefix) else clause.id
        return cls(id=clause.id, rel_id=rel, level=clause.level, location=location(clause, rel),
                   path=clause.path, heading=clause.heading, text=text)

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "rel_id": self.rel_id, "level": self.level, "location": self.location,
                "path": list(self.path), "heading": self.heading, "text": self.text}


def location(clause: Clause, rel_id: str) -> str:
    """Where a clause sits, as a reader cites it: 四、（一）1.  第三十条  第五章 法律责任  序言."""
    if clause.level == LEVEL_PREAMBLE:
        return "序言"
    if clause.level == LEVEL_ARTICLE:
        return clause.number or rel_id
    if clause.level in ("chapter", "part", "subsection") and clause.path:
        return clause.path[-1]
    parts = [p for p in rel_id.split("/") if p]
    if not parts:
        return clause.display_heading
    return "".join(p + "、" if _CN_NUMBER.fullmatch(p) else p + "." if p.isdigit() else p for p in parts)


@dataclass(frozen=True)
class IndicatorChange:
    """A target or deadline that differs between the two versions of a clause (or comes or goes with it)."""

    kind: ChangeKind
    change: ChangeType
    name: str  # the indicator's name; for a deadline, the clause's location
    old: str  # as people write it: 50%, ≥95%, 2030年; "" when added
    new: str  # "" when removed
    old_clause: str | None
    new_clause: str | None
    where: str = ""  # the clause's location in the new version (the old one when removed)
    year_only: bool = False  # an indicator whose value stayed: only its year changed (old/new are years)

    def describe(self) -> str:
        """指标“生活垃圾回收利用率”由50%调整为55%；完成时限由2030年调整为2028年；新增指标“…”（200个）."""
        if self.kind == "deadline":
            if self.change == "added":
                return f"新增完成时限{self.new}"
            if self.change == "removed":
                return f"删去完成时限（原为{self.old}）"
            return f"完成时限由{self.old}调整为{self.new}"
        if self.change == "added":
            return f"新增指标“{self.name}”" + (f"（{self.new}）" if self.new else "")
        if self.change == "removed":
            return f"删去指标“{self.name}”" + (f"（原为{self.old}）" if self.old else "")
        if self.year_only:
            return f"指标“{self.name}”期限由{self.old}调整为{self.new}"
        return f"指标“{self.name}”由{self.old or '（未定量）'}调整为{self.new or '（未定量）'}"

    def to_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "change": self.change, "name": self.name, "old": self.old, "new": self.new,
                "old_clause": self.old_clause, "new_clause": self.new_clause, "where": self.where, "year_only": self.year_only,
                "description": self.describe()}


@dataclass(frozen=True)
class ClausePair:
    """An old clause and its counterpart in the new version (either may be None: deleted / added)."""

    status: Status
    old: ClauseSide | None
    new: ClauseSide | None
    similarity: float = 1.0  # of the two texts, 0..1 (1.0 for identical; 0.0 for added/deleted)
    edited: bool = False  # the texts differ (every `modified`; a `moved` clause may be edited too)
    reason: str = ""  # English, how the pair was found: "identical text", "same heading path", "same place"
    old_segments: tuple[Segment, ...] = ()
    new_segments: tuple[Segment, ...] = ()
    changes: tuple[IndicatorChange, ...] = field(default=())

    @property
    def label(self) -> str:
        return STATUS_LABELS[self.status]

    @property
    def renumbered(self) -> bool:
        """Matched at another number or path (三、 → 四、, 第三十二条 → 第三十一条)."""
        return self.old is not None and self.new is not None and self.old.rel_id != self.new.rel_id

    def spans(self, side: str) -> list[tuple[int, int]]:
        """(start, end) character offsets in the old (`side="old"`: deleted runs) or new (`"new"`: added runs)
        text: what a reader highlights. A deleted or added clause is one span over its whole text."""
        clause = self.old if side == "old" else self.new
        if clause is None:
            return []
        if self.status in ("added", "deleted"):
            return [(0, len(clause.text))]
        out: list[tuple[int, int]] = []
        pos = 0
        for seg in self.old_segments if side == "old" else self.new_segments:
            if seg.kind != "same":
                out.append((pos, pos + len(seg.text)))
            pos += len(seg.text)
        return out

    def explain(self) -> str:
        """变化说明: the status, where it moved from, what changed in its targets and deadlines."""
        parts: list[str] = []
        if self.status == "moved":
            assert self.old is not None
            parts.append(f"移动（原位于{self.old.location}）" + ("，并有修改" if self.edited else ""))
        elif self.status == "modified":
            parts.append("修改" + (f"（原{self.old.location}）" if self.renumbered and self.old else ""))
        elif self.status == "unchanged":
            parts.append(f"未变（原{self.old.location}）" if self.renumbered and self.old else "未变")
        else:
            parts.append(self.label)
        parts += [c.describe() for c in self.changes]
        return "；".join(parts)

    def inline(self, context: int | None = None) -> str:
        """The new text with the edits marked 【删：…】【增：…】 (plain-text exports and the terminal).

        `context`: keep only this many unchanged characters around each edit (… elsewhere)."""
        if self.status == "added":
            return self.new.text if self.new else ""
        if self.status == "deleted" or not self.edited:
            return (self.old.text if self.status == "deleted" else self.new.text if self.new else "") if self.old else ""
        return inline_marks(self.old_segments, self.new_segments, context)

    def to_json(self) -> dict[str, Any]:
        return {
            "status": self.status, "label": self.label, "old": self.old.to_json() if self.old else None,
            "new": self.new.to_json() if self.new else None, "similarity": round(self.similarity, 4),
            "edited": self.edited, "renumbered": self.renumbered, "reason": self.reason,
            "old_segments": [s.to_json() for s in self.old_segments],
            "new_segments": [s.to_json() for s in self.new_segments],
            "old_spans": [list(x) for x in self.spans("old")], "new_spans": [list(x) for x in self.spans("new")],
            "changes": [c.to_json() for c in self.changes], "explanation": self.explain(),
        }


def inline_marks(old: Sequence[Segment], new: Sequence[Segment], context: int | None = None) -> str:
    """Merge the two sides into one text: 全面【删：实施】【增：落实】碳排放…"""
    parts: list[tuple[str, str]] = []  # (kind, text) in reading order
    i = j = 0
    used_old = used_new = 0  # characters of old[i] / new[j] already emitted (same segments split unevenly)
    while i < len(old) or j < len(new):
        if i < len(old) and old[i].kind == "del":
            parts.append(("del", old[i].text))
            i += 1
        elif j < len(new) and new[j].kind == "ins":
            parts.append(("ins", new[j].text))
            j += 1
        elif i < len(old) and j < len(new):  # both inside unchanged text: the same characters
            a, b = old[i].text[used_old:], new[j].text[used_new:]
            n = min(len(a), len(b))
            parts.append(("same", b[:n]))
            used_old, used_new = used_old + n, used_new + n
            if used_old >= len(old[i].text):
                i, used_old = i + 1, 0
            if used_new >= len(new[j].text):
                j, used_new = j + 1, 0
        else:  # one side ran out (should not happen: both sides hold the same unchanged text)
            rest = old[i:] if i < len(old) else new[j:]
            parts += [("same", s.text) for s in rest]
            break
    merged: list[tuple[str, str]] = []
    for kind, text in parts:
        if merged and merged[-1][0] == kind == "same":
            merged[-1] = ("same", merged[-1][1] + text)
        elif text:
            merged.append((kind, text))
    out = []
    for n, (kind, text) in enumerate(merged):
        if kind != "same" and context is not None and len(text) > 4 * context:
            text = f"{text[:2 * context]}…（共{len(text)}字）"
        if kind == "del":
            out.append(f"【删：{text}】")
        elif kind == "ins":
            out.append(f"【增：{text}】")
        else:
            out.append(_trim(text, context, first=n == 0, last=n == len(merged) - 1))
    return "".join(out)


def _trim(text: str, context: int | None, *, first: bool, last: bool) -> str:
    if context is None or len(text) <= 2 * context + 1:
        return text
    if first and last:
        return text[:context] + "…"
    if first:
        return "…" + text[-context:]
    if last:
        return text[:context] + "…"
    return f"{text[:context]}…{text[-context:]}"


@dataclass(frozen=True)
class Comparison:
    """Two versions of a document compared clause by clause."""

    old_doc: Document
    new_doc: Document
    pairs: tuple[ClausePair, ...]  # in the new version's order, a deleted clause after its old predecessor

    @property
    def summary(self) -> dict[str, int]:
        counts: dict[str, int] = dict.fromkeys(STATUSES, 0)
        for p in self.pairs:
            counts[p.status] += 1
        return counts

    @property
    def renumbered(self) -> int:
        """Unchanged clauses found under another number (shown as 未变, counted apart)."""
        return sum(1 for p in self.pairs if p.status == "unchanged" and p.renumbered)

    @property
    def changes(self) -> list[IndicatorChange]:
        """Every changed indicator and deadline, in document order."""
        return [c for p in self.pairs for c in p.changes]

    def changed(self) -> list[ClausePair]:
        """The pairs a reader needs to look at: everything but 未变."""
        return [p for p in self.pairs if p.status != "unchanged"]

    def summary_line(self) -> str:
        """共比对 84 条：修改 7 条，新增 3 条，删除 1 条，移动 2 条，未变 72 条（其中 60 条仅编号调整）"""
        s = self.summary
        text = f"共比对 {len(self.pairs)} 条：" + "，".join(f"{STATUS_LABELS[k]} {s[k]} 条" for k in STATUSES)
        n = self.renumbered
        return text + (f"（其中 {n} 条仅编号调整）" if n else "")

    def to_json(self) -> dict[str, Any]:
        return {
            "old_doc": self.old_doc.brief(), "new_doc": self.new_doc.brief(), "summary": self.summary,
            "renumbered": self.renumbered, "summary_text": self.summary_line(),
            "changes": [c.to_json() for c in self.changes], "pairs": [p.to_json() for p in self.pairs],
        }
