"""指标 view: every indicator of the library in a sortable, filterable table; activating a row opens its clause.

An indicator that states no year of its own takes its clause's deadline: the 期限 cell then says so
(2030年（条款）, in italics, with a tooltip), so a year the text never gave the indicator is not read as
the indicator's own.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, QPoint, QSortFilterProxyModel, Qt, Signal
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QMenu,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.core.library import Library
from app.ui.common import strings as S
from app.ui.common.lazyview import KeyRole, LazyView, SortRole, em, read_only_rows, table_item
from app.ui.common.linksformat import depts_text, depts_tooltip, format_number, tip_html
from app.ui.common.qtcompat import emit
from app.ui.common.tasks import TaskManager
from app.ui.export.scope import ExportRequest, indicators_request
from app.ui.views import strings as T

ClauseRole = KeyRole
COL_NAME, COL_VALUE, COL_UNIT, COL_CMP, COL_DEADLINE, COL_LEAD, COL_CLAUSE = range(7)
MISSING = -1e18  # sorts rows without a number first (ascending)


def fetch_indicators(library: Library) -> list[dict[str, Any]]:
    """Worker side: indicator rows with the clause's lead departments, deadline and document title.

    `deadline_from` says where the year comes from: "indicator" (the indicator's own words), "clause"
    (its clause's deadline), "plan" (the clause's deadline, itself the plan's horizon) or None.
    """
    rows = library.indicator_rows()
    ids = list(dict.fromkeys(r["clause"] for r in rows))
    links = library.links(ids) if ids else {}
    titles = {d.id: d.title for d in library.documents()}
    out = []
    for r in rows:
        cl = links.get(r["clause"])
        lead_links = [d for d in cl.departments if d.role == "lead"] if cl else []
        lead = [d.name for d in lead_links]
        deadline, source = r.get("deadline"), "indicator"
        # A year the extractor took from the paragraph's lead-in or the plan period is marked as such.
        inferred = {"lead-in": "clause", "inherited": "clause", "period": "plan"}.get(r.get("deadline_source") or "")
        if deadline and inferred:
            source = inferred
        if not deadline:
            clause_dl = cl.deadline if cl else None
            deadline = clause_dl.year if clause_dl else None
            source = None if clause_dl is None else "plan" if clause_dl.source == "inherited" else "clause"
        doc_id = r["clause"].split("/", 1)[0]
        out.append({**r, "lead": lead, "lead_links": lead_links, "deadline": deadline, "deadline_from": source,
                    "doc_title": titles.get(doc_id, doc_id)})
    return out


def lead_item(r: dict[str, Any], cid: str) -> QStandardItem:
    """The 牵头单位 cell: each department with its source, as the links pane shows it (市水务局·推断·62%)."""
    links = r.get("lead_links") or []
    names = S.NAME_SEPARATOR.join(r.get("lead") or [])
    if not links:
        return table_item(names, names, cid)
    item = table_item(depts_text(links), names, cid, tooltip=False)
    item.setToolTip(tip_html(depts_tooltip(links)))
    return item


def deadline_item(r: dict[str, Any], cid: str) -> QStandardItem:
    """The 期限 cell: 2030年, or 2030年（条款） in italics when the year is the clause's, not the indicator's."""
    year, source = r.get("deadline"), r.get("deadline_from")
    if not year:
        return table_item("", 0, cid)
    text = S.INDICATOR_YEAR.format(year=year)
    if source in ("clause", "plan"):
        item = table_item(text + T.IND_DEADLINE_INHERITED, year, cid, tooltip=False)
        item.setToolTip(T.TIP_IND_DEADLINE_PLAN if source == "plan" else T.TIP_IND_DEADLINE_INHERITED)
        font = item.font()
        font.setItalic(True)
        item.setFont(font)
        return item
    return table_item(text, year, cid)


class IndicatorsView(LazyView):
    what = T.VIEW_WHAT_INDICATORS
    track_requested = Signal(object)  # the row (dict): open its progress dialog (跟踪进度)
    bookmark_requested = Signal(object)  # the row (dict): bookmark the indicator as a task

    def __init__(self, library: Library, tasks: TaskManager, parent: QWidget | None = None) -> None:
        super().__init__(library, tasks, parent)
        self.rows: list[dict[str, Any]] = []
        self.filter_box = QLineEdit(self)
        self.filter_box.setObjectName("indicatorFilter")
        self.filter_box.setPlaceholderText(T.VIEW_FILTER_PLACEHOLDER)
        self.filter_box.setClearButtonEnabled(True)
        self.model = QStandardItemModel(0, len(T.IND_COLUMNS), self)
        self.model.setHorizontalHeaderLabels(list(T.IND_COLUMNS))
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(SortRole)
        self.proxy.setFilterKeyColumn(-1)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.table = QTableView(self)
        self.table.setObjectName("indicatorTable")
        self.table.setModel(self.proxy)
        read_only_rows(self.table, sortable=True)
        self.table.setAlternatingRowColors(True)
        head = self.table.horizontalHeader()
        head.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        head.setStretchLastSection(True)
        for col, chars in ((COL_NAME, 18), (COL_VALUE, 7.5), (COL_UNIT, 5), (COL_CMP, 4),
                           (COL_DEADLINE, 12.5), (COL_LEAD, 16)):  # 2030年（继承规划期限） · 市住房城乡建设管理委·推断·85%
            self.table.setColumnWidth(col, em(self.table, chars))
        self.set_primary(self.table)
        self.export_button = QPushButton(S.EXPORT_BUTTON, self)
        self.export_button.setObjectName("indicatorExport")
        self.export_button.setToolTip(S.EXPORT_BUTTON_TIP)
        self.export_button.setEnabled(False)  # until the table is filled
        top = QHBoxLayout()
        top.addWidget(self.filter_box, 1)
        self.track_button = QPushButton(T.IND_TRACK, self)
        self.track_button.setObjectName("indicatorTrack")
        self.track_button.setToolTip(T.IND_TRACK_TIP)
        top.addWidget(self.track_button)
        top.addWidget(self.export_button)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(12, 12, 12, 8)
        lay.addLayout(top)
        lay.addWidget(self.table, 1)
        lay.addWidget(self.info)
        self.filter_box.textChanged.connect(self._on_filter_text_changed)
        self.table.activated.connect(self._on_table_activated)
        self.track_button.clicked.connect(self._on_track_clicked)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.customContextMenuRequested.connect(self._on_context_menu)
        self.export_button.clicked.connect(lambda: emit(self.export_requested, self.export_request()))

    def fetch(self, library: Library) -> list[dict[str, Any]]:
        return fetch_indicators(library)

    def fill(self, rows: list[dict[str, Any]]) -> None:
        self.rows = rows
        self.table.setSortingEnabled(False)
        self.model.removeRows(0, self.model.rowCount())
        for r in rows:
            cid = r["clause"]
            value = "" if r.get("value") is None else format_number(float(r["value"]))
            if r.get("qualitative"):
                value = f"{value}（{T.IND_QUALITATIVE}）" if value else T.IND_QUALITATIVE
            where = S.BREADCRUMB_SEPARATOR.join([S.DOC_TITLE.format(title=r["doc_title"]), *r.get("path", [])[-2:]])
            self.model.appendRow([
                table_item(r["name"], r["name"], cid),
                table_item(value, MISSING if r.get("value") is None else float(r["value"]), cid),
                table_item(r.get("unit") or "", r.get("unit") or "", cid),
                table_item(S.COMPARATORS.get(r.get("comparator") or "", r.get("comparator") or ""),
                      r.get("comparator") or "", cid),
                deadline_item(r, cid),
                lead_item(r, cid),
                table_item(where, where, cid),
            ])
        self.table.setSortingEnabled(True)
        self.proxy.sort(-1)  # document order until the user clicks a column
        self.table.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self._update_count()

    def _on_filter_text_changed(self, text: str) -> None:
        self.proxy.setFilterFixedString(text.strip())
        self._update_count()

    def _update_count(self) -> None:
        total, shown = self.model.rowCount(), self.proxy.rowCount()
        self.export_button.setEnabled(total > 0)
        self.info.setText(T.IND_COUNT.format(n=total, shown=shown))
        text = self.filter_box.text().strip()
        if not total:
            self.set_empty(T.IND_NONE if self.is_loaded else "")
        elif not shown:
            self.set_empty(T.IND_NO_MATCH.format(text=text, n=total))
        else:
            self.set_empty("")

    def export_request(self) -> ExportRequest:
        """The indicator table: every indicator's clause (the filter only narrows what is shown)."""
        if not self.is_loaded:
            return indicators_request(None, None)
        return indicators_request(len(self.rows), len({r["clause"] for r in self.rows}))

    def clause_at(self, row: int) -> str | None:
        idx = self.proxy.index(row, 0)
        return idx.data(ClauseRole) if idx.isValid() else None

    def current_row(self) -> dict[str, Any] | None:
        """The indicator row selected (as `fetch_indicators` gave it)."""
        idx = self.table.currentIndex()
        row = self.proxy.mapToSource(idx).row() if idx.isValid() else -1
        return self.rows[row] if 0 <= row < len(self.rows) else None

    def _on_track_clicked(self) -> None:
        row = self.current_row()
        if row is not None:
            emit(self.track_requested, row)

    def _on_context_menu(self, pos: QPoint) -> None:
        row = self.current_row()
        if row is None or not self.table.indexAt(pos).isValid():
            return
        menu = QMenu(self)
        menu.addAction(T.IND_TRACK, lambda: emit(self.track_requested, row))
        menu.addAction(T.IND_BOOKMARK, lambda: emit(self.bookmark_requested, row))
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        menu.popup(self.table.viewport().mapToGlobal(pos))

    def _on_table_activated(self, index: QModelIndex) -> None:
        cid = index.data(ClauseRole)
        if cid:
            emit(self.open_clause, cid)
