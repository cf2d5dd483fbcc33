"""Opening the desktop app (`app.ui`), for the entry point (`app.__main__`) and the CLI's `gui` command: the only
module outside app/ui that imports the Qt layer, and only when the app is to open."""

from __future__ import annotations

import argparse
import sys


def open_gui(options: argparse.Namespace) -> int:
    """Start the desktop app. A missing display (checked in `run_gui`) or Qt library is a Chinese sentence
    and exit 1, not an abort with Qt's English messages."""
    try:
        from app.ui.main import run_gui
    except ImportError as exc:  # PySide6, or a system library it needs (libEGL, libxkbcommon …), is missing
        print(f"无法启动桌面程序：图形界面库无法加载（{exc}）。\n"
              "Linux 上请先安装 README 中列出的系统库；命令行仍可使用：policydesk --help", file=sys.stderr)
        return 1
    return run_gui(options)
