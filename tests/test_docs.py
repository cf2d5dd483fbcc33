"""Docs do not drift: every CLI command is in the README (datasette's test_docs habit)."""

from __future__ import annotations

import re
from pathlib import Path

from app.cli import COMMANDS

ROOT = Path(__file__).parents[1]
README = ROOT / "README.md"


def test_every_cli_command_is_documented() -> None:
    text = README.read_text(encoding="utf-8")
    missing = [c for c in COMMANDS if f"policydesk {c}" not in text and f"`{c}" not in text]
    assert not missing, f"README lacks: {missing}"


def test_architecture_names_only_paths_that_exist() -> None:
    """docs/ARCHITECTURE.md is the newcomer's map: every file or folder it names in backticks exists."""
    doc = (ROOT / "docs" / "ARCHITECTURE.md").read_text(encoding="utf-8")
    named = set(re.findall(r"`((?:app|tests|docs|resources|corpus|benchmarks|scripts)/[\w/.<>-]*?)`", doc))
    assert len(named) > 10
    missing = sorted(p for p in named if "<" not in p and not (ROOT / p.rstrip("/")).exists())
    assert not missing, f"docs/ARCHITECTURE.md names paths that do not exist: {missing}"
