"""The HTML tree of the page reader: a forgiving parse (standard library HTMLParser, explicit stacks, any depth),
text measures, boilerplate pruning, and the choice of the article container and of a title outside it."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

_SKIP_TAGS = frozenset(
    {"script", "style", "noscript", "template", "head", "title", "svg", "math", "iframe", "object", "embed"}
    | {"select", "option", "button", "textarea", "input", "canvas", "audio", "video", "map"}
)
_VOID = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr"}
)
_BLOCK_TAGS = frozenset(
    {"p", "div", "section", "article", "header", "footer", "main", "aside", "nav", "ul", "ol", "li"}
    | {"table", "tbody", "thead", "tfoot", "tr", "td", "th", "caption", "blockquote", "pre", "hr", "dl", "dt", "dd"}
    | {"figure", "figcaption", "address", "center", "form", "fieldset", "h1", "h2", "h3", "h4", "h5", "h6"}
)
_BOLD_TAGS = frozenset({"b", "strong"})
_SPACES = re.compile(r"[ \t\r\f\v\u00a0]+")
_BOLD_STYLE = re.compile(r"font-weight\s*:\s*(?:bold|[6-9]00)", re.IGNORECASE)
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)

# Content containers of common government CMSs (TRS, 大汉, 拓尔思, 政府信息公开 xxgk) and generic ones.
_CONTENT_NAME = re.compile(
    r"trs_editor|custom_unionstyle|zoom|xxgk|article|content|detail|pages_content|main|zhengwen|\bzw\b|"
    r"\bcon\b|text|正文",
    re.IGNORECASE,
)
_BOILER_NAME = re.compile(
    r"\b(?:nav|navbar|menu|menus|footer|foot|bottom|breadcrumbs?|crumbs?|position|location|share|sharing|"
    r"bdshare|sidebar|side|aside|related|xgwz|xglj|xgxx|copyright|banner|login|search|toolbar|tools?|"
    r"print|qrcode|ewm|gotop|totop|friendlinks?|links?|topbar|header|top)\b",
    re.IGNORECASE,
)
_BOILER_TEXT = re.compile(
    r"网站标识码|ICP\s*备|公网安备|版权所有|主办单位|承办单位|技术支持|联系我们|网站地图|当前位置|您现在的位置|"
    r"分享到|打印本页|关闭窗口|扫一扫|相关链接|相关文件|相关稿件|字号\s*[:：]?\s*[【\[]?\s*大|"
    r"来源\s*[:：].{0,80}(?:发布|日期|时间)|(?:发布|日期|时间).{0,80}来源\s*[:：]|浏览次数|阅读次数",
)
_SHORT_BLOCK = 200  # footer/toolbar phrase blocks are short
_LINK_DENSITY = 0.5
_KEEP_SHARE = 0.8


# --- the tree ---------------------------------------------------------------------------------------------


@dataclass(eq=False, slots=True)
class _Node:
    tag: str
    attrs: dict[str, str]
    parent: _Node | None
    children: list[_Node | str] = field(default_factory=list)
    text_len: int = 0  # visible characters below, white space aside
    link_len: int = 0  # ... of them inside <a>
    dropped: bool = False
    heading: bool = False  # an h1/h2 below (or this is one): the article title's block is never boilerplate
    in_article: bool = False  # inside <article>/<main>
    mixed: bool = False  # holds direct text or several children with text (its text is not one child's)

    @property
    def names(self) -> str:
        return f"{self.attrs.get('id', '')} {self.attrs.get('class', '')}"


class _TreeBuilder(HTMLParser):
    """A forgiving tree: unknown end tags are ignored, implied ends of p/li/td/tr/option are applied."""

    _KEEP_ATTRS = frozenset({"id", "class", "role", "style", "hidden", "name", "content", "property", "align", "size"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = _Node("#root", {}, None)
        self.stack: list[_Node] = [self.root]
        self.skip = 0
        self.meta: dict[str, str] = {}

    def _close(self, tag: str, stop: frozenset[str]) -> None:
        """Close an open `tag` unless one of `stop` is nearer (the table/list it belongs to)."""
        for i in range(len(self.stack) - 1, max(0, len(self.stack) - 64), -1):
            t = self.stack[i].tag
            if t == tag:
                del self.stack[i:]
                return
            if t in stop:
                return

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "meta":
            a = {k: v or "" for k, v in attrs}
            key = (a.get("name") or a.get("property") or "").lower()
            if key and a.get("content"):
                self.meta.setdefault(key, a["content"].strip())
            return
        if self.skip:
            if tag in _SKIP_TAGS and tag not in _VOID:
                self.skip += 1
            return
        if tag in _SKIP_TAGS:
            if tag not in _VOID:
                self.skip = 1
            return
        if tag in ("td", "th"):
            self._close("td", frozenset({"tr", "table"}))
            self._close("th", frozenset({"tr", "table"}))
        elif tag == "tr":
            self._close("tr", frozenset({"table"}))
        elif tag == "li":
            self._close("li", frozenset({"ul", "ol"}))
        elif tag in ("dt", "dd"):
            self._close("dt", frozenset({"dl"}))
            self._close("dd", frozenset({"dl"}))
        elif tag in _BLOCK_TAGS and self.stack[-1].tag == "p":
            self.stack.pop()  # a block (or a new <p>) ends an open paragraph
        keep = {k: (v or "") for k, v in attrs if k in self._KEEP_ATTRS}
        node = _Node(tag, keep, self.stack[-1])
        if "hidden" in keep or _HIDDEN_STYLE.search(keep.get("style", "")):
            node.dropped = True
        self.stack[-1].children.append(node)
        if tag not in _VOID:
            self.stack.append(node)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _VOID or tag == "meta":
            self.handle_starttag(tag, attrs)
        # Self-closing non-void tags (<div/>) are empty elements: nothing to add.

    def handle_endtag(self, tag: str) -> None:
        if self.skip:
            if tag in _SKIP_TAGS:
                self.skip -= 1
            return
        if tag in _VOID:
            return
        for i in range(len(self.stack) - 1, 0, -1):
            if self.stack[i].tag == tag:
                del self.stack[i:]
                return
            if len(self.stack) - i > 64:  # a stray end tag: do not scan a 100,000-deep stack for it
                return

    def handle_data(self, data: str) -> None:
        if not self.skip and data:
            self.stack[-1].children.append(data)


def _parse(html: str) -> _TreeBuilder:
    builder = _TreeBuilder()
    builder.feed(html)
    builder.close()
    return builder


def _post_order(root: _Node) -> list[_Node]:
    """Elements children-first, without recursion."""
    out: list[_Node] = []
    stack = [root]
    while stack:
        node = stack.pop()
        out.append(node)
        stack.extend(c for c in node.children if isinstance(c, _Node))
    out.reverse()
    return out


_WHITE = dict.fromkeys(map(ord, " \t\n\r\f\v\u00a0\u3000"))


def _visible_len(s: str) -> int:
    return len(s.translate(_WHITE))


def _measure(order: list[_Node], total: int | None = None) -> None:
    """text_len/link_len/heading/mixed of every element (children first), counting what is not dropped.

    With `total` (the page's text length) boilerplate is dropped on the way up: a parent is measured after
    its children, so it never counts a dropped child.
    """
    for node in reversed(order):  # parents first
        parent = node.parent
        node.in_article = parent is not None and (parent.in_article or parent.tag in ("article", "main"))
    for node in order:
        size = link = bearing = 0
        heading = node.tag in ("h1", "h2")
        for c in node.children:
            if isinstance(c, str):
                n = _visible_len(c)
                size += n
                bearing += 2 if n else 0
            elif not c.dropped:
                size += c.text_len
                link += c.link_len
                heading = heading or c.heading
                bearing += 1 if c.text_len else 0
        node.text_len = size
        node.link_len = size if node.tag == "a" else link
        node.heading = heading
        node.mixed = bearing >= 2
        if total is not None and not node.dropped and _is_boilerplate(node, total):
            node.dropped = True


def _text_of(node: _Node, limit: int = 2000) -> str:
    """Plain text below `node`, at most about `limit` characters."""
    out: list[str] = []
    size = 0
    stack: list[_Node | str] = [node]
    while stack and size < limit:
        item = stack.pop()
        if isinstance(item, str):
            out.append(item)
            size += len(item)
        elif not item.dropped:
            stack.extend(reversed(item.children))
    return _SPACES.sub(" ", "".join(out)).strip()


def _is_content_marked(node: _Node) -> bool:
    return node.tag in ("article", "main") or node.attrs.get("role") == "main" or bool(
        _CONTENT_NAME.search(node.names)
    )


def _is_boilerplate(node: _Node, total: int) -> bool:
    """Navigation, menus, footers, link lists and toolbar/footer phrases; never a heading's block."""
    size = node.text_len
    if size == 0 or node.tag in ("#root", "html", "body") or node.heading or size >= 0.4 * total:
        return False
    if node.tag in ("nav", "aside") or (node.tag in ("footer", "header") and not node.in_article):
        return True
    names = node.names
    if names.strip() and _BOILER_NAME.search(names) and not _is_content_marked(node):
        return True
    if node.tag in _BLOCK_TAGS and size >= 4 and node.link_len > _LINK_DENSITY * size:
        return True
    # Phrase check on blocks whose text is their own (a wrapper of one child has the child's text).
    return size < _SHORT_BLOCK and node.mixed and bool(_BOILER_TEXT.search(_text_of(node, 400)))


def _main(root: _Node, order: list[_Node]) -> _Node:
    """The element holding the article."""
    total = root.text_len - root.link_len
    if total <= 0:
        return root
    def share(n: _Node) -> float:
        return (n.text_len - n.link_len) / total

    live = [n for n in order if not n.dropped and n is not root]  # children before parents
    marked = [n for n in live if _is_content_marked(n)]
    # The deepest content container that holds most of the text; else the smallest element that does.
    for candidates, need in ((marked, _KEEP_SHARE), (marked, 0.5), (live, _KEEP_SHARE)):
        for n in candidates:
            if share(n) >= need:
                return n
    return root


def _title_like(node: _Node) -> bool:
    """A heading, an element named "title", or a short bold/big/centred line without links."""
    if node.tag in ("h1", "h2", "h3"):
        return True
    if not 4 <= node.text_len <= 120 or node.link_len:
        return False
    if "title" in node.names.lower():
        return True
    big = node.tag == "font" and node.attrs.get("size", "").strip().lstrip("+").isdigit() and int(
        node.attrs["size"].strip().lstrip("+")) >= 4
    return big or _is_bold(node)


def _title_before(root: _Node, main: _Node, meta: dict[str, str]) -> str:
    """A title outside the article container: meta ArticleTitle, or the last heading before it."""
    if main is root or main.heading:
        return ""
    last = ""
    stack: list[_Node | str] = [root]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            continue
        if item is main:
            break
        if item.dropped:
            continue
        if _title_like(item):
            text = _text_of(item, 300)
            if text:
                last = text
                continue
        stack.extend(reversed(item.children))
    return meta.get("articletitle", "").strip() or last


def _is_bold(node: _Node) -> bool:
    return node.tag in _BOLD_TAGS or bool(_BOLD_STYLE.search(node.attrs.get("style", "")))
