"""The reading pane's part of commenting: 提意见 and the 意见 N badge in the header row (next to ☆ 收藏),
提意见… at the top of the text's context menu, and which clause and passage a selection is
(`selection_target`: each clause of the context starts with a named anchor, `app.ui.reader.render.CLAUSE_ANCHOR`).
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QPoint, Qt, Signal
from PySide6.QtGui import QTextCursor, QTextDocument
from PySide6.QtWidgets import QHBoxLayout, QMenu, QToolButton

from app.ui.comments import strings as T
from app.ui.comments.style import apply
from app.ui.common.qtcompat import emit
from app.ui.common.theme import Theme
from app.ui.reader.clauseview import ClauseView, ReaderPane
from app.ui.reader.render import CLAUSE_ANCHOR

PARAGRAPH_BREAKS = str.maketrans({"\u2029": "\n", "\u2028": "\n"})


@dataclass(frozen=True)
class Selection:
    """What 提意见 in the reader is about: a clause, and the passage selected in it ("" for all of it)."""

    clause_id: str
    quote: str = ""
    offset: int | None = None  # roughly where the passage starts in the clause (picks among repeats)


def clause_marks(doc: QTextDocument, selected: str) -> list[tuple[int, str | None]]:
    """(position, clause id) where each clause of the reader's text starts, in order; (position, None) where
    the selected clause's tinted table ends (what follows belongs to the next anchor)."""
    marks: list[tuple[int, str | None]] = []
    table_done = False
    block = doc.begin()
    while block.isValid():
        if not table_done:
            table = QTextCursor(block).currentTable()
            if table is not None:
                marks.append((table.firstPosition(), selected))
                marks.append((table.lastPosition() + 1, None))
                table_done = True
        it = block.begin()
        while not it.atEnd():
            frag = it.fragment()
            for name in frag.charFormat().anchorNames():
                if name.startswith(CLAUSE_ANCHOR):
                    marks.append((frag.position(), name[len(CLAUSE_ANCHOR):]))
            it += 1
        block = block.next()
    marks.sort(key=lambda m: m[0])
    return marks


def selection_target(view: ClauseView) -> Selection | None:
    """The clause (and passage) the reader's selection is in: the clause shown when nothing is selected;
    a selection spanning clauses is cut at the end of the clause it starts in. None: nothing is shown."""
    r = view.rendered
    if r is None:
        return None
    cur = view.textCursor()
    if not cur.hasSelection():
        return Selection(r.clause_id)
    start, end = cur.selectionStart(), cur.selectionEnd()
    marks = clause_marks(view.document(), r.clause_id)
    owner: str | None = None
    begin, stop = 0, view.document().characterCount()
    for n, (pos, cid) in enumerate(marks):
        if pos > start:
            break
        owner, begin = cid, pos
        stop = marks[n + 1][0] if n + 1 < len(marks) else view.document().characterCount()
    if owner is None:  # the title and notes above the first clause: the clause shown, as a whole
        return Selection(r.clause_id)
    part = QTextCursor(view.document())
    part.setPosition(max(start, begin))
    part.setPosition(min(end, stop), QTextCursor.MoveMode.KeepAnchor)
    quote = part.selectedText().translate(PARAGRAPH_BREAKS).strip()
    return Selection(owner, quote, max(0, start - begin)) if quote else Selection(owner)


class ReaderComments(QToolButton):
    """The 提意见 button of the reader's header row; owns the 意见 N badge beside it and the context menu.

    `comment_requested(Selection)` asks the window to open the editor; `badge_clicked(clause_id)` to list
    the comments on the clause shown."""

    comment_requested = Signal(object)
    badge_clicked = Signal(str)

    def __init__(self, pane: ReaderPane) -> None:
        super().__init__(pane.header_row)
        self.pane, self.view = pane, pane.view
        self.counts: dict[str, int] = {}
        self.setObjectName("commentButton")
        self.setText(T.READER_BUTTON)
        self.setToolTip(T.READER_BUTTON_TIP)
        self.setAutoRaise(True)
        self.badge = QToolButton(pane.header_row)
        self.badge.setObjectName("commentBadge")
        self.badge.setCursor(Qt.CursorShape.PointingHandCursor)
        self.badge.hide()
        row = pane.header_row.layout()
        if isinstance(row, QHBoxLayout):
            at = row.indexOf(pane.bookmark_button)
            row.insertWidget(at if at >= 0 else row.count(), self.badge, 0, Qt.AlignmentFlag.AlignVCenter)
            row.insertWidget(at + 1 if at >= 0 else row.count(), self, 0, Qt.AlignmentFlag.AlignVCenter)
        self.clicked.connect(self.request)
        self.badge.clicked.connect(self._on_badge_clicked)
        self.view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.view.customContextMenuRequested.connect(self._on_context_menu)
        self.view.clause_loaded.connect(lambda _r: self.update_badge())
        self.view.header_changed.connect(lambda _t: self.update_badge())
        self.restyle()

    def restyle(self, t: Theme | None = None) -> None:
        apply(self, self.badge, t=t)

    def request(self) -> None:
        """提意见 on what the reader shows (the selected passage, else the whole clause)."""
        target = selection_target(self.view)
        if target is not None:
            emit(self.comment_requested, target)

    def set_counts(self, counts: dict[str, int]) -> None:
        self.counts = dict(counts)
        self.update_badge()

    def update_badge(self) -> None:
        cid = self.view.current_clause_id
        n = self.counts.get(cid, 0) if cid else 0
        self.badge.setText(T.READER_BADGE.format(n=n))
        self.badge.setToolTip(T.READER_BADGE_TIP.format(n=n))
        self.badge.setVisible(n > 0)

    def _on_badge_clicked(self) -> None:
        cid = self.view.current_clause_id
        if cid:
            emit(self.badge_clicked, cid)

    def _on_context_menu(self, pos: QPoint) -> None:
        menu = self.view.createStandardContextMenu()
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        if self.view.rendered is not None:
            self.add_to_menu(menu)
        menu.popup(self.view.viewport().mapToGlobal(pos))

    def add_to_menu(self, menu: QMenu) -> None:
        selected = self.view.textCursor().hasSelection()
        act = menu.addAction(f"{T.MENU_COMMENT_SELECTION if selected else T.MENU_COMMENT_CLAUSE}\t{T.SHORTCUT}")
        act.setObjectName("commentMenuAction")
        act.triggered.connect(self.request)
        first = menu.actions()[0]
        if first is not act:
            menu.insertAction(first, act)
            menu.insertSeparator(first)
