"""The reading pane: the selected clause in the context of its document, query terms marked.

The HTML is rendered on a read thread (app.ui.reader.render); `ClauseView` only sets it, with the
theme's reader style sheet scaled to the reading font size. The clause's links (departments,
indicators, deadline) are read in the same task and shown in the `LinksPanel` above the text, where
they can be corrected (`LinksDialog`).
"""

from __future__ import annotations

import html
import logging
import re

from PySide6.QtCore import QPoint, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QGuiApplication, QKeyEvent, QKeySequence
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QTextBrowser, QToolButton, QVBoxLayout, QWidget

from app.core.library import Library
from app.core.links.service import ClauseLinks
from app.core.models import SearchHit
from app.core.validity import REPEALED
from app.ui.common import strings as S
from app.ui.common import theme
from app.ui.common.qtcompat import emit
from app.ui.common.tasks import TaskManager
from app.ui.reader import strings as T
from app.ui.reader.linksdialog import LinksDialog
from app.ui.reader.linkspanel import LinksPanel
from app.ui.reader.related import RelatedPanel
from app.ui.reader.render import SELECTED_ANCHOR, Rendered, department_names, load_context

log = logging.getLogger("policydesk.ui.reader")

CONTEXT_ABOVE_PX = 72  # how much of the preceding text stays visible above the selected clause
READER_FONT_PX = 16  # the size the theme's reader style sheet is written for
READER_FONT_RANGE = (12, 28)


def placeholder_html(text: str) -> str:
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    return "".join(f'<p class="empty{" first" if n == 0 else ""}">{html.escape(line)}</p>'
                   for n, line in enumerate(lines))


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
        self.document().setDocumentMargin(28)
        self.setReadOnly(True)
        self.setOpenLinks(False)
        self.setOpenExternalLinks(False)
        self._seq = 0
        self.current_clause_id: str | None = None
        self.rendered: Rendered | None = None
        self.font_px = READER_FONT_PX
        self.css = theme.reader_css(theme.current())
        self.placeholder = ""
        self.apply_css(self.css)
        self.show_placeholder()

    def loadResource(self, type_: int, url: QUrl) -> object:
        """Never load anything (images, style sheets, remote URLs) named by document text."""
        return None

    def show_placeholder(self, text: str = T.READER_EMPTY) -> None:
        """Nothing to read: say how to get something (a line a paragraph)."""
        self._seq += 1
        self.current_clause_id = None
        self.rendered = None
        self.placeholder = text
        emit(self.header_changed, "")
        emit(self.links_loaded, None, None)
        self.setHtml(placeholder_html(text))

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
        QTimer.singleShot(0, self, lambda: self._scroll_if_current(seq))  # not after the view is gone

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
        from app.ui.common.dialogs import show_error

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

    def set_theme(self, t: theme.Theme) -> None:
        self.apply_css(theme.reader_css(t))

    def apply_css(self, css: str) -> None:
        """Set the reader style sheet (theme colours), scaled to the current font size."""
        self.css = css
        scale = self.font_px / READER_FONT_PX
        scaled = re.sub(r"(\d+)px", lambda m: f"{round(int(m.group(1)) * scale)}px", css)
        self.document().setDefaultStyleSheet(scaled)
        html_now = self.rendered.html if self.rendered is not None else None
        if html_now is None and self.placeholder:
            self.setHtml(placeholder_html(self.placeholder))
        elif html_now is not None:
            pos, within = self._top_place()
            self.setHtml(html_now)
            self._restore_place(pos, within)

    def _top_place(self) -> tuple[int, float]:
        """The text position of the block at the top of the view, and how far into it (0…1) the view is."""
        block = self.cursorForPosition(QPoint(0, 0)).block()
        rect = self.document().documentLayout().blockBoundingRect(block)
        within = (self.verticalScrollBar().value() - rect.top()) / rect.height() if rect.height() else 0.0
        return block.position(), within

    def _restore_place(self, pos: int, within: float) -> None:
        """Scroll so the block at `pos` is at the top again (laying the text out up to it, not by estimate)."""
        block = self.document().findBlock(pos)
        rect = self.document().documentLayout().blockBoundingRect(block)
        self.verticalScrollBar().setValue(round(rect.top() + within * rect.height()))


