"""Plain, frozen data passed between the engine and its clients (CLI, desktop app, tests)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

# Document kinds, as recorded in corpus/manifest.json.
KINDS = ("规划", "法律", "行政法规", "地方性法规", "部门规章", "司法解释", "其他")

# Clause levels. Containers (chapter/section/part/...) are clauses too when they carry text of their own.
LEVEL_PREAMBLE = "preamble"  # text before the first numbered heading
LEVEL_CHAPTER = "chapter"  # plan: 一、   law: 第X章 (and 编/节 as part/subsection)
LEVEL_SECTION = "section"  # plan: （一）
LEVEL_TASK = "task"  # plan: bold task heading **…。** and its text
LEVEL_ITEM = "item"  # plan: a numbered item 1. / （1） / ① (its heading is its first sentence, if short)
LEVEL_PART = "part"  # law: 第X编
LEVEL_SUBSECTION = "subsection"  # law: 第X节
LEVEL_ARTICLE = "article"  # law: 第X条 with its 款 and 项
LEVEL_BLOCK = "block"  # unstructured text: a heading or a run of paragraphs

CONTAINER_LEVELS = frozenset({LEVEL_CHAPTER, LEVEL_SECTION, LEVEL_PART, LEVEL_SUBSECTION})
# Levels whose heading is the clause's first sentence, not repeated in its text: full_text joins them.
HEADED_LEVELS = frozenset({LEVEL_TASK, LEVEL_ITEM})


@dataclass(frozen=True)
class Document:
    """One corpus document (the plan, a law, a regulation, or a file the user added)."""

    id: str
    title: str
    kind: str
    issuer: str = ""
    date: str | None = None  # version date, YYYY-MM-DD
    status: str = ""
    source: str = ""  # path of the source file, relative to its corpus root when possible
    sha256: str = ""
    ordinal: int = 0
    history: tuple[str, ...] = ()  # adoption/amendment lines of a law
    meta: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

    def brief(self) -> dict[str, Any]:
        """The `doc` object of the CLI's JSON contracts."""
        return {"id": self.id, "title": self.title, "kind": self.kind, "date": self.date, "status": self.status}


@dataclass(frozen=True)
class Clause:
    """One clause: a node of a document's structure with its own text.

    `path` lists the display headings from the document root down to this clause (inclusive),
    e.g. ("三、坚持绿色低碳，…", "（一）积极稳妥推进碳达峰碳中和", "健全碳排放双控制度体系。").
    """

    id: str
    doc_id: str
    ordinal: int
    level: str
    number: str  # label as printed: "一", "（二）", "3", "第五条"
    number_value: int | None
    heading: str
    path: tuple[str, ...]
    text: str
    parent_id: str | None = None

    @property
    def full_text(self) -> str:
        """Heading and text as one string: what the exact-substring guarantee covers."""
        if self.level in HEADED_LEVELS and self.heading:
            return self.heading + self.text
        return self.text

    @property
    def display_heading(self) -> str:
        return self.path[-1] if self.path else self.heading


@dataclass(frozen=True)
class DepartmentLink:
    name: str
    role: str  # lead | support | mentioned
    source: str  # explicit | table | inferred | user
    confidence: float
    evidence: str


@dataclass(frozen=True)
class Indicator:
    name: str
    value: float | None
    unit: str
    comparator: str
    deadline: int | None
    quote: str
    qualitative: bool = False
    # Optional details (defaults keep older stored JSON loadable through Indicator(**data)).
    baseline: float | None = None  # the base value of an indicator table row (基期值/现状值)
    attribute: str = ""  # 约束性 | 预期性, as the plan's indicator table states it
    qualifier: str = ""  # 累计 | 年均 | …: how the value is counted, when the text says so
    tier: str = ""  # 确保 | 力争 | 争取: a paired target's floor and its stretch value
    deadline_source: str = ""  # explicit | table | lead-in | period | inherited ("" when unknown)


@dataclass(frozen=True)
class Deadline:
    year: int
    date: str | None
    source: str  # explicit | inherited | table | user
    quote: str | None


@dataclass(frozen=True)
class SearchHit:
    """One clause in a result list."""

    id: str
    doc_id: str
    doc_title: str
    kind: str
    path: tuple[str, ...]
    heading: str
    snippet: str  # HTML-escaped text with our own <mark> tags only
    score: float
    departments: tuple[DepartmentLink, ...] = ()
    deadline: Deadline | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "doc_id": self.doc_id,
            "doc_title": self.doc_title,
            "kind": self.kind,
            "path": list(self.path),
            "heading": self.heading,
            "snippet": self.snippet,
            "score": round(self.score, 4),
            "departments": [asdict(d) for d in self.departments],
            "deadline": asdict(self.deadline) if self.deadline else None,
        }


@dataclass(frozen=True)
class SearchResult:
    query: str
    total: int
    hits: tuple[SearchHit, ...]
    elapsed_ms: float = 0.0
    notices: tuple[str, ...] = ()  # Chinese notices for the user (query cut, fallback used, ...)
    facets: dict[str, dict[str, int]] | None = None  # facet -> value -> count, over all matches
    offset: int = 0  # rank (0-based) of hits[0] in the whole ranked list: paging
    suggestions: tuple[str, ...] = ()  # "您是不是要找": library terms that sound like a query term (never applied)
    # recognised kind of answer: "indicator" | "department" | "deadline" | "penalty" | "definition" | "permission"
    intent: str = ""

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"query": self.query, "total": self.total, "offset": self.offset,
                               "hits": [h.to_json() for h in self.hits]}
        if self.notices:
            out["notices"] = list(self.notices)
        if self.suggestions:
            out["suggestions"] = list(self.suggestions)
        if self.intent:
            out["intent"] = self.intent
        if self.facets is not None:
            out["facets"] = self.facets
        return out


OK = "ok"
WARNING = "warning"
REFUSED = "refused"
DUPLICATE = "duplicate"
FILE_STATUS_LABELS = {OK: "已导入", WARNING: "已导入（有提示）", REFUSED: "未能导入", DUPLICATE: "重复，已跳过"}


@dataclass(frozen=True)
class FileOutcome:
    """What a refresh did with one file it read (or refused): the per-file import report."""

    path: str
    status: str  # ok | warning | refused | duplicate
    message: str  # the document title when imported; the Chinese reason otherwise
    warnings: tuple[str, ...] = ()
    clauses: int = 0
    again: bool = False  # refused earlier and unchanged since: not read again
    shipped: bool = False  # a document of the embedded corpus

    @property
    def label(self) -> str:
        return FILE_STATUS_LABELS.get(self.status, self.status)


@dataclass(frozen=True)
class IndexReport:
    """What a build/refresh did."""

    documents: int
    clauses: int
    added: int
    updated: int
    removed: int
    unchanged: int
    failed: tuple[tuple[str, str], ...]  # (source path, Chinese message)
    seconds: float
    full_rebuild: bool
    phases: tuple[tuple[str, float], ...] = ()  # (phase, seconds): read+parse+link, save, index (beyond the save: a
    # full rebuild stores the clauses while the index writer processes work)
    tasks: tuple[tuple[str, int], ...] = ()  # re-anchored tasks per state (ok/moved/changed/missing)
    files: tuple[FileOutcome, ...] = ()  # every file read or refused in this refresh, in scan order
