"""The correction dialog: set a clause's 牵头单位, 配合单位 and 完成时限 by hand (Library.set_links).

The fields open with what the pane shows. Only what the user changes is saved (plus what was already
set by hand), so an inference left untouched never turns into a 手工 fact. Saving runs on the write
thread; an error (an unreadable deadline) is shown in Chinese and the dialog stays open with the text.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QStringListModel, Qt, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QCompleter,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.core.library import Library
from app.core.links.service import ClauseLinks
from app.core.models import Deadline
from app.core.progress import CancelToken
from app.ui.common import strings as S
from app.ui.common.linksformat import by_role, names_text
from app.ui.common.qtcompat import emit
from app.ui.common.tasks import ProgressFn, TaskManager
from app.ui.reader import strings as T

_SEPARATORS = re.compile(r"[、，,；;\s]+")
_LAST_SEPARATOR = re.compile(r"^(.*[、，,；;\s])?([^、，,；;\s]*)$", re.S)


def split_names(text: str) -> list[str]:
    """'市水务局、 市绿化市容局,市发展改革委' → three names; duplicates dropped, order kept."""
    out: list[str] = []
    for name in _SEPARATORS.split(text.strip()):
        if name and name not in out:
            out.append(name)
    return out


def current_names(links: ClauseLinks, role: str) -> list[str]:
    return [d.name for d in by_role(links)[role][0]]


def has_user(links: ClauseLinks, role: str) -> bool:
    return any(d.source == "user" and d.role == role for d in links.departments)


def deadline_prefill(dl: Deadline | None) -> str:
    if dl is None:
        return ""
    if dl.source == "user" and dl.quote:
        return dl.quote  # what the user typed
    return dl.date or str(dl.year)


def is_inferred(links: ClauseLinks, role: str) -> bool:
    depts = by_role(links)[role][0]
    return bool(depts) and all(d.source == "inferred" for d in depts)


def correction(links: ClauseLinks, lead_text: str, support_text: str, deadline_text: str) -> dict[str, Any]:
    """`set_links` keyword arguments for what the fields say.

    A field counts when the user changed it, or when it holds an earlier 手工 value (kept; the engine
    replaces a correction as a whole). An emptied field means "use what the text says" (None).
    """
    out: dict[str, Any] = {}
    for role, text in (("lead", lead_text), ("support", support_text)):
        names = split_names(text)
        changed = names != current_names(links, role)
        out[role] = (names or None) if changed or has_user(links, role) else None
    typed = deadline_text.strip()
    dl = links.deadline
    changed = typed != deadline_prefill(dl)
    out["deadline"] = (typed or None) if changed or (dl is not None and dl.source == "user") else None
    return out


def has_correction(links: ClauseLinks) -> bool:
    return any(d.source == "user" for d in links.departments) or (
        links.deadline is not None and links.deadline.source == "user")


class NameCompleter(QCompleter):
    """Completes the name after the last 、 of a list, so several departments can be picked in turn."""

    def __init__(self, names: Sequence[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setModel(QStringListModel(list(names), self))
        self.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.setFilterMode(Qt.MatchFlag.MatchContains)
        self.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.setMaxVisibleItems(12)

    def splitPath(self, path: str) -> list[str]:
        m = _LAST_SEPARATOR.match(path)
        return [m.group(2) if m else path]

    def pathFromIndex(self, index: QModelIndex | QPersistentModelIndex) -> str:
        widget = self.widget()
        typed = widget.text() if isinstance(widget, QLineEdit) else ""
        m = _LAST_SEPARATOR.match(typed)
        head = (m.group(1) or "") if m else ""
        if head and not head.endswith(S.NAME_SEPARATOR):
            head = head.rstrip(" ,，;；") + S.NAME_SEPARATOR
        return head + str(index.data())


class LinksDialog(QDialog):
    """Edit one clause's links; `saved(clause_id, ClauseLinks, cleared)` after a successful write."""

    saved = Signal(str, object, bool)

    def __init__(self, library: Library, tasks: TaskManager, clause_id: str, title: str, links: ClauseLinks,
                 names: Sequence[str] | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("linksDialog")
        self.setWindowTitle(T.LINKS_DIALOG_TITLE)
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.setMinimumWidth(self.fontMetrics().horizontalAdvance("中") * 34)  # grows with the font
        self.library, self.tasks = library, tasks
        self.clause_id, self.links = clause_id, links
        self.saving = False

        intro = QLabel(T.LINKS_DIALOG_INTRO, self)
        intro.setObjectName("linksDialogIntro")  # colours: the window's style sheet (app.ui.common.theme)
        intro.setWordWrap(True)
        heading = QLabel(title, self)
        heading.setObjectName("linksDialogClause")
        heading.setTextFormat(Qt.TextFormat.PlainText)
        heading.setWordWrap(True)

        self.lead = self._names_field("linksLead", current_names(links, "lead"))
        self.support = self._names_field("linksSupport", current_names(links, "support"))
        self.deadline = QLineEdit(deadline_prefill(links.deadline), self)
        self.deadline.setObjectName("linksDeadline")
        self.deadline.setPlaceholderText(T.LINKS_DIALOG_DEADLINE_PLACEHOLDER)
        self.deadline.setClearButtonEnabled(True)

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        form.setVerticalSpacing(6)
        for caption, field, role in ((T.LINKS_DIALOG_LEAD, self.lead, "lead"),
                                     (T.LINKS_DIALOG_SUPPORT, self.support, "support")):
            form.addRow(caption, field)
            if is_inferred(links, role):
                note = QLabel(T.LINKS_DIALOG_INFERRED_NOTE, self)
                note.setObjectName("linksDialogNote")
                form.addRow("", note)
        form.addRow(T.LINKS_DIALOG_DEADLINE, self.deadline)

        self.buttons = QDialogButtonBox(self)
        self.save_button = QPushButton(T.LINKS_DIALOG_SAVE, self)
        self.save_button.setDefault(True)
        self.clear_button = QPushButton(T.LINKS_DIALOG_CLEAR, self)
        self.clear_button.setEnabled(has_correction(links))
        self.cancel_button = QPushButton(S.LINKS_DIALOG_CANCEL, self)
        self.buttons.addButton(self.save_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton(self.clear_button, QDialogButtonBox.ButtonRole.ResetRole)
        self.buttons.addButton(self.cancel_button, QDialogButtonBox.ButtonRole.RejectRole)
        self.save_button.clicked.connect(self.save)
        self.clear_button.clicked.connect(self.clear_correction)
        self.cancel_button.clicked.connect(self.reject)

        lay = QVBoxLayout(self)
        lay.setContentsMargins(18, 16, 18, 14)
        lay.setSpacing(10)
        lay.addWidget(intro)
        lay.addWidget(heading)
        lay.addLayout(form)
        lay.addWidget(self.buttons)
        if names:
            self.set_names(names)
        self.lead.setFocus()

    def _names_field(self, name: str, current: list[str]) -> QLineEdit:
        field = QLineEdit(names_text(current), self)
        field.setObjectName(name)
        field.setPlaceholderText(T.LINKS_DIALOG_NAMES_PLACEHOLDER)
        field.setClearButtonEnabled(True)
        return field

    def set_names(self, names: Sequence[str]) -> None:
        """The knowledge base's department names, for completion (they arrive from a read task)."""
        for field in (self.lead, self.support):
            field.setCompleter(NameCompleter(names, field))

    # -- saving ------------------------------------------------------------------------------------
    def save(self) -> None:
        if self.saving:
            return
        kwargs = correction(self.links, self.lead.text(), self.support.text(), self.deadline.text())
        if all(v is None for v in kwargs.values()) and not has_correction(self.links):
            self.accept()  # nothing changed and nothing to undo
            return
        self._write(kwargs, cleared=all(v is None for v in kwargs.values()))

    def clear_correction(self) -> None:
        if not self.saving:
            self._write({"lead": None, "support": None, "deadline": None}, cleared=True)

    def _write(self, kwargs: dict[str, Any], *, cleared: bool) -> None:
        lib, cid = self.library, self.clause_id

        def work(_progress: ProgressFn, _cancel: CancelToken) -> ClauseLinks:
            return lib.set_links(cid, **kwargs)

        self._set_saving(True)
        self.tasks.run_write(work, lambda links: self._on_saved(links, cleared),
                             on_error=self._on_save_failed, on_cancelled=lambda: self._set_saving(False),
                             name="set_links")

    def _on_saved(self, links: ClauseLinks, cleared: bool) -> None:
        self._set_saving(False)
        self.links = links
        emit(self.saved, self.clause_id, links, cleared)
        self.accept()

    def _on_save_failed(self, exc: BaseException) -> None:
        from app.ui.common.dialogs import show_error

        self._set_saving(False)
        show_error(self, exc)  # the dialog stays open, the user's text untouched

    def _set_saving(self, saving: bool) -> None:
        self.saving = saving
        for w in (self.save_button, self.cancel_button, self.lead, self.support, self.deadline):
            w.setEnabled(not saving)
        self.clear_button.setEnabled(not saving and has_correction(self.links))

    def reject(self) -> None:
        if not self.saving:  # a write in flight reports back to this dialog: let it finish
            super().reject()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.saving:
            event.ignore()
            return
        super().closeEvent(event)
