"""The result list: one row per hit, its HTML painted by a QTextDocument.

Rows render the engine's snippet HTML (escaped text + <mark>) with a grey breadcrumb above it and,
when the clause has links, a chip line under the breadcrumb (lead department with its provenance,
deadline year, indicator count). Row heights come from the laid-out document so nothing is cut off.
Colours come from `app.ui.common.theme`; `HitDelegate.set_theme` re-lays the rows after a scheme change.

Results arrive a page at a time: while some are not loaded yet, the last row is a "加载更多（还有 N 条）"
row (`MoreRole`, no hit) that the search panel loads from when it is clicked or scrolled into reach.

A hit whose clause is bookmarked in 我的任务 starts its breadcrumb with ★ (`HitModel.set_task_clauses`,
refreshed by the window whenever a task is added, removed or restored); one with comments shows 意见N
after it (`HitModel.set_comment_counts`, from app.ui.comments).
"""

from __future__ import annotations

import html
from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QRectF,
    QSize,
    Qt,
)
from PySide6.QtGui import QColor, QPainter, QTextDocument
from PySide6.QtWidgets import (
    QAbstractItemView,
    QListView,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QWidget,
)

from app.core.links.service import ClauseLinks
from app.core.models import SearchHit
from app.ui.comments.strings import RESULT_MARK, RESULT_MARK_TIP
from app.ui.common import strings as S
from app.ui.common import theme
from app.ui.common.emptystate import EmptyState
from app.ui.common.linksformat import row_chips_html
from app.ui.common.qtcompat import emit
from app.ui.search import strings as T

HitRole = Qt.ItemDataRole.UserRole + 1
LinksRole = Qt.ItemDataRole.UserRole + 2
MoreRole = Qt.ItemDataRole.UserRole + 3  # True on the "加载更多" row after the hits
SiblingRole = Qt.ItemDataRole.UserRole + 4  # True when the hit above is in the same section (grouped under it)
TaskRole = Qt.ItemDataRole.UserRole + 5  # True when the hit's clause is a task in 我的任务
CommentRole = Qt.ItemDataRole.UserRole + 6  # how many comments (意见) the hit's clause has
PAD_X, PAD_Y = 14, 10

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


def task_star(color: str | None = None) -> str:
    """The ★ in front of a bookmarked hit's breadcrumb (as HTML)."""
    style = f' style="color:{color}"' if color else ""
    return f'<span class="star"{style}>{html.escape(T.RESULT_TASK_MARK)}</span> '


def comment_mark(n: int, colors: tuple[str, str] | None = None) -> str:
    """意见N before a commented hit's breadcrumb (as HTML); colours: (text, background)."""
    style = f' style="color:{colors[0]}; background-color:{colors[1]}"' if colors else ""
    return f'<span class="cmt"{style}>&nbsp;{html.escape(RESULT_MARK.format(n=n))}&nbsp;</span> '


def row_html(hit: SearchHit, links: ClauseLinks | None = None, sibling: bool = False, task: bool = False,
             star_color: str | None = None, comments: int = 0, comment_colors: tuple[str, str] | None = None) -> str:
    """A result row. The snippet is already escaped by the engine; only its <mark> tags are ours.
    A `sibling` (the hit above is in the same section) shows only its own heading, indented under it.
    A `task` (the clause is in 我的任务) gets a ★ before its breadcrumb, `comments` > 0 a 意见N."""
    star = (task_star(star_color) if task else "") + (comment_mark(comments, comment_colors) if comments else "")
    snip = hit.snippet.replace("<mark>", '<span class="hl">').replace("</mark>", "</span>")
    snip = snip.replace("\r", "").replace("\n", " ")
    chips = row_chips_html(links)
    chips = f'<div class="chips">{chips}</div>' if chips else ""
    if sibling and hit.path:
        crumb = html.escape(T.SAME_SECTION) + _crumb_part(hit.path[-1])
        return f'<div class="sib"><div class="crumb">{star}{crumb}</div>{chips}<div class="snip">{snip}</div></div>'
    return f'<div class="crumb">{star}{breadcrumb(hit)}</div>{chips}<div class="snip">{snip}</div>'


def same_section(a: SearchHit, b: SearchHit) -> bool:
    """`b` sits in the same section as `a` (siblings), or right under `a` (a section and its task)."""
    if a.doc_id != b.doc_id or len(b.path) < 2:
        return False
    return b.path[:-1] in (a.path[:-1], a.path)



