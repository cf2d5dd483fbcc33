"""User-visible strings of the 检索 screen (Simplified Chinese): search box, status line, hints, result list,
filter sidebar and the empty list. Shared strings: app.ui.common.strings.
"""

from __future__ import annotations

# -- search box and status line ---------------------------------------------------------------------
SEARCH_PLACEHOLDER = "输入检索词，例如：垃圾分类、\"无废城市\"、-危险废物"
SEARCH_TOOLTIP = (
    "多个词语用空格分开，结果须同时包含这些词语；\n"
    "\"引号\" 表示精确短语，-词 表示排除。\n"
    "快捷键：Ctrl+K 定位到检索框，↑/↓ 选择结果，Enter 阅读，Esc 清空。"
)
STATUS_RESULTS = "共 {total} 条 · {ms} 毫秒"
STATUS_RESULTS_SHOWN = "共 {total} 条，已显示 {shown} 条 · {ms} 毫秒"
LOAD_MORE = "加载更多（还有 {n} 条）"
LOAD_MORE_LOADING = "正在加载下一页…（还有 {n} 条）"
LOAD_MORE_TIP = "单击加载下一页；滚动到列表底部时也会自动加载。"
LOAD_MORE_FAILED = "下一页加载失败：{error}"
DID_YOU_MEAN = "您是不是要找："
DID_YOU_MEAN_TIP = "单击按“{term}”检索"
# The kind of answer the engine recognised in the query (SearchResult.intent), shown under the search box.
INTENT_LABELS = {
    "indicator": "按指标查找",
    "department": "按责任部门查找",
    "deadline": "按时限查找",  # a plan's 完成时限 and a regulation's time limit (60日前, 三十日内)
    "penalty": "按法律责任查找",
    "definition": "按定义查找",
    "permission": "按禁止性规定查找",  # 能砍吗, 违法吗: whether an act is allowed
}
INTENT_TIP = "根据检索词判断要找的内容，相应条款排在前面。"
STATUS_NO_RESULTS = "没有找到相关条款 · {ms} 毫秒"
STATUS_SEARCHING = "正在检索…"
ALL_VERSIONS = "含旧版本"
ALL_VERSIONS_TIP = ("同一文件有多个版本（法规修正前后，征求意见稿与正式稿）时，默认只检索最新版本，文库中其他文件已明确废止的"
                    "文件也不检索；勾选后一并检索。版本关联见“文件库 › 版本关联…”。")
NOTICE_SEPARATOR = "；"

# -- result list and reading pane -------------------------------------------------------------------
SAME_SECTION = "↳ 同一节 › "  # a result in the same section as the one above it

# -- workbench (issue 5): tabs, sidebar, outline, related ------------------------------------------
FACET_DOC = "在以下文件中检索"
FACET_KIND = "类型"
FACET_DEPARTMENT = "相关部门（含推断）"
FACET_DEPARTMENT_TIP = ("命中条款中写到的部门：含条文明确的分工，也含按上下文推断的牵头/配合关系和仅被提及的部门，"
                        "计数不等于正式分工。正式分工见阅读区的“条款信息”和“部门”页。")
FACET_DEPARTMENT_ITEM_TIP = "{name}：命中条款中有 {n} 条与之相关（含推断和提及，不都是正式分工）"
FACET_GENERIC = "泛指主体"
FACET_GENERIC_TIP = "各区、各级人民政府、有关部门、企业等泛指的主体不是具体单位，收在这里（与“部门”页一致）；展开后也可按它们筛选。"
FACET_YEAR = "完成年份"
FACET_INDICATOR = "指标"
FACET_HAS_INDICATOR = "含量化指标"
FACET_NO_INDICATOR = "不含指标"
FACET_ITEM = "{label}（{n}）"
FACET_CLEAR = "清除筛选"
FACET_EMPTY = "检索后可在此按文件、类型、部门、年份筛选结果。"
FACET_YEAR_LABEL = "{year}年"
ALSO_MATCHED = "同义词：{words}"

# -- my tasks (issue 6): bookmarks as tasks, notes and drafts, suggestions, indicator progress, backups -------
RESULT_TASK_MARK = "★"
RESULT_TASK_TIP = "本条已收藏为任务（在“我的任务”中）"

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
