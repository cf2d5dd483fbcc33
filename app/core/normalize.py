"""Search-key normalisation: the same folding at index and query time; stored text is never folded.

Folding works character by character so that every position of the folded key maps back to a
position of the original text (for highlighting and snippets).
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

_QUOTES = {
    "“": '"', "”": '"', "„": '"', "〝": '"', "〞": '"', "「": '"', "」": '"', "『": '"', "』": '"',
    "‘": "'", "’": "'", "‚": "'", "＂": '"', "＇": "'",
}
_SPACES = {"\u3000", "\u00a0", "\u2002", "\u2003", "\u2009", "\u202f"}
_DROP = {"\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad"}


@lru_cache(maxsize=65536)
def fold_char(ch: str) -> str:
    """Fold one character: NFKC, quote variants to ASCII quotes, exotic spaces to a space, Latin lower-case."""
    if ch in _DROP:
        return ""
    if ch in _SPACES:
        return " "
    q = _QUOTES.get(ch)
    if q is not None:
        return q
    if ch.isascii():
        return ch.lower()
    # NFKC maps full-width digits/letters, circled numbers, ㎡ and Kangxi radicals to their plain forms.
    return unicodedata.normalize("NFKC", ch).lower()


class _FoldTable(dict[int, str]):
    """A `str.translate` table applying `fold_char`, filled on first sight of each character: folding
    runs at C speed (a per-character generator cost seconds over the full library)."""

    def __missing__(self, code: int) -> str:
        value = fold_char(chr(code))
        if len(value) != 1:  # recorded before the table has it: another thread's lookup may hit it next
            _NOT_ONE.add(chr(code))
        self[code] = value
        return value


_FOLD_TABLE = _FoldTable()
_NOT_ONE: set[str] = set()  # characters folding to none or to several: every such one `fold` has seen


def fold(text: str) -> str:
    """Return the search key of `text` (idempotent: fold(fold(x)) == fold(x))."""
    return text.translate(_FOLD_TABLE)


def fold_one_to_one(text: str) -> tuple[str, bool]:
    """`fold(text)`, and whether it folded every character to exactly one (key offsets are text offsets)."""
    key = text.translate(_FOLD_TABLE)  # sees every character of `text`: _NOT_ONE knows those among them
    return key, _NOT_ONE.isdisjoint(text)


def fold_with_map(text: str) -> tuple[str, list[int]]:
    """Fold `text` and return, for every character of the key, the index of its source character."""
    out: list[str] = []
    origin: list[int] = []
    for i, c in enumerate(text):
        f = fold_char(c)
        if f:
            out.append(f)
            origin.extend([i] * len(f))
    return "".join(out), origin


def compact(key: str) -> str:
    """Drop whitespace from a folded key: `到 2030 年` and `到2030年` are the same literal for search."""
    return "".join(key.split())
