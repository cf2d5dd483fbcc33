"""The 检索 screen: the search box and the results, the middle of the window's first tab.

- `panel.SearchPanel`: search box (debounced, request ids), status line, paging, the empty list's advice;
- `resultlist`: one row per hit (`HitModel`, `HitDelegate`, `ResultList`), with chips, ★ and 意见N marks;
- `hints`: 您是不是要找, the recognised intent and the synonyms under the box; `completion`: the box's
  suggestions (recent queries, the domain dictionary);
- `facets.FacetSidebar`: the 筛选 sidebar (facet values with counts narrow the search).

Strings: `strings`. The selected hit is read in app.ui.reader.
"""
