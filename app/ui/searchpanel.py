"""The left side of the window: search box, status line and result list.

Typing is debounced (250 ms); Enter searches at once. Each search gets a request id and results of
an older request are dropped. Rows render the engine's snippet HTML (escaped text + <mark>) with a
grey breadcrumb above it and, when the clause has links, a grey chip line under the breadcrumb (lead
department with its provenance, deadline year, indicator count). The links of the whole page of hits
are read in the search's own task, never per row paint. Row heights come from the laid-out document so
nothing is cut off.
"""

from __future__ import annotations

import html
import logging
from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QRectF,
    QSize,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QColor, QKeyEvent, QPainter, QTextDocument
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from app.core.library import Library
from app.core.links.service import ClauseLinks
from app.core.models import SearchHit, SearchResult
from app.ui import strings as S
from app.ui.linkspanel import row_chips_html
from app.ui.qtcompat import emit
from app.ui.tasks import TaskManager

log = logging.getLogger("policydesk.ui.search")

DEBOUNCE_MS = 250
SLOW_SEARCH_MS = 200
RESULT_LIMIT = 50
ALSO_PREFIX = "也匹配："  # the engine's notice naming the synonyms it also searched for
HitRole = Qt.ItemDataRole.UserRole + 1
LinksRole = Qt.ItemDataRole.UserRole + 2
PAD_X, PAD_Y = 14, 10

ROW_CSS = """
div.crumb { color: #7a7f87; font-size: 12.5px; margin-bottom: 5px; }
div.crumb b { color: #4b5563; font-weight: 600; }
div.chips { color: #5a7396; font-size: 12px; margin-bottom: 5px; }
span.inferred { color: #8a8f98; font-style: italic; }
div.snip { color: #1f2329; font-size: 14.5px; line-height: 112%; }
span.hl { background-color: #ffe38a; }
"""


NOWRAP_MAX = 12  # short breadcrumb parts (第四十三条, 第一章 总则) are kept on one line


WORD_JOINER = "\u2060"  # Qt's rich text ignores white-space:nowrap on inline spans; this it honours


def _crumb_part(text: str) -> str:
    if len(text) <= NOWRAP_MAX:
        return WORD_JOINER.join(html.escape(ch) for ch in text)
    return html.escape(text)


def breadcrumb(hit: SearchHit) -> str:
    """《文件标题》 › 章 › 节 › 任务, as escaped HTML."""
    title = f"<b>{html.escape(S.DOC_TITLE.format(title=hit.doc_title))}</b>"
    return html.escape(S.BREADCRUMB_SEPARATOR).join([title, *(_crumb_part(p) for p in hit.path)])


def row_html(hit: SearchHit, links: ClauseLinks | None = None) -> str:
    """A result row. The snippet is already escaped by the engine; only its <mark> tags are ours."""
    snip = hit.snippet.replace("<mark>", '<span class="hl">').replace("</mark>", "</span>")
    snip = snip.replace("\r", "").replace("\n", " ")
    chips = row_chips_html(links)
    chips = f'<div class="chips">{chips}</div>' if chips else ""
    return f'<div class="crumb">{breadcrumb(hit)}</div>{chips}<div class="snip">{snip}</div>'


def search_with_links(library: Library, query: str, limit: int, all_versions: bool = False,
                      ) -> tuple[SearchResult, dict[str, ClauseLinks], dict[str, str]]:
    """Worker-side: the search with its facet counts, then the links of its page of hits (one query,
    not one per row) and the document titles the sidebar names."""
    result = library.search(query, limit=limit, facets=True, all_versions=all_versions)
    titles = {d.id: d.title for d in library.documents()} if result.facets else {}
    try:
        links = library.links([h.id for h in result.hits]) if result.hits else {}
    except Exception:  # the chips are a convenience: never lose the results over them
        log.exception("could not read the links of the results")
        links = {}
    return result, links, titles


