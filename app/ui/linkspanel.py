"""The 条款信息 box above the reading pane: the selected clause's departments, indicators and deadline.

The formatting functions are pure (the result rows use them too); the widgets only show their output.
Every engine string is HTML-escaped. A department always shows where it comes from: 原文, 分工表 and
手工 are solid chips; 推断 is a dashed, grey, italic chip with its confidence and the evidence in the
tooltip, so an inference never looks like a fact. Generic actors (各级人民政府, 有关部门 …) are plain text.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence

from PySide6.QtCore import QPoint, QRect, QSize, Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLayout,
    QLayoutItem,
    QPushButton,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.core.links.service import ClauseLinks
from app.core.models import Deadline, DepartmentLink, Indicator
from app.ui import strings as S
from app.ui.qtcompat import emit

GENERIC_PREFIX = "泛指"
CHIP_LIMIT = 6  # chips shown per role before "另 N 个…"
INDICATOR_LIMIT = 4
ROLES = (("lead", S.LINKS_LEAD), ("support", S.LINKS_SUPPORT), ("mentioned", S.LINKS_MENTIONED))
SOURCES = ("explicit", "table", "user", "inferred")
COMPARATORS = {">=": "≥", "<=": "≤", "~": "≈", "=": "=", ">": ">", "<": "<"}
TAG_COLOURS = {"explicit": "#5a7396", "table": "#4f7d5d", "user": "#94661a", "inferred": "#8a8f98"}
NOTE_COLOUR = "#7a7f87"

LINKS_QSS = """
QFrame#linksPanel { background: #fafbfc; border: none; border-bottom: 1px solid #e1e4e8; }
QLabel#linksTitle { color: #4b5563; font-weight: 600; font-size: 13px; }
QLabel[kind="rowLabel"] { color: #7a7f87; font-size: 13px; padding-top: 3px; }
QLabel[kind="note"] { color: #8a8f98; font-size: 13px; padding-top: 3px; }
QLabel[kind="generic"] { color: #5f6670; font-size: 13px; padding: 3px 2px 0 2px; }
QLabel[kind="indicator"], QLabel[kind="deadline"] { color: #1f2329; font-size: 13.5px; padding-top: 3px; }
QLabel[chip] { font-size: 13px; border-radius: 10px; padding: 1px 8px; }
QLabel[chip="explicit"] { background: #eef3fa; border: 1px solid #c3d2e8; color: #1d3d6b; }
QLabel[chip="table"] { background: #edf6ef; border: 1px solid #b9d9c2; color: #1f5a33; }
QLabel[chip="user"] { background: #fff3dc; border: 1px solid #e9c98a; color: #6b4300; }
QLabel[chip="inferred"] { background: transparent; border: 1px dashed #aab0b8; color: #6b7078;
                          font-style: italic; }
QToolButton#linksMore { color: #3b6fb6; border: none; font-size: 13px; padding: 2px 4px; }
QToolButton#linksMore:hover { text-decoration: underline; }
QPushButton#linksEdit { padding: 2px 12px; font-size: 13px; }
"""


# -- pure formatting ---------------------------------------------------------------------------------
def is_generic(d: DepartmentLink) -> bool:
    """各级人民政府, 有关部门, 企业 …: named by the text, but not a department anyone can be assigned."""
    return d.evidence.startswith(GENERIC_PREFIX)


def percent(confidence: float) -> int:
    return round(max(0.0, min(1.0, confidence)) * 100)


def source_of(d: DepartmentLink) -> str:
    return d.source if d.source in SOURCES else "explicit"


def dept_tag(d: DepartmentLink, *, with_confidence: bool = True) -> str:
    """原文 / 分工表 / 手工 / 推断·62%."""
    src = source_of(d)
    if src == "inferred":
        return S.TAG_INFERRED_CONF.format(pct=percent(d.confidence)) if with_confidence else S.TAG_INFERRED
    return {"explicit": S.TAG_EXPLICIT, "table": S.TAG_TABLE, "user": S.TAG_USER}[src]


def dept_tooltip(d: DepartmentLink) -> str:
    src = source_of(d)
    if src == "inferred":
        return S.TIP_INFERRED.format(pct=percent(d.confidence), evidence=d.evidence)
    if src == "table":
        return S.TIP_TABLE
    if src == "user":
        return S.TIP_USER
    return S.TIP_EXPLICIT.format(evidence=d.evidence)


def chip_html(d: DepartmentLink) -> str:
    colour = TAG_COLOURS[source_of(d)]
    return (f'{html.escape(d.name)}&nbsp;<span style="color:{colour}; font-size:11.5px;">'
            f"{html.escape(dept_tag(d))}</span>")


def by_role(links: ClauseLinks) -> dict[str, tuple[list[DepartmentLink], list[DepartmentLink]]]:
    """role -> (departments, generic actors), in the engine's order; a name appears once per role."""
    out: dict[str, tuple[list[DepartmentLink], list[DepartmentLink]]] = {r: ([], []) for r, _ in ROLES}
    seen: set[tuple[str, str]] = set()
    for d in links.departments:
        if d.role not in out or (d.role, d.name) in seen:
            continue
        seen.add((d.role, d.name))
        out[d.role][1 if is_generic(d) else 0].append(d)
    return out


def format_number(value: float) -> str:
    if float(value).is_integer():
        return str(int(value))
    return f"{value:f}".rstrip("0").rstrip(".")


def indicator_parts(i: Indicator) -> tuple[str, str, str]:
    """(name, target such as '≥ 87.5%', note such as '（2030年·定性）'), all plain text."""
    target = ""
    if i.value is not None:
        cmp = COMPARATORS.get(i.comparator, i.comparator)
        target = f"{cmp} {format_number(i.value)}{i.unit}".strip()
    notes = []
    if i.deadline:
        notes.append(S.INDICATOR_YEAR.format(year=i.deadline))
    if i.qualitative:
        notes.append(S.INDICATOR_QUALITATIVE)
    note = S.INDICATOR_NOTE.format(notes=S.INDICATOR_NOTE_SEPARATOR.join(notes)) if notes else ""
    return i.name, target, note


def indicator_text(i: Indicator) -> str:
    """生活垃圾回收利用率：≥ 50%（2030年）."""
    name, target, note = indicator_parts(i)
    return (S.INDICATOR_TEXT.format(name=name, value=target) if target else name) + note


def indicator_html(i: Indicator) -> str:
    name, target, note = indicator_parts(i)
    out = html.escape(name)
    if target:
        out = S.INDICATOR_TEXT.format(name=out, value=f"<b>{html.escape(target)}</b>")
    if note:
        out += f'<span style="color:{NOTE_COLOUR};">{html.escape(note)}</span>'
    return out


_DEADLINE_PHRASE = re.compile(
    r"(?:截至|截止到?|到|至|于|在|力争)?\s*20\d{2}\s*年(?:\s*\d{1,2}\s*月)?(?:\s*\d{1,2}\s*日)?"
    r"(?:底|末|年底|年末)?(?:前|以前|之前)?")


def short_quote(quote: str) -> str:
    """The deadline's own words from its sentence: '到 2030 年，森林覆盖率…' → '到2030年'."""
    m = _DEADLINE_PHRASE.search(quote)
    text = m.group(0) if m else quote
    text = re.sub(r"\s+", "", text)
    return text if len(text) <= 16 else text[:15] + "…"


def deadline_date(dl: Deadline) -> str:
    if dl.date:
        m = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", dl.date)
        if m:
            return S.DEADLINE_DATE.format(year=int(m[1]), month=int(m[2]), day=int(m[3]))
    return S.DEADLINE_YEAR.format(year=dl.year)


def deadline_note(dl: Deadline) -> str:
    if dl.source == "inherited":
        return S.DEADLINE_INHERITED
    if dl.source == "table":
        return S.DEADLINE_TABLE
    if dl.source == "user":
        return S.DEADLINE_USER
    return S.DEADLINE_EXPLICIT.format(quote=short_quote(dl.quote)) if dl.quote else ""


def deadline_text(dl: Deadline) -> str:
    """2030年（原文：到2030年） / 2030年（继承规划期限） / 2026年6月30日（手工）."""
    return deadline_date(dl) + deadline_note(dl)


def deadline_html(dl: Deadline) -> str:
    when = html.escape(deadline_date(dl))
    note = f'<span style="color:{NOTE_COLOUR};">{html.escape(deadline_note(dl))}</span>'
    if dl.source == "inherited":  # not stated by the clause: never as bold as a stated date
        return f'<i style="color:#5f6670;">{when}</i>{note}'
    return f"<b>{when}</b>{note}"


def deadline_tooltip(dl: Deadline) -> str:
    if dl.source == "inherited":
        return S.TIP_DEADLINE_INHERITED
    if dl.source == "table":
        return S.TIP_TABLE
    if dl.source == "user":
        return S.TIP_USER + (f"\n{dl.quote}" if dl.quote else "")
    return S.TIP_QUOTE.format(quote=dl.quote) if dl.quote else ""


def row_chips_html(links: ClauseLinks | None) -> str:
    """The grey line under a result's breadcrumb: 市水务局·推断　2030年　2 项指标 (escaped HTML, or '')."""
    if links is None:
        return ""
    parts: list[str] = []
    leads = by_role(links)["lead"][0]
    if leads:
        d = leads[0]
        text = f"{d.name}·{dept_tag(d, with_confidence=False)}"
        if len(leads) > 1:
            text += " " + S.ROW_LEAD_MORE.format(n=len(leads))
        cls = "chip inferred" if source_of(d) == "inferred" else "chip"
        parts.append(f'<span class="{cls}">{html.escape(text)}</span>')
    dl = links.deadline
    if dl is not None:
        year = S.DEADLINE_YEAR.format(year=dl.year)
        if dl.source == "inherited":
            parts.append(f'<span class="chip inferred">{html.escape(year + "·" + S.ROW_DEADLINE_INHERITED)}</span>')
        elif dl.source in ("table", "user"):
            tag = S.TAG_TABLE if dl.source == "table" else S.TAG_USER
            parts.append(f'<span class="chip">{html.escape(year + "·" + tag)}</span>')
        else:
            parts.append(f'<span class="chip">{html.escape(year)}</span>')
    if links.indicators:
        parts.append(f'<span class="chip">{html.escape(S.ROW_INDICATORS.format(n=len(links.indicators)))}</span>')
    return f'<span style="color:#c0c4ca;">{html.escape(S.ROW_CHIP_SEPARATOR)}</span>'.join(parts)


def tip_html(text: str) -> str:
    """A tooltip that shows `text` literally: Qt guesses rich text from the content otherwise (and
    evidence quoted from a document must never be taken for markup). Rich text also wraps long lines."""
    if not text:
        return ""
    return "<p>" + html.escape(text).replace("\n", "<br>") + "</p>"


def names_text(names: Sequence[str]) -> str:
    return S.NAME_SEPARATOR.join(names)


# -- widgets -----------------------------------------------------------------------------------------
class FlowLayout(QLayout):
    """Lays widgets out left to right and wraps them like words; its height follows its width."""

    def __init__(self, parent: QWidget | None = None, hspacing: int = 6, vspacing: int = 5) -> None:
        super().__init__(parent)
        self._items: list[QLayoutItem] = []
        self._h, self._v = hspacing, vspacing
        self.setContentsMargins(0, 0, 0, 0)

    def addItem(self, item: QLayoutItem) -> None:
        self._items.append(item)

    def count(self) -> int:
        return len(self._items)

    def itemAt(self, index: int) -> QLayoutItem | None:
        return self._items[index] if 0 <= index < len(self._items) else None

    def takeAt(self, index: int) -> QLayoutItem | None:
        return self._items.pop(index) if 0 <= index < len(self._items) else None

    def expandingDirections(self) -> Qt.Orientation:
        return Qt.Orientation(0)

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        return self._arrange(QRect(0, 0, width, 0), apply=False)

    def setGeometry(self, rect: QRect) -> None:
        super().setGeometry(rect)
        self._arrange(rect, apply=True)

    def sizeHint(self) -> QSize:
        return self.minimumSize()

    def minimumSize(self) -> QSize:
        size = QSize()
        for item in self._items:
            if not item.isEmpty():
                size = size.expandedTo(item.minimumSize())
        m = self.contentsMargins()
        return size + QSize(m.left() + m.right(), m.top() + m.bottom())

    def _arrange(self, rect: QRect, *, apply: bool) -> int:
        m = self.contentsMargins()
        area = rect.adjusted(m.left(), m.top(), -m.right(), -m.bottom())
        x, y, line = area.x(), area.y(), 0
        for item in self._items:
            if item.isEmpty():  # hidden widgets take no room
                continue
            hint = item.sizeHint()
            width = min(hint.width(), max(1, area.width()))
            if x > area.x() and x + width > area.x() + area.width():
                x, y, line = area.x(), y + line + self._v, 0
            if apply:
                item.setGeometry(QRect(QPoint(x, y), QSize(width, hint.height())))
            x += width + self._h
            line = max(line, hint.height())
        return y + line - rect.y() + m.bottom()


class Chip(QLabel):
    """One department with its provenance tag; the evidence is in the tooltip."""

    def __init__(self, link: DepartmentLink, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.link = link
        self.tag = dept_tag(link)
        self.setTextFormat(Qt.TextFormat.RichText)
        self.setText(chip_html(link))
        self.setProperty("chip", source_of(link))
        self.setToolTip(tip_html(dept_tooltip(link)))
        self.setAccessibleName(f"{link.name} {self.tag}")

    @property
    def plain(self) -> str:
        return f"{self.link.name}·{self.tag}"


def _label(text: str, kind: str, parent: QWidget, *, rich: bool = False, tip: str = "") -> QLabel:
    lab = QLabel(parent)
    lab.setTextFormat(Qt.TextFormat.RichText if rich else Qt.TextFormat.PlainText)
    lab.setText(text)
    lab.setProperty("kind", kind)
    if tip:
        lab.setToolTip(tip_html(tip))
    return lab


class LinksPanel(QFrame):
    """Shows one clause's links; `edit_requested` asks for the correction dialog."""

    edit_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("linksPanel")
        self.setStyleSheet(LINKS_QSS)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        self.clause_id: str | None = None
        self.links = ClauseLinks()
        self.chips: list[Chip] = []
        self.indicator_labels: list[QLabel] = []
        self.deadline_label: QLabel | None = None
        self.more_buttons: list[QToolButton] = []
        self._plain: list[str] = []

        self.title = QLabel(S.LINKS_TITLE, self)
        self.title.setObjectName("linksTitle")
        self.title.setToolTip(S.LINKS_LEGEND)
        self.edit_button = QPushButton(S.LINKS_EDIT, self)
        self.edit_button.setObjectName("linksEdit")
        self.edit_button.setToolTip(S.LINKS_EDIT_TOOLTIP)
        self.edit_button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self.edit_button.clicked.connect(self._on_edit_clicked)
        top = QHBoxLayout()
        top.setContentsMargins(0, 0, 0, 0)
        top.addWidget(self.title)
        top.addStretch(1)
        top.addWidget(self.edit_button)
        self._outer = QVBoxLayout(self)
        self._outer.setContentsMargins(16, 6, 16, 8)
        self._outer.setSpacing(4)
        self._outer.addLayout(top)
        self.body: QWidget | None = None
        self.hide()

    def _on_edit_clicked(self) -> None:
        emit(self.edit_requested)

    # -- content -----------------------------------------------------------------------------------
    def clear(self) -> None:
        self.clause_id = None
        self.links = ClauseLinks()
        self._replace_body(None)
        self.hide()

    def show_links(self, clause_id: str, links: ClauseLinks) -> None:
        self.clause_id, self.links = clause_id, links
        self.chips, self.indicator_labels, self.more_buttons, self._plain = [], [], [], []
        self.deadline_label = None
        body = QWidget(self)
        grid = QGridLayout(body)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(12)
        grid.setVerticalSpacing(5)
        grid.setColumnStretch(1, 1)
        row = 0
        for role, caption in ROLES:
            depts, generic = by_role(links)[role]
            if not depts and not generic:
                continue
            self._row_label(grid, row, caption, body)
            grid.addWidget(self._dept_flow(depts, generic, body), row, 1)
            row += 1
        if links.indicators:
            self._row_label(grid, row, S.LINKS_INDICATORS, body)
            grid.addWidget(self._indicator_list(links.indicators, body), row, 1)
            row += 1
        if links.deadline is not None:
            dl = links.deadline
            self._row_label(grid, row, S.LINKS_DEADLINE, body)
            self.deadline_label = _label(deadline_html(dl), "deadline", body, rich=True, tip=deadline_tooltip(dl))
            self.deadline_label.setWordWrap(True)
            self._plain.append(deadline_text(dl))
            grid.addWidget(self.deadline_label, row, 1)
            row += 1
        if row == 0:
            grid.addWidget(_label(S.LINKS_NONE, "note", body), 0, 0, 1, 2)
            self._plain.append(S.LINKS_NONE)
        self._replace_body(body)
        self.show()

    def _row_label(self, grid: QGridLayout, row: int, caption: str, parent: QWidget) -> None:
        lab = _label(caption, "rowLabel", parent)
        grid.addWidget(lab, row, 0, Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self._plain.append(caption)

    def _dept_flow(self, depts: list[DepartmentLink], generic: list[DepartmentLink], parent: QWidget) -> QWidget:
        box = QWidget(parent)
        flow = FlowLayout(box)
        hidden: list[QWidget] = []
        for n, d in enumerate(depts):
            chip = Chip(d, box)
            self.chips.append(chip)
            self._plain.append(chip.plain)
            flow.addWidget(chip)
            if n >= CHIP_LIMIT:
                chip.setVisible(False)
                hidden.append(chip)
        if hidden:
            flow.addWidget(self._more_button(hidden, S.LINKS_MORE.format(n=len(hidden)), box))
        if generic:
            names = names_text([g.name for g in generic])
            tip = "\n".join(S.LINKS_GENERIC_TIP.format(evidence=g.evidence) for g in generic)
            text = S.LINKS_GENERIC.format(names=names)
            flow.addWidget(_label(text, "generic", box, tip=tip))
            self._plain.append(text)
        return box

    def _indicator_list(self, indicators: Sequence[Indicator], parent: QWidget) -> QWidget:
        box = QWidget(parent)
        lay = QVBoxLayout(box)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(1)
        hidden: list[QWidget] = []
        for n, ind in enumerate(indicators):
            lab = _label(indicator_html(ind), "indicator", box, rich=True, tip=S.TIP_QUOTE.format(quote=ind.quote))
            lab.setWordWrap(True)
            self.indicator_labels.append(lab)
            self._plain.append(indicator_text(ind))
            lay.addWidget(lab)
            if n >= INDICATOR_LIMIT:
                lab.setVisible(False)
                hidden.append(lab)
        if hidden:
            more = self._more_button(hidden, S.LINKS_MORE_INDICATORS.format(n=len(hidden)), box)
            lay.addWidget(more, 0, Qt.AlignmentFlag.AlignLeft)
        return box

    def _more_button(self, hidden: list[QWidget], text: str, parent: QWidget) -> QToolButton:
        button = QToolButton(parent)
        button.setObjectName("linksMore")
        button.setText(text)
        button.setCursor(Qt.CursorShape.PointingHandCursor)
        button.setAutoRaise(True)
        self.more_buttons.append(button)

        def toggle() -> None:
            expand = not hidden[0].isVisible()
            for w in hidden:
                w.setVisible(expand)
            button.setText(S.LINKS_LESS if expand else text)

        button.clicked.connect(toggle)
        return button

    def _replace_body(self, body: QWidget | None) -> None:
        old, self.body = self.body, body
        if old is not None:  # freed right here (not deleteLater: see tasks.TaskManager._released)
            old.hide()
            self._outer.removeWidget(old)
            old.setParent(None)
        if body is not None:
            self._outer.addWidget(body)

    def plain_text(self) -> str:
        """Everything the box says (collapsed items included), one item a line: for tests and copying."""
        return "\n".join(self._plain)
