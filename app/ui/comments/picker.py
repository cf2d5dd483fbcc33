"""Choosing a clause of the library: `ClausePicker` (a search box and its hits, searched on a read thread)
inside `ClausePickerDialog` (添加引用条款, 重新关联条款), and `CitedList` (the clauses a comment's reason
cites, each shown by its citation with 移除)."""

from __future__ import annotations

import html

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.core.errors import NotFoundError
from app.core.library import Library
from app.ui.comments import strings as T
from app.ui.common.dialogs import error_message
from app.ui.common.lazyview import em
from app.ui.common.qtcompat import emit
from app.ui.common.tasks import TaskManager

PICK_LIMIT = 30
IdRole = Qt.ItemDataRole.UserRole + 1


def find_clauses(library: Library, query: str) -> list[tuple[str, str, str]]:
    """Worker-side: (clause id, 《文件》 › 路径, text snippet) for `query`; a clause id finds itself first."""
    q = query.strip()
    found: list[tuple[str, str, str]] = []
    if "/" in q:
        try:
            c = library.clause(q)
            found.append((c.id, library.comments.citation(c.id), c.full_text[:80]))
        except NotFoundError:
            pass
    for h in library.search(q, limit=PICK_LIMIT).hits:
        if any(f[0] == h.id for f in found):
            continue
        label = " › ".join([f"《{h.doc_title}》", *h.path])
        snippet = html.unescape(h.snippet.replace("<mark>", "").replace("</mark>", ""))
        found.append((h.id, label, " ".join(snippet.split())))
    return found


class ClausePicker(QWidget):
    """Search box + hits; `chosen(clause_id, label)` on a double-click or Enter on a hit."""

    chosen = Signal(str, str)

    def __init__(self, library: Library, tasks: TaskManager, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.library, self.tasks = library, tasks
        self._seq = 0
        self.box = QLineEdit(self)
        self.box.setObjectName("clausePickerBox")
        self.box.setPlaceholderText(T.PICK_PLACEHOLDER)
        self.box.setClearButtonEnabled(True)
        self.status = QLabel(T.PICK_HINT, self)
        self.status.setObjectName("clausePickerStatus")
        self.status.setWordWrap(True)
        self.list = QListWidget(self)
        self.list.setObjectName("clausePickerList")
        self.list.setWordWrap(True)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.setResizeMode(QListWidget.ResizeMode.Adjust)
        self.list.setAlternatingRowColors(True)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.box)
        lay.addWidget(self.status)
        lay.addWidget(self.list, 1)
        self.box.returnPressed.connect(self.search)
        self.list.itemActivated.connect(self._on_item_activated)

    def search(self, query: str | None = None) -> None:
        q = (self.box.text() if query is None else query).strip()
        if query is not None:
            self.box.setText(query)
        if not q:
            return
        self._seq += 1
        seq, lib = self._seq, self.library
        self.status.setText(T.PICK_SEARCHING)
        self.tasks.run_read(lambda: find_clauses(lib, q), lambda r: self._on_found(seq, r),
                            on_error=lambda exc: self._on_failed(seq, exc), name="pick_clause")

    def _on_found(self, seq: int, found: list[tuple[str, str, str]]) -> None:
        if seq != self._seq:
            return
        self.list.clear()
        for cid, label, snippet in found:
            it = QListWidgetItem(f"{label}\n{snippet}")
            it.setData(IdRole, cid)
            it.setData(Qt.ItemDataRole.UserRole, label)
            it.setToolTip(cid)
            self.list.addItem(it)
        self.status.setText(T.PICK_COUNT.format(n=len(found)) if found else T.PICK_NONE)
        if found:
            self.list.setCurrentRow(0)

    def _on_failed(self, seq: int, exc: BaseException) -> None:
        if seq == self._seq:
            self.status.setText(error_message(exc))

    def current(self) -> tuple[str, str] | None:
        it = self.list.currentItem()
        return (str(it.data(IdRole)), str(it.data(Qt.ItemDataRole.UserRole))) if it is not None else None

    def _on_item_activated(self, _item: QListWidgetItem) -> None:
        cur = self.current()
        if cur is not None:
            emit(self.chosen, *cur)