class HitModel(QAbstractListModel):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.hits: list[SearchHit] = []
        self.links: dict[str, ClauseLinks] = {}

    def set_hits(self, hits: list[SearchHit], links: dict[str, ClauseLinks] | None = None) -> None:
        self.beginResetModel()
        self.hits = list(hits)
        self.links = dict(links or {})
        self.endResetModel()

    def update_links(self, clause_id: str, links: ClauseLinks) -> bool:
        """A clause's links changed (a correction): True when one of the rows shows it."""
        rows = [n for n, h in enumerate(self.hits) if h.id == clause_id]
        if not rows:
            return False
        self.links[clause_id] = links
        for n in rows:
            emit(self.dataChanged, self.index(n), self.index(n))
        return True

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.hits)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.hits):
            return None
        hit = self.hits[index.row()]
        if role == HitRole:
            return hit
        if role == LinksRole:
            return self.links.get(hit.id)
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            plain = html.unescape(hit.snippet.replace("<mark>", "").replace("</mark>", ""))
            return f"{S.DOC_TITLE.format(title=hit.doc_title)} {' '.join(hit.path)}\n{plain}"
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{S.DOC_TITLE.format(title=hit.doc_title)}{S.BREADCRUMB_SEPARATOR}" + \
                S.BREADCRUMB_SEPARATOR.join(hit.path)
        return None


class HitDelegate(QStyledItemDelegate):
    """Paints a row's HTML with QTextDocument; sizeHint is the laid-out height at the view's width."""

    def __init__(self, view: QListView) -> None:
        super().__init__(view)
        self.view = view
        self._cache: dict[tuple[str, int], QTextDocument] = {}

    def clear_cache(self) -> None:
        self._cache.clear()

    def _doc(self, hit: SearchHit, width: int, links: ClauseLinks | None = None) -> QTextDocument:
        key = (hit.id, width)
        doc = self._cache.get(key)
        if doc is None:
            if len(self._cache) > 400:
                self._cache.clear()
            doc = QTextDocument()
            doc.setDocumentMargin(0)
            doc.setDefaultFont(self.view.font())
            doc.setDefaultStyleSheet(ROW_CSS)
            doc.setHtml(row_html(hit, links))
            doc.setTextWidth(max(80, width))
            self._cache[key] = doc
        return doc

    def _text_width(self) -> int:
        return self.view.viewport().width() - 2 * PAD_X - 4

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> QSize:
        hit = index.data(HitRole)
        if hit is None:
            return super().sizeHint(option, index)
        doc = self._doc(hit, self._text_width(), index.data(LinksRole))
        return QSize(self._text_width() + 2 * PAD_X, int(doc.size().height()) + 2 * PAD_Y + 1)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem,
              index: QModelIndex | QPersistentModelIndex) -> None:
        hit = index.data(HitRole)
        if hit is None:
            super().paint(painter, option, index)
            return
        painter.save()
        rect = option.rect
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        hover = bool(option.state & QStyle.StateFlag.State_MouseOver)
        if selected:
            painter.fillRect(rect, QColor("#e8f0fb"))
            painter.fillRect(rect.x(), rect.y(), 3, rect.height(), QColor("#3b6fb6"))
        elif hover:
            painter.fillRect(rect, QColor("#f5f7fa"))
        painter.setPen(QColor("#eceef1"))
        painter.drawLine(rect.left() + PAD_X, rect.bottom(), rect.right() - PAD_X, rect.bottom())
        doc = self._doc(hit, self._text_width(), index.data(LinksRole))
        painter.translate(rect.x() + PAD_X, rect.y() + PAD_Y)
        doc.drawContents(painter, QRectF(0, 0, doc.textWidth(), doc.size().height()))
        painter.restore()


class ResultList(QListView):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("results")
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setResizeMode(QListView.ResizeMode.Adjust)  # re-measure rows when the width changes
        self.setUniformItemSizes(False)
        self.setWordWrap(True)
        self.setMouseTracking(True)
        self.setFrameShape(QListView.Shape.NoFrame)

    def resizeEvent(self, e: Any) -> None:
        super().resizeEvent(e)
        self.scheduleDelayedItemsLayout()

    def relayout(self) -> None:
        """Re-measure every row (a row's content changed height)."""
        self.scheduleDelayedItemsLayout()


