"""`policydesk compare OLD NEW` (clause-by-clause comparison, 新旧对照表) and `policydesk versions` (version
links: list, confirm, reject, reset)."""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from app.core.carry import CarryReport
from app.core.compare import ClausePair, Comparison
from app.core.errors import NotFoundError, PolicyDeskError
from app.core.library import Library
from app.core.models import Document
from app.core.normalize import compact, fold
from app.core.userdata.versions import CONFIRMED, REJECTED, SUGGESTED, VersionLink

CONTEXT = 20  # unchanged characters shown around each edit in the terminal
PREVIEW = 80  # characters of an added or deleted clause shown in the terminal


def add_parsers(sub: Any, common: Callable[[argparse.ArgumentParser], None]) -> None:
    p = sub.add_parser("compare", help="逐条比对同一文件的两个版本（征求意见稿与正式稿、法规修正前后），可导出新旧对照表",
                       description="逐条比对两个版本：新增、删除、修改、移动、未变，修改处逐字标出，列出指标和完成时限的变化。")
    p.add_argument("old", metavar="OLD_DOC", help="旧版本的文件编号（或能唯一确定它的标题片段）")
    p.add_argument("new", metavar="NEW_DOC", help="新版本的文件编号（或能唯一确定它的标题片段）")
    p.add_argument("--json", action="store_true", help="输出 JSON（全部条款，含逐字差异）")
    p.add_argument("--all", action="store_true", help="也列出未变的条款（导出时也包括）")
    p.add_argument("--out", type=Path, metavar="FILE", help="导出新旧对照表：.docx（Word，横向三栏）或 .xlsx（Excel）")
    p.add_argument("--overwrite", action="store_true", help="覆盖已存在的文件（默认另存为“文件名(2)”）")
    common(p)

    p = sub.add_parser("versions", help="文件的版本关联：列出，或 confirm/reject/reset OLD NEW 确认、否定、撤销")
    p.add_argument("action", nargs="?", choices=("confirm", "reject", "reset"), metavar="{confirm,reject,reset}",
                   help="confirm：确认 NEW 是 OLD 的新版本（任务随之转到新版本）；reject：否定；reset：撤销确认或否定")
    p.add_argument("old", nargs="?", metavar="OLD_DOC", help="旧版本的文件编号")
    p.add_argument("new", nargs="?", metavar="NEW_DOC", help="新版本的文件编号")
    p.add_argument("--json", action="store_true", help="输出 JSON")
    common(p)


def resolve_doc(lib: Library, text: str) -> Document:
    """A document by its id, else by a piece of its id or title that names exactly one document."""
    docs = lib.documents()
    for d in docs:
        if d.id == text:
            return d
    key = compact(fold(text))
    found = [d for d in docs if key and (key in compact(fold(d.id)) or key in compact(fold(d.title)))]
    if len(found) == 1:
        return found[0]
    if not found:
        raise NotFoundError(f"文库中没有文件“{text}”。可用 policydesk sources 或 policydesk clauses 查看文件编号。")
    names = "；".join(d.id for d in found[:6]) + ("……" if len(found) > 6 else "")
    raise PolicyDeskError(f"“{text}”对应多个文件，请给出完整的文件编号：{names}")


def _short(text: str, n: int = PREVIEW) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= n else flat[:n] + "…"


def pair_lines(p: ClausePair) -> list[str]:
    where = p.new.location if p.new else f"原{p.old.location}" if p.old else ""
    head = f"[{p.label}] {where}"
    if p.old is not None and p.new is not None and p.renumbered:
        head += f"（原{p.old.location}）"
    if p.status == "moved" and p.edited:
        head += "，并有修改"
    out = [head]
    if p.status in ("added", "deleted"):
        out.append("    " + _short((p.new or p.old).text if (p.new or p.old) else ""))
    elif p.edited:
        out.append("    " + " ".join(p.inline(CONTEXT).split()))
    else:
        out.append("    " + _short(p.new.text if p.new else ""))
    out += [f"    · {c.describe()}" for c in p.changes]
    return out


