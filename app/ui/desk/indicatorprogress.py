"""Indicator progress: a small chart of the yearly values against the straight path to the target, and
the dialog that tracks one indicator (target, baseline, yearly actual values with their source).

The numbers and the verdict (已达标 / 进度正常 / 进度滞后 / 逾期未达标) come from
`UserStore.indicator_progress` (app.core.userdata.progress); this module only draws and edits.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QPainter, QPainterPath, QPen
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.core.errors import NotFoundError
from app.core.library import Library
from app.core.userdata import IndicatorProgress, IndicatorValue, TrackedIndicator, indicator_key
from app.ui.common import strings as S
from app.ui.common import theme
from app.ui.common.dialogs import error_message
from app.ui.common.lazyview import em
from app.ui.common.linksformat import format_number
from app.ui.common.qtcompat import emit
from app.ui.common.tasks import TaskManager
from app.ui.desk import strings as T

NO_YEAR = 1949  # the spin boxes' "not given" value (shown as —)
YEAR_MAX = 2100


@dataclass
class Snapshot:
    """One tracked indicator as the dialog and the overview show it."""

    indicator: TrackedIndicator | None
    values: list[IndicatorValue] = field(default_factory=list)
    progress: IndicatorProgress | None = None


def load_snapshot(library: Library, key: str) -> Snapshot:
    """Worker side: the indicator (None when not tracked), its values and its progress."""
    user = library.user
    try:
        ind = user.get_indicator(key)
    except NotFoundError:
        return Snapshot(None)
    return Snapshot(ind, user.indicator_values(key), user.indicator_progress(key))


def progress_text(p: IndicatorProgress | None, unit: str = "") -> str:
    if p is None:
        return T.PROGRESS_NOT_TRACKED
    parts = [p.label]
    if p.percent is not None:
        parts.insert(0, T.PROGRESS_PERCENT.format(pct=format_number(p.percent)))
    if p.latest_year is not None and p.latest_value is not None:
        parts.append(T.PROGRESS_LATEST.format(year=p.latest_year, value=format_number(p.latest_value), unit=unit))
    if p.expected is not None:
        parts.append(T.PROGRESS_EXPECTED.format(value=format_number(round(p.expected, 2)), unit=unit))
    return T.PROGRESS_SEPARATOR.join(parts)


def status_colour(status: str, t: theme.Theme) -> str:
    return {"achieved": t.urg_done, "on_track": t.urg_done, "behind": t.urg_soon, "missed": t.urg_overdue}.get(
        status, t.muted)


def paint_sparkline(p: QPainter, rect: QRectF, snap: Snapshot, t: theme.Theme, *, labels: bool = False) -> None:
    """Yearly values (line with dots) against the straight path from the baseline to the target (dashed)
    and the target itself (dotted)."""
    ind = snap.indicator
    if ind is None:
        return
    pts = [(v.year, v.value) for v in snap.values]
    path_pts: list[tuple[int, float]] = []
    if ind.baseline is not None and ind.baseline_year is not None:
        pts.insert(0, (ind.baseline_year, ind.baseline))
        if ind.target is not None and ind.deadline is not None and ind.deadline > ind.baseline_year:
            path_pts = [(ind.baseline_year, ind.baseline), (ind.deadline, ind.target)]
    years = [y for y, _ in pts + path_pts] + ([ind.deadline] if ind.deadline else [])
    values = [v for _, v in pts + path_pts] + ([ind.target] if ind.target is not None else [])
    if not values:
        return
    y0, y1 = min(years), max(years)
    v0, v1 = min(values), max(values)
    if y0 == y1:
        y0, y1 = y0 - 1, y1 + 1
    if v0 == v1:
        v0, v1 = v0 - 1, v1 + 1
    fm = p.fontMetrics()
    pad = fm.height() if labels else 0
    r = rect.adjusted(4 + (fm.horizontalAdvance(_num(v1)) + 6 if labels else 0), 4 + pad // 2, -4, -4 - pad)

    def at(year: float, value: float) -> QPointF:
        return QPointF(r.left() + (year - y0) / (y1 - y0) * r.width(),
                       r.bottom() - (value - v0) / (v1 - v0) * r.height())

    p.save()
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    if ind.target is not None:
        p.setPen(QPen(QColor(t.urg_done), 1, Qt.PenStyle.DotLine))
        p.drawLine(at(y0, ind.target), at(y1, ind.target))
    if path_pts:
        p.setPen(QPen(QColor(t.fainter), 1.2, Qt.PenStyle.DashLine))
        p.drawLine(at(*path_pts[0]), at(*path_pts[1]))
    if pts:
        pts.sort()
        line = QPainterPath(at(*pts[0]))
        for y, v in pts[1:]:
            line.lineTo(at(y, v))
        colour = QColor(status_colour(snap.progress.status if snap.progress else "", t))
        p.setPen(QPen(colour, 2))
        p.drawPath(line)
        p.setBrush(colour)
        for y, v in pts:
            p.drawEllipse(at(y, v), 2.5, 2.5)
    if labels:  # years under the ends, the value range on the left
        p.setPen(QColor(t.muted))
        p.drawText(QPointF(r.left(), r.bottom() + fm.ascent() + 2), str(y0))
        p.drawText(QPointF(r.right() - fm.horizontalAdvance(str(y1)), r.bottom() + fm.ascent() + 2), str(y1))
        for v in (v0, v1):
            p.drawText(QPointF(rect.left() + 2, at(y0, v).y() + fm.ascent() / 2), _num(v))
    p.restore()


class Sparkline(QWidget):
    def __init__(self, parent: QWidget | None = None, *, labels: bool = False) -> None:
        super().__init__(parent)
        self.setObjectName("sparkline")
        self.labels = labels
        self.snapshot = Snapshot(None)
        self.setMinimumSize(QSize(em(self, 12), em(self, 4)))

    def set_snapshot(self, snap: Snapshot) -> None:
        self.snapshot = snap
        self.setToolTip(T.TIP_SPARKLINE)
        self.update()

    def paintEvent(self, _e: Any) -> None:
        p = QPainter(self)
        paint_sparkline(p, QRectF(self.rect()), self.snapshot, theme.current(), labels=self.labels)
        p.end()


def _where(library: Library, clause_id: str) -> str:
    c = library.clause(clause_id)
    return S.BREADCRUMB_SEPARATOR.join([S.DOC_TITLE.format(title=library.document(c.doc_id).title), *c.path])


def _year_spin(parent: QWidget) -> QSpinBox:
    s = QSpinBox(parent)
    s.setRange(NO_YEAR, YEAR_MAX)
    s.setSpecialValueText(T.PROGRESS_NO_YEAR)
    s.setValue(NO_YEAR)
    return s


def _year(s: QSpinBox) -> int | None:
    return None if s.value() == NO_YEAR else s.value()


def _num(x: float | None) -> str:
    return "" if x is None else format_number(x)


class IndicatorProgressDialog(QDialog):
    """Track one indicator. Nothing is stored until 保存目标 or 记录 (which starts tracking first)."""

    changed = Signal(str)  # indicator key

    def __init__(self, library: Library, tasks: TaskManager, clause_id: str, name: str,
                 prefill: dict[str, Any] | None = None, where: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.library, self.tasks = library, tasks
        self.clause_id, self.name = clause_id, name
        self.key = indicator_key(clause_id, name)
        self.snapshot = Snapshot(None)
        self.setObjectName("indicatorProgressDialog")
        self.setWindowTitle(T.PROGRESS_DIALOG_TITLE)
        title = QLabel(T.PROGRESS_INDICATOR.format(name=name), self)
        title.setObjectName("progressTitle")
        title.setWordWrap(True)
        crumb = QLabel(where or clause_id, self)
        crumb.setObjectName("taskEditorHint")
        crumb.setWordWrap(True)
        goal = QGroupBox(T.PROGRESS_GOAL, self)
        self.target, self.unit = QLineEdit(goal), QLineEdit(goal)
        self.unit.setMaximumWidth(em(self, 6))
        self.comparator = QComboBox(goal)
        for code, label in S.COMPARATORS.items():
            self.comparator.addItem(label, code)
        self.deadline = _year_spin(goal)
        self.baseline = QLineEdit(goal)
        self.baseline_year = _year_spin(goal)
        self.save_goal = QPushButton(T.PROGRESS_SAVE_GOAL, goal)
        row1, row2 = QHBoxLayout(), QHBoxLayout()
        for w in (self.comparator, self.target, QLabel(T.PROGRESS_UNIT, goal), self.unit,
                  QLabel(T.PROGRESS_DEADLINE, goal), self.deadline):
            row1.addWidget(w)
        for w in (self.baseline, QLabel(T.PROGRESS_BASELINE_YEAR, goal), self.baseline_year):
            row2.addWidget(w)
        row2.addStretch(1)
        row2.addWidget(self.save_goal)
        gl = QFormLayout(goal)
        gl.addRow(T.PROGRESS_TARGET, row1)
        gl.addRow(T.PROGRESS_BASELINE, row2)
        vals = QGroupBox(T.PROGRESS_VALUES, self)
        self.table = QTableWidget(0, len(T.PROGRESS_VALUE_COLUMNS), vals)
        self.table.setObjectName("progressValues")
        self.table.setHorizontalHeaderLabels(list(T.PROGRESS_VALUE_COLUMNS))
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.table.setColumnWidth(0, em(self, 5))
        self.table.setColumnWidth(1, em(self, 7))
        self.table.setMinimumHeight(em(self, 9))
        self.year = QSpinBox(vals)
        self.year.setRange(NO_YEAR + 1, YEAR_MAX)
        self.value = QLineEdit(vals)
        self.value.setPlaceholderText(T.PROGRESS_VALUE_PLACEHOLDER)
        self.source = QLineEdit(vals)
        self.source.setPlaceholderText(T.PROGRESS_SOURCE_PLACEHOLDER)
        self.record = QPushButton(T.PROGRESS_RECORD, vals)
        self.remove = QPushButton(T.PROGRESS_REMOVE, vals)
        entry = QHBoxLayout()
        entry.addWidget(self.year)
        entry.addWidget(self.value)
        entry.addWidget(self.source, 1)
        entry.addWidget(self.record)
        entry.addWidget(self.remove)
        vl = QVBoxLayout(vals)
        vl.addWidget(self.table)
        vl.addLayout(entry)
        self.status = QLabel(T.PROGRESS_NOT_TRACKED, self)
        self.status.setObjectName("progressStatus")
        self.status.setWordWrap(True)
        self.chart = Sparkline(self, labels=True)
        self.chart.setMinimumHeight(em(self, 8))
        self.message = QLabel(self)
        self.message.setObjectName("taskEditorStatus")
        self.message.setWordWrap(True)
        close = QDialogButtonBox(self)
        close.addButton(S.BANNER_CLOSE, QDialogButtonBox.ButtonRole.RejectRole)
        close.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        for w in (title, crumb, goal, vals, self.status, self.chart, self.message, close):
            lay.addWidget(w)
        self._prefill(prefill or {})
        self.save_goal.clicked.connect(self.save_target)
        self.record.clicked.connect(self.record_value)
        self.remove.clicked.connect(self.remove_value)
        self.resize(em(self, 46), em(self, 46))
        self.reload()
        if not where:
            lib, cid = self.library, clause_id
            self.tasks.run_read(lambda: _where(lib, cid), crumb.setText, on_error=lambda _e: None, name="where")

    def _prefill(self, r: dict[str, Any]) -> None:
        self.target.setText(_num(r.get("value")))
        self.unit.setText(r.get("unit") or "")
        self.comparator.setCurrentIndex(max(0, self.comparator.findData(r.get("comparator") or ">=")))
        self.deadline.setValue(int(r.get("deadline") or NO_YEAR))
        self.year.setValue(min(YEAR_MAX, max(2020, dt.date.today().year - 1)))

    def reload(self) -> None:
        lib, key = self.library, self.key
        self.tasks.run_read(lambda: load_snapshot(lib, key), self._show, on_error=self._fail, name="indicator")

    def _show(self, snap: Snapshot) -> None:
        self.snapshot = snap
        ind = snap.indicator
        if ind is not None:
            self.target.setText(_num(ind.target))
            self.unit.setText(ind.unit)
            self.comparator.setCurrentIndex(max(0, self.comparator.findData(ind.comparator)))
            self.deadline.setValue(ind.deadline or NO_YEAR)
            self.baseline.setText(_num(ind.baseline))
            self.baseline_year.setValue(ind.baseline_year or NO_YEAR)
        self.table.setRowCount(len(snap.values))
        for row, v in enumerate(snap.values):
            for col, text in enumerate((str(v.year), format_number(v.value), v.source)):
                self.table.setItem(row, col, QTableWidgetItem(text))
        self.status.setText(progress_text(snap.progress, ind.unit if ind else "") if ind else T.PROGRESS_NOT_TRACKED)
        self.chart.set_snapshot(snap)

    def _fail(self, exc: BaseException) -> None:
        self.message.setText(error_message(exc))

    def _goal(self) -> dict[str, Any]:
        return {"target": self.target.text().strip() or None, "unit": self.unit.text().strip(),
                "comparator": self.comparator.currentData(), "deadline": _year(self.deadline),
                "baseline": self.baseline.text().strip() or None, "baseline_year": _year(self.baseline_year)}

    def _write(self, work: Any, message: str) -> None:
        lib, key, cid, name, goal = self.library, self.key, self.clause_id, self.name, self._goal()
        tracked = self.snapshot.indicator is not None

        def run() -> Snapshot:
            if not tracked or work is None:
                lib.user.track_indicator(cid, name, **goal)
            if work is not None:
                work(lib.user, key)
            return load_snapshot(lib, key)

        def done(snap: Snapshot) -> None:
            self._show(snap)
            self.message.setText(message)
            emit(self.changed, key)

        self.tasks.run_user(run, done, on_error=self._fail, name="track_indicator")

    def save_target(self) -> None:
        self._write(None, T.PROGRESS_GOAL_SAVED)

    def record_value(self) -> None:
        year, value, source = self.year.value(), self.value.text().strip(), self.source.text().strip()
        if not value:
            self.message.setText(T.PROGRESS_VALUE_MISSING)
            return
        self._write(lambda user, key: user.set_indicator_value(key, year, value, source),
                    T.PROGRESS_VALUE_SAVED.format(year=year))
        self.value.clear()

    def remove_value(self) -> None:
        row = self.table.currentRow()
        if row < 0 or row >= len(self.snapshot.values):
            return
        year = self.snapshot.values[row].year
        self._write(lambda user, key: user.delete_indicator_value(key, year), T.PROGRESS_VALUE_REMOVED.format(year=year))
