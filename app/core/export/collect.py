"""Turn a `Scope` into an `ExportSet`: read clauses, links and documents through the `Library` facade."""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from app.core.errors import NotFoundError, PolicyDeskError
from app.core.export.errors import ExportError, NothingToExportError
from app.core.export.model import (
    COMPARATORS,
    ClauseSummary,
    DeptRef,
    ExportOptions,
    ExportSet,
    IndicatorRef,
    Scope,
    TaskFields,
    clean_text,
    one_line,
)
from app.core.links.service import ClauseLinks
from app.core.models import CONTAINER_LEVELS, Clause, Deadline, Document, Indicator
from app.core.progress import CancelToken, Progress, null_progress
from app.core.userdata.model import indicator_key

if TYPE_CHECKING:
    from app.core.ports import LibraryPort

_ROLE_TITLES = {("lead",): "牵头", ("support",): "配合", ("lead", "support"): "牵头和配合"}


QUOTE_CHARS = 30  # a task's lead sentence longer than this is cut with …… inside the quotes


def lead_sentence(c: Clause) -> str:
    """A task's bold lead sentence without its final stop: 全面深化上海碳市场改革."""
    head = one_line(c.heading) or one_line(c.text).split("。", 1)[0]
    return head.rstrip("。.;；:：!！?？")


def cite_label(c: Clause) -> str:
    """The clause's part of a citation: 四、 （一） 1. （2） ① 第四十条 — and a task, which plans print unnumbered
    (a bold lead sentence; its `number` is an ordinal the parser made up for ids), by its lead sentence in
    quotes: “全面深化上海碳市场改革”. An arabic item number keeps a space after its stop (1. （2）)."""
    if c.level == "task":
        head = lead_sentence(c)
        if len(head) > QUOTE_CHARS:
            head = head[: QUOTE_CHARS - 2] + "……"
        return f"“{head}”" if head else ""
    n = c.number.strip()
    if not n:
        return ""
    if n.isascii() and n.isdigit():  # not str.isdigit alone: '①'.isdigit() is True
        return n + ". "
    if n[0] in "第（(" or n[-1] in "、.．）)" or "\u2460" <= n[0] <= "\u2473":  # 第五条 （二） 1） ③
        return n
    return n + "、"  # a bare Chinese numeral: a plan chapter (四 → 四、) or a numbered block


def location(c: Clause, by_id: dict[str, Clause]) -> str:
    """Where the clause sits in its document, as officials cite it: 四、（二）“…”, 二、（一）1. （2） or 第四十条."""
    if c.level == "preamble":
        return "序言"
    if c.level == "article":  # articles are numbered through the whole law: the chapter adds nothing
        return c.number or (c.path[-1] if c.path else "")
    if c.level == "block":
        return one_line(c.path[-1]) if c.path else ""
    chain: list[Clause] = []
    seen: set[str] = set()
    cur: Clause | None = c
    while cur is not None and cur.id not in seen:
        seen.add(cur.id)
        chain.append(cur)
        cur = by_id.get(cur.parent_id) if cur.parent_id else None
    labels = "".join(cite_label(x) for x in reversed(chain)).rstrip()
    if c.level in CONTAINER_LEVELS and c.heading.strip():  # 一、总体要求 rather than a bare 一、
        return labels.rstrip() + ("" if labels.endswith(("、", "）", ")", ".")) else " ") + one_line(c.heading)
    return labels or (one_line(c.path[-1]) if c.path else "")


def display_heading(c: Clause) -> str:
    if c.level == "preamble":
        return "序言"
    if c.level == "article":
        return c.number or one_line(c.path[-1] if c.path else "")
    head = one_line(c.heading).rstrip("。.;；:：")
    if head:
        return head
    if c.path and one_line(c.path[-1]):
        return one_line(c.path[-1]).rstrip("、")
    text = one_line(c.full_text)
    return text[:24] + ("…" if len(text) > 24 else "")


def _target(ind: Indicator) -> str:
    if ind.value is None:
        return "定性" if ind.qualitative else ""
    return f"{COMPARATORS.get(ind.comparator, ind.comparator)}{ind.value:g}{ind.unit}"


def _deadline(d: Deadline | None) -> tuple[str, str]:
    if d is None:
        return "", ""
    if d.date:
        y, m, day = (int(x) for x in d.date.split("-"))
        return f"{y}年{m}月{day}日", d.source
    return f"{d.year}年", d.source


