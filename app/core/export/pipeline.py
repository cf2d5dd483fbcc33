"""Render an `ExportSet` and write it safely; `export` collects a `Scope` through the Library first.

The pipeline of `app.core.export` (RELIABILITY.md C7, see the package doc): collect → render in memory → safe
file name inside the chosen folder → temp file in that folder, fsync → re-open and verify → os.replace.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from app.core.export.errors import NothingToExportError, VerifyError
from app.core.export.files import target_path, write_atomic
from app.core.export.formats import format_for
from app.core.export.model import ExportOptions, ExportResult, ExportSet, Format, Scope
from app.core.progress import CancelToken, Progress, null_progress

if TYPE_CHECKING:
    from app.core.ports import LibraryPort


@dataclass
class _Rendered:
    data: bytes
    notices: list[str]
    missing: str = ""  # characters the PDF fonts lack (not expected back from the text layer)


def render(data: ExportSet, fmt: Format, options: ExportOptions, resources: Path, *,
           progress: Progress = null_progress, cancel: CancelToken | None = None) -> _Rendered:
    plain = options.layout == "plain"
    if fmt == "docx":
        from app.core.export.docx_writer import render_docx

        return _Rendered(render_docx(data, plain=plain, progress=progress, cancel=cancel), [])
    if fmt == "pdf":
        from app.core.export.fonts import missing_chars
        from app.core.export.pdf_writer import all_text, render_pdf

        pdf, fonts = render_pdf(data, plain=plain, progress=progress, cancel=cancel)
        names = "、".join(dict.fromkeys(f.name for f in fonts.distinct()))
        notes = [f"PDF 使用字体：{names}（已嵌入）"]
        missing = missing_chars(fonts, all_text(data))
        if missing:
            notes.append(f"PDF 字体中没有以下字符，显示为空白：{missing[:40]}（可导出为 Word 文档）")
        return _Rendered(pdf, notes, missing)
    if fmt == "xlsx":
        from app.core.export.xlsx_writer import render_xlsx

        return _Rendered(render_xlsx(data, progress=progress, cancel=cancel), [])
    from app.core.export.md_writer import render_html, render_markdown

    text = render_markdown(data) if fmt == "md" else render_html(data, resources)
    return _Rendered(text.encode("utf-8"), [])


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text.replace("\x00", ""))


def verifier(fmt: Format, data: ExportSet, pages: list[int], missing: str = "") -> Callable[[Path], None]:
    """A check that re-opens the written file with an independent reader and finds the title in it."""
    want = "".join(ch for ch in _squash(data.title) if ch not in missing)[:30]

    def check(path: Path) -> None:
        if fmt == "docx":
            from docx import Document

            text = "".join(p.text for p in Document(str(path)).paragraphs[:3])
        elif fmt == "xlsx":
            from openpyxl import load_workbook

            wb = load_workbook(path, read_only=True)
            try:
                rows = list(wb.worksheets[0].iter_rows(values_only=True))
            finally:
                wb.close()
            from app.core.export.xlsx_writer import COLUMNS, HEADER_ROW

            if tuple(rows[HEADER_ROW - 1]) != COLUMNS or len(rows) != HEADER_ROW + len(data.items):
                raise VerifyError("导出的分工表校验失败（表头或行数不符），未保存。")
            text = str(rows[0][0])
        elif fmt == "pdf":
            from pypdf import PdfReader

            reader = PdfReader(str(path))
            pages.append(len(reader.pages))
            text = reader.pages[0].extract_text() if reader.pages else ""
        else:
            import html as _html

            text = path.read_text(encoding="utf-8")
            if fmt == "html":
                from app.core.export.md_writer import unsafe_html

                bad = unsafe_html(text)
                if bad is not None:
                    raise VerifyError("导出的网页含有不安全内容，已拒绝保存。", detail=bad)
            text = _html.unescape(re.sub(r"\\(.)", r"\1", text) if fmt == "md" else text)
        got = "".join(ch for ch in _squash(text) if ch not in missing)
        if want and want not in got:
            raise VerifyError("导出文件校验失败（读回的内容与导出内容不符），未保存。")

    return check


def write_set(data: ExportSet, out: Path, *, fmt: str | None = None, options: ExportOptions | None = None,
              resources: Path | None = None, overwrite: bool = False, progress: Progress = null_progress,
              cancel: CancelToken | None = None) -> ExportResult:
    """Render a prepared `ExportSet` and write it safely to `out` (folder = out.parent, name sanitised)."""
    from app.core.paths import bundle_root

    options = options or ExportOptions()
    fmt_ = format_for(out, fmt)
    data = data.cleaned()  # python-docx/openpyxl raise on control characters; PDFs and pages show junk
    if not data.items:
        raise NothingToExportError("没有可导出的条款。")
    target = target_path(out.parent, out.name, fmt_, overwrite=overwrite)
    rendered = render(data, fmt_, options, resources or bundle_root() / "resources", progress=progress,
                      cancel=cancel)
    if cancel is not None:
        cancel.check()
    pages: list[int] = []
    progress(len(data.items), len(data.items), "正在保存并校验…")
    write_atomic(target, rendered.data, verify=verifier(fmt_, data, pages, rendered.missing), cancel=cancel)
    progress(len(data.items), len(data.items), f"已导出 {len(data.items)} 条")
    return ExportResult(path=target, format=fmt_, count=len(data.items), pages=pages[0] if pages else None,
                        notices=(*data.notices, *rendered.notices))


def export(lib: LibraryPort, scope: Scope, out: Path, *, fmt: str | None = None,
           options: ExportOptions | None = None, overwrite: bool = False, progress: Progress = null_progress,
           cancel: CancelToken | None = None) -> ExportResult:
    """Export `scope` to the file `out` (its folder must exist; the name is made Windows-safe, and with
    `overwrite=False` an existing file gets a `(2)` sibling instead). Raises `PolicyDeskError` subclasses
    with Chinese messages; `Cancelled` when `cancel` is set (nothing is left behind)."""
    from app.core.export.collect import collect

    options = options or ExportOptions()
    fmt_ = format_for(out, fmt)
    target_path(out.parent, out.name, fmt_, overwrite=overwrite)  # fail on a bad folder before the work
    data = collect(lib, scope, options, progress=progress, cancel=cancel)
    return write_set(data, out, fmt=fmt_, options=options, resources=lib.paths.resources, overwrite=overwrite,
                     progress=progress, cancel=cancel)


__all__ = ["export", "render", "verifier", "write_set"]
