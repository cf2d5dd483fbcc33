"""The reading pane's HTML: the selected clause in the context of its document, query terms marked.

Pure functions (they run on a read thread). Every piece of document text passes through
`highlight.mark`, which HTML-escapes it. No colours here: the markup carries classes (hl, num, note,
table.selected …) that the theme's reader style sheet colours, so a scheme change needs no re-render.
"""

from __future__ import annotations

import html
import logging
from collections.abc import Sequence
from dataclasses import dataclass

from app.core import models as M
from app.core.library import Library, highlight_needles, mark_terms, query_terms
from app.core.links.service import KB_FILE, ClauseLinks
from app.core.models import Clause, Document
from app.core.search.query import add_alternatives, parse_query
from app.ui.common import strings as S
from app.ui.reader import strings as T
from app.ui.reader.citation import OutlineEntry, citation_text, outline

log = logging.getLogger("policydesk.ui.reader")

WHOLE_DOCUMENT_MAX = 80  # documents up to this many clauses are shown whole (the plan always is)
CHAPTER_MAX = 90  # an enclosing chapter up to this size is shown whole
AROUND = 20  # otherwise this many clauses either side
SELECTED_ANCHOR = "selected"
CLAUSE_ANCHOR = "clause:"  # + clause id: where each other clause of the context starts (a selection's clause)


@dataclass(frozen=True)
class Rendered:
    clause_id: str
    html: str
    header: str  # plain text for the pane's header line: 《文件》 › 章 › 条
    links: ClauseLinks | None = None  # None: the links could not be read (the text still shows)
    doc_id: str = ""
    citation: str = ""  # what Ctrl+C copies: 《文件》四、（二）3. 条文
    order: tuple[str, ...] = ()  # every clause id of the document, in order (Ctrl+[ / Ctrl+])
    outline: tuple[OutlineEntry, ...] = ()


def context_window(clauses: Sequence[Clause], selected: Clause, kind: str) -> tuple[list[Clause], str]:
    """Which clauses to show around `selected`: the whole document, its chapter, or ±AROUND clauses."""
    items = list(clauses)
    if kind == "规划" or len(items) <= WHOLE_DOCUMENT_MAX:
        return items, T.READER_CONTEXT_WHOLE
    pos = next((i for i, c in enumerate(items) if c.id == selected.id), 0)
    parents = {c.id: c.parent_id for c in items}
    chain: list[str] = []
    pid = selected.id
    while pid is not None and pid not in chain:
        chain.append(pid)
        pid = parents.get(pid)
    by_id = {c.id: c for c in items}
    chapter = next((by_id[i] for i in chain if i in by_id and by_id[i].level == M.LEVEL_CHAPTER), None)
    if chapter is not None:
        start = next(i for i, c in enumerate(items) if c.id == chapter.id)
        end = start + 1
        while end < len(items) and _descends(items[end], chapter.id, parents):
            end += 1
        if end - start <= CHAPTER_MAX:
            return items[start:end], T.READER_CONTEXT_CHAPTER
    lo, hi = max(0, pos - AROUND), min(len(items), pos + AROUND + 1)
    return items[lo:hi], T.READER_CONTEXT_AROUND


def _descends(c: Clause, ancestor: str, parents: dict[str, str | None]) -> bool:
    seen: set[str] = set()
    pid = c.parent_id
    while pid is not None and pid not in seen:
        if pid == ancestor:
            return True
        seen.add(pid)
        pid = parents.get(pid)
    return False


def _marked(text: str, needles: list[str]) -> str:
    """Escaped `text` with the query terms in <span class="hl"> (Qt's rich text has no <mark>)."""
    if not needles:
        return html.escape(text)
    return mark_terms(text, needles).replace("<mark>", '<span class="hl">').replace("</mark>", "</span>")


def _paragraphs(text: str, needles: list[str], lead: str = "") -> str:
    """Text as <p> blocks; `lead` (already HTML) starts the first one."""
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    if not lines:
        return f'<p class="body lead">{lead}</p>' if lead else ""
    out = []
    for n, line in enumerate(lines):
        cls = "body lead" if n == 0 else "body"
        out.append(f'<p class="{cls}">{lead if n == 0 else ""}{_marked(line, needles)}</p>')
    return "".join(out)


