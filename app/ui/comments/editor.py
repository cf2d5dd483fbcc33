"""The comment editor (提意见 / 修改意见): what the comment is on (the clause's citation and the quoted
passage), 意见类型, 修改意见, 理由/依据, 引用条款, 提出单位/联系人/联系电话 (prefilled from the defaults,
设为默认 stores them). New and existing comments use the same dialog.

`load_target` reads everything the dialog shows on a read thread; 保存 writes on the TaskManager's user
thread and the dialog stays open, with the reason in Chinese, when the save is refused.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from app.core.library import Library
from app.core.userdata import Comment, CommentDefaults
from app.ui.comments import strings as T
from app.ui.comments.model import KINDS
from app.ui.comments.picker import CitedList, ClausePickerDialog
from app.ui.common.dialogs import error_message
from app.ui.common.lazyview import em
from app.ui.common.qtcompat import emit
from app.ui.common.tasks import TaskManager

TEXT_MAX = 5_000  # 修改意见, 理由 (a form cell, not an essay)
LINE_MAX = 100  # 提出单位, 联系人, 联系电话
_PHONE = re.compile(r"[0-9０-９\-－—+＋()（）\s转,，、/;；]+")


@dataclass(frozen=True)
class Target:
    """What a comment is on, as the dialog shows it."""

    clause_id: str
    citation: str  # 《文件》四、（五）1.
    clause_text: str  # the clause's full text (shown when the comment is on the whole clause)
    quote: str = ""
    quote_offset: int | None = None
    defaults: CommentDefaults = field(default_factory=CommentDefaults)
    comment: Comment | None = None  # editing this one
    cited: tuple[tuple[str, str], ...] = ()  # (clause id, citation) of the comment's cited clauses


def load_target(library: Library, clause_id: str | None, quote: str = "", quote_offset: int | None = None,
                comment_id: str | None = None) -> Target:
    """Worker-side: the clause (or the existing comment) and the defaults, for the dialog."""
    desk = library.comments
    if comment_id is not None:
        c = desk.get(comment_id)
        citation = desk.citation(c.clause_id) if c.anchor_state != "missing" else ""
        if not citation or citation == c.clause_id:
            citation = f"《{c.doc_title}》" + " › ".join(c.path)
        return Target(c.clause_id, citation, c.text, c.quote, c.quote_offset, desk.defaults(), c,
                      tuple((x, desk.citation(x)) for x in c.cited))
    assert clause_id is not None
    clause = library.clause(clause_id)
    return Target(clause.id, desk.citation(clause.id), clause.full_text, quote.strip(), quote_offset,
                  desk.defaults())


def check(kind: str, proposal: str, reason: str, unit: str, contact: str, phone: str) -> str:
    """The first problem with what was typed, in Chinese ("" when it can be saved)."""
    if not proposal.strip() and kind != "delete":
        return T.ERR_PROPOSAL
    for name, value, limit in ((T.EDITOR_PROPOSAL, proposal, TEXT_MAX), (T.EDITOR_REASON, reason, TEXT_MAX),
                               (T.EDITOR_UNIT, unit, LINE_MAX), (T.EDITOR_CONTACT, contact, LINE_MAX),
                               (T.EDITOR_PHONE, phone, LINE_MAX)):
        if len(value.strip()) > limit:
            return T.ERR_TOO_LONG.format(field=name, n=limit)
    if phone.strip() and not _PHONE.fullmatch(phone.strip()):
        return T.ERR_PHONE
    return ""


class CommentEditor(QDialog):
    """`saved(Comment, new)` after a save; the dialog then closes."""

    saved = Signal(object, bool)

    def __init__(self, library: Library, tasks: TaskManager, target: Target, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.library, self.tasks, self.target = library, tasks, target
        self.comment = target.comment
        self.saving = False
        self.picker: ClausePickerDialog | None = None
        self.setObjectName("commentEditor")
        self.setWindowTitle(T.EDITOR_TITLE_EDIT if self.comment else T.EDITOR_TITLE_NEW)
        self.setMinimumWidth(em(self, 40))

        self.where = QLabel(target.citation, self)
        self.where.setObjectName("commentWhere")
        self.where.setWordWrap(True)
        self.where.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.quote_label = QLabel(T.EDITOR_QUOTE if target.quote else T.EDITOR_QUOTE_WHOLE, self)
        self.quote_label.setObjectName("commentQuoteLabel")
        self.quote = QPlainTextEdit(self)
        self.quote.setObjectName("commentQuote")
        self.quote.setReadOnly(True)
        self.quote.setPlainText(target.quote or target.clause_text)
        self.quote.setFixedHeight(self.quote.fontMetrics().lineSpacing() * 3 + 14)
        self.state = QLabel(self)
        self.state.setObjectName("commentAnchorState")
        self.state.setWordWrap(True)
        state = self.comment.anchor_state if self.comment else "ok"
        self.state.setText({"changed": T.EDITOR_CHANGED_STATE, "missing": T.EDITOR_MISSING_STATE}.get(state, ""))
        self.state.setVisible(bool(self.state.text()))

        self.kinds = QButtonGroup(self)
        kind_row = QHBoxLayout()
        kind_row.setContentsMargins(0, 0, 0, 0)
        for n, (code, label) in enumerate(KINDS):
            b = QRadioButton(label, self)
            b.setObjectName(f"commentKind_{code}")
            self.kinds.addButton(b, n)
            kind_row.addWidget(b)
        kind_row.addStretch(1)
        self.proposal = _text_box(self, "commentProposal", T.EDITOR_PROPOSAL_PLACEHOLDER, 4)
        self.reason = _text_box(self, "commentReason", T.EDITOR_REASON_PLACEHOLDER, 3)
        self.cited = CitedList(self)
        for cid, label in target.cited:
            self.cited.add(cid, label)
        self.unit = _line(self, "commentUnit")
        self.contact = _line(self, "commentContact")
        self.phone = _line(self, "commentPhone")
        self.make_default = QCheckBox(T.EDITOR_DEFAULTS, self)
        self.make_default.setObjectName("commentMakeDefault")
        self.make_default.setToolTip(T.EDITOR_DEFAULTS_TIP)
        who = QHBoxLayout()
        who.setContentsMargins(0, 0, 0, 0)
        who.addWidget(self.contact, 2)
        who.addSpacing(8)
        who.addWidget(QLabel(T.EDITOR_PHONE, self))
        who.addWidget(self.phone, 3)
        who.addSpacing(8)
        who.addWidget(self.make_default)

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        form.setVerticalSpacing(8)
        form.addRow(T.EDITOR_KIND, kind_row)
        form.addRow(T.EDITOR_PROPOSAL, self.proposal)
        form.addRow(T.EDITOR_REASON, self.reason)
        form.addRow(T.EDITOR_CITED, self.cited)
        form.addRow(T.EDITOR_UNIT, self.unit)
        form.addRow(T.EDITOR_CONTACT, who)

        self.message = QLabel(self)
        self.message.setObjectName("commentMessage")
        self.message.setWordWrap(True)
        self.message.hide()
        self.save_button = QPushButton(T.EDITOR_SAVE, self)
        self.save_button.setObjectName("commentSave")
        self.save_button.setToolTip(T.EDITOR_SAVE_TIP)
        self.save_button.setDefault(True)
        self.cancel_button = QPushButton(T.EDITOR_CANCEL, self)
        self.cancel_button.setAutoDefault(False)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.cancel_button)

        lay = QVBoxLayout(self)
        lay.setContentsMargins(18, 14, 18, 14)
        lay.setSpacing(8)
        lay.addWidget(self.where)
        lay.addWidget(self.quote_label)
        lay.addWidget(self.quote)
        lay.addWidget(self.state)
        lay.addSpacing(4)
        lay.addLayout(form, 1)
        lay.addWidget(self.message)
        lay.addLayout(buttons)

        self._fill()
        self.save_button.clicked.connect(self.save)
        self.cancel_button.clicked.connect(self.reject)
        self.cited.add_requested.connect(self.pick_cited)
        self.kinds.idToggled.connect(lambda _i, _on: self._clear_message())
        for seq in ("Ctrl+Return", "Ctrl+Enter"):
            QShortcut(QKeySequence(seq), self, self.save)

    def _fill(self) -> None:
        c, d = self.comment, self.target.defaults
        code = c.kind if c is not None else "modify"
        self.kinds.button(next(n for n, (k, _l) in enumerate(KINDS) if k == code)).setChecked(True)
        if c is not None:
            self.proposal.setPlainText(c.proposal)
            self.reason.setPlainText(c.reason)
        for box, mine, default in ((self.unit, c.unit if c else None, d.unit),
                                   (self.contact, c.contact if c else None, d.contact),
                                   (self.phone, c.phone if c else None, d.phone)):
            box.setText(default if mine is None else mine)
        self.proposal.setFocus(Qt.FocusReason.OtherFocusReason)

    # -- values -----------------------------------------------------------------------------------------
    def kind(self) -> str:
        return KINDS[max(0, self.kinds.checkedId())][0]

    def set_kind(self, code: str) -> None:
        self.kinds.button(next(n for n, (k, _l) in enumerate(KINDS) if k == code)).setChecked(True)

    def values(self) -> dict[str, object]:
        return {"kind": self.kind(), "proposal": self.proposal.toPlainText().strip(),
                "reason": self.reason.toPlainText().strip(), "cited": self.cited.ids(),
                "unit": self.unit.text().strip(), "contact": self.contact.text().strip(),
                "phone": self.phone.text().strip()}

    # -- 引用条款 -------------------------------------------------------------------------------------------
    def pick_cited(self) -> ClausePickerDialog:
        if self.picker is not None and self.picker.isVisible():
            self.picker.raise_()
            return self.picker
        dlg = ClausePickerDialog(self.library, self.tasks, self)
        dlg.chosen.connect(self.cited.add)
        self.picker = dlg
        dlg.open()
        return dlg

    # -- saving -----------------------------------------------------------------------------------------
    def save(self) -> None:
        if self.saving:
            return
        v = self.values()
        problem = check(str(v["kind"]), str(v["proposal"]), str(v["reason"]), str(v["unit"]), str(v["contact"]),
                        str(v["phone"]))
        if problem:
            self.show_message(problem)
            (self.phone if problem == T.ERR_PHONE else self.proposal).setFocus(Qt.FocusReason.OtherFocusReason)
            return
        lib, t, c, defaults = self.library, self.target, self.comment, self.make_default.isChecked()

        def work() -> Comment:
            desk = lib.comments
            if c is None:
                saved = desk.add(t.clause_id, quote=t.quote, quote_offset=t.quote_offset, **v)  # type: ignore[arg-type]
            else:
                saved = desk.update(c.id, **v)
            if defaults:
                desk.set_defaults(unit=str(v["unit"]), contact=str(v["contact"]), phone=str(v["phone"]))
            return saved

        self.saving = True
        self.save_button.setEnabled(False)
        self.show_message(T.EDITOR_SAVING, error=False)
        self.tasks.run_user(work, self._on_saved, on_error=self._on_failed, name="save_comment")

    def _on_saved(self, comment: Comment) -> None:
        self.saving = False
        self.save_button.setEnabled(True)
        self._clear_message()
        emit(self.saved, comment, self.comment is None)
        self.accept()

    def _on_failed(self, exc: BaseException) -> None:
        self.saving = False
        self.save_button.setEnabled(True)
        self.show_message(error_message(exc))  # everything typed stays

    def show_message(self, text: str, *, error: bool = True) -> None:
        self.message.setText(text)
        self.message.setProperty("error", error)
        self.message.style().unpolish(self.message)
        self.message.style().polish(self.message)
        self.message.setVisible(bool(text))

    def _clear_message(self) -> None:
        if not self.saving:
            self.show_message("")


def _text_box(parent: QWidget, name: str, placeholder: str, lines: int) -> QPlainTextEdit:
    box = QPlainTextEdit(parent)
    box.setObjectName(name)
    box.setPlaceholderText(placeholder)
    box.setTabChangesFocus(True)
    box.setMinimumHeight(box.fontMetrics().lineSpacing() * lines + 14)
    return box


def _line(parent: QWidget, name: str) -> QLineEdit:
    box = QLineEdit(parent)
    box.setObjectName(name)
    box.setClearButtonEnabled(True)
    return box
