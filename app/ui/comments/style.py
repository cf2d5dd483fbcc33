"""Colours of the 意见 widgets, from the window theme (app.ui.common.theme); re-applied when the scheme changes."""

from __future__ import annotations

from dataclasses import asdict
from string import Template

from PySide6.QtWidgets import QWidget

from app.ui.common import theme

QSS = Template("""
QToolButton#commentButton { color: $accent; font-size: 13px; padding: 2px 6px; }
QToolButton#commentBadge { color: $chip_user_fg; background: $chip_user_bg; border: 1px solid $chip_user_border;
                           border-radius: 9px; font-size: 12.5px; padding: 1px 8px; }
QToolButton#commentBadge:hover { border-color: $accent; }
QLabel#commentWhere { color: $heading; font-weight: 600; font-size: 14px; }
QLabel#commentQuoteLabel { color: $label; }
QPlainTextEdit#commentQuote { background: $selected_clause; color: $text; border: 1px solid $border; }
QLabel#commentAnchorState { color: $urg_soon; font-weight: 600; }
QLabel#commentMessage { color: $muted; }
QLabel#commentMessage[error="true"] { color: $urg_overdue; font-weight: 600; }
QLabel#commentClauseFilter { color: $accent_text; font-weight: 600; }
QLabel#clausePickerStatus { color: $muted; }
QLabel#feedbackIntro { color: $muted; }
""")


def qss(t: theme.Theme | None = None) -> str:
    return QSS.substitute(asdict(t or theme.current()))


def apply(*widgets: QWidget, t: theme.Theme | None = None) -> None:
    """Style `widgets` (and their children) in the current (or given) theme."""
    sheet = qss(t)
    for w in widgets:
        w.setStyleSheet(sheet)
