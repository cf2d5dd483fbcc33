"""Smaller pieces of the Qt layer: tasks, error dialogs, the instance lock, rendering."""

from __future__ import annotations

import threading
from pathlib import Path

from PySide6.QtCore import QThread
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from app.core.errors import Cancelled, NotFoundError
from app.core.models import Clause, Document, SearchHit
from app.core.paths import AppPaths
from app.core.progress import CancelToken
from app.ui.common.dialogs import show_error
from app.ui.common.tasks import TaskManager
from app.ui.main import acquire_instance_lock
from app.ui.reader import strings as RS
from app.ui.reader.render import render_context
from app.ui.search import strings as SS
from app.ui.search.resultlist import row_html


def test_read_task_runs_on_a_pool_thread_and_reports_in_gui_thread(qtbot: QtBot) -> None:
    tm = TaskManager()
    gui = threading.get_ident()
    seen: dict[str, object] = {}

    def work() -> int:
        seen["worker"] = threading.get_ident()
        return 42

    def done(result: object) -> None:
        seen["result"], seen["callback"] = result, QThread.currentThread() is QApplication.instance().thread()

    tm.run_read(work, done)
    qtbot.waitUntil(lambda: "result" in seen, timeout=5_000)
    assert seen == {"worker": seen["worker"], "result": 42, "callback": True}
    assert seen["worker"] != gui
    assert tm.wait_all(5_000)


def test_write_task_progress_is_throttled_and_cancel_is_cooperative(qtbot: QtBot) -> None:
    tm = TaskManager()
    assert tm.write_pool.maxThreadCount() == 1
    progress: list[tuple[int, int, str]] = []
    outcome: list[str] = []
    started = threading.Event()

    def work(report, token: CancelToken) -> None:  # type: ignore[no-untyped-def]
        for i in range(10_000):
            report(i, 10_000, "正在处理…")
            started.set()
        while True:
            token.check()
            threading.Event().wait(0.005)

    h = tm.run_write(work, on_progress=lambda *a: progress.append(a), on_cancelled=lambda: outcome.append("c"),
                     on_done=lambda _r: outcome.append("done"))
    assert tm.busy()
    qtbot.waitUntil(lambda: started.is_set() and bool(progress), timeout=5_000)
    qtbot.wait(50)  # let any progress still queued arrive: none is shown once cancel is requested
    h.cancel()
    with qtbot.waitSignal(tm.idle, timeout=5_000):
        pass
    assert outcome == ["c"] and not tm.busy()
    assert 1 <= len(progress) < 100  # 10 000 calls, a handful of signals


def test_failed_task_goes_to_error_handler_and_inline_mode_is_synchronous() -> None:
    errors: list[BaseException] = []
    tm = TaskManager(on_error=errors.append, inline=True)

    def boom() -> None:
        raise NotFoundError("找不到该条款。")

    tm.run_read(boom)
    assert len(errors) == 1 and isinstance(errors[0], NotFoundError)
    got: list[object] = []
    tm.run_read(lambda: "好", got.append)
    assert got == ["好"] and tm.active_count() == 0


def test_show_error_is_chinese_and_ignores_cancelled(qtbot: QtBot) -> None:
    assert show_error(None, Cancelled()) is None
    box = show_error(None, NotFoundError("找不到该条款。"))
    assert isinstance(box, QMessageBox) and box.text() == "找不到该条款。"
    box.close()
    box = show_error(None, RuntimeError("internal detail"))
    assert box is not None and "意外" in box.text() and "Traceback" not in box.text()
    assert "internal detail" not in box.text()
    box.close()


def test_single_instance_lock(tmp_path: Path) -> None:
    paths = AppPaths.resolve(tmp_path / "d")
    paths.data.mkdir(parents=True)
    first = acquire_instance_lock(paths)
    assert first is not None
    assert acquire_instance_lock(paths) is None  # a second start gets "程序已在运行"
    first.unlock()
    again = acquire_instance_lock(paths)
    assert again is not None
    again.unlock()


def _doc() -> Document:
    return Document(id="d", title="测试<条例>", kind="地方性法规", issuer="某市人大常委会", date="2024-01-01")


def _clause(n: int, text: str, *, level: str = "article", parent: str | None = None) -> Clause:
    return Clause(id=f"d/{n}", doc_id="d", ordinal=n, level=level, number=f"第{n}条", number_value=n, heading="",
                  path=(f"第{n}条",), text=text, parent_id=parent)


