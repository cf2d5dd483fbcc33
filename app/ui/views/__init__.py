"""The 指标 / 时间线 / 部门 / 文件库 tabs: the library seen by indicator, by deadline, by department and by
document, each a `LazyView` (app.ui.common.lazyview) loaded on a read thread when first shown.

- `indicators.IndicatorsView`: every indicator, sortable and filterable (跟踪进度…, 收藏为任务);
- `timeline.TimelineView`: deadlines by year, with the plan's evaluation years;
- `departments.DepartmentsView`: per department the clauses it leads and supports (generic actors hidden);
- `library.LibraryView`: the documents with status and version relation (添加文件夹…, 版本关联…).

Double-clicking a clause opens it in the reading pane. Strings: `strings`.
"""
