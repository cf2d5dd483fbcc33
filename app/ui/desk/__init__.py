"""我的任务: the official's desk — bookmarked clauses as tasks, "my department"'s suggestions, indicator
progress, and the backups of that user data.

- `view.TasksView`: the tab (read in one task by `data.fetch_desk`), with the task table (`table`), the editor
  beside it (`editor`, and `anchor` for a task whose clause changed or vanished) and 建议任务 (`suggestions`);
- 指标进度: the page of tracked indicators (`progress.ProgressOverview`) and the dialog of one
  (`indicatorprogress.IndicatorProgressDialog`);
- 设置 › 数据备份与恢复 (`backup.BackupDialog`).

The window wires it in (app.ui.window.desk: Ctrl+D, the 设置 menu, drafts at start). Strings: `strings`.
"""
