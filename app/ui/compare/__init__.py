"""Versions of a document in the window (issue 14): the first feature package of the Qt layer.

Screens:
- the 对照 tab (`view.CompareView`, with `pairs.PairList` / `pairs.PairDetail`): two versions clause by
  clause, the summary, the changed indicators and deadlines, 原条文 | 新条文 with the changed characters
  marked (`diffhtml`);
- 导出新旧对照表 (`exportdialog.CompareExportDialog`): .docx / .xlsx on the write thread;
- 版本关联… (`linksdialog.VersionLinksDialog`): every link with 确认 / 不是同一文件的版本 / 撤销 / 对照;
- 核对迁移的任务和意见 (`review.CarryReviewDialog`): tasks and comments whose clause changed or vanished;
- the new-version banner after an import, and the wiring of all of it (`controller.VersionsController`).

The 文件库 view shows each document's version relation from `work.with_versions`. Worker-side code (no
widgets) lives in `work`; UI text in `strings`.
"""
