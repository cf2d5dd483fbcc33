"""Query expansion: the curated synonym/abbreviation dictionary and numeral variants.

`Synonyms.expand("危废")` gives `["危险废物"]`; `numeral_variants("十五分钟")` gives `["15分钟"]`.
These are *alternatives* of a query term: the searcher matches them at a LOWER weight than the term
as typed (an exact hit always outranks a synonym hit) and tells the user what else it matched
("也匹配：危险废物"). Quoted phrases are never expanded. Expansion is one step, never transitive.

The dictionary is `resources/synonyms.json` (format described in its `about`): symmetric `groups`
and `oneway` entries (上位词→下位词, 口语→规范表述) that must not expand back, merged with the
lexicon files under `resources/lexicon/` (curated, mined from the corpus, 同义词词林), each with a
weight: `expand_weighted` gives it per alternative (see `lexicon.py`).
Pure functions over folded text; no whoosh here.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any

from app.core.normalize import compact, fold
from app.core.numbers import cn_to_int, int_to_cn
from app.core.search.lexicon import LoadedSource, read_sources

SYNONYMS_FILE = "synonyms.json"
MAX_ALTERNATIVES = 8
# A contained entry also stands alone as an alternative when it covers at least this share of the
# term (噪音投诉 → 噪声; 垃圾回收率目标 → 生活垃圾回收利用率): the rest is then usually a generic word.
BARE_SHARE = 0.5


@lru_cache(maxsize=1 << 16)
def _key(text: str) -> str:
    """Folded, compacted form of a dictionary term or query term (memoised: building the lexicon
    keys each term once per pair of its group, and folding is the cost of the first search)."""
    return compact(fold(text))


def _is_ascii_alnum(ch: str) -> bool:
    return ch.isascii() and ch.isalnum()


@dataclass(frozen=True)
class Synonyms:
    """The loaded dictionary: folded keys → alternatives in their dictionary spelling, best first.

    `weights[k][i]` is how much `whole[k][i]` is trusted (1.0 curated, 0.9 mined, 0.5 词林; see lexicon.py).
    """

    whole: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    contained: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # keys usable inside a term
    group_count: int = 0
    oneway_count: int = 0
    _by_length: tuple[str, ...] = ()
    weights: Mapping[str, tuple[float, ...]] = field(default_factory=dict)
    # term key -> (the term as the dictionary writes it, the classes an inferred source gives it): 医疗废物 ->
    # 危险废物, for the notice that names it an inference (`classes_inside`)
    classes: Mapping[str, tuple[str, tuple[str, ...]]] = field(default_factory=dict)
    contained_weights: Mapping[str, tuple[float, ...]] = field(default_factory=dict)  # parallel to `contained`
    plain: Mapping[str, frozenset[str]] = field(default_factory=dict)  # key -> alternative keys of non-inferred sources

    @classmethod
    def from_data(cls, data: Mapping[str, Any], weight: float = 1.0, whole_only: bool = False) -> Synonyms:
        """Build from the parsed JSON (see `resources/synonyms.json`)."""
        return cls.from_sources([LoadedSource(data, weight, whole_only)])

    @classmethod
    def from_sources(cls, sources: Iterable[LoadedSource]) -> Synonyms:
        """Merge several dictionaries; a key's alternatives are ordered by weight, then by source order.

        A source loaded with `whole_only` contributes no key usable inside a longer term.
        """
        whole: dict[str, list[tuple[str, float]]] = {}
        classes: dict[str, tuple[str, list[str]]] = {}
        inside: dict[str, list[tuple[str, float]]] = {}  # the alternatives usable inside a longer term
        plain: dict[str, set[str]] = {}
        n_groups = n_ways = 0
        for src in sources:
            groups = list(src.data.get("groups", []))
            ways = list(src.data.get("oneway", []))
            n_groups += len(groups)
            n_ways += len(ways)
            for g in groups:
                terms = [t for t in g.get("terms", []) if _key(t)]
                for t in terms:
                    k = _key(t)
                    alts = [(o, src.weight) for o in terms if _key(o) != k]
                    whole.setdefault(k, []).extend(alts)
                    plain.setdefault(k, set()).update(_key(o) for o, _ in alts)
                    if not (src.whole_only or g.get("whole_only", False)):
                        inside.setdefault(k, []).extend(alts)
            for w in ways:
                k = _key(w.get("from", ""))
                if k:
                    to = [(t, src.weight) for t in w.get("to", []) if _key(t) and _key(t) != k]
                    whole.setdefault(k, []).extend(to)
                    if src.inferred:
                        classes.setdefault(k, (w["from"], []))[1].extend(t for t, _ in to)
                    else:
                        plain.setdefault(k, set()).update(_key(t) for t, _ in to)
                    if not (src.whole_only or w.get("whole_only", False)):
                        inside.setdefault(k, []).extend(to)
        ranked = {k: _dedupe_weighted(sorted(v, key=lambda a: -a[1]), k) for k, v in whole.items()}
        ranked = {k: v for k, v in ranked.items() if v}
        texts = {k: tuple(a for a, _ in v) for k, v in ranked.items()}
        weights = {k: tuple(w for _, w in v) for k, v in ranked.items()}
        # Inside a longer term only what a source allows there: 医疗废物's synonyms (医废), not its class (危险废物).
        inside_ranked = {k: _dedupe_weighted(sorted(v, key=lambda a: -a[1]), k) for k, v in inside.items()}
        contained = {k: tuple(a for a, _ in v) for k, v in inside_ranked.items() if v}
        contained_weights = {k: tuple(w for _, w in v) for k, v in inside_ranked.items() if v}
        by_length = tuple(sorted(contained, key=lambda k: (-len(k), k)))
        return cls(texts, contained, n_groups, n_ways, by_length, weights,
                   {k: (name, tuple(dict.fromkeys(v))) for k, (name, v) in classes.items()}, contained_weights,
                   {k: frozenset(v) for k, v in plain.items()})

    def __len__(self) -> int:
        return self.group_count

    def expand(self, term_text: str) -> list[str]:
        """Alternatives of one query term (folded or not), best first, at most MAX_ALTERNATIVES.

        The whole term found in the dictionary gives its group (and one-way targets). Otherwise every
        dictionary entry the term contains, on word boundaries, is replaced (噪音投诉 → 噪声投诉), and
        an entry covering at least half the term also stands alone (噪音投诉 → 噪声). The term itself
        is never returned. Callers match the alternatives at a lower weight than the term.
        """
        return [a for a, _ in self.expand_weighted(term_text)]

    def expand_weighted(self, term_text: str) -> list[tuple[str, float]]:
        """`expand` with each alternative's weight (1.0 curated … 0.5 词林; a contained replacement
        carries its entry's weight, and a replacement of several entries the lowest of theirs)."""
        key = _key(term_text)
        if not key:
            return []
        found = self.whole.get(key)
        if found is not None:
            return list(zip(found, self.weights.get(key, ()), strict=True))[:MAX_ALTERNATIVES]
        return self._expand_contained(key)

    def is_entry(self, text: str) -> bool:
        """`text` is a term of the lexicon itself (a key with alternatives of its own, not one found inside it)."""
        return _key(text) in self.whole

    def classes_inside(self, text: str) -> list[tuple[str, str]]:
        """(thing, class) for every thing of an inferred source that `text` is or holds (焚烧飞灰 → 飞灰, 危险废物):
        the search may reach a class through a word of a term or a piece of a compound. Not a class that another
        source gives `text` as a synonym (河湖长制 of 河长制, though it is 河长's class)."""
        key = _key(text)
        own = self.plain.get(key, frozenset())
        return [(name, c) for k, (name, cs) in self.classes.items() if k and k in key for c in cs if _key(c) not in own]

    def is_class_of(self, alternative: str, term: str) -> bool:
        """`alternative` is a class of `term` or of a thing inside it (危险废物 of 飞灰), not a synonym of it."""
        return any(_key(c) == _key(alternative) for _, c in self.classes_inside(term))

    def _weight(self, key: str, i: int) -> float:
        ws = self.contained_weights.get(key, ())
        return ws[i] if i < len(ws) else 1.0

    def _expand_contained(self, key: str) -> list[tuple[str, float]]:
        spans = self._entries_in(key)
        replaced: list[tuple[str, float]] = []
        bare: list[tuple[str, float]] = []
        for s, e, entry, on_bounds in spans:
            cjk_entry = not any(_is_ascii_alnum(c) for c in entry)
            for i, alt in enumerate(self.contained[entry]):
                w = self._weight(entry, i)
                # 规划环评 → 规划环境影响评价, not 规划EIA: a Latin acronym glued into a Chinese compound reads
                # like nothing anyone writes.
                if not (cjk_entry and alt.isascii() and (s > 0 or e < len(key))):
                    replaced.append((key[:s] + alt + key[e:], w))
                if on_bounds and (e - s) >= BARE_SHARE * len(key):
                    bare.append((alt, w))
        if len(spans) > 1:  # every entry replaced at once, with its first alternative
            out, w = key, 1.0
            for s, e, entry, _ in sorted(spans, reverse=True):
                out = out[:s] + self.contained[entry][0] + out[e:]
                w = min(w, self._weight(entry, 0))
            replaced.insert(0, (out, w))
        return list(_dedupe_weighted(replaced + bare, key)[:MAX_ALTERNATIVES])

    def _entries_in(self, key: str) -> list[tuple[int, int, str, bool]]:
        """Non-overlapping dictionary entries inside `key` (longest first), in text order.

        Each comes with whether it sits on word boundaries (rather than inside one word: 规划环评 ⊃ 环评).
        """
        taken: list[tuple[int, int, str, bool]] = []
        tokens: list[tuple[int, int]] | None = None
        for entry in self._entries_inside(key):
            start = key.find(entry)
            while start >= 0:
                end = start + len(entry)
                if not any(s < end and start < e for s, e, _, _ in taken):
                    if any(_is_ascii_alnum(c) for c in entry):
                        fit = "bounds" if _ascii_bounded(key, start, end) else ""
                    else:
                        if tokens is None:
                            tokens = _token_spans(key)
                        fit = _aligned(key, tokens, start, end)
                    if fit:
                        taken.append((start, end, entry, fit in ("bounds", "rests")))
                start = key.find(entry, start + 1)
        return sorted(taken)


    def _entries_inside(self, key: str) -> list[str]:
        """The entries shorter than `key` that occur in it, in `_by_length` order: the key's substrings looked
        up (a query is short; the lexicon has thousands of entries, each a `find` before)."""
        entries = self._entry_set
        if not entries:
            return []
        longest = min(len(key) - 1, len(self._by_length[0]))
        found = {key[i:i + n] for n in range(1, longest + 1) for i in range(len(key) - n + 1)}
        return sorted(found & entries, key=lambda k: (-len(k), k))

    @cached_property
    def _entry_set(self) -> frozenset[str]:
        return frozenset(self._by_length)


