"""Word's automatic numbering: the label ("一、", "（一）", "1.") Word draws for a numbered paragraph, from
numbering.xml (formats, level texts, start values, overrides, restarts)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from app.core.numbers import int_to_cn
from app.core.read.docx.styles import _Styles
from app.core.read.docx.wml import _VAL, _int, _int_attr, _on, _w

_ROMAN: tuple[tuple[int, str], ...] = (
    *((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"), (40, "XL")),
    *((10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")),
)
_LEGAL = str.maketrans("一二三四五六七八九十百千万", "壹贰叁肆伍陆柒捌玖拾佰仟萬")
_TIANGAN = "甲乙丙丁戊己庚辛壬癸"
_DIZHI = "子丑寅卯辰巳午未申酉戌亥"
_DIGITS_CN = str.maketrans("0123456789", "〇一二三四五六七八九")
_FULLWIDTH = str.maketrans("0123456789", "０１２３４５６７８９")
_CN_COUNTING = frozenset(
    {"chineseCounting", "chineseCountingThousand", "japaneseCounting", "taiwaneseCounting", "koreanCounting"}
)
_PLACEHOLDER = re.compile(r"%([1-9])")


def _roman(n: int) -> str:
    out = []
    for value, sym in _ROMAN:
        while n >= value:
            out.append(sym)
            n -= value
    return "".join(out)


def _enclosed_circle(n: int) -> str:
    if 1 <= n <= 20:
        return chr(0x2460 + n - 1)
    if 21 <= n <= 35:
        return chr(0x3251 + n - 21)
    if 36 <= n <= 50:
        return chr(0x32B1 + n - 36)
    return str(n)


def format_number(n: int, fmt: str) -> str:
    """Render counter `n` in the WordprocessingML number format `fmt` (unknown formats as decimal)."""
    if fmt in ("none", "bullet"):
        return ""
    if n <= 0 and fmt != "decimalZero":
        return str(n)
    if fmt in _CN_COUNTING or fmt == "ideographLegalTraditional":
        return int_to_cn(n)
    if fmt in ("chineseLegalSimplified", "koreanLegal", "japaneseLegal"):
        return int_to_cn(n).translate(_LEGAL)
    if fmt == "ideographTraditional":
        return _TIANGAN[n - 1] if n <= len(_TIANGAN) else str(n)
    if fmt == "ideographZodiac":
        return _DIZHI[n - 1] if n <= len(_DIZHI) else str(n)
    if fmt in ("ideographDigital", "japaneseDigitalTenThousand", "koreanDigital"):
        return str(n).translate(_DIGITS_CN)
    if fmt in ("decimalEnclosedCircle", "decimalEnclosedCircleChinese", "ideographEnclosedCircle"):
        return _enclosed_circle(n)
    if fmt == "decimalEnclosedParen":
        return f"({n})"
    if fmt == "decimalEnclosedFullstop":
        return f"{n}."
    if fmt in ("decimalFullWidth", "decimalFullWidth2"):
        return str(n).translate(_FULLWIDTH)
    if fmt == "decimalZero":
        return f"{n:02d}"
    if fmt in ("upperLetter", "lowerLetter"):
        letters = chr(ord("A") + (n - 1) % 26) * ((n - 1) // 26 + 1)
        return letters if fmt == "upperLetter" else letters.lower()
    if fmt in ("upperRoman", "lowerRoman"):
        roman = _roman(n)
        return roman if fmt == "upperRoman" else roman.lower()
    return str(n)


@dataclass
class _Level:
    fmt: str = "decimal"
    text: str | None = None
    start: int = 1
    restart: int | None = None  # w:lvlRestart: restart after a use of a level < this value; 0 = never
    legal: bool = False
    suffix: str = "tab"
    pstyle: str = ""


def _parse_level(el: Any, base: _Level | None = None) -> _Level:
    lvl = _Level() if base is None else _Level(**base.__dict__)
    fmt = el.find(_w("numFmt"))
    if fmt is not None:
        lvl.fmt = fmt.get(_VAL) or "decimal"
    text = el.find(_w("lvlText"))
    if text is not None:
        lvl.text = text.get(_VAL) or ""
    start = _int(el.find(_w("start")))
    if start is not None:
        lvl.start = start
    restart = _int(el.find(_w("lvlRestart")))
    if restart is not None:
        lvl.restart = restart
    legal = el.find(_w("isLgl"))
    if legal is not None:
        lvl.legal = _on(legal)
    suffix = el.find(_w("suff"))
    if suffix is not None:
        lvl.suffix = suffix.get(_VAL) or "tab"
    pstyle = el.find(_w("pStyle"))
    if pstyle is not None:
        lvl.pstyle = pstyle.get(_VAL) or ""
    return lvl


@dataclass
class _Num:
    abstract: str
    starts: dict[int, int] = field(default_factory=dict)
    levels: dict[int, _Level] = field(default_factory=dict)


class Numbering:
    """Word's list counters: abstractNum level definitions, num instances, overrides and restarts.

    Counters are shared by all num instances of one abstractNum (Word continues such lists); a num
    with a w:lvlOverride is its own list, starting at its override value.
    """

    def __init__(self, root: Any, styles: _Styles) -> None:
        self.abstract: dict[str, dict[int, _Level]] = {}
        self.style_link: dict[str, str] = {}
        self.nums: dict[str, _Num] = {}
        self.counters: dict[str, dict[int, int]] = {}
        self.styles = styles
        if root is None:
            return
        for el in root.iter(_w("abstractNum")):
            aid = el.get(_w("abstractNumId")) or ""
            levels: dict[int, _Level] = {}
            for lvl_el in el.findall(_w("lvl")):
                ilvl = _int_attr(lvl_el.get(_w("ilvl")))
                if ilvl is not None:
                    levels[ilvl] = _parse_level(lvl_el)
            self.abstract[aid] = levels
            link = el.find(_w("numStyleLink"))
            if link is not None and link.get(_VAL):
                self.style_link[aid] = link.get(_VAL) or ""
        for el in root.iter(_w("num")):
            nid = el.get(_w("numId")) or ""
            aref = el.find(_w("abstractNumId"))
            num = _Num((aref.get(_VAL) or "") if aref is not None else "")
            for ov in el.findall(_w("lvlOverride")):
                ilvl = _int_attr(ov.get(_w("ilvl")))
                if ilvl is None:
                    continue
                start = _int(ov.find(_w("startOverride")))
                lvl_el = ov.find(_w("lvl"))
                if lvl_el is not None:
                    num.levels[ilvl] = _parse_level(lvl_el)
                    if start is None:
                        start = num.levels[ilvl].start
                num.starts[ilvl] = start if start is not None else 1
            self.nums[nid] = num

    def _abstract_levels(self, num: _Num) -> dict[int, _Level]:
        """Levels of a num's abstractNum, following numStyleLink to the linked style's list."""
        aid = num.abstract
        for _ in range(5):
            link = self.style_link.get(aid)
            if not link:
                break
            linked_num, _ilvl, _sid = self.styles.numbering(link)
            target = self.nums.get(linked_num or "")
            if target is None or target.abstract == aid:
                break
            aid = target.abstract
        return self.abstract.get(aid, {})

    def level_for_style(self, num_id: str, style_id: str) -> int | None:
        num = self.nums.get(num_id)
        if num is None:
            return None
        for ilvl, lvl in self._abstract_levels(num).items():
            if lvl.pstyle == style_id:
                return ilvl
        return None

    def label(self, num_id: str, ilvl: int) -> tuple[str, str]:
        """Advance the counter of (num_id, ilvl); return (label, suffix) as Word would draw them."""
        num = self.nums.get(num_id)
        if num is None:
            return "", ""
        base = self._abstract_levels(num)
        levels = {**base, **num.levels}
        lvl = levels.get(ilvl)
        if lvl is None:
            return "", ""
        key = f"num:{num_id}" if num.starts or num.levels else f"abs:{num.abstract}"
        state = self.counters.setdefault(key, {})
        if ilvl in state:
            state[ilvl] += 1
        else:
            state[ilvl] = num.starts.get(ilvl, lvl.start)
        for deeper in [k for k in state if k > ilvl]:
            restart = levels[deeper].restart if deeper in levels else None
            if restart is None or (restart > 0 and ilvl < restart):
                del state[deeper]
        if lvl.fmt == "bullet" or not lvl.text:
            return "", ""

        def render(m: re.Match[str]) -> str:
            ref = int(m.group(1)) - 1
            ref_lvl = levels.get(ref)
            if ref_lvl is None:
                return ""
            value = state.get(ref, num.starts.get(ref, ref_lvl.start))
            fmt = "decimal" if lvl.legal and ref_lvl.fmt not in ("none", "bullet") else ref_lvl.fmt
            return format_number(value, fmt)

        return _PLACEHOLDER.sub(render, lvl.text).strip(), lvl.suffix
