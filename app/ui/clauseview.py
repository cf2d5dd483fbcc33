"""The reading pane: the selected clause in the context of its document, query terms marked.

`render_context` is pure (it runs on a read thread); `ClauseView` only sets the finished HTML.
Every piece of document text passes through `highlight.mark`, which HTML-escapes it. The clause's
links (departments, indicators, deadline) are read in the same task and shown in the `LinksPanel`
above the text, where they can be corrected (`LinksDialog`).
"""

from __future__ import annotations

import html
import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QGuiApplication, QKeyEvent, QKeySequence
from PySide6.QtWidgets import QLabel, QTextBrowser, QVBoxLayout, QWidget

from app.core import models as M
from app.core.library import Library, mark_terms, query_terms
from app.core.links.service import KB_FILE, ClauseLinks
from app.core.models import Clause, Document, SearchHit
from app.ui import strings as S
from app.ui.citation import OutlineEntry, citation_text, outline
from app.ui.linksdialog import LinksDialog
from app.ui.linkspanel import LinksPanel
from app.ui.qtcompat import emit
from app.ui.related import RelatedPanel
from app.ui.tasks import TaskManager

log = logging.getLogger("policydesk.ui.reader")

WHOLE_DOCUMENT_MAX = 80  # documents up to this many clauses are shown whole (the plan always is)
CHAPTER_MAX = 90  # an enclosing chapter up to this size is shown whole
AROUND = 20  # otherwise this many clauses either side
SELECTED_ANCHOR = "selected"
CONTEXT_ABOVE_PX = 72  # how much of the preceding text stays visible above the selected clause

READER_FONT_PX = 16
READER_FONT_RANGE = (12, 28)
READER_CSS = """
body { font-size: 16px; color: #1f2329; }
p { margin-top: 0; margin-bottom: 8px; line-height: 150%; }
p.body { text-indent: 32px; }
p.lead { margin-top: 10px; }
h1 { font-size: 22px; font-weight: 600; margin-top: 4px; margin-bottom: 6px; color: #111; }
h2 { font-size: 19px; font-weight: 600; margin-top: 22px; margin-bottom: 10px; color: #1d3d6b; }
h3 { font-size: 17px; font-weight: 600; margin-top: 16px; margin-bottom: 8px; color: #2b4a75; }
p.meta { font-size: 13px; color: #7a7f87; margin-bottom: 4px; }
p.note { font-size: 13px; color: #9a9fa6; margin-bottom: 14px; }
p.gap { color: #9a9fa6; text-align: center; }
span.num { font-weight: 600; color: #1d3d6b; }
span.task { font-weight: 600; }
span.hl { background-color: #ffe38a; }
"""
SELECTED_BG = "#fdf3d6"


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
        return items, S.READER_CONTEXT_WHOLE
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
            return items[start:end], S.READER_CONTEXT_CHAPTER
    lo, hi = max(0, pos - AROUND), min(len(items), pos + AROUND + 1)
    return items[lo:hi], S.READER_CONTEXT_AROUND


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
    if c.level == M.LEVEL_TASK and c.heading:
        return _paragraphs(c.text, needles, lead=f'<span class="task">{_marked(c.heading, needles)}</span>')
    if c.level == M.LEVEL_ARTICLE and c.number and not c.text.lstrip().startswith(c.number):
        return _paragraphs(c.text, needles, lead=f'<span class="num">{html.escape(c.number)}</span>　')
    if c.level == M.LEVEL_ARTICLE and c.number:
        text = c.text.lstrip()
        rest = text[len(c.number):]
        return _paragraphs(rest, needles, lead=f'<span class="num">{html.escape(c.number)}</span>')
    return _paragraphs(c.text, needles)


def render_context(doc: Document, clauses: Sequence[Clause], selected: Clause, query: str) -> str:
    """The reading pane's HTML: title, meta line, the context clauses, `selected` on a tinted block."""
    needles = query_terms(query)
    shown, scope = context_window(clauses, selected, doc.kind)
    meta = "　".join(html.escape(x) for x in (doc.kind, doc.issuer, doc.date or "", doc.status) if x)
    parts = [f"<h1>{html.escape(S.DOC_TITLE.format(title=doc.title))}</h1>"]
    if meta:
        parts.append(f'<p class="meta">{meta}</p>')
    for line in doc.history:
        parts.append(f'<p class="meta">{html.escape(line)}</p>')
    parts.append(f'<p class="note">{html.escape(S.READER_CONTEXT_NOTE.format(scope=scope))}</p>')
    all_ids = [c.id for c in clauses]
    if shown and shown[0].id != all_ids[0]:
        parts.append(f'<p class="gap">{html.escape(S.READER_MORE_BEFORE)}</p>')
    for c in shown:
        body = render_clause(c, needles)
        if c.id == selected.id:
            parts.append(f'<a name="{SELECTED_ANCHOR}"></a>'
                         f'<table width="100%" cellspacing="0" cellpadding="10" bgcolor="{SELECTED_BG}">'
                         f"<tr><td>{body}</td></tr></table>")
        else:
            parts.append(body)
    if shown and shown[-1].id != all_ids[-1]:
        parts.append(f'<p class="gap">{html.escape(S.READER_MORE_AFTER)}</p>')
    return "<html><body>" + "".join(parts) + "</body></html>"


