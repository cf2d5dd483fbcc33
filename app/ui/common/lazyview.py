"""Shared parts of the 指标 / 时间线 / 部门 / 文件库 views: lazy loading on a read thread."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QStandardItem
from PySide6.QtWidgets import QAbstractItemView, QAbstractScrollArea, QLabel, QTableView, QWidget

from app.core.errors import NotFoundError
from app.core.library import Library
from app.ui.common import strings as S
from app.ui.common.emptystate import EmptyState
from app.ui.common.qtcompat import emit
from app.ui.common.tasks import TaskManager

SortRole = Qt.ItemDataRole.UserRole + 1  # what a column sorts by (numbers as numbers)
KeyRole = Qt.ItemDataRole.UserRole + 2  # what a row opens: a clause id, document id or department name


def em(widget: QWidget, n: float) -> int:
    """`n` CJK character widths in `widget`'s font: sizes that grow with the font (and DPI), not fixed pixels."""
    return round(widget.fontMetrics().horizontalAdvance("中") * n)


def read_only_rows(table: QTableView, *, sortable: bool = False) -> None:
    """A table of records: whole rows selected one at a time, not editable in place, no row numbers."""
    table.setSortingEnabled(sortable)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setWordWrap(False)
    table.verticalHeader().hide()


def table_item(text: str, sort: Any, key: str, *, tooltip: bool = True) -> QStandardItem:
    """A read-only cell showing `text`, sorting by `sort`, carrying the row's `key`."""
    it = QStandardItem(text)
    it.setEditable(False)
    it.setData(sort, SortRole)
    it.setData(key, KeyRole)
    if tooltip:
        it.setToolTip(text)
    return it


class LazyView(QWidget):
    """A view whose data is read on a read thread the first time it is shown (and after `invalidate`).

    Subclasses implement `fetch(library)` (worker side, no Qt) and `fill(data)` (GUI side), name what
    they list in `what` (for the "no index yet" message) and call `set_primary(view)` with the list
    that shows an `EmptyState` when there is nothing to list.
    """

    open_clause = Signal(str)
    loaded = Signal()
    export_requested = Signal(object)  # an app.ui.export.scope.ExportRequest: open the 导出 dialog for it
    what = ""

    def __init__(self, library: Library, tasks: TaskManager, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.library, self.tasks = library, tasks
        self.is_loaded = False
        self._loading = False
        self._seq = 0
        self.info = QLabel(S.VIEW_LOADING, self)
        self.info.setObjectName("viewInfo")
        self.info.setWordWrap(True)
        self.empty: EmptyState | None = None

    def set_primary(self, view: QAbstractScrollArea) -> None:
        self.empty = EmptyState(view)

    def set_empty(self, text: str) -> None:
        if self.empty is not None:
            self.empty.set_text(text)

    def export_request(self) -> Any:
        """What 导出 (Ctrl+E) exports on this tab: an `ExportRequest`, or None (nothing to export)."""
        return None

    def restyle(self) -> None:
        """The theme changed: recolour what was coloured by hand (default: nothing)."""

    def fetch(self, library: Library) -> Any:
        raise NotImplementedError

    def fill(self, data: Any) -> None:
        raise NotImplementedError

    def ensure_loaded(self) -> None:
        if not self.is_loaded and not self._loading:
            self.reload()

    def invalidate(self) -> None:
        """The data changed (index rebuilt, a correction saved): reload now if visible, else when shown."""
        self.is_loaded = False
        if self.isVisible():
            self.reload()

    def reload(self) -> None:
        self._seq += 1
        seq = self._seq
        self._loading = True
        self.info.setText(S.VIEW_LOADING)
        lib = self.library
        fetch: Callable[[Library], Any] = self.fetch
        self.tasks.run_read(lambda: fetch(lib), lambda data: self._on_loaded(seq, data),
                            on_error=lambda exc: self._on_failed(seq, exc), name=type(self).__name__)

    def _on_loaded(self, seq: int, data: Any) -> None:
        if seq != self._seq:
            return
        self._loading = False
        self.is_loaded = True
        self.fill(data)
        emit(self.loaded)

    def _on_failed(self, seq: int, exc: BaseException) -> None:
        if seq != self._seq:
            return
        from app.ui.common.dialogs import error_message

        self._loading = False
        if isinstance(exc, NotFoundError):  # no clause database yet: an empty state, not an error
            self.info.setText("")
            self.set_empty(S.VIEW_NO_INDEX.format(what=self.what))
            return
        self.info.setText(error_message(exc))

    def showEvent(self, e: Any) -> None:
        super().showEvent(e)
        self.ensure_loaded()
