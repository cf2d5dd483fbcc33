"""What the 导出 dialog is asked to export: an engine `Scope` with a readable description, a count when it
was cheap to know, and the title the file gets unless the user types another.

Views build an `ExportRequest` from what they show (no engine call on the GUI thread); `request_for`
describes a bare `Scope` (the 我的任务 tab passes `Scope.of_tasks(library.tasks())`).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

from app.core.export import Scope
from app.ui.export import strings as T

Roles = tuple[str, ...]
BOTH: Roles = ("lead", "support")


@dataclass(frozen=True)
class ExportRequest:
    scope: Scope
    description: str  # 检索“垃圾分类”的全部结果, 市生态环境局, 《…》全部条款 …
    count: int | None = None  # clauses exported, when known without asking the engine
    total: int | None = None  # a search's full result count, when more than `count` are found
    title: str = ""  # the export's default title (also the suggested file name)
    role_counts: dict[Roles, int] = field(default_factory=dict)  # department scopes: clauses per role choice

    @property
    def has_query(self) -> bool:
        return self.scope.kind == "query"

    @property
    def roles(self) -> Roles:
        return self.scope.roles

    def with_roles(self, roles: Roles) -> ExportRequest:
        """The same department with another role choice (牵头和配合 / 仅牵头 / 仅配合)."""
        if self.scope.kind != "department":
            return self
        scope = dataclasses.replace(self.scope, roles=tuple(roles))
        return dataclasses.replace(self, scope=scope, count=self.role_counts.get(tuple(roles)),
                                   title=default_title(scope))

    def count_text(self) -> str:
        if self.count is None:
            return ""
        if self.total is not None and self.total > self.count:
            return T.EXPORT_COUNT_CAPPED.format(total=self.total, n=self.count)
        return T.EXPORT_COUNT.format(n=self.count)


def default_title(scope: Scope, doc_title: str = "") -> str:
    """The title `collect` would give `scope` (shown in the dialog, so the file name can be suggested)."""
    if scope.title:
        return scope.title
    if scope.kind == "query":
        return T.EXPORT_TITLE_QUERY.format(query=" ".join(scope.query.split())[:40])
    if scope.kind == "doc":
        return doc_title or scope.doc_id
    if scope.kind == "department":
        roles = tuple(r for r in BOTH if r in scope.roles) or BOTH
        return T.EXPORT_TITLE_DEPT.format(name=scope.department, role=T.EXPORT_ROLE_TITLES[roles])
    if scope.kind == "indicators":
        return T.EXPORT_TITLE_INDICATORS
    if scope.kind == "tasks":
        return T.EXPORT_TITLE_TASKS
    return T.EXPORT_TITLE_CLAUSES


def request_for(scope: Scope, *, description: str = "", count: int | None = None) -> ExportRequest:
    """A request for a bare `Scope`, described from the scope alone."""
    if not description:
        description = {
            "clauses": T.EXPORT_SCOPE_CLAUSES,
            "query": T.EXPORT_SCOPE_QUERY.format(query=scope.query),
            "doc": T.EXPORT_SCOPE_DOC.format(title=scope.doc_id),
            "department": T.EXPORT_SCOPE_DEPT.format(name=scope.department),
            "indicators": T.EXPORT_SCOPE_INDICATORS_ANY,
            "tasks": T.EXPORT_SCOPE_TASKS,
        }[scope.kind]
    if count is None and scope.kind == "clauses":
        count = len(dict.fromkeys(scope.clause_ids))
    if count is None and scope.kind == "tasks":
        count = len({str(t.get("clause_id") or "") for t in scope.tasks} - {""})
    return ExportRequest(scope, description, count, title=default_title(scope))


def query_request(query: str, typed: str, total: int | None, cap: int, *,
                  all_versions: bool = False) -> ExportRequest:
    """A search's whole result set: `query` with the sidebar's filters, `typed` as the user wrote it,
    older versions of laws included when the result list shows them (含旧版本)."""
    count = None if total is None else min(total, cap)
    title = T.EXPORT_TITLE_QUERY.format(query=" ".join((typed or query).split())[:40])
    scope = Scope.of_query(query, title=title, all_versions=all_versions)
    return ExportRequest(scope, T.EXPORT_SCOPE_QUERY.format(query=typed or query),
                         count, total=total, title=title)


def clauses_request(ids: list[str], description: str, title: str = "") -> ExportRequest:
    scope = Scope.of_clauses(ids, title=title)
    return ExportRequest(scope, description, len(dict.fromkeys(ids)), title=default_title(scope))


def department_request(name: str, lead: list[str], support: list[str],
                       roles: Roles = BOTH) -> ExportRequest:
    """One department's clauses; `lead`/`support` are the clause ids the 部门 view lists."""
    counts = {BOTH: len(set(lead) | set(support)), ("lead",): len(set(lead)), ("support",): len(set(support))}
    scope = Scope.of_department(name, roles=roles)
    return ExportRequest(scope, T.EXPORT_SCOPE_DEPT.format(name=name), counts[tuple(roles)],
                         title=default_title(scope), role_counts=counts)


def document_request(doc_id: str, title: str, clauses: int | None) -> ExportRequest:
    return ExportRequest(Scope.of_document(doc_id), T.EXPORT_SCOPE_DOC.format(title=title), clauses,
                         title=title or doc_id)


def indicators_request(indicators: int | None, clauses: int | None) -> ExportRequest:
    desc = T.EXPORT_SCOPE_INDICATORS_ANY if indicators is None else T.EXPORT_SCOPE_INDICATORS.format(n=indicators)
    return ExportRequest(Scope.of_indicators(), desc, clauses, title=T.EXPORT_TITLE_INDICATORS)
