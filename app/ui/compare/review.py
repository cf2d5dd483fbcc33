"""核对迁移的任务和意见: after a new version is linked, what became of the tasks and comments on the old one.

The summary line (任务 3 个：2 个已定位到新版本，1 个条款内容已修改；待核对 1 项), then one card per item
whose clause changed, vanished or could not take it: its state, where it was and is, the old text with the
edit marked inline (deleted struck through, added underlined), and 转到条款 / 确认 (the edited clause's new
text becomes the item's anchor). An item with no counterpart in the new version has 知道了 instead: it
stays on the old clause, flagged in 我的任务 until re-attached, and is listed again next time. Nothing is
dropped silently. The dialog asks; the controller writes.
"""

from __future__ import annotations

import html

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from app.ui.common import theme
from app.ui.common.lazyview import em
from app.ui.common.qtcompat import emit
from app.ui.compare import strings as T
from app.ui.compare.diffhtml import status_colours, text_change_html, with_inline_styles
from app.ui.compare.work import CarryResult, ReviewRow

REVIEW_QSS = """
QLabel#reviewHead {{ font-size: 15px; font-weight: 600; color: {heading}; }}
QLabel#reviewSummary {{ color: {text}; font-weight: 600; }}
QLabel#reviewIntro {{ color: {muted}; }}
QFrame#reviewCard {{ background: {panel_alt}; border: 1px solid {border}; border-radius: 4px; }}
QFrame#reviewCard QLabel {{ background: transparent; border: none; }}
QLabel#reviewWhere {{ color: {faint}; }}
QLabel#reviewText {{ color: {text}; font-size: 14px; }}
QLabel#reviewDone {{ color: {urg_done}; font-weight: 600; }}
"""
_STATE_STATUS = {"changed": "modified", "missing": "deleted", "conflict": "moved"}  # colour like 对照


