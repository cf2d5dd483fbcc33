"""Crash loops for the user DB (RELIABILITY.md D1, D2, D3, D5, D6): a child process writes, the parent
SIGKILLs it at random moments, then checks the file as the next start would see it. Real SQLite files,
real processes; POSIX only (SIGKILL)."""

from __future__ import annotations

import json
import os
import random
import re
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from app.core.userdata import COMMENT_KIND_LABELS, UserStore, schema
from app.core.userdata.backup import integrity_ok
from tests.core.userdata import userdata_child as child

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL (POSIX)")

CHILD = Path(child.__file__)
KILLS = 200
LANES = 2  # two children at a time (two DB files), one per core


def _spawn(*args: str) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, str(CHILD), *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, encoding="utf-8")


def _readline(proc: subprocess.Popen[str]) -> str:
    """One line of the child's output read straight off the pipe, byte by byte. `proc.stdout.readline()`
    would let the text wrapper buffer the lines after it, and `communicate()` reads the raw pipe: those
    confirmed saves would be lost to the check (seen under load: a committed save 'from nowhere')."""
    assert proc.stdout is not None
    fd = proc.stdout.fileno()
    out = bytearray()
    while not out.endswith(b"\n"):
        b = os.read(fd, 1)
        if not b:
            break
        out += b
    return out.decode("utf-8")


def _kill(proc: subprocess.Popen[str]) -> tuple[list[str], str]:
    """SIGKILL, then the complete lines it had printed (a torn last line is dropped) and its stderr."""
    proc.kill()
    out, err = proc.communicate(timeout=30)
    lines = out.split("\n")
    return lines[:-1], err  # the part after the last newline is empty or torn


def _integrity(db: Path) -> None:
    with closing(sqlite3.connect(db)) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]


@dataclass
class _Lane:
    db: Path
    rng: random.Random
    added: dict[str, int] = field(default_factory=dict)  # confirmed adds: task id -> seq
    confirmed: dict[str, int] = field(default_factory=dict)  # task id -> seq of its last confirmed save
    comments_added: dict[str, int] = field(default_factory=dict)  # confirmed comment adds: id -> seq
    comments_confirmed: dict[str, int] = field(default_factory=dict)  # comment id -> seq of its last save
    table_seq: int | None = None  # last confirmed multi-row save
    seq: int = 0
    kills: int = 0
    saves: int = 0

    def run_once(self) -> None:
        proc = _spawn("saves", str(self.db), str(self.seq))
        assert proc.stdout is not None
        ready = _readline(proc)
        if ready != "READY\n":
            proc.kill()
            _, err = proc.communicate()
            pytest.fail(f"child did not start: {ready!r}\n{err}")
        time.sleep(self.rng.uniform(0, 0.025))
        lines, err = _kill(proc)
        self.kills += 1
        upper = self.seq + 1  # the save in flight when killed may have committed without being confirmed
        for line in lines:
            kind, seq_s, *rest = line.split(" ")
            seq = int(seq_s)
            upper = seq + 1
            self.saves += 1
            if kind == "T":
                self.table_seq = seq
            elif kind in ("C", "E"):
                if kind == "C":
                    self.comments_added[rest[0]] = seq
                self.comments_confirmed[rest[0]] = seq
            else:
                tid = rest[0]
                if kind == "A":
                    self.added[tid] = seq
                self.confirmed[tid] = seq
        self.verify(upper, err)
        self.seq = upper

    def verify(self, upper: int, err: str) -> None:
        with closing(sqlite3.connect(self.db)) as conn:
            assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)], err
            rows = {r[0]: r[1:] for r in conn.execute("SELECT id, note, tags, status, priority FROM tasks")}
            table = conn.execute("SELECT deadline, source FROM task_table").fetchall()
            comments = {r[0]: r[1:] for r in conn.execute("SELECT id, proposal, reason, kind FROM comments")}
        missing = set(self.added) - set(rows)
        assert not missing, f"confirmed adds lost: {sorted(missing)[:3]}"
        for tid, (note, tags, status, priority) in rows.items():
            m = re.match(r"笔记 (\d+) ", note)
            assert m, f"unexpected note in {tid}"
            seq = int(m.group(1))
            # One save wrote all four fields: they must come from the same save (no half-applied edit) ...
            assert note == child.note_for(seq)
            assert json.loads(tags) == child.tags_for(seq)
            assert (status, priority) == (child.status_for(seq), child.priority_for(seq))
            # ... and never from a save older than the last confirmed one, nor from one never issued.
            assert self.confirmed.get(tid, 0) <= seq <= upper, (tid, seq, self.confirmed.get(tid), upper)
        lost = set(self.comments_added) - set(comments)
        assert not lost, f"confirmed comments lost: {sorted(lost)[:3]}"
        for cid, (proposal, reason, kind) in comments.items():
            m = re.match(r"意见 (\d+) ", proposal)
            assert m, f"unexpected opinion in {cid}"
            seq = int(m.group(1))
            # one save wrote opinion, reason and kind together, never older than the last confirmed save
            assert proposal == child.opinion_for(seq) and reason == child.reason_for(seq)
            assert COMMENT_KIND_LABELS[kind] == child.kind_for(seq)
            assert self.comments_confirmed.get(cid, 0) <= seq <= upper, (cid, seq, upper)
        if self.table_seq is None:
            assert len({d for d, _ in table}) <= 1
        if table:
            assert len(table) == child.TABLE_ROWS
            assert len({(d, s) for d, s in table}) == 1, "multi-row save half-applied"
            seq = int(table[0][0])
            assert (self.table_seq or 0) <= seq <= upper
        else:
            assert self.table_seq is None


