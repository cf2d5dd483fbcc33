"""Exact-substring recall from a positional character-bigram index: Ctrl+F never misses, and neither may we.

The key of a clause is its folded text with white space removed (`compact(fold(text))`), so `到 2030 年`
and `到2030年` are the same literal and full-width digits match ASCII ones. The keys are laid end to end,
each followed by NUL (which stored text never contains), as one sequence of characters.

The index lists, for every character bigram of that sequence, the positions where it starts (a bigram
of a key's last character is that character followed by NUL, so every character of every key starts
one bigram). A needle of L >= 2 characters occurs at position s exactly when each of its L-1 bigrams
occurs at s + j: the lookup takes the positions of its rarest bigram and keeps those the other
bigrams' position lists confirm, a sorted membership test (`numpy.searchsorted`) per bigram. No
candidate is verified against the text because none needs to be: the bigrams cover the needle, so the
answer is exact, and a needle never spans two keys because it holds no NUL. A single character is the
union of the bigrams it begins. Positions map to clauses through the keys' start offsets.

On the 3,500-law library (18 M characters, 165 k clauses) a lookup takes 0.3 ms at the median and
~4 ms at p95 where the former scan of the whole text took 15 ms and 35 ms (docs/SCALING.md); the arrays
take 4 bytes per character (positions) plus 4 bytes per clause, memory-mapped on open; the build sorts
(code << 32 | position) keys a partition of first characters at a time (~4 s, +230 MB at its peak).

Files in an index generation (derived data, rebuilt with the generation):
    literal-meta.json       format version and sizes
    literal-ids.json        clause id of each key, in index order
    literal-starts.npy      start of each key in the sequence (uint32; one more: the total length)
    literal-alphabet.npy    the characters of the sequence, sorted (uint32 code points; NUL first)
    literal-codes.npy       distinct bigram codes, sorted (rank(first) * len(alphabet) + rank(second))
    literal-offsets.npy     where each code's positions begin in literal-positions.npy (one more: the end)
    literal-positions.npy   positions of each bigram, grouped by code, ascending within a code (uint32)
    literal-text.npy        the sequence itself in UTF-8 (uint8): what the re-rank reads of a clause (its
                            typed words and their proximity) without loading and folding it
    literal-textpos.npy     where each key begins in literal-text.npy (uint64; one more: the end), its NUL
                            the byte before the next one
    literal-tags.npy        one byte per key that the indexer supplies and search reads back (the
                            boilerplate priors of app.core.search.priors.prior_flags)
"""

from __future__ import annotations

import itertools
import json
import os
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, Literal

import numpy as np
import numpy.typing as npt

from app.core.normalize import compact, fold

SEP = "\x00"
CACHE_SIZE = 256  # needles whose matches are remembered (a query's terms are looked up twice; typing repeats them)
FORMAT_VERSION = 4  # 1: literal.txt scanned with str.find; 2: positional bigram index; 3: + keys and tags; 4: keys with their NULs
META_FILE = "literal-meta.json"
IDS_FILE = "literal-ids.json"
ARRAYS = ("starts", "alphabet", "codes", "offsets", "positions", "text", "textpos", "tags")
MAX_CHARS = 2**32 - 2  # positions are uint32
_POS_MASK = np.uint64(0xFFFFFFFF)
GAP_LIMIT = 200  # bigrams first+x looked at per gap lookup (`gap_fills`), the most frequent
_PART = 1 << 21  # positions per partition of the build's sort (bounds its temporary memory)

U32 = npt.NDArray[np.uint32]
U64 = npt.NDArray[np.uint64]
I64 = npt.NDArray[np.int64]


def key_of(text: str) -> str:
    return compact(fold(text)).replace(SEP, "")


def _stamp(path: Path) -> tuple[int, int, int]:
    st = path.stat()
    return st.st_ino, st.st_size, st.st_mtime_ns


def _array_file(name: str) -> str:
    return f"literal-{name}.npy"


