"""What an export contains, independent of the file format: one `ClauseSummary` per clause.

Every string here is already cleaned of XML-invalid characters (see `clean_text`); writers only lay it out
and escape it for their format.
"""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, fields, is_dataclass, replace
from pathlib import Path
from typing import Any, Literal

FORMATS = ("docx", "pdf", "md", "html", "xlsx")
Format = Literal["docx", "pdf", "md", "html", "xlsx"]
ScopeKind = Literal["clauses", "query", "doc", "department", "indicators", "tasks"]
Layout = Literal["gongwen", "plain"]

SOURCE_LABELS = {"explicit": "原文", "table": "分工表", "inferred": "推断", "user": "手工"}
DEADLINE_SOURCE_LABELS = {"explicit": "原文", "inherited": "规划期限", "table": "分工表", "user": "手工"}
COMPARATORS = {">=": "≥", "<=": "≤", ">": "＞", "<": "＜", "~": "约", "=": ""}

# XML 1.0 forbids C0 controls except tab/newline/CR, lone surrogates and U+FFFE/U+FFFF; python-docx and
# openpyxl raise on them. DEL is legal but invisible, so it goes too.
_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")


def clean_text(text: str | None) -> str:
    """`text` without characters that XML (docx/xlsx), PDF text layers or terminals choke on."""
    if not text:
        return ""
    return _INVALID.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))


def one_line(text: str) -> str:
    return " ".join(clean_text(text).split())


def group_heading(doc_title: str) -> str:
    """The heading over one document's clauses: its title in 《》, unnumbered.

    Exported clauses are not numbered at all: every 公文 numbering (一、 （一） 1. （1）) is one the plan itself uses
    and 出处 quotes (二、（二）…), and 第N条 is how laws number articles, so a list position in any of these styles
    reads as the document's own number. The heading plus 出处 name each clause; the subtitle gives the count."""
    return doc_title if doc_title.startswith("《") else f"《{doc_title}》"


@dataclass(frozen=True)
class DeptRef:
    name: str
    role: str  # lead | support
    source: str  # explicit | table | inferred | user

    @property
    def label(self) -> str:
        return f"{self.name}（{SOURCE_LABELS.get(self.source, self.source)}）"


@dataclass(frozen=True)
class IndicatorRef:
    name: str
    target: str  # as people write it: "≥55%", "约200万标准箱", "100%"; "" when qualitative without value
    unit: str
    deadline: int | None
    quote: str = ""
    progress: str = ""  # the user's tracking, when recorded: "2024年 44.6%，完成46%，进度正常"
    deadline_source: str = ""  # explicit | table | lead-in | inherited | period ("" when unknown)

    @property
    def text(self) -> str:
        """国四柴油货车淘汰率 100%（2030年）, plus 【进度：…】 when the user tracks it.

        A year the document does not state for this target but implies by the plan period is marked
        （2030年，按规划期）: an inference is never printed as if the document said it."""
        t = f"{self.name} {self.target}".strip()
        if self.deadline:
            t += f"（{self.deadline}年，按规划期）" if self.deadline_source == "period" else f"（{self.deadline}年）"
        return t + (f"【进度：{self.progress}】" if self.progress else "")


@dataclass(frozen=True)
class TaskFields:
    """The user's task record of a clause (the tasks module fills this in; plain dicts for now)."""

    status: str = ""
    due: str = ""
    note: str = ""
    tags: tuple[str, ...] = ()

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> TaskFields:
        tags = data.get("tags") or ()
        if isinstance(tags, str):
            tags = [t for t in re.split(r"[、，,；;\s]+", tags) if t]
        return cls(status=one_line(str(data.get("status") or "")), due=one_line(str(data.get("due") or "")),
                   note=clean_text(str(data.get("note") or "")).strip(),
                   tags=tuple(one_line(str(t)) for t in tags if str(t).strip()))


