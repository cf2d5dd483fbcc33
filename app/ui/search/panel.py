"""The middle of the window: search box, status line and result list (app.ui.search.resultlist).

Typing is debounced (250 ms); Enter searches at once. Each search gets a request id and results of
an older request are dropped. The links of the whole page of hits (the rows' chip line) are read in
the search's own task, never per row paint. Results come a page (`page_size`) at a time: the next
page is fetched on the read pool when the list is scrolled near its end, when the "加载更多" row is
clicked or when ↓ goes past the last hit; a page for results no longer shown is dropped. An empty
list says why: no index yet, nothing typed, or no match (with what to try: fewer filters, synonyms,
fewer words, older versions).
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QEvent, QModelIndex, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from app.core.library import Library
from app.core.links.service import ClauseLinks
from app.core.models import SearchHit, SearchResult
from app.core.normalize import fold
from app.ui.common import strings as S
from app.ui.common import theme
from app.ui.common.qtcompat import emit
from app.ui.common.tasks import TaskManager
from app.ui.search import strings as T
from app.ui.search.hints import SearchHints, apply_suggestion, status_text
from app.ui.search.resultlist import HitDelegate, HitModel, HitRole, MoreRole, ResultList
from app.ui.views.departments import generic_test

log = logging.getLogger("policydesk.ui.search")

DEBOUNCE_MS = 250
SLOW_SEARCH_MS = 200
RESULT_LIMIT = 50  # hits per page
LOAD_AHEAD_PX = 240  # fetch the next page when the list is scrolled this close to its end
LONG_WORD = 5  # a word this long may be a phrase the documents word differently: suggest a shorter one


def search_with_links(library: Library, query: str, limit: int, all_versions: bool = False, offset: int = 0,
                      ) -> tuple[SearchResult, dict[str, ClauseLinks], dict[str, str], set[str]]:
    """Worker-side: the search (with its facet counts on the first page), then the links of its page
    of hits (one query, not one per row), the document titles the sidebar names and which of its
    department values are generic actors (各区, 有关部门 …: the sidebar lists them apart, as 部门 does)."""
    result = library.search(query, limit=limit, offset=offset, facets=offset == 0, all_versions=all_versions)
    titles = {d.id: d.title for d in library.documents()} if result.facets else {}
    generic: set[str] = set()
    if result.facets and result.facets.get("department"):
        is_generic = generic_test(library)
        generic = {name for name in result.facets["department"] if is_generic(name)}
    try:
        links = library.links([h.id for h in result.hits]) if result.hits else {}
    except Exception:  # the chips are a convenience: never lose the results over them
        log.exception("could not read the links of the results")
        links = {}
    return result, links, titles, generic


class SearchPanel(QWidget):
    """Search box + status + results. Emits `hit_selected` when the current result changes."""

    hit_selected = Signal(object, str)  # SearchHit, the query it came from
    open_requested = Signal()  # Enter on a selected result: move to the reading pane
    results_cleared = Signal()
    search_finished = Signal(object)  # SearchResult shown (its first page)
    page_loaded = Signal(int)  # a further page was added: the number of hits now shown
    facets_updated = Signal(object, object, object)  # facet counts (None: no search), document titles, generic actors

    def __init__(self, library: Library, tasks: TaskManager, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.library, self.tasks = library, tasks
        self._seq = 0
        self._shown_query = ""  # the query whose results are in the list
        self._shown_typed = ""  # what the user had typed for it (without the sidebar's filters)
        self._pending_query: str | None = None
        self._shown: SearchResult | None = None  # the first page of the results in the list
        self._shown_versions = False  # whether they include older versions
        self._next_offset = 0  # rank of the next page to fetch
        self._page_failed = False  # a page fetch failed: no more automatic fetching until a click
        self._resetting = False  # new results are going in: scroll moves are not the user's
        self.page_size = RESULT_LIMIT
        self.scope: list[str] = []  # filter tokens from the sidebar, appended to the typed text

        self.box = QLineEdit(self)
        self.box.setObjectName("searchBox")
        self.box.setPlaceholderText(T.SEARCH_PLACEHOLDER)
        self.box.setToolTip(T.SEARCH_TOOLTIP)
        self.box.setClearButtonEnabled(True)
        self.box.installEventFilter(self)
        self.status = QLabel(S.STATUS_HINT, self)
        self.status.setObjectName("searchStatus")
        self.status.setWordWrap(True)
        self.hints = SearchHints(self)  # 您是不是要找 / the kind of answer recognised / synonyms also searched
        self.hints.suggestion_chosen.connect(self._on_suggestion_chosen)
        self.also = self.hints.also
        self.versions = QCheckBox(T.ALL_VERSIONS, self)  # older versions of a law are hidden unless asked
        self.versions.setToolTip(T.ALL_VERSIONS_TIP)
        self.versions.toggled.connect(self._on_versions_toggled)
        self.export_button = QPushButton(S.EXPORT_BUTTON, self)  # wired by app.ui.export.controller
        self.export_button.setObjectName("resultsExport")
        self.export_button.setToolTip(S.EXPORT_BUTTON_TIP)
        self.export_button.hide()
        self.model = HitModel(self)
        self.list = ResultList(self)
        self.delegate = HitDelegate(self.list)
        self.list.setItemDelegate(self.delegate)
        self.list.setModel(self.model)

        lay = QVBoxLayout(self)
        lay.setContentsMargins(12, 12, 6, 0)
        lay.setSpacing(8)
        lay.addWidget(self.box)
        lay.addWidget(self.hints)
        row = QHBoxLayout()
        row.addWidget(self.status, 1)
        row.addWidget(self.versions)
        row.addWidget(self.export_button)
        lay.addLayout(row)
        lay.addWidget(self.list, 1)

        self.debounce = QTimer(self)
        self.debounce.setSingleShot(True)
        self.debounce.setInterval(DEBOUNCE_MS)
        self.debounce.timeout.connect(self.search_now)
        self.slow = QTimer(self)  # say "正在检索…" only when a search is slow, so the count does not flicker
        self.slow.setSingleShot(True)
        self.slow.setInterval(SLOW_SEARCH_MS)
        self.slow.timeout.connect(self._on_slow_timeout)
        self.box.textEdited.connect(self._on_box_text_edited)
        self.box.returnPressed.connect(self._on_box_return_pressed)
        self.list.selectionModel().currentChanged.connect(self._on_list_current_changed)
        self.list.activated.connect(self._on_list_activated)
        self.list.clicked.connect(self._on_list_clicked)
        self.list.verticalScrollBar().valueChanged.connect(self._on_list_scrolled)
        self._update_empty_state()

    # -- enabling -------------------------------------------------------------------------------
    def set_searchable(self, enabled: bool, placeholder: str = T.SEARCH_PLACEHOLDER) -> None:
        self.box.setEnabled(enabled)
        self.box.setPlaceholderText(placeholder)
        self._update_empty_state()

    def set_theme(self, t: theme.Theme) -> None:
        self.delegate.set_theme(t)
        self.hints.restyle()
        self.list.relayout()

    def _update_empty_state(self) -> None:
        """Say in the empty list why it is empty and what to do."""
        self.export_button.setVisible(bool(self.model.hits))
        if self.model.rowCount():
            text = ""
        elif not self.box.isEnabled():
            text = UNSEARCHABLE.get(self.box.placeholderText(), "")
        elif self._shown_query and self._shown_typed:
            text = no_results_text(self._shown_typed, len(self.scope), self.versions.isChecked())
        else:
            text = T.RESULTS_START
        self.list.empty.set_text(text)

    def focus_search(self) -> None:
        self.box.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.box.selectAll()

    # -- searching ------------------------------------------------------------------------------
    def _on_box_text_edited(self, _text: str) -> None:
        self.debounce.start()

    def query(self) -> str:
        """What is searched: the typed text plus the sidebar's filters ("" when nothing is typed)."""
        text = self.box.text().strip()
        return " ".join([text, *self.scope]) if text else ""

    def set_scope(self, tokens: list[str]) -> None:
        self.scope = list(tokens)
        if self.box.text().strip():
            self.search_now()

    def _on_versions_toggled(self, _checked: bool) -> None:
        if self.box.text().strip():
            self.search_now()

    def _on_box_return_pressed(self) -> None:
        query = self.query()
        if self.debounce.isActive() or (query != self._shown_query and query != self._pending_query):
            self.search_now()
        elif self.current_hit() is not None:
            emit(self.open_requested)

    def search_now(self) -> None:
        """Search the box's text on a read thread; an older request still running is superseded."""
        self.debounce.stop()
        query = self.query()
        self._seq += 1
        seq = self._seq
        if not query:
            self._pending_query = None
            self.clear_results()
            return
        self._pending_query = query
        lib, all_versions, size = self.library, self.versions.isChecked(), self.page_size
        self.slow.start()
        self.tasks.run_read(lambda: search_with_links(lib, query, size, all_versions),
                            lambda r: self._on_search_done(seq, *r),
                            on_error=lambda exc: self._on_search_failed(seq, exc), name="search")

    def _on_search_done(self, seq: int, result: SearchResult, links: dict[str, ClauseLinks] | None = None,
                        titles: dict[str, str] | None = None, generic: set[str] | None = None) -> None:
        if seq != self._seq:
            return  # a newer search was started: drop this stale result
        self._pending_query = None
        self.slow.stop()
        self._shown_query = result.query
        self._shown_typed = self.box.text().strip()
        self._shown, self._shown_versions = result, self.versions.isChecked()
        self._next_offset, self._page_failed = result.offset + len(result.hits), False
        self.delegate.clear_cache()
        self._resetting = True  # the old scroll position, clamped to the new rows, is not a scroll to the end
        try:
            self.model.set_hits(list(result.hits), links, remaining=result.total - self._next_offset)
            self._update_empty_state()
            self.status.setText(status_text(result))
            self.hints.show_result(result)
            emit(self.facets_updated, result.facets, titles or {}, generic or set())
            if result.hits:
                self.list.setCurrentIndex(self.model.index(0))
                self.list.scrollToTop()
            else:
                emit(self.results_cleared)
        finally:
            self._resetting = False
        emit(self.search_finished, result)

    def _on_search_failed(self, seq: int, exc: BaseException) -> None:
        if seq != self._seq:
            return
        from app.ui.common.dialogs import error_message, show_error

        self._pending_query = None
        self.slow.stop()
        self.status.setText(error_message(exc))
        show_error(self.window(), exc)

    # -- paging -----------------------------------------------------------------------------------
    def load_more(self) -> None:
        """Fetch the next page of the results shown (nothing when all are shown or one is on its way)."""
        if self._shown is None or self.model.loading or self.model.remaining <= 0:
            return
        shown, offset = self._shown, self._next_offset  # `shown`: which results the page belongs to
        lib, size, all_versions, query = self.library, self.page_size, self._shown_versions, shown.query
        self._page_failed = False
        self.model.set_loading(True)
        self.tasks.run_read(lambda: search_with_links(lib, query, size, all_versions, offset),
                            lambda r: self._on_page_done(shown, offset, *r),
                            on_error=lambda exc: self._on_page_failed(shown, offset, exc), name="search_page")

    def _on_page_done(self, shown: SearchResult, offset: int, result: SearchResult,
                      links: dict[str, ClauseLinks] | None = None, _titles: dict[str, str] | None = None,
                      _generic: set[str] | None = None) -> None:
        if shown is not self._shown or offset != self._next_offset:
            return  # a page of results no longer shown (or one already added): drop it
        at_more = self.list.currentIndex().data(MoreRole) is True
        ids = {h.id for h in self.model.hits}
        new = [h for h in result.hits if h.id not in ids]  # the index may have changed between pages
        self._next_offset = offset + len(result.hits)
        remaining = result.total - self._next_offset if result.hits else 0
        first_new = len(self.model.hits)
        self.model.append_hits(new, links, remaining)
        self.status.setText(status_text(shown, len(self.model.hits), result.total))
        if at_more and new:  # ↓ onto the "加载更多" row: go on to the first new hit
            self.list.setCurrentIndex(self.model.index(first_new))
        emit(self.page_loaded, len(self.model.hits))

    def _on_page_failed(self, shown: SearchResult, offset: int, exc: BaseException) -> None:
        if shown is not self._shown or offset != self._next_offset:
            return
        from app.ui.common.dialogs import error_message

        log.error("could not load the next page of results", exc_info=exc)
        self._page_failed = True  # a click on "加载更多" retries; scrolling does not
        self.model.set_loading(False)
        self.status.setText(T.LOAD_MORE_FAILED.format(error=error_message(exc)))

    def _on_list_scrolled(self, value: int) -> None:
        bar = self.list.verticalScrollBar()
        if not (self._page_failed or self._resetting) and 0 < bar.maximum() <= value + LOAD_AHEAD_PX:
            self.load_more()

    def _on_list_clicked(self, index: QModelIndex) -> None:
        if index.data(MoreRole):
            self.load_more()

    def _on_suggestion_chosen(self, term: str) -> None:
        """A "您是不是要找" query (or word) was clicked: search it, the sidebar's filters kept as they are."""
        filters = fold(" ".join(self.scope))
        if filters and term.endswith(" " + filters):  # the engine's suggestion repeats the whole query
            term = term[:-len(filters) - 1].strip()
        self.box.setText(apply_suggestion(self.box.text().strip(), term))
        self.search_now()

    def _on_slow_timeout(self) -> None:
        if self._pending_query is not None:
            self.status.setText(T.STATUS_SEARCHING)

    def clear_results(self) -> None:
        self.slow.stop()
        self._shown_query, self._shown = "", None
        self.delegate.clear_cache()
        self.model.set_hits([])
        self._update_empty_state()
        self.status.setText(S.STATUS_HINT)
        self.hints.clear()
        emit(self.facets_updated, None, {}, set())
        emit(self.results_cleared)

    def clear(self) -> None:
        """Esc: empty the box and the list."""
        self.debounce.stop()
        self._seq += 1
        self._pending_query = None
        self.box.clear()
        self.clear_results()

    def update_links(self, clause_id: str, links: ClauseLinks) -> None:
        """Show a corrected clause's new chip line (if the clause is in the list)."""
        if self.model.update_links(clause_id, links):
            self.delegate.clear_cache()
            self.list.relayout()

    def set_task_clauses(self, ids: set[str] | frozenset[str]) -> None:
        """The clauses bookmarked in 我的任务 (the window tells after every change): their hits show ★."""
        if self.model.set_task_clauses(ids):
            self.list.relayout()
            self.list.viewport().update()

    # -- selection ------------------------------------------------------------------------------
    def current_hit(self) -> SearchHit | None:
        idx = self.list.currentIndex()
        return idx.data(HitRole) if idx.isValid() else None

    def _on_list_current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if current.data(MoreRole):
            self.load_more()  # ↓ past the last hit
            return
        hit = current.data(HitRole) if current.isValid() else None
        if hit is not None:
            emit(self.hit_selected, hit, self._shown_query)

    def _on_list_activated(self, index: QModelIndex) -> None:
        if index.data(MoreRole):
            self.load_more()
        else:
            emit(self.open_requested)

    def move_selection(self, step: int) -> None:
        n = len(self.model.hits)
        if not n:
            return
        row = self.list.currentIndex().row()
        if row >= 0 and row + step >= n:
            self.load_more()  # past the last hit loaded: fetch the next page
        row = 0 if row < 0 else max(0, min(n - 1, row + step))
        self.list.setCurrentIndex(self.model.index(row))

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if obj is self.box and isinstance(event, QKeyEvent) and event.type() == QEvent.Type.KeyPress:
            key = event.key()
            if key == Qt.Key.Key_Down:
                self.move_selection(1)
                return True
            if key == Qt.Key.Key_Up:
                self.move_selection(-1)
                return True
            if key in (Qt.Key.Key_PageDown, Qt.Key.Key_PageUp):
                self.move_selection(5 if key == Qt.Key.Key_PageDown else -5)
                return True
            if key == Qt.Key.Key_Escape:
                self.clear()
                return True
        return super().eventFilter(obj, event)


UNSEARCHABLE = {
    S.SEARCH_PLACEHOLDER_OPENING: T.RESULTS_OPENING,
    S.SEARCH_PLACEHOLDER_INDEXING: T.RESULTS_INDEXING,
    S.SEARCH_PLACEHOLDER_NO_INDEX: T.RESULTS_NO_INDEX,
}


def no_results_text(typed: str, filters: int, all_versions: bool) -> str:
    """Nothing found for `typed`: what to try, most likely first."""
    tips = []
    if filters:
        tips.append(T.NO_RESULTS_FILTERS.format(n=filters))
    tips.append(T.NO_RESULTS_SYNONYMS)
    words = typed.split()
    if any(len(w.strip('"“”-')) >= LONG_WORD for w in words):
        tips.append(T.NO_RESULTS_SHORTER)
    if any(q in typed for q in ('"', "“", "”")) or any(w.startswith("-") for w in words):
        tips.append(T.NO_RESULTS_SYNTAX)
    if not all_versions:
        tips.append(T.NO_RESULTS_VERSIONS)
    return "\n".join([T.NO_RESULTS_TITLE.format(query=typed), T.NO_RESULTS_TRY, *tips])
