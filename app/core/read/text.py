"""Plain text and Markdown: the decoding ladder (UTF-8, UTF-16/32 by BOM, GB18030, …)."""

from __future__ import annotations

from pathlib import Path

from app.core.read.decode import Decoded, decode_bytes


def read_text(path: Path, data: bytes) -> Decoded:
    """Decode a .txt/.md file; its text is already Markdown-shaped (or plain)."""
    return decode_bytes(data)
