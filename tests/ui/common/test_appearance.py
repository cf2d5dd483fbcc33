"""Appearance (issue 5): light/dark scheme, empty states, high-DPI rendering, and the theme being the only
place colours are set. Real engine and index; Qt warnings fail the test (pytest config)."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QPalette
from PySide6.QtWidgets import QAbstractScrollArea, QApplication
from pytestqt.qtbot import QtBot

from app.core.library import Library
from app.ui.common import strings as S
from app.ui.common import theme
from app.ui.reader import strings as RS
from app.ui.reader.related import related_html
from app.ui.search import strings as SS
from app.ui.search.panel import no_results_text
from app.ui.views import strings as VS
from app.ui.window.mainwindow import MainWindow

Search = Callable[[MainWindow, str], None]
ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture
def restore_scheme() -> Iterator[None]:
    yield
    theme.set_scheme(Qt.ColorScheme.Unknown)  # back to the system's (offscreen: light), for the next test
    assert not theme.current().dark


def background(area: QAbstractScrollArea) -> int:
    """Lightness of a scroll area's background: the commonest colour of a grid of its viewport's pixels."""
    img = area.viewport().grab().toImage()
    seen = Counter(img.pixelColor(x, y).lightness() for x in range(0, img.width(), 7)
                   for y in range(0, img.height(), 7))
    return seen.most_common(1)[0][0]


def show_tab(qtbot: QtBot, win: MainWindow, n: int) -> None:
    with qtbot.waitSignal(win.views[n - 1].loaded, timeout=10_000):
        win.tabs.setCurrentIndex(n)


# -- light / dark ----------------------------------------------------------------------------------
def test_switching_scheme_restyles_results_and_reader(qtbot: QtBot, window: MainWindow, search_for: Search,
                                                      restore_scheme: None) -> None:
    search_for(window, "垃圾分类")
    reader, results = window.reader, window.search.list
    qtbot.waitUntil(lambda: reader.current_clause_id is not None, timeout=5_000)
    qtbot.waitUntil(lambda: window.reader_pane.related.data is not None, timeout=10_000)
    assert background(results) > 200 and background(reader) > 200
    assert theme.LIGHT.selected_clause in reader.toHtml()
    top = reader.verticalScrollBar().value()

    with qtbot.waitSignal(window.theme_manager.changed, timeout=2_000):
        theme.set_scheme(Qt.ColorScheme.Dark)  # QStyleHints where the platform can; else the manager
    assert window.theme_manager.theme is theme.DARK and theme.current().dark
    assert QApplication.palette().color(QPalette.ColorRole.Window).lightness() < 80
    assert background(results) < 80 and background(reader) < 80
    html = reader.toHtml()
    assert theme.DARK.selected_clause in html and theme.DARK.mark in html and theme.LIGHT.mark not in html
    assert reader.verticalScrollBar().value() == top  # still reading the same place
    assert theme.DARK.text in window.search.delegate.css and theme.DARK.row_selected == window.search.delegate.theme.row_selected
    assert theme.DARK.chip_inferred_fg in window.styleSheet() and theme.LIGHT.base not in window.styleSheet()
    assert theme.DARK.accent in window.reader_pane.related.text()
    chips = window.reader_pane.links_panel.chips
    assert chips and all(theme.DARK.tag(c.link.source) in c.text() for c in chips)

    with qtbot.waitSignal(window.theme_manager.changed, timeout=2_000):
        theme.set_scheme(Qt.ColorScheme.Light)
    assert background(results) > 200 and background(reader) > 200
    assert theme.LIGHT.selected_clause in reader.toHtml()
    assert QApplication.palette().color(QPalette.ColorRole.Window).lightness() > 180


def test_views_follow_the_scheme(qtbot: QtBot, window: MainWindow, restore_scheme: None) -> None:
    show_tab(qtbot, window, 2)
    empty_year = next(i for i in range(window.timeline.years.count())
                      if not window.timeline.timeline.years[window.timeline.years.item(i).data(Qt.ItemDataRole.UserRole + 1)])
    grey = window.timeline.years.item(empty_year).foreground().color()
    theme.set_scheme(Qt.ColorScheme.Dark)
    dark_grey = window.timeline.years.item(empty_year).foreground().color()
    assert dark_grey != grey and dark_grey == window.timeline.palette().placeholderText().color()
    assert background(window.timeline.clauses) < 80


def test_every_hand_set_colour_comes_from_the_theme() -> None:
    """No colour literal or private style sheet outside app/ui/common/theme.py: one place, two variants."""
    offenders = []
    for path in sorted(p for p in (ROOT / "app" / "ui").rglob("*.py")
                       if p.parent.name not in ("comments", "compare")):  # they style from theme fields
        if path.name == "theme.py":
            continue
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            code = line.split("  #", 1)[0]
            if re.search(r"#[0-9a-fA-F]{3}(?:[0-9a-fA-F]{3})?\b", code) or re.search(r"QColor\(\s*['\"]", code) \
                    or ("setStyleSheet(" in code and "theme." not in code):
                offenders.append(f"{path.name}:{n}: {line.strip()}")
    assert not offenders, "colours belong in app/ui/common/theme.py:\n" + "\n".join(offenders)
    assert {f for f in theme.Theme.__dataclass_fields__} and theme.LIGHT != theme.DARK
    for t in (theme.LIGHT, theme.DARK):
        for css in (theme.window_qss(t), theme.row_css(t), theme.reader_css(t)):
            assert "$" not in css


# -- empty states ------------------------------------------------------------------------------------
def test_empty_states_before_any_index(qtbot: QtBot, fresh_library: Library,
                                       open_window: Callable[..., MainWindow]) -> None:
    win = open_window(fresh_library, start=False)  # no clause database, nothing building it
    assert win.search.list.empty.isVisible() and win.search.list.empty.plain == SS.RESULTS_OPENING
    win.search.set_searchable(False, S.SEARCH_PLACEHOLDER_NO_INDEX)
    assert win.search.list.empty.plain == SS.RESULTS_NO_INDEX
    assert "文库 › 更新索引" in SS.RESULTS_NO_INDEX
    for line in RS.READER_EMPTY.splitlines():
        assert line in win.reader.toPlainText()
    win.sidebar.setCurrentWidget(win.outline)
    assert win.outline.empty.isVisible() and win.outline.empty.plain == RS.OUTLINE_EMPTY
    win.sidebar.setCurrentWidget(win.facets)
    assert win.facets.empty.isVisible() and win.facets.empty.plain == SS.FACET_EMPTY
    for n, what in enumerate((VS.VIEW_WHAT_INDICATORS, VS.VIEW_WHAT_TIMELINE, VS.VIEW_WHAT_DEPARTMENTS,
                              VS.VIEW_WHAT_LIBRARY), start=1):
        view = win.views[n - 1]
        win.tabs.setCurrentIndex(n)
        qtbot.waitUntil(lambda v=view: v.empty is not None and v.empty.isVisible(), timeout=5_000)  # type: ignore[misc]
        assert view.empty is not None and view.empty.plain == S.VIEW_NO_INDEX.format(what=what)
        assert "条款库尚未建立" not in view.info.text()  # an empty state, not an error message


def test_no_results_suggests_what_to_try(qtbot: QtBot, window: MainWindow, search_for: Search) -> None:
    empty = window.search.list.empty
    assert empty.isVisible() and empty.plain == SS.RESULTS_START
    search_for(window, "垃圾分类")
    assert not empty.isVisible()
    with qtbot.waitSignal(window.search.search_finished, timeout=10_000):
        window.facets.set_checked("kind", "法律")
    search_for(window, "元宇宙 量子计算")
    assert window.search.model.rowCount() == 0 and empty.isVisible()
    text = empty.plain
    assert SS.NO_RESULTS_TITLE.format(query="元宇宙 量子计算") in text
    assert SS.NO_RESULTS_FILTERS.format(n=1) in text and SS.NO_RESULTS_SYNONYMS in text
    assert SS.NO_RESULTS_VERSIONS in text
    assert window.reader.current_clause_id is None and RS.READER_EMPTY.splitlines()[0] in window.reader.toPlainText()
    assert window.facets.empty.isVisible() or window.facets.groups  # the checked filter stays listed
    # the pure part: which tips for which query
    tips = no_results_text('"生活垃圾分类投放" -危险', 0, True)
    assert SS.NO_RESULTS_FILTERS.format(n=0) not in tips and SS.NO_RESULTS_VERSIONS not in tips
    assert SS.NO_RESULTS_SHORTER in tips and SS.NO_RESULTS_SYNTAX in tips


def test_view_empty_states(qtbot: QtBot, window: MainWindow) -> None:
    show_tab(qtbot, window, 1)
    ind = window.indicators
    assert ind.empty is not None and not ind.empty.isVisible()
    ind.filter_box.setText("没有这样的指标")
    assert ind.empty.isVisible()
    assert ind.empty.plain == VS.IND_NO_MATCH.format(text="没有这样的指标", n=ind.model.rowCount())
    ind.filter_box.clear()
    assert not ind.empty.isVisible()

    show_tab(qtbot, window, 2)
    tl = window.timeline
    year = next(y for y, dues in tl.timeline.years.items() if not dues)
    tl.select_year(year)
    assert tl.empty is not None and tl.empty.isVisible()
    assert tl.empty.plain == VS.TIMELINE_NONE_YEAR.format(year=year)
    tl.select_year(2030)
    assert not tl.empty.isVisible()

    show_tab(qtbot, window, 3)
    dept = window.departments
    dept.filter_box.setText("各级人民")  # only a generic actor matches, and those are hidden
    assert dept.empty is not None and dept.empty.isVisible()
    assert dept.empty.plain == VS.DEPT_NO_MATCH_GENERIC.format(text="各级人民", toggle=VS.DEPT_SHOW_GENERIC)
    assert dept.clauses_empty.isVisible() and dept.clauses_empty.plain == VS.DEPT_PICK
    dept.filter_box.setText("没有这个部门")
    assert dept.empty.plain == VS.DEPT_NO_MATCH.format(text="没有这个部门")
    dept.filter_box.clear()
    assert not dept.empty.isVisible()


def test_related_none_found_says_so() -> None:
    text = related_html({"related": [], "citations": []})
    assert RS.RELATED_TITLE in text and RS.RELATED_NONE in text


# -- 指标: deadlines taken from the clause -----------------------------------------------------------
def test_indicator_deadline_inherited_from_its_clause_is_marked(qtbot: QtBot, window: MainWindow,
                                                               library: Library) -> None:
    from app.ui.views.indicators import COL_DEADLINE

    show_tab(qtbot, window, 1)
    view = window.indicators
    rows = library.indicator_rows()
    links = library.links(list({r["clause"] for r in rows}))
    assert view.model.rowCount() == len(rows)
    seen = set()
    for n, r in enumerate(rows):  # the source model keeps the library's order
        cell = view.model.item(n, COL_DEADLINE)
        own, clause_dl = r["deadline"], links[r["clause"]].deadline
        if own and r["deadline_source"] in ("lead-in", "inherited", "period"):  # the document implies it
            assert cell.text() == S.INDICATOR_YEAR.format(year=own) + VS.IND_DEADLINE_INHERITED
            assert cell.font().italic()
            seen.add("implied")
        elif own:
            assert cell.text() == S.INDICATOR_YEAR.format(year=own) and not cell.font().italic()
            seen.add("own")
        elif clause_dl is not None:
            assert cell.text() == S.INDICATOR_YEAR.format(year=clause_dl.year) + VS.IND_DEADLINE_INHERITED
            assert cell.font().italic()
            tip = VS.TIP_IND_DEADLINE_PLAN if clause_dl.source == "inherited" else VS.TIP_IND_DEADLINE_INHERITED
            assert cell.toolTip() == tip and "取自所在条款" in tip
            seen.add(clause_dl.source)
        else:
            assert cell.text() == ""
    assert {"own", "implied"} <= seen  # the shipped plan states some years per target, implies others


# -- 部门: generic actors ----------------------------------------------------------------------------
def test_generic_actors_are_hidden_then_listed_last(qtbot: QtBot, window: MainWindow) -> None:
    show_tab(qtbot, window, 3)
    view = window.departments

    def names() -> list[str]:
        return [view.proxy.index(r, 0).data() for r in range(view.proxy.rowCount())]

    generic = {n for n, d in view.data.items() if d["generic"]}
    assert {"各级人民政府", "有关部门", "国务院有关部门", "企业"} <= generic
    assert "市生态环境局" not in generic and "区生态环境部门" not in generic
    assert not generic & set(names())
    assert not view.select("各级人民政府")
    view.generic_toggle.setChecked(True)
    for column, order in ((1, Qt.SortOrder.DescendingOrder), (1, Qt.SortOrder.AscendingOrder),
                          (0, Qt.SortOrder.AscendingOrder), (2, Qt.SortOrder.DescendingOrder)):
        view.table.sortByColumn(column, order)
        listed = names()
        first_generic = next(i for i, n in enumerate(listed) if n in generic)
        assert set(listed[first_generic:]) == generic, (column, order)  # all of them, after every department
    assert view.select("各级人民政府")
    assert view.proxy.index(view.table.currentIndex().row(), 0).data(Qt.ItemDataRole.FontRole).italic()
    view.generic_toggle.setChecked(False)
    assert not generic & set(names())


# -- high DPI ----------------------------------------------------------------------------------------
HIDPI_SCRIPT = r"""
import json, sys, time
from PySide6.QtCore import QEventLoop
from app.core.library import Library
from app.core.paths import AppPaths
from app.ui.common.layoutcheck import clipped
from app.ui.main import ensure_app
from app.ui.window.mainwindow import MainWindow