def _ascii_bounded(key: str, start: int, end: int) -> bool:
    """An ASCII entry must not be glued to other letters/digits (`co` inside `co2`)."""
    before = key[start - 1] if start > 0 else ""
    after = key[end] if end < len(key) else ""
    edge_ok = not (_is_ascii_alnum(key[start]) and before and _is_ascii_alnum(before))
    return edge_ok and not (_is_ascii_alnum(key[end - 1]) and after and _is_ascii_alnum(after))


def _token_spans(key: str) -> list[tuple[int, int]]:
    from app.core.search import segment  # jieba loads lazily, only when a term needs it

    spans, pos = [], 0
    for tok in segment.cut(key):
        spans.append((pos, pos + len(tok)))
        pos += len(tok)
    return spans


def _aligned(key: str, tokens: list[tuple[int, int]], start: int, end: int) -> str:
    """How [start, end) fits the segmentation: "bounds" when it starts and ends on word boundaries,
    "inside" when it is the head or the tail of one word (规划环评 ⊃ 环评), "" otherwise
    (功能评价 does not contain 能评).

    "rests" when a boundary jieba drew elsewhere is crossed but what the entry leaves of the word it cuts
    is a word of its own: 厨余垃圾处理 is cut 厨余|垃圾处理, yet 厨余垃圾 + 处理 is as good a reading."""
    bounds = {s for s, _ in tokens} | {e for _, e in tokens}
    if start in bounds and end in bounds:
        return "bounds"
    inside = any(s <= start and end <= e and (s == start or e == end) for s, e in tokens)
    if inside:
        return "inside"
    rests = [key[s:start] for s, e in tokens if s < start < e] + [key[end:e] for s, e in tokens if s < end < e]
    return "rests" if rests and all(_is_word(r) for r in rests) else ""