def load_context(library: Library, clause_id: str, query: str) -> Rendered:
    """Worker-side: read the clause, its document and siblings, and render them."""
    selected = library.clause(clause_id)
    doc = library.document(selected.doc_id)
    clauses = list(library.clauses(selected.doc_id))
    header = S.BREADCRUMB_SEPARATOR.join([S.DOC_TITLE.format(title=doc.title), *selected.path])
    return Rendered(clause_id, render_context(doc, clauses, selected, query), header,
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


class ClauseView(QTextBrowser):
    """Read-only pane showing a clause in context; loads on a read thread, drops stale loads."""

    header_changed = Signal(str)
    links_loaded = Signal(object, object)  # clause id (None: nothing shown), ClauseLinks | None
    clause_loaded = Signal(object)  # Rendered: outline, related links and navigation follow it
    citation_copied = Signal(str)

    def __init__(self, library: Library, tasks: TaskManager, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.library, self.tasks = library, tasks
        self.setObjectName("reader")
        self.document().setDefaultStyleSheet(READER_CSS)
        self.document().setDocumentMargin(28)
        self.setReadOnly(True)
        self.setOpenLinks(False)
        self.setOpenExternalLinks(False)
        self._seq = 0
        self.current_clause_id: str | None = None
        self.rendered: Rendered | None = None
        self.font_px = READER_FONT_PX
        self.css = READER_CSS
        self.show_placeholder()

    def loadResource(self, type_: int, url: QUrl) -> object:
        """Never load anything (images, style sheets, remote URLs) named by document text."""
        return None

    def show_placeholder(self, text: str = S.READER_EMPTY) -> None:
        self._seq += 1
        self.current_clause_id = None
        self.rendered = None
        emit(self.header_changed, "")
        emit(self.links_loaded, None, None)
        self.setHtml(f'<p class="note" style="margin-top:40px; text-align:center;">{html.escape(text)}</p>')

    def show_hit(self, hit: SearchHit, query: str) -> None:
        """Load `hit`'s clause in context; a later call supersedes an earlier one still loading."""
        self.show_clause(hit.id, query)

    def show_clause(self, clause_id: str, query: str = "") -> None:
        self._seq += 1
        seq = self._seq
        lib = self.library
        self.tasks.run_read(lambda: load_context(lib, clause_id, query),
                            lambda r: self._on_context_loaded(seq, r),
                            on_error=lambda exc: self._on_context_failed(seq, exc), name="load_context")

    def _on_context_loaded(self, seq: int, rendered: Rendered) -> None:
        if seq != self._seq:
            return
        self.current_clause_id = rendered.clause_id
        self.rendered = rendered
        emit(self.header_changed, rendered.header)
        emit(self.links_loaded, rendered.clause_id, rendered.links)
        self.setHtml(rendered.html)
        emit(self.clause_loaded, rendered)
        self._scroll_to_selected()
        # The layout may still change once the widget has its final size: scroll again after it settles.
        QTimer.singleShot(0, lambda: self._scroll_if_current(seq))

    def _scroll_if_current(self, seq: int) -> None:
        # Qt callbacks must return None: PySide mis-counts references of returned bools (crash at exit).
        if seq == self._seq:
            self._scroll_to_selected()

    def _scroll_to_selected(self) -> None:
        """Bring the selected clause near the top, leaving a little of what precedes it in view."""
        self.scrollToAnchor(SELECTED_ANCHOR)
        bar = self.verticalScrollBar()
        if 0 < bar.value() < bar.maximum():
            bar.setValue(max(0, bar.value() - CONTEXT_ABOVE_PX))

    def _on_context_failed(self, seq: int, exc: BaseException) -> None:
        if seq != self._seq:
            return
        from app.ui.dialogs import show_error

        self.show_placeholder()
        show_error(self.window(), exc)

    def plain_text(self) -> str:
        return self.toPlainText()

    # -- navigation, copying, font size ------------------------------------------------------------
    def neighbour(self, step: int) -> str | None:
        """The id of the clause `step` places before/after the one shown, in document order."""
        r = self.rendered
        if r is None or r.clause_id not in r.order:
            return None
        pos = r.order.index(r.clause_id) + step
        return r.order[pos] if 0 <= pos < len(r.order) else None

    def copy_citation(self) -> bool:
        if self.rendered is None or not self.rendered.citation:
            return False
        QGuiApplication.clipboard().setText(self.rendered.citation)
        emit(self.citation_copied, self.rendered.citation)
        return True

    def keyPressEvent(self, e: QKeyEvent) -> None:
        # Ctrl+C with nothing selected copies the whole clause with its citation.
        if e.matches(QKeySequence.StandardKey.Copy) and not self.textCursor().hasSelection() \
                and self.copy_citation():
            e.accept()
            return
        super().keyPressEvent(e)

    def set_font_px(self, px: int) -> None:
        """Reading font size (Ctrl+= / Ctrl+-): rescale the style sheet and re-lay out what is shown."""
        px = max(READER_FONT_RANGE[0], min(READER_FONT_RANGE[1], int(px)))
        self.font_px = px
        self.apply_css(self.css)

    def apply_css(self, css: str) -> None:
        """Set the reader style sheet (theme colours), scaled to the current font size."""
        self.css = css
        scale = self.font_px / READER_FONT_PX
        scaled = re.sub(r"(\d+)px", lambda m: f"{round(int(m.group(1)) * scale)}px", css)
        self.document().setDefaultStyleSheet(scaled)
        html_now = self.rendered.html if self.rendered is not None else None
        if html_now is not None:
            bar = self.verticalScrollBar()
            frac = bar.value() / bar.maximum() if bar.maximum() else 0.0
            self.setHtml(html_now)
            bar.setValue(int(frac * bar.maximum()))


class ReaderPane(QWidget):
    """The reading pane: a header line naming what is shown, the 条款信息 box, then the text.

    The header and the box stay put while the text scrolls. `links_saved(clause_id, links, cleared)`
    tells the window a correction was written.
    """

    links_saved = Signal(str, object, bool)

    def __init__(self, library: Library, tasks: TaskManager, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.library, self.tasks = library, tasks
        self.header = QLabel(self)
        self.header.setObjectName("readerHeader")
        self.header.setWordWrap(True)
        self.header.setTextFormat(Qt.TextFormat.PlainText)
        self.header.hide()
        self.links_panel = LinksPanel(self)
        self.view = ClauseView(library, tasks, self)
        self.view.header_changed.connect(self._on_view_header_changed)
        self.view.links_loaded.connect(self._on_view_links_loaded)
        self.related = RelatedPanel(library, tasks, self)
        self.view.clause_loaded.connect(self._on_view_clause_loaded)
        self.links_panel.edit_requested.connect(self.edit_links)
        self.dialog: LinksDialog | None = None
        self._old_dialog: LinksDialog | None = None
        self._names: list[str] | None = None
        self._names_loading = False
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(0)
        lay.addWidget(self.header)
        lay.addWidget(self.links_panel)
        lay.addWidget(self.view, 1)
        lay.addWidget(self.related)

    def _on_view_clause_loaded(self, rendered: Rendered) -> None:
        self.related.load(rendered.clause_id)

    def _on_view_header_changed(self, text: str) -> None:
        self.header.setText(text)
        self.header.setVisible(bool(text))

    def _on_view_links_loaded(self, clause_id: str | None, links: ClauseLinks | None) -> None:
        if clause_id is None:
            self.related.clear()
        if clause_id is None or links is None:
            self.links_panel.clear()
        else:
            self.links_panel.show_links(clause_id, links)

    # -- correcting --------------------------------------------------------------------------------
    def can_edit_links(self) -> bool:
        return self.links_panel.clause_id is not None and self.links_panel.clause_id == self.view.current_clause_id

    def edit_links(self) -> None:
        """Open the correction dialog for the clause shown (Ctrl+L)."""
        if not self.can_edit_links():
            return
        if self.dialog is not None and self.dialog.isVisible():
            self.dialog.raise_()
            self.dialog.activateWindow()
            return
        cid = self.links_panel.clause_id
        assert cid is not None
        title = self.header.text().split(S.BREADCRUMB_SEPARATOR)[-1]
        self._retire_dialog()
        dlg = LinksDialog(self.library, self.tasks, cid, title, self.links_panel.links, self._names, self)
        dlg.saved.connect(self._on_dialog_saved)
        self.dialog = dlg
        if self._names is None and not self._names_loading:
            self._names_loading = True
            lib = self.library
            self.tasks.run_read(lambda: department_names(lib), self._on_names_loaded,
                                on_error=self._on_names_failed, name="department_names")
        dlg.open()  # window-modal without a nested event loop

    def _retire_dialog(self) -> None:
        # Free the dialog before last now, not the last one: its slots may still be on the stack.
        if self._old_dialog is not None:
            self._old_dialog.setParent(None)
        self._old_dialog, self.dialog = self.dialog, None

    def _on_names_loaded(self, names: list[str]) -> None:
        self._names, self._names_loading = names, False
        if self.dialog is not None:
            self.dialog.set_names(names)

    def _on_names_failed(self, exc: BaseException) -> None:
        self._names_loading = False  # completion is a convenience: the dialog works without it
        log.warning("department names unavailable: %s", exc)

    def _on_dialog_saved(self, clause_id: str, links: ClauseLinks, cleared: bool) -> None:
        if clause_id == self.links_panel.clause_id:
            self.links_panel.show_links(clause_id, links)
        emit(self.links_saved, clause_id, links, cleared)
