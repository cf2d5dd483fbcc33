"""The main window: sidebar | search panel | reading pane, and the 指标 / 时间线 / 部门 / 文件库 tabs.

Index builds live in `indexing`, careful closing in `closing`, 我的任务 and the 设置 menu in `desk`;
those mixins and the controllers the window hands itself to see it as `host.WindowLike`. Colours follow
the system light/dark scheme (`app.ui.common.theme`): on a change the window re-applies its style sheet
and every pane restyles what it painted by hand.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QEvent, QObject, QSize, Qt, QTimer
from PySide6.QtGui import QAction, QGuiApplication, QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import QDialog, QMainWindow, QMessageBox, QSplitter, QTabWidget, QWidget

from app.core.library import Library
from app.core.links.service import ClauseLinks
from app.core.models import IndexReport
from app.ui.comments.controller import CommentsController
from app.ui.common import strings as S
from app.ui.common import theme
from app.ui.common.dialogs import show_error
from app.ui.common.lazyview import LazyView
from app.ui.common.settings import UiSettings
from app.ui.common.tasks import TaskManager, _Handle
from app.ui.compare.controller import VersionsController
from app.ui.export.controller import ExportController, ExportDialog, ExportTarget
from app.ui.reader.clauseview import ReaderPane
from app.ui.reader.outline import OutlineTree
from app.ui.reader.render import Rendered
from app.ui.search.completion import SearchCompleter, dictionary_words
from app.ui.search.facets import FacetSidebar
from app.ui.search.panel import SearchPanel
from app.ui.views.departments import DepartmentsView
from app.ui.views.indicators import IndicatorsView
from app.ui.views.library import LibraryView
from app.ui.views.timeline import TimelineView
from app.ui.window import strings as T
from app.ui.window.closing import ClosingMixin
from app.ui.window.desk import DeskMixin
from app.ui.window.indexing import PROGRESS_DELAY_MS, IndexingMixin
from app.ui.window.indexprogress import IndexProgress
from app.ui.window.shortcuts import show_shortcuts

log = logging.getLogger("policydesk.ui.window")

DEFAULT_SIZE = QSize(1280, 800)
SCREEN_FILL = 0.92  # never open larger than this share of the screen (small or heavily scaled displays)


class MainWindow(IndexingMixin, ClosingMixin, DeskMixin, QMainWindow):
    def __init__(self, library: Library, *, tasks: TaskManager | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.library = library
        self.tasks = tasks or TaskManager(self, on_error=lambda exc: show_error(self, exc))
        self.tasks.setParent(self)
        self.setWindowTitle(S.WINDOW_TITLE)
        self.setObjectName("mainWindow")
        self.theme_manager = theme.manager()
        self.setStyleSheet(theme.window_qss(self.theme_manager.theme))
        self.resize(fitted_size(DEFAULT_SIZE))

        self.search = SearchPanel(library, self.tasks, self)
        self.reader_pane = ReaderPane(library, self.tasks, self)
        self.reader = self.reader_pane.view
        self.facets = FacetSidebar(self)
        self.outline = OutlineTree(self)
        self.sidebar = QTabWidget(self)
        self.sidebar.setObjectName("sidebar")
        self.sidebar.addTab(self.facets, T.SIDEBAR_FILTERS)
        self.sidebar.addTab(self.outline, T.SIDEBAR_OUTLINE)
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
        self.exporter = ExportController(self)  # 导出… (Ctrl+E), the views' and the result list's export actions
        for seq in (QKeySequence("Ctrl+K"), QKeySequence(QKeySequence.StandardKey.Find)):
            QShortcut(seq, self, self.search.focus_search, context=Qt.ShortcutContext.WindowShortcut)

        for key in ("F1", "?"):
            QShortcut(QKeySequence(key), self, lambda: show_shortcuts(self), context=Qt.ShortcutContext.WindowShortcut)
        self.search.hit_selected.connect(self.reader.show_hit)
        self.search.facets_updated.connect(self.facets.set_facets)
        self.search.search_finished.connect(self._on_search_finished)
        self.facets.scope_changed.connect(self.search.set_scope)
        self.reader.clause_loaded.connect(self._on_reader_clause_loaded)
        self.reader.citation_copied.connect(lambda _t: self.statusBar().showMessage(T.CITATION_COPIED, 5_000))
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
        self._importing = False
        self.last_index_report: IndexReport | None = None
        self.import_report_dialog: QDialog | None = None
        self._closed = False
        self._forced = False
        self.search.set_searchable(False, S.SEARCH_PLACEHOLDER_OPENING)
        self._restore_settings()
        self._init_desk()  # 我的任务, Ctrl+D, 设置 › 数据备份与恢复 (app.ui.window.desk)
        self.version_ui = VersionsController(self)  # 对照 tab, 版本关联…, carrying work over (app.ui.compare)
        self.commenting = CommentsController(self)  # 意见 tab, 提意见 (Ctrl+M), 意见反馈表 (app.ui.comments)
        self.theme_manager.changed.connect(self.apply_theme)  # the panes were built in the current theme

    def apply_theme(self, t: theme.Theme) -> None:
        """The system switched between light and dark: restyle everything painted by hand."""
        self.setStyleSheet(theme.window_qss(t))
        self.search.set_theme(t)
        self.reader_pane.set_theme(t)
        for view in self.views:
            view.restyle()

    def _build_menus(self) -> None:
        lib_menu = self.menuBar().addMenu(S.MENU_LIBRARY)
        self.reindex_action = QAction(T.ACTION_REINDEX, self)
        self.reindex_action.triggered.connect(lambda: self.start_indexing(only_if_needed=False))
        lib_menu.addAction(self.reindex_action)
        focus = QAction(T.ACTION_FOCUS_SEARCH, self)
        focus.setShortcutVisibleInContextMenu(True)
        focus.triggered.connect(self.search.focus_search)
        lib_menu.addAction(focus)
        lib_menu.addSeparator()
        quit_action = QAction(T.ACTION_QUIT, self)
        quit_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Quit))
        quit_action.triggered.connect(self.close)
        lib_menu.addAction(quit_action)
        clause_menu = self.menuBar().addMenu(S.MENU_CLAUSE)
        self.edit_links_action = QAction(T.ACTION_EDIT_LINKS, self)
        self.edit_links_action.setShortcut(QKeySequence("Ctrl+L"))  # Ctrl+E is kept for export
        self.edit_links_action.setShortcutVisibleInContextMenu(True)
        self.edit_links_action.setEnabled(False)
        self.edit_links_action.triggered.connect(self.reader_pane.edit_links)
        clause_menu.addAction(self.edit_links_action)
        clause_menu.addSeparator()
        for text, keys, slot in ((T.ACTION_PREV_CLAUSE, ["Ctrl+["], lambda: self.step_clause(-1)),
                                 (T.ACTION_NEXT_CLAUSE, ["Ctrl+]"], lambda: self.step_clause(1)),
                                 (T.ACTION_FONT_BIGGER, ["Ctrl+=", "Ctrl++"], lambda: self.zoom_reader(2)),
                                 (T.ACTION_FONT_SMALLER, ["Ctrl+-"], lambda: self.zoom_reader(-2))):
            act = QAction(text, self)
            act.setShortcuts([QKeySequence(k) for k in keys])
            act.setShortcutVisibleInContextMenu(True)
            act.triggered.connect(slot)
            clause_menu.addAction(act)
        copy = QAction(T.ACTION_COPY_CITATION, self)
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
        add_files = QAction(T.ACTION_ADD_FILES, self)
        add_files.triggered.connect(self.choose_files)
        lib_menu.insertAction(lib_menu.actions()[2], add_files)
        report = QAction(S.ACTION_IMPORT_REPORT, self)
        report.triggered.connect(lambda: self.show_import_report())
        lib_menu.insertAction(lib_menu.actions()[3], report)
        help_menu = self.menuBar().addMenu(S.MENU_HELP)
        keys = QAction(T.ACTION_SHORTCUTS, self)
        keys.triggered.connect(lambda: show_shortcuts(self))
        help_menu.addAction(keys)
        about = QAction(T.ACTION_ABOUT, self)
        about.triggered.connect(self._show_about)
        help_menu.addAction(about)

    def open_export(self, what: ExportTarget = None) -> ExportDialog | None:
        """The 导出 dialog for `what`: an `app.core.export.Scope` (e.g. `Scope.of_tasks(library.tasks())`),
        an `app.ui.export.scope.ExportRequest`, or None for what the current tab shows (Ctrl+E)."""
        return self.exporter.open(what)

    def _show_about(self) -> None:
        box = QMessageBox(QMessageBox.Icon.Information, S.APP_NAME, T.ABOUT_TEXT, QMessageBox.StandardButton.Ok, self)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()

    def _on_search_open_requested(self) -> None:
        self.reader.setFocus(Qt.FocusReason.OtherFocusReason)

    # -- clause links ----------------------------------------------------------------------------
    def _on_reader_links_loaded(self, clause_id: str | None, links: ClauseLinks | None) -> None:
        self.edit_links_action.setEnabled(clause_id is not None and links is not None)

    def _on_links_saved(self, clause_id: str, links: ClauseLinks, cleared: bool) -> None:
        self.search.update_links(clause_id, links)
        for view in (self.indicators, self.timeline, self.departments):
            view.invalidate()
        self.statusBar().showMessage(T.LINKS_CLEARED if cleared else T.LINKS_SAVED, 8_000)

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


def fitted_size(wanted: QSize) -> QSize:
    """`wanted`, shrunk to fit the primary screen's free area (high-DPI scaling leaves fewer logical pixels)."""
    screen = QGuiApplication.primaryScreen()
    if screen is None:
        return wanted
    free = screen.availableGeometry().size()
    return QSize(min(wanted.width(), int(free.width() * SCREEN_FILL)),
                 min(wanted.height(), int(free.height() * SCREEN_FILL)))
