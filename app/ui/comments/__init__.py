"""Comments on clauses (征求意见) in the desktop app: the screens an official uses to comment on a draft.

Screens:
- the comment editor (`editor.CommentEditor`): 提意见 / 修改意见 on a clause or a selected passage, with cited
  clauses picked from the library (`picker.ClausePickerDialog`, also used for 重新关联);
- the 意见 tab (`view.CommentsView`, rows built by `table`): every comment by document, filters, 显示已删除,
  editing, deleting with 撤销, 转到条款, and comments whose clause changed or vanished (确认新内容 / 重新关联…);
- the 导出意见反馈表 dialog (`feedback.FeedbackDialog`, run by `feedback.FeedbackRunMixin`): the .docx / .xlsx form;
- the reading pane's 提意见 button, 意见 N badge and context menu (`reader`), and the 意见N marks on result
  rows (drawn by app.ui.search.resultlist from the counts this package supplies).

`controller.CommentsController(win)` wires them into the main window. Engine: `Library.comments`
(app.core.comments) and `Library.export_comments`. Strings: `strings`; colours: `style`. Nothing is imported
here, so app.ui modules may import `app.ui.comments.strings` without loading the screens.
"""
