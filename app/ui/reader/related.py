"""相关法规 and 引用文件 under the reading pane: `Library.related()` runs on a read thread when a clause opens.

Links are `clause:<id>` (a related article) and `doc:<id>` (a cited document in the library); clicking
one emits `open_clause` / `open_document`. Results of a clause no longer shown are dropped.
"""

from __future__ import annotations

import html
from typing import Any
from urllib.parse import quote, unquote

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel, QSizePolicy, QWidget

from app.core.library import Library
from app.ui.common import strings as S
from app.ui.common import theme
from app.ui.common.qtcompat import emit
from app.ui.common.tasks import TaskManager
from app.ui.reader import strings as T

RELATED_LIMIT = 5


def related_html(data: dict[str, Any]) -> str:
    """The panel's rich text; every engine string is escaped. Items are separated by “；” (outside the
    links, so where one link ends and the next begins stays visible when the line wraps); a related
    article is named by its document and its own number or heading, its whole place in the tooltip."""
    rel = data.get("related") or []
    cites = data.get("citations") or []
    t = theme.current()
    link = f'style="color:{t.accent}"'  # a QLabel's links ignore the palette once styled: colour them here
    sep = html.escape(T.RELATED_SEPARATOR)
    parts = []
    if rel:
        items = []
        for r in rel:
            doc = S.DOC_TITLE.format(title=r["doc_title"])
            path = list(r.get("path") or [])
            tip = S.BREADCRUMB_SEPARATOR.join([doc, *path]) + "\n" + T.RELATED_WHY.format(why=r.get("why") or "")
            name = doc + (path[-1] if path else "")
            items.append(f'<a href="clause:{quote(r["id"])}" title="{html.escape(tip)}" {link}>'
                         f'{html.escape(name)}</a>')
        parts.append(f"<b>{html.escape(T.RELATED_TITLE)}</b>" + sep.join(items))
    else:
        parts.append(f"<b>{html.escape(T.RELATED_TITLE)}</b>{html.escape(T.RELATED_NONE)}")
    if cites:
        items = []
        for c in dict((x["text"], x) for x in cites).values():
            title = html.escape(S.DOC_TITLE.format(title=c["text"]))
            if c.get("doc_id"):
                items.append(f'<a href="doc:{quote(str(c["doc_id"]))}" {link}>{title}</a>')
            else:
                items.append(f'<span style="color:{t.fainter}">{title}{html.escape(T.CITED_MISSING)}</span>')
        parts.append(f"<b>{html.escape(T.CITED_TITLE)}</b>" + sep.join(items))
    return "<br>".join(parts)


class RelatedPanel(QLabel):
    open_clause = Signal(str)
    open_document = Signal(str)
    loaded = Signal(str, object)  # clause id, the related() result

    def __init__(self, library: Library, tasks: TaskManager, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.library, self.tasks = library, tasks
        self.setObjectName("relatedPanel")
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.RichText)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.LinksAccessibleByMouse
                                     | Qt.TextInteractionFlag.LinksAccessibleByKeyboard)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        self.linkActivated.connect(self._on_link_activated)
        self.clause_id: str | None = None
        self.data: dict[str, Any] | None = None
        self._seq = 0
        self.hide()

    def clear(self) -> None:
        self._seq += 1
        self.clause_id, self.data = None, None
        self.hide()

    def load(self, clause_id: str) -> None:
        if clause_id == self.clause_id and self.data is not None:
            return
        self._seq += 1
        seq = self._seq
        self.clause_id, self.data = clause_id, None
        self.setText(html.escape(T.RELATED_LOADING))
        self.show()
        lib = self.library
        self.tasks.run_read(lambda: lib.related(clause_id, limit=RELATED_LIMIT),
                            lambda d: self._on_done(seq, clause_id, d),
                            on_error=lambda exc: self._on_failed(seq, exc), name="related")

    def _on_done(self, seq: int, clause_id: str, data: dict[str, Any]) -> None:
        if seq != self._seq:
            return  # another clause was opened meanwhile
        self.data = data
        self.setText(related_html(data))
        emit(self.loaded, clause_id, data)

    def restyle(self) -> None:
        """The theme changed: render the links again (a missing citation is greyed inline)."""
        if self.data is not None:
            self.setText(related_html(self.data))

    def _on_failed(self, seq: int, exc: BaseException) -> None:
        if seq == self._seq:  # related articles are a convenience: say nothing found, keep reading
            self.setText(f"<b>{html.escape(T.RELATED_TITLE)}</b>{html.escape(T.RELATED_NONE)}")

    def _on_link_activated(self, href: str) -> None:
        kind, _, value = href.partition(":")
        if kind == "clause":
            emit(self.open_clause, unquote(value))
        elif kind == "doc":
            emit(self.open_document, unquote(value))
