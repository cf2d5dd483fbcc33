"""The 条款信息 box above the reading pane: the selected clause's departments, indicators and deadline.

The text comes from `app.ui.common.linksformat` (pure, shared with the result rows); this module only lays
it out. 原文, 分工表 and 手工 are solid chips; 推断 is a dashed, grey, italic chip with its confidence
and the evidence in the tooltip, so an inference never looks like a fact. Generic actors (各级人民政府,
有关部门 …) are plain text.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.core.links.service import ClauseLinks
from app.core.models import DepartmentLink, Indicator
from app.ui.common import strings as S
from app.ui.common.flowlayout import FlowLayout
from app.ui.common.linksformat import (
    ROLES,
    by_role,
    chip_html,
    deadline_html,
    deadline_text,
    deadline_tooltip,
    dept_tag,
    dept_tooltip,
    indicator_html,
    indicator_text,
    names_text,
    source_of,
    tip_html,
)
from app.ui.common.qtcompat import emit
from app.ui.reader import strings as T

CHIP_LIMIT = 6  # chips shown per role before "另 N 个…"
INDICATOR_LIMIT = 4


class Chip(QLabel):
    """One department with its provenance tag; the evidence is in the tooltip."""

    def __init__(self, link: DepartmentLink, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.link = link
        self.tag = dept_tag(link)
        self.setTextFormat(Qt.TextFormat.RichText)
        self.setText(chip_html(link))
        self.setProperty("chip", source_of(link))
        self.setToolTip(tip_html(dept_tooltip(link)))
        self.setAccessibleName(f"{link.name} {self.tag}")

    @property
    def plain(self) -> str:
        return f"{self.link.name}·{self.tag}"


def _label(text: str, kind: str, parent: QWidget, *, rich: bool = False, tip: str = "") -> QLabel:
    lab = QLabel(parent)
    lab.setTextFormat(Qt.TextFormat.RichText if rich else Qt.TextFormat.PlainText)
    lab.setText(text)
    lab.setProperty("kind", kind)
    if tip:
        lab.setToolTip(tip_html(tip))
    return lab


class LinksPanel(QFrame):
    """Shows one clause's links; `edit_requested` asks for the correction dialog."""

    edit_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("linksPanel")  # styled by the window's style sheet (app.ui.common.theme)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        self.clause_id: str | None = None
        self.links = ClauseLinks()
        self.chips: list[Chip] = []
        self.indicator_labels: list[QLabel] = []
        self.deadline_label: QLabel | None = None
        self.more_buttons: list[QToolButton] = []
        self._plain: list[str] = []

        self.title = QLabel(S.LINKS_TITLE, self)
        self.title.setObjectName("linksTitle")
        self.title.setToolTip(T.LINKS_LEGEND)
        self.edit_button = QPushButton(T.LINKS_EDIT, self)
        self.edit_button.setObjectName("linksEdit")
        self.edit_button.setToolTip(T.LINKS_EDIT_TOOLTIP)
        self.edit_button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self.edit_button.clicked.connect(self._on_edit_clicked)
        top = QHBoxLayout()
        top.setContentsMargins(0, 0, 0, 0)
        top.addWidget(self.title)
        top.addStretch(1)
        top.addWidget(self.edit_button)
        self._outer = QVBoxLayout(self)
        self._outer.setContentsMargins(16, 6, 16, 8)
        self._outer.setSpacing(4)
        self._outer.addLayout(top)
        self.body: QWidget | None = None
        self.hide()

    def _on_edit_clicked(self) -> None:
        emit(self.edit_requested)

    # -- content -----------------------------------------------------------------------------------
    def clear(self) -> None:
        self.clause_id = None
        self.links = ClauseLinks()
        self._replace_body(None)
        self.hide()

    def show_links(self, clause_id: str, links: ClauseLinks) -> None:
        self.clause_id, self.links = clause_id, links
        self.chips, self.indicator_labels, self.more_buttons, self._plain = [], [], [], []
        self.deadline_label = None
        body = QWidget(self)
        grid = QGridLayout(body)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(12)
        grid.setVerticalSpacing(5)
        grid.setColumnStretch(1, 1)
        row = 0
        for role, caption in ROLES:
            depts, generic = by_role(links)[role]
            if not depts and not generic:
                continue
            self._row_label(grid, row, caption, body)
            grid.addWidget(self._dept_flow(depts, generic, body), row, 1)
            row += 1
        if links.indicators:
            self._row_label(grid, row, T.LINKS_INDICATORS, body)
            grid.addWidget(self._indicator_list(links.indicators, body), row, 1)
            row += 1
        if links.deadline is not None:
            dl = links.deadline
            self._row_label(grid, row, T.LINKS_DEADLINE, body)
            self.deadline_label = _label(deadline_html(dl), "deadline", body, rich=True, tip=deadline_tooltip(dl))
            self.deadline_label.setWordWrap(True)
            self._plain.append(deadline_text(dl))
            grid.addWidget(self.deadline_label, row, 1)
            row += 1
        if row == 0:
            grid.addWidget(_label(T.LINKS_NONE, "note", body), 0, 0, 1, 2)
            self._plain.append(T.LINKS_NONE)
        self._replace_body(body)
        self.show()

    def _row_label(self, grid: QGridLayout, row: int, caption: str, parent: QWidget) -> None:
        lab = _label(caption, "rowLabel", parent)
        grid.addWidget(lab, row, 0, Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self._plain.append(caption)

    def _dept_flow(self, depts: list[DepartmentLink], generic: list[DepartmentLink], parent: QWidget) -> QWidget:
        box = QWidget(parent)
        flow = FlowLayout(box)
        hidden: list[QWidget] = []
        for n, d in enumerate(depts):
            chip = Chip(d, box)
            self.chips.append(chip)
            self._plain.append(chip.plain)
            flow.addWidget(chip)
            if n >= CHIP_LIMIT:
                chip.setVisible(False)
                hidden.append(chip)
        if hidden:
            flow.addWidget(self._more_button(hidden, T.LINKS_MORE.format(n=len(hidden)), box))
        if generic:
            names = names_text([g.name for g in generic])
            tip = "\n".join(T.LINKS_GENERIC_TIP.format(evidence=g.evidence) for g in generic)
            text = T.LINKS_GENERIC.format(names=names)
            flow.addWidget(_label(text, "generic", box, tip=tip))
            self._plain.append(text)
        return box

    def _indicator_list(self, indicators: Sequence[Indicator], parent: QWidget) -> QWidget:
        box = QWidget(parent)
        lay = QVBoxLayout(box)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(1)
        hidden: list[QWidget] = []
        for n, ind in enumerate(indicators):
            lab = _label(indicator_html(ind), "indicator", box, rich=True, tip=S.TIP_QUOTE.format(quote=ind.quote))
            lab.setWordWrap(True)
            self.indicator_labels.append(lab)
            self._plain.append(indicator_text(ind))
            lay.addWidget(lab)
            if n >= INDICATOR_LIMIT:
                lab.setVisible(False)
                hidden.append(lab)
        if hidden:
            more = self._more_button(hidden, T.LINKS_MORE_INDICATORS.format(n=len(hidden)), box)
            lay.addWidget(more, 0, Qt.AlignmentFlag.AlignLeft)
        return box

    def _more_button(self, hidden: list[QWidget], text: str, parent: QWidget) -> QToolButton:
        button = QToolButton(parent)
        button.setObjectName("linksMore")
        button.setText(text)
        button.setCursor(Qt.CursorShape.PointingHandCursor)
        button.setAutoRaise(True)
        self.more_buttons.append(button)

        def toggle() -> None:
            expand = not hidden[0].isVisible()
            for w in hidden:
                w.setVisible(expand)
            button.setText(T.LINKS_LESS if expand else text)

        button.clicked.connect(toggle)
        return button

    def _replace_body(self, body: QWidget | None) -> None:
        old, self.body = self.body, body
        if old is not None:  # freed right here (not deleteLater: see tasks.TaskManager._released)
            old.hide()
            self._outer.removeWidget(old)
            old.setParent(None)
        if body is not None:
            self._outer.addWidget(body)

    def restyle(self) -> None:
        """The theme changed: render the shown links again (their rich text carries colours)."""
        if self.clause_id is not None:
            self.show_links(self.clause_id, self.links)

    def plain_text(self) -> str:
        """Everything the box says (collapsed items included), one item a line: for tests and copying."""
        return "\n".join(self._plain)
