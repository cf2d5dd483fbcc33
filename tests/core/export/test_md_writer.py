"""Markdown and HTML (app.core.export.md_writer): escaping, the document structure of the Markdown, the HTML
page made from it, and the detector of unsafe HTML."""

from __future__ import annotations

import datetime as dt

import pytest

from app.core.export.md_writer import md_escape, render_html, render_markdown, unsafe_html
from app.core.export.model import ClauseSummary, DeptRef, ExportSet, TaskFields
from app.core.paths import bundle_root

RESOURCES = bundle_root() / "resources"


def _set() -> ExportSet:
    task = ClauseSummary(
        clause_id="p/四/（一）/1", doc_id="p", doc_title="规划", doc_kind="规划", level="task", heading="加强*攻坚*",
        location="四、（一）", text="第一行 <b>\n\n- 第二行", full_text="x",
        lead=(DeptRef("市生态环境局", "lead", "explicit"),), task=TaskFields(note="多行\n备注"))
    law = ClauseSummary(clause_id="l/第一条", doc_id="l", doc_title="某法", doc_kind="法律", level="article",
                        heading="第一条", location="第一条", text="为了……", full_text="为了……")
    return ExportSet(title="摘编 & <汇总>", items=(task, law), scope="clauses", generated=dt.date(2026, 3, 1),
                     notices=("只导出前 2 条。",))


@pytest.mark.parametrize(("raw", "escaped"), [
    ("+ 加", "\\+ 加"),
    ("- 减", "\\- 减"),
    ("! 叹", "\\! 叹"),
    ("1) 项", "1\\) 项"),
    ("12. 项", "12\\. 项"),
    ("a1. 项", "a1. 项"),  # not at the line start: left alone
    ("[x](y)", "\\[x\\](y)"),
    ("a\\b", "a\\\\b"),
    ("  {x}  ", "\\{x\\}"),
    ("甲\n# 乙", "甲\n\\# 乙"),  # every line on its own
    ("<a & b>", "&lt;a &amp; b&gt;"),
])
def test_md_escape(raw: str, escaped: str) -> None:
    assert md_escape(raw) == escaped


def test_markdown_structure() -> None:
    md = render_markdown(_set())
    assert md.splitlines() == [
        "# 摘编 &amp; &lt;汇总&gt;", "", "（共2条，2026年3月1日导出）", "",
        "> 只导出前 2 条。", "",
        "## 《规划》", "", "### 加强\\*攻坚\\*", "", "第一行 &lt;b&gt;", "", "\\- 第二行", "",
        "- **出处**：《规划》四、（一）", "- **牵头单位**：市生态环境局（原文）", "- **备注**：多行 备注", "",
        "## 《某法》", "", "### 第一条", "", "为了……", "", "- **出处**：《某法》第一条",
    ]
    assert md.endswith("第一条\n") and not md.endswith("\n\n")


def test_html_page_from_the_template() -> None:
    page = render_html(_set(), RESOURCES)
    assert page.startswith("<!DOCTYPE html>") and '<html lang="zh-CN">' in page
    assert "<title>摘编 &amp; &lt;汇总&gt;</title>" in page and "<h1>摘编 &amp; &lt;汇总&gt;</h1>" in page
    assert "<blockquote>\n<p>只导出前 2 条。</p>\n</blockquote>" in page
    assert "<h2>《规划》</h2>" in page and "<h3>加强*攻坚*</h3>" in page  # the stars stay text, no <em>
    assert "<p>- 第二行</p>" in page and "<li>" not in page.split("<ul>")[0]  # a dash line is no list
    assert "<li><strong>牵头单位</strong>：市生态环境局（原文）</li>" in page
    assert "$title" not in page and "$body" not in page
    assert unsafe_html(page) is None


@pytest.mark.parametrize("bad", [
    "<IFRAME>", "< script>", '<p onmouseover = "y">', "<a href='//evil/x'>", '<img src="https://x/y.png">',
    "<base href=x>", "<form>", "javascript:alert(1)", "<object>", "<embed>",
])
def test_unsafe_html_finds_active_content(bad: str) -> None:
    assert unsafe_html(bad) is not None


@pytest.mark.parametrize("fine", [
    "<p>src = 来源；href 表示链接</p>", "<mark>onion</mark>", "<p>脚本 script 一词</p>", "<style>p{}</style>",
])
def test_unsafe_html_leaves_plain_text_alone(fine: str) -> None:
    assert unsafe_html(fine) is None
