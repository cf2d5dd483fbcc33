"""The 对照 tab: two versions of a document compared clause by clause.

Top: 旧版本 / 新版本 (preset from a version link; any two documents can be chosen), 对照, 导出新旧对照表….
Then the summary (修改 N · 新增 N · 删除 N · 移动 N · 未变 N) and, in a box of their own, the changed
indicators and deadlines (they change people's work; a click shows the clause). Below: the aligned
clauses (`pairs.PairList`) and the selected one side by side (`pairs.PairDetail`).

The document list and the links load on a read thread (`LazyView`); `Library.compare` runs on a read
thread too, and only the latest request's result is shown.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.core.compare import STATUS_LABELS, STATUSES, Comparison
from app.core.library import Library
from app.core.userdata.versions import REJECTED, VersionLink
from app.ui.common import theme
from app.ui.common.dialogs import error_message
from app.ui.common.lazyview import LazyView
from app.ui.common.qtcompat import emit
from app.ui.common.tasks import TaskManager
from app.ui.compare import strings as T
from app.ui.compare.diffhtml import status_colours
from app.ui.compare.pairs import PairDetail, PairList

ClauseRole = Qt.ItemDataRole.UserRole + 1
CHANGES_ROWS = 5  # the changes box shows this many rows before it scrolls
VIEW_QSS = """
QLabel#compareSummary {{ font-size: 14px; color: {text}; }}
QFrame#compareChangesBox {{ background: {urg_soon_bg}; border: 1px solid {chip_user_border}; border-radius: 4px; }}
QLabel#compareChangesTitle {{ color: {urg_soon}; font-weight: 600; font-size: 14px; background: transparent; }}
QListWidget#compareChanges {{ background: transparent; border: none; color: {text}; font-size: 14px; }}
QListWidget#compareChanges::item {{ padding: 2px 0; }}
QListWidget#compareChanges::item:selected {{ background: {row_selected}; color: {text}; }}
QLabel#pairTitle {{ font-size: 15px; font-weight: 600; color: {heading}; }}
QLabel#pairExplain {{ color: {label}; }}
QLabel#compareLegend {{ color: {faint}; font-size: 12px; }}
QToolButton#compareSwap {{ padding: 3px 8px; }}
QToolButton[status] {{ padding: 3px 8px; border: 1px solid {border}; border-radius: 3px; color: {faint};
                       background: {base}; }}
QToolButton[status]:checked {{ font-weight: 600; }}
QToolButton[status="modified"]:checked {{ color: {urg_soon}; background: {urg_soon_bg}; border-color: {urg_soon}; }}
QToolButton[status="added"]:checked {{ color: {urg_done}; background: {urg_done_bg}; border-color: {urg_done}; }}
QToolButton[status="deleted"]:checked {{ color: {urg_overdue}; background: {urg_overdue_bg};
                                         border-color: {urg_overdue}; }}
QToolButton[status="moved"]:checked {{ color: {chip_explicit_fg}; background: {chip_explicit_bg};
                                       border-color: {chip_explicit_border}; }}
