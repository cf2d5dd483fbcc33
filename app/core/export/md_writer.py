"""Markdown and HTML. The HTML is the Markdown run through the `markdown` package, placed in a fixed template
(resources/templates/export.html: inline CSS, no scripts, no remote resources, a CSP that forbids both).

Every piece of document or user text is HTML-escaped and Markdown-escaped before it joins the Markdown
source, so a clause or note containing `<script>`, `&`, `*` or `# ` is shown as written and runs nothing.
"""

from __future__ import annotations

import html
import re
from pathlib import Path
from string import Template

from app.core.export.model import ExportSet, group_heading

TEMPLATE = "templates/export.html"
# Characters Python-Markdown honours a backslash escape for (and that start emphasis, code or links).
_INLINE = re.compile(r"([\\`*_\[\]{}])")
# Block syntax at the start of a line: headings, lists, rules, numbered lists (every text line is its own
# paragraph, so a setext underline cannot occur).
_LINE_START = re.compile(r"^([#+\-!]|\d+(?=[.)]))")


def md_escape(text: str) -> str:
    """`text` as literal Markdown: HTML-escaped, inline syntax and line-start block syntax neutralised."""
    out = []
    for line in text.split("\n"):
        line = _INLINE.sub(r"\\\1", line.strip())
        m = _LINE_START.match(line)
        if m:
            line = line[: m.end()] + "\\" + line[m.end() :] if m.group(0).isdigit() else "\\" + line
        out.append(html.escape(line, quote=False))
    return "\n".join(out)


def render_markdown(data: ExportSet) -> str:
    parts = [f"# {md_escape(data.title)}", "", md_escape(data.subtitle), ""]
    for notice in data.notices:
        parts += [f"> {md_escape(notice)}", ""]
    for doc_title, items in data.groups():  # unnumbered, as in the .docx (model.group_heading says why)
        parts += [f"## {md_escape(group_heading(doc_title))}", ""]
        for it in items:
            parts += [f"### {md_escape(it.heading)}", ""]
            for line in it.text.split("\n"):
                if line.strip():
                    parts += [md_escape(line), ""]
            facts = it.facts()
            if facts:
                parts += [f"- **{label}**：{md_escape(value).replace(chr(10), ' ')}" for label, value in facts]
                parts.append("")
    return "\n".join(parts).rstrip("\n") + "\n"


def render_html(data: ExportSet, resources: Path) -> str:
    import markdown

    body = markdown.markdown(render_markdown(data), output_format="html")
    template = Template((resources / TEMPLATE).read_text(encoding="utf-8"))
    return template.substitute(title=html.escape(data.title), body=body)


_UNSAFE_HTML = re.compile(r"<\s*(script|iframe|object|embed|link|img|base|form)\b|\son\w+\s*=|javascript:|"
                          r"(?:src|href)\s*=\s*[\"']?\s*(?:https?:)?//", re.IGNORECASE)


def unsafe_html(text: str) -> str | None:
    """The first thing in an exported page that could run code or load a remote resource, if any."""
    m = _UNSAFE_HTML.search(text)
    return m.group(0) if m else None
