"""Wires the versions screens into the main window (`VersionsController(win)`, one line in `MainWindow`):

- the 对照 tab after 文件库 (and 视图 › 对照), the 新旧对照表 export dialog;
- 版本关联… (文库 menu, 文件库 and 对照 buttons) with 确认 / 不是同一文件的版本 / 撤销 / 对照 / 核对…;
- after an index run that brought a new version link: a banner (and a line in the 导入报告) saying
  《X》似乎是《Y》的新版本 with 确认 / 不是 / 查看对照 (and 核对任务和意见 when work was carried already);
- confirming a link carries tasks and comments over on the write thread and shows the review list.

Every engine call runs on a worker; the search, 文件库, 对照 and 我的任务 are refreshed after a change, so
default search hides or shows the old version at once.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QGuiApplication
from PySide6.QtWidgets import QDialog, QLayout, QMenu

from app.core.compare import Comparison
from app.core.export import ExportResult
from app.core.models import IndexReport
from app.core.progress import CancelToken
from app.core.userdata.versions import CONFIRMED, REJECTED, VersionLink
from app.ui.common import strings as S
from app.ui.common.banner import Banner
from app.ui.common.dialogs import error_message, show_error
from app.ui.common.tasks import ProgressFn
from app.ui.compare import strings as T
from app.ui.compare.exportdialog import CompareExportDialog
from app.ui.compare.linksdialog import VersionLinksDialog
from app.ui.compare.review import CarryReviewDialog
from app.ui.compare.view import CompareView
from app.ui.compare.work import CarryResult, LinkKey, carry_work, confirm_item, key, new_links

if TYPE_CHECKING:
    from app.ui.window.host import WindowLike

log = logging.getLogger("policydesk.ui.versions")
STATUS_MS = 12_000


def _menu(win: WindowLike, title: str) -> QMenu | None:
    for act in win.menuBar().actions():
        menu = act.menu()
        if act.text() == title and isinstance(menu, QMenu):
            return menu
    return None


def _bring_up(dlg: QDialog) -> None:
    """Show a dialog, or bring it forward when it is open behind the window already."""
    if dlg.isVisible():
        if QGuiApplication.platformName() != "offscreen":  # it cannot raise windows (and says so)
            dlg.raise_()
            dlg.activateWindow()
    else:
        dlg.show()


class VersionsController(QObject):
    """Owns the 对照 tab, the versions dialogs and the new-version banner (see the module doc)."""

    def __init__(self, win: WindowLike) -> None:
        super().__init__(win)
        self.win = win
        lib = win.library
        self.view = CompareView(lib, win.tasks, win)
        win.tabs.insertTab(win.tabs.indexOf(win.library_view) + 1, self.view, T.TAB_COMPARE)
        win.views.insert(win.views.index(win.library_view) + 1, self.view)  # views[n - 1] is tab n
        self.links_dialog: VersionLinksDialog | None = None
        self.review_dialog: CarryReviewDialog | None = None
        self.export_dialog: CompareExportDialog | None = None
        self.known: set[LinkKey] | None = None  # the links before an index run (None: not read yet)
        self.announced: VersionLink | None = None
        self.banner = Banner(win, name="versionsBanner")
        self.report_banner: Banner | None = None  # the same notice inside the 导入报告
        central = win.centralWidget().layout()
        if isinstance(central, QLayout) and central.indexOf(win.tabs) >= 0:
            central.insertWidget(central.indexOf(win.tabs), self.banner)
        self._menus()
        self.view.open_clause.connect(win.open_clause)
        self.view.open_versions.connect(self.open_links)
        self.view.export_comparison.connect(self.open_export)
        win.library_view.versions_requested.connect(self.open_links)
        win.library_view.compare_requested.connect(self._on_library_compare)
        win.theme_manager.changed.connect(self._on_theme_changed)
        self.view.export_instead = self._export_from_tab  # type: ignore[attr-defined]  # Ctrl+E on 对照
        others = getattr(getattr(win, "exporter", None), "other_exports", None)
        if isinstance(others, list):
            others.append(self)  # closing the window waits for (or cancels) a 新旧对照表 being written
        win.tasks.run_read(lambda: [key(k) for k in lib.version_links(detect=False)], self._on_snapshot,
                           on_error=lambda _exc: None, name="version_links")

    def _menus(self) -> None:
        win = self.win
        self.links_action = QAction(T.LIB_VERSIONS_BUTTON, win)
        self.links_action.setObjectName("versionLinksAction")
        self.links_action.triggered.connect(self.open_links)
        lib_menu = _menu(win, S.MENU_LIBRARY)
        if lib_menu is not None:
            after = next((a for a in lib_menu.actions() if a.text() == S.ACTION_IMPORT_REPORT), None)
            items = lib_menu.actions()
            at = items[items.index(after) + 1] if after is not None and items.index(after) + 1 < len(items) else None
            if at is not None:
                lib_menu.insertAction(at, self.links_action)
            else:
                lib_menu.addAction(self.links_action)
        self.tab_action = QAction(T.TAB_COMPARE, win)
        self.tab_action.triggered.connect(lambda: win.tabs.setCurrentWidget(self.view))
        view_menu = _menu(win, S.MENU_VIEW)
        if view_menu is not None:
            items = view_menu.actions()
            after = next((a for a in items if a.text() == S.TAB_LIBRARY), None)
            at = items[items.index(after) + 1] if after is not None and items.index(after) + 1 < len(items) else None
            if at is not None:
                view_menu.insertAction(at, self.tab_action)
            else:
                view_menu.addAction(self.tab_action)

    # -- after an index run ------------------------------------------------------------------------
    def _on_snapshot(self, keys: list[LinkKey]) -> None:
        if self.known is None:
            self.known = set(keys)

    def index_done(self, report: IndexReport | None) -> None:
        """Called by the window when an index run ended: announce a version link it brought."""
        if report is None or not (report.added or report.updated or report.removed):
            return
        before, lib = self.known, self.win.library
        self.win.tasks.run_read(lambda: lib.version_links(detect=False),
                                lambda links: self._after_index(before, links), name="version_links")

    def _after_index(self, before: set[LinkKey] | None, links: list[VersionLink]) -> None:
        self.known = {key(k) for k in links}
        fresh = new_links(before if before is not None else self.known, links)
        if not fresh:
            return
        link, more = fresh[-1], len(fresh) - 1
        self.announce(link, more)
        if link.active:  # found with certainty: tasks and comments have followed it already
            self._run_carry(link.old_id, link.new_id, lambda r: self._carried(link, more, r))

    def _carried(self, link: VersionLink, more: int, result: CarryResult) -> None:
        still = self.announced is not None and key(self.announced) == key(link) and self.banner.isVisible()
        if still and (result.rows or any(sum(v.values()) for v in result.counts.values())):
            self.announce(link, more, result)

    def announce(self, link: VersionLink, more: int = 0, carried: CarryResult | None = None) -> None:
        """The banner (and the 导入报告's copy of it): 《X》似乎是《Y》的新版本 with what the user can do."""
        self.announced = link
        text = T.NEW_VERSION_FOUND.format(new=link.new_title or link.new_id, old=link.old_title or link.old_id)
        text += T.NEW_VERSION_AUTO if link.active else T.NEW_VERSION_ASK
        if carried is not None:
            text += T.NEW_VERSION_CARRIED.format(n=len(carried.rows)) if carried.rows \
                else T.NEW_VERSION_CARRIED_OK.format(summary=carried.summary_line())
        if more:
            text += T.NEW_VERSION_MORE.format(n=more)
        old, new = link.old_id, link.new_id
        actions: list[tuple[str, Callable[[], None]]] = [
            (T.BANNER_CONFIRM, lambda: self.set_state(old, new, CONFIRMED)),
            (T.BANNER_REJECT, lambda: self.set_state(old, new, REJECTED)),
            (T.BANNER_COMPARE, lambda: self._compare_from_banner(link, more, carried))]
        if carried is not None and carried.rows:
            actions.append((T.BANNER_REVIEW.format(n=len(carried.rows)), lambda: self.show_review(carried)))
        self.banner.show_message(text, actions)
        self._show_in_report(text, actions)

    def _show_in_report(self, text: str, actions: list[tuple[str, Callable[[], None]]]) -> None:
        dlg = self.win.import_report_dialog
        try:
            visible = dlg is not None and dlg.isVisible()
        except RuntimeError:  # closed and deleted (WA_DeleteOnClose)
            visible = False
        if not visible or dlg is None:
            return
        b = self.report_banner
        try:
            stale = b is None or b.parent() is not dlg
        except RuntimeError:
            stale = True
        if stale:
            b = Banner(dlg, name="importVersionBanner")
            lay = dlg.layout()
            if lay is not None and hasattr(lay, "insertWidget"):
                lay.insertWidget(1, b)
            self.report_banner = b
        assert b is not None
        b.show_message(text, [(label, lambda a=action: self._acted(dlg, a)) for label, action in actions],
                       closable=False)

    def _acted(self, report: QDialog, action: Callable[[], None]) -> None:
        """A button of the notice in the 导入报告: the report (window-modal) closes, then the action runs."""
        self.banner.hide()
        report.close()
        action()

    def _compare_from_banner(self, link: VersionLink, more: int, carried: CarryResult | None) -> None:
        self.compare(link.old_id, link.new_id)
        self.announce(link, more, carried)  # the question stays until answered

    # -- confirming, rejecting, carrying over ---------------------------------------------------------
    def set_state(self, old_id: str, new_id: str, state: str) -> None:
        """确认 / 不是 / 撤销 a link on the write thread; confirming carries the work over and shows it."""
        lib = self.win.library

        def work(_progress: ProgressFn, _cancel: CancelToken) -> tuple[VersionLink, CarryResult | None]:
            link = lib.set_version_state(old_id, new_id, state)
            return link, carry_work(lib, old_id, new_id) if state == CONFIRMED else None

        if state == CONFIRMED:
            self.win.statusBar().showMessage(T.CARRY_RUNNING, STATUS_MS)
        self.win.tasks.run_write(work, self._on_state_set, on_error=self._on_failed, name="version_state")

    def _on_state_set(self, done: tuple[VersionLink, CarryResult | None]) -> None:
        link, carried = done
        if self.known is not None:
            self.known.add(key(link))
        if self.announced is not None and key(self.announced) == key(link):
            self.banner.hide()
            self.announced = None
        names = {"old": link.old_title or link.old_id, "new": link.new_title or link.new_id}
        text = T.LINK_CONFIRMED if link.state == CONFIRMED else T.LINK_REJECTED if link.state == REJECTED \
            else T.LINK_RESET
        self.win.statusBar().showMessage(text.format(**names, state=link.state_label), STATUS_MS)
        self.refresh(text.format(**names, state=link.state_label))
        if carried is not None and (carried.rows or any(sum(v.values()) for v in carried.counts.values())):
            self.show_review(carried)  # nothing on the old version: nothing to show

    def refresh(self, message: str = "") -> None:
        """Links changed: reload 文件库, 对照, 我的任务, the links dialog, and search again."""
        win = self.win
        for view in (win.library_view, self.view, getattr(win, "tasks_view", None)):
            if view is not None:
                view.invalidate()
        if self.links_dialog is not None and self.links_dialog.isVisible():
            self._load_links(message)
        if win.search.box.isEnabled() and win.search.box.text().strip():
            win.search.search_now()  # default search now hides (or shows) the old version

    def _run_carry(self, old_id: str, new_id: str, on_done: Callable[[CarryResult], None]) -> None:
        lib = self.win.library
        self.win.tasks.run_write(lambda _p, _c: carry_work(lib, old_id, new_id), on_done, on_error=self._on_failed,
                                 name="carry_over")

    def review(self, old_id: str, new_id: str) -> None:
        """核对迁移的任务和意见: carry again (idempotent) and list what is left to review."""
        self._run_carry(old_id, new_id, self.show_review)

    def show_review(self, result: CarryResult) -> CarryReviewDialog:
        dlg = self.review_dialog
        if dlg is None:
            dlg = self.review_dialog = CarryReviewDialog(self.win)
            dlg.open_clause.connect(self.win.open_clause)
            dlg.confirm_requested.connect(self._confirm_item)
        dlg.set_result(result)
        win_tasks = getattr(self.win, "tasks_view", None)
        if win_tasks is not None:
            win_tasks.invalidate()
        self.win.statusBar().showMessage(T.CARRY_DONE_STATUS.format(summary=result.summary_line()), STATUS_MS)
        _bring_up(dlg)
        return dlg

    def _confirm_item(self, index: int) -> None:
        dlg, lib = self.review_dialog, self.win.library
        if dlg is None or dlg.result is None or not 0 <= index < len(dlg.result.rows):
            return
        item = dlg.result.rows[index].item

        def done(_result: Any) -> None:
            dlg.mark_confirmed(index)
            tasks_view = getattr(self.win, "tasks_view", None)
            if tasks_view is not None:
                tasks_view.invalidate()

        self.win.tasks.run_user(lambda: confirm_item(lib, item), done, on_error=self._on_failed,
                                name="confirm_anchor")

    def _on_failed(self, exc: BaseException) -> None:
        show_error(self.win, exc)

    # -- the dialogs and the tab ----------------------------------------------------------------------
    def open_links(self) -> VersionLinksDialog:
        """版本关联…"""
        dlg = self.links_dialog
        if dlg is None:
            dlg = self.links_dialog = VersionLinksDialog(self.win)
            dlg.state_requested.connect(self.set_state)
            dlg.compare_requested.connect(self.compare)
            dlg.review_requested.connect(self.review)
        self._load_links()
        _bring_up(dlg)
        return dlg

    def _load_links(self, message: str = "") -> None:
        lib = self.win.library

        def shown(links: list[VersionLink], text: str = message) -> None:
            if self.links_dialog is not None:
                self.links_dialog.set_links(links, text)

        self.win.tasks.run_read(lib.version_links, shown, on_error=lambda exc: shown([], error_message(exc)),
                                name="version_links")

    def compare(self, old_id: str, new_id: str) -> None:
        """Show the 对照 tab for two versions."""
        self.win.tabs.setCurrentWidget(self.view)
        self.view.compare(old_id, new_id)

    def _on_library_compare(self, old_id: str, new_id: str) -> None:
        self.compare(old_id, new_id)  # new_id "": no version link, the user picks the other one

    def open_export(self, cmp: Comparison) -> CompareExportDialog:
        """导出新旧对照表…"""
        dlg = self.export_dialog
        if dlg is None:
            w = self.win
            dlg = self.export_dialog = CompareExportDialog(w.library, w.tasks, w.settings, w)
            dlg.exported.connect(self._on_exported)
        dlg.set_comparison(cmp)
        _bring_up(dlg)
        return dlg

    @property
    def running(self) -> bool:
        """True while a 新旧对照表 is queued or being written."""
        return self.export_dialog is not None and self.export_dialog.running

    def _export_from_tab(self) -> None:
        """Ctrl+E on the 对照 tab: the 新旧对照表 of the comparison shown."""
        if self.view.comparison is not None:
            self.open_export(self.view.comparison)
        else:
            self.win.statusBar().showMessage(T.COMPARE_EXPORT_NOTHING, STATUS_MS)

    def _on_exported(self, result: ExportResult) -> None:
        self.win.statusBar().showMessage(S.EXPORT_DONE_STATUS.format(path=result.path), STATUS_MS)

    def _on_theme_changed(self, _theme: object) -> None:
        for dlg in (self.review_dialog, self.links_dialog):
            if dlg is not None:
                restyle = getattr(dlg, "restyle", None)
                if callable(restyle):
                    restyle()