class LiteralIndex:
    """Read-only after construction (but for a small result cache); safe to share between threads."""

    def __init__(self, ids: list[str] | Callable[[], list[str]], starts: npt.NDArray[Any], alphabet: U32, codes: U64,
                 offsets: U64, positions: U32, text: npt.NDArray[np.uint8], textpos: U64,
                 tags: npt.NDArray[np.uint8]) -> None:
        """`ids` may be a loader: search reads rows through the docnum map and never needs them (the file
        is 10 MB of JSON on the full library, a tenth of a second of every start)."""
        if not callable(ids) and len(starts) != len(ids) + 1:
            raise ValueError(f"literal index: {len(starts) - 1} keys for {len(ids)} ids")
        if len(offsets) != len(codes) + 1:
            raise ValueError("literal index: offsets do not match the bigram codes")
        if len(textpos) != len(starts) or len(tags) != len(starts) - 1:
            raise ValueError("literal index: keys or tags do not match the rows")
        self._ids = ids
        self.starts = np.asarray(starts, dtype=np.int64)  # in memory (4 bytes a clause on disk, 8 here)
        self.alphabet = alphabet
        self.codes = codes
        self.offsets = offsets
        self.positions = positions
        self.text, self.textpos, self.tags = text, textpos, tags
        # Plain views (numpy's memmap indexing runs Python code per item): keys are read a hundred per search.
        self._text = np.asarray(text).data
        self._textpos = np.asarray(textpos)
        self._tags = np.asarray(tags)
        self.width = max(1, len(alphabet))
        self._rank = {chr(int(c)): r for r, c in enumerate(alphabet.tolist())}
        self._cache: OrderedDict[str, tuple[str, ...]] = OrderedDict()
        self._rows_cache: OrderedDict[str, I64] = OrderedDict()
        self._cache_lock = threading.Lock()

    @property
    def ids(self) -> list[str]:
        """Clause id of each row (loaded on first use when the index was opened from files)."""
        if callable(self._ids):
            with self._cache_lock:
                if callable(self._ids):
                    ids = self._ids()
                    if len(ids) != len(self):
                        raise ValueError(f"literal index: {len(self)} keys for {len(ids)} ids")
                    self._ids = ids
        assert not callable(self._ids)
        return self._ids

    # -- build -----------------------------------------------------------------------------------
    @classmethod
    def build(cls, items: Iterable[tuple[str, str]]) -> LiteralIndex:
        """From (clause id, full text) pairs; every tag 0."""
        return cls.from_keys((cid, key_of(text), 0) for cid, text in items)

    @classmethod
    def from_keys(cls, items: Iterable[tuple[str, str, int]]) -> LiteralIndex:
        """From (clause id, key, tag) triples: the keys as `key_of` makes them, a tag a byte (0..255)."""
        ids: list[str] = []
        keys: list[str] = []
        tag_list: list[int] = []
        for cid, key, tag in items:
            ids.append(cid)
            keys.append(key)
            tag_list.append(tag)
        tags = np.array(tag_list, dtype=np.uint8)
        del tag_list
        blob = "".join(k + SEP for k in keys)
        if len(blob) > MAX_CHARS:
            raise ValueError(f"literal index: {len(blob)} characters exceed the format's {MAX_CHARS}")
        lengths = np.fromiter((len(k) + 1 for k in keys), dtype=np.uint64, count=len(keys))
        starts = np.zeros(len(keys) + 1, dtype=np.uint64)
        np.cumsum(lengths, out=starts[1:])
        # The keys in UTF-8, each with its NUL (one encoding of the whole sequence: a list of encoded keys
        # beside it was ~60 MB more at the build's peak on the full library).
        lengths = np.fromiter((len(k.encode("utf-8")) + 1 for k in keys), dtype=np.uint64, count=len(keys))
        textpos = np.zeros(len(keys) + 1, dtype=np.uint64)
        np.cumsum(lengths, out=textpos[1:])
        del keys, lengths
        text = np.frombuffer(blob.encode("utf-8"), dtype=np.uint8)
        chars = np.frombuffer(blob.encode("utf-32-le"), dtype="<u4")
        del blob
        # A partition at a time: numpy turns an index array into a temporary of 8-byte integers (bincount and
        # lut[chars] over the whole sequence at once were 144 MB each on the full library).
        parts = range(0, len(chars), _PART)
        present = np.zeros(int(chars.max()) + 1 if len(chars) else 1, dtype=np.bool_)
        for i in parts:
            present[chars[i : i + _PART]] = True
        present[0] = True  # NUL ranks first (0) even in an empty index
        alphabet = np.flatnonzero(present).astype(np.uint32)
        del present
        # Ranks in 16 bits while the alphabet allows (CJK text: ~8 k characters): half the memory.
        rtype = np.uint16 if len(alphabet) <= 1 << 16 else np.uint32
        lut = np.zeros(int(alphabet[-1]) + 1, dtype=rtype)
        lut[alphabet] = np.arange(len(alphabet), dtype=rtype)
        ranks = np.empty(len(chars), dtype=rtype)
        for i in parts:
            ranks[i : i + _PART] = lut[chars[i : i + _PART]]
        holder = [ranks]  # handed over: the callee releases the ranks as soon as it can
        del chars, lut, ranks
        codes, offsets, positions = _bigram_postings(holder, len(alphabet))
        return cls(ids, starts.astype(np.uint32), alphabet, codes, offsets, positions, text, textpos, tags)

    # -- files -----------------------------------------------------------------------------------
    def save(self, folder: Path) -> None:
        arrays: dict[str, npt.NDArray[Any]] = {"starts": self.starts, "alphabet": self.alphabet, "codes": self.codes,
                                               "offsets": self.offsets, "positions": self.positions,
                                               "text": self.text, "textpos": self.textpos, "tags": self.tags}
        for name, arr in arrays.items():
            tmp = folder / (_array_file(name) + ".tmp")
            with open(tmp, "wb") as f:
                np.save(f, np.ascontiguousarray(arr), allow_pickle=False)
                f.flush()
                os.fsync(f.fileno())
            os.replace(tmp, folder / _array_file(name))
        meta = {"version": FORMAT_VERSION, "keys": len(self.ids), "chars": int(self.starts[-1]),
                "bigrams": len(self.codes)}
        # The meta file last: its presence (with this version) says the generation's literal index is whole.
        for name, data in ((IDS_FILE, json.dumps(self.ids, ensure_ascii=False)), (META_FILE, json.dumps(meta))):
            tmp = folder / (name + ".tmp")
            with open(tmp, "w", encoding="utf-8", newline="") as f:
                f.write(data)
                f.flush()
                os.fsync(f.fileno())
            os.replace(tmp, folder / name)

    @classmethod
    def load(cls, folder: Path) -> LiteralIndex:
        meta = json.loads((folder / META_FILE).read_text(encoding="utf-8"))
        if meta.get("version") != FORMAT_VERSION:
            raise ValueError(f"literal index format {meta.get('version')}, expected {FORMAT_VERSION}")
        opened = _stamp(folder / IDS_FILE)

        def ids() -> list[str]:
            if _stamp(folder / IDS_FILE) != opened:  # an incremental update rewrote the generation since
                raise ValueError("literal index changed since it was opened")
            loaded: list[str] = json.loads((folder / IDS_FILE).read_text(encoding="utf-8"))
            return loaded

        # Memory-mapped on POSIX: opening costs nothing, only the pages of the bigrams looked up are read,
        # and processes share them. Windows cannot replace a mapped file (an incremental update rewrites
        # these files in place), so there they are read into memory.
        mode: Literal["r"] | None = "r" if os.name == "posix" else None
        a = {name: np.load(folder / _array_file(name), mmap_mode=mode, allow_pickle=False) for name in ARRAYS}
        return cls(ids, a["starts"], np.asarray(a["alphabet"]), a["codes"], a["offsets"], a["positions"], a["text"],
                   a["textpos"], a["tags"])

    @staticmethod
    def exists(folder: Path) -> bool:
        try:
            meta = json.loads((folder / META_FILE).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return False
        return (isinstance(meta, dict) and meta.get("version") == FORMAT_VERSION and (folder / IDS_FILE).exists()
                and all((folder / _array_file(n)).exists() for n in ARRAYS))

    # -- lookups ---------------------------------------------------------------------------------
    def find(self, needle: str) -> tuple[str, ...]:
        """Ids of the clauses whose key contains `needle` (a compact folded key), in index order."""
        if not needle or SEP in needle:
            return ()
        with self._cache_lock:
            hit = self._cache.get(needle)
            if hit is not None:
                self._cache.move_to_end(needle)
                return hit
        ids = self.ids
        found = tuple(ids[i] for i in self.rows(needle).tolist())
        with self._cache_lock:
            self._cache[needle] = found
            while len(self._cache) > CACHE_SIZE:
                self._cache.popitem(last=False)
        return found

    def cached(self, needle: str) -> bool:
        """Whether `needle`'s matches are remembered (a lookup costs next to nothing then)."""
        with self._cache_lock:
            return needle in self._cache or needle in self._rows_cache

    def rows(self, needle: str) -> I64:
        """Row numbers (positions in `ids`) of the clauses whose key contains `needle`, ascending."""
        if not needle or SEP in needle:
            return np.zeros(0, dtype=np.int64)
        with self._cache_lock:
            hit = self._rows_cache.get(needle)
            if hit is not None:
                self._rows_cache.move_to_end(needle)
                return hit
        found = self._lookup(needle)
        found.setflags(write=False)
        with self._cache_lock:
            self._rows_cache[needle] = found
            while len(self._rows_cache) > CACHE_SIZE:
                self._rows_cache.popitem(last=False)
        return found

    def key(self, row: int) -> str:
        """The key of row `row` (its clause's text as `key_of` folds it)."""
        return str(self._text[int(self._textpos[row]) : int(self._textpos[row + 1]) - 1], "utf-8")

    def tag(self, row: int) -> int:
        """The tag given to row `row` when the index was built."""
        return int(self._tags[row])

    def _range(self, lo_code: int, hi_code: int) -> tuple[int, int]:
        """The slice of `positions` holding the bigrams with codes in [lo_code, hi_code)."""
        # uint64 scalars: a Python int would make numpy convert the whole code array on every call
        lo, hi = (int(i) for i in np.searchsorted(self.codes, np.array([lo_code, hi_code], dtype=np.uint64)))
        return int(self.offsets[lo]), int(self.offsets[hi])

    def _lookup(self, needle: str) -> I64:
        empty = np.zeros(0, dtype=np.int64)
        ranks = [self._rank.get(ch) for ch in needle]
        if any(r is None for r in ranks):
            return empty
        rs = [int(r) for r in ranks if r is not None]
        w = self.width
        if len(rs) == 1:  # one character: every bigram it begins
            a, b = self._range(rs[0] * w, (rs[0] + 1) * w)
            return self._to_rows(np.asarray(self.positions[a:b], dtype=np.int64), ordered=False)
        spans: list[tuple[int, int, int, int]] = []  # (count, offset in the needle, slice of positions)
        for j in range(len(rs) - 1):
            code = rs[j] * w + rs[j + 1]
            a, b = self._range(code, code + 1)
            if a == b:
                return empty
            spans.append((b - a, j, a, b))
        spans.sort()  # rarest bigram first: it bounds the candidates
        _, j0, a, b = spans[0]
        starts = np.asarray(self.positions[a:b], dtype=np.int64) - j0
        starts = starts[starts >= 0]
        for _, j, a, b in spans[1:]:
            if not len(starts):
                return empty
            plist = self.positions[a:b]
            want = (starts + j).astype(np.uint32)  # < 2**32: positions are uint32 (same dtype: no conversion)
            at = np.searchsorted(plist, want)
            ok = at < len(plist)
            ok[ok] = plist[at[ok]] == want[ok]
            starts = starts[ok]
        return self._to_rows(starts, ordered=True)

    def gap_fills(self, first: str, last: str, limit: int = GAP_LIMIT) -> dict[str, int]:
        """The characters x found between `first` and `last` (first + x + last in a key) with how often:
        砍, 树 → {伐: 8} (砍伐树木). Per x it joins the positions of the bigrams first+x and x+last; the
        `limit` most frequent bigrams first+x are looked at (a common first character begins thousands)."""
        ra, rb = self._rank.get(first), self._rank.get(last)
        if ra is None or rb is None:
            return {}
        w = self.width
        lo, hi = (int(i) for i in np.searchsorted(self.codes, np.array([ra * w, (ra + 1) * w], dtype=np.uint64)))
        codes = np.asarray(self.codes[lo:hi], dtype=np.int64)
        sizes = np.diff(np.asarray(self.offsets[lo : hi + 1], dtype=np.int64))
        out: dict[str, int] = {}
        for i in np.argsort(-sizes, kind="stable")[:limit].tolist():
            x = int(codes[i]) - ra * w
            if x == 0:  # first + NUL: the end of a key
                continue
            a, b = self._range(x * w + rb, x * w + rb + 1)
            if a == b:
                continue
            follow = self.positions[a:b]
            want = (np.asarray(self.positions[int(self.offsets[lo + i]) : int(self.offsets[lo + i + 1])],
                               dtype=np.int64) + 1).astype(np.uint32)
            at = np.searchsorted(follow, want)
            ok = at < len(follow)
            ok[ok] = follow[at[ok]] == want[ok]
            if found := int(np.count_nonzero(ok)):
                out[chr(int(self.alphabet[x]))] = found
        return out

    def _to_rows(self, pos: I64, *, ordered: bool) -> I64:
        """Clause rows of character positions (distinct, ascending)."""
        if not len(pos):
            return np.zeros(0, dtype=np.int64)
        rows = np.searchsorted(self.starts, pos, side="right").astype(np.int64) - 1
        if ordered:  # ascending positions give ascending rows: drop repeats
            keep = np.ones(len(rows), dtype=bool)
            keep[1:] = rows[1:] != rows[:-1]
            return rows[keep]
        if len(rows) * 8 > len(self):
            mask = np.zeros(len(self), dtype=bool)
            mask[rows] = True
            return np.flatnonzero(mask).astype(np.int64)
        return np.unique(rows)

    def __len__(self) -> int:
        return len(self.starts) - 1


def _bigram_postings(holder: list[npt.NDArray[Any]], width: int) -> tuple[U64, U64, U32]:
    """(distinct codes, offsets, positions) of the bigrams starting at each non-NUL character of the
    rank sequence (`holder`'s only item, taken from it).

    The positions are sorted by (code, position) one partition at a time: a partition is a range of
    first characters holding about _PART positions, its keys (code << 32 | position) sorted on their own
    and written to their place in the output. Temporary memory stays a few bytes per position of one
    partition on top of the ranks and the output (4 bytes per character each)."""
    ranks = holder.pop()
    n = len(ranks)
    per_first = np.bincount(ranks, minlength=width)
    per_first[0] = 0  # bigrams beginning with NUL: no needle holds NUL
    total = int(per_first.sum())
    positions = np.empty(total, dtype=np.uint32)
    code_parts: list[U64] = []
    offset_parts: list[npt.NDArray[np.int64]] = []
    # Partition boundaries (first-character ranks) with about _PART positions each.
    cum = np.cumsum(per_first)
    bounds = [1]
    for cut in range(_PART, total, _PART):
        r = int(np.searchsorted(cum, cut, side="left")) + 1
        if r > bounds[-1]:
            bounds.append(r)
    bounds.append(width)
    shift = np.uint64(32)
    done = 0
    for rlo, rhi in itertools.pairwise(bounds):
        if rhi <= rlo:
            continue
        # ranks - rlo < rhi - rlo, in unsigned arithmetic: one comparison for the range
        sel = np.flatnonzero((ranks - ranks.dtype.type(rlo)) < (rhi - rlo))
        if not len(sel):
            continue
        nxt = sel + 1
        follow = np.zeros(len(sel), dtype=np.uint64)
        inside = nxt < n
        follow[inside] = ranks[nxt[inside]]
        del nxt, inside
        keys = ranks[sel].astype(np.uint64)
        keys *= np.uint64(width)
        keys += follow
        keys <<= shift
        keys += sel.astype(np.uint64)
        del follow, sel
        keys.sort()
        m = len(keys)
        positions[done : done + m] = keys & _POS_MASK
        keys >>= shift
        first = np.ones(m, dtype=bool)
        first[1:] = keys[1:] != keys[:-1]
        where = np.flatnonzero(first)
        code_parts.append(keys[where])
        offset_parts.append(where + done)
        done += m
        del keys, first, where
    del ranks
    if done != total:
        raise AssertionError(f"literal index: {done} bigram positions sorted, {total} expected")
    codes = np.concatenate(code_parts).astype(np.uint64) if code_parts else np.zeros(0, dtype=np.uint64)
    offsets = np.concatenate([*offset_parts, np.array([total], dtype=np.int64)]).astype(np.uint64)
    return codes, offsets, positions