class ClausePickerDialog(QDialog):
    """添加引用条款 (stays open to add several) or 重新关联条款 (closes on the choice)."""

    chosen = Signal(str, str)  # clause id, its label

    def __init__(self, library: Library, tasks: TaskManager, parent: QWidget | None = None, *,
                 reattach: bool = False, query: str = "") -> None:
        super().__init__(parent)
        self.setObjectName("clausePickerDialog")
        self.reattach = reattach
        self.setWindowTitle(T.PICK_REATTACH_TITLE if reattach else T.PICK_TITLE)
        self.resize(em(self, 40), em(self, 26))
        self.picker = ClausePicker(library, tasks, self)
        if reattach:
            self.picker.status.setText(T.PICK_REATTACH_HINT)
        self.choose_button = QPushButton(T.PICK_REATTACH if reattach else T.PICK_ADD, self)
        self.choose_button.setDefault(False)
        self.choose_button.setAutoDefault(False)
        close = QPushButton(T.PICK_CLOSE, self)
        close.setAutoDefault(False)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.choose_button)
        buttons.addWidget(close)
        lay = QVBoxLayout(self)
        lay.addWidget(self.picker, 1)
        lay.addLayout(buttons)
        self.choose_button.clicked.connect(self._choose_current)
        close.clicked.connect(self.reject)
        self.picker.chosen.connect(self._choose)
        if query:
            self.picker.search(query)

    def _choose_current(self) -> None:
        cur = self.picker.current()
        if cur is not None:
            self._choose(*cur)

    def _choose(self, clause_id: str, label: str) -> None:
        emit(self.chosen, clause_id, label)
        if self.reattach:
            self.accept()


class CitedList(QWidget):
    """The clauses a comment cites: one row each (its citation), 移除 for the selected, 添加… to pick more."""

    add_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.list = QListWidget(self)
        self.list.setObjectName("citedList")
        self.list.setWordWrap(True)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.setResizeMode(QListWidget.ResizeMode.Adjust)
        self.list.setMaximumHeight(em(self, 5.2))
        self.add_button = QPushButton(T.EDITOR_CITED_ADD, self)
        self.add_button.setToolTip(T.EDITOR_CITED_ADD_TIP)
        self.add_button.setAutoDefault(False)
        self.remove_button = QPushButton(T.EDITOR_CITED_REMOVE, self)
        self.remove_button.setAutoDefault(False)
        side = QVBoxLayout()
        side.setContentsMargins(0, 0, 0, 0)
        side.addWidget(self.add_button)
        side.addWidget(self.remove_button)
        side.addStretch(1)
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.list, 1)
        lay.addLayout(side)
        self.add_button.clicked.connect(lambda: emit(self.add_requested))
        self.remove_button.clicked.connect(self.remove_current)
        self.list.currentRowChanged.connect(lambda _r: self._update())
        self._update()

    def ids(self) -> list[str]:
        return [str(self.list.item(n).data(IdRole)) for n in range(self.list.count())]

    def add(self, clause_id: str, label: str) -> bool:
        """Add a cited clause (False when it is already there)."""
        if clause_id in self.ids():
            return False
        it = QListWidgetItem(label or clause_id)
        it.setData(IdRole, clause_id)
        it.setToolTip(clause_id)
        self.list.addItem(it)
        self._update()
        return True

    def set_label(self, clause_id: str, label: str) -> None:
        for n in range(self.list.count()):
            it = self.list.item(n)
            if it.data(IdRole) == clause_id:
                it.setText(label)

    def remove_current(self) -> None:
        row = self.list.currentRow()
        if row >= 0:
            self.list.takeItem(row)
        self._update()

    def _update(self) -> None:
        self.remove_button.setEnabled(self.list.currentRow() >= 0)
        self.list.setToolTip("" if self.list.count() else T.EDITOR_CITED_NONE)
