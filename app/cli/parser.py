"""The command line's parser: the top level and `gui` here, each command group's parsers in its module;
and the test for "open the desktop app" (no command)."""

from __future__ import annotations

import argparse
from collections.abc import Sequence

import app.cli.comments as comments
import app.cli.compare as compare
import app.cli.export as export
import app.cli.links as links
import app.cli.search as search
import app.cli.sources as sources
import app.cli.tasks as tasks
from app import __version__
from app.cli.argparse_zh import ChineseArgumentParser
from app.cli.common import GUI_COMMAND, add_common

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
    add_common(parser, top=True)
    sub = parser.add_subparsers(dest="command", metavar="命令")

    p = sub.add_parser(GUI_COMMAND, help="打开桌面程序（不带命令时的默认行为）")
    add_common(p)
    for group in (search, links, export, tasks, comments, sources, compare):  # the order of `policydesk --help`
        group.add_parsers(sub, add_common)
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
    add_common(p, top=True)
    ns, _ = p.parse_known_args(list(argv))
    return argparse.Namespace(data_dir=ns.data_dir)
