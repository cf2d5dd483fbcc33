"""Where the 导出 dialog is opened from: 导出… (Ctrl+E) in the 文库 and 条款 menus, the result list's context
menu and 导出… button, and the views' own buttons (`LazyView.export_requested`).

Ctrl+E exports what the current tab shows: on 检索 the selected results (several selected) or the whole
result set of the query shown, else the clause being read; on the other tabs whatever the view's
`export_request()` returns (指标: the indicator table; 部门: the selected department; 文件库: the selected
document; 时间线: the year shown). `open(scope)` takes a bare `Scope` too (the 我的任务 tab passes
`Scope.of_tasks(library.tasks())`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QPoint, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu

from app.core.export import ExportOptions, ExportResult, Scope
from app.core.models import SearchResult
from app.ui.common import strings as S
from app.ui.export import strings as T
from app.ui.export.dialog import ExportDialog
from app.ui.export.scope import ExportRequest, clauses_request, query_request, request_for
from app.ui.search.resultlist import HitRole

if TYPE_CHECKING:
    from app.ui.window.host import WindowLike

ExportTarget = Scope | ExportRequest | None
STATUS_MS = 15_000


class ExportController(QObject):
    """Owns the window's one export dialog and every way of opening it."""

    def __init__(self, win: WindowLike) -> None:
        super().__init__(win)
        self.win = win
        self.dialog: ExportDialog | None = None
        self._totals: dict[str, int] = {}  # query shown → the engine's full result count
        self.results_menu_hooks: list[Callable[[QMenu, QPoint], None]] = []  # more items (提意见…) first
        self.other_exports: list[Any] = []  # other export dialogs (意见反馈表): `.running` counts as exporting
        self.action = QAction(T.ACTION_EXPORT, win)
        self.action.setObjectName("exportAction")
        self.action.setShortcut(QKeySequence("Ctrl+E"))
        self.action.setShortcutVisibleInContextMenu(True)
        self.action.triggered.connect(self._on_action_triggered)
        self._add_to_menus()
        search = win.search
        search.search_finished.connect(self._on_search_finished)
        search.list.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        search.list.customContextMenuRequested.connect(self._on_results_menu)
        export_button = getattr(search, "export_button", None)
        if export_button is not None:
            export_button.clicked.connect(self._on_search_export_clicked)
        for view in win.views:
            signal = getattr(view, "export_requested", None)
            if signal is not None:
                signal.connect(self.open)

    def _add_to_menus(self) -> None:
        for act in self.win.menuBar().actions():
            menu = act.menu()
            if not isinstance(menu, QMenu):
                continue
            if menu.title() == S.MENU_LIBRARY:  # before the separator above 退出
                items = menu.actions()
                seps = [a for a in items if a.isSeparator()]
                if seps:
                    menu.insertAction(seps[-1], self.action)
                else:
                    menu.addAction(self.action)
            elif menu.title() == S.MENU_CLAUSE:
                menu.addSeparator()
                menu.addAction(self.action)

    # -- what to export ---------------------------------------------------------------------------
    def selected_result_ids(self) -> list[str]:
        rows = sorted(self.win.search.list.selectionModel().selectedIndexes(), key=lambda i: i.row())
        ids = [i.data(HitRole).id for i in rows if i.data(HitRole) is not None]
        return list(dict.fromkeys(ids))

    def selected_request(self) -> ExportRequest | None:
        ids = self.selected_result_ids()
        return clauses_request(ids, T.EXPORT_SCOPE_SELECTED) if ids else None

    def results_request(self) -> ExportRequest | None:
        """The whole result set of the query shown (with the sidebar's filters)."""
        s = self.win.search
        query = s._shown_query
        if not query or not s.model.rowCount():
            return None
        return query_request(query, s._shown_typed, self._totals.get(query), ExportOptions().max_results,
                             all_versions=s.versions.isChecked())

    def search_request(self) -> ExportRequest | None:
        if len(self.selected_result_ids()) > 1:
            return self.selected_request()
        req = self.results_request()
        if req is not None:
            return req
        cid = self.win.reader.current_clause_id
        return clauses_request([cid], T.EXPORT_SCOPE_READING) if cid else None

    def current_request(self) -> ExportRequest | None:
        widget = self.win.tabs.currentWidget()
        if widget is self.win.splitter:
            return self.search_request()
        fn = getattr(widget, "export_request", None)
        return fn() if callable(fn) else None

    def running(self) -> bool:
        """True while an export is queued or being written."""
        return (self.dialog is not None and self.dialog.running) or any(d.running for d in self.other_exports)

    # -- opening the dialog -------------------------------------------------------------------------
    def open(self, what: ExportTarget = None) -> ExportDialog | None:
        """Show the dialog for `what` (a request, a bare scope, or None: what the current tab shows)."""
        req = what if isinstance(what, ExportRequest) else request_for(what) if isinstance(what, Scope) \
            else self.current_request()
        if req is None:
            self.win.statusBar().showMessage(T.EXPORT_NOTHING, STATUS_MS)
            return None
        dlg = self.dialog
        if dlg is None:
            w = self.win
            dlg = self.dialog = ExportDialog(w.library, w.tasks, w.settings, w)
            dlg.exported.connect(self._on_exported)
        dlg.set_request(req)  # ignored while an export runs: the dialog shows that one
        if dlg.isVisible():  # already open behind the window: bring it forward
            dlg.raise_()
            dlg.activateWindow()
        else:
            dlg.show()
        return dlg

    def _on_action_triggered(self) -> None:
        instead = getattr(self.win.tabs.currentWidget(), "export_instead", None)
        if callable(instead):  # a tab with its own export (意见: the 意见反馈表)
            instead()
            return
        self.open()

    def _on_search_export_clicked(self) -> None:
        self.open(self.search_request())

    def _on_exported(self, result: ExportResult) -> None:
        self.win.statusBar().showMessage(S.EXPORT_DONE_STATUS.format(path=result.path), STATUS_MS)

    def _on_search_finished(self, result: Any) -> None:
        if isinstance(result, SearchResult):
            self._totals = {result.query: result.total}

    def _on_results_menu(self, pos: QPoint) -> None:
        lst = self.win.search.list
        menu = QMenu(lst)
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        for hook in self.results_menu_hooks:
            hook(menu, pos)
        ids = self.selected_result_ids()
        if ids:
            menu.addAction(T.EXPORT_RESULTS_SELECTED.format(n=len(ids))).triggered.connect(
                lambda: self.open(self.selected_request()))
        if self.results_request() is not None:
            menu.addAction(T.EXPORT_RESULTS_ALL).triggered.connect(lambda: self.open(self.results_request()))
        if menu.isEmpty():
            menu.deleteLater()
            return
        menu.popup(lst.viewport().mapToGlobal(pos))
