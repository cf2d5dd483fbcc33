"""The lines under the search box about the last search: "您是不是要找：碳达峰" (click to search it),
the kind of answer the engine recognised (按指标查找 …) and the synonyms it also searched for.

Each line hides itself when it has nothing to say; the widget hides when all three do. `status_text`
is the status line's text (total, how many shown, time, the engine's other notices).
"""

from __future__ import annotations

import html
from urllib.parse import quote, unquote

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSizePolicy, QVBoxLayout, QWidget

from app.core.models import SearchResult
from app.ui.common import strings as S
from app.ui.common import theme
from app.ui.common.qtcompat import emit
from app.ui.search import strings as T

ALSO_PREFIX = "也匹配："  # the engine's notice naming the synonyms it also searched for


def also_matched(result: SearchResult) -> list[str]:
    return [n.removeprefix(ALSO_PREFIX) for n in result.notices if n.startswith(ALSO_PREFIX)]


def suggestions_html(terms: tuple[str, ...] | list[str]) -> str:
    """"您是不是要找：A、B" with every term a link (`s:<term>`), in the theme's link colour."""
    style = f'style="color:{theme.current().accent}"'  # a styled QLabel's links ignore the palette
    links = [f'<a href="s:{quote(t)}" title="{html.escape(T.DID_YOU_MEAN_TIP.format(term=t))}" {style}>'
             f"{html.escape(t)}</a>" for t in terms]
    return html.escape(T.DID_YOU_MEAN) + html.escape(S.NAME_SEPARATOR).join(links)


def apply_suggestion(typed: str, suggestion: str) -> str:
    """The query to run for a suggestion: `typed` with the stretch the suggestion corrects replaced
    (碳达锋 2030 + 碳达峰 → 碳达峰 2030), or the suggestion alone when no stretch of `typed` resembles it."""
    n = len(suggestion)
    best, best_at = 0, -1
    for i in range(len(typed) - n + 1):
        window = typed[i:i + n]
        if " " in window:
            continue
        same = sum(a == b for a, b in zip(window, suggestion, strict=True))
        if same < n and same > best:  # (a stretch that already reads `suggestion` needs no change)
            best, best_at = same, i
    if best_at < 0 or best < max(1, n - 2):  # a same-pinyin typo keeps most characters in place
        return suggestion
    return typed[:best_at] + suggestion + typed[best_at + n:]


def status_text(result: SearchResult, shown: int | None = None, total: int | None = None) -> str:
    """The status line: the exact total, how many are shown (`shown`: after further pages), the time
    of the first page and the engine's notices."""
    ms = f"{result.elapsed_ms:.0f}"
    shown = len(result.hits) if shown is None else shown
    total = result.total if total is None else total
    if not shown:
        text = T.STATUS_NO_RESULTS.format(ms=ms)
    elif total > shown:
        text = T.STATUS_RESULTS_SHOWN.format(total=total, shown=shown, ms=ms)
    else:
        text = T.STATUS_RESULTS.format(total=total, ms=ms)
    notices = [n for n in result.notices if not n.startswith(ALSO_PREFIX)]
    if notices:
        text += "\n" + join_notices(notices)
    return text


def join_notices(notices: list[str]) -> str:
    """The engine's notices as one text: a notice that ends a sentence (。) is followed as it is, others are
    separated by "；" (not "。；")."""
    out = ""
    for n in notices:
        if out and not out.endswith(SENTENCE_ENDS):
            out += T.NOTICE_SEPARATOR
        out += n
    return out


SENTENCE_ENDS = ("。", "！", "？")


class SearchHints(QWidget):
    """Emits `suggestion_chosen(term)` when a "您是不是要找" term is clicked."""

    suggestion_chosen = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.suggestions: tuple[str, ...] = ()
        self.did_you_mean = QLabel(self)
        self.did_you_mean.setObjectName("didYouMean")
        self.did_you_mean.setWordWrap(True)
        self.did_you_mean.setTextFormat(Qt.TextFormat.RichText)
        self.did_you_mean.setTextInteractionFlags(Qt.TextInteractionFlag.LinksAccessibleByMouse
                                                  | Qt.TextInteractionFlag.LinksAccessibleByKeyboard)
        self.did_you_mean.linkActivated.connect(self._on_link_activated)
        self.intent = QLabel(self)  # the kind of answer recognised: 按指标查找 …
        self.intent.setObjectName("searchIntent")
        self.intent.setToolTip(T.INTENT_TIP)
        self.intent.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Preferred)
        self.also = QLabel(self)  # the synonyms the engine also searched for
        self.also.setObjectName("alsoMatched")
        self.also.setWordWrap(True)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(4)
        lay.addWidget(self.did_you_mean)
        row = QHBoxLayout()
        row.setSpacing(12)
        row.addWidget(self.intent)
        row.addWidget(self.also, 1)
        row.addStretch()  # keeps the intent on the left when there is no synonym line
        lay.addLayout(row)
        self.clear()

    def show_result(self, result: SearchResult) -> None:
        self.suggestions = tuple(result.suggestions)
        self.did_you_mean.setText(suggestions_html(self.suggestions) if self.suggestions else "")
        self.did_you_mean.setVisible(bool(self.suggestions))
        label = T.INTENT_LABELS.get(result.intent, "")
        self.intent.setText(label)
        self.intent.setVisible(bool(label))
        also = also_matched(result)
        self.also.setText(T.ALSO_MATCHED.format(words=S.NAME_SEPARATOR.join(also)))
        self.also.setVisible(bool(also))
        self.setVisible(bool(self.suggestions or label or also))

    def clear(self) -> None:
        self.suggestions = ()
        for label in (self.did_you_mean, self.intent, self.also):
            label.clear()
            label.hide()
        self.hide()

    def restyle(self) -> None:
        """The theme changed: colour the suggestion links again."""
        if self.suggestions:
            self.did_you_mean.setText(suggestions_html(self.suggestions))

    def _on_link_activated(self, href: str) -> None:
        kind, _, value = href.partition(":")
        if kind == "s" and value:
            emit(self.suggestion_chosen, unquote(value))