@pytest.mark.slow
def test_kill_during_saves_loses_nothing_confirmed(tmp_path: Path) -> None:
    """D1: >= 200 SIGKILLs at random moments of a save loop; after each, integrity_check is ok, every
    confirmed save is there with its exact content, and no save is half-applied."""
    lanes = []
    for i in range(LANES):
        db = tmp_path / f"lane{i}" / "user.db"
        UserStore(db).close()  # schema in place, so the child only opens
        lanes.append(_Lane(db, random.Random(1000 + i)))
    errors: list[BaseException] = []

    def work(lane: _Lane) -> None:
        try:
            while lane.kills < KILLS // LANES and not errors:
                lane.run_once()
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(lane,)) for lane in lanes]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if errors:
        raise errors[0]
    assert sum(lane.kills for lane in lanes) >= KILLS
    assert sum(lane.saves for lane in lanes) > KILLS  # the children did get work done between kills
    assert all(lane.added for lane in lanes)
    assert all(lane.comments_added for lane in lanes)
    # A normal open afterwards: healthy, nothing to recover.
    for lane in lanes:
        store, report = UserStore.open(lane.db.parent)
        try:
            assert not report.recovered
            assert {t.id for t in store.list_tasks()} >= set(lane.added)
            assert {c.id for c in store.comments.find()} >= set(lane.comments_added)
        finally:
            store.close()


def _wait_for(proc: subprocess.Popen[str], word: str) -> list[str]:
    assert proc.stdout is not None
    seen = []
    while True:
        line = _readline(proc)
        if not line:
            _, err = proc.communicate()
            pytest.fail(f"child ended before {word!r}: {seen[-3:]}\n{err}")
        seen.append(line.rstrip("\n"))
        if seen[-1].startswith(word):
            return seen


