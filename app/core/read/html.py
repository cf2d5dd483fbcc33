"""HTML pages → text: visible text only (scripts never run), block breaks kept, headings as Markdown."""

from __future__ import annotations

import itertools
import re
from html.parser import HTMLParser
from pathlib import Path

from app.core.errors import ReadError
from app.core.read.decode import Decoded, decode_bytes, mojibake_warnings

_SKIP_TAGS = frozenset({"script", "style", "noscript", "template", "head", "title"})
_BLOCK_TAGS = frozenset(
    {"p", "div", "section", "article", "header", "footer", "main", "aside", "nav", "ul", "ol", "li"}
    | {"table", "tbody", "thead", "tr", "blockquote", "pre", "hr", "dl", "dt", "dd", "figure", "figcaption"}
    | {"address", "center", "form", "fieldset"}
)
_HEADINGS = {f"h{i}": i for i in range(1, 7)}
_CHARSET = re.compile(rb"""charset\s*=\s*["']?([A-Za-z0-9_-]{2,40})""", re.IGNORECASE)
_WRAP = re.compile(r"[ \t\r\f\v]*\n\s*")
_SPACES = re.compile(r"[ \t\r\f\v]+")


def _is_wide(ch: str) -> bool:
    return "\u2e80" <= ch <= "\u9fff" or "\uf900" <= ch <= "\uffef"


def _unwrap(data: str) -> str:
    """Collapse HTML white space; a source line break between two Chinese characters is no space at all."""
    pieces = _WRAP.split(data)
    out = [pieces[0]]
    for prev, piece in itertools.pairwise(pieces):
        joint = prev and piece and _is_wide(prev[-1]) and _is_wide(piece[0])
        out.append(piece if joint else " " + piece)
    return _SPACES.sub(" ", "".join(out))


class _TextExtractor(HTMLParser):
    """Collect visible text; drop script/style/noscript/template; keep block breaks and headings."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip_depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP_TAGS:
            self._skip_depth += 1
        elif tag == "br":
            self.parts.append("\n")
        elif tag in _HEADINGS:
            self.parts.append("\n\n" + "#" * _HEADINGS[tag] + " ")
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n\n")
        elif tag in ("td", "th"):
            self.parts.append(" ")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "br":
            self.parts.append("\n")
        elif tag == "hr":
            self.parts.append("\n\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP_TAGS:
            self._skip_depth = max(0, self._skip_depth - 1)
        elif tag in _BLOCK_TAGS or tag in _HEADINGS:
            self.parts.append("\n\n")

    def handle_data(self, data: str) -> None:
        if not self._skip_depth:
            self.parts.append(_unwrap(data))


def html_to_text(html: str) -> str:
    """Return the visible text of an HTML page, one paragraph per block element."""
    parser = _TextExtractor()
    parser.feed(html)
    parser.close()
    lines = (line.strip() for line in "".join(parser.parts).split("\n"))
    text = "\n".join(lines)
    return re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"


def _decode_html(data: bytes) -> Decoded:
    """Honour a declared charset when it decodes cleanly; otherwise use the ladder."""
    match = _CHARSET.search(data[:4096])
    if match:
        name = match.group(1).decode("ascii").lower()
        if name in ("gb2312", "gbk"):
            name = "gb18030"  # superset: pages labelled GB2312 routinely contain GBK characters
        try:
            text = data.decode(name)
        except (LookupError, UnicodeDecodeError):
            pass
        else:
            if text.startswith("\ufeff"):
                text = text[1:]
            if text.strip():
                return Decoded(text, name, tuple(mojibake_warnings(text)))
    return decode_bytes(data)



def read_html(path: Path, data: bytes) -> Decoded:
    """Read an .html/.htm page: its visible text, headings as Markdown headings."""
    decoded = _decode_html(data)
    text = html_to_text(decoded.text)
    if not text.strip():
        raise ReadError("文件为空", detail="no visible text")
    return Decoded(text, decoded.encoding, decoded.warnings)
