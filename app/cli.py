"""The command line: a thin shell over `app.core.library.Library`. Output on stdout, messages on stderr."""

from __future__ import annotations

import argparse
import difflib
import errno
import html
import json
import os
import re
import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any, TextIO

from app import __version__, cli_comments, cli_compare, cli_sources, cli_tasks
from app.core.errors import Cancelled, PolicyDeskError
from app.core.library import Library
from app.core.links.service import ClauseLinks
from app.core.models import IndexReport
from app.core.paths import AppPaths

COMMANDS = ("index", "search", "clauses", "show", "related", "indicators", "departments", "import-tasks",
            "set-links", "export", "tasks", "task", "sources", "comments", "comment", "compare", "versions")
GUI_COMMAND = "gui"  # explicit "open the desktop app" (also what no arguments at all do)
ALL_VERSIONS_HELP = "包括旧版本和已废止文件的条款（默认与检索一样只列出现行版本）"

# argparse builds its messages with gettext's `_()` (and `ngettext`): these are its English texts that a user
# can meet (help, usage, parse errors), in Chinese. Installed only while our parsers build help or parse.
ARGPARSE_ZH = {
    "usage: ": "用法：",
    "positional arguments": "参数",
    "options": "选项",
    "optional arguments": "选项",
    "subcommands": "命令",
    "show this help message and exit": "显示本帮助并退出",
    "show program's version number and exit": "显示版本号并退出",
    "argument %(argument_name)s: %(message)s": "参数 %(argument_name)s：%(message)s",
    "unrecognized arguments: %s": "无法识别的参数：%s",
    "not allowed with argument %s": "不能与参数 %s 同时使用",
    "ignored explicit argument %r": "该选项不接受取值：%r",
    "the following arguments are required: %s": "缺少必需的参数：%s",
    "one of the arguments %s is required": "必须给出以下参数之一：%s",
    "expected one argument": "需要一个取值",
    "expected at most one argument": "最多接受一个取值",
    "expected at least one argument": "至少需要一个取值",
    "expected %s argument": "需要 %s 个取值",
    "expected %s arguments": "需要 %s 个取值",
    "ambiguous option: %(option)s could match %(matches)s": "选项有歧义：%(option)s 可以是 %(matches)s",
    "unexpected option string: %s": "意外的选项：%s",
    "invalid %(type)s value: %(value)r": "%(value)r 不是有效的%(type)s",
    "invalid choice: %(value)r (choose from %(choices)s)": "无效的取值：%(value)r（可选：%(choices)s）",
    "%(prog)s: error: %(message)s\n": "%(prog)s：错误：%(message)s\n",
    "cannot have multiple subparser arguments": "不能有多个子命令",
}


def _zh(message: str) -> str:
    return ARGPARSE_ZH.get(message, message)


def _nzh(singular: str, plural: str, n: int) -> str:
    return _zh(singular if n == 1 else plural)


@contextmanager
def _chinese_argparse() -> Iterator[None]:
    """argparse's own texts in Chinese for the duration (nested uses are fine)."""
    module: Any = argparse
    saved = module._, module.ngettext
    module._, module.ngettext = _zh, _nzh
    try:
        yield
    finally:
        module._, module.ngettext = saved


def _integer(text: str) -> int:
    return int(text)


_integer.__name__ = "整数"  # argparse names the type in its message: “'x' 不是有效的整数”


