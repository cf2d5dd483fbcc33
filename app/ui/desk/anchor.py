"""The box above the task editor for a task whose clause changed or disappeared in a library update:
what happened (⚠ 原条款已变更或删除 / 条款内容已修改), the clause text as it was bookmarked, and
确认新内容 (Desk.confirm_anchor) / 重新关联… (Desk.reattach, to e.g. the clause open in the reading pane)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.core.desk import DeskTask
from app.core.library import Library
from app.ui.common.dialogs import error_message
from app.ui.common.qtcompat import emit
from app.ui.common.tasks import TaskManager
from app.ui.desk import strings as T
from app.ui.desk.table import anchor_warning, task_title

OLD_TEXT_LINES = 3.5


class AnchorBox(QFrame):
    changed = Signal(object, str)  # DeskTask re-anchored, message
    failed = Signal(str)

    def __init__(self, library: Library, tasks: TaskManager, parent: QWidget | None = None, *,
                 current_clause: Callable[[], str | None] | None = None) -> None:
        super().__init__(parent)
        self.library, self.tasks = library, tasks
        self.current_clause = current_clause or (lambda: None)
        self.desk_task: DeskTask | None = None
        self.setObjectName("taskAnchorBox")
        self.state = QLabel(self)
        self.state.setObjectName("taskAnchorState")
        self.state.setWordWrap(True)
        self.old_text = QPlainTextEdit(self)  # scrolls: a long clause never squeezes the editor below it
        self.old_text.setObjectName("taskOldText")
        self.old_text.setReadOnly(True)
        self.old_text.setFrameShape(QFrame.Shape.NoFrame)
        line = self.old_text.fontMetrics().lineSpacing()
        self.old_text.setFixedHeight(int(line * OLD_TEXT_LINES + 10))
        self.confirm_button = QPushButton(T.EDITOR_CONFIRM_ANCHOR, self)
        self.confirm_button.setToolTip(T.EDITOR_CONFIRM_ANCHOR_TIP)
        self.reattach_button = QPushButton(T.EDITOR_REATTACH, self)
        self.reattach_button.setToolTip(T.EDITOR_REATTACH_TIP)
        box = QVBoxLayout(self)
        box.setContentsMargins(8, 6, 8, 6)
        box.addWidget(self.state)
        box.addWidget(self.old_text)
        row = QHBoxLayout()
        row.addWidget(self.confirm_button)
        row.addWidget(self.reattach_button)
        row.addStretch(1)
        box.addLayout(row)
        self.confirm_button.clicked.connect(self.confirm)
        self.reattach_button.clicked.connect(self.ask_reattach)
        self.hide()

    def show_task(self, d: DeskTask | None) -> None:
        self.desk_task = d
        warn = anchor_warning(d.task) if d is not None else None
        self.setVisible(warn is not None)
        if d is None or warn is None:
            return
        t = d.task
        self.state.setText(T.ANCHOR_MARK + warn[0])
        self.state.setToolTip(warn[1])
        self.old_text.setPlainText(T.EDITOR_OLD_TEXT.format(text=t.text))
        self.confirm_button.setVisible(t.anchor_state == "changed")

    def confirm(self) -> None:
        """确认新内容: the clause's new text becomes the task's anchor."""
        if self.desk_task is None:
            return
        tid, lib = self.desk_task.id, self.library
        self.tasks.run_user(lambda: lib.desk.view(lib.desk.confirm_anchor(tid)),
                            lambda d: emit(self.changed, d, T.ANCHOR_CONFIRMED),
                            on_error=lambda exc: emit(self.failed, error_message(exc)), name="confirm_anchor")

    def ask_reattach(self) -> QInputDialog | None:
        """重新关联…: ask for a clause id (the one in the reading pane is filled in)."""
        if self.desk_task is None:
            return None
        dlg = QInputDialog(self)
        dlg.setObjectName("reattachDialog")
        dlg.setWindowTitle(T.REATTACH_TITLE)
        dlg.setLabelText(T.REATTACH_LABEL)
        dlg.setTextValue(self.current_clause() or self.desk_task.task.clause_id)
        dlg.resize(dlg.fontMetrics().horizontalAdvance("中") * 36, dlg.sizeHint().height())
        dlg.textValueSelected.connect(self.reattach_to)
        dlg.open()
        return dlg

    def reattach_to(self, clause_id: str) -> None:
        cid = clause_id.strip()
        if self.desk_task is None or not cid:
            return
        tid, lib = self.desk_task.id, self.library
        self.tasks.run_user(lambda: lib.desk.view(lib.desk.reattach(tid, cid)),
                            lambda d: emit(self.changed, d, T.REATTACH_DONE.format(title=task_title(d.task))),
                            on_error=lambda exc: emit(self.failed, error_message(exc)), name="reattach")