def _is_word(text: str) -> bool:
    """A word of two or more characters that segments as itself (处理; not 价 or 能评价's 价)."""
    from app.core.search import segment

    return len(text) >= 2 and segment.cut(text) == [text]


def _dedupe_weighted(items: Iterable[tuple[str, float]], own_key: str) -> tuple[tuple[str, float], ...]:
    """First occurrence of each folded alternative (callers put the heaviest first), never `own_key`."""
    seen = {own_key}
    out: list[tuple[str, float]] = []
    for it, w in items:
        k = _key(it)
        if k and k not in seen:
            seen.add(k)
            out.append((it, w))
    return tuple(out)


def load(resources_dir: str | Path) -> Synonyms:
    """The merged lexicon under `resources_dir` (see `lexicon.SOURCES`), cached per folder; an empty
    one when no file is there. Loaded on the first search: it stays well under 150 ms."""
    return _load(str(Path(resources_dir)))


@lru_cache(maxsize=8)
def _load(resources_dir: str) -> Synonyms:
    return Synonyms.from_sources(read_sources(resources_dir))


# -- numerals ---------------------------------------------------------------------------------------
# Units after which a number is a quantity or a date (五个新城 → 5个新城; 一河一策 stays as it is).
_UNITS = sorted(
    ["平方公里", "平方千米", "平方米", "立方米", "公里", "千米", "公顷", "万亩", "亩", "万吨", "吨", "万千瓦", "千瓦",
     "公斤", "千克", "克", "升", "个月", "月", "年", "日", "天", "周年", "周", "小时", "分钟", "秒", "米", "倍", "项",
     "座", "辆", "家", "所", "条", "款", "章", "节", "批", "次", "人", "岁", "户", "个", "标准箱", "%", "分贝"],
    key=len, reverse=True)
