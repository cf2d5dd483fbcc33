"""How a query's words are cut before they become units: jieba's cut moved where the library says so
(`recut`), a compound the library lacks covered by the words it holds (`split_known`), and words jieba cut
apart joined again where together they are a lexicon entry (`join_entries`).

Pure functions of the words and of what the library or the lexicon holds, given as callables.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from app.core.search.asking import STOP_WORDS

JOIN_WORDS = 4  # the most words `join_entries` joins into one entry
RECUT_RATIO = 10  # the library uses the word a cut would make this many times more often than jieba's word
_NUMERAL = re.compile(r"[0-9零〇一二两三四五六七八九十百千万亿]")


def recut(content: list[str], df: Callable[[str], int], text: str | None = None) -> list[str]:
    """jieba's cut of a single character and a word beside it, moved by one character where the library says
    so: 取 + 水井 → 取水 + 井 (废弃取水井), 节 + 水产业 → 节水 + 产业, 用岸 + 电 → 用 + 岸电 (船舶靠港用岸电), when the
    library uses the word the move makes far more often than jieba's (RECUT_RATIO times), or jieba's word never.
    Not through a number (处 + 二十元 stays), nor across a stop word taken out between them (`text`, the words as
    typed: 防护堤和防渗 never gives 堤防)."""
    out = list(content)

    def better(joined: str, word: str, rest: str) -> bool:
        was = df(word)
        return (df(joined) > RECUT_RATIO * was if was else df(joined) > 0) and (len(rest) == 1 or df(rest) > 0)

    for i in range(len(out) - 1):
        a, b = out[i], out[i + 1]
        if _NUMERAL.search(a + b) or (text is not None and a + b not in text):
            continue
        if len(a) == 1 and len(b) >= 2 and a not in STOP_WORDS and better(a + b[0], b, b[1:]):
            out[i], out[i + 1] = a + b[0], b[1:]
        elif len(b) == 1 and len(a) >= 2 and b not in STOP_WORDS and better(a[-1] + b, a, a[:-1]):
            out[i], out[i + 1] = a[:-1], a[-1] + b
    return out


def join_entries(content: list[str], is_entry: Callable[[str], bool], text: str | None = None) -> list[str]:
    """Words jieba cut apart that together are an entry of the lexicon, joined into one (回收拆解旧家电 → 回收,
    拆解, 旧家电: the entry 旧家电 → 废弃电器电子产品 reaches the article only as one word). The longest run of up to
    JOIN_WORDS words first; only words typed side by side (`text`, the words as typed), never a stop word. Not
    every word: a term that is an entry as a whole (环保 + 税) is matched with the entry's alternatives already."""
    out: list[str] = []
    i = 0
    while i < len(content):
        for j in range(min(len(content) - (i == 0), i + JOIN_WORDS), i + 1, -1):  # not all of them: the term's own
            span = content[i:j]
            joined = "".join(span)
            if not any(w in STOP_WORDS for w in span) and (text is None or joined in text) and is_entry(joined):
                out.append(joined)
                i = j
                break
        else:
            out.append(content[i])
            i += 1
    return out


def split_known(word: str, known: Callable[[str], bool]) -> list[str]:
    """Cover `word` left to right with the longest pieces (2+ characters) the library knows; pieces
    that cover nothing known are skipped. 臭氧污染 → [臭氧, 污染]; 光伏装机 → [光伏, 装机]."""
    out: list[str] = []
    i, n = 0, len(word)
    while i < n:
        for j in range(min(n, i + 6), i + 1, -1):
            if j - i < n and known(word[i:j]):
                out.append(word[i:j])
                i = j
                break
        else:
            i += 1
    return out if sum(len(p) for p in out) >= max(2, len(word) // 2) else []
