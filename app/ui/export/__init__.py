"""The 导出 dialog (issue 7) and every way of opening it.

- `controller.ExportController`: 导出… (Ctrl+E) in the menus, the result list's menu and button, the views'
  buttons; what the current tab shows becomes an `scope.ExportRequest`;
- `dialog.ExportDialog`: 范围, 格式, 版式, 全文/摘录, 标题 and the file;
- `worker.ExportRun`: the run of any export dialog (the 覆盖 question, the write thread with progress and 取消,
  打开文件 / 打开所在文件夹), shared with the 意见反馈表 (app.ui.comments) and 新旧对照表 (app.ui.compare) dialogs.

Strings: `strings` (also the default texts of `ExportRun`).
"""