class ChineseArgumentParser(argparse.ArgumentParser):
    """An ArgumentParser that speaks Chinese: its help, usage and errors, and a close-match hint for a
    mistyped command or option (difflib). Subparsers inherit the class."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        with _chinese_argparse():
            super().__init__(*args, **kwargs)

    def add_argument(self, *args: Any, **kwargs: Any) -> argparse.Action:
        with _chinese_argparse():
            return super().add_argument(*args, **kwargs)

    def add_subparsers(self, **kwargs: Any) -> Any:
        with _chinese_argparse():
            return super().add_subparsers(**kwargs)

    def format_usage(self) -> str:
        with _chinese_argparse():
            return super().format_usage()

    def format_help(self) -> str:
        with _chinese_argparse():
            text = super().format_help()
        # argparse ends section titles with an ASCII colon: the Chinese titles get a full-width one.
        return re.sub(r"^(参数|选项|命令):$", r"\1：", text, flags=re.MULTILINE)

    def parse_known_args(self, args: Any = None, namespace: Any = None) -> Any:
        with _chinese_argparse():
            return super().parse_known_args(args, namespace)

    def parse_args(self, args: Any = None, namespace: Any = None) -> Any:
        ns, extras = self.parse_known_args(args, namespace)
        if extras:
            parser = self._innermost(ns)
            msg = f"无法识别的参数：{' '.join(extras)}"
            options = sorted(parser._all_option_strings())
            close = next((m for e in extras if e.startswith("-")
                          for m in difflib.get_close_matches(e.split("=", 1)[0], options, n=1, cutoff=0.6)), None)
            if close:
                msg += f"。您是不是要用 {close}？"
            elif any(not e.startswith("-") for e in extras):
                msg += "（多余的参数）。含空格的编号、路径或名称请整体加引号。"
            parser.error(msg)
        return ns

    def _innermost(self, ns: argparse.Namespace) -> ChineseArgumentParser:
        """The (sub)parser of the command that was given, e.g. `policydesk task add`'s."""
        parser = self
        while True:
            action = next((a for a in parser._actions if isinstance(a, argparse._SubParsersAction)), None)
            chosen = None if action is None or action.choices is None else \
                action.choices.get(getattr(ns, action.dest or "", None) or "")
            if not isinstance(chosen, ChineseArgumentParser):
                return parser
            parser = chosen

    def _all_option_strings(self) -> set[str]:
        out: set[str] = set()
        for action in self._actions:
            out.update(action.option_strings)
            if isinstance(action, argparse._SubParsersAction):
                for parser in action.choices.values():
                    if isinstance(parser, ChineseArgumentParser):
                        out |= parser._all_option_strings()
        return out

    def _check_value(self, action: argparse.Action, value: Any) -> None:
        choices = action.choices
        if choices is None or value in choices:
            return
        names = [str(c) for c in choices]
        close = difflib.get_close_matches(str(value), names, n=1, cutoff=0.5)
        if isinstance(action, argparse._SubParsersAction):
            msg = f"没有“{value}”这个命令。"
            if close:
                msg += f"您是不是要用：{self.prog} {close[0]}？"
            elif self.prog == "policydesk" and not str(value).isascii():
                msg += f"如要检索，请用：policydesk search {value}"
            shown = [n for n in names if n != GUI_COMMAND]
            msg += f"\n可用的命令：{'、'.join(shown)}"
            raise argparse.ArgumentError(None, msg)
        msg = f"无效的取值：{value}（可选：{'、'.join(names)}）"
        if close:
            msg += f"。您是不是要用 {close[0]}？"
        raise argparse.ArgumentError(action, msg)

    def error(self, message: str) -> Any:  # argparse's signature is NoReturn
        self.print_usage(sys.stderr)
        self.exit(2, f"错误：{message}\n查看帮助：{self.prog} --help\n")


def _common(p: argparse.ArgumentParser, *, top: bool = False) -> None:
    # On subcommands the default is SUPPRESS, so `policydesk --data-dir X search …` keeps X.
    p.add_argument("--data-dir", metavar="DIR", default=None if top else argparse.SUPPRESS,
                   help="数据目录（默认：$POLICYDESK_HOME 或系统用户数据目录）")


SEARCH_EPILOG = """\
检索语法：
  碳达峰 新能源            几个词：同时含有各词的条款排在前面，只含部分词的排在后面
  光伏 OR 风电             OR（大写）：含有任一侧即可
  '"无废城市"'             引号：精确短语（在命令行里外面再加一层单引号）
  '垃圾 -危险废物'         减号：排除含有该词的条款（与其他词一起加引号，或放在 -- 之后）

筛选条件（可与检索词组合，冒号用半角或全角均可）：
  部门:市水务局            该部门牵头、配合或提及的条款（简称可用，如 部门:市发改委）
  年份:2030                完成时限或目标年份为 2030 的条款
  文件:大气污染防治条例    只在标题含该文字的文件中检索
  类型:法律                文件类型：规划、法律、行政法规、地方性法规、部门规章、司法解释、其他
  有指标:是                只要含量化指标的条款（有指标:否 则相反）

翻页：默认显示前 20 条；--limit 50 每页 50 条，--offset 20 跳过前 20 条（看第 21 条起）。

示例：
  policydesk search 碳达峰
  policydesk search 碳排放 --limit 10 --offset 10
  policydesk search 光伏 OR 风电 部门:市发改委
  policydesk search 水环境 年份:2030 有指标:是
  policydesk search '"无废城市" -危险废物' 类型:规划
  policydesk search 双控制度 --json
"""

