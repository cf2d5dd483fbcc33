"""Screenshots of 我的任务 for `python -m app.ui.shots.screens`: a few tasks in every 督办 state (overdue, due
soon, open, done, on hold, one whose clause changed, one whose clause is gone), "my department" with its
suggestions, a tracked indicator, the 指标进度 page and its dialog, 数据备份与恢复, and the tasks in the
dark scheme. Writes tasks.png, tasks-progress.png, indicator-progress.png, backup.png, tasks-dark.png."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import QApplication, QWidget

from app.core.library import Library

SHOTS = 5
PLAN = "美丽上海建设十五五规划-征求意见稿"
WASTE = "上海市生活垃圾管理条例(2019-01-31)"
INDICATOR = "生活垃圾回收利用率"

Save = Callable[..., None]
Wait = Callable[..., None]


def populate(lib: Library, today: dt.date | None = None) -> dict[str, str]:
    """Demo tasks relative to `today`; returns task ids by name and the tracked indicator's clause."""
    today = today or dt.date.today()
    desk, user = lib.desk, lib.user
    day = dt.timedelta(days=1)
    overdue = desk.bookmark(f"{PLAN}/四/（五）/1", status="doing", priority=1, due=today - 12 * day,
                            tags=["无废城市", "固废"], collection="年度重点",
                            note="已与各区绿化市容局对接，方案初稿待报分管领导。\n下一步：月底前报送。")
    soon = desk.bookmark(f"{WASTE}/第十二条", due=today + 18 * day, collection="年度重点",
                         note="专项规划修编：征求意见稿已发各委办。")
    desk.bookmark(f"{PLAN}/三/（一）/1", status="done", note="年度目标已完成，材料已归档。")
    desk.bookmark(f"{WASTE}/第十一条", status="parked", note="等待市里统一部署。")
    desk.bookmark(f"{PLAN}/四/（五）/3", tags=["固废"])
    changed = desk.bookmark(f"{PLAN}/四/（五）/2", note="条文在新版本中有修改，需核对。")
    user.reanchor_task(changed.id, clause_id=changed.clause_id, state="changed")
    gone = desk.bookmark(f"{WASTE}/第十条", note="新版本已删除此条，待重新关联。")
    user.reanchor_task(gone.id, clause_id=gone.clause_id, state="missing")
    desk.set_my_department("市生态环境局")
    row = next(r for r in lib.indicator_rows() if r["name"] == INDICATOR)
    key = user.track_indicator(row["clause"], INDICATOR, target=row["value"], unit=row.get("unit") or "",
                               comparator=row.get("comparator") or ">=", deadline=2030, baseline=40,
                               baseline_year=2020).key
    for year, value in ((2021, 41.5), (2022, 42.8), (2023, 43.9), (2024, 44.6)):
        user.set_indicator_value(key, year, value, f"{year}年上海市生活垃圾管理情况通报")
    return {"overdue": overdue.id, "soon": soon.id, "changed": changed.id, "gone": gone.id,
            "indicator_clause": row["clause"]}


def shoot(app: QApplication, win: Any, save: Save, wait: Wait) -> None:
    ids = populate(win.library)
    view = win.tasks_view
    view.invalidate()
    win.tabs.setCurrentWidget(view)
    wait(app, lambda: view.is_loaded, settle=0.3)
    view.select_task(ids["changed"])  # the editor shows the anchor box with 确认新内容
    wait(app, lambda: True, settle=0.4)
    save("tasks.png")
    view.pages.setCurrentWidget(view.progress)
    wait(app, lambda: view.progress.model.rowCount() > 0, settle=0.3)
    save("tasks-progress.png")
    dlg: QWidget = win.open_progress(ids["indicator_clause"], INDICATOR)
    wait(app, lambda: dlg.isVisible() and dlg.snapshot.indicator is not None, settle=0.4)  # type: ignore[attr-defined]
    save("indicator-progress.png", dlg)
    dlg.close()
    view.pages.setCurrentIndex(0)
    win.library.user.backup_db(force=True)  # one with the tasks above, beside the start-up one
    backups = win.open_backups()
    wait(app, lambda: backups.table.rowCount() > 0, settle=0.4)
    save("backup.png", backups)
    backups.close()


def shoot_dark(app: QApplication, win: Any, save: Save, wait: Wait) -> None:
    win.tabs.setCurrentWidget(win.tasks_view)
    wait(app, lambda: win.tasks_view.is_loaded, settle=0.5)
    save("tasks-dark.png")
