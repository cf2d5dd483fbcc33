"""Plain text and Markdown: the decoding ladder of decode.py.

UTF-8 (with or without BOM), GB18030/GBK/GB2312, UTF-16 with or without BOM, UTF-32 with BOM, and Big5
(Hong Kong/Taiwan documents). Binary files renamed .txt are refused ("文件不是文本文件").
"""

from __future__ import annotations

from pathlib import Path

from app.core.read.decode import Decoded, decode_bytes


def read_text(path: Path, data: bytes) -> Decoded:
    """Decode a .txt/.md file; its text is already Markdown-shaped (or plain)."""
    return decode_bytes(data)
