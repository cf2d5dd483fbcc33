"""Docs do not drift: every CLI command is in the README (datasette's test_docs habit)."""

from __future__ import annotations

from pathlib import Path

from app.cli import COMMANDS

README = Path(__file__).parents[1] / "README.md"


def test_every_cli_command_is_documented() -> None:
    text = README.read_text(encoding="utf-8")
    missing = [c for c in COMMANDS if f"policydesk {c}" not in text and f"`{c}" not in text]
    assert not missing, f"README lacks: {missing}"
