"""What the command modules share: the --data-dir option, the progress bar, the first-use index, JSON out."""

from __future__ import annotations

import argparse
import json
import sys
import time
from typing import Any, TextIO

from app.core.library import Library

GUI_COMMAND = "gui"  # explicit "open the desktop app" (also what no arguments at all do)
ALL_VERSIONS_HELP = "包括旧版本和已废止文件的条款（默认与检索一样只列出现行版本）"


def add_common(p: argparse.ArgumentParser, *, top: bool = False) -> None:
    # On subcommands the default is SUPPRESS, so `policydesk --data-dir X search …` keeps X.
    p.add_argument("--data-dir", metavar="DIR", default=None if top else argparse.SUPPRESS,
                   help="数据目录（默认：$POLICYDESK_HOME 或系统用户数据目录）")


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


def ensure_index(lib: Library) -> None:
    if lib.needs_index():
        print("首次使用，正在建立索引…", file=sys.stderr)
        bar = TerminalProgress()
        lib.index(progress=bar)
        bar.finish()


def emit(obj: Any) -> None:
    print(json.dumps(obj, ensure_ascii=False))
