"""Entry point: no arguments (or only --data-dir, or `gui`) opens the desktop app; a command runs the CLI;
anything else (a typo, a stray word) is refused by the CLI with a hint."""

from __future__ import annotations

import sys

from app.gui import open_gui


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
