"""部门 view: per department the clauses it leads and supports, with counts; activating a clause opens it.

Generic actors (各区, 各级人民政府, 有关部门, 企业 …) are not departments anyone can be assigned: they are
hidden by default and, with 显示泛指主体 checked, listed after every concrete department (whatever the
sort), in grey italics. Which names are generic comes from the department knowledge base, or failing
that from the engine's "泛指" evidence.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import lru_cache
from typing import Any

from PySide6.QtCore import QModelIndex, QObject, QPersistentModelIndex, QSortFilterProxyModel, Qt
from PySide6.QtGui import QAction, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.core.library import Library
from app.ui.common import strings as S
from app.ui.common.emptystate import EmptyState
from app.ui.common.lazyview import KeyRole, LazyView, SortRole, em, table_item
from app.ui.common.linksformat import GENERIC_PREFIX
from app.ui.common.qtcompat import emit
from app.ui.common.tasks import TaskManager
from app.ui.export.scope import ExportRequest, department_request
from app.ui.views import strings as T

log = logging.getLogger("policydesk.ui.departments")

NameRole = KeyRole
ClauseRole = Qt.ItemDataRole.UserRole + 3
GenericRole = Qt.ItemDataRole.UserRole + 4
TAG_BY_SOURCE = {"explicit": S.TAG_EXPLICIT, "table": S.TAG_TABLE, "user": S.TAG_USER, "inferred": S.TAG_INFERRED}


def fetch_departments(library: Library) -> list[dict[str, Any]]:
    """Worker side: departments that lead or support something, with readable clause labels and a
    `generic` flag (各区, 有关部门 …)."""
    titles = {d.id: d.title for d in library.documents()}
    is_generic = generic_test(library)
    out = []
    for d in library.department_clauses():
        if not d["lead"] and not d["support"]:
            continue
        for role in ("lead", "support"):
            for c in d[role]:
                doc_id = c["id"].split("/", 1)[0]
                c["label"] = S.BREADCRUMB_SEPARATOR.join(
                    [S.DOC_TITLE.format(title=titles.get(doc_id, doc_id)), *c["path"][-2:]])
        evidence = [c.get("evidence") or "" for role in ("lead", "support") for c in d[role]]
        d["generic"] = is_generic(d["name"]) or all(e.startswith(GENERIC_PREFIX) for e in evidence)
        out.append(d)
    return out


def generic_test(library: Library) -> Callable[[str], bool]:
    """Worker side: the knowledge base's test for generic actors (a never-true test if it cannot load).
    The 部门 page and the search sidebar's 相关部门 both use it, so they hide the same names."""
    from app.core.links.service import KB_FILE

    try:
        return _kb_is_generic(str(library.paths.resources / KB_FILE))
    except Exception:  # the "泛指" evidence still marks them
        log.warning("department knowledge base unavailable; generic actors told by evidence only")
        return lambda _name: False


@lru_cache(maxsize=4)
def _kb_is_generic(path: str) -> Callable[[str], bool]:
    """The knowledge base is read once per file (the sidebar asks after every search)."""
    from app.core.links.departments import DepartmentKB

    return DepartmentKB.load(path).is_generic


