"""Find clipped widgets in a window: text that does not fit its label, button, tab or column header.

Used by the screenshot script (it prints what it finds) and by the high-DPI test, which renders the
window at QT_SCALE_FACTOR=2. A widget counts as clipped when it is smaller than its minimum size
hint, a word-wrapped label is shorter than its text needs, a child sticks out of its parent, or a
tab or header section is narrower than its caption.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractScrollArea,
    QAbstractSpinBox,
    QComboBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTabBar,
    QWidget,
)

HEADER_PAD = 8  # a header section's text margins
SORT_ARROW = 14  # room for the sort indicator of the sorted column


def _name(w: QWidget) -> str:
    text = w.text() if isinstance(w, (QLabel, QAbstractButton)) else ""
    label = w.objectName() or type(w).__name__
    return f"{label}「{text[:20]}」" if text else label


def _placed_by_parent(w: QWidget) -> bool:
    """Editors inside an item view's viewport, a line edit's own buttons and the line edit inside a combo
    or spin box are sized by their owner."""
    if isinstance(w.parentWidget(), (QLineEdit, QComboBox, QAbstractSpinBox)):
        return True
    p = w.parentWidget()
    while p is not None:
        if isinstance(p.parentWidget(), QAbstractScrollArea) and p is p.parentWidget().viewport():
            return True
        p = p.parentWidget()
    return False


def clipped(root: QWidget) -> list[str]:
    """What does not fit, one line per problem ("" list: nothing clipped). Only visible widgets count."""
    problems: list[str] = []
    for w in [root, *root.findChildren(QWidget)]:
        if not w.isVisible() or (w.isWindow() and w is not root) or _placed_by_parent(w):
            continue
        size, hint = w.size(), w.minimumSizeHint()
        parent = w.parentWidget()
        if parent is not None and not w.isWindow() \
                and not parent.rect().contains(w.geometry()) and not isinstance(parent, QAbstractScrollArea):
            problems.append(f"{_name(w)} 超出父部件 {_name(parent)}: {w.geometry()} ⊄ {parent.rect()}")
        if isinstance(w, QLabel) and w.wordWrap() and w.text():
            need = w.heightForWidth(w.width())
            if need > size.height() + 1:
                problems.append(f"{_name(w)} 高度 {size.height()} < 文字所需 {need}")
        elif isinstance(w, (QLabel, QAbstractButton, QLineEdit)) and hint.isValid() and (
                size.width() < hint.width() or size.height() < hint.height()):
            problems.append(f"{_name(w)} {size.width()}×{size.height()} < 最小 {hint.width()}×{hint.height()}")
        if isinstance(w, QTabBar):
            for i in range(w.count()):
                need = w.fontMetrics().horizontalAdvance(w.tabText(i))
                if w.tabRect(i).width() < need:
                    problems.append(f"标签页「{w.tabText(i)}」宽 {w.tabRect(i).width()} < 文字 {need}")
        if isinstance(w, QHeaderView) and isinstance(w.parentWidget(), QAbstractItemView):
            problems += _header_problems(w)
    return problems


def _header_problems(h: QHeaderView) -> list[str]:
    out = []
    model = h.model()
    if model is None:
        return out
    orientation = h.orientation()
    last = h.count() - 1
    for i in range(h.count()):
        if h.isSectionHidden(i) or (h.stretchLastSection() and i == last):
            continue
        text = str(model.headerData(i, orientation) or "")
        need = h.fontMetrics().horizontalAdvance(text) + HEADER_PAD
        if h.isSortIndicatorShown() and h.sortIndicatorSection() == i:
            need += SORT_ARROW
        if text and h.sectionSize(i) < need:
            out.append(f"表头「{text}」宽 {h.sectionSize(i)} < 所需 {need}")
    return out
