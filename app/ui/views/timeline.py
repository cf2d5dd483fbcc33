"""时间线 view: deadlines by year (2026…2030, 2035 and any other year found) with the clauses due then.

The plan's mid-term (2028) and final (2030) evaluations are marked on their years and point to the
plan's 规划实施评估 clause. Selecting a year lists its clauses; activating one opens it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QSplitter,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.core.library import Library
from app.ui.common import strings as S
from app.ui.common.lazyview import LazyView, em
from app.ui.common.linksformat import deadline_text, deadline_tooltip, indicator_text
from app.ui.common.qtcompat import emit
from app.ui.common.tasks import TaskManager
from app.ui.export.scope import ExportRequest, clauses_request
from app.ui.views import strings as T

YEARS = (2026, 2027, 2028, 2029, 2030, 2035)
EVALUATIONS = {2028: T.TIMELINE_EVAL_MID, 2030: T.TIMELINE_EVAL_END}
EVALUATION_TEXT = re.compile(r"实施评估|中期评估|总结评估")
YearRole = Qt.ItemDataRole.UserRole + 1
ClauseRole = Qt.ItemDataRole.UserRole + 2


@dataclass
class Due:
    clause: str
    label: str  # 章 › 条
    note: str  # the 完成时限 cell: the date with where it comes from (2030年（继承规划期限）) / which indicator
    tip: str = ""  # what the note means (an inherited year is not stated by the clause)
    inherited: bool = False  # the clause does not state it: in italics, as everywhere else
    evaluation: bool = False
    doc: str = ""


@dataclass
class Timeline:
    years: dict[int, list[Due]] = field(default_factory=dict)


def fetch_timeline(library: Library, *, all_versions: bool = False) -> Timeline:
    """Worker side: each clause under its deadline year; indicators with their own year under that year.
    Older versions (hidden from default search) are left out unless `all_versions`."""
    links = library.links()
    docs = library.documents()
    titles = {d.id: d.title for d in docs}
    plans = {d.id for d in docs if d.kind == "规划"}
    tl = Timeline({y: [] for y in YEARS})
    plan_eval: list[str] = []
    for c in library.current_clauses(all_versions=all_versions):
        cl = links.get(c.id)
        where = S.BREADCRUMB_SEPARATOR.join(c.path[-2:])
        doc = S.DOC_TITLE.format(title=titles.get(c.doc_id, c.doc_id))
        if cl is not None and cl.deadline is not None:
            due = Due(c.id, where, deadline_text(cl.deadline), doc=doc, tip=deadline_tooltip(cl.deadline),
                      inherited=cl.deadline.source == "inherited")
            tl.years.setdefault(cl.deadline.year, []).append(due)
        for ind in cl.indicators if cl is not None else ():
            if ind.deadline and (cl.deadline is None or ind.deadline != cl.deadline.year):
                note = T.TIMELINE_INDICATOR.format(year=ind.deadline, text=indicator_text(ind))
                tl.years.setdefault(ind.deadline, []).append(Due(c.id, where, note, doc=doc))
        if c.doc_id in plans and EVALUATION_TEXT.search(c.full_text):
            plan_eval.append(c.id)
    for year, label in EVALUATIONS.items():
        for cid in plan_eval[-1:]:  # the plan's 实施评估 paragraph sits in its closing chapter
            tl.years[year].insert(0, Due(cid, label.format(year=year), "", evaluation=True))
    return Timeline(dict(sorted(tl.years.items())))


class TimelineView(LazyView):
    what = T.VIEW_WHAT_TIMELINE

    def __init__(self, library: Library, tasks: TaskManager, parent: QWidget | None = None) -> None:
        super().__init__(library, tasks, parent)
        self.timeline = Timeline()
        self.years = QListWidget(self)
        self.years.setObjectName("timelineYears")
        self.clauses = QTreeWidget(self)
        self.clauses.setObjectName("timelineClauses")
        self.clauses.setHeaderLabels(list(T.TIMELINE_COLUMNS))
        self.clauses.setRootIsDecorated(False)
        self.clauses.setColumnWidth(0, em(self.clauses, 36))
        self.clauses.setColumnWidth(1, em(self.clauses, 24))
        self.clauses.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.set_primary(self.clauses)
        split = QSplitter(Qt.Orientation.Horizontal, self)
        split.addWidget(self.years)
        split.addWidget(self.clauses)
        split.setSizes([em(self, 14), em(self, 60)])
        split.setChildrenCollapsible(False)
        row = QHBoxLayout()
        row.addWidget(split)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(12, 12, 12, 8)
        lay.addLayout(row, 1)
        lay.addWidget(self.info)
        self.years.currentItemChanged.connect(self._on_year_changed)
        self.clauses.itemActivated.connect(self._on_clause_activated)

    def fetch(self, library: Library) -> Timeline:
        return fetch_timeline(library)

    def fill(self, data: Timeline) -> None:
        self.timeline = data
        self.years.clear()
        current = None
        for year, dues in data.years.items():
            n = sum(1 for d in dues if not d.evaluation)
            text = T.TIMELINE_YEAR.format(year=year, n=n)
            evals = [d.label for d in dues if d.evaluation]
            if evals:
                text += "\n" + "\n".join(e.split(" · ", 1)[-1] for e in evals)
            it = QListWidgetItem(text)
            it.setData(YearRole, year)
            self.years.addItem(it)
            if current is None and n:
                current = it
        self.restyle()
        self.info.setText(T.TIMELINE_HINT)
        if current is not None:
            self.years.setCurrentItem(current)
        else:
            self.set_empty(T.TIMELINE_NONE)

    def restyle(self) -> None:
        """Years with nothing due in the palette's placeholder grey (again after a scheme change)."""
        for i in range(self.years.count()):
            it = self.years.item(i)
            if not self.timeline.years.get(int(it.data(YearRole))):
                it.setForeground(self.palette().placeholderText())

    def select_year(self, year: int) -> None:
        for i in range(self.years.count()):
            if self.years.item(i).data(YearRole) == year:
                self.years.setCurrentRow(i)

    def _on_year_changed(self, item: QListWidgetItem | None, _prev: QListWidgetItem | None) -> None:
        self.clauses.clear()
        if item is None:
            self.set_empty(T.TIMELINE_NONE if self.is_loaded and not any(self.timeline.years.values()) else "")
            return
        year = int(item.data(YearRole))
        dues = self.timeline.years.get(year, [])
        self.set_empty("" if dues else T.TIMELINE_NONE_YEAR.format(year=year))
        for d in dues:
            it = QTreeWidgetItem([d.label, d.doc, d.note])
            it.setData(0, ClauseRole, d.clause)
            it.setToolTip(0, d.label)
            it.setToolTip(2, d.tip or d.note)
            if d.inherited:
                f = it.font(2)
                f.setItalic(True)
                it.setFont(2, f)
            if d.evaluation:
                f = it.font(0)
                f.setBold(True)
                it.setFont(0, f)
            self.clauses.addTopLevelItem(it)

    def clause_ids(self) -> list[str]:
        return [self.clauses.topLevelItem(i).data(0, ClauseRole) for i in range(self.clauses.topLevelItemCount())
                if self.clauses.topLevelItem(i).data(0, ClauseRole)]

    def export_request(self) -> ExportRequest | None:
        """The clauses due in the year shown."""
        item, ids = self.years.currentItem(), self.clause_ids()
        if item is None or not ids:
            return None
        year = int(item.data(YearRole))
        return clauses_request(ids, T.EXPORT_SCOPE_YEAR.format(year=year), T.EXPORT_TITLE_YEAR.format(year=year))

    def _on_clause_activated(self, item: QTreeWidgetItem, _col: int) -> None:
        cid: Any = item.data(0, ClauseRole)
        if cid:
            emit(self.open_clause, cid)