def print_comparison(cmp: Comparison, show_all: bool) -> None:
    print(f"比对：《{cmp.old_doc.title}》（{cmp.old_doc.id}）→《{cmp.new_doc.title}》（{cmp.new_doc.id}）")
    print(cmp.summary_line())
    changes = cmp.changes
    if changes:
        print(f"\n指标与完成时限变化（{len(changes)} 项）：")
        for c in changes:
            print(f"  {c.where}  {c.describe()}")
    rows = list(cmp.pairs) if show_all else cmp.changed()
    if not rows:
        print("\n两个版本的条文没有变化。")
        return
    print(f"\n{'全部条款' if show_all else '变化条款'}（{len(rows)} 条）：")
    for p in rows:
        for line in pair_lines(p):
            print(line)


def cmd_compare(lib: Library, args: argparse.Namespace) -> int:
    old, new = resolve_doc(lib, args.old), resolve_doc(lib, args.new)
    cmp = lib.compare(old.id, new.id)
    if args.out is not None:
        result = lib.export_comparison(cmp, args.out, include_unchanged=args.all, overwrite=args.overwrite)
        if not args.json:
            print(cmp.summary_line())
            print(f"已导出新旧对照表 {result.count} 条：{result.path}")
            return 0
    if args.json:
        print(json.dumps(cmp.to_json(), ensure_ascii=False, indent=2))
        return 0
    print_comparison(cmp, args.all)
    return 0


def link_lines(link: VersionLink) -> list[str]:
    def name(title: str, doc_id: str) -> str:
        return f"《{title or doc_id}》"

    share = f"；内容重合 {link.overlap:.0%}" if link.overlap is not None else ""
    return [f"[{link.state_label}] {name(link.old_title, link.old_id)} → {name(link.new_title, link.new_id)}",
            f"    {link.old_id} → {link.new_id}；{link.method_label}{share}"]


def print_review(report: CarryReport) -> None:
    print(report.summary_line())
    for r in report.review:
        print(f"[{r.state_label}] {r.kind_label}：{r.title}")
        if r.new_text and r.old_text != r.new_text:
            print("    " + " ".join(r.inline(CONTEXT).split()))
        else:
            print(f"    原文：{_short(r.old_text)}")


def cmd_versions(lib: Library, args: argparse.Namespace) -> int:
    if args.action is None:
        links = lib.version_links()
        if args.json:
            print(json.dumps([k.to_json() for k in links], ensure_ascii=False, indent=2))
            return 0
        if not links:
            print("文库中没有发现同一文件的不同版本。如需手工关联：policydesk versions confirm OLD_DOC NEW_DOC")
            return 0
        print(f"版本关联 {len(links)} 条（“自动识别”和“已确认”的旧版本默认不参与检索，检索时加 --all-versions 可包括）：")
        for link in links:
            for line in link_lines(link):
                print(line)
        return 0
    if not args.old or not args.new:
        raise PolicyDeskError(f"请给出两个文件：policydesk versions {args.action} OLD_DOC NEW_DOC")
    old, new = resolve_doc(lib, args.old), resolve_doc(lib, args.new)
    state = {"confirm": CONFIRMED, "reject": REJECTED, "reset": SUGGESTED}[args.action]
    link = lib.set_version_state(old.id, new.id, state)
    report = lib.carry_over(old.id, new.id) if state == CONFIRMED else None
    if args.json:
        print(json.dumps({"link": link.to_json(), "carry": report.to_json() if report else None},
                         ensure_ascii=False, indent=2))
        return 0
    if state == CONFIRMED:
        print(f"已确认：《{new.title}》（{new.id}）是《{old.title}》（{old.id}）的新版本；旧版本默认不再参与检索。")
    elif state == REJECTED:
        print(f"已否定：《{new.title}》（{new.id}）不作为《{old.title}》（{old.id}）的新版本，两个文件分别检索。")
    else:
        print(f"已撤销对 {old.id} → {new.id} 的确认或否定，恢复为“{link.state_label}”。")
    if report is not None:
        print_review(report)
    return 0


HANDLERS = {"compare": cmd_compare, "versions": cmd_versions}
