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
ALL_VERSIONS = "含旧版本"
ALL_VERSIONS_TIP = "同一法规有多个版本时，默认只检索最新版本；勾选后也检索旧版本。"
STATUS_INDEXING = "正在建立索引，完成后即可检索（首次使用通常需要一分钟以内）。"
NOTICE_SEPARATOR = "；"

# -- result list and reading pane -------------------------------------------------------------------
BREADCRUMB_SEPARATOR = " › "
DOC_TITLE = "《{title}》"
READER_EMPTY = (
    "在左侧选择一条检索结果，即可在此阅读条款及其上下文。\n"
    "也可以在“指标”“时间线”“部门”“文件库”中双击条款或文件打开。"
)
READER_LOADING = "正在载入…"
READER_CONTEXT_WHOLE = "全文"
READER_CONTEXT_CHAPTER = "本章"
READER_CONTEXT_AROUND = "前后条款"
READER_CONTEXT_NOTE = "以下显示{scope}，所选条款以底色标出。"
READER_META = "{kind}{issuer}{date}{status}"
READER_MORE_BEFORE = "……（前文从略）"
READER_MORE_AFTER = "……（后文从略）"

# -- clause links: departments, indicators, deadline (issue 3) -------------------------------------
LINKS_TITLE = "条款信息"
LINKS_LEAD = "牵头单位"
LINKS_SUPPORT = "配合单位"
LINKS_MENTIONED = "提及"
LINKS_INDICATORS = "指标"
LINKS_DEADLINE = "完成时限"
LINKS_NONE = "未识别出牵头单位、指标或完成时限。"
LINKS_EDIT = "修改…"
LINKS_EDIT_TOOLTIP = "修改本条的牵头单位、配合单位和完成时限（Ctrl+L）"
LINKS_MORE = "另 {n} 个…"
LINKS_MORE_INDICATORS = "另 {n} 项…"
LINKS_LESS = "收起"
LINKS_GENERIC = "泛指：{names}"
LINKS_GENERIC_TIP = "泛指的主体，不是具体单位：{evidence}"
LINKS_LEGEND = "原文＝条文写明　分工表＝导入的任务分工表　手工＝人工设置　推断＝按职责关键词推测，未经核实"
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
ACTION_EDIT_LINKS = "修改条款信息(&M)…"
MENU_CLAUSE = "条款(&C)"
LINKS_DIALOG_TITLE = "修改条款信息"
LINKS_DIALOG_INTRO = "为本条设置牵头单位、配合单位和完成时限。保存后标为“手工”，保存在本机，重建索引后仍保留。"
LINKS_DIALOG_LEAD = "牵头单位："
LINKS_DIALOG_SUPPORT = "配合单位："
LINKS_DIALOG_DEADLINE = "完成时限："
LINKS_DIALOG_NAMES_PLACEHOLDER = "多个单位用“、”分开；留空则使用自动识别结果"
LINKS_DIALOG_DEADLINE_PLACEHOLDER = "例如：2028、2028-06-30、2026年6月底前；留空则使用自动识别结果"
LINKS_DIALOG_INFERRED_NOTE = "当前为推断结果；不作修改时不会存为手工设置。"
LINKS_DIALOG_SAVE = "保存"
LINKS_DIALOG_CLEAR = "清除手工设置"
LINKS_DIALOG_CANCEL = "取消"
LINKS_SAVED = "已保存本条的手工设置。"
LINKS_CLEARED = "已清除本条的手工设置，恢复自动识别结果。"

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

# -- workbench (issue 5): tabs, sidebar, outline, related ------------------------------------------
TAB_SEARCH = "检索"
TAB_INDICATORS = "指标"
TAB_TIMELINE = "时间线"
TAB_DEPARTMENTS = "部门"
TAB_LIBRARY = "文件库"
MENU_VIEW = "视图(&V)"
SIDEBAR_FILTERS = "筛选"
SIDEBAR_OUTLINE = "目录"
FACET_DOC = "在以下文件中检索"
FACET_KIND = "类型"
FACET_DEPARTMENT = "牵头/配合部门"
FACET_YEAR = "完成年份"
FACET_INDICATOR = "指标"
FACET_HAS_INDICATOR = "含量化指标"
FACET_NO_INDICATOR = "不含指标"
FACET_ITEM = "{label}（{n}）"
FACET_CLEAR = "清除筛选"
FACET_EMPTY = "检索后可在此按文件、类型、部门、年份筛选结果。"
FACET_YEAR_LABEL = "{year}年"
ALSO_MATCHED = "同义词：{words}"
OUTLINE_EMPTY = "打开条款后，此处显示其所在文件的目录。"
RELATED_TITLE = "相关法规："
CITED_TITLE = "引用文件："
RELATED_LOADING = "正在查找相关法规…"
RELATED_NONE = "未找到。文库中没有与本条关键词相近的其他文件条款。"
RELATED_WHY = "共同关键词：{why}"
CITED_MISSING = "（文库中未收录）"
ACTION_PREV_CLAUSE = "上一条(&P)"
ACTION_NEXT_CLAUSE = "下一条(&N)"
ACTION_COPY_CITATION = "复制条款及出处(&C)"
ACTION_FONT_BIGGER = "放大阅读字号"
ACTION_FONT_SMALLER = "缩小阅读字号"
ACTION_SHORTCUTS = "快捷键一览(&K)"
ACTION_ADD_FOLDER = "添加文件夹…"
ADD_FOLDER_TITLE = "选择包含 .md / .txt 文件的文件夹"
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
    ("Ctrl+1 … Ctrl+5", "切换到 检索 / 指标 / 时间线 / 部门 / 文件库"),
    ("Ctrl+L", "修改条款信息"),
    ("F1 或 ?", "显示本说明"),
)