def test_render_context_escapes_marks_and_tints() -> None:
    clauses = [_clause(1, "一般规定。"), _clause(2, "<script>alert(1)</script> & 垃圾分类 <mark>x</mark>")]
    html = render_context(_doc(), clauses, clauses[1], "垃圾分类")
    assert "<script>" not in html and "&lt;script&gt;" in html and "&amp;" in html
    assert "&lt;mark&gt;x&lt;/mark&gt;" in html  # document text cannot inject markup
    assert '<span class="hl">垃圾分类</span>' in html
    assert "测试&lt;条例&gt;" in html and 'name="selected"' in html
    assert RS.READER_CONTEXT_NOTE.format(scope=RS.READER_CONTEXT_WHOLE) in html


def test_long_law_shows_the_enclosing_chapter() -> None:
    chapters = [Clause(id=f"d/c{k}", doc_id="d", ordinal=0, level="chapter", number=f"第{k}章", number_value=k,
                       heading="章", path=(f"第{k}章",), text="") for k in (1, 2)]
    arts = [_clause(n, f"内容{n}。", parent="d/c1" if n <= 60 else "d/c2") for n in range(1, 121)]
    items = [chapters[0], *arts[:60], chapters[1], *arts[60:]]
    html = render_context(_doc(), items, arts[70], "")
    assert "内容71。" in html and "内容61。" in html and "内容60。" not in html
    assert RS.READER_MORE_BEFORE in html and RS.READER_MORE_AFTER not in html


def test_row_html_keeps_only_engine_marks() -> None:
    hit = SearchHit(id="d/1", doc_id="d", doc_title="A<B>", kind="法律", path=("第一章 总则", "第一条"),
                    heading="", snippet="x &lt;b&gt; <mark>垃圾分类</mark>", score=1.0)
    html = row_html(hit)
    assert "A&lt;B&gt;" in html and '<span class="hl">垃圾分类</span>' in html and "<b>x" not in html


def test_emit_keeps_reference_counts_balanced() -> None:
    """PySide6 6.12.0 + Python 3.11 loses a reference to True on every Signal.emit(): thousands of
    emits abort the interpreter. app/ui emits through qtcompat.emit, which compensates."""
    import sys

    from PySide6.QtCore import QObject, Signal

    from app.ui.common.qtcompat import emit

    class Probe(QObject):
        fired = Signal(object)

    probe = Probe()
    before = sys.getrefcount(True)
    for i in range(20_000):
        emit(probe.fired, i)
    assert abs(sys.getrefcount(True) - before) < 100  # without the fix: -20 000, then an abort


def test_app_ui_never_calls_emit_directly() -> None:
    import re

    root = Path(__file__).resolve().parents[3] / "app" / "ui"
    offenders = [f"{p.name}:{n}" for p in root.rglob("*.py") if p.name != "qtcompat.py"
                 for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1)
                 if re.search(r"\.emit\(", line)]
    assert not offenders, f"emit through app.ui.common.qtcompat.emit: {offenders}"


def test_qt_standard_buttons_speak_chinese(qtbot: QtBot) -> None:
    from PySide6.QtWidgets import QDialogButtonBox

    from app.ui.main import ensure_app

    ensure_app()
    box = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
    qtbot.addWidget(box)
    assert sorted(b.text() for b in box.buttons()) == sorted(["确定", "取消"])


def test_hits_of_one_section_are_grouped_under_it(qtbot: object) -> None:
    from app.ui.search.resultlist import HitModel, SiblingRole

    def hit(i: str, path: tuple[str, ...], doc: str = "plan") -> SearchHit:
        return SearchHit(id=f"{doc}/{i}", doc_id=doc, doc_title="规划", kind="规划", path=path, heading=path[-1],
                         snippet="x", score=1.0)

    section = ("三、绿色低碳", "（一）碳达峰碳中和")
    hits = [hit("s", section), hit("a", (*section, "任务甲。")), hit("b", (*section, "任务乙。")),
            hit("c", ("四、生态", "（一）河湖", "任务丙。")), hit("d", (*section, "任务丁。"), doc="other")]
    model = HitModel()
    model.set_hits(hits)
    assert [bool(model.data(model.index(r), SiblingRole)) for r in range(len(hits))] == [False, True, True, False, False]
    html = row_html(hits[2], None, sibling=True)
    assert SS.SAME_SECTION.strip() in html and "三、绿色低碳" not in html and "乙" in html
