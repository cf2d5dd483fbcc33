"""A non-modal notice strip: a sentence and a few buttons (恢复 / 丢弃 / 撤销 / 关闭), inside the window.

Used where a dialog would interrupt: drafts found at start, what the data check at start did, a deleted
task that can be brought back. Colours come from the window style sheet (`QFrame[banner="true"]`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QSizePolicy, QWidget

from app.ui.common import strings as S


class Banner(QFrame):
    """Hidden until `show_message`; every button hides it after running its action."""

    def __init__(self, parent: QWidget | None = None, *, name: str = "banner") -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.setProperty("banner", True)
        self.label = QLabel(self)
        self.label.setWordWrap(True)
        self.label.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.buttons: dict[str, QPushButton] = {}
        self._lay = QHBoxLayout(self)
        self._lay.setContentsMargins(10, 6, 6, 6)
        self._lay.addWidget(self.label, 1)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.hide)
        self.hide()

    def show_message(self, text: str, actions: Sequence[tuple[str, Callable[[], None]]] = (),
                     *, closable: bool = True, timeout_ms: int = 0) -> None:
        """Show `text` with one button per (label, action); `timeout_ms` > 0 hides it by itself."""
        for b in self.buttons.values():
            self._lay.removeWidget(b)
            b.deleteLater()
        self.buttons = {}
        self.label.setText(text)
        items = list(actions)
        if closable:
            items.append((S.BANNER_CLOSE, lambda: None))
        for label, action in items:
            b = QPushButton(label, self)
            b.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
            b.clicked.connect(lambda _c=False, a=action: self._run(a))
            self._lay.addWidget(b)
            self.buttons[label] = b
        self._timer.stop()
        if timeout_ms > 0:
            self._timer.start(timeout_ms)
        self.show()

    def _run(self, action: Callable[[], None]) -> None:
        self.hide()
        action()
