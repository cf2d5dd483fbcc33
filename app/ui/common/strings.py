"""User-visible strings of the desktop app that more than one screen uses (Simplified Chinese): the
app's name, menus and tabs, start-up, errors, the clause links' wording. A string one feature uses alone
lives in that feature's `strings` module (app.ui.window, .search, .reader, .views, .desk, .export,
.comments, .compare).
"""

from __future__ import annotations

APP_NAME = "政策案头"
APP_NAME_EN = "PolicyDesk"
WINDOW_TITLE = "政策案头 · 规划与法规条款检索"

# -- start-up ---------------------------------------------------------------------------------------
ALREADY_RUNNING_TITLE = "政策案头"
ALREADY_RUNNING = "程序已在运行。\n请在任务栏中找到已打开的“政策案头”窗口。"
LOCK_FAILED = "无法使用数据目录：{path}\n请检查该文件夹是否可写。"

# -- search box and status line ---------------------------------------------------------------------
SEARCH_PLACEHOLDER_OPENING = "正在打开文库…"
SEARCH_PLACEHOLDER_INDEXING = "正在建立索引…"
SEARCH_PLACEHOLDER_NO_INDEX = "索引尚未建立：请点“文库 › 更新索引”"
STATUS_HINT = "输入检索词开始查找条款。"

# -- result list and reading pane -------------------------------------------------------------------
BREADCRUMB_SEPARATOR = " › "
DOC_TITLE = "《{title}》"

# -- clause links: departments, indicators, deadline (issue 3) -------------------------------------
LINKS_TITLE = "条款信息"
LINKS_LEAD = "牵头单位"
LINKS_SUPPORT = "配合单位"
LINKS_MENTIONED = "提及"
LINKS_SUGGESTED = "可能相关"  # inferences below the confidence floor: not a link, a hint
NAME_SEPARATOR = "、"
TAG_EXPLICIT = "原文"
TAG_TABLE = "分工表"
TAG_USER = "手工"
TAG_INFERRED = "推断"
TAG_INFERRED_CONF = "推断·{pct}%"
TIP_EXPLICIT = "条文写明：{evidence}"
TIP_TABLE = "来自导入的任务分工表"
TIP_USER = "手工设置（保存在本机，重建索引后仍保留）"
TIP_INFERRED = "推断结果，未经核实：按职责关键词推测，置信度 {pct}%。\n依据：{evidence}"
INDICATOR_TEXT = "{name}：{value}"
INDICATOR_NOTE = "（{notes}）"
INDICATOR_YEAR = "{year}年"
INDICATOR_QUALITATIVE = "定性"
INDICATOR_NOTE_SEPARATOR = "·"
TIP_QUOTE = "原文：{quote}"
DEADLINE_YEAR = "{year}年"
DEADLINE_DATE = "{year}年{month}月{day}日"
DEADLINE_EXPLICIT = "（原文：{quote}）"
DEADLINE_INHERITED = "（继承规划期限）"
DEADLINE_TABLE = "（分工表）"
DEADLINE_USER = "（手工）"
TIP_DEADLINE_INHERITED = "本条未写明时限，沿用规划的期限或阶段目标年份。"
ROW_LEAD_MORE = "等{n}个单位"
ROW_DEADLINE_INHERITED = "继承"
ROW_INDICATORS = "{n} 项指标"
ROW_CHIP_SEPARATOR = " ｜ "

# -- correcting links -------------------------------------------------------------------------------
MENU_CLAUSE = "条款(&C)"
LINKS_DIALOG_CANCEL = "取消"

# -- indexing ---------------------------------------------------------------------------------------
ACTION_IMPORT_REPORT = "导入报告…"

# -- menus ------------------------------------------------------------------------------------------
MENU_LIBRARY = "文库(&L)"
MENU_HELP = "帮助(&H)"

# -- errors -----------------------------------------------------------------------------------------
ERROR_TITLE = "出错了"
ERROR_UNEXPECTED = "程序遇到了意外问题，当前操作未能完成。\n详细信息已记录到日志文件：\n{log}"
ERROR_UNEXPECTED_NO_LOG = "程序遇到了意外问题，当前操作未能完成。"

# -- workbench (issue 5): tabs, sidebar, outline, related ------------------------------------------
TAB_SEARCH = "检索"
TAB_INDICATORS = "指标"
TAB_TIMELINE = "时间线"
TAB_DEPARTMENTS = "部门"
TAB_LIBRARY = "文件库"
MENU_VIEW = "视图(&V)"
ACTION_ADD_FOLDER = "添加文件夹…"

# -- my tasks (issue 6): bookmarks as tasks, notes and drafts, suggestions, indicator progress, backups -------
TAB_TASKS = "我的任务"
BANNER_CLOSE = "关闭"
MENU_SETTINGS = "设置(&S)"
ACTION_BACKUPS_SHORT = "数据备份与恢复…"

# -- views ------------------------------------------------------------------------------------------
VIEW_LOADING = "正在载入…"
COMPARATORS = {">=": "不低于", "<=": "不高于", ">": "高于", "<": "低于", "=": "达到", "~": "约"}

# -- empty states (issue 5): every empty list says why, and what to do ------------------------------
VIEW_NO_INDEX = "索引尚未建立，这里暂无内容。\n索引建立后（首次打开时自动开始，也可点“文库 › 更新索引”），这里会列出{what}。"
DEPT_GENERIC_TIP = "泛指的主体，不是具体单位：{name}"

# -- export (issue 7): the 导出 dialog (app.ui.export.dialog) and where it is opened ----------------
EXPORT_BUTTON = "导出…"
EXPORT_BUTTON_TIP = "导出为 Word（公文格式）、PDF、Markdown、网页或 Excel 任务分工表（Ctrl+E）"
EXPORT_DONE_STATUS = "已导出：{path}"

# -- reliability (issue #13): data folder checks at start, 检查数据 --------------------------------------
DATADIR_TITLE = "数据文件夹"
DATADIR_CHOOSE = "选择其他文件夹…"
DATADIR_READONLY = "以只读方式打开"
DATADIR_CONTINUE = "仍然使用"
DATADIR_QUIT = "退出"
DATADIR_PICK = "选择数据文件夹"
READONLY_SUFFIX = "（只读）"
READONLY_BANNER = ("以只读方式打开：数据文件夹 {path} 不可写，本次的修改只保存在临时副本中，退出后不会保留。"
                   "如需保存，请退出后选择可写的数据文件夹。")
