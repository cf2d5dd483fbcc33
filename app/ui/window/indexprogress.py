"""The index build's progress in the status bar: label, bar and 取消 (app.ui.window.indexing runs the build)."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QPushButton, QSizePolicy, QWidget

from app.ui.window import strings as T

BAR_EM = 14  # the progress bar's width, in characters


class IndexProgress(QWidget):
    """Label, bar and 取消 button shown in the status bar while an index build runs."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("indexProgress")
        self.label = QLabel(T.INDEX_PROGRESS, self)
        self.bar = QProgressBar(self)
        self.bar.setFixedWidth(self.fontMetrics().horizontalAdvance("中") * BAR_EM)  # follows the font
        self.bar.setTextVisible(False)
        self.bar.setRange(0, 0)
        self.cancel_button = QPushButton(T.INDEX_CANCEL, self)
        self.cancel_button.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 6, 0)
        lay.addWidget(self.label)
        lay.addWidget(self.bar)
        lay.addWidget(self.cancel_button)

    def update_progress(self, done: int, total: int, message: str) -> None:
        if total > 0:
            self.bar.setRange(0, total)
            self.bar.setValue(min(done, total))
        else:
            self.bar.setRange(0, 0)  # busy indicator
        if message:
            self.label.setText(message)
