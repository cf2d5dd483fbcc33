"""Entry point: no arguments opens the desktop app; a subcommand runs the CLI."""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    import multiprocessing

    multiprocessing.freeze_support()  # spawned index workers in a PyInstaller bundle
    args = sys.argv[1:] if argv is None else argv
    from app import cli

    if cli.wants_gui(args):
        from app.ui.main import run_gui

        return run_gui(cli.gui_options(args))
    return cli.main(args)


if __name__ == "__main__":
    sys.exit(main())
