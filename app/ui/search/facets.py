"""The filter sidebar: facet values with their counts over all matches; checking values narrows the search.

Checked values become query filters appended to the typed text (文件:… 类型:… 部门:… 年份:… 有指标:…);
values of one facet are alternatives (OR), facets combine (AND). After each search the counts are
refreshed from `SearchResult.facets`; checked values stay listed even when their count drops to 0.

Each value is a row of two columns: its label (elided, the whole of it in the tooltip) and its count,
which is never cut off. 相关部门 counts every link of a clause, inferred and mentioned ones too: that is
what the 部门: filter matches, so a count is the number of results a check leaves; the group title and
the tooltips say so, so that no count reads as an official assignment. Generic actors (各区, 有关部门,
企业 … as the 部门 page hides them) are listed under a collapsed 泛指主体 entry after the departments.
"""

from __future__ import annotations

from collections.abc import Iterator

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHeaderView, QPushButton, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget

from app.ui.common import strings as S
from app.ui.common.emptystate import EmptyState
from app.ui.common.qtcompat import emit
from app.ui.search import strings as T

# facet key of SearchResult.facets -> (group title, query filter key)
FACETS = (
    ("doc", T.FACET_DOC, "文件"),
    ("kind", T.FACET_KIND, "类型"),
    ("department", T.FACET_DEPARTMENT, "部门"),
    ("year", T.FACET_YEAR, "年份"),
    ("has_indicator", T.FACET_INDICATOR, "有指标"),
)
MAX_VALUES = 12  # per facet; the rest are rarely useful and make the list long
KeyRole = Qt.ItemDataRole.UserRole + 1  # on a value row: its facet
ValueRole = Qt.ItemDataRole.UserRole + 2
CountRole = Qt.ItemDataRole.UserRole + 3
GenericRole = Qt.ItemDataRole.UserRole + 4  # True on the 泛指主体 entry and the generic actors under it
LABEL, COUNT = 0, 1  # columns


NATIONAL_PREFIX = "中华人民共和国"  # dropped from a law's name in the narrow sidebar, as the short title does


def value_label(facet: str, value: str, titles: dict[str, str]) -> str:
    if facet == "doc":
        return titles.get(value, value)
    if facet == "year":
        return T.FACET_YEAR_LABEL.format(year=value)
    if facet == "has_indicator":
        return T.FACET_HAS_INDICATOR if value == "1" else T.FACET_NO_INDICATOR
    return value