_UNIT_RE = "|".join(re.escape(u) for u in _UNITS)
_CN_DIGIT = "零〇○一二三四五六七八九两"
# A quantity before a unit (十五分钟, 两万亩, 十四点六公里), or four digits with a zero (二〇三〇).
_CN_RUN = re.compile(f"[{_CN_DIGIT}十][{_CN_DIGIT}十百千万亿]*(?:点[{_CN_DIGIT}]+)?(?={_UNIT_RE})"
                     f"|(?=[{_CN_DIGIT}]*[零〇○])[{_CN_DIGIT}]{{4}}")
_PERCENT_CN = re.compile(f"百分之([{_CN_DIGIT}十百千]+(?:点[{_CN_DIGIT}]+)?)")
# group 2: "%" (consumed), "" (a unit follows) or None (nothing numeric follows: only a year converts).
_AR_RUN = re.compile(rf"(?<![A-Za-z0-9.])([0-9]+(?:\.[0-9]+)?)(%|(?={_UNIT_RE}|万|亿))?(?![0-9.])")
_ORDINAL_UNITS = frozenset("条款章节月日号级类")
_POSITIONAL = {str(i): d for i, d in enumerate("〇一二三四五六七八九")}


def _cn_number(run: str) -> str | None:
    """Chinese numeral (十四点六, 两万, 二〇三〇) → Arabic digits (14.6, 2万, 2030); None if malformed."""
    head, _, frac = run.partition("点")
    unit = ""
    if head[-1] in "万亿" and len(head) > 1:
        head, unit = head[:-1], head[-1]
    n = cn_to_int(head)
    if n is None:
        return None
    digits = ""
    for ch in frac:
        d = cn_to_int(ch)
        if d is None:
            return None
        digits += str(d)
    return f"{n}{'.' + digits if digits else ''}{unit}"


def _ar_number(num: str, year: bool, after: str = "", ordinal: bool = False) -> str:
    """Arabic digits → Chinese (15 → 十五, 14.6 → 十四点六, 2个 → 两个; a year 2030 → 二〇三〇)."""
    whole, _, frac = num.partition(".")
    if year:
        return "".join(_POSITIONAL[c] for c in whole)
    out = int_to_cn(int(whole))
    if out == "二" and not frac and not ordinal and after[:1] not in _ORDINAL_UNITS:
        out = "两"  # 两个、两万、两年；but 第二条, 二月
    return out + ("点" + "".join(_POSITIONAL[c] for c in frac) if frac else "")


def _cn_to_arabic(text: str) -> str:
    def percent(m: re.Match[str]) -> str:
        n = _cn_number(m.group(1))
        return f"{n}%" if n is not None else m.group(0)

    def run(m: re.Match[str]) -> str:
        n = _cn_number(m.group(0))
        return n if n is not None else m.group(0)

    return _CN_RUN.sub(run, _PERCENT_CN.sub(percent, text))


def _arabic_to_cn(text: str) -> str:
    def run(m: re.Match[str]) -> str:
        num, mark = m.group(1), m.group(2)
        whole = num.partition(".")[0]
        if len(whole) > 12 or (len(whole) > 1 and whole.startswith("0")):
            return m.group(0)
        if mark == "%":
            return "百分之" + _ar_number(num, year=False)
        before_year = text.startswith("年", m.end()) or mark is None
        year = len(whole) == 4 and whole == num and whole[:2] in ("19", "20") and before_year
        if mark is None and not year:
            return num
        return _ar_number(num, year, text[m.end():], ordinal=text[:m.start()].endswith("第"))

    return _AR_RUN.sub(run, text)


def numeral_variants(text: str) -> list[str]:
    """Other spellings of the numbers in folded `text`: 十五分钟 ↔ 15分钟, 二〇三〇年 ↔ 2030年, 百分之五十 ↔ 50%.

    Only numbers that read as quantities or dates are rewritten (followed by a unit, a percentage, or a
    four-digit year); words such as 十五五, 一河一策 or 三线一单 are left alone. Returns at most two
    variants (Chinese → Arabic, Arabic → Chinese), never `text` itself. Matched at a lower weight.
    """
    if not text or len(text) > 200:
        return []
    out: list[str] = []
    for variant in (_cn_to_arabic(text), _arabic_to_cn(text)):
        if variant != text and variant not in out:
            out.append(variant)
    return out
