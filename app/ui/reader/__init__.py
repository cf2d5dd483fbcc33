"""The reading pane: the selected clause in the context of its document, and what is shown around it.

- `clauseview` (`ClauseView`, `ReaderPane`): the clause with query terms marked, ☆ 收藏, font size, Ctrl+C;
  its HTML is rendered on a read thread by `render`, citations and the document outline come from `citation`;
- `linkspanel.LinksPanel` (条款信息: departments, indicators, deadline) and `linksdialog.LinksDialog`
  (修改条款信息, Ctrl+L);
- `related.RelatedPanel` (相关法规 / 引用文件 under the text) and `outline.OutlineTree` (the 目录 sidebar tab).

Strings: `strings`.
"""
