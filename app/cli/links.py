"""`policydesk indicators`, `departments`, `import-tasks` and `set-links`: the links of the clauses."""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from app.cli.common import ALL_VERSIONS_HELP, emit, ensure_index
from app.core.library import Library

INDICATOR_COLUMNS = ("clause", "path", "name", "value", "unit", "comparator", "deadline", "qualitative", "quote")


def add_parsers(sub: Any, common: Callable[[argparse.ArgumentParser], None]) -> None:
    p = sub.add_parser("indicators", help="列出全部量化指标（含条款编号与路径）")
    fmt = p.add_mutually_exclusive_group()
    fmt.add_argument("--json", action="store_true", help="输出 JSON")
    fmt.add_argument("--csv", action="store_true", help="输出 CSV（UTF-8 带 BOM，可直接用 Excel 打开）")
    p.add_argument("--all-versions", action="store_true", help=ALL_VERSIONS_HELP)
    common(p)

    p = sub.add_parser("departments", help="按部门列出牵头、配合和提及的条款")
    p.add_argument("name", nargs="?", help="部门名称或简称，如 市水务局、市发改委")
    p.add_argument("--json", action="store_true", help="输出 JSON")
    p.add_argument("--all-versions", action="store_true", help=ALL_VERSIONS_HELP)
    common(p)

    p = sub.add_parser("import-tasks", help="导入任务分工表（.xlsx 或 .csv），把牵头/配合单位和完成时限关联到条款")
    p.add_argument("file", type=Path, metavar="FILE")
    common(p)

    p = sub.add_parser("set-links", help="手工设置条款的牵头/配合单位和完成时限（保存在用户数据中，重建索引不丢失）")
    p.add_argument("clause_id", metavar="CLAUSE_ID")
    p.add_argument("--lead", help="牵头单位，多个用顿号或逗号分隔")
    p.add_argument("--support", help="配合单位，多个用顿号或逗号分隔")
    p.add_argument("--deadline", help="完成时限，如 2028、2028-06-30、2026年6月底前")
    p.add_argument("--clear", action="store_true", help="清除手工设置")
    common(p)


def cmd_indicators(lib: Library, args: argparse.Namespace) -> int:
    ensure_index(lib)
    rows = lib.indicator_rows(all_versions=args.all_versions)
    if args.json:
        emit(rows)
    elif args.csv:
        import csv

        sys.stdout.write("\ufeff")
        w = csv.writer(sys.stdout, lineterminator="\n")
        w.writerow(INDICATOR_COLUMNS)
        for r in rows:
            w.writerow([" › ".join(r[k]) if k == "path" else r[k] for k in INDICATOR_COLUMNS])
    else:
        for r in rows:
            target = f"{r['comparator']} {r['value']:g}{r['unit']}" if r["value"] is not None else "（定性）"
            print(f"{r['name']}\t{target}\t{r['deadline'] or ''}\t{r['clause']}")
    return 0


def _clause_labels(lib: Library, ids: set[str]) -> dict[str, tuple[str, str]]:
    """(document title, what to call the clause) for each id: its heading, or for an article without one
    its number and the start of its text."""
    if not ids:
        return {}
    titles = {d.id: d.title for d in lib.documents()}
    out: dict[str, tuple[str, str]] = {}
    for c in lib.clauses():
        if c.id in ids:
            label = c.display_heading
            if not c.heading:
                text = " ".join(c.text.split())
                excerpt = text[:30] + ("…" if len(text) > 30 else "")
                label = f"{label}：{excerpt}" if excerpt else label
            out[c.id] = (titles.get(c.doc_id, c.doc_id), label)
    return out


def cmd_departments(lib: Library, args: argparse.Namespace) -> int:
    ensure_index(lib)
    data = lib.department_clauses(args.name, all_versions=args.all_versions)
    if args.json:
        emit(data)
        return 0
    roles = (("lead", "牵头"), ("support", "配合"), ("mentioned", "提及"))
    labels = _clause_labels(lib, {item["id"] for dept in data for role, _ in roles for item in dept[role]}) \
        if args.name else {}
    for dept in data:
        print(f"{dept['name']}：牵头 {len(dept['lead'])}，配合 {len(dept['support'])}，提及 {len(dept['mentioned'])}")
        if not args.name:
            continue
        for role, label in roles:
            for item in dept[role]:
                source = SOURCE_LABELS.get(item["source"], item["source"])
                title, heading = labels.get(item["id"], ("", " › ".join(item["path"])))
                print(f"  [{label}·{source}] 《{title}》 {heading}  [{item['id']}]")
    if not args.name:
        print("（列出某部门的条款：policydesk departments 部门名称，如 policydesk departments 市水务局）", file=sys.stderr)
    return 0


def cmd_import_tasks(lib: Library, args: argparse.Namespace) -> int:
    ensure_index(lib)
    report = lib.import_tasks(args.file)
    print(f"已导入 {len(report.matched)} 行，关联到 {len(report.links)} 个条款；未匹配 {len(report.unmatched)} 行。")
    for row, cid, method in report.matched:
        print(f"  第 {row.line} 行 → {cid}（按{METHOD_LABELS[method]}匹配）")
    for row in report.unmatched:
        print(f"  未匹配：第 {row.line} 行：{row.get('task')[:40]}", file=sys.stderr)
    return 0


def _names(raw: str | None) -> list[str] | None:
    return None if raw is None else [n for n in re.split(r"[、，,；;]", raw) if n.strip()]


def cmd_set_links(lib: Library, args: argparse.Namespace) -> int:
    ensure_index(lib)
    if args.clear:
        links = lib.set_links(args.clause_id)
    else:
        links = lib.set_links(args.clause_id, lead=_names(args.lead), support=_names(args.support),
                              deadline=args.deadline)
    emit(links.to_json())
    return 0


METHOD_LABELS = {"id": "条款编号", "number": "编号", "heading": "任务标题", "text": "文字相似度"}
SOURCE_LABELS = {"explicit": "原文", "table": "分工表", "inferred": "推断", "user": "手工"}

HANDLERS = {
    "indicators": cmd_indicators, "departments": cmd_departments, "import-tasks": cmd_import_tasks,
    "set-links": cmd_set_links,
}
