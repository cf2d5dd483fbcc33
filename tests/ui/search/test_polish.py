"""Issue #13 (polish): the sidebar's 相关部门 and file counts, the reader marking what the list marks,
★ on hits that are tasks, readable 相关法规, one deadline wording, and small message fixes."""

from __future__ import annotations

import re
from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QTreeWidgetItem
from pytestqt.qtbot import QtBot

from app.core.library import Library
from app.ui.common import strings as S
from app.ui.desk import strings as DS
from app.ui.reader.related import related_html
from app.ui.search import strings as SS
from app.ui.search.resultlist import HitRole
from app.ui.views import strings as VS
from app.ui.window.mainwindow import MainWindow

Search = Callable[[MainWindow, str], None]
GENERIC = ("公众", "企业", "社会组织", "有关部门", "各级人民政府")
VALUE = Qt.ItemDataRole.UserRole + 2  # facets.ValueRole
COUNT = Qt.ItemDataRole.UserRole + 3  # facets.CountRole
STAR = getattr(S, "RESULT_TASK_MARK", "★")
SEP = getattr(S, "RELATED_SEPARATOR", "；")


def children(item: QTreeWidgetItem) -> list[QTreeWidgetItem]:
    return [item.child(i) for i in range(item.childCount())]


def show_tab(qtbot: QtBot, win: MainWindow, n: int) -> None:
    with qtbot.waitSignal(win.views[n - 1].loaded, timeout=10_000):
        win.tabs.setCurrentIndex(n)


def wait_reader(qtbot: QtBot, win: MainWindow, clause_id: str) -> None:
    qtbot.waitUntil(lambda: win.reader.current_clause_id == clause_id and win.reader.rendered is not None,
                    timeout=10_000)


# -- the sidebar ------------------------------------------------------------------------------------
def test_department_facet_keeps_generic_actors_apart_like_the_departments_tab(
        qtbot: QtBot, window: MainWindow, search_for: Search) -> None:
    search_for(window, "噪声扰民")
    facets = window.facets
    group = facets.groups["department"]
    direct = [it.data(0, VALUE) for it in children(group) if it.data(0, VALUE)]
    assert direct and "市生态环境局" in direct
    assert not set(direct) & set(GENERIC), f"generic actors listed among the departments: {direct}"
    # they are one level down, under 泛指主体 (collapsed, as 部门 hides them unless asked) …
    node = next(it for it in children(group) if it.text(0) == SS.FACET_GENERIC)
    assert not node.isExpanded() and node is children(group)[-1]
    assert set(GENERIC) <= {it.data(0, VALUE) for it in children(node)}
    # … and can still narrow the search
    n = facets.count("department", "有关部门")
    assert n and n > 0
    with qtbot.waitSignal(window.search.search_finished, timeout=10_000) as sig:
        facets.set_checked("department", "有关部门")
    assert "部门:有关部门" in window.search.query() and sig.args[0].total == n
    assert facets.generic_group is not None and facets.generic_group.isExpanded()  # a checked value shows


def test_department_counts_say_they_include_inferred_links(qtbot: QtBot, window: MainWindow,
                                                          search_for: Search) -> None:
    search_for(window, "噪声扰民")
    facets = window.facets
    group = facets.groups["department"]
    assert "推断" in group.text(0) and "推断" in group.toolTip(0)
    it = facets.item("department", "市生态环境局")
    assert it is not None and "推断" in it.toolTip(0)
    # the count is what checking the value leaves: the 部门: filter matches inferred links too
    n = facets.count("department", "市生态环境局")
    with qtbot.waitSignal(window.search.search_finished, timeout=10_000) as sig:
        facets.set_checked("department", "市生态环境局")
    assert sig.args[0].total == n


def test_file_facet_counts_stay_visible_and_titles_elide(qtbot: QtBot, window: MainWindow,
                                                        search_for: Search, library: Library) -> None:
    search_for(window, "噪声扰民")
    tree = window.facets.tree
    group = window.facets.groups["doc"]
    titles = {d.id: d.title for d in library.documents()}
    for it in children(group):
        n = int(it.data(0, COUNT))
        assert it.text(1) == str(n)  # a column of its own …
        rect = tree.visualRect(tree.indexFromItem(it, 1))
        assert rect.width() >= tree.fontMetrics().horizontalAdvance(str(n))
        assert rect.left() >= 0 and rect.right() <= tree.viewport().width()  # … inside the view
        assert titles[it.data(0, VALUE)] in it.toolTip(0)  # the whole title in the tooltip
    assert any(tree.fontMetrics().horizontalAdvance(it.text(0)) > tree.visualRect(tree.indexFromItem(it, 0)).width()
               for it in children(group))  # the titles are the ones that give way


