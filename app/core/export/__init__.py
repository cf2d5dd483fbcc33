"""Export clause summaries to .docx (公文 layout), .pdf, .md, .html and .xlsx (任务分工表).

Pipeline (RELIABILITY.md C7): collect the scope through the Library → render in memory → safe file name
inside the chosen folder → temp file in that folder, fsync → re-open and verify → os.replace.
Qt-free; a dialog runs `Library.export` on a worker thread with a `Progress` callback and a `CancelToken`.

    from app.core.export import Scope, ExportOptions
    result = library.export(Scope.of_department("市生态环境局", roles=("lead",)), Path("out/生态环境局.docx"))

This package module only re-exports: the pipeline is `pipeline` (render, verify, write), the formats
`formats`, the types `model`, the errors `errors`. Modules of the package import each other directly,
never this one, so that it stays out of every import cycle.
"""

from __future__ import annotations

from app.core.export.errors import (
    ExportError,
    FileLockedError,
    FolderNotWritableError,
    FontMissingError,
    NothingToExportError,
    TargetReadOnlyError,
    VerifyError,
)
from app.core.export.files import safe_name
from app.core.export.files import target_path as target_path
from app.core.export.files import write_atomic as write_atomic
from app.core.export.formats import FORMAT_LABELS as FORMAT_LABELS
from app.core.export.formats import format_for, suggested_name
from app.core.export.model import (
    FORMATS,
    ClauseSummary,
    DeptRef,
    ExportOptions,
    ExportResult,
    ExportSet,
    IndicatorRef,
    Scope,
    TaskFields,
    clean_text,
)
from app.core.export.model import Format as Format
from app.core.export.pipeline import export, write_set
from app.core.export.pipeline import render as render
from app.core.export.pipeline import verifier as verifier

__all__ = [
    "FORMATS", "ClauseSummary", "DeptRef", "ExportError", "ExportOptions", "ExportResult", "ExportSet",
    "FileLockedError", "FolderNotWritableError", "FontMissingError", "IndicatorRef", "NothingToExportError",
    "Scope", "TargetReadOnlyError", "TaskFields", "VerifyError", "clean_text", "export", "format_for",
    "safe_name", "suggested_name", "write_set",
]