def render_clause(c: Clause, needles: list[str]) -> str:
    """One clause as HTML, styled by its level."""
    heading = c.display_heading
    if c.level in (M.LEVEL_CHAPTER, M.LEVEL_PART):
        return f"<h2>{_marked(heading, needles)}</h2>" + _paragraphs(c.text, needles)
    if c.level in (M.LEVEL_SECTION, M.LEVEL_SUBSECTION):
        return f"<h3>{_marked(heading, needles)}</h3>" + _paragraphs(c.text, needles)
    if c.level in M.HEADED_LEVELS and c.heading:
        return _paragraphs(c.text, needles, lead=f'<span class="task">{_marked(c.heading, needles)}</span>')
    if c.level == M.LEVEL_ARTICLE and c.number and not c.text.lstrip().startswith(c.number):
        return _paragraphs(c.text, needles, lead=f'<span class="num">{html.escape(c.number)}</span>　')
    if c.level == M.LEVEL_ARTICLE and c.number:
        text = c.text.lstrip()
        rest = text[len(c.number):]
        return _paragraphs(rest, needles, lead=f'<span class="num">{html.escape(c.number)}</span>')
    return _paragraphs(c.text, needles)


def highlight_terms(library: Library, query: str) -> list[str]:
    """Worker-side: what the result list marks for `query`, so the reader marks the same.

    The engine marks a hit's snippet with the needles of the query *after* the search added the
    synonyms it also matched (Library.search → add_alternatives → highlight_needles); this builds the
    very same list with the very same functions, where `query_terms` would leave the synonyms out."""
    if not query.strip():
        return []
    pq = parse_query(query)
    add_alternatives(pq, library._expander())  # the expander Library.search uses
    return highlight_needles(pq)


def render_context(doc: Document, clauses: Sequence[Clause], selected: Clause, query: str,
                   needles: list[str] | None = None) -> str:
    """The reading pane's HTML: title, meta line, the context clauses, `selected` on a tinted block.
    `needles`: the strings to mark (`highlight_terms`); without them, the query's own terms."""
    if needles is None:
        needles = query_terms(query)
    shown, scope = context_window(clauses, selected, doc.kind)
    meta = "　".join(html.escape(x) for x in (doc.kind, doc.issuer, doc.date or "", doc.status) if x)
    parts = [f"<h1>{html.escape(S.DOC_TITLE.format(title=doc.title))}</h1>"]
    if meta:
        parts.append(f'<p class="meta">{meta}</p>')
    for line in doc.history:
        parts.append(f'<p class="meta">{html.escape(line)}</p>')
    parts.append(f'<p class="note">{html.escape(T.READER_CONTEXT_NOTE.format(scope=scope))}</p>')
    all_ids = [c.id for c in clauses]
    if shown and shown[0].id != all_ids[0]:
        parts.append(f'<p class="gap">{html.escape(T.READER_MORE_BEFORE)}</p>')
    for c in shown:
        body = render_clause(c, needles)
        if c.id == selected.id:
            parts.append(f'<a name="{SELECTED_ANCHOR}"></a>'  # tinted by the theme's table.selected
                         f'<table class="selected" width="100%" cellspacing="0" cellpadding="10">'
                         f"<tr><td>{body}</td></tr></table>")
        else:
            parts.append(_anchored(body, c.id))
    if shown and shown[-1].id != all_ids[-1]:
        parts.append(f'<p class="gap">{html.escape(T.READER_MORE_AFTER)}</p>')
    return "<html><body>" + "".join(parts) + "</body></html>"


def _anchored(body: str, clause_id: str) -> str:
    """`body` with a named anchor inside its first block (Qt keeps no anchor that stands between blocks)."""
    at = body.find(">")
    if at < 0:
        return body
    name = html.escape(CLAUSE_ANCHOR + clause_id, quote=True)
    return f'{body[:at + 1]}<a name="{name}"></a>{body[at + 1:]}'


def load_context(library: Library, clause_id: str, query: str) -> Rendered:
    """Worker-side: read the clause, its document and siblings, and render them."""
    selected = library.clause(clause_id)
    doc = library.document(selected.doc_id)
    clauses = list(library.clauses(selected.doc_id))
    header = S.BREADCRUMB_SEPARATOR.join([S.DOC_TITLE.format(title=doc.title), *selected.path])
    needles = highlight_terms(library, query)
    return Rendered(clause_id, render_context(doc, clauses, selected, query, needles), header,
                    clause_links(library, clause_id), doc.id, citation_text(doc, selected, clauses),
                    tuple(c.id for c in clauses), tuple(outline(clauses)))


def clause_links(library: Library, clause_id: str) -> ClauseLinks | None:
    """Worker-side: one clause's links. A failure here must not keep the user from reading the text."""
    try:
        return library.links([clause_id]).get(clause_id, ClauseLinks())
    except Exception:
        log.exception("could not read the links of %s", clause_id)
        return None


def department_names(library: Library) -> list[str]:
    """Worker-side: the knowledge base's canonical department names, for the dialog's completion."""
    from app.core.links.departments import DepartmentKB

    kb = DepartmentKB.load(library.paths.resources / KB_FILE)
    return [e.canonical for e in kb.entries]
