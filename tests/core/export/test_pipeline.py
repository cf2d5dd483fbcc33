"""Render → verify → write (app.core.export.pipeline): what `render` returns per format, the read-back check
that refuses a wrong file, `write_set` and `export` on a real folder and the real library."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from docx import Document

from app.core.errors import NotFoundError
from app.core.export import (
    ClauseSummary,
    ExportOptions,
    ExportSet,
    FolderNotWritableError,
    NothingToExportError,
    Scope,
    VerifyError,
)
from app.core.export.fonts import ENV_FONT, PROBE
from app.core.export.pdf_writer import all_text
from app.core.export.pipeline import export, render, verifier, write_set
from app.core.export.xlsx_writer import COLUMNS
from app.core.library import Library
from app.core.paths import bundle_root
from tests.core.export.font_fixtures import make_font

RESOURCES = bundle_root() / "resources"
PLAN = "美丽上海建设十五五规划-征求意见稿"
TASK = f"{PLAN}/四/（二）/3"


def _set(title: str = "条款摘编") -> ExportSet:
    item = ClauseSummary(clause_id="p/1", doc_id="p", doc_title="甲规划", doc_kind="规划", level="task",
                         heading="推进治理", location="一、", text="第一段文字。", full_text="推进治理。第一段文字。")
    return ExportSet(title=title, items=(item,), scope="clauses", generated=dt.date(2026, 3, 1))


@pytest.mark.parametrize("fmt", ["docx", "xlsx", "md", "html"])
def test_render_returns_the_file_bytes(fmt: str) -> None:
    out = render(_set(), fmt, ExportOptions(), RESOURCES)  # type: ignore[arg-type]
    assert out.notices == [] and out.missing == ""
    if fmt == "docx":
        assert Document(io.BytesIO(out.data)).paragraphs[0].text == "条款摘编"
    elif fmt == "xlsx":
        assert out.data[:2] == b"PK"
    else:
        text = out.data.decode("utf-8")
        assert text.startswith("# 条款摘编" if fmt == "md" else "<!DOCTYPE html>")


def test_render_pdf_names_its_font_and_the_characters_it_lacks(tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    data = _set("条款摘编🙂")
    font = make_font(tmp_path / "square.ttf", "".join(set(all_text(data)) - {"🙂", "治"}) + PROBE + "　 —0123456789…",
                     "Square")
    monkeypatch.setenv(ENV_FONT, str(font))
    out = render(data, "pdf", ExportOptions(), RESOURCES)
    assert out.data.startswith(b"%PDF") and out.missing == "🙂治"
    assert out.notices == ["PDF 使用字体：Square（已嵌入）",
                           "PDF 字体中没有以下字符，显示为空白：🙂治（可导出为 Word 文档）"]
    pages: list[int] = []
    path = tmp_path / "x.pdf"
    path.write_bytes(out.data)
    verifier("pdf", data, pages, out.missing)(path)  # the title without the characters the font lacks
    assert pages == [1]


def test_verifier_refuses_a_file_that_does_not_read_back(tmp_path: Path) -> None:
    md = tmp_path / "x.md"
    md.write_text("# 条款\\*摘编\n", encoding="utf-8")
    verifier("md", _set("条款*摘编"), [])(md)  # Markdown escapes are undone before comparing
    with pytest.raises(VerifyError, match="读回的内容与导出内容不符"):
        verifier("md", _set("别的标题"), [])(md)
    page = tmp_path / "x.html"
    page.write_text("<!DOCTYPE html><h1>条款摘编</h1><img src=x onerror=alert(1)>", encoding="utf-8")
    with pytest.raises(VerifyError, match="不安全") as err:
        verifier("html", _set(), [])(page)
    assert err.value.detail == "<img"  # the first unsafe thing found


def test_verifier_checks_the_task_table_shape(tmp_path: Path) -> None:
    from openpyxl import Workbook

    good = render(_set(), "xlsx", ExportOptions(), RESOURCES).data
    path = tmp_path / "x.xlsx"
    path.write_bytes(good)
    verifier("xlsx", _set(), [])(path)
    two = ExportSet(title="条款摘编", items=_set().items * 2, scope="clauses")
    with pytest.raises(VerifyError, match="表头或行数不符"):
        verifier("xlsx", two, [])(path)
    wb = Workbook()
    wb.active.append(["条款摘编"])  # type: ignore[union-attr]
    wb.active.append(list(COLUMNS[:-1]))  # type: ignore[union-attr]
    wb.save(path)
    with pytest.raises(VerifyError):
        verifier("xlsx", _set(), [])(path)


def test_write_set(tmp_path: Path) -> None:
    seen: list[str] = []
    res = write_set(_set(), tmp_path / "x.md", progress=lambda d, t, m: seen.append(m), resources=RESOURCES)
    assert (res.path, res.format, res.count, res.pages, res.notices) == (tmp_path / "x.md", "md", 1, None, ())
    assert seen[-2:] == ["正在保存并校验…", "已导出 1 条"]
    as_html = write_set(_set(), tmp_path / "y.out", fmt="html", resources=RESOURCES)
    assert as_html.path == tmp_path / "y.out.html" and as_html.format == "html"
    with pytest.raises(NothingToExportError, match="没有可导出的条款"):
        write_set(ExportSet(title="t", items=(), scope="clauses"), tmp_path / "z.md")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["x.md", "y.out.html"]


def test_export_from_the_library(library: Library, tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    res = export(library, Scope.of_clauses([TASK]), out / "摘编.docx",
                 options=ExportOptions(generated=dt.date(2026, 3, 1)))
    doc = Document(str(res.path))
    assert res.count == 1 and doc.paragraphs[1].text == "（共1条，2026年3月1日导出）"
    assert library.clause(TASK).text.strip().split("\n")[0] in "\n".join(p.text for p in doc.paragraphs)
    with pytest.raises(FolderNotWritableError):  # the folder is checked before any work
        export(library, Scope.of_clauses(["没有/这条"]), tmp_path / "gone" / "x.md")
    with pytest.raises(NotFoundError, match="找不到条款"):
        export(library, Scope.of_clauses(["没有/这条"]), out / "x.md")
    assert sorted(p.name for p in out.iterdir()) == ["摘编.docx"]
