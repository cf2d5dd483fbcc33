"""`policydesk export`: the 条款摘编 (Word, PDF, Markdown, HTML, Excel), with `--out` checked before
anything is built; `export --comments` is `comments`'."""

from __future__ import annotations

import argparse
import errno
import json
import os
import sys
from collections.abc import Callable
from contextlib import suppress
from pathlib import Path
from typing import Any

import app.cli.comments as comments
from app.cli.common import TerminalProgress, ensure_index
from app.core.errors import PolicyDeskError
from app.core.library import Library


def add_parsers(sub: Any, common: Callable[[argparse.ArgumentParser], None]) -> None:
    p = sub.add_parser("export", help="导出条款摘编：Word（公文格式）、PDF、Markdown、网页或 Excel 任务分工表")
    p.add_argument("--format", choices=("docx", "pdf", "md", "html", "xlsx"), help="导出格式（默认按 --out 的扩展名）")
    p.add_argument("--out", required=True, type=Path, metavar="FILE", help="目标文件；文件名会按 Windows 规则整理")
    scope = p.add_mutually_exclusive_group()  # one is required: checked by comments.check_args
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
    comments.add_export_options(p)
    common(p)


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
    ensure_index(lib)
    if args.comments:
        return comments.cmd_export_comments(lib, args)
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


HANDLERS = {"export": cmd_export}
