"""Every user-visible string of the desktop app, in one place for review (Simplified Chinese)."""

from __future__ import annotations

APP_NAME = "政策案头"
APP_NAME_EN = "PolicyDesk"
WINDOW_TITLE = "政策案头 · 规划与法规条款检索"

# -- start-up ---------------------------------------------------------------------------------------
ALREADY_RUNNING_TITLE = "政策案头"
ALREADY_RUNNING = "程序已在运行。\n请在任务栏中找到已打开的“政策案头”窗口。"
LOCK_FAILED = "无法使用数据目录：{path}\n请检查该文件夹是否可写。"

# -- search box and status line ---------------------------------------------------------------------
SEARCH_PLACEHOLDER = "输入检索词，例如：垃圾分类、\"无废城市\"、-危险废物"
SEARCH_PLACEHOLDER_OPENING = "正在打开文库…"
SEARCH_PLACEHOLDER_INDEXING = "正在建立索引…"
SEARCH_PLACEHOLDER_NO_INDEX = "索引尚未建立：请点“文库 › 更新索引”"
SEARCH_TOOLTIP = (
    "多个词语用空格分开，结果须同时包含这些词语；\n"
    "\"引号\" 表示精确短语，-词 表示排除。\n"
    "快捷键：Ctrl+K 定位到检索框，↑/↓ 选择结果，Enter 阅读，Esc 清空。"
)
STATUS_RESULTS = "共 {total} 条 · {ms} 毫秒"
STATUS_RESULTS_SHOWN = "共 {total} 条，显示前 {shown} 条 · {ms} 毫秒"
STATUS_NO_RESULTS = "没有找到相关条款 · {ms} 毫秒"
STATUS_SEARCHING = "正在检索…"
STATUS_HINT = "输入检索词开始查找条款。"
STATUS_INDEXING = "正在建立索引，完成后即可检索（首次使用通常需要一分钟以内）。"
NOTICE_SEPARATOR = "；"

# -- result list and reading pane -------------------------------------------------------------------
BREADCRUMB_SEPARATOR = " › "
DOC_TITLE = "《{title}》"
READER_EMPTY = "在左侧选择一条结果，即可在此阅读条款及其上下文。"
READER_LOADING = "正在载入…"
READER_CONTEXT_WHOLE = "全文"
READER_CONTEXT_CHAPTER = "本章"
READER_CONTEXT_AROUND = "前后条款"
READER_CONTEXT_NOTE = "以下显示{scope}，所选条款以底色标出。"
READER_META = "{kind}{issuer}{date}{status}"
READER_MORE_BEFORE = "……（前文从略）"
READER_MORE_AFTER = "……（后文从略）"

# -- indexing ---------------------------------------------------------------------------------------
INDEX_PROGRESS = "正在建立索引"
INDEX_CANCEL = "取消"
INDEX_CANCELLING = "正在取消…"
INDEX_CANCELLED = "已取消建立索引。需要时可点“文库 › 更新索引”重新建立。"
INDEX_DONE = "索引已就绪：{documents} 个文件，{clauses} 个条款（用时 {seconds:.1f} 秒）。"
INDEX_FAILED_FILES = "另有 {n} 个文件未能导入，详情见日志。"
READY = "文库已就绪。"

# -- menus ------------------------------------------------------------------------------------------
MENU_LIBRARY = "文库(&L)"
ACTION_REINDEX = "更新索引(&U)"
ACTION_FOCUS_SEARCH = "定位到检索框(&F)"
ACTION_QUIT = "退出(&X)"
MENU_HELP = "帮助(&H)"
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

# -- errors -----------------------------------------------------------------------------------------
ERROR_TITLE = "出错了"
ERROR_UNEXPECTED = "程序遇到了意外问题，当前操作未能完成。\n详细信息已记录到日志文件：\n{log}"
ERROR_UNEXPECTED_NO_LOG = "程序遇到了意外问题，当前操作未能完成。"
