"""Running the 意见反馈表 export for `FeedbackDialog`: `Library.export_comments` run by `exportworker.ExportRun`
(the 覆盖 question, the write thread with progress and 取消, then the file written or the Chinese error,
inside the dialog)."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.core.export import ExportResult
from app.core.export.feedback import FeedbackOptions
from app.core.progress import CancelToken
from app.ui.comments import strings as T
from app.ui.exportworker import ExportRun
from app.ui.tasks import ProgressFn

if TYPE_CHECKING:
    from app.ui.comments.feedback import FeedbackDialog

log = logging.getLogger("policydesk.ui.feedback")

KEY_FORMAT, KEY_WHOLE = "feedback/format", "feedback/whole_clause"


class FeedbackRunMixin(ExportRun):
    """Exporting for `FeedbackDialog` (its attributes: library, tasks, settings, handle, result …)."""

    TEXT = T
    OVERWRITE_BOX = "feedbackOverwriteBox"
    LOG = log
    LOG_WHAT = "feedback export"

    def options(self: FeedbackDialog) -> FeedbackOptions:
        def given(box: Any) -> str | None:
            return str(box.text()).strip() or None

        return FeedbackOptions(whole_clause=self.whole_clause.isChecked(), unit=given(self.unit),
                               contact=given(self.contact), phone=given(self.phone))

    def _ready(self: FeedbackDialog) -> bool:
        return bool(self.documents)

    def _run(self: FeedbackDialog, path: Path, *, overwrite: bool) -> None:
        fmt, options, lib, doc_id = self.fmt(), self.options(), self.library, self.doc_id()
        self.settings.set(KEY_FORMAT, fmt)
        self.settings.set(KEY_WHOLE, "1" if options.whole_clause else "0")

        def export(progress: ProgressFn, cancel: CancelToken) -> ExportResult:
            return lib.export_comments(path, fmt=fmt, doc_id=doc_id, options=options, overwrite=overwrite,
                                       progress=progress, cancel=cancel)

        self._start("export_feedback", export)

    def _set_running(self: FeedbackDialog, running: bool, text: str = "") -> None:
        for w in (self.doc_box, self.word, self.excel, self.quote_only, self.whole_clause, self.unit, self.contact,
                  self.phone, self.target, self.browse_button, self.export_button):
            w.setEnabled(not running)
        self.progress_row.setVisible(running)
        self.cancel_button.setEnabled(running)
        self.fit()
        if running:
            self.bar.setRange(0, 0)
            self.status.setText(text)

    def _after_message(self: FeedbackDialog) -> None:
        self.fit()

    def fit(self: FeedbackDialog) -> None:
        """Grow to what is shown now (a message, the progress row) rather than squeeze the fields."""
        want = self.sizeHint().height()
        if self.isVisible() and want > self.height():
            self.resize(self.width(), want)
