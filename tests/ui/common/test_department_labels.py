"""Issue #13 point 7: every surface that shows a department shows its source the way the links pane does
(市水务局·推断·62%); weak inferences show apart as 可能相关."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app.core.desk import Desk, DeskTask
from app.core.library import Library
from app.core.links.service import ClauseLinks
from app.core.models import DepartmentLink
from app.core.userdata import Task
from app.ui.common import strings as S
from app.ui.common import theme
from app.ui.common.linksformat import by_role, dept_text
from app.ui.desk import strings as DS
from app.ui.desk.table import owner_text, row_items
from app.ui.reader.linkspanel import LinksPanel
from app.ui.views.indicators import COL_LEAD, ClauseRole
from app.ui.window.mainwindow import MainWindow

INFERRED = DepartmentLink("市水务局", "lead", "inferred", 0.62, "河湖、水务")
EXPLICIT = DepartmentLink("市生态环境局", "lead", "explicit", 1.0, "市生态环境局负责")
WEAK = DepartmentLink("市城管执法局", "suggested", "inferred", 0.09, "执法")


def test_one_formatter_for_every_source() -> None:
    assert dept_text(INFERRED) == "市水务局·推断·62%"
    assert dept_text(EXPLICIT) == "市生态环境局·原文"


def _desk_task(links: ClauseLinks, owner: str | None = None) -> DeskTask:
    task = Task(id="t1", clause_id="c", indicator_key=None, doc_id="d", doc_title="规划", path=("一",), heading="",
                fingerprint="", text="", anchor_state="ok", note="", tags=(), status="todo", priority=2, due=None,
                owner=owner, collection="", created_at="", updated_at="")
    return Desk._view(task, links, dt.date(2026, 1, 1))


def test_task_owner_from_an_inferred_lead_says_so() -> None:
    d = _desk_task(ClauseLinks(departments=(INFERRED,)))
    assert owner_text(d) == "市水务局·推断·62%" + DS.OWNER_FROM_LEAD
    item = row_items(d, theme.current())[5]
    assert item.text() == owner_text(d) and "推断" in item.toolTip()
    mine = _desk_task(ClauseLinks(departments=(INFERRED,)), owner="市发展改革委")
    assert owner_text(mine) == "市发展改革委"


def test_links_pane_lists_weak_inferences_as_possibly_related(qtbot: QtBot) -> None:
    panel = LinksPanel()
    qtbot.addWidget(panel)
    links = ClauseLinks(departments=(EXPLICIT,), suggestions=(WEAK,))
    assert [d.name for d in by_role(links)["suggested"][0]] == ["市城管执法局"]
    assert [d.name for d in by_role(links)["support"][0]] == []
    panel.show_links("c", links)
    text = panel.plain_text()
    assert S.LINKS_SUGGESTED in text and "市城管执法局·推断·9%" in text
    assert text.index(S.LINKS_LEAD) < text.index(S.LINKS_SUGGESTED)


def test_indicator_table_marks_inferred_leads(qtbot: QtBot, window: MainWindow, library: Library) -> None:
    view = window.views[0]
    with qtbot.waitSignal(view.loaded, timeout=10_000):
        window.tabs.setCurrentIndex(1)
    links = library.links()
    seen_inferred = 0
    for r in range(view.model.rowCount()):
        cell = view.model.item(r, COL_LEAD)
        leads = [d for d in links[cell.data(ClauseRole)].departments if d.role == "lead"]
        for d in leads:
            assert dept_text(d) in cell.text()
        if any(d.source == "inferred" for d in leads):
            seen_inferred += 1
            assert "·推断·" in cell.text() and "未经核实" in cell.toolTip()
    assert seen_inferred > 0
    view.table.sortByColumn(COL_LEAD, Qt.SortOrder.AscendingOrder)  # sorts by the names, not the tags
