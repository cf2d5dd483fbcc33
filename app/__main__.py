"""Entry point: no arguments (or only --data-dir, or `gui`) opens the desktop app; a command runs the CLI;
anything else (a typo, a stray word) is refused by the CLI with a hint."""

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


def main(argv: list[str] | None = None) -> int:
    import multiprocessing

    multiprocessing.freeze_support()  # spawned index workers in a PyInstaller bundle
    args = sys.argv[1:] if argv is None else argv
    from app import cli

    if cli.wants_gui(args):
        return open_gui(cli.gui_options(args))
    return cli.main(args)


if __name__ == "__main__":
    sys.exit(main())
