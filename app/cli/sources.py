"""`policydesk sources` (the added files and what became of each) and the report of an index run, file by file."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TextIO

from app.cli.common import TerminalProgress
from app.core.library import Library
from app.core.models import DUPLICATE, REFUSED, WARNING, FileOutcome, IndexReport
from app.core.sources import SourcesReport

_MARKS = {REFUSED: "✗", WARNING: "!", DUPLICATE: "="}


def add_parsers(sub: Any, common: Callable[[argparse.ArgumentParser], None]) -> None:
    p = sub.add_parser("sources", help="列出添加到文库的文件及其导入结果；sources remove PATH 移出一个文件或文件夹")
    p.add_argument("action", nargs="?", choices=("remove",), metavar="remove", help="remove：把添加的文件或文件夹移出文库")
    p.add_argument("path", nargs="?", type=Path, metavar="PATH", help="要移出的文件或文件夹（remove）")
    p.add_argument("--json", action="store_true", help="输出 JSON")
    common(p)


def outcome_line(f: FileOutcome) -> str:
    """One line of the import report: mark, result, path and title or reason."""
    mark = _MARKS.get(f.status, "✓")
    if f.status in (REFUSED, DUPLICATE):
        again = "（文件未改动，未重新读取）" if f.again else ""
        return f"  {mark} {f.label}：{f.path}：{f.message}{again}"
    line = f"  {mark} {f.label}：{f.path} → 《{f.message}》，{f.clauses} 个条款"
    if f.warnings:
        line += "；提示：" + "；".join(f.warnings)
    return line


def print_file_report(r: IndexReport, out: TextIO = sys.stdout) -> None:
    """Every file read or refused in this refresh, then the counts per result."""
    if not r.files:
        return
    print("文件导入报告：", file=out)
    quiet = [f for f in r.files if f.shipped and f.status not in (REFUSED, WARNING)]
    again = [f for f in r.files if f.again]
    if quiet:
        print(f"  ✓ 内置语料 {len(quiet)} 个文件已导入", file=out)
    for f in r.files:
        if f not in quiet and f not in again:
            print(outcome_line(f), file=out)
    if again:
        print(f"  ✗ 另有 {len(again)} 个文件此前未能导入且未改动，本次未重新读取（policydesk sources 查看原因）", file=out)
    counts: dict[str, int] = {}
    for f in r.files:
        counts[f.label] = counts.get(f.label, 0) + 1
    print("  合计：" + "，".join(f"{k} {v}" for k, v in counts.items()), file=out)


def print_report(r: IndexReport) -> None:
    kind = "全部重建" if r.full_rebuild else "增量更新"
    print(f"{kind}完成：{r.documents} 个文件，{r.clauses} 个条款；新增 {r.added}，更新 {r.updated}，"
          f"删除 {r.removed}，未变 {r.unchanged}；用时 {r.seconds:.1f} 秒。")
    names = {"read": "读取分析", "save": "保存条款", "index": "建立索引"}
    if r.phases:
        print("  " + "，".join(f"{names.get(k, k)} {v:.1f} 秒" for k, v in r.phases), file=sys.stderr)
    print_file_report(r)


def _print_sources(rep: SourcesReport) -> None:
    if not rep.roots:
        print("尚未添加文件或文件夹（用 policydesk index PATH 添加）。")
        return
    for root in rep.roots:
        files = [f for f in rep.files if f.root == root]
        print(f"{root}（{len(files)} 个文件）" + ("" if Path(root).exists() else "【已不存在】"))
        for f in files:
            if f.status == "ok":
                print(f"  ✓ {f.path} → 《{f.title}》 {f.kind}，{f.clauses} 个条款（{f.doc_id}）")
            else:
                print(f"  ✗ {f.path}：{f.reason}")
    for e in rep.excluded:
        print(f"已移出：{e}")


def cmd_sources(lib: Library, args: argparse.Namespace) -> int:
    if args.action == "remove":
        if args.path is None:
            print("用法：policydesk sources remove PATH", file=sys.stderr)
            return 2
        bar = TerminalProgress()
        report = lib.remove_source(args.path, progress=bar)
        bar.finish()
        print(f"已移出：{args.path}")
        print_report(report)
        return 0
    rep = lib.sources()
    if args.json:
        print(json.dumps(rep.to_json(), ensure_ascii=False, indent=1))
    else:
        _print_sources(rep)
    return 0


HANDLERS = {"sources": cmd_sources}