class ReaderPane(QWidget):
    """The reading pane: a header line naming what is shown, the 条款信息 box, then the text.

    The header and the box stay put while the text scrolls. `links_saved(clause_id, links, cleared)`
    tells the window a correction was written.
    """

    links_saved = Signal(str, object, bool)
    bookmark_requested = Signal()  # ☆ 收藏 / ★ 已收藏 clicked (the window bookmarks or opens the task)

    def __init__(self, library: Library, tasks: TaskManager, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.library, self.tasks = library, tasks
        self.header_row = QFrame(self)
        self.header_row.setObjectName("readerHeaderRow")
        self.header = QLabel(self.header_row)
        self.header.setObjectName("readerHeader")
        self.header.setWordWrap(True)
        self.header.setTextFormat(Qt.TextFormat.PlainText)
        self.bookmark_button = QToolButton(self.header_row)
        self.bookmark_button.setObjectName("bookmarkButton")
        self.bookmark_button.setText(T.BOOKMARK_BUTTON)
        self.bookmark_button.setToolTip(T.BOOKMARK_TIP)
        self.bookmark_button.setAutoRaise(True)
        self.bookmark_button.clicked.connect(lambda: emit(self.bookmark_requested))
        # 已废止/已被修改 with the provision saying so, a band under the header (app.core.validity).
        self.validity = QLabel(self)
        self.validity.setObjectName("readerValidity")
        self.validity.setWordWrap(True)
        self.validity.setTextFormat(Qt.TextFormat.PlainText)
        self.validity.hide()
        self._validity_seq = 0
        self._validity_label = ""
        row = QHBoxLayout(self.header_row)
        row.setContentsMargins(0, 0, 8, 0)
        row.addWidget(self.header, 1)
        row.addWidget(self.bookmark_button, 0, Qt.AlignmentFlag.AlignVCenter)
        self.header_row.hide()
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
        lay.addWidget(self.header_row)
        lay.addWidget(self.validity)
        lay.addWidget(self.links_panel)
        lay.addWidget(self.view, 1)
        lay.addWidget(self.related)

    def set_theme(self, t: theme.Theme) -> None:
        """The system scheme changed: restyle the text, the 条款信息 box and the related links."""
        self.view.set_theme(t)
        if self._validity_label:
            self._style_validity(t)
        self.links_panel.restyle()
        self.related.restyle()

    def _on_view_clause_loaded(self, rendered: Rendered) -> None:
        self.related.load(rendered.clause_id)

    def _on_view_header_changed(self, text: str) -> None:
        self.header.setText(text)
        self.header_row.setVisible(bool(text))
        self.set_bookmarked(None)
        self._load_validity()

    # -- 已废止 / 已被修改 -------------------------------------------------------------------------------
    def _load_validity(self) -> None:
        """Read whether the document shown is repealed or amended (a later load supersedes this one)."""
        self._validity_seq += 1
        seq = self._validity_seq
        self.show_validity(None)
        rendered = self.view.rendered
        if rendered is None or not rendered.doc_id:
            return
        lib, doc_id = self.library, rendered.doc_id
        self.tasks.run_read(lambda: lib.document(doc_id).meta.get("validity"),
                            lambda v: self._on_validity_loaded(seq, v),
                            on_error=lambda exc: log.warning("validity unavailable: %s", exc), name="validity")

    def _on_validity_loaded(self, seq: int, data: object) -> None:
        if seq == self._validity_seq:
            self.show_validity(data if isinstance(data, dict) else None)

    def show_validity(self, data: dict[str, object] | None) -> None:
        """已废止：《上海市绿色建筑条例》第四十六条，2025年1月1日起 (None: hide the line)."""
        if not data:
            self._validity_label = ""
            self.validity.clear()
            self.validity.hide()
            return
        label, provision = str(data.get("label", "")), str(data.get("provision", ""))
        self._validity_label = label
        self.validity.setText(T.VALIDITY_LINE.format(label=label, provision=provision))
        self.validity.setToolTip(str(data.get("quote", "")))
        self._style_validity()
        self.validity.show()

    def _style_validity(self, t: theme.Theme | None = None) -> None:
        self.validity.setStyleSheet(theme.validity_band(t or theme.current(), repealed=self._validity_label == REPEALED))

    def set_bookmarked(self, on: bool | None) -> None:
        """★ 已收藏 when the clause shown is a task, ☆ 收藏 when not (None: not known yet)."""
        self.bookmark_button.setText(T.BOOKMARKED_BUTTON if on else T.BOOKMARK_BUTTON)
        self.bookmark_button.setToolTip(T.BOOKMARKED_TIP if on else T.BOOKMARK_TIP)

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
