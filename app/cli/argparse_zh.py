"""An argparse parser that speaks Chinese: its own texts translated, close-match hints for a mistyped
command or option."""

from __future__ import annotations

import argparse
import difflib
import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from app.cli.common import GUI_COMMAND

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
