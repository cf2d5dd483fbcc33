"""The export formats by name and suffix (app.core.export.formats): `format_for`, `suggested_name`, the labels."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.core.export import ExportError, ExportSet
from app.core.export.formats import FORMAT_LABELS, format_for, suggested_name
from app.core.export.model import FORMATS


@pytest.mark.parametrize(("out", "fmt", "expected"), [
    ("a/报告.docx", None, "docx"),
    ("报告.PDF", None, "pdf"),
    ("x.md", None, "md"),
    ("x.markdown", None, "md"),
    ("x.htm", None, "html"),
    ("x.HTML", None, "html"),
    ("x.xlsx", None, "xlsx"),
    ("x.txt", "docx", "docx"),  # the asked-for format wins over the suffix
    ("x", " Word ", "docx"),
    ("x", "excel", "xlsx"),
    ("x.docx", "htm", "html"),
])
def test_format_from_the_name_or_the_suffix(out: str, fmt: str | None, expected: str) -> None:
    assert format_for(Path(out), fmt) == expected


@pytest.mark.parametrize(("out", "fmt", "shown"), [
    ("x.txt", None, ".txt"),
    ("x", None, "（无扩展名）"),
    ("x.docx", "rtf", "rtf"),
])
def test_an_unknown_format_is_a_chinese_error_naming_it(out: str, fmt: str | None, shown: str) -> None:
    with pytest.raises(ExportError) as err:
        format_for(Path(out), fmt)
    assert f"不支持的导出格式：{shown}" in err.value.message
    assert "docx、pdf、md、html、xlsx" in err.value.message


def test_every_format_has_a_label() -> None:
    assert tuple(FORMAT_LABELS) == FORMATS
    assert all(label.strip() for label in FORMAT_LABELS.values())
    assert FORMAT_LABELS["xlsx"] == "Excel 任务分工表"


def test_suggested_name_is_the_title_made_safe() -> None:
    data = ExportSet(title="市生态环境局/牵头:条款?", items=(), scope="clauses")
    assert suggested_name(data, "docx") == "牵头条款.docx"  # a slash never makes a path
    assert suggested_name(ExportSet(title="CON", items=(), scope="clauses"), "pdf") == "_CON.pdf"
    assert suggested_name(ExportSet(title="", items=(), scope="clauses"), "md") == "导出.md"