app = ensure_app()
win = MainWindow(Library(AppPaths.resolve(sys.argv[1])))
win.resize(1280, 800)
win.show()
win.start()

def spin(cond, timeout=60.0):
    end = time.monotonic() + timeout
    while not cond():
        if time.monotonic() > end:
            raise TimeoutError
        app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
        time.sleep(0.01)
    for _ in range(20):
        app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 20)

spin(lambda: win.search.box.isEnabled() and win.index_handle is None)
found = []
win.search.search_finished.connect(found.append)
win.search.box.setText("垃圾分类")
win.search.search_now()
spin(lambda: found and win.reader.current_clause_id is not None and win.reader_pane.related.data is not None)
report = {"ratio": win.devicePixelRatio(), "pixmap": [win.grab().width(), win.grab().height()],
          "search": clipped(win)}
for view in win.views:
    win.tabs.setCurrentWidget(view)
    spin(lambda: view.is_loaded)
    report[type(view).__name__] = clipped(win)
win.shutdown()
print(json.dumps(report, ensure_ascii=False))
"""


@pytest.mark.slow
def test_main_views_render_unclipped_at_scale_factor_2(library_dir: Path) -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "QT_SCALE_FACTOR": "2"}
    proc = subprocess.run([sys.executable, "-c", HIDPI_SCRIPT, str(library_dir)], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=240, check=False)
    assert proc.returncode == 0, proc.stderr[-3000:]
    report = json.loads(proc.stdout.strip().splitlines()[-1])
    assert report.pop("ratio") == 2.0
    assert report.pop("pixmap") == [2560, 1600]  # rendered at twice the pixels
    assert {"search", "IndicatorsView", "TimelineView", "DepartmentsView", "LibraryView", "TasksView",
            "CommentsView"} <= set(report)  # every tab (more may come: 对照 …)
    assert all(found == [] for found in report.values()), report
    noise = [ln for ln in proc.stderr.splitlines() if ln.strip() and "propagateSizeHints" not in ln]
    assert not noise, noise  # no Qt warnings either


def test_layout_check_finds_clipped_text(qtbot: QtBot) -> None:
    from PySide6.QtWidgets import QLabel, QPushButton, QWidget

    from app.ui.common.layoutcheck import clipped

    box = QWidget()
    qtbot.addWidget(box)
    box.resize(300, 100)
    ok = QPushButton("取消", box)
    ok.adjustSize()
    tight = QLabel("一段不会自动换行的很长很长的说明文字", box)
    tight.setGeometry(0, 40, 40, 20)
    box.show()
    problems = clipped(box)
    assert len(problems) == 1 and "一段不会自动换行" in problems[0]
    assert QGuiApplication.primaryScreen() is not None
