"""`policydesk index`, `search`, `clauses`, `show` and `related`: building the library and reading it."""

from __future__ import annotations

import argparse
import html
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from app.cli.argparse_zh import _integer
from app.cli.common import TerminalProgress, emit, ensure_index
from app.cli.sources import print_report
from app.core.library import Library
from app.core.links.service import ClauseLinks

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


def add_parsers(sub: Any, common: Callable[[argparse.ArgumentParser], None]) -> None:
    p = sub.add_parser("index", help="建立或更新索引（内置语料及添加的文件夹/文件）")
    p.add_argument("paths", nargs="*", type=Path, metavar="PATH",
                   help="要加入文库的文件或文件夹（.docx .pdf .ofd .html .txt .md；有 LibreOffice 时还可 .doc .wps .rtf）")
    p.add_argument("--full", action="store_true", help="全部重建")
    common(p)

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
    common(p)

    p = sub.add_parser("clauses", help="列出条款（每行一个 JSON 对象，或表格）")
    p.add_argument("--doc", metavar="ID", help="只列出该文件的条款")
    p.add_argument("--json", action="store_true", help="输出 JSON Lines")
    common(p)

    p = sub.add_parser("show", help="显示一个条款")
    p.add_argument("clause_id", metavar="CLAUSE_ID")
    p.add_argument("--json", action="store_true", help="输出 JSON")
    common(p)
    p = sub.add_parser("related", help="法条联想：与条款最相关的其他法规条文及其引用的文件")
    p.add_argument("clause_id", metavar="CLAUSE_ID")
    p.add_argument("--limit", type=_integer, default=10, metavar="N", help="最多显示 N 条（默认 10）")
    p.add_argument("--json", action="store_true", help="输出 JSON")
    common(p)


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
    ensure_index(lib)
    offset = max(0, args.offset)
    res = lib.search(query, limit=max(1, min(args.limit, 1000)), offset=offset, facets=args.facets,
                     all_versions=args.all_versions)
    if args.json:
        emit(res.to_json())
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
    ensure_index(lib)
    docs = {d.id: d for d in lib.documents()}
    links = lib.links() if args.json else {}
    for c in lib.clauses(args.doc):
        if args.json:
            emit(lib.clause_json(c, docs[c.doc_id], links.get(c.id, ClauseLinks())))
        else:
            print(f"{c.id}\t{c.level}\t{' › '.join(c.path)}")
    return 0


def cmd_show(lib: Library, args: argparse.Namespace) -> int:
    ensure_index(lib)
    c = lib.clause(args.clause_id)
    doc = lib.document(c.doc_id)
    if args.json:
        emit(lib.clause_json(c, doc))
        return 0
    print(f"《{doc.title}》 {' '.join(c.path)}")
    print()
    print(c.full_text)
    return 0


def cmd_related(lib: Library, args: argparse.Namespace) -> int:
    ensure_index(lib)
    data = lib.related(args.clause_id, limit=max(1, min(args.limit, 100)))
    if args.json:
        emit(data)
        return 0
    for cite in data["citations"]:
        print(f"引用：{cite['text']} → {cite['doc_id'] or '（文库中没有）'}")
    for i, r in enumerate(data["related"], 1):
        print(f"{i:>3}. {r['doc_title']} › {' › '.join(r['path'])}  [{r['id']}]")
        print(f"     相关词：{r['why']}")
    return 0


FACET_LABELS = {"doc": "文件", "kind": "类型", "department": "部门", "year": "年份", "has_indicator": "有指标"}

HANDLERS = {"index": cmd_index, "search": cmd_search, "clauses": cmd_clauses, "show": cmd_show, "related": cmd_related}