def test_unchecked_wal_survives_kill_and_is_in_backups(tmp_path: Path) -> None:
    """D5: with wal_autocheckpoint=0 the rows live only in -wal when the app dies; they are there after
    a restart, and a backup made before (by the child) and after (by the new start) holds them."""
    db = tmp_path / "user.db"
    UserStore(db).close()
    size_before = db.stat().st_size
    proc = _spawn("wal", str(db), "40", "1")
    lines = _wait_for(proc, "DONE")
    assert Path(str(db) + "-wal").stat().st_size > 0
    assert db.stat().st_size == size_before  # nothing checkpointed into the main file
    _kill(proc)
    ids = {ln.split(" ")[2] for ln in lines if ln.startswith("A ")}
    child_backup = Path(next(ln for ln in lines if ln.startswith("B ")).split(" ", 1)[1])
    assert len(ids) == 40
    assert integrity_ok(child_backup)
    with closing(sqlite3.connect(child_backup)) as conn:
        assert {r[0] for r in conn.execute("SELECT id FROM tasks")} == ids
    store, report = UserStore.open(tmp_path)
    try:
        assert report.unclean_exit is False  # plain UserStore(path) writes no marker
        assert not report.recovered
        assert {t.id for t in store.list_tasks()} == ids
        assert store.get_task(sorted(ids)[0]).note.startswith("笔记 ")
        fresh = store.backup_db(force=True)
        assert fresh is not None
        with closing(sqlite3.connect(fresh)) as conn:
            assert {r[0] for r in conn.execute("SELECT id FROM tasks")} == ids
    finally:
        store.close()


def test_deleted_wal_after_kill_is_detected(tmp_path: Path) -> None:
    """D6: the -wal file is deleted after a crash (a "cleanup"): the start warns that the newest backup
    holds more than the file, so the user can restore instead of silently losing the saves."""
    db = tmp_path / "user.db"
    UserStore(db).close()
    proc = _spawn("wal", str(db), "10", "1")
    _wait_for(proc, "DONE")
    _kill(proc)
    for suffix in ("-wal", "-shm"):
        Path(str(db) + suffix).unlink()
    store, report = UserStore.open(tmp_path)
    try:
        assert store.list_tasks() == []
        assert any("可能缺少最近的修改" in w for w in report.warnings), report
        newest = store.list_backups()[0]
        assert newest.tasks == 10
        store.restore_backup(newest.path)
        assert len(store.list_tasks()) == 10
    finally:
        store.close()


def test_kill_during_backup_leaves_live_db_and_old_backups_intact(tmp_path: Path) -> None:
    """D2: SIGKILL while backup_db() runs: the live DB is untouched, older backups stay valid and the
    leftover *.partial is removed at the next start."""
    db = tmp_path / "user.db"
    with UserStore(db) as store:
        for i in range(60):
            store.add_task(f"c{i}", note=f"备份测试 {i} " + "文" * 20_000, text="条款")
        store.backup_db(force=True)
    with closing(sqlite3.connect(db)) as conn:
        before = conn.execute("SELECT id, note, tags, status, updated_at FROM tasks ORDER BY id").fetchall()
    rng = random.Random(7)
    partials_seen = 0
    for _ in range(12):
        proc = _spawn("backup", str(db))
        _wait_for(proc, "B")
        time.sleep(rng.uniform(0, 0.08))
        _kill(proc)
        partials_seen += bool(list((tmp_path / "backups").glob("*.partial")))
        _integrity(db)
        with closing(sqlite3.connect(db)) as conn:
            assert conn.execute("SELECT id, note, tags, status, updated_at FROM tasks ORDER BY id").fetchall() == before
        for b in (tmp_path / "backups").glob("*.sqlite3"):
            assert integrity_ok(b), b.name
        if partials_seen >= 3:
            break
    assert partials_seen, "no kill landed inside a backup; the test proved nothing"
    store, report = UserStore.open(tmp_path, backup_on_start=False)
    try:
        assert report.partials_removed
        assert not list((tmp_path / "backups").glob("*.partial*"))
        assert all(b.tasks == 60 for b in store.list_backups())
    finally:
        store.close()


