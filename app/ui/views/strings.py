"""User-visible strings of the 指标 / 时间线 / 部门 / 文件库 tabs (Simplified Chinese).
Shared strings: app.ui.common.strings.
"""

from __future__ import annotations

from app.ui.common import strings as S

# -- workbench (issue 5): tabs, sidebar, outline, related ------------------------------------------
ADD_FOLDER_TITLE = "选择包含政策文件（Word、PDF、OFD、网页、文本）的文件夹"

# -- my tasks (issue 6): bookmarks as tasks, notes and drafts, suggestions, indicator progress, backups -------
IND_TRACK = "跟踪进度…"
IND_TRACK_TIP = "记录所选指标的基期值和历年实际值，查看完成进度"
IND_BOOKMARK = "收藏为任务"

# -- views ------------------------------------------------------------------------------------------
VIEW_FILTER_PLACEHOLDER = "筛选：输入指标名称、部门或条款…"
IND_COLUMNS = ("指标", "目标值", "单位", "比较", "期限", "牵头单位", "条款")
IND_COUNT = "共 {n} 项指标，显示 {shown} 项。双击一行打开条款。"
IND_QUALITATIVE = "定性"
TIMELINE_YEAR = "{year}年（{n} 条）"
TIMELINE_EVAL_MID = "{year}年 · 规划中期评估"
TIMELINE_EVAL_END = "{year}年 · 规划总结评估"
TIMELINE_COLUMNS = ("条款", "文件", "完成时限")
TIMELINE_HINT = "按完成时限归集的条款（含继承规划期限）。双击条款打开。"
TIMELINE_INDICATOR = "{year}年（指标：{text}）"
DEPT_COLUMNS = ("部门", "牵头", "配合")
DEPT_LEAD = "牵头（{n}）"
DEPT_SUPPORT = "配合（{n}）"
DEPT_FILTER_PLACEHOLDER = "筛选：输入部门名称…"
DEPT_HINT = "选择左侧部门，查看其牵头和配合的条款。双击条款打开。"
LIB_COLUMNS = ("文件", "类型", "发布机关", "版本日期", "状态", "条款数")
LIB_COUNT = "共 {n} 个文件，{clauses} 个条款。"
VALIDITY_TIP = "{label}：{provision}\n原文：{quote}"
LIB_SEARCH_IN = "在所选文件中检索"
DEPT_SOURCE = "来源"

# -- empty states (issue 5): every empty list says why, and what to do ------------------------------
VIEW_WHAT_INDICATORS = "文件中的全部量化指标"
VIEW_WHAT_TIMELINE = "按完成年份归集的条款"
VIEW_WHAT_DEPARTMENTS = "各部门牵头和配合的条款"
VIEW_WHAT_LIBRARY = "文库中的全部文件"
IND_NONE = "文库中没有识别出量化指标。\n指标取自规划等文件中“到2030年，……达到……%”一类的表述。"
IND_NO_MATCH = "没有与“{text}”匹配的指标。\n可按指标名称、目标值、部门或条款筛选；清空筛选框即可显示全部 {n} 项。"
IND_DEADLINE_INHERITED = S.DEADLINE_INHERITED  # one wording for a year the item does not state
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
LIB_NONE = "文库中还没有文件。\n点上方“添加文件夹…”导入 .md / .txt 文件，或点“文库 › 更新索引”。"

# -- export (issue 7): the 导出 dialog (app.ui.export.dialog) and where it is opened ----------------
EXPORT_DEPT_ACTION = "导出“{name}”的条款…"
EXPORT_DOC_ACTION = "导出所选文件…"
EXPORT_SCOPE_YEAR = "{year}年到期的条款"
EXPORT_TITLE_YEAR = "{year}年到期条款"
