"""Paging of the result list, "您是不是要找" and the recognised intent (real engine and index, offscreen)."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import quote

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app.core.library import Library
from app.core.models import SearchResult
from app.ui.common.qtcompat import emit
from app.ui.search import strings as SS
from app.ui.search.hints import apply_suggestion
from app.ui.search.resultlist import HitRole, MoreRole
from app.ui.window.mainwindow import MainWindow

Search = Callable[[MainWindow, str], None]
MANY = "碳排放"  # a few dozen results in the shipped corpus: several pages of PAGE


def first_page(qtbot: QtBot, win: MainWindow, search_for: Search, page: int) -> int:
    """Search MANY a page of `page` hits at a time; the total (asserted to span more than two pages)."""
    win.resize(1280, 800)
    win.search.page_size = page
    search_for(win, MANY)
    total = win.search._shown.total  # type: ignore[union-attr]
    assert total > 2 * page
    assert len(win.search.model.hits) == page
    assert win.search.status.text().startswith(f"共 {total} 条，已显示 {page} 条 · ")
    return total


def test_scrolling_to_the_end_loads_every_page(qtbot: QtBot, window: MainWindow, library: Library,
                                               search_for: Search) -> None:
    panel = window.search
    total = first_page(qtbot, window, search_for, 5)
    bar = panel.list.verticalScrollBar()
    pages = 1
    while len(panel.model.hits) < total:
        shown = len(panel.model.hits)
        qtbot.waitUntil(lambda: bar.maximum() > bar.value(), timeout=5_000)  # the new rows are laid out
        with qtbot.waitSignal(panel.page_loaded, timeout=10_000) as blocker:
            bar.setValue(bar.maximum())
        assert blocker.args[0] == len(panel.model.hits) > shown
        pages += 1
        assert pages <= total // 5 + 1
    assert panel.model.rowCount() == total  # the "加载更多" row is gone
    assert [h.id for h in panel.model.hits] == [h.id for h in library.search(MANY, limit=total).hits]
    assert panel.status.text().startswith(f"共 {total} 条 · ")
    # The last hit is reachable and opens in the reader.
    last = panel.model.index(total - 1)
    panel.list.scrollTo(last)
    panel.list.setCurrentIndex(last)
    qtbot.waitUntil(lambda: window.reader.current_clause_id == last.data(HitRole).id, timeout=5_000)
    qtbot.wait(200)
    assert len(panel.model.hits) == total  # no further fetch once everything is shown


def test_the_load_more_row_loads_the_next_page_on_click(qtbot: QtBot, window: MainWindow, library: Library,
                                                        search_for: Search) -> None:
    panel = window.search
    total = first_page(qtbot, window, search_for, 2)  # two rows fit: the list does not scroll
    more = panel.model.index(2)
    assert more.data(MoreRole) is True and more.data(HitRole) is None
    assert more.data(Qt.ItemDataRole.DisplayRole) == SS.LOAD_MORE.format(n=total - 2)
    assert not (panel.model.flags(more) & Qt.ItemFlag.ItemIsSelectable)
    with qtbot.waitSignal(panel.page_loaded, timeout=10_000):
        qtbot.mouseClick(panel.list.viewport(), Qt.MouseButton.LeftButton,
                         pos=panel.list.visualRect(more).center())
    assert panel.list.currentIndex().row() == 2  # the first hit of the new page is selected and read
    qtbot.waitUntil(lambda: window.reader.current_clause_id == panel.model.hits[2].id, timeout=5_000)
    # (Selecting it may scroll the list near its end, which fetches a further page by itself.)
    qtbot.waitUntil(lambda: not panel.model.loading, timeout=10_000)
    shown = len(panel.model.hits)
    assert 4 <= shown < total
    assert [h.id for h in panel.model.hits] == [h.id for h in library.search(MANY, limit=shown).hits]
    assert panel.model.index(shown).data(Qt.ItemDataRole.DisplayRole) == SS.LOAD_MORE.format(n=total - shown)
    assert panel.status.text().startswith(f"共 {total} 条，已显示 {shown} 条 · ")
    # ↓ from the search box past the last hit loaded fetches the next page too.
    panel.list.setCurrentIndex(panel.model.index(shown - 1))
    panel.box.setFocus()
    with qtbot.waitSignal(panel.page_loaded, timeout=10_000):
        qtbot.keyClick(panel.box, Qt.Key.Key_Down)
    assert len(panel.model.hits) > shown


def test_a_page_of_an_older_search_is_dropped(qtbot: QtBot, window: MainWindow, library: Library,
                                              search_for: Search) -> None:
    panel = window.search
    first_page(qtbot, window, search_for, 5)
    pages: list[int] = []
    panel.page_loaded.connect(pages.append)
    panel.load_more()  # on its way …
    assert panel.model.loading
    panel.box.setText("垃圾分类")  # … when a new search starts
    with qtbot.waitSignal(panel.search_finished, timeout=10_000):
        panel.search_now()
    pages.clear()  # (if the page came first, it was added to the results then shown)
    qtbot.wait(500)  # time for the stale page to arrive (and be dropped)
    assert pages == []
    assert [h.id for h in panel.model.hits] == [h.id for h in library.search("垃圾分类", limit=5).hits]
    # A fetch asked for while the next search runs belongs to the results then shown: added to them if
    # it comes first, dropped if it comes after the new results.
    first_page(qtbot, window, search_for, 5)
    panel.box.setText("垃圾分类")
    with qtbot.waitSignal(panel.search_finished, timeout=10_000):
        panel.search_now()
        panel.load_more()
    pages.clear()
    qtbot.wait(500)
    assert pages == []
    assert [h.id for h in panel.model.hits] == [h.id for h in library.search("垃圾分类", limit=5).hits]


def test_a_new_search_after_scrolling_to_the_end_does_not_fetch_a_page(qtbot: QtBot, window: MainWindow,
                                                                       search_for: Search) -> None:
    panel = window.search
    first_page(qtbot, window, search_for, 5)
    bar = panel.list.verticalScrollBar()
    qtbot.waitUntil(lambda: bar.maximum() > 0, timeout=5_000)
    with qtbot.waitSignal(panel.page_loaded, timeout=10_000):
        bar.setValue(bar.maximum())
    qtbot.waitUntil(lambda: bar.maximum() > bar.value(), timeout=5_000)
    bar.setValue(bar.maximum())  # the list sits at its end (a fetch may be on its way) …
    search_for(window, "碳达峰")  # … when another search replaces the rows
    pages: list[int] = []
    panel.page_loaded.connect(pages.append)
    qtbot.wait(500)
    assert pages == [] and len(panel.model.hits) == min(5, panel._shown.total)  # type: ignore[union-attr]
    assert bar.value() == 0


def test_a_suggestion_click_runs_the_corrected_query(qtbot: QtBot, window: MainWindow) -> None:
    panel = window.search
    hints = panel.hints
    panel.box.setText("碳达锋 2030")
    # The engine's "您是不是要找" for the typo (built here: the UI must not depend on its ranking).
    panel._on_search_done(panel._seq, SearchResult(query="碳达锋 2030", total=0, hits=(),
                                                   suggestions=("碳达峰", "碳中和"), intent="deadline"))
    assert hints.did_you_mean.isVisible() and hints.intent.isVisible()
    assert hints.did_you_mean.text().startswith(SS.DID_YOU_MEAN)
    assert "碳达峰</a>" in hints.did_you_mean.text() and "碳中和</a>" in hints.did_you_mean.text()
    assert hints.intent.text() == "按时限查找"
    with qtbot.waitSignal(panel.search_finished, timeout=10_000) as blocker:
        emit(hints.did_you_mean.linkActivated, "s:" + quote("碳达峰"))
    assert panel.box.text() == "碳达峰 2030"
    result = blocker.args[0]
    assert result.query == "碳达峰 2030" and result.total > 0 and panel.model.hits
    assert not hints.did_you_mean.isVisible() or "碳达峰</a>" not in hints.did_you_mean.text()


def test_a_typo_offers_the_library_word_and_a_click_searches_it(qtbot: QtBot, window: MainWindow,
                                                                search_for: Search) -> None:
    panel = window.search
    search_for(window, "碳达锋")  # 碳达峰 typed with a same-pinyin wrong character
    assert panel.hints.did_you_mean.isVisible()
    assert panel.hints.suggestions and panel.hints.suggestions[0] == "碳达峰"
    with qtbot.waitSignal(panel.search_finished, timeout=10_000) as blocker:
        emit(panel.hints.did_you_mean.linkActivated, "s:" + quote(panel.hints.suggestions[0]))
    assert panel.box.text() == "碳达峰" and blocker.args[0].query == "碳达峰"
    assert blocker.args[0].total > 0 and panel.model.hits and not panel.hints.did_you_mean.isVisible()


@pytest.mark.parametrize(("intent", "label"), list(SS.INTENT_LABELS.items()))
def test_the_recognised_intent_is_named(window: MainWindow, intent: str, label: str) -> None:
    panel = window.search
    panel._on_search_done(panel._seq, SearchResult(query="x", total=0, hits=(), intent=intent,
                                                   notices=("也匹配：二氧化碳排放",)))
    assert panel.hints.intent.isVisible() and panel.hints.intent.text() == label
    assert panel.also.isVisible() and "二氧化碳排放" in panel.also.text()
    assert not panel.hints.did_you_mean.isVisible()
    panel._on_search_done(panel._seq, SearchResult(query="x", total=0, hits=()))
    assert not panel.hints.isVisible()


@pytest.mark.parametrize(("typed", "term", "query"), [
    ("碳达锋", "碳达峰", "碳达峰"),
    ("碳达锋 2030", "碳达峰", "碳达峰 2030"),
    ("2030 碳达锋目标", "碳达峰", "2030 碳达峰目标"),
    ("无费城市建设", "无废城市建设", "无废城市建设"),
    ("减牌", "减排", "减排"),
    ("碳达峰 碳达锋", "碳达峰", "碳达峰 碳达峰"),
    ("碳达锋", "碳达峰目标", "碳达峰目标"),
    ("垃圾", "碳达峰", "碳达峰"),
])
def test_apply_suggestion_replaces_the_mistyped_stretch(typed: str, term: str, query: str) -> None:
    assert apply_suggestion(typed, term) == query


def test_a_phrase_with_a_word_the_library_lacks_says_so_under_the_box(window: MainWindow, search_for: Search) -> None:
    search_for(window, "牙科诊所的医疗废物怎么处理")
    status = window.search.status.text()
    assert window.search.model.hits and "文库中没有“牙科诊所”，按句中其余的词查找。" in status
    assert "。；" not in status  # the notices read as sentences