# -- reader and results ----------------------------------------------------------------------------
def test_reader_marks_what_the_result_list_marks(qtbot: QtBot, window: MainWindow, search_for: Search) -> None:
    search_for(window, "噪声扰民")
    hit = window.search.current_hit()
    assert hit is not None
    wait_reader(qtbot, window, hit.id)
    listed = set(re.findall(r"<mark>(.*?)</mark>", hit.snippet))
    assert {"噪声扰民", "噪声污染"} <= listed  # the typed words and the synonym the search also matched
    html = window.reader.rendered.html  # type: ignore[union-attr]
    selected = html[html.index('class="selected"'):]
    selected = selected[:selected.index("</table>")]
    read = set(re.findall(r'<span class="hl">(.*?)</span>', selected))
    assert listed <= read, f"marked in the list only: {listed - read}"


def test_hits_that_are_tasks_show_a_star(qtbot: QtBot, window: MainWindow, search_for: Search) -> None:
    search_for(window, "噪声扰民")
    model = window.search.model
    shown = lambda row: str(model.data(model.index(row), Qt.ItemDataRole.DisplayRole))  # noqa: E731
    assert not any(shown(r).startswith(STAR) for r in range(len(model.hits)))
    window.search.list.setCurrentIndex(model.index(1))
    hit = model.index(1).data(HitRole)
    wait_reader(qtbot, window, hit.id)
    window.bookmark_current()
    qtbot.waitUntil(lambda: shown(1).startswith(STAR), timeout=10_000)
    assert not shown(0).startswith(STAR)
    from app.ui.search.resultlist import row_html

    assert STAR in row_html(hit, task=True) and STAR not in row_html(hit)
    # a search later still stars it; deleting the task takes the star away
    search_for(window, "噪声扰民 污染")
    row = next(n for n, h in enumerate(model.hits) if h.id == hit.id)
    assert shown(row).startswith(STAR)
    with qtbot.waitSignal(window.tasks_view.loaded, timeout=10_000):
        window.tabs.setCurrentWidget(window.tasks_view)  # 我的任务 selects the task bookmarked
    editor = window.tasks_view.editor
    qtbot.waitUntil(lambda: editor.desk_task is not None and editor.desk_task.task.clause_id == hit.id,
                    timeout=10_000)
    editor.delete()
    qtbot.waitUntil(lambda: not shown(row).startswith(STAR), timeout=10_000)


def test_related_links_are_separated() -> None:
    data = {"related": [{"id": f"法{i}/第{i}条", "doc_title": f"法{i}", "path": ["第一章 总则", f"第{i}条"],
                         "why": "噪声"} for i in range(3)],
            "citations": [{"text": "甲法", "doc_id": "甲法"}, {"text": "乙法", "doc_id": None}]}
    html = related_html(data)
    assert html.count("</a>" + SEP + "<a ") == 2
    assert "</a>" + SEP + "<span" in html  # the citations too
    assert "第一章 总则" not in re.sub(r'title="[^"]*"', "", html)  # the link names the article …
    assert "第一章 总则" in html  # … its whole place is in the tooltip


# -- wording ---------------------------------------------------------------------------------------
def test_bookmark_message_has_no_double_full_stop(qtbot: QtBot, window: MainWindow, search_for: Search) -> None:
    search_for(window, "健全碳排放双控制度体系")
    model = window.search.model
    row = next(n for n, h in enumerate(model.hits) if h.path and h.path[-1].endswith("。"))
    hit = model.hits[row]
    window.search.list.setCurrentIndex(model.index(row))
    wait_reader(qtbot, window, hit.id)
    window.bookmark_current()
    bar = window.statusBar()
    qtbot.waitUntil(lambda: bar.currentMessage().startswith("已收藏为任务"), timeout=10_000)
    assert "。。" not in bar.currentMessage() and hit.path[-1] in bar.currentMessage()


def test_department_filter_hint_names_departments(window: MainWindow) -> None:
    hint = window.departments.filter_box.placeholderText()
    assert "部门" in hint and "指标" not in hint


def test_one_wording_for_a_deadline_the_item_does_not_state() -> None:
    assert VS.IND_DEADLINE_INHERITED == S.DEADLINE_INHERITED


def test_timeline_deadline_column_shows_the_date(qtbot: QtBot, window: MainWindow) -> None:
    show_tab(qtbot, window, 2)
    view = window.timeline
    view.select_year(2030)
    rows = [view.clauses.topLevelItem(i) for i in range(view.clauses.topLevelItemCount())]
    dues = [it for it in rows if not it.font(0).bold()]  # not the 规划评估 rows
    assert dues
    for it in dues:
        assert re.match(r"\d{4}年", it.text(2)), it.text(2)
    inherited = [it for it in dues if it.text(2).endswith(S.DEADLINE_INHERITED)]
    assert inherited and all(it.font(2).italic() for it in inherited)
    assert all(not it.font(2).italic() for it in dues if it not in inherited)


def test_the_empty_task_editor_shows_no_made_up_date(qtbot: QtBot, window: MainWindow) -> None:
    from app.ui.desk.editor import TaskEditor

    editor = window.findChild(TaskEditor)
    assert editor is not None
    editor.load(None)
    assert editor.due.text() == DS.EDITOR_DUE_NONE and "2000" not in editor.due.text()
