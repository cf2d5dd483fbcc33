"""`policydesk tasks …` and `policydesk task …`: the desk of bookmarked clauses from the command line."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from app.core.desk import URGENCY_LABELS, DeskTask
from app.core.errors import PolicyDeskError
from app.core.library import Library
from app.core.userdata import STATUS_LABELS

STATUS_HELP = "状态：" + "/".join(STATUS_LABELS.values())


def _task_fields(p: argparse.ArgumentParser) -> None:
    p.add_argument("--status", help=STATUS_HELP)
    p.add_argument("--due", help="个人完成日期，如 2026-06-30（默认取条款的完成时限）；--due '' 清除")
    p.add_argument("--note", help="笔记（可含换行）")
    p.add_argument("--tags", help="标签，用顿号或逗号分隔")
    p.add_argument("--priority", help="优先级：高/中/低")
    p.add_argument("--owner", help="责任部门（默认为牵头单位）")
    p.add_argument("--collection", help="归入的收藏夹")


def add_parsers(sub: Any, common: Callable[[argparse.ArgumentParser], None]) -> None:
    p = sub.add_parser("tasks", help="我的任务：列出（--json），或 export FILE.json / import FILE.json 与同事交换")
    p.add_argument("action", nargs="?", choices=("export", "import", "suggest"), metavar="{export,import,suggest}",
                   help="export：导出到 JSON；import：合并导入（不重复）；suggest：按“我的部门”列出建议任务")
    p.add_argument("file", nargs="?", type=Path, metavar="FILE", help="JSON 文件（export/import）")
    p.add_argument("--json", action="store_true", help="输出 JSON")
    p.add_argument("--status", help="只列出该状态：" + "/".join(STATUS_LABELS.values()))
    p.add_argument("--department", help="只列出该部门负责的任务（suggest：建议该部门牵头的条款）")
    p.add_argument("--tag", help="只列出带该标签的任务")
    common(p)

    p = sub.add_parser("task", help="收藏条款为任务（add），修改（set）或删除（delete）")
    tsub = p.add_subparsers(dest="task_action", metavar="{add,set,delete}", required=True)
    a = tsub.add_parser("add", help="把条款收藏为任务")
    a.add_argument("clause_id", metavar="CLAUSE_ID")
    a.add_argument("--indicator", help="收藏条款中的某项指标（指标名称）")
    _task_fields(a)
    a.add_argument("--json", action="store_true", help="输出任务的 JSON（默认输出一句确认）")
    common(a)
    s = tsub.add_parser("set", help="修改任务")
    s.add_argument("task_id", metavar="TASK_ID")
    _task_fields(s)
    s.add_argument("--json", action="store_true", help="输出任务的 JSON（默认输出一句确认）")
    common(s)
    d = tsub.add_parser("delete", help="删除任务（移入回收站，可恢复）")
    d.add_argument("task_id", metavar="TASK_ID")
    common(d)


def _fields(args: argparse.Namespace) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name in ("status", "note", "priority", "owner", "collection"):
        value = getattr(args, name, None)
        if value is not None:
            out[name] = value.replace("\\n", "\n") if name == "note" else value
    if args.due is not None:
        out["due"] = args.due or None
    if args.tags is not None:
        out["tags"] = [t.strip() for t in args.tags.replace("，", ",").replace("、", ",").split(",") if t.strip()]
    return out


def _line(d: DeskTask) -> str:
    t = d.task
    due = d.due or "—"
    if d.due and d.due_source == "clause":
        due += "（条款）"
    where = "›".join(t.path[-2:]) if t.path else t.clause_id
    flag = "  ⚠ 原条款已变更或删除" if t.anchor_state == "missing" else (
        "  ⚠ 条款内容已修改" if t.anchor_state == "changed" else "")
    return (f"[{t.status_label}] {URGENCY_LABELS[d.urgency]:<6} 期限 {due:<16} {d.owner or '—'}  {where}{flag}\n"
            f"    {t.id}  {t.clause_id}" + (f"\n    笔记：{t.note.splitlines()[0][:60]}" if t.note else ""))


def cmd_tasks(lib: Library, args: argparse.Namespace) -> int:
    desk = lib.desk
    if args.action == "export":
        if args.file is None:
            raise PolicyDeskError("请指定导出文件：policydesk tasks export FILE.json")
        n = lib.user.export_tasks(args.file)
        comments = lib.user.comments.count()
        print(f"已导出 {n} 个任务" + (f"、{comments} 条意见" if comments else "") + f"：{args.file}")
        return 0
    if args.action == "import":
        if args.file is None:
            raise PolicyDeskError("请指定要导入的文件：policydesk tasks import FILE.json")
        summary = lib.user.import_tasks_json(args.file)
        print(summary.message)
        return 0
    if args.action == "suggest":
        rows = desk.suggestions(args.department)
        if args.json:
            print(json.dumps(rows, ensure_ascii=False, indent=2))
        elif not rows:
            print("没有建议任务：请用 --department 指定部门，或该部门牵头的条款都已收藏。")
        for r in rows if not args.json else []:
            print(f"{r['id']}  {'›'.join(r.get('path', [])[-2:])}")
        return 0
    tasks = desk.tasks(status=args.status, tag=args.tag, department=args.department)
    if args.json:
        print(json.dumps([d.to_json() for d in tasks], ensure_ascii=False, indent=2))
        return 0
    if not tasks:
        print("还没有任务。用 policydesk task add CLAUSE_ID 收藏条款，或在桌面程序中按 Ctrl+D。")
        return 0
    print(f"共 {len(tasks)} 个任务")
    for d in tasks:
        print(_line(d))
    return 0


def _existing(lib: Library, clause_id: str, indicator: str | None) -> Any:
    """The live task already bookmarking this clause (or this indicator of it), if any."""
    from app.core.userdata.model import indicator_key

    cid = lib.clause(clause_id).id  # NotFoundError for a wrong id, before anything is written
    return lib.user.find_task(cid, None if indicator is None else indicator_key(cid, indicator))


def _what(d: DeskTask) -> str:
    t = d.task
    where = " › ".join(t.path) if t.path else t.clause_id
    indicator = f"（指标：{t.indicator_key.split('#', 1)[-1]}）" if t.indicator_key else ""
    return f"《{t.doc_title}》 {where}{indicator}"


def cmd_task(lib: Library, args: argparse.Namespace) -> int:
    if args.task_action == "add":
        fields = _fields(args)
        before = _existing(lib, args.clause_id, args.indicator)
        t = lib.desk.bookmark(args.clause_id, indicator=args.indicator, **fields)
        d = lib.desk.view(t)
        if args.json:
            print(json.dumps(d.to_json(), ensure_ascii=False, indent=2))
        elif before is not None:
            print(f"该条款已在我的任务中，未重复添加：{_what(d)}")
            print(_line(d))
        else:
            print(f"已收藏为任务：{_what(d)}")
            print(_line(d))
        if before is not None and fields:
            print(f"提示：已有任务未作修改；如需修改请用 policydesk task set {t.id} "
                  + " ".join(f"--{k} …" for k in fields), file=sys.stderr)
    elif args.task_action == "set":
        fields = _fields(args)
        if not fields:
            raise PolicyDeskError("没有要修改的内容：请给出 --status、--due、--note 等选项。")
        t = lib.user.update_task(args.task_id, **fields)
        d = lib.desk.view(t)
        if args.json:
            print(json.dumps(d.to_json(), ensure_ascii=False, indent=2))
        else:
            print(f"已修改任务：{_what(d)}")
            print(_line(d))
    else:
        lib.user.delete_task(args.task_id)
        print(f"已删除任务 {args.task_id}（可从回收站恢复）")
        return 0
    if t.notice:
        print(t.notice, file=sys.stderr)
    return 0


HANDLERS = {"tasks": cmd_tasks, "task": cmd_task}
