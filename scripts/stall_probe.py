"""Thin runner for `app.ui.window.stallprobe` (scripts may not import the Qt layer directly):
`python scripts/stall_probe.py`."""

from __future__ import annotations

import os
import runpy
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
if __name__ == "__main__":  # index writers are spawned processes: they import this file as __mp_main__
    runpy.run_module("app.ui.window.stallprobe", run_name="__main__", alter_sys=True)
