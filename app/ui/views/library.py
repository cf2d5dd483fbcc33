"""文件库 view: the documents with kind, issuer, version date, status, clause count and version relation.

The status is the library's own word when another document repeals or amends one (已废止/已被修改, with the
provision in the tooltip: app.core.validity).

添加文件夹… asks for a folder of .md/.txt files; the window re-indexes in the background. 在所选文件中检索
narrows the search to the selected documents (the sidebar's 文件 filter). 版本 says whether a document is
an older version (left out of default search) or a newer one, or waits for the user to confirm; the line
under the table says of which document. 版本关联… and 版本对照… open the versions screens (app.ui.compare).
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from PySide6.QtCore import QSortFilterProxyModel, Qt, Signal
from PySide6.QtGui import QAction, QBrush, QColor, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.core.library import Library
from app.core.validity import REPEALED
from app.ui.common import strings as S
from app.ui.common import theme
from app.ui.common.lazyview import KeyRole, LazyView, SortRole, em, table_item
from app.ui.common.qtcompat import emit
from app.ui.common.tasks import TaskManager
from app.ui.compare import strings as CS
from app.ui.compare.work import DocVersions, with_versions
from app.ui.export.scope import ExportRequest, document_request
from app.ui.views import strings as T

DocRole = KeyRole
COLUMNS = (*T.LIB_COLUMNS, CS.LIB_VERSION_COLUMN)


def fetch_documents(library: Library) -> list[dict[str, Any]]:
    clauses = list(library.clauses())
    counts = Counter(c.doc_id for c in clauses)
    texts = Counter(c.doc_id for c in clauses if c.full_text.strip())  # what an export lists (no bare headings)
    return [{"id": d.id, "title": d.title, "kind": d.kind, "issuer": d.issuer, "date": d.date or "",
             "status": d.status, "clauses": counts.get(d.id, 0), "exportable": texts.get(d.id, 0),
             "source": d.source, "validity": d.meta.get("validity")} for d in library.documents()]


def status_tip(doc: dict[str, Any]) -> str:
    """The 状态 cell's tooltip: the provision that repeals or amends the document, else the status."""
    v = doc.get("validity")
    if not isinstance(v, dict):
        return str(doc["status"])
    return T.VALIDITY_TIP.format(label=doc["status"], provision=v.get("provision", ""), quote=v.get("quote", ""))


