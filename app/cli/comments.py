"""`policydesk comments …`, `policydesk comment …` and `policydesk export --comments`: opinions on the clauses of
a 征求意见稿 and the 意见反馈表, from the command line."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from typing import Any

from app.cli.common import TerminalProgress, ensure_index
from app.core.comments import ClauseIndex
from app.core.errors import PolicyDeskError
from app.core.library import Library
from app.core.userdata import COMMENT_KIND_LABELS, Comment

KINDS = tuple(COMMENT_KIND_LABELS.values())
SCOPES = ("query", "clauses", "doc", "tasks", "indicators", "department")
SCOPE_OPTIONS = "--query --clauses --doc --tasks --indicators --department --comments"


def _comment_fields(p: argparse.ArgumentParser, *, adding: bool) -> None:
    p.add_argument("--opinion", metavar="TEXT",
                   help="修改意见：建议的表述或做法（“\\n”表示换行）" + ("；意见类型为“删除”时可省略" if adding else ""))
    p.add_argument("--reason", metavar="TEXT", help="修改理由（依据）")
    p.add_argument("--kind", choices=KINDS, default="修改" if adding else None,
                   help="意见类型：" + "/".join(KINDS) + ("（默认：修改）" if adding else ""))
    p.add_argument("--quote", metavar="TEXT", help="针对条款中的一段原文（须是条款原文的一部分）；不给则针对整条"
                   + ("" if adding else "；--quote '' 改为针对整条"))
    p.add_argument("--cite", nargs="+", metavar="CLAUSE_ID", help="理由所依据的条款（条款编号，可多个）"
                   + ("" if adding else "；--cite '' 清除"))
    p.add_argument("--unit", help="提出单位（默认取 comment defaults 的设置，或“我的部门”）")
    p.add_argument("--contact", help="联系人（默认取 comment defaults 的设置）")
    p.add_argument("--phone", help="联系电话（默认取 comment defaults 的设置）")
    p.add_argument("--json", action="store_true", help="输出意见的 JSON（默认输出一句确认）")


def add_parsers(sub: Any, common: Callable[[argparse.ArgumentParser], None]) -> None:
    p = sub.add_parser("comments", help="列出对条款提出的意见（征求意见稿的修改意见）")
    p.add_argument("--doc", metavar="DOC_ID", help="只列出该文件的意见")
    p.add_argument("--clause", metavar="CLAUSE_ID", help="只列出该条款的意见")
    p.add_argument("--kind", choices=KINDS, help="只列出该类型的意见：" + "/".join(KINDS))
    p.add_argument("--text", help="只列出意见、理由或原文中含有该文字的意见")
    p.add_argument("--deleted", action="store_true", help="列出已删除的意见（回收站）")
    p.add_argument("--json", action="store_true", help="输出 JSON")
    common(p)

    p = sub.add_parser("comment", help="对条款提出意见（add），修改（edit）、删除（delete）、恢复（restore），"
                                       "设置默认的提出单位和联系人（defaults）")
    csub = p.add_subparsers(dest="comment_action", metavar="{add,edit,delete,restore,defaults}", required=True)
    a = csub.add_parser("add", help="对条款（或其中一段原文）提出意见")
    a.add_argument("clause_id", metavar="CLAUSE_ID")
    _comment_fields(a, adding=True)
    common(a)
    e = csub.add_parser("edit", help="修改意见")
    e.add_argument("comment_id", metavar="ID", help="意见编号（或其前几位）")
    _comment_fields(e, adding=False)
    common(e)
    d = csub.add_parser("delete", help="删除意见（移入回收站，可恢复）")
    d.add_argument("comment_id", metavar="ID", help="意见编号（或其前几位）")
    common(d)
    r = csub.add_parser("restore", help="恢复已删除的意见")
    r.add_argument("comment_id", metavar="ID", help="意见编号（或其前几位）")
    common(r)
    s = csub.add_parser("defaults", help="查看或设置新意见默认的提出单位、联系人和电话（也用于意见反馈表的填报栏）")
    s.add_argument("--unit", help="提出单位（'' 清除）")
    s.add_argument("--contact", help="联系人（'' 清除）")
    s.add_argument("--phone", help="联系电话（'' 清除）")
    common(s)


def add_export_options(p: argparse.ArgumentParser) -> None:
    """`export --comments [--doc DOC] [--whole-clause]` on the export command's parser."""
    p.add_argument("--comments", action="store_true",
                   help="导出意见反馈表（docx 或 xlsx；与 --doc 同用时只导出该文件的意见，否则每个文件一张表）")
    p.add_argument("--whole-clause", action="store_true",
                   help="与 --comments 同用：“原文内容”列给出整条条款（默认只给出意见针对的那段原文）")