class ReviewCard(QFrame):
    """One item to review."""

    def __init__(self, row: ReviewRow, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("reviewCard")
        self.row = row
        it = row.item
        self.head = QLabel(self)
        self.head.setTextFormat(Qt.TextFormat.RichText)
        self.head.setWordWrap(True)
        self.where = QLabel(self)
        self.where.setObjectName("reviewWhere")
        self.where.setWordWrap(True)
        wheres = [T.REVIEW_OLD_WHERE.format(where=row.old_where)] if row.old_where else []
        if row.new_where:
            wheres.append(T.REVIEW_NEW_WHERE.format(where=row.new_where))
        self.where.setText("　".join(wheres))
        self.where.setVisible(bool(wheres))
        self.text = QLabel(self)
        self.text.setObjectName("reviewText")
        self.text.setTextFormat(Qt.TextFormat.RichText)
        self.text.setWordWrap(True)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.goto_button = QPushButton(T.REVIEW_GOTO, self)
        self.goto_button.setToolTip(T.REVIEW_GOTO_TIP)
        self.goto_button.setEnabled(row.goto is not None)
        changed = it.state == "changed"  # 确认 takes the new text; otherwise there is none to take
        self.confirm_button = QPushButton(T.REVIEW_CONFIRM if changed else T.REVIEW_ACK, self)
        self.confirm_button.setToolTip(T.REVIEW_CONFIRM_TIP_CHANGED if changed else T.REVIEW_ACK_TIP)
        self.done = QLabel(T.REVIEW_CONFIRMED if changed else T.REVIEW_ACKED, self)
        self.done.setObjectName("reviewDone")
        self.done.hide()
        buttons = QHBoxLayout()
        buttons.setContentsMargins(0, 0, 0, 0)
        buttons.addStretch(1)
        buttons.addWidget(self.done)
        buttons.addWidget(self.goto_button)
        buttons.addWidget(self.confirm_button)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(10, 8, 10, 8)
        lay.setSpacing(4)
        lay.addWidget(self.head)
        lay.addWidget(self.where)
        lay.addWidget(self.text)
        lay.addLayout(buttons)
        self.restyle()

    def restyle(self) -> None:
        t = theme.current()
        it = self.row.item
        fg, bg = status_colours(t)[_STATE_STATUS.get(it.state, "modified")]
        self.head.setText(f'<span style="color:{fg}; background-color:{bg};">&nbsp;{html.escape(it.state_label)}'
                          f"&nbsp;</span>&nbsp;&nbsp;<b>{html.escape(T.REVIEW_ITEM.format(kind=it.kind_label, title=it.title))}</b>")
        change = text_change_html(it.old_text, it.new_text)
        if change:
            self.text.setText(with_inline_styles(change, t))
        else:
            self.text.setText(html.escape(T.REVIEW_OLD_ONLY.format(text=" ".join(it.old_text.split()))))

    def mark_confirmed(self) -> None:
        self.confirm_button.hide()
        self.done.show()


class CarryReviewDialog(QDialog):
    """The review list of one carry-over; `open_clause(id)`, `confirm_requested(card index)`."""

    open_clause = Signal(str)
    confirm_requested = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("carryReviewDialog")
        self.setWindowTitle(T.REVIEW_TITLE)
        self.result: CarryResult | None = None
        self.cards: list[ReviewCard] = []
        self.head = QLabel(self)
        self.head.setObjectName("reviewHead")
        self.head.setWordWrap(True)
        self.summary = QLabel(T.REVIEW_RUNNING, self)
        self.summary.setObjectName("reviewSummary")
        self.summary.setWordWrap(True)
        self.intro = QLabel(T.REVIEW_INTRO, self)
        self.intro.setObjectName("reviewIntro")
        self.intro.setWordWrap(True)
        self.intro.hide()
        self.list = QWidget()
        self.list_layout = QVBoxLayout(self.list)
        self.list_layout.setContentsMargins(0, 0, 4, 0)
        self.list_layout.setSpacing(8)
        self.empty_label = ReviewEmpty(self.list)
        self.empty_label.hide()
        self.list_layout.addWidget(self.empty_label)
        self.list_layout.addStretch(1)
        self.scroll = QScrollArea(self)
        self.scroll.setObjectName("reviewScroll")
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll.setWidget(self.list)
        self.close_button = QPushButton(T.REVIEW_CLOSE, self)
        self.close_button.clicked.connect(self.accept)
        bottom = QHBoxLayout()
        bottom.addStretch(1)
        bottom.addWidget(self.close_button)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(16, 14, 16, 12)
        lay.setSpacing(8)
        lay.addWidget(self.head)
        lay.addWidget(self.summary)
        lay.addWidget(self.intro)
        lay.addWidget(self.scroll, 1)
        lay.addLayout(bottom)
        self.resize(em(self, 62), em(self, 42))
        self.restyle()

    def set_result(self, result: CarryResult) -> None:
        self.result = result
        self.head.setText(T.REVIEW_HEAD.format(old=result.old_title, new=result.new_title))
        self.summary.setText(result.summary_line())
        for card in self.cards:
            self.list_layout.removeWidget(card)
            card.deleteLater()
        self.cards = []
        self.intro.setVisible(bool(result.rows))
        self.empty_label.setVisible(not result.rows)
        for n, row in enumerate(result.rows):
            card = ReviewCard(row, self.list)
            card.goto_button.clicked.connect(lambda _c=False, r=row: self._goto(r))
            if row.item.state == "changed":
                card.confirm_button.clicked.connect(lambda _c=False, n=n: emit(self.confirm_requested, n))
            else:  # nothing to write: the item stays flagged (⚠ in 我的任务) until the user re-attaches it
                card.confirm_button.clicked.connect(card.mark_confirmed)
            self.list_layout.insertWidget(n, card)
            self.cards.append(card)

    def mark_confirmed(self, index: int) -> None:
        if 0 <= index < len(self.cards):
            self.cards[index].mark_confirmed()

    def _goto(self, row: ReviewRow) -> None:
        if row.goto:
            emit(self.open_clause, row.goto)

    def restyle(self) -> None:
        t = theme.current()
        self.setStyleSheet(REVIEW_QSS.format(**{k: getattr(t, k) for k in t.__dataclass_fields__}))
        for card in self.cards:
            card.restyle()


class ReviewEmpty(QLabel):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(T.REVIEW_EMPTY, parent)
        self.setObjectName("reviewIntro")
        self.setWordWrap(True)
