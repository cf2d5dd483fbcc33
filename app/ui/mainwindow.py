"""The main window: search panel | reading pane, indexing progress in the status bar, careful closing."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QAction, QCloseEvent, QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QSizePolicy,
    QSplitter,
    QTabWidget,
    QWidget,
)

from app.core.library import Library
from app.core.links.service import ClauseLinks
from app.core.models import IndexReport
from app.core.progress import CancelToken
from app.ui import strings as S
from app.ui.clauseview import ReaderPane, Rendered
from app.ui.completion import SearchCompleter, dictionary_words
from app.ui.dialogs import show_error
from app.ui.facets import FacetSidebar
from app.ui.outline import OutlineTree
from app.ui.searchpanel import SearchPanel
from app.ui.settings import UiSettings
from app.ui.shortcuts import show_shortcuts
from app.ui.tasks import ProgressFn, TaskManager, _Handle
from app.ui.views_common import LazyView
from app.ui.views_departments import DepartmentsView
from app.ui.views_indicators import IndicatorsView
from app.ui.views_library import LibraryView
from app.ui.views_timeline import TimelineView

log = logging.getLogger("policydesk.ui.window")

PROGRESS_DELAY_MS = 600  # quick work never flashes a progress bar
CLOSE_TIMEOUT_MS = 10_000

WINDOW_QSS = """
QLineEdit#searchBox { padding: 6px 8px; font-size: 15px; border: 1px solid #c9ced6; border-radius: 4px;
                      background: #ffffff; }
QLineEdit#searchBox:focus { border: 1px solid #3b6fb6; }
QLineEdit#searchBox:disabled { background: #f3f4f6; color: #8a8f98; }
QLabel#searchStatus { color: #5f6670; padding-left: 2px; }
QListView#results { background: #ffffff; border: 1px solid #e1e4e8; }
QLabel#readerHeader { color: #4b5563; background: #f7f8fa; padding: 8px 16px;
                      border-bottom: 1px solid #e1e4e8; }
QTextBrowser#reader { background: #ffffff; border: none; }
QLabel#relatedPanel { background: #f7f8fa; border-top: 1px solid #e1e4e8; padding: 8px 16px; color: #4b5563; }
QLabel#alsoMatched { color: #5a7396; padding-left: 2px; }
QLabel#viewInfo { color: #5f6670; }
"""


def _warm_up() -> None:
    """Load jieba's dictionary now, so the user's first search does not pay for it."""
    from app.core.library import warm_up

    warm_up()


class IndexProgress(QWidget):
    """Label, bar and 取消 button shown in the status bar while an index build runs."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("indexProgress")
        self.label = QLabel(S.INDEX_PROGRESS, self)
        self.bar = QProgressBar(self)
        self.bar.setFixedWidth(220)
        self.bar.setTextVisible(False)
        self.bar.setRange(0, 0)
        self.cancel_button = QPushButton(S.INDEX_CANCEL, self)
        self.cancel_button.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 6, 0)
        lay.addWidget(self.label)
        lay.addWidget(self.bar)
        lay.addWidget(self.cancel_button)

    def update_progress(self, done: int, total: int, message: str) -> None:
        if total > 0:
            self.bar.setRange(0, total)
            self.bar.setValue(min(done, total))
        else:
            self.bar.setRange(0, 0)  # busy indicator
        if message:
            self.label.setText(message)