def short_label(facet: str, label: str) -> str:
    """What the row shows: a law's title without 中华人民共和国 (the tooltip keeps the whole title)."""
    if facet == "doc" and label.startswith(NATIONAL_PREFIX) and len(label) > len(NATIONAL_PREFIX):
        return label[len(NATIONAL_PREFIX):]
    return label


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
        self.tree.setColumnCount(2)
        self.tree.setTextElideMode(Qt.TextElideMode.ElideRight)
        head = self.tree.header()
        head.setStretchLastSection(False)
        head.setSectionResizeMode(LABEL, QHeaderView.ResizeMode.Stretch)  # the title gives way, not the count
        head.setSectionResizeMode(COUNT, QHeaderView.ResizeMode.ResizeToContents)
        head.setMinimumSectionSize(self.fontMetrics().horizontalAdvance("0"))  # as narrow as the count
        self.empty = EmptyState(self.tree)
        self.empty.set_text(T.FACET_EMPTY)
        self.clear_button = QPushButton(T.FACET_CLEAR, self)
        self.clear_button.setEnabled(False)
        self.clear_button.clicked.connect(self.clear_scope)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.tree, 1)
        lay.addWidget(self.clear_button)
        self.checked: dict[str, list[str]] = {}  # facet -> checked values, in the order checked
        self.groups: dict[str, QTreeWidgetItem] = {}
        self.generic: set[str] = set()  # department values known to be generic actors (every search adds)
        self.generic_group: QTreeWidgetItem | None = None
        self._generic_expanded = False
        self._filling = False
        self.tree.itemChanged.connect(self._on_item_changed)

    def tokens(self) -> list[str]:
        return [filter_token(f, v) for f, _, _ in FACETS for v in self.checked.get(f, [])]

    def _value_items(self, facet: str) -> Iterator[QTreeWidgetItem]:
        """The value rows of a facet, those under its 泛指主体 entry included."""
        group = self.groups.get(facet)
        stack = [group] if group is not None else []
        while stack:
            node = stack.pop(0)
            for i in range(node.childCount()):
                child = node.child(i)
                if child.data(LABEL, KeyRole) == facet:
                    yield child
                elif child.childCount():
                    stack.append(child)

    def item(self, facet: str, value: str) -> QTreeWidgetItem | None:
        return next((it for it in self._value_items(facet) if it.data(LABEL, ValueRole) == value), None)

    def count(self, facet: str, value: str) -> int | None:
        it = self.item(facet, value)
        return None if it is None else int(it.data(LABEL, CountRole))

    def set_facets(self, facets: dict[str, dict[str, int]] | None, titles: dict[str, str],
                   generic: set[str] | frozenset[str] | None = None) -> None:
        """Show the counts of the latest search (None or empty: nothing to filter). `generic`: the
        department values that are generic actors (listed apart, under 泛指主体)."""
        self._filling = True
        expanded = {f: g.isExpanded() for f, g in self.groups.items()}
        if self.generic_group is not None:
            self._generic_expanded = self.generic_group.isExpanded()
        self.generic |= set(generic or ())
        self.tree.clear()
        self.groups, self.generic_group = {}, None
        facets = facets or {}
        for facet, title, _key in FACETS:
            counts = dict(facets.get(facet) or {})
            checked = self.checked.get(facet, [])
            for v in checked:
                counts.setdefault(v, 0)
            if not counts:
                continue
            group = QTreeWidgetItem([title, ""])
            group.setFlags(Qt.ItemFlag.ItemIsEnabled)
            self.tree.addTopLevelItem(group)
            group.setFirstColumnSpanned(True)
            self.groups[facet] = group
            ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
            if facet == "year":
                ranked = sorted(counts.items())
            apart = [kv for kv in ranked if kv[0] in self.generic] if facet == "department" else []
            ranked = [kv for kv in ranked if kv not in apart]
            for value, n in _shown(ranked, checked):
                group.addChild(self._value_item(facet, value, n, titles))
            if facet == "department":
                group.setToolTip(LABEL, T.FACET_DEPARTMENT_TIP)
                if apart:
                    self._add_generic(group, _shown(apart, checked))
            group.setExpanded(expanded.get(facet, facet != "department" or bool(checked)))
        self.clear_button.setEnabled(bool(self.tokens()))
        self.empty.set_text("" if self.groups else T.FACET_EMPTY)
        self._filling = False

    def _value_item(self, facet: str, value: str, n: int, titles: dict[str, str]) -> QTreeWidgetItem:
        label = value_label(facet, value, titles)
        it = QTreeWidgetItem([short_label(facet, label), str(n)])
        it.setData(LABEL, KeyRole, facet)
        it.setData(LABEL, ValueRole, value)
        it.setData(LABEL, CountRole, n)
        it.setData(LABEL, Qt.ItemDataRole.AccessibleTextRole, T.FACET_ITEM.format(label=label, n=n))
        tip = T.FACET_DEPARTMENT_ITEM_TIP.format(name=label, n=n) if facet == "department" \
            else T.FACET_ITEM.format(label=label, n=n)
        it.setToolTip(LABEL, tip)
        it.setToolTip(COUNT, tip)
        it.setTextAlignment(COUNT, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        it.setForeground(COUNT, self.palette().placeholderText())
        it.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable)
        on = value in self.checked.get(facet, [])
        it.setCheckState(LABEL, Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)
        return it

    def _add_generic(self, group: QTreeWidgetItem, values: list[tuple[str, int]]) -> None:
        """The 泛指主体 entry, collapsed unless the user opened it or checked one of its values."""
        node = QTreeWidgetItem([T.FACET_GENERIC, ""])
        node.setFlags(Qt.ItemFlag.ItemIsEnabled)
        node.setData(LABEL, GenericRole, True)
        node.setToolTip(LABEL, T.FACET_GENERIC_TIP)
        grey = self.palette().placeholderText()
        node.setForeground(LABEL, grey)
        group.addChild(node)
        node.setFirstColumnSpanned(True)
        for value, n in values:
            it = self._value_item("department", value, n, {})
            it.setData(LABEL, GenericRole, True)
            it.setToolTip(LABEL, S.DEPT_GENERIC_TIP.format(name=value))
            font = it.font(LABEL)
            font.setItalic(True)
            it.setFont(LABEL, font)
            it.setForeground(LABEL, grey)
            node.addChild(it)
        self.generic_group = node
        node.setExpanded(self._generic_expanded or any(v in self.generic for v in self.checked.get("department", [])))

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

    def _on_item_changed(self, item: QTreeWidgetItem, column: int) -> None:
        facet = item.data(LABEL, KeyRole)
        if self._filling or column != LABEL or not facet:
            return
        self._toggle(facet, item.data(LABEL, ValueRole), item.checkState(LABEL) == Qt.CheckState.Checked)

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


def _shown(ranked: list[tuple[str, int]], checked: list[str]) -> list[tuple[str, int]]:
    """The first MAX_VALUES values, and every checked one after them."""
    top = ranked[:MAX_VALUES]
    return top + [kv for kv in ranked if kv[0] in checked and kv not in top]
