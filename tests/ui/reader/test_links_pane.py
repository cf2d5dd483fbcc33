"""The 条款信息 box, the correction dialog and the result rows' chip line (issue 3), on the real engine."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QStringListModel, Qt
from PySide6.QtWidgets import QLineEdit, QMessageBox
from pytestqt.qtbot import QtBot

from app.core.library import Library
from app.core.links.service import ClauseLinks
from app.core.models import Deadline, DepartmentLink, Indicator, SearchHit
from app.ui.common.linksformat import deadline_text, indicator_text, row_chips_html, short_quote, tip_html
from app.ui.reader import strings as RS
from app.ui.reader.linksdialog import LinksDialog, NameCompleter, correction, split_names
from app.ui.search.resultlist import HitRole, row_html
from app.ui.window import strings as WS
from app.ui.window.mainwindow import MainWindow

Search = Callable[[MainWindow, str], None]
PLAN_QUERY = "生活垃圾回收利用率"


def _open(qtbot: QtBot, win: MainWindow, search_for: Search, query: str,
          pick: Callable[[SearchHit], bool] = lambda _h: True) -> SearchHit:
    """Search, select the first hit that `pick` accepts, and wait for its links in the pane."""
    search_for(win, query)
    model = win.search.model
    row = next(n for n in range(model.rowCount()) if pick(model.index(n).data(HitRole)))
    hit: SearchHit = model.index(row).data(HitRole)
    win.search.list.setCurrentIndex(model.index(row))
    qtbot.waitUntil(lambda: win.reader_pane.links_panel.clause_id == hit.id, timeout=5_000)
    return hit


def _leads(win: MainWindow) -> list[str]:
    return [c.plain for c in win.reader_pane.links_panel.chips if c.link.role == "lead"]


def _edit(qtbot: QtBot, win: MainWindow) -> LinksDialog:
    win.edit_links_action.trigger()  # 条款 › 修改条款信息 (Ctrl+L)
    dlg = win.reader_pane.dialog
    assert dlg is not None
    qtbot.waitUntil(dlg.isVisible, timeout=2_000)
    return dlg


def test_plan_task_shows_departments_indicators_and_deadline(qtbot: QtBot, window: MainWindow,
                                                            search_for: Search) -> None:
    hit = _open(qtbot, window, search_for, PLAN_QUERY)
    panel = window.reader_pane.links_panel
    assert panel.isVisible() and window.edit_links_action.isEnabled()
    text = panel.plain_text()
    assert "生活垃圾回收利用率：≥ 50%（2030年）" in text
    assert "2030年（原文：到2030年）" in text
    lead = next(c for c in panel.chips if c.link.role == "lead")
    assert lead.tag.startswith("推断·") and lead.tag.endswith("%")
    assert lead.property("chip") == "inferred"  # dashed, grey, italic: never styled like a fact
    assert "未经核实" in lead.toolTip() and lead.link.evidence in lead.toolTip()
    assert panel.indicator_labels[0].toolTip().startswith("<p>原文：")
    # The result row carries the same facts in its chip line, read in the search's own task.
    links = window.search.model.links[hit.id]
    row = row_html(hit, links)
    assert f"{lead.link.name}·推断" in row and "2030年" in row and "2 项指标" in row


def test_correct_lead_then_clear(qtbot: QtBot, window: MainWindow, library: Library, search_for: Search) -> None:
    hit = _open(qtbot, window, search_for, PLAN_QUERY)
    inferred = _leads(window)
    dlg = _edit(qtbot, window)
    assert dlg.lead.text() == inferred[0].split("·")[0] and dlg.deadline.text() == "2030"
    assert not dlg.clear_button.isEnabled()  # nothing set by hand yet
    dlg.lead.setText("市水务局")  # setText: keyClicks with Chinese aborts the process
    with qtbot.waitSignal(window.reader_pane.links_saved, timeout=5_000):
        qtbot.mouseClick(dlg.save_button, Qt.MouseButton.LeftButton)
    assert not dlg.isVisible()
    assert _leads(window) == ["市水务局·手工"]
    stored = library.links([hit.id])[hit.id]
    assert [(d.name, d.source) for d in stored.departments if d.role == "lead"] == [("市水务局", "user")]
    assert stored.deadline is not None and stored.deadline.source == "explicit"  # untouched: not 手工
    assert "市水务局·手工" in row_html(hit, window.search.model.links[hit.id])
    assert window.statusBar().currentMessage() == WS.LINKS_SAVED

    dlg = _edit(qtbot, window)
    assert dlg.lead.text() == "市水务局" and dlg.clear_button.isEnabled()
    with qtbot.waitSignal(window.reader_pane.links_saved, timeout=5_000):
        qtbot.mouseClick(dlg.clear_button, Qt.MouseButton.LeftButton)
    assert "手工" not in window.reader_pane.links_panel.plain_text()
    assert _leads(window) == inferred
    assert all(d.source != "user" for d in library.links([hit.id])[hit.id].departments)


def test_unreadable_deadline_keeps_the_dialog_open(qtbot: QtBot, window: MainWindow, library: Library,
                                                   search_for: Search) -> None:
    hit = _open(qtbot, window, search_for, PLAN_QUERY)
    window.activateWindow()
    qtbot.waitActive(window)
    qtbot.keyClick(window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: window.reader_pane.dialog is not None and window.reader_pane.dialog.isVisible(),
                    timeout=2_000)
    dlg = window.reader_pane.dialog
    assert dlg is not None
    dlg.lead.setText("市水务局")
    dlg.deadline.setText("尽快")
    dlg.save_button.click()
    qtbot.waitUntil(lambda: dlg.findChild(QMessageBox) is not None, timeout=5_000)
    box = dlg.findChild(QMessageBox)
    assert box is not None
    assert "无法识别的完成时限：尽快" in box.text()
    assert dlg.isVisible() and dlg.save_button.isEnabled()
    assert (dlg.lead.text(), dlg.deadline.text()) == ("市水务局", "尽快")
    box.close()
    assert all(d.source != "user" for d in library.links([hit.id])[hit.id].departments)
    dlg.reject()
    assert not dlg.isVisible()


def test_law_article_shows_explicit_departments(qtbot: QtBot, window: MainWindow, search_for: Search) -> None:
    _open(qtbot, window, search_for, "大气污染防治 统一监督管理",
          lambda h: h.doc_title == "上海市大气污染防治条例" and h.path[-1] == "第五条")
    panel = window.reader_pane.links_panel
    chip = next(c for c in panel.chips if c.link.name == "市生态环境局")
    assert chip.tag == "原文" and chip.property("chip") == "explicit" and chip.isVisible()
    assert chip.toolTip() == "<p>条文写明：市生态环境行政主管部门</p>"
    # 21 lead departments: six chips, the rest behind 另 15 个…
    hidden = [c for c in panel.chips if c.link.role == "lead" and not c.isVisible()]
    assert hidden and panel.more_buttons[0].text() == RS.LINKS_MORE.format(n=len(hidden))
    panel.more_buttons[0].click()
    assert all(c.isVisible() for c in hidden)
    assert panel.more_buttons[0].text() == RS.LINKS_LESS


# -- pure pieces -------------------------------------------------------------------------------------
def _dept(name: str, role: str = "lead", source: str = "inferred", evidence: str = "关键词") -> DepartmentLink:
    return DepartmentLink(name=name, role=role, source=source, confidence=0.62, evidence=evidence)


def test_formatting_and_escaping() -> None:
    assert indicator_text(Indicator("海铁联运量", 200.0, "万标准箱", "~", 2030, "q")) == "海铁联运量：≈ 200万标准箱（2030年）"
    assert indicator_text(Indicator("覆盖率", 100.0, "%", "=", None, "q", qualitative=True)) == "覆盖率：= 100%（定性）"
    assert deadline_text(Deadline(2030, None, "inherited", None)) == "2030年（继承规划期限）"
    assert deadline_text(Deadline(2026, "2026-06-30", "user", "2026年6月底前")) == "2026年6月30日（手工）"
    assert short_quote("到 2030 年，森林覆盖率达到 14.6%") == "到2030年"
    links = ClauseLinks(departments=(_dept("<b>局</b>"), _dept("各级人民政府", evidence="泛指：县级以上人民政府")),
                        deadline=Deadline(2030, None, "inherited", None))
    html = row_chips_html(links)
    assert "&lt;b&gt;局&lt;/b&gt;·推断" in html and "<b>" not in html and "各级人民政府" not in html
    assert "2030年·继承" in html
    assert row_chips_html(None) == "" and row_chips_html(ClauseLinks()) == ""
    assert tip_html("依据：<img src=x>\n第二行") == "<p>依据：&lt;img src=x&gt;<br>第二行</p>"


def test_only_changed_fields_become_corrections() -> None:
    links = ClauseLinks(departments=(_dept("市绿化市容局"), _dept("浦东新区人民政府", role="support")),
                        deadline=Deadline(2030, None, "explicit", "到2030年"))
    # Untouched inferences stay inferences; an edited field is saved.
    assert correction(links, "市绿化市容局", "浦东新区人民政府", "2030") == \
        {"lead": None, "support": None, "deadline": None}
    assert correction(links, "市水务局、 市绿化市容局", "浦东新区人民政府", "2028年底前") == \
        {"lead": ["市水务局", "市绿化市容局"], "support": None, "deadline": "2028年底前"}
    # An earlier 手工 value is kept when another field changes (the engine replaces a correction whole).
    user = ClauseLinks(departments=(_dept("市水务局", source="user"),),
                       deadline=Deadline(2030, None, "inherited", None))
    assert correction(user, "市水务局", "", "2027") == {"lead": ["市水务局"], "support": None, "deadline": "2027"}
    assert correction(user, "", "", "2030") == {"lead": None, "support": None, "deadline": None}
    assert split_names("甲，乙、 乙;丙") == ["甲", "乙", "丙"]


def test_completer_completes_the_last_name(qtbot: QtBot) -> None:
    field = QLineEdit()
    qtbot.addWidget(field)
    completer = NameCompleter(["市水务局", "市绿化市容局"], field)
    field.setCompleter(completer)
    field.setText("市水务局、绿化")
    assert completer.splitPath(field.text()) == ["绿化"]
    model = completer.model()
    assert isinstance(model, QStringListModel)
    assert completer.pathFromIndex(model.index(1)) == "市水务局、市绿化市容局"
