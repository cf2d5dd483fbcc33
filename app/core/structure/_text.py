"""Lines and paragraphs: Markdown/HTML markup removal, the document header, page-break repair.

Everything here is linear in the input size: no regex can backtrack across a line, and HTML
comments are removed with a `str.find` scan, so a 50 MB single line or junk input stays cheap.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from dataclasses import dataclass, field

INFO_END = "<!-- INFO END -->"
# The header (title, history, INFO END) of a corpus file is short; do not scan a whole book for it.
_HEADER_SCAN_LINES = 300
_TITLE_MAX = 200
_SHORT_ITEM = 40

_FINAL = frozenset("。！？；：…!?;:")
_FINAL_CLOSERS = frozenset("”」』）")
_TRAILING_CLOSERS = ")]】〕’\"'"
_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9-]{0,20}(?:\s[^<>\n]{0,500})?/?>")
_BR = re.compile(r"<br\s*/?>", re.IGNORECASE)
# Bracket characters are excluded inside the groups so that a scan stops at the next bracket: linear time.
_IMAGE = re.compile(r"!\[[^\[\]\n]{0,300}\]\([^()\[\]\n]{0,1000}\)")
_LINK = re.compile(r"\[([^\[\]\n]{1,300})\]\([^()\[\]\n]{0,1000}\)")
_SUBTITLE = re.compile(r"^[（(][^（()）]{1,30}[）)]$")

# Starts of list items: they begin a new paragraph even after an unfinished line.
ITEM = re.compile(
    r"^(?:[一二三四五六七八九十百]{1,4}、|[（(][一二三四五六七八九十百\d]{1,4}[）)]|\d{1,3}[.．、](?!\d)|[①-⑳])"
)
CN_ITEM = re.compile(r"^([一二三四五六七八九十百]{1,4})、\s*(.*)$")


@dataclass(slots=True)
class Line:
    """One non-blank source line, reduced to plain text."""

    kind: str  # "text" | "heading" | "table"
    level: int  # Markdown heading level, 0 if not a heading
    text: str  # plain text: no Markdown emphasis, no inline HTML, entities unescaped
    bold: bool = False  # the whole line was wrapped in ** **
    lead: str = ""  # a leading bold run ending in punctuation (plan task heading); text starts with it


@dataclass(slots=True)
class Para:
    """A paragraph: one line, or several lines joined because a sentence ran across them."""

    line: Line
    parts: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "".join(self.parts)


@dataclass(frozen=True, slots=True)
class Header:
    title: str
    history: tuple[str, ...]
    body: str


def ends_sentence(text: str) -> bool:
    """Whether `text` ends a sentence (so a following line is a new paragraph, not a continuation)."""
    s = text.rstrip(" \t\u3000")
    if not s or s[-1] in _FINAL_CLOSERS:
        return True
    s = s.rstrip(_TRAILING_CLOSERS)
    if not s:
        return True
    last = s[-1]
    if last == ".":
        return len(s) < 2 or not s[-2].isdigit()  # "14." may be a number split by a page break
    return last in _FINAL


def clean_inline(text: str) -> str:
    """Drop inline HTML tags, Markdown emphasis/links/images; unescape entities."""
    if "<" in text:
        text = _TAG.sub("", text)
    if "](" in text:
        text = _LINK.sub(r"\1", _IMAGE.sub("", text))
    if "**" in text:
        text = text.replace("**", "")
    if "&" in text:
        text = html.unescape(text)
    return text


def strip_comments(text: str) -> str:
    """Remove HTML comments (e.g. `<!-- FORCE BREAK -->`) in one linear pass."""
    if "<!--" not in text:
        return text
    out: list[str] = []
    pos = 0
    while True:
        start = text.find("<!--", pos)
        if start < 0:
            break
        end = text.find("-->", start + 4)
        if end < 0:
            break
        out.append(text[pos:start])
        pos = end + 3
    out.append(text[pos:])
    return "".join(out)


def _heading_level(s: str) -> int:
    level = len(s) - len(s.lstrip("#"))
    if not 1 <= level <= 6:
        return 0
    return level


def to_line(raw: str) -> Line | None:
    """Classify one source line; None for blank lines and horizontal rules."""
    s = raw.strip()
    if not s or (len(s) >= 3 and not s.strip("-*_ ")):
        return None
    if s.startswith("|"):
        return Line("table", 0, clean_inline(s).strip())
    level = _heading_level(s)
    if level:
        s = s[level:].strip()
        stripped = s.rstrip("#")
        if stripped != s and (not stripped or stripped[-1].isspace()):
            s = stripped.strip()
    while s.startswith(">"):
        s = s[1:].lstrip()
    bold = len(s) > 4 and s.startswith("**") and s.endswith("**") and "**" not in s[2:-2]
    lead = ""
    if s.startswith("**"):
        end = s.find("**", 2)
        inner = clean_inline(s[2:end]).strip() if end > 2 else ""
        if inner and inner[-1] in "。！？；：:":
            lead = inner
            text = inner + clean_inline(s[end + 2 :]).strip()
            return Line("heading" if level else "text", level, text, bold, lead)
    text = clean_inline(s).strip()
    if not text:
        return None
    return Line("heading" if level else "text", level, text, bold, lead)


# A line that is only a printed page number (— 1 —, - 2 -, 第3页, 第3页 共9页): text converted from a PDF or
# Word file keeps them between the halves of a sentence. Bare digits are left alone (they may be content).
_PAGE_NUMBER_LINE = re.compile(
    r"^[ \t\u3000]*(?:[-—–－~·•]{1,3}[ \t\u3000]*\d{1,4}[ \t\u3000]*[-—–－~·•]{1,3}"
    r"|第[ \t\u3000]*\d{1,4}[ \t\u3000]*页(?:[ \t\u3000]*[，,/／、]?[ \t\u3000]*共[ \t\u3000]*\d{1,4}[ \t\u3000]*页)?)"
    r"[ \t\u3000]*$",
    re.MULTILINE,
)


def drop_page_numbers(text: str) -> str:
    """Remove page-number lines, so that the sentence a page break split can be joined again."""
    if "页" not in text and not any(d in text for d in "-—–－~·•"):
        return text
    return _PAGE_NUMBER_LINE.sub("", text)


def body_lines(body: str) -> list[Line]:
    """Turn body text into classified lines (comments removed, `<br>` as a line break)."""
    body = strip_comments(body)
    if "<" in body:
        body = _BR.sub("\n", body)
    lines: list[Line] = []
    for raw in body.split("\n"):
        line = to_line(raw)
        if line is not None:
            lines.append(line)
    return lines


def _join_sep(left: str, right: str) -> str:
    """No separator inside Chinese text; a space between two Latin words split across lines."""
    if (
        left
        and right
        and left[-1].isascii()
        and left[-1].isalpha()
        and right[0].isascii()
        and right[0].isalpha()
    ):
        return " "
    return ""


def _closed_item(para: Para) -> bool:
    """A short `三、其他规定` line without a full stop is a heading, not a torn sentence.

    （一） items are not closed: hard-wrapped law items (`（五）…约定的其他` + `共有部分。`) must rejoin.
    """
    return len(para.parts) == 1 and len(para.parts[0]) <= _SHORT_ITEM and bool(CN_ITEM.match(para.parts[0]))


def assemble(
    lines: list[Line], is_break: Callable[[Line], bool], closed: Callable[[Para], bool] | None = None
) -> list[Para]:
    """Group lines into paragraphs, repairing sentences split by page breaks or hard wraps.

    A text line continues the previous paragraph when that paragraph is plain text that does not
    end a sentence and the line does not start something new (`is_break`: heading, item, article...).
    `closed` marks paragraphs that take no continuation (a plain-text heading line of a plan).
    """
    paras: list[Para] = []
    cur: Para | None = None
    for line in lines:
        if (
            cur is not None
            and line.kind == "text"
            and cur.line.kind == "text"
            and not cur.line.bold
            and not _closed_item(cur)
            and not (closed is not None and closed(cur))
            and not is_break(line)
            and not ends_sentence(cur.parts[-1])
        ):
            cur.parts.append(_join_sep(cur.parts[-1], line.text) + line.text)
        else:
            cur = Para(line, [line.text])
            paras.append(cur)
    return paras


def _front_matter_end(lines: list[str]) -> int:
    """Index after a YAML front matter block (`---` … `---`) at the top, else 0."""
    first = next((i for i, ln in enumerate(lines[:5]) if ln.strip()), None)
    if first is None or lines[first].strip() != "---":
        return 0
    for i in range(first + 1, min(len(lines), first + 60)):
        if lines[i].strip() == "---":
            return i + 1
    return 0


def _title_of(line: str) -> str:
    level = _heading_level(line)
    return clean_inline(line[level:]).strip(" #\t\u3000")[:_TITLE_MAX]


def _marked_header(lines: list[str], start: int, marker: int) -> Header:
    """Corpus layout: `# title` lines and history lines, then `<!-- INFO END -->`."""
    titles: list[str] = []
    history: list[str] = []
    for raw in lines[start:marker]:
        s = raw.strip()
        if s.startswith("#"):
            titles.append(_title_of(s))
        elif s and not s.startswith("<!--"):
            history.append(clean_inline(s).strip())
    title = " ".join(t for t in titles if t)
    return Header(title, tuple(h for h in history if h), "\n".join(lines[marker + 1 :]))


def _plain_header(lines: list[str], start: int, is_structural: Callable[[str], bool]) -> Header:
    """Without the marker only a leading `# title` and a `(征求意见稿)`-style subtitle are header."""
    idx = next((i for i in range(start, min(len(lines), start + 50)) if lines[i].strip()), None)
    if idx is None or _heading_level(lines[idx].strip()) != 1:
        return Header("", (), "\n".join(lines[start:]))
    title = _title_of(lines[idx].strip())
    if not title or is_structural(title):
        return Header("", (), "\n".join(lines[start:]))
    nxt = next((i for i in range(idx + 1, min(len(lines), idx + 5)) if lines[i].strip()), None)
    if nxt is not None:
        sub = clean_inline(lines[nxt].strip()).strip(" #\t\u3000")
        if _SUBTITLE.match(sub):
            return Header(title + sub, (), "\n".join(lines[nxt + 1 :]))
    return Header(title, (), "\n".join(lines[idx + 1 :]))


def split_header(text: str, is_structural: Callable[[str], bool]) -> Header:
    """Split off front matter, the title and the history lines; return them with the body text.

    Args:
        text: the whole document.
        is_structural: tells a chapter/article line (never a title) from a title.
    """
    lines = text.split("\n")
    start = _front_matter_end(lines)
    scan = range(start, min(len(lines), start + _HEADER_SCAN_LINES))
    marker = next((i for i in scan if lines[i].strip() == INFO_END), None)
    if marker is not None:
        return _marked_header(lines, start, marker)
    return _plain_header(lines, start, is_structural)
