"""The task editor beside the 我的任务 table: status, priority, own due date, owner, tags, collection, note.

保存 (Ctrl+S) writes every field in one transaction on the TaskManager's user thread. The note also
autosaves as a draft ~2 s after the last keystroke (`UserStore.save_draft`, key `task:<id>:note`), so a
crash loses seconds of typing at most; a confirmed save clears the draft. When a save fails (database
locked by another program, disk full) the editor keeps everything typed and says why, in Chinese.
A task whose clause changed or disappeared in a library update shows the old text and offers
确认新内容 / 重新关联….
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QDate, QTimer, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.core.desk import DeskTask
from app.core.library import Library
from app.core.userdata import PRIORITY_LABELS, STATUS_LABELS, Draft, Task
from app.ui.common import strings as S
from app.ui.common.dialogs import error_message
from app.ui.common.linksformat import dept_text
from app.ui.common.qtcompat import emit
from app.ui.common.tasks import TaskManager
from app.ui.desk import strings as T
from app.ui.desk.anchor import AnchorBox
from app.ui.desk.data import draft_key, local_time, now_text
from app.ui.desk.table import task_title

DRAFT_DELAY_MS = 2_000  # a crash loses at most this much typing (plus the save itself)
_TAG_SPLIT = re.compile(r"[、,，;；\s]+")


def baseline(t: Task) -> dict[str, Any]:
    """A task's editable fields in the form `TaskEditor.values()` returns them."""
    return {"status": t.status, "priority": t.priority, "due": t.due, "owner": t.owner or "",
            "tags": list(t.tags), "collection": t.collection, "note": t.note}


