"""The command line: a thin shell over `app.core.library.Library`. Output on stdout, messages on stderr.

`main` is the entry point (through `app.__main__`); the parser is `parser`, each command group has its module:
`search` (index, search, clauses, show, related), `links` (indicators, departments, import-tasks, set-links),
`export`, `tasks`, `comments`, `sources`, `compare` (compare, versions).
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence

from app.cli import comments, compare, export, links, search, sources, tasks
from app.cli.common import GUI_COMMAND
from app.cli.parser import build_parser, gui_options, wants_gui
from app.core.errors import Cancelled, PolicyDeskError
from app.core.library import Library
from app.core.paths import AppPaths

__all__ = ["COMMANDS", "HANDLERS", "build_parser", "gui_options", "main", "wants_gui"]

COMMANDS = ("index", "search", "clauses", "show", "related", "indicators", "departments", "import-tasks",
            "set-links", "export", "tasks", "task", "sources", "comments", "comment", "compare", "versions")

HANDLERS = {
    **search.HANDLERS, **links.HANDLERS, **export.HANDLERS, **tasks.HANDLERS, **sources.HANDLERS,
    **comments.HANDLERS, **compare.HANDLERS,
}


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    comments.check_args(parser, args)
    if not args.command:
        parser.print_help()
        return 2
    if args.command == GUI_COMMAND:
        from app.gui import open_gui  # the CLI does not import the Qt layer itself

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
