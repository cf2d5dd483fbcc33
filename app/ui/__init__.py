"""The PySide6 desktop app (the only package that may import Qt).

`main` starts it. Feature packages: `window` (the main window and its menus), `search` (检索), `reader` (the
reading pane), `views` (指标 / 时间线 / 部门 / 文件库), `desk` (我的任务), `export` (导出), `comments` (意见),
`compare` (对照, versions); `common` holds what they share (background tasks, theme, strings, dialogs);
`shots` is the screenshot tooling.
"""
