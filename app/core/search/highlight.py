"""Snippets and highlights computed on the ORIGINAL text: HTML-escaped, with only our own <mark> tags."""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence

from app.core.normalize import fold_one_to_one, fold_with_map

Span = tuple[int, int]


def _compact_map(text: str) -> tuple[str, Sequence[int]]:
    """The folded, whitespace-free key of `text` and, per key character, its offset in `text`."""
    key, one_to_one = fold_one_to_one(text)
    if one_to_one:  # the usual case
        parts = key.split()
        if len(parts) == 1 and len(parts[0]) == len(key):  # and no whitespace: offsets are the identity
            return key, range(len(key))
        return "".join(parts), [i for i, ch in enumerate(key) if not ch.isspace()]
    key, origin = fold_with_map(text)
    chars: list[str] = []
    omap: list[int] = []
    for ch, o in zip(key, origin, strict=True):
        if not ch.isspace():
            chars.append(ch)
            omap.append(o)
    return "".join(chars), omap


def find_spans(text: str, needles: Iterable[str]) -> list[Span]:
    """Spans of `text` (original offsets) where any folded, whitespace-free needle occurs."""
    ckey, omap = _compact_map(text)
    spans: list[Span] = []
    for needle in {n for n in needles if n}:
        start = ckey.find(needle)
        while start != -1:
            end = start + len(needle) - 1
            spans.append((omap[start], omap[end] + 1))
            start = ckey.find(needle, start + 1)
    return _merge(spans)


def _merge(spans: list[Span]) -> list[Span]:
    out: list[Span] = []
    for s, e in sorted(spans):
        if out and s <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], e))
        else:
            out.append((s, e))
    return out


def mark(text: str, spans: list[Span], lo: int = 0, hi: int | None = None) -> str:
    """Escape text[lo:hi] and wrap the spans inside it in <mark>."""
    hi = len(text) if hi is None else hi
    parts: list[str] = []
    pos = lo
    for s, e in spans:
        s, e = max(s, lo), min(e, hi)
        if s >= e:
            continue
        parts.append(html.escape(text[pos:s]))
        parts.append("<mark>" + html.escape(text[s:e]) + "</mark>")
        pos = e
    parts.append(html.escape(text[pos:hi]))
    return "".join(parts)


def _best_window(spans: list[Span], n: int, width: int) -> int:
    best_start, best_count, j = 0, -1, 0
    for i, (s, _) in enumerate(spans):  # spans are sorted: a sliding window, linear time
        j = max(j, i)
        while j < len(spans) and spans[j][0] < s + width:
            j += 1
        if j - i > best_count:
            best_start, best_count = s, j - i
    return max(0, min(best_start - width // 5, max(0, n - width)))


def snippet(text: str, needles: Iterable[str], width: int = 110, start: int = -1) -> str:
    """A window of about `width` characters around the densest group of matches, or from `start` (the
    sentence a definition query asks for) when given."""
    flat = text.replace("\n", " ")
    spans = find_spans(flat, needles)
    if 0 <= start < len(flat):
        start = max(0, min(start, len(flat) - width))
    else:
        start = _best_window(spans, len(flat), width) if spans else 0
    end = min(len(flat), start + width)
    body = mark(flat, spans, start, end)
    return ("…" if start > 0 else "") + body + ("…" if end < len(flat) else "")
