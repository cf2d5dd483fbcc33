"""The command line: a thin shell over `app.core.library.Library`. Output on stdout, messages on stderr."""

from __future__ import annotations

import argparse
import html
import json
import re
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any, TextIO

from app import __version__, cli_sources, cli_tasks
from app.core.errors import Cancelled, PolicyDeskError
from app.core.library import Library
from app.core.links.service import ClauseLinks
from app.core.models import IndexReport
from app.core.paths import AppPaths

COMMANDS = ("index", "search", "clauses", "show", "related", "indicators", "departments", "import-tasks",
            "set-links", "export", "tasks", "task", "sources")


def _common(p: argparse.ArgumentParser, *, top: bool = False) -> None:
    # On subcommands the default is SUPPRESS, so `policydesk --data-dir X search …` keeps X.
    p.add_argument("--data-dir", metavar="DIR", default=None if top else argparse.SUPPRESS,
                   help="数据目录（默认：$POLICYDESK_HOME 或系统用户数据目录）")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="policydesk", description="政策案头 PolicyDesk：规划与法规条款检索")
    parser.add_argument("--version", action="version", version=f"PolicyDesk {__version__}")
    _common(parser, top=True)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("index", help="建立或更新索引（内置语料及添加的文件夹/文件）")
    p.add_argument("paths", nargs="*", type=Path, metavar="PATH",
                   help="要加入文库的文件或文件夹（.docx .pdf .ofd .html .txt .md；有 LibreOffice 时还可 .doc .wps .rtf）")
    p.add_argument("--full", action="store_true", help="全部重建")
    _common(p)

    p = sub.add_parser("search", help="检索条款")
    p.add_argument("query", nargs="+", help="检索词；\"引号\" 表示精确短语，-词 表示排除")
    p.add_argument("--limit", type=int, default=20, help="最多显示条数（默认 20）")
    p.add_argument("--offset", type=int, default=0, metavar="N", help="跳过排在前面的 N 条（翻页；默认 0）")
    p.add_argument("--json", action="store_true", help="输出 JSON")
    p.add_argument("--facets", action="store_true", help="同时给出分面计数（文件、类型、部门、年份、有无指标）")
    p.add_argument("--all-versions", action="store_true", help="包括法规的旧版本（默认只检索现行版本）")
    _common(p)

    p = sub.add_parser("clauses", help="列出条款（每行一个 JSON 对象，或表格）")
    p.add_argument("--doc", metavar="ID", help="只列出该文件的条款")
    p.add_argument("--json", action="store_true", help="输出 JSON Lines")
    _common(p)

    p = sub.add_parser("show", help="显示一个条款")
    p.add_argument("clause_id", metavar="CLAUSE_ID")
    p.add_argument("--json", action="store_true", help="输出 JSON")
    _common(p)
    p = sub.add_parser("related", help="法条联想：与条款最相关的其他法规条文及其引用的文件")
    p.add_argument("clause_id", metavar="CLAUSE_ID")
    p.add_argument("--limit", type=int, default=10, help="最多显示条数（默认 10）")
    p.add_argument("--json", action="store_true", help="输出 JSON")
    _common(p)

    p = sub.add_parser("indicators", help="列出全部量化指标（含条款编号与路径）")
    fmt = p.add_mutually_exclusive_group()
    fmt.add_argument("--json", action="store_true", help="输出 JSON")
    fmt.add_argument("--csv", action="store_true", help="输出 CSV（UTF-8 带 BOM，可直接用 Excel 打开）")
    _common(p)

    p = sub.add_parser("departments", help="按部门列出牵头、配合和提及的条款")
    p.add_argument("name", nargs="?", help="部门名称或简称，如 市水务局、市发改委")
    p.add_argument("--json", action="store_true", help="输出 JSON")
    _common(p)

    p = sub.add_parser("import-tasks", help="导入任务分工表（.xlsx 或 .csv），把牵头/配合单位和完成时限关联到条款")
    p.add_argument("file", type=Path, metavar="FILE")
    _common(p)

    p = sub.add_parser("set-links", help="手工设置条款的牵头/配合单位和完成时限（保存在用户数据中，重建索引不丢失）")
    p.add_argument("clause_id", metavar="CLAUSE_ID")
    p.add_argument("--lead", help="牵头单位，多个用顿号或逗号分隔")
    p.add_argument("--support", help="配合单位，多个用顿号或逗号分隔")
    p.add_argument("--deadline", help="完成时限，如 2028、2028-06-30、2026年6月底前")
    p.add_argument("--clear", action="store_true", help="清除手工设置")
    _common(p)

    p = sub.add_parser("export", help="导出条款摘编：Word（公文格式）、PDF、Markdown、网页或 Excel 任务分工表")
    p.add_argument("--format", choices=("docx", "pdf", "md", "html", "xlsx"), help="导出格式（默认按 --out 的扩展名）")
    p.add_argument("--out", required=True, type=Path, metavar="FILE", help="目标文件；文件名会按 Windows 规则整理")
    scope = p.add_mutually_exclusive_group(required=True)
    scope.add_argument("--query", metavar="Q", help="导出一次检索的全部结果")
    scope.add_argument("--clauses", nargs="+", metavar="ID", help="导出指定条款")
    scope.add_argument("--doc", metavar="DOC_ID", help="导出一个文件的全部条款")
    scope.add_argument("--tasks", nargs="?", const="", metavar="JSON",
                       help="导出任务（JSON 文件：[{clause_id, status, due, note, tags}]）")
    scope.add_argument("--indicators", action="store_true", help="导出含量化指标的条款")
    scope.add_argument("--department", metavar="NAME", help="导出某部门牵头/配合的条款")
    p.add_argument("--role", choices=("lead", "support", "both"), default="both",
                   help="与 --department 同用：lead 只导出牵头，support 只导出配合（默认两者）")
    p.add_argument("--title", help="文档标题（默认按导出范围生成）")
    p.add_argument("--plain", action="store_true", help="普通版式（不用公文版式）")
    p.add_argument("--excerpt", action="store_true", help="只导出检索命中处附近的摘录，而非条款全文")
    p.add_argument("--overwrite", action="store_true", help="覆盖已存在的文件（默认另存为“文件名(2)”）")
    _common(p)
    cli_tasks.add_parsers(sub, _common)
    cli_sources.add_parsers(sub, _common)
    return parser