QTextBrowser#compareSideBySide {{ background: {base}; border: 1px solid {border}; }}
"""


def fetch_versions(library: Library) -> dict[str, Any]:
    """Worker side: the documents (for the two lists) and every version link (new ones detected first)."""
    docs = [{"id": d.id, "title": d.title, "date": d.date or ""} for d in library.documents()]
    return {"docs": docs, "links": library.version_links()}


class CompareView(LazyView):
    """The 对照 tab (see the module doc); `compare(old, new)` shows two versions from anywhere."""

    open_versions = Signal()  # 版本关联…
    export_comparison = Signal(object)  # the Comparison shown: open the 新旧对照表 dialog
    compared = Signal(object)  # a Comparison is shown
    what = T.VIEW_WHAT_COMPARE

    def __init__(self, library: Library, tasks: TaskManager, parent: QWidget | None = None) -> None:
        super().__init__(library, tasks, parent)
        self.setObjectName("compareView")
        self.links: list[VersionLink] = []
        self.comparison: Comparison | None = None
        self._wanted: tuple[str, str] | None = None  # asked for before the lists were loaded
        self._run_seq = 0
        self.old_box, self.new_box = QComboBox(self), QComboBox(self)
        for box, name in ((self.old_box, "compareOld"), (self.new_box, "compareNew")):
            box.setObjectName(name)
            box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            box.setMinimumContentsLength(18)
        self.run_button = QPushButton(T.COMPARE_RUN, self)
        self.run_button.setObjectName("compareRun")
        self.swap_button = QToolButton(self)
        self.swap_button.setText(T.COMPARE_SWAP)
        self.swap_button.setObjectName("compareSwap")
        self.swap_button.setToolTip(T.COMPARE_SWAP_TIP)
        self.links_button = QPushButton(T.LIB_VERSIONS_BUTTON, self)
        self.links_button.setToolTip(T.LIB_VERSIONS_TIP)
        self.export_button = QPushButton(T.COMPARE_EXPORT, self)
        self.export_button.setObjectName("compareExport")
        self.export_button.setToolTip(T.COMPARE_EXPORT_TIP)
        self.export_button.setEnabled(False)
        top = QHBoxLayout()
        top.setSpacing(6)
        top.addWidget(QLabel(T.COMPARE_OLD, self))
        top.addWidget(self.old_box, 1)
        top.addWidget(QLabel(T.COMPARE_ARROW, self))
        top.addWidget(QLabel(T.COMPARE_NEW, self))
        top.addWidget(self.new_box, 1)
        top.addWidget(self.swap_button)
        top.addWidget(self.run_button)
        top.addSpacing(12)
        top.addWidget(self.links_button)
        top.addWidget(self.export_button)

        self.summary = QLabel(self)
        self.summary.setObjectName("compareSummary")
        self.summary.setTextFormat(Qt.TextFormat.RichText)
        self.summary.setWordWrap(True)
        self.changes_box = QFrame(self)
        self.changes_box.setObjectName("compareChangesBox")
        self.changes_title = QLabel(self.changes_box)
        self.changes_title.setObjectName("compareChangesTitle")
        self.changes = QListWidget(self.changes_box)
        self.changes.setObjectName("compareChanges")
        self.changes.setToolTip(T.COMPARE_CHANGES_TIP)
        self.changes.setWordWrap(True)
        self.changes.setFrameShape(QFrame.Shape.NoFrame)
        box = QVBoxLayout(self.changes_box)
        box.setContentsMargins(10, 6, 10, 6)
        box.setSpacing(2)
        box.addWidget(self.changes_title)
        box.addWidget(self.changes)
        self.changes_box.hide()

        self.pairs = PairList(self)
        self.detail = PairDetail(self)
        self.split = QSplitter(Qt.Orientation.Horizontal, self)
        self.split.addWidget(self.pairs)
        self.split.addWidget(self.detail)
        self.split.setChildrenCollapsible(False)
        self.split.setStretchFactor(0, 2)
        self.split.setStretchFactor(1, 3)
        self.split.setSizes([460, 760])
        self.empty = self.pairs.empty  # LazyView's empty state: over the list of clauses

        lay = QVBoxLayout(self)
        lay.setContentsMargins(12, 12, 12, 8)
        lay.setSpacing(8)
        lay.addLayout(top)
        lay.addWidget(self.summary)
        lay.addWidget(self.changes_box)
        lay.addWidget(self.split, 1)
        lay.addWidget(self.info)
        self.run_button.clicked.connect(self.run)
        self.swap_button.clicked.connect(self.swap)
        self.links_button.clicked.connect(lambda: emit(self.open_versions))
        self.export_button.clicked.connect(self._on_export_clicked)
        self.pairs.pair_selected.connect(self._on_pair_selected)
        self.changes.itemClicked.connect(self._on_change_clicked)
        self.changes.itemActivated.connect(self._on_change_clicked)
        self.detail.open_clause.connect(lambda cid: emit(self.open_clause, cid))
        self.restyle()

    # -- the lists -----------------------------------------------------------------------------------
    def fetch(self, library: Library) -> dict[str, Any]:
        return fetch_versions(library)

    def fill(self, data: dict[str, Any]) -> None:
        self.links = list(data["links"])
        linked = {d for k in self.links if k.state != REJECTED for d in (k.old_id, k.new_id)}
        docs = sorted(data["docs"], key=lambda d: d["id"] not in linked)  # versions first, else library order
        for box in (self.old_box, self.new_box):
            keep = box.currentData()
            box.blockSignals(True)
            box.clear()
            for d in docs:
                text = (T.COMPARE_DOC_ITEM_DATED if d["date"] else T.COMPARE_DOC_ITEM).format(**d)
                box.addItem(text, d["id"])
                box.setItemData(box.count() - 1, text, Qt.ItemDataRole.ToolTipRole)
            if keep is not None:
                box.setCurrentIndex(max(0, box.findData(keep)))
            box.blockSignals(False)
        self.info.setText("")
        wanted = self._wanted
        if wanted is None and self.comparison is None:
            live = [k for k in self.links if k.state != REJECTED]
            if live:
                wanted = (live[-1].old_id, live[-1].new_id)  # the latest link found
        if wanted is not None:
            self._wanted = None
            self.compare(*wanted)
        elif self.comparison is None:
            self.pairs.set_comparison(None)
            self.set_empty(T.COMPARE_NO_LINKS if not self.links else T.COMPARE_PICK)

    def compare(self, old_id: str, new_id: str) -> None:
        """Show `old_id` → `new_id` (the lists are loaded first if need be). Without `new_id` only the old
        version is chosen: the user picks the other one."""
        if not self.is_loaded:
            self._wanted = (old_id, new_id)
            self.ensure_loaded()
            return
        for box, doc in ((self.old_box, old_id), (self.new_box, new_id)):
            i = box.findData(doc) if doc else -1
            if i >= 0:
                box.setCurrentIndex(i)
        if new_id:
            self.run()
        else:
            self.info.setText(T.COMPARE_PICK_NEW)

    def swap(self) -> None:
        o, n = self.old_box.currentIndex(), self.new_box.currentIndex()
        self.old_box.setCurrentIndex(n)
        self.new_box.setCurrentIndex(o)

    def link_for(self, old_id: str, new_id: str) -> VersionLink | None:
        return next((k for k in self.links if (k.old_id, k.new_id) == (old_id, new_id)), None)

    # -- comparing ----------------------------------------------------------------------------------
    def run(self) -> None:
        """对照: compare the two chosen documents on a read thread."""
        old_id, new_id = self.old_box.currentData(), self.new_box.currentData()
        if not old_id or not new_id:
            return
        if old_id == new_id:
            self.info.setText(T.COMPARE_SAME)
            return
        self._run_seq += 1
        seq = self._run_seq
        self.info.setText(T.COMPARE_RUNNING)
        self.run_button.setEnabled(False)
        lib = self.library
        self.tasks.run_read(lambda: lib.compare(old_id, new_id), lambda cmp: self._on_compared(seq, cmp),
                            on_error=lambda exc: self._on_compare_failed(seq, exc), name="compare")

    def _on_compared(self, seq: int, cmp: Comparison) -> None:
        if seq != self._run_seq:
            return
        self.run_button.setEnabled(True)
        self.show_comparison(cmp)

    def _on_compare_failed(self, seq: int, exc: BaseException) -> None:
        if seq != self._run_seq:
            return
        self.run_button.setEnabled(True)
        self.info.setText(error_message(exc))

    def show_comparison(self, cmp: Comparison) -> None:
        self.comparison = cmp
        link = self.link_for(cmp.old_doc.id, cmp.new_doc.id)
        self.info.setText(T.COMPARE_FROM_LINK.format(state=link.state_label, method=link.method_label)
                          if link is not None else "")
        self.summary.setText(self._summary_html(cmp))
        self._fill_changes(cmp)
        self.pairs.set_comparison(cmp)
        self.pairs.select_first()
        if not self.pairs.shown():
            self.detail.set_pair(None)
        self.export_button.setEnabled(True)
        emit(self.compared, cmp)

    def _summary_html(self, cmp: Comparison) -> str:
        colours = status_colours(theme.current())
        counts = cmp.summary
        parts = [f'<span style="color:{colours[s][0]};">{STATUS_LABELS[s]} <b>{counts[s]}</b></span>'
                 for s in STATUSES]
        text = T.COMPARE_SUMMARY.format(n=len(cmp.pairs)) + " · ".join(parts)
        if cmp.renumbered:
            text += T.COMPARE_RENUMBERED.format(n=cmp.renumbered)
        return text

    def _fill_changes(self, cmp: Comparison) -> None:
        self.changes.clear()
        changes = cmp.changes
        self.changes_box.show()
        self.changes.setVisible(bool(changes))
        self.changes_title.setText(T.COMPARE_CHANGES.format(n=len(changes)) if changes else T.COMPARE_CHANGES_NONE)
        for c in changes:
            item = QListWidgetItem(f"{c.where}　{c.describe()}")
            item.setData(ClauseRole, c.new_clause or c.old_clause)
            item.setToolTip(T.COMPARE_CHANGES_TIP)
            self.changes.addItem(item)
        if changes:
            rows = min(len(changes), CHANGES_ROWS)
            height = sum(self.changes.sizeHintForRow(r) for r in range(rows)) + 2 * self.changes.frameWidth() + 4
            self.changes.setFixedHeight(max(height, self.changes.fontMetrics().lineSpacing() * rows))

    def select_clause(self, clause_id: str) -> bool:
        """Select the pair holding `clause_id` (either side)."""
        cmp = self.comparison
        if cmp is None:
            return False
        for n, p in enumerate(cmp.pairs):
            if (p.new is not None and p.new.id == clause_id) or (p.old is not None and p.old.id == clause_id):
                return self.pairs.select(n)
        return False

    def _on_change_clicked(self, item: QListWidgetItem) -> None:
        cid = item.data(ClauseRole)
        if cid:
            self.select_clause(cid)

    def _on_pair_selected(self, index: int) -> None:
        cmp = self.comparison
        self.detail.set_pair(cmp.pairs[index] if cmp is not None and 0 <= index < len(cmp.pairs) else None)

    def _on_export_clicked(self) -> None:
        if self.comparison is not None:
            emit(self.export_comparison, self.comparison)

    def invalidate(self) -> None:
        """The library changed (an index run, a link confirmed): reload the lists, then compare again."""
        if self.comparison is not None and self._wanted is None:
            self._wanted = (self.comparison.old_doc.id, self.comparison.new_doc.id)
        super().invalidate()

    def restyle(self) -> None:
        t = theme.current()
        self.setStyleSheet(VIEW_QSS.format(**{k: getattr(t, k) for k in t.__dataclass_fields__}))
        self.pairs.restyle()
        self.detail.restyle()
        if self.comparison is not None:
            self.summary.setText(self._summary_html(self.comparison))