class MainWindow(QMainWindow):
    def __init__(self, library: Library, *, tasks: TaskManager | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.library = library
        self.tasks = tasks or TaskManager(self, on_error=lambda exc: show_error(self, exc))
        self.tasks.setParent(self)
        self.setWindowTitle(S.WINDOW_TITLE)
        self.setObjectName("mainWindow")
        self.setStyleSheet(WINDOW_QSS)
        self.resize(1280, 800)

        self.search = SearchPanel(library, self.tasks, self)
        self.reader_pane = ReaderPane(library, self.tasks, self)
        self.reader = self.reader_pane.view
        self.facets = FacetSidebar(self)
        self.outline = OutlineTree(self)
        self.sidebar = QTabWidget(self)
        self.sidebar.setObjectName("sidebar")
        self.sidebar.addTab(self.facets, S.SIDEBAR_FILTERS)
        self.sidebar.addTab(self.outline, S.SIDEBAR_OUTLINE)
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.addWidget(self.sidebar)
        self.splitter.addWidget(self.search)
        self.splitter.addWidget(self.reader_pane)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.setStretchFactor(0, 0)
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setStretchFactor(2, 3)
        self.splitter.setSizes([230, 440, 610])
        self.indicators = IndicatorsView(library, self.tasks, self)
        self.timeline = TimelineView(library, self.tasks, self)
        self.departments = DepartmentsView(library, self.tasks, self)
        self.library_view = LibraryView(library, self.tasks, self)
        self.views: list[LazyView] = [self.indicators, self.timeline, self.departments, self.library_view]
        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("mainTabs")
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(self.splitter, S.TAB_SEARCH)
        for view, title in zip(self.views, (S.TAB_INDICATORS, S.TAB_TIMELINE, S.TAB_DEPARTMENTS, S.TAB_LIBRARY),
                               strict=True):
            self.tabs.addTab(view, title)
            view.open_clause.connect(self.open_clause)
        self.setCentralWidget(self.tabs)
        self.settings = UiSettings(library.paths.data)
        self.completer = SearchCompleter(self.search.box, dictionary_words(library.paths.resources / "userdict.txt"),
                                         self.settings.strings("search/history"))

        self.progress = IndexProgress(self)
        self.progress.hide()
        self.progress.cancel_button.clicked.connect(self.cancel_indexing)
        self.statusBar().addPermanentWidget(self.progress)
        self._progress_timer = QTimer(self)
        self._progress_timer.setSingleShot(True)
        self._progress_timer.setInterval(PROGRESS_DELAY_MS)
        self._progress_timer.timeout.connect(self._on_progress_timer_timeout)

        self._build_menus()
        for seq in (QKeySequence("Ctrl+K"), QKeySequence(QKeySequence.StandardKey.Find)):
            QShortcut(seq, self, self.search.focus_search, context=Qt.ShortcutContext.WindowShortcut)

        for key in ("F1", "?"):
            QShortcut(QKeySequence(key), self, lambda: show_shortcuts(self), context=Qt.ShortcutContext.WindowShortcut)
        self.search.hit_selected.connect(self.reader.show_hit)
        self.search.facets_updated.connect(self.facets.set_facets)
        self.search.search_finished.connect(self._on_search_finished)
        self.facets.scope_changed.connect(self.search.set_scope)
        self.reader.clause_loaded.connect(self._on_reader_clause_loaded)
        self.reader.citation_copied.connect(lambda _t: self.statusBar().showMessage(S.CITATION_COPIED, 5_000))
        self.outline.clause_requested.connect(self.open_clause)
        self.reader_pane.related.open_clause.connect(self.open_clause)
        self.reader_pane.related.open_document.connect(self.open_document)
        self.library_view.add_folder.connect(self.add_folder)
        self.library_view.search_in.connect(self.search_in_documents)
        self.library_view.open_document.connect(self.open_document)
        self.search.list.installEventFilter(self)
        self.search.open_requested.connect(self._on_search_open_requested)
        self.search.results_cleared.connect(lambda: self.reader.show_placeholder())
        self.reader.links_loaded.connect(self._on_reader_links_loaded)
        self.reader_pane.links_saved.connect(self._on_links_saved)
        self.tasks.write_idle.connect(self._on_tasks_write_idle)

        self.index_handle: _Handle | None = None
        self._had_index = True
        self._close_when_idle = False
        self._closed = False
        self._forced = False
        self.search.set_searchable(False, S.SEARCH_PLACEHOLDER_OPENING)
        self._restore_settings()

    def _build_menus(self) -> None:
        lib_menu = self.menuBar().addMenu(S.MENU_LIBRARY)
        self.reindex_action = QAction(S.ACTION_REINDEX, self)
        self.reindex_action.triggered.connect(lambda: self.start_indexing(only_if_needed=False))
        lib_menu.addAction(self.reindex_action)
        focus = QAction(S.ACTION_FOCUS_SEARCH, self)
        focus.setShortcutVisibleInContextMenu(True)
        focus.triggered.connect(self.search.focus_search)
        lib_menu.addAction(focus)
        lib_menu.addSeparator()
        quit_action = QAction(S.ACTION_QUIT, self)
        quit_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Quit))
        quit_action.triggered.connect(self.close)
        lib_menu.addAction(quit_action)
        clause_menu = self.menuBar().addMenu(S.MENU_CLAUSE)
        self.edit_links_action = QAction(S.ACTION_EDIT_LINKS, self)
        self.edit_links_action.setShortcut(QKeySequence("Ctrl+L"))  # Ctrl+E is kept for export
        self.edit_links_action.setShortcutVisibleInContextMenu(True)
        self.edit_links_action.setEnabled(False)
        self.edit_links_action.triggered.connect(self.reader_pane.edit_links)
        clause_menu.addAction(self.edit_links_action)
        clause_menu.addSeparator()
        for text, keys, slot in ((S.ACTION_PREV_CLAUSE, ["Ctrl+["], lambda: self.step_clause(-1)),
                                 (S.ACTION_NEXT_CLAUSE, ["Ctrl+]"], lambda: self.step_clause(1)),
                                 (S.ACTION_FONT_BIGGER, ["Ctrl+=", "Ctrl++"], lambda: self.zoom_reader(2)),
                                 (S.ACTION_FONT_SMALLER, ["Ctrl+-"], lambda: self.zoom_reader(-2))):
            act = QAction(text, self)
            act.setShortcuts([QKeySequence(k) for k in keys])
            act.setShortcutVisibleInContextMenu(True)
            act.triggered.connect(slot)
            clause_menu.addAction(act)
        copy = QAction(S.ACTION_COPY_CITATION, self)
        copy.triggered.connect(self.reader.copy_citation)  # Ctrl+C itself is handled by the reader and the list
        clause_menu.addAction(copy)
        view_menu = self.menuBar().addMenu(S.MENU_VIEW)
        for n, title in enumerate((S.TAB_SEARCH, S.TAB_INDICATORS, S.TAB_TIMELINE, S.TAB_DEPARTMENTS, S.TAB_LIBRARY)):
            act = QAction(title, self)
            act.setShortcut(QKeySequence(f"Ctrl+{n + 1}"))
            act.triggered.connect(lambda _c=False, n=n: self.tabs.setCurrentIndex(n))
            view_menu.addAction(act)
        add = QAction(S.ACTION_ADD_FOLDER, self)
        add.triggered.connect(self.library_view.choose_folder)
        lib_menu.insertAction(lib_menu.actions()[1], add)
        help_menu = self.menuBar().addMenu(S.MENU_HELP)
        keys = QAction(S.ACTION_SHORTCUTS, self)
        keys.triggered.connect(lambda: show_shortcuts(self))
        help_menu.addAction(keys)
        about = QAction(S.ACTION_ABOUT, self)
        about.triggered.connect(self._show_about)
        help_menu.addAction(about)

    def _show_about(self) -> None:
        box = QMessageBox(QMessageBox.Icon.Information, S.APP_NAME, S.ABOUT_TEXT, QMessageBox.StandardButton.Ok, self)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()

    # -- start-up and indexing -------------------------------------------------------------------
    def start(self) -> None:
        """The first background task: check the index (building it if needed) once the window shows."""
        self.start_indexing(only_if_needed=True)

    def start_indexing(self, *, only_if_needed: bool, extra: Sequence[Path] = (), full: bool = False) -> None:
        if self.index_handle is not None:
            return
        lib = self.library
        extra = list(extra)

        def work(progress: ProgressFn, cancel: CancelToken) -> IndexReport | None:
            if only_if_needed and not lib.needs_index():
                _warm_up()
                return None
            progress(0, 0, S.SEARCH_PLACEHOLDER_INDEXING)
            report = lib.index(extra, full=full, progress=progress, cancel=cancel)
            _warm_up()
            return report

        self.reindex_action.setEnabled(False)
        self._had_index = self.search.box.isEnabled()
        if not only_if_needed:
            self._on_index_progress(0, 0, S.SEARCH_PLACEHOLDER_INDEXING)
        self.index_handle = self.tasks.run_write(
            work, self._on_index_done, on_progress=self._on_index_progress,
            on_cancelled=self._on_index_cancelled, on_error=self._on_index_failed, name="index")

    def _on_index_progress(self, done: int, total: int, message: str) -> None:
        if self.search.box.placeholderText() != S.SEARCH_PLACEHOLDER_INDEXING:
            self.search.set_searchable(False, S.SEARCH_PLACEHOLDER_INDEXING)
            self.search.status.setText(S.STATUS_INDEXING)
        if not self.progress.isVisible() and not self._progress_timer.isActive():
            self._progress_timer.start()
        self.progress.update_progress(done, total, message)

    def _on_progress_timer_timeout(self) -> None:
        if self.index_handle is not None:
            self.progress.cancel_button.setEnabled(True)
            self.progress.show()

    def _end_indexing(self, searchable: bool, message: str = "") -> None:
        self.index_handle = None
        self._progress_timer.stop()
        self.progress.hide()
        self.reindex_action.setEnabled(True)
        if self.search.status.text() == S.STATUS_INDEXING:
            self.search.status.setText(S.STATUS_HINT)
        if searchable:
            self.search.set_searchable(True)
        else:
            self.search.set_searchable(False, S.SEARCH_PLACEHOLDER_NO_INDEX)
        if message:
            self.statusBar().showMessage(message, 15_000)

    def _on_index_done(self, report: IndexReport | None) -> None:
        for view in self.views:
            view.invalidate()
        if report is None:
            self._end_indexing(True, S.READY)
        else:
            msg = S.INDEX_DONE.format(documents=report.documents, clauses=report.clauses, seconds=report.seconds)
            if report.failed:
                msg += S.INDEX_FAILED_FILES.format(n=len(report.failed))
            self._end_indexing(True, msg)
        if not self._close_when_idle:
            self.search.focus_search()
            if self.search.box.text().strip():
                self.search.search_now()

    def _on_index_cancelled(self) -> None:
        self._end_indexing(self._had_index, S.INDEX_CANCELLED)

    def _on_index_failed(self, exc: BaseException) -> None:
        self._end_indexing(self._had_index)
        if not self._close_when_idle:
            show_error(self, exc)

    def cancel_indexing(self) -> None:
        if self.index_handle is not None:
            self.index_handle.cancel()
            self.progress.cancel_button.setEnabled(False)
            self.progress.label.setText(S.INDEX_CANCELLING)

    def _on_search_open_requested(self) -> None:
        self.reader.setFocus(Qt.FocusReason.OtherFocusReason)

    # -- clause links ----------------------------------------------------------------------------
    def _on_reader_links_loaded(self, clause_id: str | None, links: ClauseLinks | None) -> None:
        self.edit_links_action.setEnabled(clause_id is not None and links is not None)

    def _on_links_saved(self, clause_id: str, links: ClauseLinks, cleared: bool) -> None:
        self.search.update_links(clause_id, links)
        for view in (self.indicators, self.timeline, self.departments):
            view.invalidate()
        self.statusBar().showMessage(S.LINKS_CLEARED if cleared else S.LINKS_SAVED, 8_000)

    # -- closing ---------------------------------------------------------------------------------
    def closeEvent(self, event: QCloseEvent) -> None:
        if self.tasks.busy() and not self._forced:
            event.ignore()
            if not self._close_when_idle:
                self._ask_close()
            return
        self.shutdown()
        event.accept()

    def _ask_close(self) -> None:
        box = QMessageBox(QMessageBox.Icon.Question, S.CLOSE_BUSY_TITLE, S.CLOSE_BUSY_TEXT,
                          QMessageBox.StandardButton.NoButton, self)
        box.setObjectName("closeBusyBox")
        wait = box.addButton(S.CLOSE_WAIT, QMessageBox.ButtonRole.AcceptRole)
        cancel = box.addButton(S.CLOSE_CANCEL, QMessageBox.ButtonRole.DestructiveRole)
        box.setDefaultButton(wait)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.setWindowModality(Qt.WindowModality.WindowModal)

        def on_clicked(button: object) -> None:
            if button is cancel:
                self.close_when_idle(cancel=True)
            elif button is wait:
                self.close_when_idle(cancel=False)

        box.buttonClicked.connect(on_clicked)
        box.open()  # no nested event loop: work keeps reporting while the question is up

    def close_when_idle(self, *, cancel: bool) -> None:
        """Close as soon as background work ends; with `cancel`, ask it to stop (and give up after 10 s)."""
        self._close_when_idle = True
        self.statusBar().showMessage(S.INDEX_CANCELLING if cancel else S.CLOSE_WAITING)
        if cancel:
            self.cancel_indexing()
            self.tasks.cancel_all()
            QTimer.singleShot(CLOSE_TIMEOUT_MS, self._on_close_timeout)
        if not self.tasks.busy():
            QTimer.singleShot(0, self.close)

    def _on_tasks_write_idle(self) -> None:
        if self._close_when_idle:
            self.close()

    def _on_close_timeout(self) -> None:
        if not self._closed and self.tasks.busy():
            log.warning("background work did not stop within %d ms; closing anyway", CLOSE_TIMEOUT_MS)
            self._forced = True
            self.close()

    def shutdown(self) -> None:
        """Stop background work, wait for it (≤10 s), close the library. Safe to call twice."""
        if self._closed:
            return
        self._closed = True
        self._progress_timer.stop()
        self.search.debounce.stop()
        self._save_settings()
        self.tasks.cancel_all()
        if not self.tasks.wait_all(1000 if self._forced else CLOSE_TIMEOUT_MS):
            log.warning("background work still running at shutdown")
        self.library.close()

    # -- the workbench: opening clauses, outline, navigation, views ------------------------------
    def open_clause(self, clause_id: str) -> None:
        """Show `clause_id` in the reading pane (from a view, the outline, a related link)."""
        self.tabs.setCurrentIndex(0)
        self.reader.show_clause(clause_id, self.search._shown_query)

    def open_document(self, doc_id: str) -> None:
        lib = self.library
        self.tasks.run_read(lambda: next(iter(lib.clauses(doc_id))).id, self.open_clause, name="first_clause")

    def step_clause(self, step: int) -> None:
        """Ctrl+[ / Ctrl+]: the previous/next clause of the document shown."""
        cid = self.reader.neighbour(step)
        if cid is not None:
            self.open_clause(cid)

    def zoom_reader(self, delta: int) -> None:
        self.reader.set_font_px(self.reader.font_px + delta)

    def _on_reader_clause_loaded(self, rendered: Rendered) -> None:
        self.outline.set_outline(rendered.doc_id, rendered.outline, rendered.clause_id)

    def _on_search_finished(self, result: object) -> None:
        if getattr(result, "hits", None):
            self.completer.remember(self.search.box.text())

    def add_folder(self, folder: str) -> None:
        """Index a folder of .md/.txt files in the background (it is remembered for later refreshes)."""
        self.start_indexing(only_if_needed=False, extra=[Path(folder)])

    def search_in_documents(self, doc_ids: list[str]) -> None:
        self.tabs.setCurrentIndex(0)
        self.sidebar.setCurrentWidget(self.facets)
        self.facets.set_scope("doc", doc_ids)
        self.search.focus_search()

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        # Ctrl+C on the result list copies the selected clause (shown in the reader) with its citation.
        if obj is self.search.list and isinstance(event, QKeyEvent) and event.type() == QEvent.Type.KeyPress \
                and event.matches(QKeySequence.StandardKey.Copy):
            self.reader.copy_citation()
            return True
        return super().eventFilter(obj, event)

    # -- settings ---------------------------------------------------------------------------------
    def _restore_settings(self) -> None:
        st = self.settings
        geo = st.bytes("window/geometry")
        if geo is not None:
            self.restoreGeometry(geo)
        split = st.bytes("window/splitter")
        if split is not None:
            self.splitter.restoreState(split)
        self.reader.set_font_px(st.integer("reader/font_px", self.reader.font_px))
        query = st.text("search/last_query")
        if query:
            self.search.box.setText(query)  # searched once the index is ready

    def _save_settings(self) -> None:
        st = self.settings
        st.set("window/geometry", self.saveGeometry())
        st.set("window/splitter", self.splitter.saveState())
        st.set("reader/font_px", self.reader.font_px)
        st.set("search/last_query", self.search.box.text().strip())
        st.set("search/history", self.completer.history)
        st.sync()