def wants_gui(argv: Sequence[str]) -> bool:
    """No subcommand (only options such as --data-dir) opens the desktop app."""
    if any(a in ("-h", "--help", "--version") for a in argv):
        return False
    return not any(a in COMMANDS for a in argv)


def gui_options(argv: Sequence[str]) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="policydesk")
    _common(p, top=True)
    ns, _ = p.parse_known_args(list(argv))
    return ns


class TerminalProgress:
    """A one-line progress bar on stderr when it is a terminal; periodic lines otherwise."""

    def __init__(self, stream: TextIO = sys.stderr) -> None:
        self.stream = stream
        self.tty = stream.isatty()
        self.last = 0.0
        self.message = ""

    def __call__(self, done: int, total: int, message: str) -> None:
        now = time.monotonic()
        if now - self.last < (0.1 if self.tty else 5.0) and message == self.message and done < total:
            return
        self.last, self.message = now, message
        frac = done / total if total else 0.0
        if self.tty:
            bar = "█" * int(frac * 30) + "░" * (30 - int(frac * 30))
            self.stream.write(f"\r{bar} {frac:6.1%} {message:<30}")
        else:
            self.stream.write(f"{frac:6.1%} {message}\n")
        self.stream.flush()

    def finish(self) -> None:
        if self.tty:
            self.stream.write("\n")
            self.stream.flush()


def print_report(r: IndexReport) -> None:
    kind = "全部重建" if r.full_rebuild else "增量更新"
    print(f"{kind}完成：{r.documents} 个文件，{r.clauses} 个条款；新增 {r.added}，更新 {r.updated}，"
          f"删除 {r.removed}，未变 {r.unchanged}；用时 {r.seconds:.1f} 秒。")
    names = {"read": "读取分析", "save": "保存条款", "index": "建立索引"}
    if r.phases:
        print("  " + "，".join(f"{names.get(k, k)} {v:.1f} 秒" for k, v in r.phases), file=sys.stderr)
    cli_sources.print_file_report(r)


def _ensure_index(lib: Library) -> None:
    if lib.needs_index():
        print("首次使用，正在建立索引…", file=sys.stderr)
        bar = TerminalProgress()
        lib.index(progress=bar)
        bar.finish()


def _emit(obj: Any) -> None:
    print(json.dumps(obj, ensure_ascii=False))


def cmd_index(lib: Library, args: argparse.Namespace) -> int:
    bar = TerminalProgress()
    report = lib.index(args.paths, full=args.full, progress=bar)
    bar.finish()
    print_report(report)
    return 0


