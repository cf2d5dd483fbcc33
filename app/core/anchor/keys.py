"""Text keys of the re-anchoring matcher: folded, whitespace-free keys of clause texts and headings, the
version key of a title, and the similarity (ratio, contain) of two keys (see the package docstring)."""

from __future__ import annotations

import difflib
import hashlib
import operator
import re
from collections import Counter
from collections.abc import Sequence

from app.core.filters import title_key
from app.core.models import Clause, Document
from app.core.normalize import fold_char

_DRAFT = re.compile(r"征求意见稿|草案|送审稿|讨论稿|审议稿")
_DRAFT_SUFFIX = re.compile(r"[-—_·\s]*(?:征求意见稿|修订草案|草案|送审稿|讨论稿|审议稿)$")
# A number label at the start of a folded path element: 一、 (二) 第三章 第五条之一 4.
_LABEL = re.compile(
    r"^(?:[一二三四五六七八九十百零〇两]{1,6}、"
    r"|\([一二三四五六七八九十百零〇两\d]{1,6}\)"
    r"|第[零〇一二三四五六七八九十百千两\d]{1,12}[编章节条](?:之[一二三四五六七八九十]{1,3})?"
    r"|\d{1,3}[.、])"
)


# -- text keys ----------------------------------------------------------------------------------------
class _FoldTable(dict[int, str]):
    """`str.translate` table doing `compact(fold(ch))` per character, filled on first use."""

    def __missing__(self, code: int) -> str:
        value = "".join(fold_char(chr(code)).split())
        self[code] = value
        return value


_FOLD = _FoldTable()


def text_key(text: str) -> str:
    """`compact(fold(text))`, at `str.translate` speed: what fingerprints and similarities compare."""
    return text.translate(_FOLD)


def _content(heading: str, full_text: str) -> str:
    """Heading and text (a task's full text already starts with its heading)."""
    return full_text if full_text.startswith(heading) else heading + full_text


def _sha1(key: str) -> str:
    return hashlib.sha1(key.encode("utf-8")).hexdigest()


def _heading_key(heading: str) -> str:
    """A heading without its number label: `（二）持续深入打好碧水保卫战` → `持续深入打好碧水保卫战`."""
    return _LABEL.sub("", text_key(heading), count=1)


def version_key(title: str) -> str:
    """Titles of the versions of one document share this key (征求意见稿 and 正式稿, amended laws)."""
    return _DRAFT_SUFFIX.sub("", title_key(title))


def _recency(doc: Document) -> tuple[bool, str]:
    """Order of versions: any final text after the drafts, then by version date."""
    return (not _DRAFT.search(doc.title), doc.date or "")


def _common_prefix(a: str, b: str, limit: int) -> int:
    lo, hi = 0, limit
    while lo < hi:  # binary search on slice equality: C-speed comparisons
        mid = (lo + hi + 1) // 2
        if a[:mid] == b[:mid]:
            lo = mid
        else:
            hi = mid - 1
    return lo


def _similarity(a: str, b: str, floor: float) -> tuple[float, float] | None:
    """(ratio, contain) of two non-empty keys, or None when the ratio is surely below `floor`.

    The common prefix and suffix match as they are; difflib matches what lies between. An edit in a
    long clause thus costs a few characters of difflib, not the whole clause.
    """
    la, lb = len(a), len(b)
    shortest = min(la, lb)
    if 2.0 * shortest / (la + lb) < floor:
        return None
    pre = _common_prefix(a, b, shortest)
    suf = _common_prefix(a[::-1], b[::-1], shortest - pre)
    mid_a, mid_b = a[pre:la - suf], b[pre:lb - suf]
    matched = pre + suf
    if mid_a and mid_b:
        # Characters in common (as multisets) bound what difflib can match: a cheap refusal first.
        common = (Counter(mid_a) & Counter(mid_b)).total()
        if 2.0 * (matched + common) / (la + lb) < floor:
            return None
        sm = difflib.SequenceMatcher(None, mid_a, mid_b, autojunk=False)
        matched += sum(block.size for block in sm.get_matching_blocks())
    return 2.0 * matched / (la + lb), matched / shortest


def _path_keys(path: Sequence[str]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    raw = tuple(text_key(p) for p in path)
    return raw, tuple(_LABEL.sub("", p, count=1) for p in raw)


def _bigrams(key: str) -> set[str]:
    if len(key) < 2:
        return {key} if key else set()
    return set(map(operator.add, key, key[1:]))


def content_key(clause: Clause) -> str:
    """What two versions of a clause compare equal on: heading and text, folded, without number labels."""
    return text_key(_content(clause.heading, clause.full_text))


def similarity(a: str, b: str, floor: float = 0.0) -> float:
    """The matcher's ratio (2·M/(|a|+|b|)) of two texts' keys; 0.0 when either is empty, or when the ratio
    is surely below `floor` (then cheaply)."""
    ka, kb = text_key(a), text_key(b)
    if not ka or not kb:
        return 1.0 if ka == kb else 0.0
    found = _similarity(ka, kb, floor)
    return found[0] if found else 0.0