class HitModel(QAbstractListModel):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.hits: list[SearchHit] = []
        self.links: dict[str, ClauseLinks] = {}
        self.remaining = 0  # results not loaded yet: > 0 adds the "加载更多" row
        self.task_clauses: frozenset[str] = frozenset()  # clause ids bookmarked in 我的任务 (★)
        self.comment_counts: dict[str, int] = {}  # clause id -> comments on it (意见N)
        self.loading = False  # the next page is being fetched

    def set_hits(self, hits: list[SearchHit], links: dict[str, ClauseLinks] | None = None,
                 remaining: int = 0) -> None:
        self.beginResetModel()
        self.hits = list(hits)
        self.links = dict(links or {})
        self.remaining, self.loading = max(0, remaining), False
        self.endResetModel()

    def append_hits(self, hits: list[SearchHit], links: dict[str, ClauseLinks] | None, remaining: int) -> None:
        """The next page: rows go in before the "加载更多" row, which goes when nothing remains."""
        self.set_loading(False)
        if hits:
            n = len(self.hits)
            self.beginInsertRows(QModelIndex(), n, n + len(hits) - 1)
            self.hits.extend(hits)
            self.links.update(links or {})
            self.endInsertRows()
        self._set_remaining(max(0, remaining))

    def _set_remaining(self, remaining: int) -> None:
        had, has = self.remaining > 0, remaining > 0
        row = len(self.hits)
        if had and not has:
            self.beginRemoveRows(QModelIndex(), row, row)
            self.remaining = 0
            self.endRemoveRows()
        elif has and not had:
            self.beginInsertRows(QModelIndex(), row, row)
            self.remaining = remaining
            self.endInsertRows()
        else:
            self.remaining = remaining
            if has:
                emit(self.dataChanged, self.index(row), self.index(row))

    def set_loading(self, loading: bool) -> None:
        if loading != self.loading:
            self.loading = loading
            if self.remaining:
                emit(self.dataChanged, self.index(len(self.hits)), self.index(len(self.hits)))

    def more_text(self) -> str:
        return (T.LOAD_MORE_LOADING if self.loading else T.LOAD_MORE).format(n=self.remaining)

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        if index.isValid() and index.row() == len(self.hits):
            return Qt.ItemFlag.ItemIsEnabled  # the "加载更多" row: clickable, never part of a selection
        return super().flags(index)

    def update_links(self, clause_id: str, links: ClauseLinks) -> bool:
        """A clause's links changed (a correction): True when one of the rows shows it."""
        rows = [n for n, h in enumerate(self.hits) if h.id == clause_id]
        if not rows:
            return False
        self.links[clause_id] = links
        for n in rows:
            emit(self.dataChanged, self.index(n), self.index(n))
        return True

    def set_task_clauses(self, ids: set[str] | frozenset[str]) -> bool:
        """The clauses bookmarked as tasks changed: True when a row's ★ appears or goes."""
        old, self.task_clauses = self.task_clauses, frozenset(ids)
        rows = [n for n, h in enumerate(self.hits) if (h.id in old) != (h.id in self.task_clauses)]
        for n in rows:
            emit(self.dataChanged, self.index(n), self.index(n))
        return bool(rows)

    def set_comment_counts(self, counts: dict[str, int]) -> bool:
        """The comments per clause changed: True when a row's 意见N appears, changes or goes."""
        old, self.comment_counts = self.comment_counts, dict(counts)
        rows = [n for n, h in enumerate(self.hits) if old.get(h.id, 0) != self.comment_counts.get(h.id, 0)]
        for n in rows:
            emit(self.dataChanged, self.index(n), self.index(n))
        return bool(rows)

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.hits) + (1 if self.remaining > 0 else 0)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < self.rowCount():
            return None
        if index.row() == len(self.hits):
            if role == MoreRole:
                return True
            if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
                return self.more_text()
            if role == Qt.ItemDataRole.ToolTipRole:
                return T.LOAD_MORE_TIP
            return None
        hit = self.hits[index.row()]
        if role == HitRole:
            return hit
        if role == SiblingRole:
            return index.row() > 0 and same_section(self.hits[index.row() - 1], hit)
        if role == LinksRole:
            return self.links.get(hit.id)
        if role == TaskRole:
            return hit.id in self.task_clauses
        if role == CommentRole:
            return self.comment_counts.get(hit.id, 0)
        star = T.RESULT_TASK_MARK + " " if hit.id in self.task_clauses else ""
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            plain = html.unescape(hit.snippet.replace("<mark>", "").replace("</mark>", ""))
            return f"{star}{S.DOC_TITLE.format(title=hit.doc_title)} {' '.join(hit.path)}\n{plain}"
        if role == Qt.ItemDataRole.ToolTipRole:
            tip = f"{S.DOC_TITLE.format(title=hit.doc_title)}{S.BREADCRUMB_SEPARATOR}" + \
                S.BREADCRUMB_SEPARATOR.join(hit.path)
            n = self.comment_counts.get(hit.id, 0)
            return tip + ("\n" + T.RESULT_TASK_TIP if star else "") + ("\n" + RESULT_MARK_TIP.format(n=n) if n else "")
        return None


