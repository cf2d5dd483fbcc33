"""The main window (`mainwindow.MainWindow`) and what belongs to the window itself rather than to a screen.

- `mainwindow`: sidebar | search panel | reading pane and the tabs, menus, shortcuts, settings, the theme;
- its mixins: `indexing` (start-up check, 更新索引, 添加文件夹/文件, progress in the status bar via `indexprogress`,
  the 导入报告 of `importreport`), `closing` (ask, cancel, wait ≤10 s), `desk` (the 我的任务 tab, Ctrl+D, the 设置
  menu, drafts, backups);
- `host.WindowLike`: the window as its mixins and the feature controllers (app.ui.export, app.ui.comments,
  app.ui.compare) see it, so none of them imports `mainwindow`;
- `shortcuts` (the F1 help) and `stallprobe` (the GUI-thread stall probe run by scripts/stall_probe.py).

Strings: `strings`. The screens live in their own packages: app.ui.search, app.ui.reader, app.ui.views,
app.ui.desk, app.ui.export, app.ui.comments, app.ui.compare.
"""
