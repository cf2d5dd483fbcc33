"""The department knowledge base (`resources/departments.json`) and the scan of a text for the bodies it names:
aliases, descriptors resolved by their prefix and stem (市和区发展改革、经济信息化管理部门), generic actors. Roles,
inference and annotations are `departments`'."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from app.core.errors import PolicyDeskError

NATIONAL, LOCAL = "国家", "市"

_SUFFIX_WORDS = (
    "行政主管部门",
    "行政管理部门",
    "主管部门",
    "管理部门",
    "行政部门",
    "部门",
    "主管机构",
    "管理机构",
)
_STRIP = (*_SUFFIX_WORDS, "机构", "机关")  # longest first: what is left is the stem used in enumerations
_SUFFIX = r"(?:等(?:有关|相关|其他)?)?的?(?:" + "|".join(_SUFFIX_WORDS) + ")"
_ITEM_TAIL = ("行政管理", "管理", "行政", "主管")
_CITY, _NATION = ("市",), ("国家",)
_FALLBACK = {"市": ("市", "区域", "国家"), "区": ("区",), "国家": ("国家",)}
_SEP_ONLY = re.compile(r"(?:、|和|及其|及|以及|与|或者|或)?")

_PARENS = re.compile(r"（[^（）]{0,60}）|\([^()]{0,60}\)")

_INFER_LEVELS = frozenset({"市", "区域"})


@dataclass(frozen=True)
class DepartmentEntry:
    """One body of the knowledge base."""

    canonical: str
    level: str
    kind: str = ""
    full_name: str = ""
    aliases: tuple[str, ...] = ()
    descriptors: tuple[str, ...] = ()
    duties: tuple[str, ...] = ()
    places: tuple[str, ...] = ()
    counterpart: str | None = None  # 区 entries: the 市 department they mirror
    district: str | None = None  # 市 entries: the 区 counterpart (区生态环境部门)


@dataclass(frozen=True)
class _Hit:
    start: int
    end: int
    names: tuple[str, ...]
    levels: tuple[str, ...] = ()
    kind: bool = False  # the names are kinds of body (地方生态环境主管部门), not bodies: generic mentions


def _flat_alternation(words: Any) -> str:
    """`_alternation` as one flat list, longest first: for a case-insensitive pattern, where two branches of a
    trie (A, a) could both match."""
    ordered = sorted({w for w in words if w}, key=lambda w: (-len(w), w))
    return "|".join(re.escape(w) + ("(?!门)" if w.endswith("部") else "") for w in ordered)


def _alternation(words: Any) -> str:
    """Longest first, so that the regex picks the longest word at a position; 财政部 must not eat 财政部门.

    Written as a trie (市(?:发(?:改委|展改革委)|环保局)): the words that can match at a position are prefixes
    of one another, so a trie tries them in the same order, longest first, as a flat alternation sorted by
    length would, but re's backtracking matcher compares a few characters per position instead of
    trying each of ~700 words in turn."""
    trie: dict[str, Any] = {}
    for w in {w for w in words if w}:
        node = trie
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = w  # the word ends here
    return _trie_pattern(trie)


def _trie_pattern(node: dict[str, Any]) -> str:
    branches = [re.escape(ch) + _trie_pattern(child) for ch, child in sorted(node.items()) if ch]
    end = node.get("")
    if end is not None:  # after every longer word: the empty branch, 部 not followed by 门
        branches.append("(?!门)" if end.endswith("部") else "")
    if len(branches) == 1:
        return branches[0]
    return "(?:" + "|".join(branches) + ")"


def _stem(descriptor: str) -> str:
    for suffix in _STRIP:
        if descriptor.endswith(suffix) and len(descriptor) > len(suffix):
            return descriptor[: -len(suffix)]
    return descriptor


def _entry(raw: dict[str, Any]) -> DepartmentEntry:
    def words(key: str) -> tuple[str, ...]:
        return tuple(str(w) for w in raw.get(key) or ())

    counterpart, district = raw.get("counterpart"), raw.get("district")
    return DepartmentEntry(
        canonical=str(raw["canonical"]),
        level=str(raw.get("level", "")),
        kind=str(raw.get("kind", "")),
        full_name=str(raw.get("full_name", "")),
        aliases=words("aliases"),
        descriptors=words("descriptors"),
        duties=words("duties"),
        places=words("places"),
        counterpart=str(counterpart) if counterpart else None,
        district=str(district) if district else None,
    )


class DepartmentKB:
    """The department knowledge base with its compiled matchers; build with `load` or `from_dict`."""

    def __init__(
        self,
        entries: Sequence[DepartmentEntry],
        generic: Sequence[dict[str, Any]],
        prefixes: dict[str, Sequence[str]],
        version: str = "",
    ) -> None:
        self.entries: tuple[DepartmentEntry, ...] = tuple(entries)
        self.version = version
        # prefix → levels: {"市和区": ["市和区", "市、区", …]} becomes {"市、区": ("市", "区"), …}
        self._prefixes = {p: tuple(k.split("和")) for k, ps in prefixes.items() for p in ps}
        self._by_name = {e.canonical: e for e in self.entries}
        self._generic = {str(g["canonical"]) for g in generic}
        self._aliases: dict[str, list[str]] = {}
        self._stems: dict[str, dict[str, list[str]]] = {}
        self._duties: dict[str, list[str]] = {}
        self._places: dict[str, list[str]] = {}
        self._literals: set[str] = set()
        self._descriptors = {d for e in self.entries for d in e.descriptors}
        for e in self.entries:
            self._index_entry(e)
        patterns: list[str] = []
        for g in generic:
            for a in g.get("aliases", ()):
                self._add(self._aliases, str(a), str(g["canonical"]))
            for p in g.get("patterns", ()):
                patterns.append(f"(?P<g{len(patterns)}>{p})")
        self._pattern_names = [str(g["canonical"]) for g in generic for _ in g.get("patterns", ())]
        stems = _alternation(self._stems)
        self._alias_re = re.compile(_alternation(self._aliases))
        self._pattern_re = re.compile("|".join(patterns)) if patterns else None
        self._desc_re = re.compile(
            f"(?P<prefix>{_alternation(self._prefixes)})?(?:(?P<literal>{_alternation(self._literals)})"
            f"|(?P<body>(?:{stems})(?:（[^）]{{1,8}}）)?(?:{_alternation(_ITEM_TAIL)})?"
            f"(?:(?:、|和|及|以及|与|或者)[\u4e00-\u9fff（）]{{1,12}}?){{0,40}}?)(?P<suffix>{_SUFFIX}))"
        )
        # Every descriptor mention begins with the first character of a prefix, literal or stem: the pattern is
        # tried only where one stands (re's finditer tried it at every position: 3x the time, ~5 % of a build)
        firsts = sorted({w[0] for words in (self._prefixes, self._literals, self._stems) for w in words if w})
        self._desc_start = re.compile(f"[{''.join(map(re.escape, firsts))}]") \
            if self._literals and self._stems else None  # an empty alternation would match anywhere
        self._duty_re = re.compile(_flat_alternation(self._duties), re.IGNORECASE) if self._duties else None
        self._place_re = re.compile(_alternation(self._places)) if self._places else None

    @staticmethod
    def _add(index: dict[str, list[str]], key: str, name: str) -> None:
        names = index.setdefault(key, [])
        if name not in names:
            names.append(name)

    def _index_entry(self, e: DepartmentEntry) -> None:
        for a in (e.canonical, *e.aliases):
            self._add(self._aliases, a, e.canonical)
        for d in e.descriptors:
            self._add(self._stems.setdefault(_stem(d), {}), e.level, e.canonical)
            if not re.search(_SUFFIX + "$", d):  # 公安机关, 防汛指挥机构, 海关: only as written
                self._literals.add(d)
        if e.level in _INFER_LEVELS:
            for t in e.duties:
                self._add(self._duties, t.lower(), e.canonical)
        for p in e.places:
            self._add(self._places, p, e.canonical)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> DepartmentKB:
        """Build the knowledge base from the parsed JSON document."""
        return cls(
            [_entry(raw) for raw in data.get("entries", [])],
            data.get("generic_actors", []),
            data.get("prefixes", {}),
            str(data.get("version", "")),
        )

    @classmethod
    def load(cls, path: Path | str) -> DepartmentKB:
        """Read `resources/departments.json`; raise `PolicyDeskError` when it is missing or malformed."""
        try:
            return cls.from_dict(json.loads(Path(path).read_text(encoding="utf-8")))
        except (OSError, ValueError, TypeError, KeyError, re.error) as exc:
            raise PolicyDeskError(
                "部门知识库无法读取，请检查 resources/departments.json。", detail=repr(exc)
            ) from exc

    def entry(self, name: str) -> DepartmentEntry | None:
        """The entry of a canonical name, or None (generic actors have no entry)."""
        return self._by_name.get(name)

    def is_generic(self, name: str) -> bool:
        """Whether `name` is (or resolves to) a generic actor such as 各区 or 有关部门."""
        if name in self._generic or self.canonical(name) in self._generic:
            return True
        marker = next((m for m in _KIND_MARKERS if name.startswith(m)), None)
        if marker is None or name in self._by_name:
            return False
        rest = name[len(marker):]  # 地方生态环境主管部门: a kind of body a national text names
        return self.canonical(rest) is not None or self.stem_key(_stem(rest)) is not None

    def canonical(self, name: str) -> str | None:
        """Resolve a name, alias or prefixed descriptor (市发改委, 区生态环境部门) to its canonical name."""
        if not isinstance(name, str) or not name.strip():
            return None
        name = name.strip()
        if name in self._by_name or name in self._generic:
            return name
        hits = [h for h in _scan(name, self) if h.start == 0 and h.end == len(name)]
        return hits[0].names[0] if hits and hits[0].names else None

    def stem_key(self, item: str) -> str | None:
        """The descriptor stem of one enumeration item (发展改革, 水务（海洋）→水务, 市场监督管理→市场监督)."""
        item = _PARENS.sub("", item)
        if item in self._stems:
            return item
        return next(
            (item[: -len(t)] for t in _ITEM_TAIL if item.endswith(t) and item[: -len(t)] in self._stems), None
        )

    def resolve_stem(self, item: str, levels: Sequence[str]) -> list[str]:
        """Canonical names for one enumeration item at the given levels (市 falls back to 区域, 国家)."""
        key = self.stem_key(item)
        by_level = self._stems.get(key) if key else None
        if by_level is None:
            return []
        out: list[str] = []
        for level in levels:
            found = next((by_level[lv] for lv in _FALLBACK[level] if lv in by_level), [])
            out += [n for n in found if n not in out]
        return out


def _split_items(body: str, kb: DepartmentKB) -> list[str]:
    if kb.resolve_stem(body, _CITY) or kb.resolve_stem(body, _NATION):
        return [body]
    items: list[str] = []
    for piece in body.split("、"):
        if kb.resolve_stem(piece, _CITY) or kb.resolve_stem(piece, _NATION):
            items.append(piece)
        else:
            items += re.split(r"以及|及|和|与|或者|或", piece)
    return items


_KIND_MARKERS = ("各级", "地方", "各地")


def _kind_names(items: list[str], core: str, literal: bool, prefix: str | None) -> tuple[str, ...]:
    """Generic names of the kinds of body a national text's descriptor names: 地方生态环境主管部门 (地方…
    prefix), 各级公安部门 (各级…), 各地海关 (no prefix: the competent local body, wherever it is)."""
    marker = "各地" if not prefix else "各级" if "各级" in prefix else "地方"
    out: list[str] = []
    for item in items:
        name = marker + (item if literal else _PARENS.sub("", item) + core)
        if name not in out:
            out.append(name)
    return tuple(out)


def _finditer(pattern: re.Pattern[str], start: re.Pattern[str] | None, text: str) -> Iterator[re.Match[str]]:
    """`pattern.finditer(text)`, trying `pattern` only where `start` (a character class) matches: the same
    matches, for a pattern whose every match is non-empty and begins with such a character."""
    if start is None:
        yield from pattern.finditer(text)
        return
    pos, search, match = 0, start.search, pattern.match
    while (s := search(text, pos)) is not None:
        m = match(text, s.start())
        if m is None:
            pos = s.start() + 1
            continue
        yield m
        pos = max(m.end(), s.start() + 1)


def _descriptor_hits(text: str, kb: DepartmentKB, level: str | None = None) -> list[_Hit]:
    """Descriptor mentions. In a national text (`level` 国家) only 国务院/国家 descriptors name bodies: any
    other names a kind of body at whatever local level applies, kept as a generic mention."""
    hits: list[_Hit] = []
    for m in _finditer(kb._desc_re, kb._desc_start, text):
        prefix = m.group("prefix")
        levels = kb._prefixes[prefix] if prefix else _CITY
        after_previous = (
            hits and hits[-1].end <= m.start() and _SEP_ONLY.fullmatch(text[hits[-1].end : m.start()])
        )
        if not prefix and after_previous:  # 市和区A、B管理部门、C行政管理部门: C shares the prefix
            levels = hits[-1].levels
        items = [_stem(m.group("literal"))] if m.group("literal") else _split_items(m.group("body"), kb)
        core = re.sub(r"^等?(?:有关|相关|其他)?的?", "", m.group("suffix") or "")
        if core.endswith("机构"):  # 公园管理机构, 开发建设管理机构: only descriptors known as written
            items = [i for i in items if f"{kb.stem_key(i)}{core}" in kb._descriptors]
        names: list[str] = []
        for item in items:
            names += [n for n in kb.resolve_stem(item, levels) if n not in names]
        national = all((e := kb.entry(n)) is not None and e.level == NATIONAL for n in names)
        if names and level == NATIONAL and levels != (NATIONAL,) and not (national and not prefix):
            known = [i for i in items if kb.resolve_stem(i, levels)]
            literal = m.group("literal")
            kinds = _kind_names([literal] if literal else known, core, bool(literal), prefix)
            hits.append(_Hit(m.start(), m.end(), kinds, levels, kind=True))
        elif names:
            hits.append(_Hit(m.start(), m.end(), tuple(names), levels))
    return hits


def _alias_names(names: list[str], kb: DepartmentKB, level: str | None) -> tuple[str, ...]:
    """An alias names one body; in a national text a local alias (区政府) stands for no body of the text's level."""
    if level != NATIONAL:
        return tuple(names)
    return tuple(n for n in names if n in kb._generic or (e := kb.entry(n)) is None or e.level not in ("市", "区"))


def _scan(text: str, kb: DepartmentKB, level: str | None = None) -> list[_Hit]:
    """All mentions, leftmost-longest, without overlaps."""
    found = _descriptor_hits(text, kb, level)
    found += [_Hit(m.start(), m.end(), _alias_names(kb._aliases[m.group(0)], kb, level))
              for m in kb._alias_re.finditer(text)]
    if kb._pattern_re is not None:
        for m in kb._pattern_re.finditer(text):
            name = kb._pattern_names[int(str(m.lastgroup)[1:])]
            found.append(_Hit(m.start(), m.end(), (name,)))
    found.sort(key=lambda h: (h.start, -(h.end - h.start)))
    out: list[_Hit] = []
    for h in found:
        if h.end > h.start and (not out or h.start >= out[-1].end):
            out.append(h)
    return out
