"""Search-box suggestions: the user's recent queries first, then the domain dictionary's words."""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QStringListModel, Qt
from PySide6.QtWidgets import QCompleter, QLineEdit

log = logging.getLogger("policydesk.ui.completion")

HISTORY_MAX = 50


def dictionary_words(path: Path) -> list[str]:
    """The first field of each line of jieba's user dictionary (`词 频率 词性`)."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError:
        log.warning("no user dictionary at %s", path)
        return []
    words = [ln.split()[0] for ln in lines if ln.strip() and not ln.startswith("#")]
    return [w for w in dict.fromkeys(words) if len(w) >= 2]


class SearchCompleter(QCompleter):
    def __init__(self, box: QLineEdit, words: list[str], history: list[str] | None = None) -> None:
        super().__init__(box)
        self.words = words
        self.history: list[str] = list(history or [])[:HISTORY_MAX]
        self.list_model = QStringListModel(self)
        self.setModel(self.list_model)
        self.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.setFilterMode(Qt.MatchFlag.MatchContains)
        self.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.setMaxVisibleItems(12)
        self._refresh()
        box.setCompleter(self)

    def _refresh(self) -> None:
        self.list_model.setStringList(list(dict.fromkeys([*self.history, *self.words])))

    def remember(self, text: str) -> None:
        text = text.strip()
        if not text:
            return
        self.history = [text, *(h for h in self.history if h != text)][:HISTORY_MAX]
        self._refresh()
