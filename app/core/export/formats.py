"""The export formats by name and suffix: a leaf the writers and the pipeline share (no package import)."""

from __future__ import annotations

from pathlib import Path
from typing import cast

from app.core.export.errors import ExportError
from app.core.export.files import safe_name
from app.core.export.model import FORMATS, ExportSet, Format

FORMAT_LABELS = {"docx": "Word 文档", "pdf": "PDF", "md": "Markdown", "html": "网页", "xlsx": "Excel 任务分工表"}


def format_for(out: Path, fmt: str | None = None) -> Format:
    """The format asked for, or the one the file suffix names (.docx .pdf .md .html/.htm .xlsx)."""
    name = (fmt or out.suffix.lstrip(".")).lower().strip()
    name = {"htm": "html", "markdown": "md", "word": "docx", "excel": "xlsx"}.get(name, name)
    if name not in FORMATS:
        raise ExportError(f"不支持的导出格式：{fmt or out.suffix or '（无扩展名）'}。可选：docx、pdf、md、html、xlsx。")
    return cast(Format, name)


def suggested_name(data: ExportSet, fmt: Format) -> str:
    """A file name for the save dialog: the export's title, Windows-safe."""
    return safe_name(data.title, fmt)


__all__ = ["FORMAT_LABELS", "format_for", "suggested_name"]
