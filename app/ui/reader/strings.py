"""User-visible strings of the reading pane (Simplified Chinese): the clause in context, 条款信息 and its
correction dialog, 相关法规 / 引用文件, the outline. Shared strings: app.ui.common.strings.
"""

from __future__ import annotations

# -- result list and reading pane -------------------------------------------------------------------
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

# -- correcting links -------------------------------------------------------------------------------
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

# -- workbench (issue 5): tabs, sidebar, outline, related ------------------------------------------
OUTLINE_EMPTY = "打开条款后，此处显示其所在文件的目录。"
RELATED_TITLE = "相关法规："
CITED_TITLE = "引用文件："
RELATED_LOADING = "正在查找相关法规…"
RELATED_NONE = "未找到。文库中没有与本条关键词相近的其他文件条款。"
RELATED_WHY = "共同关键词：{why}"
RELATED_SEPARATOR = "；"
CITED_MISSING = "（文库中未收录）"

# -- my tasks (issue 6): bookmarks as tasks, notes and drafts, suggestions, indicator progress, backups -------
BOOKMARK_BUTTON = "☆ 收藏"
BOOKMARKED_BUTTON = "★ 已收藏"
BOOKMARK_TIP = "把本条收藏为“我的任务”（Ctrl+D），可记录笔记、期限和办理状态"
BOOKMARKED_TIP = "本条已收藏为任务：点击（或按 Ctrl+D）在“我的任务”中打开"

# -- views ------------------------------------------------------------------------------------------
# A document another document of the library repeals or amends (app.core.validity): 文件库's 状态 tooltip
# and the line under the reading pane's header.
VALIDITY_LINE = "{label}：{provision}"
