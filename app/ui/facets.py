"""The filter sidebar: facet values with their counts over all matches; checking values narrows the search.

Checked values become query filters appended to the typed text (文件:… 类型:… 部门:… 年份:… 有指标:…);
values of one facet are alternatives (OR), facets combine (AND). After each search the counts are
refreshed from `SearchResult.facets`; checked values stay listed even when their count drops to 0.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QPushButton, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget

from app.ui import strings as S
from app.ui.emptystate import EmptyState
from app.ui.qtcompat import emit

# facet key of SearchResult.facets -> (group title, query filter key)
FACETS = (
    ("doc", S.FACET_DOC, "文件"),
    ("kind", S.FACET_KIND, "类型"),
    ("department", S.FACET_DEPARTMENT, "部门"),
    ("year", S.FACET_YEAR, "年份"),
    ("has_indicator", S.FACET_INDICATOR, "有指标"),
)
MAX_VALUES = 12  # per facet; the rest are rarely useful and make the list long
KeyRole = Qt.ItemDataRole.UserRole + 1
ValueRole = Qt.ItemDataRole.UserRole + 2


def value_label(facet: str, value: str, titles: dict[str, str]) -> str:
    if facet == "doc":
        return titles.get(value, value)
    if facet == "year":
        return S.FACET_YEAR_LABEL.format(year=value)
    if facet == "has_indicator":
        return S.FACET_HAS_INDICATOR if value == "1" else S.FACET_NO_INDICATOR
    return value


def filter_token(facet: str, value: str) -> str:
    key = dict((f, k) for f, _, k in FACETS)[facet]
    if facet == "has_indicator":
        value = "是" if value == "1" else "否"
    return f"{key}:{value}"


class FacetSidebar(QWidget):
    """Emits `scope_changed(list[str])` with the filter tokens when the user checks or unchecks a value."""

    scope_changed = Signal(list)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.tree = QTreeWidget(self)
        self.tree.setObjectName("facets")
        self.tree.setHeaderHidden(True)
        self.empty = EmptyState(self.tree)
        self.empty.set_text(S.FACET_EMPTY)
        self.clear_button = QPushButton(S.FACET_CLEAR, self)
        self.clear_button.setEnabled(False)
        self.clear_button.clicked.connect(self.clear_scope)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.tree, 1)
        lay.addWidget(self.clear_button)
        self.checked: dict[str, list[str]] = {}  # facet -> checked values, in the order checked
        self.groups: dict[str, QTreeWidgetItem] = {}
        self._filling = False
        self.tree.itemChanged.connect(self._on_item_changed)

    def tokens(self) -> list[str]:
        return [filter_token(f, v) for f, _, _ in FACETS for v in self.checked.get(f, [])]

    def item(self, facet: str, value: str) -> QTreeWidgetItem | None:
        group = self.groups.get(facet)
        if group is None:
            return None
        for i in range(group.childCount()):
            if group.child(i).data(0, ValueRole) == value:
                return group.child(i)
        return None

    def count(self, facet: str, value: str) -> int | None:
        it = self.item(facet, value)
        return None if it is None else int(it.data(0, Qt.ItemDataRole.UserRole + 3))

    def set_facets(self, facets: dict[str, dict[str, int]] | None, titles: dict[str, str]) -> None:
        """Show the counts of the latest search (None or empty: nothing to filter)."""
        self._filling = True
        expanded = {f: g.isExpanded() for f, g in self.groups.items()}
        self.tree.clear()
        self.groups = {}
        facets = facets or {}
        for facet, title, _key in FACETS:
            counts = dict(facets.get(facet) or {})
            for v in self.checked.get(facet, []):
                counts.setdefault(v, 0)
            if not counts:
                continue
            group = QTreeWidgetItem([title])
            group.setFlags(Qt.ItemFlag.ItemIsEnabled)
            self.tree.addTopLevelItem(group)
            self.groups[facet] = group
            ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
            if facet == "year":
                ranked = sorted(counts.items())
            keep = [kv for kv in ranked if kv[0] in self.checked.get(facet, [])]
            shown = ranked[:MAX_VALUES] + [kv for kv in keep if kv not in ranked[:MAX_VALUES]]
            for value, n in shown:
                it = QTreeWidgetItem([S.FACET_ITEM.format(label=value_label(facet, value, titles), n=n)])
                it.setData(0, ValueRole, value)
                it.setData(0, Qt.ItemDataRole.UserRole + 3, n)
                it.setToolTip(0, value_label(facet, value, titles))
                it.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable)
                on = value in self.checked.get(facet, [])
                it.setCheckState(0, Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)
                group.addChild(it)
            group.setExpanded(expanded.get(facet, facet != "department" or bool(self.checked.get(facet))))
        self.clear_button.setEnabled(bool(self.tokens()))
        self.empty.set_text("" if self.groups else S.FACET_EMPTY)
        self._filling = False

    def set_checked(self, facet: str, value: str, on: bool = True) -> None:
        """Check a value by program (tests, 文件库's 在所选文件中检索)."""
        it = self.item(facet, value)
        if it is not None:
            it.setCheckState(0, Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)
        else:
            self._toggle(facet, value, on)

    def set_scope(self, facet: str, values: list[str]) -> None:
        """Replace every checked value by `values` of one facet."""
        self.checked = {facet: list(values)} if values else {}
        self.clear_button.setEnabled(bool(values))
        emit(self.scope_changed, self.tokens())

    def clear_scope(self) -> None:
        self.checked = {}
        self.clear_button.setEnabled(False)
        emit(self.scope_changed, [])

    def _on_item_changed(self, item: QTreeWidgetItem, _column: int) -> None:
        if self._filling or item.parent() is None:
            return
        facet = next(f for f, g in self.groups.items() if g is item.parent())
        self._toggle(facet, item.data(0, ValueRole), item.checkState(0) == Qt.CheckState.Checked)

    def _toggle(self, facet: str, value: str, on: bool) -> None:
        values = self.checked.setdefault(facet, [])
        if on and value not in values:
            values.append(value)
        elif not on and value in values:
            values.remove(value)
        if not values:
            del self.checked[facet]
        self.clear_button.setEnabled(bool(self.tokens()))
        emit(self.scope_changed, self.tokens())