class SearchPanel(QWidget):
    """Search box + status + results. Emits `hit_selected` when the current result changes."""

    hit_selected = Signal(object, str)  # SearchHit, the query it came from
    open_requested = Signal()  # Enter on a selected result: move to the reading pane
    results_cleared = Signal()
    search_finished = Signal(object)  # SearchResult shown
    facets_updated = Signal(object, object)  # facet counts (None: no search), document titles

    def __init__(self, library: Library, tasks: TaskManager, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.library, self.tasks = library, tasks
        self._seq = 0
        self._shown_query = ""  # the query whose results are in the list
        self._pending_query: str | None = None
        self.scope: list[str] = []  # filter tokens from the sidebar, appended to the typed text

        self.box = QLineEdit(self)
        self.box.setObjectName("searchBox")
        self.box.setPlaceholderText(S.SEARCH_PLACEHOLDER)
        self.box.setToolTip(S.SEARCH_TOOLTIP)
        self.box.setClearButtonEnabled(True)
        self.box.installEventFilter(self)
        self.status = QLabel(S.STATUS_HINT, self)
        self.status.setObjectName("searchStatus")
        self.status.setWordWrap(True)
        self.also = QLabel(self)  # the synonyms the engine also searched for
        self.also.setObjectName("alsoMatched")
        self.also.setWordWrap(True)
        self.also.hide()
        self.versions = QCheckBox(S.ALL_VERSIONS, self)  # older versions of a law are hidden unless asked
        self.versions.setToolTip(S.ALL_VERSIONS_TIP)
        self.versions.toggled.connect(self._on_versions_toggled)
        self.model = HitModel(self)
        self.list = ResultList(self)
        self.delegate = HitDelegate(self.list)
        self.list.setItemDelegate(self.delegate)
        self.list.setModel(self.model)

        lay = QVBoxLayout(self)
        lay.setContentsMargins(12, 12, 6, 0)
        lay.setSpacing(8)
        lay.addWidget(self.box)
        lay.addWidget(self.also)
        row = QHBoxLayout()
        row.addWidget(self.status, 1)
        row.addWidget(self.versions)
        lay.addLayout(row)
        lay.addWidget(self.list, 1)

        self.debounce = QTimer(self)
        self.debounce.setSingleShot(True)
        self.debounce.setInterval(DEBOUNCE_MS)
        self.debounce.timeout.connect(self.search_now)
        self.slow = QTimer(self)  # say "正在检索…" only when a search is slow, so the count does not flicker
        self.slow.setSingleShot(True)
        self.slow.setInterval(SLOW_SEARCH_MS)
        self.slow.timeout.connect(self._on_slow_timeout)
        self.box.textEdited.connect(self._on_box_text_edited)
        self.box.returnPressed.connect(self._on_box_return_pressed)
        self.list.selectionModel().currentChanged.connect(self._on_list_current_changed)
        self.list.activated.connect(self._on_list_activated)

    # -- enabling -------------------------------------------------------------------------------
    def set_searchable(self, enabled: bool, placeholder: str = S.SEARCH_PLACEHOLDER) -> None:
        self.box.setEnabled(enabled)
        self.box.setPlaceholderText(placeholder)

    def focus_search(self) -> None:
        self.box.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.box.selectAll()

    # -- searching ------------------------------------------------------------------------------
    def _on_box_text_edited(self, _text: str) -> None:
        self.debounce.start()

    def query(self) -> str:
        """What is searched: the typed text plus the sidebar's filters ("" when nothing is typed)."""
        text = self.box.text().strip()
        return " ".join([text, *self.scope]) if text else ""

    def set_scope(self, tokens: list[str]) -> None:
        self.scope = list(tokens)
        if self.box.text().strip():
            self.search_now()

    def _on_versions_toggled(self, _checked: bool) -> None:
        if self.box.text().strip():
            self.search_now()

    def _on_box_return_pressed(self) -> None:
        query = self.query()
        if self.debounce.isActive() or (query != self._shown_query and query != self._pending_query):
            self.search_now()
        elif self.current_hit() is not None:
            emit(self.open_requested)

    def search_now(self) -> None:
        """Search the box's text on a read thread; an older request still running is superseded."""
        self.debounce.stop()
        query = self.query()
        self._seq += 1
        seq = self._seq
        if not query:
            self._pending_query = None
            self.clear_results()
            return
        self._pending_query = query
        lib, all_versions = self.library, self.versions.isChecked()
        self.slow.start()
        self.tasks.run_read(lambda: search_with_links(lib, query, RESULT_LIMIT, all_versions),
                            lambda r: self._on_search_done(seq, *r),
                            on_error=lambda exc: self._on_search_failed(seq, exc), name="search")

    def _on_search_done(self, seq: int, result: SearchResult,
                        links: dict[str, ClauseLinks] | None = None, titles: dict[str, str] | None = None) -> None:
        if seq != self._seq:
            return  # a newer search was started: drop this stale result
        self._pending_query = None
        self.slow.stop()
        self._shown_query = result.query
        self.delegate.clear_cache()
        self.model.set_hits(list(result.hits), links)
        self.status.setText(status_text(result))
        also = [n.removeprefix(ALSO_PREFIX) for n in result.notices if n.startswith(ALSO_PREFIX)]
        self.also.setText(S.ALSO_MATCHED.format(words=S.NAME_SEPARATOR.join(also)))
        self.also.setVisible(bool(also))
        emit(self.facets_updated, result.facets, titles or {})
        if result.hits:
            self.list.setCurrentIndex(self.model.index(0))
            self.list.scrollToTop()
        else:
            emit(self.results_cleared)
        emit(self.search_finished, result)

    def _on_search_failed(self, seq: int, exc: BaseException) -> None:
        if seq != self._seq:
            return
        from app.ui.dialogs import error_message, show_error

        self._pending_query = None
        self.slow.stop()
        self.status.setText(error_message(exc))
        show_error(self.window(), exc)

    def _on_slow_timeout(self) -> None:
        if self._pending_query is not None:
            self.status.setText(S.STATUS_SEARCHING)

    def clear_results(self) -> None:
        self.slow.stop()
        self._shown_query = ""
        self.delegate.clear_cache()
        self.model.set_hits([])
        self.status.setText(S.STATUS_HINT)
        self.also.hide()
        emit(self.facets_updated, None, {})
        emit(self.results_cleared)

    def clear(self) -> None:
        """Esc: empty the box and the list."""
        self.debounce.stop()
        self._seq += 1
        self._pending_query = None
        self.box.clear()
        self.clear_results()

    def update_links(self, clause_id: str, links: ClauseLinks) -> None:
        """Show a corrected clause's new chip line (if the clause is in the list)."""
        if self.model.update_links(clause_id, links):
            self.delegate.clear_cache()
            self.list.relayout()

    # -- selection ------------------------------------------------------------------------------
    def current_hit(self) -> SearchHit | None:
        idx = self.list.currentIndex()
        return idx.data(HitRole) if idx.isValid() else None

    def _on_list_current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        hit = current.data(HitRole) if current.isValid() else None
        if hit is not None:
            emit(self.hit_selected, hit, self._shown_query)

    def _on_list_activated(self, _index: QModelIndex) -> None:
        emit(self.open_requested)

    def move_selection(self, step: int) -> None:
        n = self.model.rowCount()
        if not n:
            return
        row = self.list.currentIndex().row()
        row = 0 if row < 0 else max(0, min(n - 1, row + step))
        self.list.setCurrentIndex(self.model.index(row))

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if obj is self.box and isinstance(event, QKeyEvent) and event.type() == QEvent.Type.KeyPress:
            key = event.key()
            if key == Qt.Key.Key_Down:
                self.move_selection(1)
                return True
            if key == Qt.Key.Key_Up:
                self.move_selection(-1)
                return True
            if key in (Qt.Key.Key_PageDown, Qt.Key.Key_PageUp):
                self.move_selection(5 if key == Qt.Key.Key_PageDown else -5)
                return True
            if key == Qt.Key.Key_Escape:
                self.clear()
                return True
        return super().eventFilter(obj, event)


def status_text(result: SearchResult) -> str:
    ms = f"{result.elapsed_ms:.0f}"
    if not result.hits:
        text = S.STATUS_NO_RESULTS.format(ms=ms)
    elif result.total > len(result.hits):
        text = S.STATUS_RESULTS_SHOWN.format(total=result.total, shown=len(result.hits), ms=ms)
    else:
        text = S.STATUS_RESULTS.format(total=result.total, ms=ms)
    notices = [n for n in result.notices if not n.startswith(ALSO_PREFIX)]
    if notices:
        text += "\n" + S.NOTICE_SEPARATOR.join(notices)
    return text