def excerpt(text: str, needles: Sequence[str], width: int) -> tuple[str, bool]:
    """About `width` characters around the first hit of `needles` (or the opening); True when cut."""
    from app.core.search.highlight import find_spans

    flat = " ".join(text.split())
    if len(flat) <= width:
        return flat, False
    spans = find_spans(flat, needles) if needles else []
    start = max(0, spans[0][0] - width // 4) if spans else 0
    start = min(start, len(flat) - width)
    end = start + width
    return ("……" if start > 0 else "") + flat[start:end] + ("……" if end < len(flat) else ""), True


def progress_text(p: Any, unit: str) -> str:
    """An indicator's recorded progress in one phrase: 2024年 44.6%，完成46%，进度正常."""
    parts = []
    if p.latest_year is not None and p.latest_value is not None:
        parts.append(f"{p.latest_year}年 {p.latest_value:g}{unit}")
    if p.percent is not None:
        parts.append(f"完成{p.percent:.0f}%")
    parts.append(p.label)
    return "，".join(parts)


def tracked_progress(lib: LibraryPort) -> dict[str, str]:
    """indicator key -> progress phrase for every indicator the user tracks (empty without a user DB)."""
    out: dict[str, str] = {}
    try:
        tracked = lib.user.tracked_indicators()
        for t in tracked:
            out[t.key] = progress_text(lib.user.indicator_progress(t.key), t.unit)
    except PolicyDeskError:  # the user DB is unreadable: export the text without progress
        return {}
    return out


def summarize(c: Clause, doc: Document, by_id: dict[str, Clause], links: ClauseLinks, *,
              options: ExportOptions, needles: Sequence[str] = (), task: TaskFields | None = None,
              progress: Mapping[str, str] | None = None) -> ClauseSummary:
    text = clean_text(c.text).strip()
    cut = False
    if options.excerpt and text:
        text, cut = excerpt(text, needles, options.excerpt_chars)
    deadline, dsource = _deadline(links.deadline)
    depts = [d for d in links.departments if d.role in ("lead", "support")]
    return ClauseSummary(
        clause_id=c.id, doc_id=doc.id, doc_title=one_line(doc.title) or doc.id, doc_kind=doc.kind, level=c.level,
        heading=display_heading(c), location=location(c, by_id), text=text,
        full_text=clean_text(c.full_text).strip(), excerpt=cut,
        lead=tuple(DeptRef(one_line(d.name), d.role, d.source) for d in depts if d.role == "lead"),
        support=tuple(DeptRef(one_line(d.name), d.role, d.source) for d in depts if d.role == "support"),
        indicators=tuple(IndicatorRef(one_line(i.name), _target(i), i.unit, i.deadline, one_line(i.quote),
                                      (progress or {}).get(indicator_key(c.id, i.name), ""),
                                      deadline_source=i.deadline_source)
                         for i in links.indicators),
        deadline=deadline, deadline_source=dsource, task=task,
    )


_QUOTES = str.maketrans({"“": '"', "”": '"', "„": '"', "‟": '"', "＂": '"', "：": ":"})
_YES = {"是", "有", "1", "true", "yes", "y"}
_NO = {"否", "无", "没有", "0", "false", "no", "n"}


def describe_query(query: str, doc_titles: Sequence[str] = ()) -> str:
    """An export title saying in words what a query asked for, instead of repeating its syntax.

    部门:市水务局 河湖 → 涉及市水务局的条款中关于“河湖”的检索结果; 年份:2030 → 2030年完成的条款…;
    类型:法律 → 法律条款…; 文件:大气 → 《上海市大气污染防治条例》中… (the title when one document matches);
    有指标:是 → 含量化指标的条款…; a plain query → 关于“河湖”的检索结果. Words are kept as typed (case too)."""
    from app.core.normalize import compact, fold
    from app.core.search.query import _FILTER, _TOKEN, FILTERS

    groups: list[list[str]] = []
    excluded: list[str] = []
    found: dict[str, list[str]] = {}
    pending_or = False
    for m in _TOKEN.finditer(one_line(query).translate(_QUOTES)):
        quoted, word = m.group(1), m.group(2)
        if quoted is None and word is not None:
            fm = _FILTER.match(fold(word))
            if fm:
                value = word.split(":", 1)[1].strip()
                found.setdefault(FILTERS[fm.group(1)], []).append(value)
                continue
            if word.lower() in ("or", "|") and groups:
                pending_or = True
                continue
        text = (quoted if quoted is not None else (word or "")).strip().strip('"')
        negate = quoted is None and text.startswith("-") and len(text) > 1
        text = text[1:] if negate else text
        if not compact(text):
            continue
        if negate:
            excluded.append(text)
        elif pending_or:
            groups[-1].append(text)
        else:
            groups.append([text])
        pending_or = False

    preds = [f"涉及{'或'.join(found['dept'])}"] if found.get("dept") else []
    if found.get("year"):
        preds.append("或".join(y if y.endswith("年") else f"{y}年" for y in found["year"]) + "完成")
    ind = [v.lower() for v in found.get("has_ind", [])]
    if ind and all(v in _YES for v in ind):
        preds.append("含量化指标")
    elif ind and all(v in _NO for v in ind):
        preds.append("不含量化指标")
    noun = "或".join(found.get("kind", [])) + "条款"
    scope = f"{'、'.join(preds)}的{noun}" if preds else noun if found.get("kind") else ""
    docs = []
    for value in found.get("doc", []):
        key = compact(fold(value))
        hits = [t for t in doc_titles if key and key in compact(fold(t))]
        docs.append(f"《{hits[0]}》" if len(set(hits)) == 1 else f"标题含“{value}”的文件")
    if docs:
        where = "或".join(docs)
        scope = where + ("中" if scope and where.endswith("文件") else "") + scope
    about = ""
    if groups:
        about = "关于" + "".join("或".join(f"“{w}”" for w in g) for g in groups)
        about += "".join(f"（不含“{w}”）" for w in excluded) + "的"
    if scope and about:
        return f"{scope}中{about}检索结果"
    return f"{scope or about}检索结果"


def _dedupe(ids: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(i.strip() for i in ids if i and i.strip()))


def collect(lib: LibraryPort, scope: Scope, options: ExportOptions | None = None, *,
            progress: Progress = null_progress, cancel: CancelToken | None = None) -> ExportSet:
    """Read everything the scope names; raises NotFoundError / NothingToExportError in Chinese."""
    from app.core.library_search import query_terms

    options = options or ExportOptions()
    notices: list[str] = []
    needles: list[str] = []
    tasks: dict[str, TaskFields] = {}
    progress(0, 1, "正在收集条款…")
    if scope.kind == "clauses":
        ids = _dedupe(scope.clause_ids)
        title = "条款摘编"
    elif scope.kind == "query":
        q = scope.query.strip()
        if not q:
            raise ExportError("请输入检索词。")
        res = lib.search(q, limit=max(1, options.max_results), all_versions=scope.all_versions)
        ids = [h.id for h in res.hits]
        needles = query_terms(q)
        if res.total > len(ids):
            notices.append(f"检索共 {res.total} 条结果，只导出前 {len(ids)} 条。")
        title = describe_query(q, [d.title for d in lib.documents()])
    elif scope.kind == "doc":
        doc = lib.document(scope.doc_id)
        ids = [c.id for c in lib.clauses(doc.id) if c.full_text.strip()]
        title = one_line(doc.title)
    elif scope.kind == "department":
        roles = tuple(r for r in ("lead", "support") if r in scope.roles) or ("lead", "support")
        data = lib.department_clauses(scope.department)
        name = data[0]["name"] if data else scope.department
        found = {item["id"] for d in data for r in roles for item in d.get(r, [])}
        ids = [c.id for c in lib.clauses() if c.id in found]  # document order, whatever the role
        title = f"{one_line(name)}{_ROLE_TITLES[roles]}条款"
    elif scope.kind == "indicators":
        ids = _dedupe(r["clause"] for r in lib.indicator_rows())
        title = "量化指标汇总"
    elif scope.kind == "tasks":
        for t in scope.tasks:
            cid = str(t.get("clause_id") or "").strip()
            if cid and cid not in tasks:
                tasks[cid] = TaskFields.from_dict(t)
        ids = list(tasks)
        title = "任务清单"
    else:  # pragma: no cover - Scope.kind is a Literal
        raise ExportError(f"不支持的导出范围：{scope.kind}")
    if cancel is not None:
        cancel.check()

    by_doc: dict[str, dict[str, Clause]] = {}
    clauses = _load(lib, ids, by_doc, missing_ok=scope.kind == "tasks", notices=notices)
    if not clauses:
        raise NothingToExportError("没有可导出的条款。")
    docs = {d.id: d for d in lib.documents()}
    links = lib.links([c.id for c in clauses])
    tracked = tracked_progress(lib)
    items: list[ClauseSummary] = []
    for i, c in enumerate(clauses):
        if cancel is not None and i % 20 == 0:
            cancel.check()
        progress(i, len(clauses), "正在整理条款…")
        doc = docs.get(c.doc_id) or Document(id=c.doc_id, title=c.doc_id, kind="其他")
        items.append(summarize(c, doc, _doc_map(lib, c.doc_id, by_doc), links.get(c.id, ClauseLinks()),
                               options=options, needles=needles, task=tasks.get(c.id), progress=tracked))
    progress(len(clauses), len(clauses), "条款整理完成")
    return ExportSet(title=one_line(scope.title) or title, items=tuple(items), scope=scope.kind,
                     generated=options.generated or _dt.date.today(), notices=tuple(notices))


def _doc_map(lib: LibraryPort, doc_id: str, cache: dict[str, dict[str, Clause]]) -> dict[str, Clause]:
    """All clauses of a document by id (read once per document: citations walk the parents)."""
    if doc_id not in cache:
        try:
            cache[doc_id] = {x.id: x for x in lib.clauses(doc_id)}
        except NotFoundError:
            cache[doc_id] = {}
    return cache[doc_id]


def _load(lib: LibraryPort, ids: Sequence[str], cache: dict[str, dict[str, Clause]], *, missing_ok: bool,
          notices: list[str]) -> list[Clause]:
    out: list[Clause] = []
    missing: list[str] = []
    for cid in ids:
        # Ids start with their document's id: read whole documents, not one clause per query.
        c = _doc_map(lib, cid.split("/", 1)[0], cache).get(cid)
        if c is None:
            try:
                c = lib.clause(cid)
            except NotFoundError:
                if not missing_ok:
                    raise NotFoundError(f"找不到条款：{cid}") from None
                missing.append(cid)
                continue
        out.append(c)
    if missing:
        notices.append(f"{len(missing)} 个任务的条款已不在文库中，未导出。")
    return out
