""""您是不是要找": same-pinyin corrections of a typed term (碳达锋 → 碳达峰, 无费城市 → 无废城市).

Officials type with pinyin input methods, so a typo is usually a wrong character with the right
sound. `PinyinSuggester` keys every vocabulary word (the index's words with their document
frequency) by its toneless syllables and offers the words sharing the typed term's key.

* Heteronyms: every reading of a character counts (重 zhong/chong, 长 chang/zhang), on both sides;
  a word with several heteronyms gets at most `MAX_KEYS` keys.
* Only words of 2–8 CJK characters are keyed: that is where sound-alike typos live, and it keeps
  the index small. The keys are built on first use (pypinyin itself is imported then too) through
  a `str.translate` table of per-character readings, one call for the whole vocabulary:
  `lazy_pinyin` per word takes ~5 s over a 150k-word vocabulary, the table ~1 s. The typed term
  is also keyed by `lazy_pinyin` (its phrase readings).
* A term that is itself a vocabulary word gets no suggestion: it was not mistyped.
* A longer term whose whole sound matches nothing (无费城市建设) is corrected inside: runs of its
  jieba segments that are not vocabulary words are replaced by their best same-pinyin word.

Suggestions are only offered, never applied.
"""

from __future__ import annotations

import itertools
import re
import threading
from collections.abc import Iterable

from app.core.normalize import fold

MIN_LEN, MAX_LEN = 2, 8  # words keyed: 2–8 CJK characters
MAX_KEYS = 8  # keys per word at most (heteronym combinations)
MAX_TERM = 24  # longer input is not corrected segment by segment

_CJK_WORD = re.compile(rf"[\u3400-\u4dbf\u4e00-\u9fff]{{{MIN_LEN},{MAX_LEN}}}")


def is_cjk(text: str) -> bool:
    """True when every character is a CJK ideograph (basic block or extension A)."""
    return bool(text) and all("\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf" for ch in text)


def readings(ch: str) -> tuple[str, ...]:
    """The toneless readings of one character, the most common first (a non-CJK char: itself)."""
    from pypinyin import Style, pinyin  # 0.2 s import: only when suggestions are first asked for

    found = pinyin(ch, style=Style.NORMAL, heteronym=True, errors="default")
    out = tuple(dict.fromkeys(r for group in found for r in group if r))
    return out or (ch,)


class _Syllables(dict[int, str]):
    """`str.translate` table: a character to its first reading and a space ("tan da feng "), filled on
    first sight; `alts` holds every reading of the heteronyms. Keying a vocabulary through it runs at
    C speed except for the words with a heteronym."""

    def __init__(self) -> None:
        super().__init__()
        self[0] = "\0"  # the separator of the whole-vocabulary translate in `PinyinSuggester.build`
        self.alts: dict[str, tuple[str, ...]] = {}

    def __missing__(self, code: int) -> str:
        ch = chr(code)
        r = readings(ch)
        if len(r) > 1:
            self.alts[ch] = tuple(x + " " for x in r)
        self[code] = value = r[0] + " "
        return value


_TABLE = _Syllables()


def keys(word: str) -> list[str]:
    """The pinyin keys of a word ("tan da feng "): the first readings, then other heteronym readings
    (重 zhong/chong), at most `MAX_KEYS`."""
    primary = word.translate(_TABLE)
    alts = _TABLE.alts
    if alts.keys().isdisjoint(word):
        return [primary]
    parts = [alts.get(ch) or (_TABLE[ord(ch)],) for ch in word]
    return list(itertools.islice(map("".join, itertools.product(*parts)), MAX_KEYS))


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
            # One translate call over the whole vocabulary (NUL-separated) folds and keys it at C speed.
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
            words = [w for w in freq if _CJK_WORD.fullmatch(w)]
            table, alts = _TABLE, _TABLE.alts
            primaries = "\0".join(words).translate(table).split("\0") if words else []
            index: dict[str, list[str]] = {}
            for w, primary in zip(words, primaries, strict=True):
                bucket = index.get(primary)
                if bucket is None:
                    index[primary] = [w]
                else:
                    bucket.append(w)
                if not alts.keys().isdisjoint(w):
                    parts = [alts.get(ch) or (table[ord(ch)],) for ch in w]
                    for k in itertools.islice(map("".join, itertools.product(*parts)), 1, MAX_KEYS):
                        index.setdefault(k, []).append(w)
            self._freq, self._index = freq, index
            self._vocabulary = None

    def __len__(self) -> int:
        self.build()
        return len(self._freq)

    def frequency(self, word: str) -> int:
        self.build()
        return self._freq.get(fold(word).strip(), 0)

    def _sound_alikes(self, term: str) -> list[str]:
        """Vocabulary words other than `term` with one of its pinyin keys, best first."""
        if not (MIN_LEN <= len(term) <= MAX_LEN and is_cjk(term)):
            return []
        self.build()
        index = self._index
        from pypinyin import Style, lazy_pinyin

        phrase = " ".join(lazy_pinyin(term, style=Style.NORMAL)) + " "
        found: dict[str, None] = {}
        for k in dict.fromkeys([phrase, *keys(term)]):
            for w in index.get(k, ()):
                if w != term:
                    found[w] = None

        def rank(w: str) -> tuple[int, int, str]:
            # Characters kept in place first (a typo changes one or two), then document frequency.
            same = sum(a == b for a, b in zip(w, term, strict=False))
            return (-same, -self._freq.get(w, 0), w)

        return sorted(found, key=rank)

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