class DepartmentProxy(QSortFilterProxyModel):
    """Filters by name; hides generic actors unless asked, and sorts them after every department."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.show_generic = False

    def set_show_generic(self, on: bool) -> None:
        if hasattr(self, "endFilterChange"):  # Qt >= 6.10 (invalidateFilter is deprecated there)
            self.beginFilterChange()
            self.show_generic = on
            self.endFilterChange()
        else:
            self.show_generic = on
            self.invalidateFilter()

    def filterAcceptsRow(self, row: int, parent: QModelIndex | QPersistentModelIndex) -> bool:
        model = self.sourceModel()
        if not self.show_generic and model.index(row, 0, parent).data(GenericRole):
            return False
        return super().filterAcceptsRow(row, parent)

    def lessThan(self, left: QModelIndex | QPersistentModelIndex,
                 right: QModelIndex | QPersistentModelIndex) -> bool:
        lg = bool(left.siblingAtColumn(0).data(GenericRole))
        rg = bool(right.siblingAtColumn(0).data(GenericRole))
        if lg != rg:  # generic last, in either sort order (descending sorts compare the other way)
            return rg if self.sortOrder() == Qt.SortOrder.AscendingOrder else lg
        return bool(super().lessThan(left, right))


class DepartmentsView(LazyView):
    what = T.VIEW_WHAT_DEPARTMENTS

    def __init__(self, library: Library, tasks: TaskManager, parent: QWidget | None = None) -> None:
        super().__init__(library, tasks, parent)
        self.data: dict[str, dict[str, Any]] = {}
        self.filter_box = QLineEdit(self)
        self.filter_box.setPlaceholderText(T.DEPT_FILTER_PLACEHOLDER)
        self.filter_box.setClearButtonEnabled(True)
        self.generic_toggle = QCheckBox(T.DEPT_SHOW_GENERIC, self)
        self.generic_toggle.setObjectName("departmentGeneric")
        self.generic_toggle.setToolTip(T.DEPT_SHOW_GENERIC_TIP)
        self.model = QStandardItemModel(0, len(T.DEPT_COLUMNS), self)
        self.model.setHorizontalHeaderLabels(list(T.DEPT_COLUMNS))
        self.proxy = DepartmentProxy(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(SortRole)
        self.proxy.setFilterKeyColumn(0)
        self.table = QTableView(self)
        self.table.setObjectName("departmentTable")
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setStretchLastSection(False)
        self.table.setColumnWidth(0, em(self.table, 13))
        self.table.setColumnWidth(1, em(self.table, 4.5))  # 牵头 ▲ with its sort arrow
        self.table.setColumnWidth(2, em(self.table, 4.5))
        self.set_primary(self.table)
        self.clauses = QTreeWidget(self)
        self.clauses.setObjectName("departmentClauses")
        self.clauses.setHeaderLabels([S.LINKS_TITLE, T.DEPT_SOURCE])
        head = self.clauses.header()
        head.setStretchLastSection(False)
        head.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)  # the clause takes what 来源 leaves
        head.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.clauses_empty = EmptyState(self.clauses)
        left = QWidget(self)
        ll = QVBoxLayout(left)
        ll.setContentsMargins(0, 0, 0, 0)
        ll.addWidget(self.filter_box)
        ll.addWidget(self.table, 1)
        ll.addWidget(self.generic_toggle)
        split = QSplitter(Qt.Orientation.Horizontal, self)
        split.addWidget(left)
        split.addWidget(self.clauses)
        split.setSizes([em(self, 22), em(self, 60)])
        split.setChildrenCollapsible(False)
        self.export_button = QPushButton(S.EXPORT_BUTTON, self)  # 导出“市生态环境局”的条款…
        self.export_button.setObjectName("departmentExport")
        self.export_button.setToolTip(S.EXPORT_BUTTON_TIP)
        self.export_button.setEnabled(False)
        self.export_action = QAction(S.EXPORT_BUTTON, self.table)
        self.export_action.setEnabled(False)
        self.table.addAction(self.export_action)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        bottom = QHBoxLayout()
        bottom.addWidget(self.info, 1)
        bottom.addWidget(self.export_button)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(12, 12, 12, 8)
        lay.addWidget(split, 1)
        lay.addLayout(bottom)
        self.filter_box.textChanged.connect(self._on_filter_text_changed)
        self.generic_toggle.toggled.connect(self._on_generic_toggled)
        self.table.selectionModel().currentRowChanged.connect(self._on_current_row_changed)
        self.clauses.itemActivated.connect(self._on_clause_activated)
        self.export_button.clicked.connect(self._on_export_clicked)
        self.export_action.triggered.connect(self._on_export_clicked)

    def fetch(self, library: Library) -> list[dict[str, Any]]:
        return fetch_departments(library)

    def fill(self, rows: list[dict[str, Any]]) -> None:
        self.data = {r["name"]: r for r in rows}
        self.table.setSortingEnabled(False)
        self.model.removeRows(0, self.model.rowCount())
        for r in rows:
            n_lead, n_sup = len(r["lead"]), len(r["support"])
            cells = [table_item(r["name"], r["name"], r["name"]), table_item(str(n_lead), n_lead, r["name"]),
                     table_item(str(n_sup), n_sup, r["name"])]
            if r.get("generic"):
                cells[0].setData(True, GenericRole)
                for cell in cells:
                    cell.setToolTip(S.DEPT_GENERIC_TIP.format(name=r["name"]))
                    font = cell.font()
                    font.setItalic(True)
                    cell.setFont(font)
            self.model.appendRow(cells)
        self.restyle()
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(1, Qt.SortOrder.DescendingOrder)
        self.info.setText(T.DEPT_HINT)
        self._update_empty()
        if self.proxy.rowCount():
            self.table.selectRow(0)

    def restyle(self) -> None:
        """Generic actors in the palette's placeholder grey (again after a scheme change)."""
        grey = self.palette().placeholderText()
        for row in range(self.model.rowCount()):
            if self.model.item(row, 0).data(GenericRole):
                for col in range(self.model.columnCount()):
                    self.model.item(row, col).setForeground(grey)

    def _on_filter_text_changed(self, text: str) -> None:
        self.proxy.setFilterFixedString(text)
        self._update_empty()

    def _on_generic_toggled(self, on: bool) -> None:
        self.proxy.set_show_generic(on)
        self._update_empty()

    def _update_empty(self) -> None:
        text = self.filter_box.text().strip()
        if not self.model.rowCount():
            self.set_empty(T.DEPT_NONE if self.is_loaded else "")
        elif self.proxy.rowCount():
            self.set_empty("")
        elif text and not self.proxy.show_generic and any(
                text in r["name"] for r in self.data.values() if r.get("generic")):
            self.set_empty(T.DEPT_NO_MATCH_GENERIC.format(text=text, toggle=T.DEPT_SHOW_GENERIC))
        else:
            self.set_empty(T.DEPT_NO_MATCH.format(text=text) if text else T.DEPT_NONE)
        if not self.table.currentIndex().isValid():
            self.clauses.clear()
        self.clauses_empty.set_text("" if self.clauses.topLevelItemCount() else T.DEPT_PICK)

    def select(self, name: str) -> bool:
        for row in range(self.proxy.rowCount()):
            if self.proxy.index(row, 0).data(NameRole) == name:
                self.table.selectRow(row)
                return True
        return False

    def export_request(self) -> ExportRequest | None:
        """The selected department's clauses (牵头和配合; the dialog can narrow it to one role)."""
        cur = self.table.currentIndex()
        d = self.data.get(cur.siblingAtColumn(0).data(NameRole)) if cur.isValid() else None
        if d is None:
            return None
        return department_request(d["name"], [c["id"] for c in d["lead"]], [c["id"] for c in d["support"]])

    def _on_export_clicked(self) -> None:
        req = self.export_request()
        if req is not None:
            emit(self.export_requested, req)

    def _on_current_row_changed(self, current: Any, _prev: Any) -> None:
        self.clauses.clear()
        d = self.data.get(current.data(NameRole)) if current.isValid() else None
        self.clauses_empty.set_text("" if d is not None else T.DEPT_PICK)
        label = T.EXPORT_DEPT_ACTION.format(name=d["name"]) if d is not None else S.EXPORT_BUTTON
        for w in (self.export_button, self.export_action):
            w.setText(label)
            w.setEnabled(d is not None)
        if d is None:
            return
        for role, title in (("lead", T.DEPT_LEAD), ("support", T.DEPT_SUPPORT)):
            group = QTreeWidgetItem([title.format(n=len(d[role])), ""])
            f = group.font(0)
            f.setBold(True)
            group.setFont(0, f)
            self.clauses.addTopLevelItem(group)
            for c in d[role]:
                it = QTreeWidgetItem([c["label"], TAG_BY_SOURCE.get(c["source"], c["source"])])
                it.setData(0, ClauseRole, c["id"])
                it.setToolTip(0, c.get("evidence") or c["label"])
                group.addChild(it)
            group.setExpanded(True)

    def _on_clause_activated(self, item: QTreeWidgetItem, _col: int) -> None:
        cid = item.data(0, ClauseRole)
        if cid:
            emit(self.open_clause, cid)
