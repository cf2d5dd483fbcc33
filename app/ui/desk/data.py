"""What the 我的任务 tab shows, read in one task on a read thread, and the note drafts' keys."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from app.core.desk import DeskTask
from app.core.errors import NotFoundError
from app.core.library import Library
from app.core.userdata import Draft
from app.ui.desk.indicatorprogress import Snapshot
from app.ui.desk.progress import fetch_progress


def draft_key(task_id: str) -> str:
    return f"task:{task_id}:note"


def task_of_draft(key: str) -> str | None:
    m = re.fullmatch(r"task:(.+):note", key)
    return m.group(1) if m else None


def now_text() -> str:
    return dt.datetime.now().strftime("%H:%M:%S")


def local_time(stamp: str) -> str:
    try:
        return dt.datetime.fromisoformat(stamp).astimezone().strftime("%m-%d %H:%M")
    except ValueError:
        return stamp


@dataclass
class DeskData:
    tasks: list[DeskTask]
    clause_dues: dict[str, str | None] = field(default_factory=dict)  # task id -> the clause's own deadline
    drafts: dict[str, Draft] = field(default_factory=dict)  # task id -> a draft that differs from the note
    departments: list[tuple[str, int]] = field(default_factory=list)  # (name, clauses it leads)
    my_department: str | None = None
    suggestions: list[dict[str, Any]] = field(default_factory=list)
    titles: dict[str, str] = field(default_factory=dict)
    progress: list[tuple[Snapshot, str]] = field(default_factory=list)


def pending_drafts(library: Library, tasks: list[DeskTask]) -> dict[str, Draft]:
    """Worker side: autosaved note drafts of live tasks that differ from what is saved."""
    notes = {d.id: d.task.note for d in tasks}
    out: dict[str, Draft] = {}
    for dr in library.user.list_drafts():
        tid = task_of_draft(dr.key)
        if tid is not None and tid in notes and dr.text != notes[tid] and tid not in out:
            out[tid] = dr
    return out


def fetch_desk(library: Library) -> DeskData:
    """Worker side: tasks, drafts, suggestions and tracked indicators in one go."""
    desk = library.desk
    tasks = desk.tasks()
    data = DeskData(tasks, drafts=pending_drafts(library, tasks), my_department=desk.my_department())
    data.clause_dues = {d.id: desk.view(dataclasses.replace(d.task, due=None)).due
                        for d in tasks if d.due_source == "personal"}
    try:
        data.titles = {d.id: d.title for d in library.documents()}
        data.departments = [(r["name"], len(r["lead"])) for r in library.department_clauses() if r["lead"]]
        data.suggestions = desk.suggestions()
    except NotFoundError:  # no clause database yet: the tasks are what the user wrote, they still show
        pass
    data.progress = fetch_progress(library)
    return data
