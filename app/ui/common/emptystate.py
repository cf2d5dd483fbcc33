"""A sentence shown inside an empty list, table or tree, saying why it is empty and what to do.

`EmptyState(view)` lays a word-wrapped label over the view's viewport (mouse clicks pass through to
the view). `set_text("")` hides it. Lines are centred; lines starting with "· " (what to try) form a
left-aligned list, itself centred. Everything is escaped; the colour comes from the window's style
sheet (`QLabel#emptyState`, app.ui.common.theme).
"""

from __future__ import annotations

import html

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QAbstractScrollArea, QLabel

MARGIN_EM = 1.5  # side margins, in character widths
TOP_EM = 2.0
BULLET = "· "


def empty_html(text: str) -> str:
    """`text` as rich text: plain lines centred, "· " lines as a left-aligned list."""
    out: list[str] = []
    items: list[str] = []

    def flush() -> None:
        if items:
            rows = "".join(f"<tr><td>{html.escape(i)}</td></tr>" for i in items)
            out.append(f'<table align="center" cellspacing="2">{rows}</table>')
            items.clear()

    for line in text.splitlines():
        if line.startswith(BULLET):
            items.append(line)
        else:
            flush()
            out.append(f'<p align="center">{html.escape(line)}</p>')
    flush()
    return "".join(out)


class EmptyState(QLabel):
    def __init__(self, view: QAbstractScrollArea) -> None:
        super().__init__(view.viewport())
        self.view = view
        self.setObjectName("emptyState")
        self.setTextFormat(Qt.TextFormat.RichText)
        self.setWordWrap(True)
        self.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.plain = ""
        view.viewport().installEventFilter(self)
        self.hide()

    def set_text(self, text: str) -> None:
        """Show `text` over the (empty) view; "" hides it."""
        self.plain = text
        self.setText(empty_html(text))
        self.view.setAccessibleDescription(text)
        self._fit()
        self.setVisible(bool(text))

    def _fit(self) -> None:
        em = self.fontMetrics().horizontalAdvance("中")
        side, top = int(em * MARGIN_EM), int(em * TOP_EM)
        area = self.view.viewport().rect().adjusted(side, top, -side, -side)
        height = min(area.height(), max(self.heightForWidth(area.width()), self.sizeHint().height()))
        self.setGeometry(area.x(), area.y(), area.width(), max(0, height))

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if obj is self.view.viewport() and event.type() == QEvent.Type.Resize:
            self._fit()
        return super().eventFilter(obj, event)
