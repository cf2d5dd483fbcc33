"""Child process for the user-DB crash tests (tests/core/userdata/test_crash.py). Killed with SIGKILL by the
parent at random moments; prints one line per confirmed save, flushed, only after the save returned.

    python userdata_child.py saves   <db> <start_seq>   # task and comment adds/edits + a multi-row save, forever
    python userdata_child.py wal     <db> <n> <backup>   # n adds with wal_autocheckpoint=0, then wait
    python userdata_child.py backup  <db>                # backup_db(force=True) forever
    python userdata_child.py migrate <db> <step>         # migration <step> (3: v3), killed before its COMMIT

Imports only the standard library and app.core.userdata, so it starts in a few dozen milliseconds.
"""

from __future__ import annotations

import os
import signal
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[3]))

from app.core.userdata import UserStore, schema

STATUSES = ("todo", "doing", "done", "parked")
TABLE_ROWS = 12


def note_for(seq: int) -> str:
    """Deterministic note of save `seq`: odd characters, sizes from a few bytes to ~240 KB."""
    body = "内容𠀀😀\t" * (seq % 40)
    if seq % 23 == 0:
        body += "长" * 80_000
    return f"笔记 {seq} {body}"


def tags_for(seq: int) -> list[str]:
    return [f"t{seq}", "共同"]


def status_for(seq: int) -> str:
    return STATUSES[seq % 4]


def priority_for(seq: int) -> int:
    return 1 + seq % 3


def opinion_for(seq: int) -> str:
    """Deterministic 修改意见 of save `seq` (its 理由 and kind follow from the same seq)."""
    return f"意见 {seq} 建议" + "改为𠀀😀" * (seq % 17) + ("长" * 60_000 if seq % 29 == 0 else "")


def reason_for(seq: int) -> str:
    return f"理由 {seq}"


def kind_for(seq: int) -> str:
    return ("修改", "补充", "删除", "其他")[seq % 4]


def table_rows(seq: int) -> list[dict[str, object]]:
    return [{"clause_id": f"row-{i}", "lead": [f"部门{seq}"], "support": [], "deadline": str(seq), "row": {"seq": seq}}
            for i in range(TABLE_ROWS)]


def say(line: str) -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def saves(db: Path, start: int) -> None:
    store = UserStore(db)
    ids = [t.id for t in store.list_tasks()]
    cids = [c.id for c in store.comments.find()]
    say("READY")
    seq = start
    while True:
        seq += 1
        if seq % 7 == 0:  # one transaction over many rows: all of them carry the same seq, or none does
            store.replace_task_table(table_rows(seq), f"seq-{seq}")
            say(f"T {seq}")
        elif seq % 5 == 0 or (seq % 3 == 0 and not cids):
            c = store.comments.add(f"clause-{seq}", proposal=opinion_for(seq), reason=reason_for(seq),
                                   kind=kind_for(seq), quote="原文", text=f"条款 {seq} 原文", unit="单位")
            cids.append(c.id)
            say(f"C {seq} {c.id}")
        elif seq % 3 == 0:
            cid = cids[(seq * 7919) % len(cids)]
            store.comments.update(cid, proposal=opinion_for(seq), reason=reason_for(seq), kind=kind_for(seq))
            say(f"E {seq} {cid}")
        elif not ids or seq % 4 == 0:
            t = store.add_task(f"clause-{seq}", text=f"条款 {seq}", note=note_for(seq), tags=tags_for(seq),
                               status=status_for(seq), priority=priority_for(seq))
            ids.append(t.id)
            say(f"A {seq} {t.id}")
        else:
            tid = ids[(seq * 7919) % len(ids)]
            store.update_task(tid, note=note_for(seq), tags=tags_for(seq), status=status_for(seq),
                              priority=priority_for(seq))
            say(f"U {seq} {tid}")


def wal(db: Path, n: int, backup: bool) -> None:
    store = UserStore(db, wal_autocheckpoint=0)
    for i in range(n):
        t = store.add_task(f"wal-{i}", note=note_for(i), text=f"条款 {i}")
        say(f"A {i} {t.id}")
    if backup:
        say(f"B {store.backup_db(force=True)}")
    say("DONE")
    time.sleep(60)


def backups(db: Path) -> None:
    store = UserStore(db)
    say("READY")
    while True:
        say("B")
        say(f"OK {store.backup_db(force=True)}")


def migrate(db: Path, step: int) -> None:
    real = schema.USER_MIGRATIONS[step - 1]

    def dying(conn: object) -> None:
        real(conn)  # type: ignore[arg-type]
        say("MIGRATED-UNCOMMITTED")
        os.kill(os.getpid(), signal.SIGKILL)

    steps = list(schema.USER_MIGRATIONS)
    steps[step - 1] = dying
    schema.USER_MIGRATIONS = tuple(steps)
    UserStore(db)
    say("NOT-KILLED")


def main() -> None:
    mode, db = sys.argv[1], Path(sys.argv[2])
    if mode == "saves":
        saves(db, int(sys.argv[3]))
    elif mode == "wal":
        wal(db, int(sys.argv[3]), sys.argv[4] == "1")
    elif mode == "backup":
        backups(db)
    elif mode == "migrate":
        migrate(db, int(sys.argv[3]))
    else:
        raise SystemExit(f"unknown mode {mode}")


if __name__ == "__main__":
    main()