@dataclass(frozen=True)
class ClauseSummary:
    """One exported clause: where it is, what it says, who does it, by when, and (for tasks) its state."""

    clause_id: str
    doc_id: str
    doc_title: str
    doc_kind: str
    level: str
    heading: str  # short display heading: "加强移动源清洁化攻坚", "第四十条", "序言"
    location: str  # structural reference inside the document: "四、（一）1.", "第四十条"
    text: str  # the clause text (task headings excluded), or an excerpt of it
    full_text: str  # heading + text as in the document, never cut (task tables use it)
    excerpt: bool = False
    lead: tuple[DeptRef, ...] = ()
    support: tuple[DeptRef, ...] = ()
    indicators: tuple[IndicatorRef, ...] = ()
    deadline: str = ""  # "2030年", "2028年6月30日"
    deadline_source: str = ""  # explicit | inherited | table | user
    task: TaskFields | None = None

    @property
    def citation(self) -> str:
        """《美丽上海建设“十五五”规划（征求意见稿）》四、（二）3."""
        return f"《{self.doc_title}》{self.location}"

    @property
    def deadline_label(self) -> str:
        if not self.deadline:
            return ""
        src = DEADLINE_SOURCE_LABELS.get(self.deadline_source, "")
        return f"{self.deadline}（{src}）" if src else self.deadline

    def facts(self) -> list[tuple[str, str]]:
        """(label, value) lines shown under the text in documents; empty values are left out."""
        rows = [
            ("出处", self.citation),
            ("牵头单位", "、".join(d.label for d in self.lead)),
            ("配合单位", "、".join(d.label for d in self.support)),
            ("指标", "；".join(i.text for i in self.indicators)),
            ("完成时限", self.deadline_label),
        ]
        if self.task is not None:
            rows += [("状态", self.task.status), ("到期", self.task.due), ("标签", "、".join(self.task.tags)),
                     ("备注", self.task.note)]
        return [(k, v) for k, v in rows if v]


@dataclass(frozen=True)
class ExportSet:
    """Everything one export file shows, in order."""

    title: str
    items: tuple[ClauseSummary, ...]
    scope: ScopeKind
    generated: _dt.date = field(default_factory=_dt.date.today)
    notices: tuple[str, ...] = ()

    @property
    def subtitle(self) -> str:
        d = self.generated
        return f"（共{len(self.items)}条，{d.year}年{d.month}月{d.day}日导出）"

    def cleaned(self) -> ExportSet:
        """A copy with every string cleaned (`clean_text`): for sets built by callers rather than `collect`."""
        out: ExportSet = _clean(self)
        return out

    def groups(self) -> list[tuple[str, list[ClauseSummary]]]:
        """Items grouped by document, in first-seen order (each group keeps the items' order)."""
        out: dict[str, tuple[str, list[ClauseSummary]]] = {}
        for it in self.items:
            out.setdefault(it.doc_id, (it.doc_title, []))[1].append(it)
        return list(out.values())


def _clean(value: Any) -> Any:
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, tuple):
        return tuple(_clean(v) for v in value)
    if is_dataclass(value) and not isinstance(value, type):
        return replace(value, **{f.name: _clean(getattr(value, f.name)) for f in fields(value)})
    return value


@dataclass(frozen=True)
class Scope:
    """What to export. Build it with the class methods; the export dialog and the CLI both do."""

    kind: ScopeKind
    clause_ids: tuple[str, ...] = ()
    query: str = ""
    doc_id: str = ""
    department: str = ""
    roles: tuple[str, ...] = ("lead", "support")
    tasks: tuple[Mapping[str, Any], ...] = ()
    title: str = ""  # overrides the generated title
    all_versions: bool = False  # a query's results include superseded versions of a law (含旧版本)

    @classmethod
    def of_clauses(cls, ids: Sequence[str], title: str = "") -> Scope:
        return cls("clauses", clause_ids=tuple(ids), title=title)

    @classmethod
    def of_query(cls, query: str, title: str = "", *, all_versions: bool = False) -> Scope:
        return cls("query", query=query, title=title, all_versions=all_versions)

    @classmethod
    def of_document(cls, doc_id: str, title: str = "") -> Scope:
        return cls("doc", doc_id=doc_id, title=title)

    @classmethod
    def of_department(cls, name: str, roles: Sequence[str] = ("lead", "support"), title: str = "") -> Scope:
        return cls("department", department=name, roles=tuple(roles), title=title)

    @classmethod
    def of_indicators(cls, title: str = "") -> Scope:
        return cls("indicators", title=title)

    @classmethod
    def of_tasks(cls, tasks: Sequence[Mapping[str, Any]], title: str = "") -> Scope:
        """`tasks`: dicts with clause_id and optional status, due, note, tags (list or 、-separated)."""
        return cls("tasks", tasks=tuple(tasks), title=title)


@dataclass(frozen=True)
class ExportOptions:
    layout: Layout = "gongwen"  # GB/T 9704 公文 layout, or "plain"
    excerpt: bool = False  # an excerpt around the query hit (or the opening) instead of the full text
    excerpt_chars: int = 160
    max_results: int = 2000  # cap for a search's full result set
    generated: _dt.date | None = None  # the date printed in the file (tests fix it)


@dataclass(frozen=True)
class ExportResult:
    path: Path  # the written file (its name may differ from the one asked for: sanitised, or (2))
    format: Format
    count: int
    pages: int | None = None  # PDF only
    notices: tuple[str, ...] = ()  # Chinese notes for the user (font used, results capped, ...)
