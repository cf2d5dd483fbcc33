"""我的任务: the official's desk. Tasks (bookmarked clauses) in a sortable, filterable table with the
editor beside it, the 建议任务 of "my department" below, and a 指标进度 page for tracked indicators.

Everything is read in one task on a read thread (`fetch_desk`); every write goes to the TaskManager's
user thread and updates the rows it touched, so the table keeps its place while the user works.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.core.desk import DONE, ON_HOLD, OPEN, OVERDUE, SOON, URGENCY_LABELS, DeskTask
from app.core.library import Library
from app.core.userdata import STATUS_LABELS, Draft, Task
from app.ui.common import strings as S
from app.ui.common import theme
from app.ui.common.banner import Banner
from app.ui.common.lazyview import KeyRole, LazyView, em, read_only_rows
from app.ui.common.qtcompat import emit
from app.ui.common.tasks import TaskManager
from app.ui.desk import strings as T
from app.ui.desk.data import DeskData, fetch_desk
from app.ui.desk.editor import TaskEditor
from app.ui.desk.progress import ProgressOverview, fetch_progress
from app.ui.desk.suggestions import SuggestionsPanel
from app.ui.desk.table import (
    COL_CLAUSE,
    COL_COLLECTION,
    COL_DUE,
    COL_NOTE,
    COL_OWNER,
    COL_PRIORITY,
    COL_STATUS,
    COL_TAGS,
    COL_URGENCY,
    DeskRole,
    TaskFilter,
    TaskModel,
    row_items,
    task_title,
)

UNDO_MS = 30_000


class TasksView(LazyView):
    what = T.VIEW_WHAT_TASKS
    message = Signal(str)  # for the status bar
    track = Signal(str, str)  # clause id, indicator name: open the progress dialog

    def __init__(self, library: Library, tasks: TaskManager, parent: QWidget | None = None, *,
                 current_clause: Any = None) -> None:
        super().__init__(library, tasks, parent)
        self.setObjectName("tasksView")
        self.data = DeskData([])
        self.drafts: dict[str, Draft] = {}
        self._filling = False
        self._select_after_load: str | None = None
        self._sorted_once = False
        self.banner = Banner(self, name="tasksBanner")
        self.filter_box = QLineEdit(self)
        self.filter_box.setObjectName("taskFilter")
        self.filter_box.setPlaceholderText(T.TASKS_FILTER_PLACEHOLDER)
        self.filter_box.setClearButtonEnabled(True)
        self.status_filter = self._combo("statusFilter", T.FILTER_ALL_STATUS, list(STATUS_LABELS.items()))
        self.urgency_filter = self._combo("urgencyFilter", T.FILTER_ALL_URGENCY,
                                          [(u, URGENCY_LABELS[u]) for u in (OVERDUE, SOON, OPEN, DONE, ON_HOLD)])
        self.department_filter = self._combo("departmentFilter", T.FILTER_ALL_DEPARTMENTS, [])
        self.tag_filter = self._combo("tagFilter", T.FILTER_ALL_TAGS, [])
        self.collection_filter = self._combo("collectionFilter", T.FILTER_ALL_COLLECTIONS, [])
        self.export_button = QPushButton(S.EXPORT_BUTTON, self)
        self.export_button.setObjectName("taskExport")
        self.export_button.setToolTip(S.EXPORT_BUTTON_TIP)
        filters = QHBoxLayout()
        filters.addWidget(self.filter_box, 2)
        for combo in (self.status_filter, self.urgency_filter, self.department_filter, self.tag_filter,
                      self.collection_filter):
            filters.addWidget(combo, 1)
        filters.addWidget(self.export_button)
        self.model = TaskModel(self)
        self.proxy = TaskFilter(self)
        self.proxy.setSourceModel(self.model)
        self.table = QTableView(self)
        self.table.setObjectName("taskTable")
        self.table.setModel(self.proxy)
        read_only_rows(self.table, sortable=True)
        head = self.table.horizontalHeader()
        head.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        head.setStretchLastSection(True)
        for col, chars in ((COL_STATUS, 4), (COL_PRIORITY, 4.4), (COL_URGENCY, 6.6), (COL_CLAUSE, 11),
                           (COL_DUE, 10.4), (COL_OWNER, 10), (COL_TAGS, 4.4), (COL_COLLECTION, 5.4), (COL_NOTE, 8)):
            self.table.setColumnWidth(col, em(self.table, chars))
        self.set_primary(self.table)
        self.suggestions = SuggestionsPanel(self)
        self.editor = TaskEditor(library, tasks, self, current_clause=current_clause)
        left = QWidget(self)
        ll = QVBoxLayout(left)
        ll.setContentsMargins(0, 0, 0, 0)
        ll.addWidget(self.table, 1)
        ll.addWidget(self.info)
        self.vsplit = QSplitter(Qt.Orientation.Vertical, self)
        self.vsplit.addWidget(left)
        self.vsplit.addWidget(self.suggestions)
        self.vsplit.setChildrenCollapsible(False)
        self.vsplit.setSizes([420, 220])
        self.hsplit = QSplitter(Qt.Orientation.Horizontal, self)
        self.hsplit.addWidget(self.vsplit)
        self.hsplit.addWidget(self.editor)
        self.hsplit.setChildrenCollapsible(False)
        self.hsplit.setStretchFactor(0, 3)
        self.hsplit.setStretchFactor(1, 2)
        self.hsplit.setSizes([880, 360])
        page = QWidget(self)
        pl = QVBoxLayout(page)
        pl.setContentsMargins(0, 8, 0, 0)
        pl.addLayout(filters)
        pl.addWidget(self.hsplit, 1)
        self.progress = ProgressOverview(self)
        self.pages = QTabWidget(self)
        self.pages.setObjectName("tasksPages")
        self.pages.addTab(page, T.TASKS_PAGE_TASKS)
        self.pages.addTab(self.progress, T.TASKS_PAGE_PROGRESS)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(12, 8, 12, 8)
        lay.addWidget(self.banner)
        lay.addWidget(self.pages, 1)

        self.filter_box.textChanged.connect(self._on_filters_changed)
        for combo in (self.status_filter, self.urgency_filter, self.department_filter, self.tag_filter,
                      self.collection_filter):
            combo.currentIndexChanged.connect(self._on_filters_changed)
        self.table.selectionModel().currentRowChanged.connect(self._on_current_changed)
        self.table.activated.connect(self._on_activated)
        self.editor.saved.connect(self._on_saved)
        self.editor.deleted.connect(self._on_deleted)
        self.editor.open_clause.connect(lambda cid: emit(self.open_clause, cid))
        self.editor.message.connect(lambda m: emit(self.message, m))
        self.export_button.clicked.connect(lambda: emit(self.export_requested, self.export_request()))
        self.suggestions.accept.connect(self.accept_suggestion)
        self.suggestions.dismiss.connect(self.dismiss_suggestion)
        self.suggestions.department_chosen.connect(self.set_my_department)
        self.suggestions.open_clause.connect(lambda cid: emit(self.open_clause, cid))
        self.progress.open_clause.connect(lambda cid: emit(self.open_clause, cid))
        self.progress.edit.connect(lambda cid, name: emit(self.track, cid, name))
        self.progress.untrack.connect(self.untrack_indicator)
        QShortcut(QKeySequence(QKeySequence.StandardKey.Save), self, self.editor.save,
                  context=Qt.ShortcutContext.WidgetWithChildrenShortcut)

    def _combo(self, name: str, everything: str, items: list[tuple[str, str]]) -> QComboBox:
        c = QComboBox(self)
        c.setObjectName(name)
        c.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        c.setMinimumContentsLength(5)
        c.addItem(everything, None)
        for data, label in items:
            c.addItem(label, data)
        return c

    # -- loading -------------------------------------------------------------------------------------
    def fetch(self, library: Library) -> DeskData:
        return fetch_desk(library)

    def restyle(self) -> None:
        """The scheme changed: rebuild the rows in the new 督办 colours, keeping the selection."""
        if self.is_loaded:
            keep = self.editor.task_id
            self._filling = True
            self.model.set_tasks(self.model.desk_tasks())
            self._filling = False
            if keep:
                self.select_task(keep)
            self.progress.set_rows(self.progress.rows)

    def fill(self, data: DeskData) -> None:
        self.data = data
        self.drafts = dict(data.drafts)
        keep = self._select_after_load or self.editor.task_id
        self._select_after_load = None
        self._filling = True
        self.table.setSortingEnabled(False)
        self.model.set_tasks(data.tasks)
        self.table.setSortingEnabled(True)
        if self.table.horizontalHeader().sortIndicatorSection() == COL_STATUS and not self._sorted_once:
            self.table.sortByColumn(COL_URGENCY, Qt.SortOrder.AscendingOrder)  # overdue first, then due soon
        self._sorted_once = True
        self._filling = False
        self.editor.clause_dues = dict(data.clause_dues)
        self._refresh_options()
        self.suggestions.set_data(data.my_department, data.departments, data.suggestions, data.titles)
        if not data.tasks:
            self.suggestions.set_expanded(True)
        self.progress.set_rows(data.progress)
        if not (keep and self.select_task(keep)) and self.proxy.rowCount():
            self.table.setCurrentIndex(self.proxy.index(0, 0))
        current = self.current_task()
        if current is None:
            self.editor.load(None)
        elif not self.editor.is_dirty():  # the same task may have changed (re-anchored, restored)
            self.editor.load(current, self.drafts.get(current.id))
        self._update_count()

    def reload_progress(self) -> None:
        lib = self.library
        self.tasks.run_read(lambda: fetch_progress(lib), self.progress.set_rows, name="progress")

    def _refresh_options(self) -> None:
        tasks = self.model.desk_tasks()
        owners = sorted({d.owner for d in tasks if d.owner})
        tags = sorted({t for d in tasks for t in d.task.tags})
        collections = sorted({d.task.collection for d in tasks if d.task.collection})
        for combo, values in ((self.department_filter, owners), (self.tag_filter, tags),
                              (self.collection_filter, collections)):
            current = combo.currentData()
            combo.blockSignals(True)
            while combo.count() > 1:
                combo.removeItem(1)
            for v in values:
                combo.addItem(v, v)
            combo.setCurrentIndex(max(0, combo.findData(current)) if current is not None else 0)
            combo.blockSignals(False)
        names = [n for n, _ in self.data.departments]
        self.editor.set_options(list(dict.fromkeys([*owners, *names])), collections)

    # -- filters and selection -----------------------------------------------------------------------
    def _on_filters_changed(self, *_args: object) -> None:
        self.proxy.set_filters(status=self.status_filter.currentData(), urgency=self.urgency_filter.currentData(),
                               department=self.department_filter.currentData(), tag=self.tag_filter.currentData(),
                               collection=self.collection_filter.currentData(), text=self.filter_box.text().strip())
        self._update_count()
        if not self.table.currentIndex().isValid() and self.proxy.rowCount():
            self.table.setCurrentIndex(self.proxy.index(0, 0))

    def clear_filters(self) -> None:
        for combo in (self.status_filter, self.urgency_filter, self.department_filter, self.tag_filter,
                      self.collection_filter):
            combo.setCurrentIndex(0)
        self.filter_box.clear()

    def _update_count(self) -> None:
        total, shown = self.model.rowCount(), self.proxy.rowCount()
        self.info.setText(T.TASKS_COUNT.format(n=total, shown=shown) if total else "")
        if not total:
            self.set_empty(T.TASKS_NONE if self.is_loaded or not self._loading else "")
        elif not shown:
            self.set_empty(T.TASKS_NO_MATCH.format(n=total))
        else:
            self.set_empty("")

    def export_request(self) -> Any:
        """导出 (Ctrl+E) on this tab: the tasks shown (after the filters), with their notes and dates."""
        from app.core.export import Scope
        from app.ui.export.scope import request_for

        shown = {self.proxy.index(r, 0).data(KeyRole) for r in range(self.proxy.rowCount())}
        rows = [r for r in self.library.tasks() if r["id"] in shown] if shown else []
        return request_for(Scope.of_tasks(rows)) if rows else None

    def current_task(self) -> DeskTask | None:
        idx = self.table.currentIndex()
        return self.proxy.index(idx.row(), 0).data(DeskRole) if idx.isValid() else None

    def select_task(self, task_id: str) -> bool:
        """Select a task's row (clearing the filters if they hide it); False when it is not listed."""
        if self.model.row_of(task_id) < 0:
            return False
        for _attempt in range(2):
            for r in range(self.proxy.rowCount()):
                if self.proxy.index(r, 0).data(KeyRole) == task_id:
                    self.pages.setCurrentIndex(0)
                    self.table.setCurrentIndex(self.proxy.index(r, 0))
                    self.table.scrollTo(self.proxy.index(r, 0))
                    return True
            self.clear_filters()
        return False

    def _on_current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if self._filling:
            return
        d = self.proxy.index(current.row(), 0).data(DeskRole) if current.isValid() else None
        if d is not None and d.id == self.editor.task_id:
            return
        self.editor.commit_if_dirty()
        self.editor.load(d, self.drafts.get(d.id) if d is not None else None)

    def _on_activated(self, index: QModelIndex) -> None:
        d = self.proxy.index(index.row(), 0).data(DeskRole)
        if d is None:
            return
        if d.task.anchor_state == "missing":
            emit(self.message, T.TIP_ANCHOR_MISSING)
            return
        emit(self.open_clause, d.task.clause_id)

    # -- changes -------------------------------------------------------------------------------------
    def show_task(self, d: DeskTask) -> None:
        """A task was added (or bookmarked again) elsewhere: list it and select it."""
        if not self.is_loaded:
            self._select_after_load = d.id
            self.invalidate()
            return
        if not self.model.replace(d):
            self.model.appendRow(self._row(d))
            self.suggestions.remove(d.task.clause_id)
            self._refresh_options()
            self._update_count()
        self.select_task(d.id)

    def _row(self, d: DeskTask) -> list[Any]:
        return row_items(d, theme.current())

    def _on_saved(self, d: DeskTask) -> None:
        self.drafts.pop(d.id, None)
        self.model.replace(d)
        self._refresh_options()
        self._update_count()

    def _on_deleted(self, t: Task) -> None:
        row = self.model.row_of(t.id)
        if row >= 0:
            self._filling = True
            self.model.removeRow(row)
            self._filling = False
        self.drafts.pop(t.id, None)
        self.editor.load(None)
        self._refresh_options()
        self._update_count()
        if self.proxy.rowCount():
            self.table.setCurrentIndex(self.proxy.index(min(max(row, 0), self.proxy.rowCount() - 1), 0))
        title = task_title(t)
        self.banner.show_message(T.TASK_DELETED.format(title=title), [(T.TASK_UNDO, lambda: self.undelete(t))],
                                 timeout_ms=UNDO_MS)
        emit(self.message, T.TASK_DELETED.format(title=title))

    def undelete(self, t: Task) -> None:
        lib = self.library
        self.tasks.run_user(lambda: lib.desk.view(lib.user.undelete_task(t.id)), self._on_undeleted,
                            on_error=self._show_error, name="undelete_task")

    def _on_undeleted(self, d: DeskTask) -> None:
        self.show_task(d)
        emit(self.message, T.TASK_RESTORED.format(title=task_title(d.task)))

    def _show_error(self, exc: BaseException) -> None:
        from app.ui.common.dialogs import error_message

        self.banner.show_message(error_message(exc))
        emit(self.message, error_message(exc))

    def accept_suggestion(self, clause_id: str, department: str) -> None:
        lib = self.library
        self.tasks.run_user(lambda: lib.desk.view(lib.desk.accept_suggestion(clause_id, department or None)),
                            self._on_accepted, on_error=self._show_error, name="accept_suggestion")

    def _on_accepted(self, d: DeskTask) -> None:
        self.suggestions.remove(d.task.clause_id)
        self.show_task(d)
        emit(self.message, T.SUGGESTION_ACCEPTED.format(title=task_title(d.task)))

    def dismiss_suggestion(self, clause_id: str) -> None:
        lib = self.library
        self.tasks.run_user(lambda: lib.desk.dismiss_suggestion(clause_id),
                            lambda _r: self.suggestions.remove(clause_id), on_error=self._show_error,
                            name="dismiss_suggestion")

    def set_my_department(self, name: str | None) -> None:
        lib = self.library
        self.tasks.run_user(lambda: lib.desk.set_my_department(name), lambda _r: self.reload(),
                            on_error=self._show_error, name="my_department")

    def untrack_indicator(self, key: str) -> None:
        """取消跟踪 (confirmed in the overview): the indicator's target and values leave the live data."""
        lib = self.library
        self.tasks.run_user(lambda: lib.user.untrack_indicator(key), lambda _r: self.reload_progress(),
                            on_error=self._show_error, name="untrack")
