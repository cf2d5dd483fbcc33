"""The HTML tree of the page reader: a forgiving parse, text measures, boilerplate pruning, article and title."""

from __future__ import annotations

from app.core.read.html_tree import (
    _is_boilerplate,
    _is_bold,
    _main,
    _measure,
    _Node,
    _parse,
    _post_order,
    _text_of,
    _title_before,
    _title_like,
)


def _find(node: _Node, tag: str, **attrs: str) -> _Node:
    stack: list[_Node | str] = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, _Node):
            if item.tag == tag and all(item.attrs.get(k) == v for k, v in attrs.items()):
                return item
            stack.extend(reversed(item.children))
    raise AssertionError(f"no <{tag} {attrs}>")


def _tags(node: _Node) -> list[str]:
    return [c.tag for c in node.children if isinstance(c, _Node)]


def _measured(html: str, prune: bool = True) -> tuple[_Node, list[_Node], dict[str, str]]:
    builder = _parse(html)
    order = _post_order(builder.root)
    _measure(order)
    if prune:
        _measure(order, max(1, builder.root.text_len))
    return builder.root, order, builder.meta


def test_implied_end_tags_and_skipped_content() -> None:
    builder = _parse(
        "<table><tr><td>甲<td>乙<tr><td>丙</table>"
        "<ul><li>一<li>二</ul><p>段一<p>段二<div>块</div>"
        "<script>var x = '<p>no</p>';</script><style>p{}</style><select><option>选项</select>"
        "<br><img src=x></span>"
    )
    root = builder.root
    table = _find(root, "table")
    assert [len(_tags(tr)) for tr in (c for c in table.children if isinstance(c, _Node))] == [2, 1]
    assert _tags(_find(root, "ul")) == ["li", "li"]
    assert _tags(root)[:4] == ["table", "ul", "p", "p"]  # a new <p> closes the open one
    text = _text_of(root)
    assert "甲乙丙" in text and "段一段二块" in text
    assert "var" not in text and "选项" not in text and "p{}" not in text


def test_meta_and_hidden_elements() -> None:
    builder = _parse(
        '<meta name="ArticleTitle" content=" 标题 "><meta property="og:x" content="y"><meta name="empty">'
        '<div hidden>隐藏一</div><div style="display: none">隐藏二</div><div style="color:red">显示</div>'
    )
    assert builder.meta == {"articletitle": "标题", "og:x": "y"}
    divs = [c for c in builder.root.children if isinstance(c, _Node)]
    assert [d.dropped for d in divs] == [True, True, False]
    assert _text_of(builder.root) == "显示"


def test_post_order_puts_children_first_and_survives_deep_nesting() -> None:
    root = _parse("<div><p>a</p><span>b</span></div>").root
    order = _post_order(root)
    assert order[-1] is root
    positions = {id(n): i for i, n in enumerate(order)}
    for node in order:
        if node.parent is not None:
            assert positions[id(node)] < positions[id(node.parent)]
    deep = _parse("<div>" * 20_000 + "深" + "</div>" * 20_000).root
    assert len(_post_order(deep)) == 20_001
    assert _text_of(deep) == "深"


def test_measures() -> None:
    root, _, _ = _measured("<div id='x'><h2>标题</h2><p>正文 文字<a href='#'>链接</a></p></div>", prune=False)
    div, p = _find(root, "div"), _find(root, "p")
    assert (p.text_len, p.link_len) == (6, 2)  # white space is not counted
    assert (div.text_len, div.link_len, div.heading) == (8, 2, True)
    assert p.mixed and div.mixed
    assert div.names == "x "


def test_boilerplate_is_pruned_but_never_the_heading_block() -> None:
    article = "<p>" + "第一条 为了保护和改善环境，制定本条例。" * 10 + "</p>"
    root, _, _ = _measured(
        "<nav>首页 新闻</nav><div class='breadcrumb'>当前位置：首页 &gt; 政策</div>"
        "<ul><li><a>链接一二三</a></li><li><a>链接四五六</a></li></ul>"
        f"<div class='content'><h1>上海市某条例</h1>{article}</div>"
        "<div><span>网站标识码3100000001</span> 沪ICP备00000000号</div>"
    )
    assert _find(root, "nav").dropped
    assert _find(root, "div", **{"class": "breadcrumb"}).dropped
    ul = _find(root, "ul")  # items that are all link text go, and the list with them
    assert all(li.dropped for li in ul.children if isinstance(li, _Node)) and ul.text_len == 0
    assert not _find(root, "div", **{"class": "content"}).dropped
    footer = [c for c in root.children if isinstance(c, _Node)][-1]
    assert footer.dropped
    assert not _is_boilerplate(root, root.text_len)


def test_main_picks_the_content_container() -> None:
    article = "<p>" + "加强生态环境保护，推进绿色低碳发展。" * 20 + "</p>"
    root, order, _ = _measured(f"<div class='side'>侧栏</div><div id='zoom'>{article}</div><div>页脚</div>")
    assert _main(root, order) is _find(root, "div", id="zoom")
    # No marked container: the smallest element holding most of the text.
    root, order, _ = _measured(f"<div><section>{article}{article}</section><p>短</p></div>")
    assert _main(root, order) is _find(root, "section")
    root, order, _ = _measured("")
    assert _main(root, order) is root


def test_title_like_and_bold() -> None:
    root, _, _ = _measured(
        "<h3>三级标题</h3><b>加粗的一行</b><span style='font-weight:700'>样式加粗的行</span>"
        "<font size='+4'>大号字标题</font><div class='title'>名为标题</div><span>普通的一行</span>"
        "<b>粗</b><b>带<a>链接</a>的粗体</b>",
        prune=False,
    )
    nodes = [c for c in root.children if isinstance(c, _Node)]
    assert [_title_like(n) for n in nodes] == [True, True, True, True, True, False, False, False]
    assert _is_bold(nodes[1]) and _is_bold(nodes[2]) and not _is_bold(nodes[5])


def test_title_before_the_article() -> None:
    article = "<p>" + "各区人民政府，市政府各委、办、局：现将方案印发给你们。" * 10 + "</p>"
    html = f"<div class='top'><h2>上海市某某实施方案</h2></div><div class='article'>{article}</div>"
    root, order, meta = _measured(html)
    main = _main(root, order)
    assert main is _find(root, "div", **{"class": "article"})
    assert _title_before(root, main, meta) == "上海市某某实施方案"
    assert _title_before(root, main, {"articletitle": "元数据标题"}) == "元数据标题"
    assert _title_before(root, root, meta) == ""
