"""我的部门 and 建议任务 (N): the clauses "my department" leads that are not tasks yet, each with
one-click 加入 / 忽略 (app.core.desk.Desk.suggestions / accept_suggestion / dismiss_suggestion)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.ui.common import strings as S
from app.ui.common.emptystate import EmptyState
from app.ui.common.lazyview import KeyRole, em, read_only_rows
from app.ui.common.qtcompat import emit
from app.ui.desk import strings as T

COL_CLAUSE, COL_SOURCE, COL_ACTIONS = range(3)
SOURCE_LABELS = {"explicit": S.TAG_EXPLICIT, "table": S.TAG_TABLE, "user": S.TAG_USER}


def source_text(s: dict[str, Any]) -> str:
    src = s.get("source") or ""
    if src in SOURCE_LABELS:
        return SOURCE_LABELS[src]
    conf = s.get("confidence")
    return S.TAG_INFERRED_CONF.format(pct=round(float(conf) * 100)) if conf is not None else S.TAG_INFERRED


class SuggestionsPanel(QWidget):
    accept = Signal(str, str)  # clause id, department
    dismiss = Signal(str)  # clause id
    department_chosen = Signal(object)  # str | None
    open_clause = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("suggestionsPanel")
        self.suggestions: list[dict[str, Any]] = []
        self.title = QLabel(T.SUGGESTIONS_TITLE.format(n=0), self)
        self.title.setObjectName("suggestionsTitle")
        self.dept_label = QLabel(T.MY_DEPARTMENT, self)
        self.department = QComboBox(self)
        self.department.setObjectName("myDepartment")
        self.department.setToolTip(T.MY_DEPARTMENT_TIP)
        self.department.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.toggle = QPushButton(T.SUGGESTIONS_HIDE, self)
        self.toggle.setCheckable(True)
        self.toggle.setChecked(True)
        self.table = QTableWidget(0, len(T.SUGGESTION_COLUMNS), self)
        self.table.setObjectName("suggestionsTable")
        self.table.setHorizontalHeaderLabels(list(T.SUGGESTION_COLUMNS))
        read_only_rows(self.table)
        head = self.table.horizontalHeader()
        head.setSectionResizeMode(COL_CLAUSE, QHeaderView.ResizeMode.Stretch)
        head.setSectionResizeMode(COL_SOURCE, QHeaderView.ResizeMode.Interactive)
        head.setSectionResizeMode(COL_ACTIONS, QHeaderView.ResizeMode.Fixed)
        self.table.setColumnWidth(COL_SOURCE, em(self.table, 6))
        self.table.setColumnWidth(COL_ACTIONS, em(self.table, 8.5))
        self.empty = EmptyState(self.table)
        top = QHBoxLayout()
        top.addWidget(self.title)
        top.addStretch(1)
        top.addWidget(self.dept_label)
        top.addWidget(self.department)
        top.addWidget(self.toggle)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 6, 0, 0)
        lay.addLayout(top)
        lay.addWidget(self.table, 1)
        self.department.currentIndexChanged.connect(self._on_department_changed)
        self.toggle.toggled.connect(self._on_toggle)
        self.table.doubleClicked.connect(self._on_double_clicked)

    def set_expanded(self, on: bool) -> None:
        self.toggle.setChecked(on)

    def _on_toggle(self, on: bool) -> None:
        self.table.setVisible(on)
        self.toggle.setText(T.SUGGESTIONS_HIDE if on else T.SUGGESTIONS_SHOW)

    def set_data(self, my_department: str | None, options: list[tuple[str, int]],
                 suggestions: list[dict[str, Any]], titles: dict[str, str]) -> None:
        """`options`: (department, clauses it leads); `titles`: document id -> title."""
        self.department.blockSignals(True)
        self.department.clear()
        self.department.addItem(T.MY_DEPARTMENT_NONE, None)
        for name, n in options:
            self.department.addItem(T.MY_DEPARTMENT_ITEM.format(name=name, n=n), name)
        if my_department and self.department.findData(my_department) < 0:
            self.department.addItem(my_department, my_department)
        self.department.setCurrentIndex(max(0, self.department.findData(my_department)) if my_department else 0)
        self.department.blockSignals(False)
        self.suggestions = list(suggestions)
        self.table.setRowCount(0)
        self.table.setRowCount(len(self.suggestions))
        for row, s in enumerate(self.suggestions):
            doc = s["id"].split("/", 1)[0]
            where = S.BREADCRUMB_SEPARATOR.join([S.DOC_TITLE.format(title=titles.get(doc, doc)), *s.get("path", [])[-2:]])
            item = QTableWidgetItem(where)
            item.setData(KeyRole, s["id"])
            item.setToolTip(S.BREADCRUMB_SEPARATOR.join([titles.get(doc, doc), *s.get("path", [])]))
            self.table.setItem(row, COL_CLAUSE, item)
            src = QTableWidgetItem(source_text(s))
            src.setToolTip(str(s.get("evidence") or ""))
            self.table.setItem(row, COL_SOURCE, src)
            self.table.setCellWidget(row, COL_ACTIONS, self._actions(s["id"], s.get("department") or ""))
        self._update_title(my_department)

    def _actions(self, clause_id: str, department: str) -> QWidget:
        box = QWidget(self.table)
        lay = QHBoxLayout(box)
        lay.setContentsMargins(2, 0, 2, 0)
        lay.setSpacing(4)
        add = QPushButton(T.SUGGESTION_ACCEPT, box)
        add.setObjectName("suggestionAccept")
        add.clicked.connect(lambda: emit(self.accept, clause_id, department))
        skip = QPushButton(T.SUGGESTION_DISMISS, box)
        skip.setObjectName("suggestionDismiss")
        skip.clicked.connect(lambda: emit(self.dismiss, clause_id))
        lay.addWidget(add)
        lay.addWidget(skip)
        return box

    def remove(self, clause_id: str) -> None:
        for row in range(self.table.rowCount()):
            item = self.table.item(row, COL_CLAUSE)
            if item is not None and item.data(KeyRole) == clause_id:
                self.table.removeRow(row)
                break
        self.suggestions = [s for s in self.suggestions if s["id"] != clause_id]
        self._update_title(self.department.currentData())

    def _update_title(self, my_department: str | None) -> None:
        n = len(self.suggestions)
        self.title.setText(T.SUGGESTIONS_TITLE.format(n=n))
        if not my_department:
            self.empty.set_text(T.SUGGESTIONS_NO_DEPARTMENT)
        elif not n:
            self.empty.set_text(T.SUGGESTIONS_NONE.format(department=my_department))
        else:
            self.empty.set_text("")

    def _on_department_changed(self, _index: int) -> None:
        emit(self.department_chosen, self.department.currentData())

    def _on_double_clicked(self, index: QModelIndex) -> None:
        cid = self.table.item(index.row(), COL_CLAUSE).data(KeyRole) if index.isValid() else None
        if cid:
            emit(self.open_clause, cid)