# -- views ------------------------------------------------------------------------------------------
VIEW_LOADING = "正在载入…"
VIEW_FILTER_PLACEHOLDER = "筛选：输入指标名称、部门或条款…"
IND_COLUMNS = ("指标", "目标值", "单位", "比较", "期限", "牵头单位", "条款")
IND_COUNT = "共 {n} 项指标，显示 {shown} 项。双击一行打开条款。"
IND_QUALITATIVE = "定性"
COMPARATORS = {">=": "不低于", "<=": "不高于", ">": "高于", "<": "低于", "=": "达到", "~": "约"}
TIMELINE_YEAR = "{year}年（{n} 条）"
TIMELINE_EVAL_MID = "{year}年 · 规划中期评估"
TIMELINE_EVAL_END = "{year}年 · 规划总结评估"
TIMELINE_COLUMNS = ("条款", "文件", "完成时限")
TIMELINE_HINT = "按完成时限归集的条款（含继承规划期限）。双击条款打开。"
TIMELINE_INDICATOR = "指标：{text}"
DEPT_COLUMNS = ("部门", "牵头", "配合")
DEPT_LEAD = "牵头（{n}）"
DEPT_SUPPORT = "配合（{n}）"
DEPT_HINT = "选择左侧部门，查看其牵头和配合的条款。双击条款打开。"
LIB_COLUMNS = ("文件", "类型", "发布机关", "版本日期", "状态", "条款数")
LIB_COUNT = "共 {n} 个文件，{clauses} 个条款。"
LIB_SEARCH_IN = "在所选文件中检索"
DEPT_SOURCE = "来源"

# -- empty states (issue 5): every empty list says why, and what to do ------------------------------
RESULTS_OPENING = "正在打开文库…"
RESULTS_INDEXING = "正在建立索引，完成后即可检索。\n进度显示在窗口底部，可随时取消；首次使用通常需要一分钟以内。"
RESULTS_NO_INDEX = "索引尚未建立，暂时无法检索。\n请点菜单“文库 › 更新索引”建立索引，或在“文件库”中添加文件夹。"
RESULTS_START = (
    "输入检索词开始查找条款，例如：垃圾分类、碳达峰、\"无废城市\"。\n"
    "多个词用空格分开；Ctrl+K 随时回到检索框，F1 查看全部快捷键。"
)
NO_RESULTS_TITLE = "没有找到与“{query}”相关的条款。"
NO_RESULTS_TRY = "可以试试："
NO_RESULTS_FILTERS = "· 去掉左侧的 {n} 个筛选条件（“筛选”页下方的“清除筛选”）"
NO_RESULTS_SYNONYMS = "· 换用同义词或文件中的正式说法，例如“双碳”改为“碳达峰”"
NO_RESULTS_SHORTER = "· 换用更短的词，例如“生活垃圾分类投放”改为“垃圾分类”"
NO_RESULTS_SYNTAX = "· 去掉引号或“-”排除词"
NO_RESULTS_VERSIONS = "· 勾选“含旧版本”，同时检索法规的旧版本"
VIEW_NO_INDEX = "索引尚未建立，这里暂无内容。\n索引建立后（首次打开时自动开始，也可点“文库 › 更新索引”），这里会列出{what}。"
VIEW_WHAT_INDICATORS = "文件中的全部量化指标"
VIEW_WHAT_TIMELINE = "按完成年份归集的条款"
VIEW_WHAT_DEPARTMENTS = "各部门牵头和配合的条款"
VIEW_WHAT_LIBRARY = "文库中的全部文件"
IND_NONE = "文库中没有识别出量化指标。\n指标取自规划等文件中“到2030年，……达到……%”一类的表述。"
IND_NO_MATCH = "没有与“{text}”匹配的指标。\n可按指标名称、目标值、部门或条款筛选；清空筛选框即可显示全部 {n} 项。"
IND_DEADLINE_INHERITED = "（条款）"
TIP_IND_DEADLINE_INHERITED = "完成时限取自所在条款：指标本身未写明年份。"
TIP_IND_DEADLINE_PLAN = "完成时限取自所在条款：指标和条款都未写明年份，沿用规划的期限。"
TIMELINE_NONE = "文库中没有识别出带完成时限的条款。\n完成时限取自“到2030年”“2027年底前”等表述，规划条款也会沿用规划期限。"
TIMELINE_NONE_YEAR = "{year}年没有到期的条款或指标。\n请在左侧选择其他年份。"
DEPT_NONE = "没有识别出牵头或配合部门。\n部门取自条文中的“由……负责”“……会同……”等表述，也可导入任务分工表。"
DEPT_NO_MATCH = "没有名称包含“{text}”的部门。"
DEPT_NO_MATCH_GENERIC = "没有名称包含“{text}”的具体部门。\n泛指的主体（各区、有关部门等）已隐藏，可勾选下方“{toggle}”显示。"
DEPT_PICK = "在左侧选择一个部门，这里会列出它牵头和配合的条款。"
DEPT_SHOW_GENERIC = "显示泛指主体（各区、有关部门等）"
DEPT_SHOW_GENERIC_TIP = "各区、各级人民政府、有关部门、企业等泛指的主体不是具体单位，默认不列出；勾选后列在最后。"
DEPT_GENERIC_TIP = "泛指的主体，不是具体单位：{name}"
LIB_NONE = "文库中还没有文件。\n点上方“添加文件夹…”导入 .md / .txt 文件，或点“文库 › 更新索引”。"