class HitDelegate(QStyledItemDelegate):
    """Paints a row's HTML with QTextDocument; sizeHint is the laid-out height at the view's width."""

    def __init__(self, view: QListView) -> None:
        super().__init__(view)
        self.view = view
        self._cache: dict[tuple[str, int, bool, bool, int], QTextDocument] = {}
        self.theme = theme.current()
        self.css = theme.row_css(self.theme)

    def clear_cache(self) -> None:
        self._cache.clear()

    def set_theme(self, t: theme.Theme) -> None:
        """Repaint every row in the colours of `t`."""
        self.theme, self.css = t, theme.row_css(t)
        self.clear_cache()
        self.view.viewport().update()

    def _doc(self, hit: SearchHit, width: int, links: ClauseLinks | None = None,
             sibling: bool = False, task: bool = False, comments: int = 0) -> QTextDocument:
        key = (hit.id, width, sibling, task, comments)
        doc = self._cache.get(key)
        if doc is None:
            if len(self._cache) > 400:
                self._cache.clear()
            doc = QTextDocument()
            doc.setDocumentMargin(0)
            doc.setDefaultFont(self.view.font())
            doc.setDefaultStyleSheet(self.css)
            doc.setHtml(row_html(hit, links, sibling, task, self.theme.accent, comments,
                                 (self.theme.chip_user_fg, self.theme.chip_user_bg)))
            doc.setTextWidth(max(80, width))
            self._cache[key] = doc
        return doc

    def _text_width(self) -> int:
        return self.view.viewport().width() - 2 * PAD_X - 4

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> QSize:
        hit = index.data(HitRole)
        if index.data(MoreRole):
            return QSize(self._text_width() + 2 * PAD_X, self.view.fontMetrics().height() + 3 * PAD_Y)
        if hit is None:
            return super().sizeHint(option, index)
        doc = self._doc(hit, self._text_width(), index.data(LinksRole), bool(index.data(SiblingRole)),
                        bool(index.data(TaskRole)), int(index.data(CommentRole) or 0))
        return QSize(self._text_width() + 2 * PAD_X, int(doc.size().height()) + 2 * PAD_Y + 1)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem,
              index: QModelIndex | QPersistentModelIndex) -> None:
        hit = index.data(HitRole)
        if index.data(MoreRole):
            self._paint_more(painter, option, index)
            return
        if hit is None:
            super().paint(painter, option, index)
            return
        painter.save()
        rect = option.rect
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        hover = bool(option.state & QStyle.StateFlag.State_MouseOver)
        t = self.theme
        if selected:
            painter.fillRect(rect, QColor(t.row_selected))
            painter.fillRect(rect.x(), rect.y(), 3, rect.height(), QColor(t.accent))
        elif hover:
            painter.fillRect(rect, QColor(t.row_hover))
        painter.setPen(QColor(t.row_rule))
        painter.drawLine(rect.left() + PAD_X, rect.bottom(), rect.right() - PAD_X, rect.bottom())
        doc = self._doc(hit, self._text_width(), index.data(LinksRole), bool(index.data(SiblingRole)),
                        bool(index.data(TaskRole)), int(index.data(CommentRole) or 0))
        painter.translate(rect.x() + PAD_X, rect.y() + PAD_Y)
        doc.drawContents(painter, QRectF(0, 0, doc.textWidth(), doc.size().height()))
        painter.restore()

    def _paint_more(self, painter: QPainter, option: QStyleOptionViewItem,
                    index: QModelIndex | QPersistentModelIndex) -> None:
        """The "加载更多（还有 N 条）" row: centred link-coloured text (muted while the page loads)."""
        painter.save()
        t, rect = self.theme, option.rect
        model = index.model()
        loading = isinstance(model, HitModel) and model.loading
        if option.state & QStyle.StateFlag.State_MouseOver and not loading:
            painter.fillRect(rect, QColor(t.row_hover))
        painter.setFont(self.view.font())
        painter.setPen(QColor(t.muted if loading else t.accent))
        painter.drawText(rect, int(Qt.AlignmentFlag.AlignCenter), str(index.data(Qt.ItemDataRole.DisplayRole)))
        painter.restore()


class ResultList(QListView):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("results")
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)  # Shift/Ctrl: several to export
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setResizeMode(QListView.ResizeMode.Adjust)  # re-measure rows when the width changes
        self.setUniformItemSizes(False)
        self.setWordWrap(True)
        self.setMouseTracking(True)
        self.setFrameShape(QListView.Shape.NoFrame)
        self.empty = EmptyState(self)  # why the list is empty and what to try

    def resizeEvent(self, e: Any) -> None:
        super().resizeEvent(e)
        self.scheduleDelayedItemsLayout()

    def relayout(self) -> None:
        """Re-measure every row (a row's content changed height)."""
        self.scheduleDelayedItemsLayout()