def _v2_database(db: Path) -> None:
    """A user DB as the previous release left it (schema v2) with some data."""
    with closing(sqlite3.connect(db, isolation_level=None)) as conn:
        conn.execute("PRAGMA journal_mode=WAL")
        schema.migrate(conn, schema.USER_MIGRATIONS[:2])
        conn.execute("INSERT INTO settings(key, value) VALUES ('user.department', '\"市发展改革委\"')")
        conn.execute("INSERT INTO link_overrides(clause_id, lead, support, deadline, updated_at) "
                     "VALUES ('c1', '[\"市交通委\"]', '[]', '2027', '2026-01-01')")


def _tables(db: Path) -> set[str]:
    with closing(sqlite3.connect(db)) as conn:
        return {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'index') "
                                           "AND name NOT LIKE 'sqlite_%'")}


def test_kill_inside_migration_leaves_old_schema_and_a_backup(tmp_path: Path) -> None:
    """D3: SIGKILL inside the v3 migration (tables created, not committed): the schema is still v2, whole;
    a pre-migration backup exists; the next start migrates cleanly."""
    db = tmp_path / "user.db"
    _v2_database(db)
    v2_tables = _tables(db)
    proc = _spawn("migrate", str(db), "3")
    _wait_for(proc, "MIGRATED-UNCOMMITTED")
    proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    _kill(proc)
    _integrity(db)
    assert _tables(db) == v2_tables  # old schema, nothing of v3
    with closing(sqlite3.connect(db)) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == 2
    pre = list((tmp_path / "backups").glob(f"user-pre-v{len(schema.USER_MIGRATIONS)}-*.sqlite3"))
    assert len(pre) == 1 and integrity_ok(pre[0])
    with closing(sqlite3.connect(pre[0])) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == 2
        assert conn.execute("SELECT count(*) FROM link_overrides").fetchone()[0] == 1
    store, report = UserStore.open(tmp_path)
    try:
        assert not report.recovered
        assert store.get("user.department") == "市发展改革委"
        assert store.overrides("link_overrides")["c1"]["lead"] == ["市交通委"]
        assert _tables(db) >= v2_tables | {"tasks", "indicators", "indicator_values", "drafts", "meta"}
        store.add_task("c1", note="迁移后")
    finally:
        store.close()
    # the second run made its own pre-migration backup; both are kept forever by rotation
    assert len(list((tmp_path / "backups").glob(f"user-pre-v{len(schema.USER_MIGRATIONS)}-*.sqlite3"))) == 2
    assert os.path.exists(db)


def test_kill_inside_comments_migration_keeps_v3_and_its_tasks(tmp_path: Path) -> None:
    """D3 for v4 (comments): SIGKILL inside the step leaves a whole v3 file with its tasks, and a pre-migration
    backup; the next start migrates and comments can be saved."""
    db = tmp_path / "user.db"
    with closing(sqlite3.connect(db, isolation_level=None)) as conn:
        conn.execute("PRAGMA journal_mode=WAL")
        schema.migrate(conn, schema.USER_MIGRATIONS[:3])
    with closing(sqlite3.connect(db, isolation_level=None)) as conn:
        conn.execute("INSERT INTO tasks(id, clause_id, note, created_at, updated_at) "
                     "VALUES ('t1', 'c1', '迁移前的笔记', '2026-01-01T00:00:00+00:00', '2026-01-01T00:00:00+00:00')")
    v3_tables = _tables(db)
    proc = _spawn("migrate", str(db), "4")
    _wait_for(proc, "MIGRATED-UNCOMMITTED")
    proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    _kill(proc)
    _integrity(db)
    assert _tables(db) == v3_tables and "comments" not in v3_tables
    with closing(sqlite3.connect(db)) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == 3
    pre = f"user-pre-v{len(schema.USER_MIGRATIONS)}-*.sqlite3"  # the backup before migrating to the newest version
    assert [b for b in (tmp_path / "backups").glob(pre) if integrity_ok(b)]
    store, report = UserStore.open(tmp_path)
    try:
        assert not report.recovered
        assert store.get_task("t1").note == "迁移前的笔记"
        c = store.comments.add("c1", proposal="迁移后的意见")
        assert store.comments.get(c.id).proposal == "迁移后的意见"
    finally:
        store.close()