def check_args(parser: Any, args: argparse.Namespace) -> None:
    """After parsing: `export` needs one scope (--comments may come with --doc); refuse what does not fit,
    as argparse would (usage, message, exit 2)."""
    if getattr(args, "command", None) != "export":
        return
    given = [s for s in SCOPES if getattr(args, s, None) not in (None, False)]
    sub = parser._innermost(args)
    if args.comments:
        others = [f"--{s}" for s in given if s != "doc"]
        if others:
            sub.error(f"参数 --comments：不能与参数 {others[0]} 同时使用（只能与 --doc 同用）")
        if args.format not in (None, "docx", "xlsx"):
            sub.error(f"意见反馈表只能导出为 docx 或 xlsx，不能导出为 {args.format}")
    elif not given:
        sub.error(f"必须给出以下参数之一：{SCOPE_OPTIONS}")
    elif args.whole_clause:
        sub.error("参数 --whole-clause 只能与 --comments 同用")


# -- output ----------------------------------------------------------------------------------------------
def _text(value: str | None) -> str | None:
    return None if value is None else value.replace("\\n", "\n")


def _where(c: Comment, ix: ClauseIndex) -> str:
    from app.core.export.feedback import position_label

    return position_label(c, ix)


def _block(c: Comment, ix: ClauseIndex, n: int | None = None) -> str:
    head = f"{n:>3}. " if n is not None else "  "
    flag = {"changed": "  ⚠ 条款内容已修改", "missing": "  ⚠ 原条款已变更或删除"}.get(c.anchor_state, "")
    lines = [f"{head}{_where(c, ix)}  【{c.kind_label}】{flag}"]
    pad = " " * len(head)
    if c.quote:
        lines.append(f"{pad}原文：{c.quote}")
    if c.proposal:
        lines.append(f"{pad}意见：" + c.proposal.replace("\n", "\n" + pad + "      "))
    if c.reason:
        lines.append(f"{pad}理由：" + c.reason.replace("\n", "\n" + pad + "      "))
    if c.cited:
        lines.append(f"{pad}依据：" + "；".join(ix.citation(x) for x in c.cited))
    who = "，".join(x for x in (c.unit, c.contact, c.phone) if x)
    if who:
        lines.append(f"{pad}提出：{who}")
    lines.append(f"{pad}{c.id}  {c.clause_id}")
    return "\n".join(lines)


def _json(c: Comment, ix: ClauseIndex) -> dict[str, Any]:
    return {**c.to_json(), "position": _where(c, ix), "doc_title_now": ix.titles.get(c.doc_id, c.doc_title)}


def cmd_comments(lib: Library, args: argparse.Namespace) -> int:
    ix = ClauseIndex(lib)
    found = lib.comments.comments(doc_id=args.doc, clause_id=args.clause, kind=args.kind, text=args.text,
                                  deleted=args.deleted)
    if args.json:
        print(json.dumps([_json(c, ix) for c in found], ensure_ascii=False, indent=2))
        return 0
    if not found:
        if args.deleted:
            print("回收站中没有意见。")
        elif any((args.doc, args.clause, args.kind, args.text)):
            print("没有符合条件的意见。")
        else:
            print("还没有意见。用 policydesk comment add CLAUSE_ID --opinion \"…\" 对条款提出意见。")
        return 0
    per: dict[str, list[Comment]] = {}
    for c in found:
        per.setdefault(c.doc_id, []).append(c)
    what = "已删除的意见" if args.deleted else "意见"
    print(f"共 {len(found)} 条{what}")
    for doc_id, group in per.items():
        print(f"\n《{ix.titles.get(doc_id) or group[0].doc_title or doc_id}》 {len(group)} 条")
        for n, c in enumerate(group, 1):
            print(_block(c, ix, n))
    return 0


