"""Stateful model test of the task service (RELIABILITY.md C10.2): add/edit/delete/backup/restore/crash
against a plain dict. A "crash" leaves a write transaction open and drops the connections, as a killed
process would; the reopened store must hold exactly the committed state."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule

from app.core.userdata import UserStore
from app.core.userdata.backup import integrity_ok

CLAUSES = [f"c{i}" for i in range(6)]
STATUSES = ["todo", "doing", "done", "parked"]
TEXT = st.text(max_size=40)  # hypothesis text: any code point but surrogates; NUL included
TAGS = st.lists(st.sampled_from(["交通", "环保", "年度", "😀", "𠀀"]), max_size=3)

Model = dict[str, dict[str, Any]]


def _expected(note: str, tags: list[str], status: str) -> dict[str, Any]:
    return {"note": note.replace("\x00", ""), "tags": tuple(dict.fromkeys(tags)), "status": status}


class TaskService(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.dir = Path(tempfile.mkdtemp(prefix="userdata-model-"))
        self.store: UserStore | None = None
        self.model: Model = {}
        self.clause_of: dict[str, str] = {}
        self.backups: list[tuple[Path, Model]] = []
        self.changed = True  # a new file has no backup yet

    @initialize()
    def open(self) -> None:
        self.store, report = UserStore.open(self.dir, backup_on_start=False)
        assert not report.recovered

    @property
    def s(self) -> UserStore:
        assert self.store is not None
        return self.store

    def _live_on(self, clause: str) -> str | None:
        return next((tid for tid in self.model if self.clause_of[tid] == clause), None)

    @rule(clause=st.sampled_from(CLAUSES), note=TEXT, tags=TAGS, status=st.sampled_from(STATUSES))
    def add(self, clause: str, note: str, tags: list[str], status: str) -> None:
        existing = self._live_on(clause)
        t = self.s.add_task(clause, note=note, tags=tags, status=status)
        if existing is not None:
            assert t.id == existing  # idempotent: nothing changes
            return
        assert t.id not in self.model
        self.model[t.id] = _expected(note, tags, status)
        self.clause_of[t.id] = clause
        self.changed = True

    @precondition(lambda self: self.model)
    @rule(data=st.data(), note=TEXT, tags=TAGS, status=st.sampled_from(STATUSES))
    def edit(self, data: st.DataObject, note: str, tags: list[str], status: str) -> None:
        tid = data.draw(st.sampled_from(list(self.model)))  # insertion order: uuids are random
        self.s.update_task(tid, note=note, tags=tags, status=status)
        self.model[tid] = _expected(note, tags, status)
        self.changed = True

    @precondition(lambda self: self.model)
    @rule(data=st.data())
    def delete(self, data: st.DataObject) -> None:
        tid = data.draw(st.sampled_from(list(self.model)))  # insertion order: uuids are random
        self.s.delete_task(tid)
        del self.model[tid]
        self.changed = True

    @rule()
    def backup(self) -> None:
        path = self.s.backup_db()
        if not self.changed:
            assert path is None
            return
        assert path is not None and integrity_ok(path)
        self.backups.append((path, {k: dict(v) for k, v in self.model.items()}))
        self.changed = False

    @precondition(lambda self: self.backups)
    @rule(data=st.data())
    def restore(self, data: st.DataObject) -> None:
        path, snapshot = data.draw(st.sampled_from(self.backups))
        report = self.s.restore_backup(path)
        self.backups.append((report.safety_backup, {k: dict(v) for k, v in self.model.items()}))
        self.model = {k: dict(v) for k, v in snapshot.items()}
        self.changed = False

    @rule(pending=TEXT, mid_statement=st.booleans())
    def crash(self, pending: str, mid_statement: bool) -> None:
        """An edit in flight when the process dies: BEGIN IMMEDIATE + UPDATE, never COMMIT."""

        def unfinished(conn: Any) -> None:
            conn.execute("BEGIN IMMEDIATE")
            if mid_statement:
                conn.execute("UPDATE tasks SET note = ?, status = 'done'", (pending.replace("\x00", ""),))
                conn.execute("DELETE FROM tasks WHERE rowid % 2 = 0")

        self.s._call(unfinished)
        self.s._abandon()
        self.store, report = UserStore.open(self.dir, backup_on_start=False)
        assert report.unclean_exit and not report.recovered

    @invariant()
    def matches_model(self) -> None:
        if self.store is None:
            return
        tasks = {t.id: t for t in self.s.list_tasks()}
        assert set(tasks) == set(self.model)
        for tid, want in self.model.items():
            t = tasks[tid]
            assert {"note": t.note, "tags": t.tags, "status": t.status} == want
            assert t.clause_id == self.clause_of[tid]

    def teardown(self) -> None:
        if self.store is not None:
            self.store.close()
        shutil.rmtree(self.dir, ignore_errors=True)


TaskService.TestCase.settings = settings(max_examples=30, stateful_step_count=25, deadline=None,
                                         suppress_health_check=[HealthCheck.too_slow])
test_task_service_matches_model = pytest.mark.slow(TaskService.TestCase)