class LibraryView(LazyView):
    add_folder = Signal(str)
    search_in = Signal(list)  # document ids
    open_document = Signal(str)
    versions_requested = Signal()  # 版本关联…
    compare_requested = Signal(str, str)  # 版本对照…: (old, new), or (document, "") without a version link
    what = T.VIEW_WHAT_LIBRARY

    def __init__(self, library: Library, tasks: TaskManager, parent: QWidget | None = None) -> None:
        super().__init__(library, tasks, parent)
        self.exportable: dict[str, int | None] = {}  # clauses with text per document (an export's count)
        self.versions: dict[str, DocVersions] = {}  # document id → its version relation
        self.model = QStandardItemModel(0, len(COLUMNS), self)
        self.model.setHorizontalHeaderLabels(list(COLUMNS))
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(SortRole)
        self.table = QTableView(self)
        self.table.setObjectName("libraryTable")
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)  # titles take what the others leave
        header.setStretchLastSection(False)
        for col, chars in enumerate((28, 6, 14, 7, 6, 5, 5)):
            self.table.setColumnWidth(col, em(self.table, chars))
        self.set_primary(self.table)
        self.add_button = QPushButton(S.ACTION_ADD_FOLDER, self)
        self.search_button = QPushButton(T.LIB_SEARCH_IN, self)
        self.search_button.setEnabled(False)
        self.export_button = QPushButton(T.EXPORT_DOC_ACTION, self)
        self.export_button.setObjectName("libraryExport")
        self.export_button.setToolTip(S.EXPORT_BUTTON_TIP)
        self.export_button.setEnabled(False)
        self.export_action = QAction(T.EXPORT_DOC_ACTION, self.table)
        self.export_action.setEnabled(False)
        self.table.addAction(self.export_action)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        self.versions_button = QPushButton(CS.LIB_VERSIONS_BUTTON, self)
        self.versions_button.setToolTip(CS.LIB_VERSIONS_TIP)
        self.compare_button = QPushButton(CS.LIB_COMPARE_BUTTON, self)
        self.compare_button.setToolTip(CS.LIB_COMPARE_TIP)
        self.compare_button.setEnabled(False)
        self.version_line = QLabel(self)  # the selected document's versions
        self.version_line.setObjectName("libraryVersionLine")
        self.version_line.setWordWrap(True)
        self.version_line.hide()
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.search_button)
        buttons.addWidget(self.export_button)
        buttons.addStretch(1)
        buttons.addWidget(self.versions_button)
        buttons.addWidget(self.compare_button)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(12, 12, 12, 8)
        lay.addLayout(buttons)
        lay.addWidget(self.table, 1)
        lay.addWidget(self.version_line)
        lay.addWidget(self.info)
        self.add_button.clicked.connect(self.choose_folder)
        self.search_button.clicked.connect(self._on_search_button_clicked)
        self.table.selectionModel().selectionChanged.connect(self._on_selection_changed)
        self.table.activated.connect(self._on_table_activated)
        self.export_button.clicked.connect(self._on_export_clicked)
        self.export_action.triggered.connect(self._on_export_clicked)
        self.versions_button.clicked.connect(lambda: emit(self.versions_requested))
        self.compare_button.clicked.connect(self._on_compare_clicked)

    def fetch(self, library: Library) -> list[dict[str, Any]]:
        return with_versions(library, fetch_documents(library))

    def fill(self, docs: list[dict[str, Any]]) -> None:
        self.exportable = {d["id"]: d.get("exportable") for d in docs}
        self.versions = {d["id"]: d["version"] for d in docs if d.get("version") is not None}
        self.table.setSortingEnabled(False)
        self.model.removeRows(0, self.model.rowCount())
        for d in docs:
            i = d["id"]
            self.model.appendRow([table_item(S.DOC_TITLE.format(title=d["title"]), d["title"], i),
                                  table_item(d["kind"], d["kind"], i), table_item(d["issuer"], d["issuer"], i),
                                  table_item(d["date"], d["date"], i), self._status_item(d),
                                  table_item(str(d["clauses"]), d["clauses"], i), self._version_item(d)])
        self.table.setSortingEnabled(True)
        self.proxy.sort(-1)  # the library's order (the plan first) until the user clicks a column
        self.table.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.info.setText(T.LIB_COUNT.format(n=len(docs), clauses=sum(d["clauses"] for d in docs)))
        self.set_empty("" if docs else T.LIB_NONE)

    @staticmethod
    def _status_item(d: dict[str, Any]) -> QStandardItem:
        item = table_item(d["status"], d["status"], d["id"], tooltip=False)
        item.setToolTip(status_tip(d))
        if d["status"] == REPEALED:  # no longer in force: in the 督办 red
            colours = theme.current().urgency("overdue")
            if colours is not None:
                item.setForeground(QBrush(QColor(colours[0])))
        return item

    def _version_item(self, d: dict[str, Any]) -> QStandardItem:
        v: DocVersions | None = d.get("version")
        item = table_item(v.label if v else "", v.label if v else "", d["id"], tooltip=False)
        if v is not None:
            item.setToolTip("\n".join(v.tips))
            t = theme.current()
            item.setForeground(QBrush(QColor(t.urg_soon if v.label == CS.LIB_VERSION_PENDING else t.muted)))
        return item

    def selected_ids(self) -> list[str]:
        rows = self.table.selectionModel().selectedRows()
        return [r.data(DocRole) for r in sorted(rows, key=lambda r: r.row())]

    def choose_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, T.ADD_FOLDER_TITLE)
        if folder:
            emit(self.add_folder, folder)

    def _on_selection_changed(self, *_args: Any) -> None:
        self.search_button.setEnabled(bool(self.selected_ids()))
        one = len(self.selected_ids()) == 1  # a document's outline: one document at a time
        self.export_button.setEnabled(one)
        self.export_action.setEnabled(one)
        self.compare_button.setEnabled(one)
        v = self.versions.get(self.selected_ids()[0]) if one else None
        self.version_line.setText("；".join(v.lines) if v is not None else "")
        self.version_line.setVisible(v is not None)

    def _on_compare_clicked(self) -> None:
        ids = self.selected_ids()
        if len(ids) != 1:
            return
        v = self.versions.get(ids[0])
        old, new = v.pair if v is not None and v.pair is not None else (ids[0], "")
        emit(self.compare_requested, old, new)

    def export_request(self) -> ExportRequest | None:
        """The selected document, clause by clause in outline order."""
        rows = self.table.selectionModel().selectedRows()
        if len(rows) != 1:
            return None
        row = rows[0]
        return document_request(row.data(DocRole), row.data(SortRole), self.exportable.get(row.data(DocRole)))

    def _on_export_clicked(self) -> None:
        req = self.export_request()
        if req is not None:
            emit(self.export_requested, req)

    def _on_search_button_clicked(self) -> None:
        ids = self.selected_ids()
        if ids:
            emit(self.search_in, ids)

    def _on_table_activated(self, index: Any) -> None:
        doc_id = index.data(DocRole)
        if doc_id:
            emit(self.open_document, doc_id)
