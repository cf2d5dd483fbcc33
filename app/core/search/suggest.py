""""您是不是要找": same-pinyin corrections of a typed term (碳达锋 → 碳达峰, 无费城市 → 无废城市).

Officials type with pinyin input methods, so a typo is usually a wrong character with the right
sound. `PinyinSuggester` keys every vocabulary word (the index's words with their document
frequency) by its toneless syllables and offers the words that sound like the typed term.

* Heteronyms: every reading of a character counts (重 zhong/chong, 长 chang/zhang), on both sides.
  A vocabulary word is keyed once, its heteronyms as "*" (重庆 → "* qing "); the typed term looks up
  every pattern of its readings with any positions starred, and the words found are checked
  character by character (`sounds_alike`: one side's usual reading is a reading of the other). A word made of heteronyms
  only (重长) is keyed by its readings instead (at most `MAX_SPELLINGS`): an all-star bucket would
  hold thousands of words.
* Only words of 2–8 CJK characters are keyed: that is where sound-alike typos live. The keys are
  built on first use (pypinyin is imported then too) by one `str.translate` call over the whole
  vocabulary: `lazy_pinyin` word by word takes ~5 s for 150k words. The typed term is also read
  by `lazy_pinyin` (phrase readings).
* A term that is itself a vocabulary word gets no suggestion: it was not mistyped.
* A longer term whose whole sound matches nothing (无费城市建设) is corrected inside: the longest run
  of its jieba segments that is not a vocabulary word but sounds like one is replaced.

Ranking: only the words keeping the most typed characters in place, by document frequency.
Suggestions are only offered, never applied.
"""

from __future__ import annotations

import itertools
import re
import threading
from collections.abc import Iterable
from functools import lru_cache

from app.core.normalize import fold

MIN_LEN, MAX_LEN = 2, 8  # words keyed: 2–8 CJK characters
MAX_TERM = 24  # longer input is not corrected segment by segment
MAX_PATTERNS = 1024  # lookups per typed term at most (2^8 for 8 characters without heteronyms)
MAX_SPELLINGS = 16  # keys of a word made of heteronyms only
STAR = "* "

_CJK_WORD = re.compile(rf"[\u3400-\u4dbf\u4e00-\u9fff]{{{MIN_LEN},{MAX_LEN}}}")


def is_cjk(text: str) -> bool:
    """True when every character is a CJK ideograph (basic block or extension A)."""
    return bool(text) and all("\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf" for ch in text)


@lru_cache(maxsize=65536)
def readings(ch: str) -> tuple[str, ...]:
    """The toneless readings of one character, the most common first (a non-CJK char: itself)."""
    from pypinyin import Style, pinyin  # 0.2 s import: only when suggestions are first asked for

    found = pinyin(ch, style=Style.NORMAL, heteronym=True, errors="default")
    out = tuple(dict.fromkeys(r for group in found for r in group if r))
    return out or (ch,)


class _KeyTable(dict[int, str]):
    """`str.translate` table: a character to its reading and a space ("tan "), or "* " for a
    heteronym; filled on first sight. NUL stays NUL (the separator of the bulk translate)."""

    def __init__(self) -> None:
        super().__init__({0: "\0"})

    def __missing__(self, code: int) -> str:
        r = readings(chr(code))
        self[code] = value = STAR if len(r) > 1 else r[0] + " "
        return value


_KEYS = _KeyTable()


def key(word: str) -> str:
    """A word's index key: its syllables, heteronyms starred (重庆 → "* qing ")."""
    return word.translate(_KEYS)


def patterns(term: str) -> list[str]:
    """The keys a word sounding like `term` may have: every reading of every character, each
    position possibly starred (at most `MAX_PATTERNS`)."""
    options = [(*(r + " " for r in readings(ch)), STAR) for ch in term]
    out = map("".join, itertools.islice(itertools.product(*options), MAX_PATTERNS))
    return [k for k in out if k != STAR * len(term)]  # no word is keyed all stars


def spellings(word: str) -> list[str]:
    """The keys of a word made of heteronyms only: its reading combinations (at most `MAX_SPELLINGS`)."""
    options = [tuple(r + " " for r in readings(ch)) for ch in word]
    return list(map("".join, itertools.islice(itertools.product(*options), MAX_SPELLINGS)))


def sounds_alike(a: str, b: str) -> bool:
    """Same length, and at every position one character's usual (first) reading is a reading of the
    other: 崇 chong ~ 重 zhong/chong, but not 么 me/yao ~ 由 you/yao (two rare readings)."""
    return len(a) == len(b) and all(x == y or readings(x)[0] in readings(y) or readings(y)[0] in readings(x)
                                    for x, y in zip(a, b, strict=True))