MAIN_EPILOG = """\
不带命令时打开桌面程序（也可用 policydesk gui）。
示例：
  policydesk search 碳达峰            检索条款
  policydesk search --help            检索语法与筛选条件
  policydesk show 条款编号            显示一个条款
各命令的说明：policydesk 命令 --help
"""


def build_parser() -> argparse.ArgumentParser:
    parser = ChineseArgumentParser(prog="policydesk", description="政策案头 PolicyDesk：规划与法规条款检索",
                                   epilog=MAIN_EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--version", action="version", version=f"PolicyDesk {__version__}", help="显示版本号并退出")
    _common(parser, top=True)
    sub = parser.add_subparsers(dest="command", metavar="命令")

    p = sub.add_parser(GUI_COMMAND, help="打开桌面程序（不带命令时的默认行为）")
    _common(p)

    p = sub.add_parser("index", help="建立或更新索引（内置语料及添加的文件夹/文件）")
    p.add_argument("paths", nargs="*", type=Path, metavar="PATH",
                   help="要加入文库的文件或文件夹（.docx .pdf .ofd .html .txt .md；有 LibreOffice 时还可 .doc .wps .rtf）")
    p.add_argument("--full", action="store_true", help="全部重建")
    _common(p)

    p = sub.add_parser("search", help="检索条款（语法与筛选条件见 policydesk search --help）",
                       description="检索条款：按相关程度排序，每条给出所在文件、条款路径与条款编号。",
                       epilog=SEARCH_EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("query", nargs="+", metavar="检索词",
                   help="检索词与筛选条件；\"引号\" 表示精确短语，-词 表示排除，A OR B 表示任一（见下文）")
    p.add_argument("--limit", type=_integer, default=20, metavar="N", help="每页最多显示 N 条（默认 20）")
    p.add_argument("--offset", type=_integer, default=0, metavar="N", help="跳过排在前面的 N 条（翻页；默认 0）")
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
    p.add_argument("--limit", type=_integer, default=10, metavar="N", help="最多显示 N 条（默认 10）")
    p.add_argument("--json", action="store_true", help="输出 JSON")
    _common(p)

    p = sub.add_parser("indicators", help="列出全部量化指标（含条款编号与路径）")
    fmt = p.add_mutually_exclusive_group()
    fmt.add_argument("--json", action="store_true", help="输出 JSON")
    fmt.add_argument("--csv", action="store_true", help="输出 CSV（UTF-8 带 BOM，可直接用 Excel 打开）")
    p.add_argument("--all-versions", action="store_true", help=ALL_VERSIONS_HELP)
    _common(p)

    p = sub.add_parser("departments", help="按部门列出牵头、配合和提及的条款")
    p.add_argument("name", nargs="?", help="部门名称或简称，如 市水务局、市发改委")
    p.add_argument("--json", action="store_true", help="输出 JSON")
    p.add_argument("--all-versions", action="store_true", help=ALL_VERSIONS_HELP)
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
    scope = p.add_mutually_exclusive_group()  # one is required: checked by cli_comments.check_args
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
    cli_comments.add_export_options(p)
    _common(p)
    cli_tasks.add_parsers(sub, _common)
    cli_comments.add_parsers(sub, _common)
    cli_sources.add_parsers(sub, _common)
    cli_compare.add_parsers(sub, _common)
    return parser


def wants_gui(argv: Sequence[str]) -> bool:
    """The desktop app opens for no arguments, options such as --data-dir only, or `gui` (with those options).
    Anything else — a command, a typo, a stray word — is the CLI's to run or to refuse."""
    rest: list[str] = []
    i = 0
    while i < len(argv):
        a = argv[i]
        if a == "--data-dir" and i + 1 < len(argv):
            i += 2
            continue
        if not a.startswith("--data-dir="):
            rest.append(a)
        i += 1
    return rest in ([], [GUI_COMMAND])


def gui_options(argv: Sequence[str]) -> argparse.Namespace:
    p = ChineseArgumentParser(prog="policydesk")
    _common(p, top=True)
    ns, _ = p.parse_known_args(list(argv))
    return argparse.Namespace(data_dir=ns.data_dir)


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


EMPTY_QUERY = ("请输入检索词，例如：policydesk search 碳达峰\n"
               "也可加筛选条件（部门:市水务局 年份:2030 类型:法律 有指标:是）、\"引号\"（精确短语）、"
               "-词（排除）、A OR B（任一）；详见 policydesk search --help")


def cmd_search(lib: Library, args: argparse.Namespace) -> int:
    query = " ".join(args.query)
    if not query.strip():
        print(EMPTY_QUERY, file=sys.stderr)
        return 2
    _ensure_index(lib)
    offset = max(0, args.offset)
    res = lib.search(query, limit=max(1, min(args.limit, 1000)), offset=offset, facets=args.facets,
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
    rows = lib.indicator_rows(all_versions=args.all_versions)
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
    _ensure_index(lib)
    data = lib.department_clauses(args.name, all_versions=args.all_versions)
    if args.json:
        _emit(data)
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


EXPORT_FORMATS = "docx、pdf、md、html、xlsx"


def check_export_target(out: Path, fmt: str | None) -> None:
    """Refuse `--out` before anything is built: a folder instead of a file, no suffix and no --format, a folder
    that is missing (or a drive that is not there) or that cannot be written, each with its real cause."""
    target = out.expanduser()
    if target.is_dir():
        raise PolicyDeskError(f"--out 指向一个已有的文件夹：{out}。请在后面加上文件名，"
                              f"例如 --out {out / '条款摘编.docx'}")
    if not fmt and not target.suffix:
        raise PolicyDeskError(f"--out 的文件名没有扩展名：{out}。请加上扩展名（如 {out}.docx），"
                              f"或用 --format 指定格式（{EXPORT_FORMATS}）。")
    folder = target.parent
    try:
        st = os.stat(folder)
    except (FileNotFoundError, NotADirectoryError):
        raise PolicyDeskError(_missing_folder(folder)) from None
    except OSError as exc:
        raise PolicyDeskError(_write_cause(exc, folder)) from None
    import stat as stat_

    if not stat_.S_ISDIR(st.st_mode):
        raise PolicyDeskError(f"目标位置不是文件夹：{folder}（是一个文件）。请换一个保存位置。")
    probe = folder / f".policydesk-write-test-{os.getpid()}"
    try:
        fd = os.open(probe, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return
    except OSError as exc:
        raise PolicyDeskError(_write_cause(exc, folder)) from None
    os.close(fd)
    with suppress(OSError):
        os.unlink(probe)


def _missing_folder(folder: Path) -> str:
    """Which part of the path is missing: the drive itself, or a folder below the nearest one that exists."""
    absolute = folder.absolute()
    if absolute.anchor and not os.path.exists(absolute.anchor):
        drive = absolute.drive or absolute.anchor
        return (f"找不到驱动器 {drive}：无法保存到 {folder}。U 盘、移动硬盘或网络盘可能未连接，"
                "请连接后重试，或换一个保存位置。")
    nearest = absolute
    while not nearest.exists() and nearest != nearest.parent:
        nearest = nearest.parent
    if nearest.exists() and not nearest.is_dir():
        return f"目标文件夹不存在：{folder}（{nearest} 是一个文件，不是文件夹）。请换一个保存位置。"
    return (f"目标文件夹不存在：{folder}（{nearest} 中没有“{absolute.relative_to(nearest).parts[0]}”）。"
            "请先创建该文件夹，或换一个保存位置。")


def _write_cause(exc: OSError, folder: Path) -> str:
    if isinstance(exc, PermissionError) or exc.errno in (errno.EACCES, errno.EPERM):
        return f"没有写入权限：{folder}。请保存到自己有权限的文件夹（如“文档”或桌面），或请管理员开放权限。"
    if exc.errno == errno.EROFS:
        return f"目标文件夹在只读的磁盘上：{folder}（如写保护的 U 盘、光盘）。请换一个保存位置。"
    if exc.errno == errno.ENOSPC:
        return f"磁盘空间已满，无法保存到：{folder}。请清理空间或换一个保存位置。"
    if exc.errno in (errno.ENOENT, errno.ENODEV, errno.ENXIO, errno.EIO):
        return f"目标文件夹无法访问：{folder}（U 盘或网络盘可能已断开）。请检查后重试。"
    code = errno.errorcode.get(exc.errno or 0, str(exc.errno))
    return f"无法写入目标文件夹：{folder}（系统错误 {code}）。请换一个保存位置。"


def cmd_export(lib: Library, args: argparse.Namespace) -> int:
    from app.core.export import ExportOptions, Scope

    check_export_target(args.out, args.format)
    _ensure_index(lib)
    if args.comments:
        return cli_comments.cmd_export_comments(lib, args)
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
    **cli_comments.HANDLERS, **cli_compare.HANDLERS,
}


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    cli_comments.check_args(parser, args)
    if not args.command:
        parser.print_help()
        return 2
    if args.command == GUI_COMMAND:
        from app.__main__ import open_gui  # the CLI module itself does not import the Qt layer

        return open_gui(args)
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