def _fields(args: argparse.Namespace) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for arg, name in (("opinion", "proposal"), ("reason", "reason"), ("kind", "kind"), ("quote", "quote"),
                      ("unit", "unit"), ("contact", "contact"), ("phone", "phone")):
        value = getattr(args, arg, None)
        if value is not None:
            out[name] = _text(value)
    if args.cite is not None:
        out["cited"] = [x for x in args.cite if x.strip()]
    return out


def _confirm(lib: Library, c: Comment, verb: str, as_json: bool) -> None:
    ix = ClauseIndex(lib)
    if as_json:
        print(json.dumps(_json(c, ix), ensure_ascii=False, indent=2))
    else:
        print(f"{verb}（《{ix.titles.get(c.doc_id, c.doc_title)}》）：")
        print(_block(c, ix))
    if c.notice:
        print(c.notice, file=sys.stderr)


def _resolve(lib: Library, given: str, *, deleted: bool = False) -> str:
    """A comment id from the id or its first characters (at least 4, unique); as given when none matches."""
    given = given.strip()
    store = lib.comments.store
    pool = store.find(deleted=deleted) + (store.find() if deleted else [])
    if len(given) < 4 or any(c.id == given for c in pool):
        return given
    hits = [c.id for c in pool if c.id.startswith(given)]
    if len(hits) > 1:
        raise PolicyDeskError(f"有 {len(hits)} 条意见的编号以 {given} 开头，请多给几位")
    return hits[0] if hits else given


def cmd_comment(lib: Library, args: argparse.Namespace) -> int:
    desk = lib.comments
    action = args.comment_action
    if action in ("edit", "delete", "restore"):
        args.comment_id = _resolve(lib, args.comment_id, deleted=action == "restore")
    if action == "add":
        ensure_index(lib)  # a first use builds the clause library the comment is anchored in
        fields = _fields(args)
        c = desk.add(args.clause_id, proposal=fields.pop("proposal", ""), **fields)
        _confirm(lib, c, "已添加意见", args.json)
    elif action == "edit":
        fields = _fields(args)
        if not fields:
            raise PolicyDeskError("没有要修改的内容：请给出 --opinion、--reason、--kind、--quote 等选项。")
        _confirm(lib, desk.update(args.comment_id, **fields), "已修改意见", args.json)
    elif action == "delete":
        desk.delete(args.comment_id)
        print(f"已删除意见 {args.comment_id}（可用 policydesk comment restore {args.comment_id} 恢复）")
    elif action == "restore":
        _confirm(lib, desk.undelete(args.comment_id), "已恢复意见", False)
    else:
        if any(v is not None for v in (args.unit, args.contact, args.phone)):
            d = desk.set_defaults(unit=args.unit, contact=args.contact, phone=args.phone)
            verb = "已设置"
        else:
            d, verb = desk.defaults(), "当前"
        print(f"{verb}意见的默认填报信息：提出单位 {d.unit or '（未设置）'}，联系人 {d.contact or '（未设置）'}，"
              f"联系电话 {d.phone or '（未设置）'}")
    return 0


def cmd_export_comments(lib: Library, args: argparse.Namespace) -> int:
    """`export --comments`: the 意见反馈表 (called by `cmd_export` after its checks of --out)."""
    from app.core.export.feedback import FeedbackOptions

    options = FeedbackOptions(whole_clause=args.whole_clause)
    bar = TerminalProgress()
    result = lib.export_comments(args.out, fmt=args.format, doc_id=args.doc, options=options,
                                 overwrite=args.overwrite, progress=bar)
    bar.finish()
    for notice in result.notices:
        print(notice, file=sys.stderr)
    print(f"已导出意见反馈表，{result.count} 条意见：{result.path}")
    return 0


HANDLERS = {"comments": cmd_comments, "comment": cmd_comment}
