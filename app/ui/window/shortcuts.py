"""The shortcuts help (F1 or ?)."""

from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWidget

from app.ui.window import strings as T


def shortcuts_html() -> str:
    rows = "".join(f"<tr><td style='padding:3px 18px 3px 0'><b>{html.escape(k)}</b></td>"
                   f"<td style='padding:3px 0'>{html.escape(v)}</td></tr>" for k, v in T.SHORTCUTS)
    return f"<table>{rows}</table>"


def show_shortcuts(parent: QWidget) -> QMessageBox:
    box = QMessageBox(QMessageBox.Icon.NoIcon, T.SHORTCUTS_TITLE, shortcuts_html(),
                      QMessageBox.StandardButton.Close, parent)
    box.setObjectName("shortcutsBox")
    box.setTextFormat(Qt.TextFormat.RichText)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.open()
    return box