def cmd_search(lib: Library, args: argparse.Namespace) -> int:
    _ensure_index(lib)
    offset = max(0, args.offset)
    res = lib.search(" ".join(args.query), limit=max(1, min(args.limit, 1000)), offset=offset, facets=args.facets,
                     all_versions=args.all_versions)
    if args.json:
        _emit(res.to_json())
        return 0
    for n in res.notices:
        print(n, file=sys.stderr)
    if res.suggestions:
        print(f"您是不是要找：{'、'.join(res.suggestions)}", file=sys.stderr)
    first = res.offset + 1
    if res.hits:
        print(f"共 {res.total} 条结果，显示第 {first}–{res.offset + len(res.hits)} 条（{res.elapsed_ms:.0f} 毫秒）")
    elif res.total and res.offset >= res.total:
        print(f"共 {res.total} 条结果，从第 {first} 条起没有更多结果（{res.elapsed_ms:.0f} 毫秒）")
    else:
        print(f"共 {res.total} 条结果（{res.elapsed_ms:.0f} 毫秒）")
    for name, counts in (res.facets or {}).items():
        top = "，".join(f"{k} {v}" for k, v in list(counts.items())[:8])
        print(f"  {FACET_LABELS.get(name, name)}：{top}")
    for i, h in enumerate(res.hits, first):
        plain = h.snippet.replace("<mark>", "【").replace("</mark>", "】")
        print(f"{i:>3}. {h.doc_title} › {' › '.join(h.path)}  [{h.id}]")
        print(f"     {html.unescape(plain)}")
    after = res.offset + len(res.hits)
    if res.hits and res.total > after:
        print(f"还有 {res.total - after} 条：加 --offset {after} 查看")
    return 0


def cmd_clauses(lib: Library, args: argparse.Namespace) -> int:
    _ensure_index(lib)
    docs = {d.id: d for d in lib.documents()}
    links = lib.links() if args.json else {}
    for c in lib.clauses(args.doc):
        if args.json:
            _emit(lib.clause_json(c, docs[c.doc_id], links.get(c.id, ClauseLinks())))
        else:
            print(f"{c.id}\t{c.level}\t{' › '.join(c.path)}")
    return 0


def cmd_show(lib: Library, args: argparse.Namespace) -> int:
    _ensure_index(lib)
    c = lib.clause(args.clause_id)
    doc = lib.document(c.doc_id)
    if args.json:
        _emit(lib.clause_json(c, doc))
        return 0
    print(f"《{doc.title}》 {' '.join(c.path)}")
    print()
    print(c.full_text)
    return 0


INDICATOR_COLUMNS = ("clause", "path", "name", "value", "unit", "comparator", "deadline", "qualitative", "quote")


def cmd_indicators(lib: Library, args: argparse.Namespace) -> int:
    _ensure_index(lib)
    rows = lib.indicator_rows()
    if args.json:
        _emit(rows)
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


def cmd_departments(lib: Library, args: argparse.Namespace) -> int:
    _ensure_index(lib)
    data = lib.department_clauses(args.name)
    if args.json:
        _emit(data)
        return 0
    for dept in data:
        print(f"{dept['name']}：牵头 {len(dept['lead'])}，配合 {len(dept['support'])}，提及 {len(dept['mentioned'])}")
        if args.name:
            for role, label in (("lead", "牵头"), ("support", "配合"), ("mentioned", "提及")):
                for item in dept[role]:
                    print(f"  [{label}·{SOURCE_LABELS.get(item['source'], item['source'])}] {item['id']}")
    return 0


def cmd_related(lib: Library, args: argparse.Namespace) -> int:
    _ensure_index(lib)
    data = lib.related(args.clause_id, limit=max(1, min(args.limit, 100)))
    if args.json:
        _emit(data)
        return 0
    for cite in data["citations"]:
        print(f"引用：{cite['text']} → {cite['doc_id'] or '（文库中没有）'}")
    for i, r in enumerate(data["related"], 1):
        print(f"{i:>3}. {r['doc_title']} › {' › '.join(r['path'])}  [{r['id']}]")
        print(f"     相关词：{r['why']}")
    return 0


def cmd_import_tasks(lib: Library, args: argparse.Namespace) -> int:
    _ensure_index(lib)
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
    _ensure_index(lib)
    if args.clear:
        links = lib.set_links(args.clause_id)
    else:
        links = lib.set_links(args.clause_id, lead=_names(args.lead), support=_names(args.support),
                              deadline=args.deadline)
    _emit(links.to_json())
    return 0