class TaskEditor(QWidget):
    saved = Signal(object)  # DeskTask: a save, a confirmed or re-attached anchor
    deleted = Signal(object)  # Task moved to the trash (undo with undelete_task)
    open_clause = Signal(str)
    message = Signal(str)  # for the status bar

    def __init__(self, library: Library, tasks: TaskManager, parent: QWidget | None = None, *,
                 current_clause: Callable[[], str | None] | None = None) -> None:
        super().__init__(parent)
        self.library, self.tasks = library, tasks
        self.desk_task: DeskTask | None = None
        self.clause_dues: dict[str, str | None] = {}  # task id -> the clause's own deadline (set by the view)
        self._baseline: dict[str, Any] = {}
        self._loading = False
        self._draft_stored = False
        self.setObjectName("taskEditor")
        self.title = QLabel(T.EDITOR_EMPTY, self)
        self.title.setObjectName("taskEditorTitle")
        self.title.setWordWrap(True)
        self.anchor_box = AnchorBox(library, tasks, self, current_clause=current_clause)

        self.form = QWidget(self)
        self.status = _combo(self.form, [(label, code) for code, label in STATUS_LABELS.items()])
        self.priority = _combo(self.form, [(label, num) for num, label in PRIORITY_LABELS.items()])
        self.own_due = QCheckBox(T.EDITOR_DUE_OWN, self.form)
        self.own_due.setToolTip(T.EDITOR_DUE_TIP)
        self.due = QDateEdit(self.form)
        self.due.setCalendarPopup(True)
        self.due.setDisplayFormat("yyyy-MM-dd")
        # With no task shown the field holds its minimum, displayed as "—" (it showed 2000-01-01).
        self.due.setMinimumDate(QDate(1900, 1, 1))
        self.due.setSpecialValueText(T.EDITOR_DUE_NONE)
        self.due.setDate(self.due.minimumDate())
        self.due_hint = QLabel(self.form)
        self.due_hint.setObjectName("taskEditorHint")
        due_row = QHBoxLayout()
        due_row.setContentsMargins(0, 0, 0, 0)
        due_row.addWidget(self.own_due)
        due_row.addWidget(self.due, 1)
        self.owner = _editable(self.form, "")
        self.tags = QLineEdit(self.form)
        self.tags.setPlaceholderText(T.EDITOR_TAGS_PLACEHOLDER)
        self.collection = _editable(self.form, T.EDITOR_COLLECTION_PLACEHOLDER)
        form = QFormLayout(self.form)
        form.setContentsMargins(0, 0, 0, 0)
        for label, field in ((T.EDITOR_STATUS, self.status), (T.EDITOR_PRIORITY, self.priority),
                             (T.EDITOR_DUE, due_row), ("", self.due_hint), (T.EDITOR_OWNER, self.owner),
                             (T.EDITOR_TAGS, self.tags),
                             (T.EDITOR_COLLECTION, self.collection)):
            form.addRow(label, field)
        self.note_label = QLabel(T.EDITOR_NOTE, self)
        self.note = QPlainTextEdit(self)
        self.note.setObjectName("taskNote")
        self.note.setPlaceholderText(T.EDITOR_NOTE_PLACEHOLDER)
        self.hint = QLabel(self)
        self.hint.setObjectName("taskEditorStatus")
        self.hint.setWordWrap(True)
        self.open_button = QPushButton(T.EDITOR_OPEN, self)
        self.delete_button = QPushButton(T.EDITOR_DELETE, self)
        self.save_button = QPushButton(T.EDITOR_SAVE, self)
        self.save_button.setToolTip(T.EDITOR_SAVE_TIP)
        self.save_button.setDefault(True)
        buttons = QHBoxLayout()
        buttons.addWidget(self.open_button)
        buttons.addWidget(self.delete_button)
        buttons.addStretch(1)
        buttons.addWidget(self.save_button)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(8, 0, 0, 0)
        for w in (self.title, self.anchor_box, self.form, self.note_label, self.note, self.hint):
            lay.addWidget(w, 1 if w is self.note else 0)
        lay.addLayout(buttons)

        self.draft_timer = QTimer(self)
        self.draft_timer.setSingleShot(True)
        self.draft_timer.setInterval(DRAFT_DELAY_MS)
        self.draft_timer.timeout.connect(self.save_draft_now)
        self.note.textChanged.connect(self._on_note_changed)
        for combo in (self.status, self.priority):
            combo.currentIndexChanged.connect(self._on_field_changed)
        for combo in (self.owner, self.collection):
            combo.editTextChanged.connect(self._on_field_changed)
        self.tags.textChanged.connect(self._on_field_changed)
        self.own_due.toggled.connect(self._on_own_due_toggled)
        self.due.dateChanged.connect(self._on_field_changed)
        self.save_button.clicked.connect(self.save)
        self.delete_button.clicked.connect(self.delete)
        self.open_button.clicked.connect(self._on_open_clicked)
        self.anchor_box.changed.connect(self._on_anchor_changed)
        self.anchor_box.failed.connect(lambda msg: self._set_hint(msg, error=True))
        self.load(None)

    # -- showing a task ------------------------------------------------------------------------------
    @property
    def task_id(self) -> str | None:
        return None if self.desk_task is None else self.desk_task.id

    def set_options(self, departments: list[str], collections: list[str]) -> None:
        """Department names for 责任部门 and the folders in use for 收藏夹 (keeps what is typed)."""
        self._loading = True
        for combo, names in ((self.owner, departments), (self.collection, collections)):
            text = combo.currentText()
            combo.clear()
            combo.addItems(names)
            combo.setEditText(text)
        self._loading = False

    def load(self, d: DeskTask | None, draft: Draft | None = None) -> None:
        """Show `d` (None: nothing selected). A `draft` that differs from the saved note is shown instead."""
        self.draft_timer.stop()
        self._loading = True
        self.desk_task = d
        self._draft_stored = False
        enabled = d is not None
        for w in (self.form, self.note, self.note_label, self.open_button, self.delete_button):
            w.setEnabled(enabled)
        if d is None:
            self.title.setText(T.EDITOR_EMPTY)
            self.anchor_box.show_task(None)
            for w in (self.tags, self.note):
                w.clear()
            self.owner.setEditText("")
            self.collection.setEditText("")
            self.due_hint.clear()
            self.own_due.setChecked(False)
            self.due.setDate(self.due.minimumDate())
            line = self.owner.lineEdit()
            if line is not None:
                line.setPlaceholderText("")
            self._baseline = {}
            self._loading = False
            self._set_hint("")
            self._update_dirty()
            return
        t = d.task
        self._show_anchor(d)
        self.status.setCurrentIndex(max(0, self.status.findData(t.status)))
        self.priority.setCurrentIndex(max(0, self.priority.findData(t.priority)))
        self._show_due(d, t.due)
        self.owner.setEditText(t.owner or "")
        lead = d.owner if d.owner_source == "lead" and d.owner else ""
        if lead and d.owner_link is not None:  # as everywhere: an inferred lead says so (·推断·62%)
            lead = dept_text(d.owner_link)
        line = self.owner.lineEdit()
        if line is not None:
            line.setPlaceholderText(T.EDITOR_OWNER_PLACEHOLDER.format(lead=f"：{lead}" if lead else ""))
        self.tags.setText(S.NAME_SEPARATOR.join(t.tags))
        self.collection.setEditText(t.collection)
        self._baseline = baseline(t)
        hint = ""
        if draft is not None and draft.text != t.note:
            self.note.setPlainText(draft.text)
            self._draft_stored = True
            hint = T.EDITOR_DRAFT_LOADED.format(time=local_time(draft.updated_at))
        else:
            self.note.setPlainText(t.note)
        self._loading = False
        self._update_dirty()
        self._set_hint(hint)

    def _show_anchor(self, d: DeskTask) -> None:
        t = d.task
        self.title.setText(task_title(t, 0) + (f"\n{t.heading}" if t.heading and t.heading not in t.path else ""))
        self.anchor_box.show_task(d)

    def _clause_due(self, d: DeskTask) -> str | None:
        if d.due_source == "clause":
            self.clause_dues[d.id] = d.due
            return d.due
        return self.clause_dues.get(d.id) if d.due_source == "personal" else None

    def _show_due(self, d: DeskTask, own: str | None) -> None:
        clause_due = self._clause_due(d)
        self.due_hint.setText(T.EDITOR_DUE_CLAUSE.format(date=clause_due) if clause_due else T.EDITOR_DUE_CLAUSE_NONE)
        self.own_due.setChecked(own is not None)
        shown = own or clause_due
        self.due.setDate(QDate.fromString(shown, "yyyy-MM-dd") if shown else QDate.currentDate())
        self.due.setEnabled(own is not None)

    # -- editing -------------------------------------------------------------------------------------
    def values(self) -> dict[str, Any]:
        tags = [t for t in _TAG_SPLIT.split(self.tags.text().strip()) if t]
        return {"status": self.status.currentData(), "priority": self.priority.currentData(),
                "due": self.due.date().toString("yyyy-MM-dd") if self.own_due.isChecked() else None,
                "owner": self.owner.currentText().strip(), "tags": list(dict.fromkeys(tags)),
                "collection": self.collection.currentText().strip(), "note": self.note.toPlainText()}

    def is_dirty(self) -> bool:
        return self.desk_task is not None and self.values() != self._baseline

    def note_dirty(self) -> bool:
        return self.desk_task is not None and self.note.toPlainText() != self._baseline.get("note")

    def _update_dirty(self) -> None:
        dirty = self.is_dirty()
        self.save_button.setEnabled(dirty)
        if dirty and not self.hint.text():
            self._set_hint(T.EDITOR_UNSAVED)
        elif not dirty and self.hint.text() == T.EDITOR_UNSAVED:
            self._set_hint("")

    def _on_field_changed(self, *_args: object) -> None:
        if not self._loading:
            self._update_dirty()

    def _on_own_due_toggled(self, on: bool) -> None:
        self.due.setEnabled(on)
        self._on_field_changed()

    def _on_note_changed(self) -> None:
        if self._loading:
            return
        self._update_dirty()
        if self.note_dirty() or self._draft_stored:
            self.draft_timer.start()  # restarts: the draft is written 2 s after the last keystroke

    def _set_hint(self, text: str, *, error: bool = False) -> None:
        self.hint.setText(text)
        if bool(self.hint.property("error")) != error:
            self.hint.setProperty("error", error)
            self.hint.style().unpolish(self.hint)
            self.hint.style().polish(self.hint)

    # -- drafts --------------------------------------------------------------------------------------
    def save_draft_now(self) -> bool:
        """Write the note as a draft now (on the user thread, after any save still queued); True if queued."""
        self.draft_timer.stop()
        if self.desk_task is None:
            return False
        key, text, user = draft_key(self.desk_task.id), self.note.toPlainText(), self.library.user
        if text == self._baseline.get("note"):
            if not self._draft_stored:
                return False
            self._draft_stored = False
            self.tasks.run_user(lambda: user.clear_draft(key), on_error=self._on_draft_failed, name="clear_draft")
            return True
        self._draft_stored = True
        self.tasks.run_user(lambda: user.save_draft(key, text), self._on_draft_saved, on_error=self._on_draft_failed,
                            name="save_draft")
        return True

    def _on_draft_saved(self, notice: str) -> None:
        if self.note_dirty():
            self._set_hint(T.EDITOR_DRAFT_SAVED.format(time=now_text()) + (f"（{notice}）" if notice else ""))

    def _on_draft_failed(self, exc: BaseException) -> None:
        self._set_hint(error_message(exc), error=True)

    # -- saving --------------------------------------------------------------------------------------
    def save(self) -> None:
        """保存 / Ctrl+S: every field in one transaction; the note's draft is cleared once it is saved."""
        if not self.is_dirty() or self.desk_task is None:
            return
        self.draft_timer.stop()
        tid, values, lib = self.desk_task.id, self.values(), self.library

        def work() -> DeskTask:
            t = lib.user.update_task(tid, **values)
            lib.user.clear_draft(draft_key(tid))
            return lib.desk.view(t)

        self._set_hint(T.EDITOR_SAVING)
        self.tasks.run_user(work, lambda d: self._on_saved(d, values),
                            on_error=lambda exc: self._on_save_failed(tid, exc), name="save_task")

    def _on_saved(self, d: DeskTask, sent: dict[str, Any]) -> None:
        emit(self.saved, d)
        if d.id != self.task_id:
            return  # saved on the way to another task: the table row shows it
        self.desk_task = d
        self._draft_stored = False
        self._baseline = dict(sent)
        if self.values() == sent and d.task.note != sent["note"]:  # cleaned on the way in (NUL, lone surrogate)
            self._loading = True
            self.note.setPlainText(d.task.note)
            self._loading = False
            self._baseline = baseline(d.task)
        self._show_anchor(d)
        clause_due = self._clause_due(d)
        self.due_hint.setText(T.EDITOR_DUE_CLAUSE.format(date=clause_due) if clause_due else T.EDITOR_DUE_CLAUSE_NONE)
        self._update_dirty()
        notice = d.task.notice
        self._set_hint(T.EDITOR_SAVED.format(time=now_text()) + (f"（{notice}）" if notice else ""))
        if self.note_dirty():
            self.draft_timer.start()  # typed on while the save ran

    def _on_save_failed(self, tid: str, exc: BaseException) -> None:
        msg = T.EDITOR_SAVE_FAILED.format(error=error_message(exc))
        emit(self.message, msg)
        if tid == self.task_id:  # everything typed stays in the editor; 保存 can be pressed again
            self._set_hint(msg, error=True)
            self.save_button.setEnabled(True)

    def commit_if_dirty(self) -> bool:
        """Leaving this task (another row selected): save what was changed. True when a save was started."""
        if not self.is_dirty() or self.desk_task is None:
            return False
        title = task_title(self.desk_task.task)
        self.save()
        emit(self.message, T.TASK_AUTOSAVED.format(title=title))
        return True

    # -- delete, open, anchors -----------------------------------------------------------------------
    def delete(self) -> None:
        if self.desk_task is None:
            return
        t, lib = self.desk_task.task, self.library

        def work() -> Task:
            lib.user.delete_task(t.id)
            lib.user.clear_draft(draft_key(t.id))
            return t

        self.draft_timer.stop()
        self.tasks.run_user(work, lambda task: emit(self.deleted, task),
                            on_error=lambda exc: self._set_hint(error_message(exc), error=True), name="delete_task")

    def _on_open_clicked(self) -> None:
        if self.desk_task is None:
            return
        if self.desk_task.task.anchor_state == "missing":
            self._set_hint(T.TIP_ANCHOR_MISSING, error=True)
            return
        emit(self.open_clause, self.desk_task.task.clause_id)

    def _on_anchor_changed(self, d: DeskTask, message: str) -> None:
        emit(self.saved, d)
        if d.id == self.task_id:
            self.desk_task = d
            self._show_anchor(d)
            self._set_hint(message)
        emit(self.message, message)


def _combo(parent: QWidget, items: list[tuple[str, Any]]) -> QComboBox:
    c = QComboBox(parent)
    for label, data in items:
        c.addItem(label, data)
    return c


def _editable(parent: QWidget, placeholder: str) -> QComboBox:
    c = QComboBox(parent)
    c.setEditable(True)
    c.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
    line = c.lineEdit()
    if line is not None:
        line.setPlaceholderText(placeholder)
    return c
