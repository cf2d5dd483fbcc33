"""User-visible strings of the main window itself (Simplified Chinese): its menus' actions, index builds
and the 导入报告, closing, the shortcuts help, and what the window says for 我的任务 (收藏, drafts, 设置).
Shared strings: app.ui.common.strings.
"""

from __future__ import annotations

# -- search box and status line ---------------------------------------------------------------------
STATUS_INDEXING = "正在建立索引，完成后即可检索（首次使用通常需要一分钟以内）。"

# -- correcting links -------------------------------------------------------------------------------
ACTION_EDIT_LINKS = "修改条款信息(&M)…"
LINKS_SAVED = "已保存本条的手工设置。"
LINKS_CLEARED = "已清除本条的手工设置，恢复自动识别结果。"

# -- indexing ---------------------------------------------------------------------------------------
INDEX_PROGRESS = "正在建立索引"
INDEX_CANCEL = "取消"
INDEX_CANCELLING = "正在取消…"
INDEX_CANCELLED = "已取消建立索引。需要时可点“文库 › 更新索引”重新建立。"
INDEX_DONE = "索引已就绪：{documents} 个文件，{clauses} 个条款（用时 {seconds:.1f} 秒）。"
INDEX_FAILED_FILES = "另有 {n} 个文件未能导入（文库 › 导入报告 查看原因）。"
IMPORT_REPORT_TITLE = "导入报告"
IMPORT_REPORT_NONE = "没有新读取的文件。"
IMPORT_REPORT_COLUMNS = ["结果", "文件", "说明"]
IMPORT_ROW_OK = "《{title}》，{clauses} 个条款"
ACTION_ADD_FILES = "添加文件…"
ADD_FILES_TITLE = "选择要加入文库的文件"
ADD_FILES_FILTER = "政策文件 (*.docx *.pdf *.ofd *.html *.htm *.txt *.md *.doc *.wps *.rtf);;所有文件 (*)"
READY = "文库已就绪。"

# -- menus ------------------------------------------------------------------------------------------
ACTION_REINDEX = "更新索引(&U)"
ACTION_FOCUS_SEARCH = "定位到检索框(&F)"
ACTION_QUIT = "退出(&X)"
ACTION_ABOUT = "关于政策案头(&A)"
ABOUT_TEXT = (
    "<b>政策案头</b> PolicyDesk<br>"
    "离线检索城市规划及相关法律法规条款。<br>"
    "所有数据均保存在本机，不联网。"
)

# -- closing ----------------------------------------------------------------------------------------
CLOSE_BUSY_TITLE = "后台任务进行中"
CLOSE_BUSY_TEXT = "后台任务进行中：正在建立索引。\n可以等待完成后再退出，或取消任务并立即退出。"
CLOSE_WAIT = "等待完成"
CLOSE_CANCEL = "取消并退出"
CLOSE_WAITING = "将在后台任务完成后退出…"

# -- workbench (issue 5): tabs, sidebar, outline, related ------------------------------------------
SIDEBAR_FILTERS = "筛选"
SIDEBAR_OUTLINE = "目录"
ACTION_PREV_CLAUSE = "上一条(&P)"
ACTION_NEXT_CLAUSE = "下一条(&N)"
ACTION_COPY_CITATION = "复制条款及出处(&C)"
ACTION_FONT_BIGGER = "放大阅读字号"
ACTION_FONT_SMALLER = "缩小阅读字号"
ACTION_SHORTCUTS = "快捷键一览(&K)"
CITATION_COPIED = "已复制条款及出处。"
SHORTCUTS_TITLE = "快捷键"
SHORTCUTS = (
    ("Ctrl+K / Ctrl+F", "定位到检索框"),
    ("Enter", "阅读所选结果"),
    ("↑ / ↓", "在结果中上下移动"),
    ("Esc", "清空检索"),
    ("Ctrl+[ / Ctrl+]", "同一文件的上一条 / 下一条"),
    ("Ctrl+C", "复制条款及出处（阅读区或结果列表中）"),
    ("Ctrl+= / Ctrl+-", "放大 / 缩小阅读字号"),
    ("Ctrl+1 … Ctrl+7", "切换到 检索 / 指标 / 时间线 / 部门 / 文件库 / 我的任务 / 意见"),
    ("Ctrl+D", "把所选条款收藏为任务（已收藏则在“我的任务”中打开）"),
    ("Ctrl+S", "保存“我的任务”中正在编辑的任务"),
    ("Ctrl+L", "修改条款信息"),
    ("Ctrl+M", "对所选条款或阅读区中选中的文字提意见（可导出意见反馈表）"),
    ("Ctrl+E", "导出（检索结果、指标表、部门条款、文件、我的任务）"),
    ("F1 或 ?", "显示本说明"),
)

# -- my tasks (issue 6): bookmarks as tasks, notes and drafts, suggestions, indicator progress, backups -------
ACTION_BOOKMARK = "收藏为任务(&D)"
BOOKMARK_DONE = "已收藏为任务，可在“我的任务”中填写笔记、期限和状态：{title}"  # title last: it may end in 。
BOOKMARK_EXISTS = "该条款已收藏，已在“我的任务”中选中。"
BOOKMARK_NOTHING = "请先在“检索”的结果列表或阅读区中选中一条条款，再按 Ctrl+D 收藏。"
DRAFTS_FOUND = "发现 {n} 条未保存的笔记草稿（最近一次 {time}），可能是上次程序意外退出时留下的。"
DRAFTS_RESTORE = "恢复"
DRAFTS_DISCARD = "丢弃"
DRAFTS_RESTORED = "已恢复并保存 {n} 条笔记草稿。"
DRAFTS_DISCARDED = "已丢弃 {n} 条笔记草稿。"
DATA_RECOVERED_TITLE = "数据已从备份恢复"
ACTION_BACKUPS = "数据备份与恢复(&B)…"
ACTION_CHECK_DATA = "检查数据(&C)…"
ACTION_MY_DEPARTMENT = "我的部门(&D)…"

# -- export (issue 7): the 导出 dialog (app.ui.export.dialog) and where it is opened ----------------
CLOSE_BUSY_TEXT_EXPORT = "后台任务进行中：正在导出文件。\n可以等待完成后再退出，或取消导出并立即退出（不会留下不完整的文件）。"