class PinyinSuggester:
    """Vocabulary words that sound like a typed term. Thread-safe; built on first use (or `build()`)."""

    def __init__(self, vocabulary: Iterable[tuple[str, int]]) -> None:
        self._vocabulary: list[tuple[str, int]] | None = list(vocabulary)
        self._freq: dict[str, int] = {}
        self._index: dict[str, list[str]] = {}
        self._lock = threading.Lock()

    def build(self) -> None:
        """Fold the vocabulary and key it by pinyin (call it on a worker thread to keep `suggest` quick)."""
        if self._vocabulary is None:
            return
        with self._lock:
            if self._vocabulary is None:
                return
            # One translate call over the whole vocabulary (NUL-separated) folds it at C speed …
            vocab = self._vocabulary
            folded = fold("\0".join(w for w, _ in vocab)).split("\0")
            freq: dict[str, int] = {}
            if len(folded) == len(vocab):
                for w, (_, df) in zip(folded, vocab, strict=True):
                    w = w.strip()
                    if w and df >= freq.get(w, 0):
                        freq[w] = df
            else:  # a NUL inside a word: fold them one by one
                for word, df in vocab:
                    w = fold(word).strip()
                    if w and df >= freq.get(w, 0):
                        freq[w] = df
            # … and another keys it.
            words = [w for w in freq if _CJK_WORD.fullmatch(w)]
            keys = "\0".join(words).translate(_KEYS).split("\0") if words else []
            index: dict[str, list[str]] = {}
            for w, k in zip(words, keys, strict=True):
                if k == STAR * len(w):
                    for spelled in spellings(w):
                        index.setdefault(spelled, []).append(w)
                    continue
                bucket = index.get(k)
                if bucket is None:
                    index[k] = [w]
                else:
                    bucket.append(w)
            self._freq, self._index = freq, index
            self._vocabulary = None

    def __len__(self) -> int:
        self.build()
        return len(self._freq)

    def frequency(self, word: str) -> int:
        self.build()
        return self._freq.get(fold(word).strip(), 0)

    def _sound_alikes(self, term: str) -> list[str]:
        """Vocabulary words other than `term` that sound like it, best first."""
        if not (MIN_LEN <= len(term) <= MAX_LEN and is_cjk(term)):
            return []
        from pypinyin import Style, lazy_pinyin

        self.build()
        index = self._index
        phrase = " ".join(lazy_pinyin(term, style=Style.NORMAL)) + " "  # its phrase reading, looked up first
        found: dict[str, None] = {}
        for k in (phrase, *patterns(term)):
            for w in index.get(k, ()):
                if w != term and w not in found and sounds_alike(w, term):
                    found[w] = None

        # Only the words keeping the most typed characters in place (a typo changes one or two: 机动车尾器
        # → 机动车尾气, not 机动车一起), the commonest first.
        kept = {w: sum(a == b for a, b in zip(w, term, strict=True)) for w in found}
        most = max(kept.values(), default=0)
        return sorted((w for w in found if kept[w] == most), key=lambda w: (-self._freq.get(w, 0), w))

    def suggest(self, term: str, limit: int = 3) -> list[str]:
        """Up to `limit` corrections of `term` ([] when it is a known word, not CJK, or sounds like nothing)."""
        term = fold(term).strip()
        if limit <= 0 or not term:
            return []
        self.build()
        if term in self._freq:
            return []
        whole = self._sound_alikes(term)
        if whole:
            return whole[:limit]
        return self._inside(term)[:limit]

    def _inside(self, term: str) -> list[str]:
        """Correct one run of unknown jieba segments inside a longer term: 无费城市建设 → 无废城市建设."""
        if len(term) > MAX_TERM or not any(is_cjk(ch) for ch in term):
            return []
        from app.core.search.analysis import words

        segs = words(term)
        if len(segs) < 2 or "".join(segs) != term:
            return []  # punctuation or spaces inside: leave it to the user
        best: tuple[tuple[int, int], int, int, list[str]] | None = None
        for i in range(len(segs)):
            for j in range(i + 1, len(segs) + 1):
                run = "".join(segs[i:j])
                if len(run) > MAX_LEN:
                    break
                if len(run) < MIN_LEN or run in self._freq or not is_cjk(run):
                    continue
                alikes = self._sound_alikes(run)
                if not alikes:
                    continue
                score = (len(run), self._freq.get(alikes[0], 0))  # the longest run explained, then the commonest
                if best is None or score > best[0]:
                    best = (score, i, j, alikes)
        if best is None:
            return []
        _, i, j, alikes = best
        head, tail = "".join(segs[:i]), "".join(segs[j:])
        return [head + w + tail for w in alikes]
