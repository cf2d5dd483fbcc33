"""The 我的任务 table: one row per task, 督办 colours from the theme, sorting and the filters.

Rows are built from `app.core.desk.DeskTask`s (effective due date and owner, urgency). The 督办 cell
is tinted red (overdue), orange (due within 30 days), green (done) or grey (on hold); a ⚠ before the
clause marks a task whose clause changed or disappeared in a library update.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QSortFilterProxyModel, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QStandardItem, QStandardItemModel

from app.core.desk import DONE, ON_HOLD, OPEN, OVERDUE, SOON, URGENCY_LABELS, DeskTask
from app.core.userdata import Task
from app.ui.common import strings as S
from app.ui.common import theme
from app.ui.common.lazyview import KeyRole, SortRole, table_item
from app.ui.common.linksformat import dept_text, dept_tooltip, tip_html
from app.ui.desk import strings as T

DeskRole = Qt.ItemDataRole.UserRole + 3  # the row's DeskTask (column 0)
(COL_STATUS, COL_PRIORITY, COL_URGENCY, COL_CLAUSE, COL_DUE, COL_OWNER, COL_TAGS, COL_COLLECTION,
 COL_NOTE) = range(9)
URGENCY_ORDER = {OVERDUE: 0, SOON: 1, OPEN: 2, ON_HOLD: 3, DONE: 4}
STATUS_ORDER = {"doing": 0, "todo": 1, "parked": 2, "done": 3}


def urgency_of(d: DeskTask) -> str:
    """The task's 督办 class (overdue, due soon, open, done, on hold)."""
    return d.urgency


def urgency_text(d: DeskTask) -> str:
    u = urgency_of(d)
    if u == OVERDUE and d.days_left is not None:
        return T.URGENCY_OVERDUE_DAYS.format(n=-d.days_left)
    if u == SOON and d.days_left is not None:
        return T.URGENCY_TODAY if d.days_left == 0 else T.URGENCY_SOON_DAYS.format(n=d.days_left)
    return URGENCY_LABELS[u]


def indicator_name(t: Task) -> str | None:
    return t.indicator_key.split("#", 1)[1] if t.indicator_key and "#" in t.indicator_key else None


def task_title(t: Task, parts: int = 2) -> str:
    """《文件》 › the last `parts` levels of the clause path (· 指标：name for an indicator task)."""
    path = list(t.path)[-parts:] if parts else list(t.path)
    title = S.BREADCRUMB_SEPARATOR.join([S.DOC_TITLE.format(title=t.doc_title or t.doc_id), *path])
    name = indicator_name(t)
    return title + T.TASK_INDICATOR.format(name=name) if name else title


def task_short(t: Task) -> str:
    """What the clause is, most specific first: its heading (or last path level), then 《文件》."""
    specific = (t.heading or (t.path[-1] if t.path else t.clause_id)).rstrip("。；;")
    short = f"{specific}{T.TASK_SHORT_SEPARATOR}{S.DOC_TITLE.format(title=t.doc_title or t.doc_id)}"
    name = indicator_name(t)
    return short + T.TASK_INDICATOR.format(name=name) if name else short


def anchor_warning(t: Task) -> tuple[str, str] | None:
    """(short text, tooltip) for a task whose clause changed or disappeared; None when attached."""
    if t.anchor_state == "missing":
        return T.ANCHOR_MISSING, T.TIP_ANCHOR_MISSING
    if t.anchor_state == "changed":
        return T.ANCHOR_CHANGED, T.TIP_ANCHOR_CHANGED
    return None


def first_line(text: str) -> str:
    return next((ln.strip() for ln in text.splitlines() if ln.strip()), "")


def due_text(d: DeskTask) -> str:
    if not d.due:
        return ""
    return d.due + (T.DUE_FROM_CLAUSE if d.due_source == "clause" else "")


def owner_text(d: DeskTask) -> str:
    """The user's 责任部门 as written, or the clause's lead with its source: 市水务局·推断·62%（牵头）."""
    if not d.owner:
        return ""
    if d.owner_source != "lead":
        return d.owner
    return (dept_text(d.owner_link) if d.owner_link is not None else d.owner) + T.OWNER_FROM_LEAD