def _tasks_from(raw: str, lib: Library) -> list[dict[str, Any]]:
    """Tasks for `export --tasks`: a JSON file, or (without one) the library's own task list if it has one."""
    if raw:
        try:
            data = json.loads(Path(raw).read_text(encoding="utf-8-sig"))
        except (OSError, ValueError) as exc:
            raise PolicyDeskError(f"无法读取任务文件：{raw}（应为 JSON 数组）") from exc
    else:
        source = getattr(lib, "tasks", None)
        if source is None:
            raise PolicyDeskError("尚无任务数据；请用 --tasks FILE.json 指定任务列表。")
        data = source()
        if not data:
            raise PolicyDeskError("尚无任务可导出：请先收藏条款（policydesk task add CLAUSE_ID，或在“我的任务”中添加）。")
    if not isinstance(data, list) or not all(isinstance(t, dict) for t in data):
        raise PolicyDeskError("任务文件应为 JSON 数组，每项含 clause_id，可选 status、due、note、tags。")
    return data


def cmd_export(lib: Library, args: argparse.Namespace) -> int:
    from app.core.export import ExportOptions, Scope

    _ensure_index(lib)
    title = args.title or ""
    if args.query is not None:
        scope = Scope.of_query(args.query, title)
    elif args.clauses:
        scope = Scope.of_clauses(args.clauses, title)
    elif args.doc is not None:
        scope = Scope.of_document(args.doc, title)
    elif args.tasks is not None:
        scope = Scope.of_tasks(_tasks_from(args.tasks, lib), title)
    elif args.indicators:
        scope = Scope.of_indicators(title)
    else:
        roles = ("lead", "support") if args.role == "both" else (args.role,)
        scope = Scope.of_department(args.department, roles, title)
    options = ExportOptions(layout="plain" if args.plain else "gongwen", excerpt=args.excerpt)
    bar = TerminalProgress()
    result = lib.export(scope, args.out, fmt=args.format, options=options, overwrite=args.overwrite, progress=bar)
    bar.finish()
    for notice in result.notices:
        print(notice, file=sys.stderr)
    pages = f"，{result.pages} 页" if result.pages else ""
    print(f"已导出 {result.count} 条{pages}：{result.path}")
    return 0


FACET_LABELS = {"doc": "文件", "kind": "类型", "department": "部门", "year": "年份", "has_indicator": "有指标"}
METHOD_LABELS = {"id": "条款编号", "number": "编号", "heading": "任务标题", "text": "文字相似度"}
SOURCE_LABELS = {"explicit": "原文", "table": "分工表", "inferred": "推断", "user": "手工"}

HANDLERS = {
    "index": cmd_index, "search": cmd_search, "clauses": cmd_clauses, "show": cmd_show, "related": cmd_related,
    "indicators": cmd_indicators, "departments": cmd_departments, "import-tasks": cmd_import_tasks,
    "set-links": cmd_set_links, "export": cmd_export, **cli_tasks.HANDLERS, **cli_sources.HANDLERS,
}


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not args.command:
        parser.print_help()
        return 2
    try:
        lib = Library(AppPaths.resolve(args.data_dir))
        try:
            return HANDLERS[args.command](lib, args)
        finally:
            lib.close()
    except Cancelled:
        print("已取消。", file=sys.stderr)
        return 130
    except KeyboardInterrupt:
        print("\n已中断。", file=sys.stderr)
        return 130
    except PolicyDeskError as exc:
        print(f"错误：{exc.message}", file=sys.stderr)
        return 1
    except BrokenPipeError:
        return 0
    except Exception as exc:  # a bug: the user gets a sentence and the log file, not a traceback
        where = _log_crash(args, exc)
        print(f"内部错误：{type(exc).__name__}。操作未完成，已保存的数据不受影响。详情已写入 {where}", file=sys.stderr)
        return 70


def _log_crash(args: argparse.Namespace, exc: BaseException) -> str:
    import traceback

    try:
        logs = AppPaths.resolve(args.data_dir).ensure().logs
        path = logs / "cli-errors.log"
        with open(path, "a", encoding="utf-8") as f:
            f.write(f"--- {time.strftime('%Y-%m-%d %H:%M:%S')} policydesk {args.command}\n")
            f.write("".join(traceback.format_exception(exc)))
        return str(path)
    except OSError:
        traceback.print_exception(exc)
        return "（无法写入日志，已输出到终端）"