def row_items(d: DeskTask, t: theme.Theme) -> list[QStandardItem]:
    task, key = d.task, d.id
    urg = urgency_of(d)
    status = table_item(task.status_label, STATUS_ORDER.get(task.status, 9), key)
    status.setData(d, DeskRole)
    prio = table_item(task.priority_label, task.priority, key)
    days = d.days_left + 100_000 if d.days_left is not None else 999_999  # undated last within a class
    urgency = table_item(urgency_text(d), URGENCY_ORDER[urg] * 1_000_000 + days, key)
    colours = t.urgency(urg)
    if colours is not None:
        urgency.setForeground(QBrush(QColor(colours[0])))
        urgency.setBackground(QBrush(QColor(colours[1])))
        font = QFont(urgency.font())
        font.setBold(urg in (OVERDUE, SOON))
        urgency.setFont(font)
    title = task_short(task)
    warn = anchor_warning(task)
    clause = table_item((T.ANCHOR_MARK + title) if warn else title, task_title(task, 0), key, tooltip=False)
    full = task_title(task, 0) + (f"\n{task.heading}" if task.heading and task.heading not in task.path else "")
    clause.setToolTip(f"{warn[1]}\n{full}" if warn else full)
    if warn:
        clause.setForeground(QBrush(QColor(t.urg_soon)))
    due = table_item(due_text(d), d.due or "9999", key)
    if d.due_source == "clause":
        due.setToolTip(T.TIP_DUE_FROM_CLAUSE)
    owner = table_item(owner_text(d), d.owner or "", key)
    if d.owner_source == "lead":
        source = f"\n{dept_tooltip(d.owner_link)}" if d.owner_link is not None else ""
        owner.setToolTip(tip_html(T.TIP_OWNER_FROM_LEAD + source))
    tags = S.NAME_SEPARATOR.join(task.tags)
    note = first_line(task.note)
    note_item = table_item(note, note, key, tooltip=False)
    if task.note.strip():
        note_item.setToolTip(task.note[:800])
    return [status, prio, urgency, clause, due, owner, table_item(tags, tags, key),
            table_item(task.collection, task.collection, key), note_item]


class TaskModel(QStandardItemModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(0, len(T.TASK_COLUMNS), parent)
        self.setHorizontalHeaderLabels(list(T.TASK_COLUMNS))

    def set_tasks(self, tasks: Iterable[DeskTask]) -> None:
        self.removeRows(0, self.rowCount())
        t = theme.current()
        for d in tasks:
            self.appendRow(row_items(d, t))

    def row_of(self, task_id: str) -> int:
        for r in range(self.rowCount()):
            if self.item(r, 0).data(KeyRole) == task_id:
                return r
        return -1

    def replace(self, d: DeskTask) -> bool:
        """Show a saved task's new values in its row; False when the task is not listed."""
        r = self.row_of(d.id)
        if r < 0:
            return False
        for col, item in enumerate(row_items(d, theme.current())):
            self.setItem(r, col, item)
        return True

    def desk_tasks(self) -> list[DeskTask]:
        return [self.item(r, 0).data(DeskRole) for r in range(self.rowCount())]


class TaskFilter(QSortFilterProxyModel):
    """Status, urgency, department (effective owner), tag, collection and free text, all ANDed."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.status: str | None = None
        self.urgency: str | None = None
        self.department: str | None = None
        self.tag: str | None = None
        self.collection: str | None = None
        self.text = ""
        self.setSortRole(SortRole)

    def set_filters(self, **kw: Any) -> None:
        begin = getattr(self, "beginFilterChange", None)
        if begin is not None:  # Qt >= 6.10; invalidateFilter() is deprecated there
            begin()
        for k, v in kw.items():
            setattr(self, k, v)
        if begin is not None:
            self.endFilterChange()
        else:
            self.invalidateFilter()

    def filterAcceptsRow(self, row: int, parent: QModelIndex | QPersistentModelIndex) -> bool:
        d: DeskTask | None = self.sourceModel().index(row, 0, parent).data(DeskRole)
        if d is None:
            return False
        t = d.task
        if self.status and t.status != self.status:
            return False
        if self.urgency and urgency_of(d) != self.urgency:
            return False
        if self.department and d.owner != self.department:
            return False
        if self.tag and self.tag not in t.tags:
            return False
        if self.collection is not None and t.collection != self.collection:
            return False
        if self.text:
            hay = " ".join([t.note, t.heading, t.text, t.doc_title, *t.path, *t.tags, t.collection, d.owner or ""])
            return self.text.casefold() in hay.casefold()
        return True
