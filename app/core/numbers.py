"""Chinese numerals: parse the numbers of headings and articles (第一百二十三条) and write labels back."""

from __future__ import annotations

from functools import lru_cache

_DIGITS: dict[str, int] = {
    **{ch: i for i, ch in enumerate("零一二三四五六七八九")},
    **{ch: i for i, ch in enumerate("〇壹贰叁肆伍陆柒捌玖")},
    "○": 0,
    "两": 2,
}
_SMALL_UNITS: dict[str, int] = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
_BIG_UNITS: dict[str, int] = {"万": 10_000, "萬": 10_000, "亿": 100_000_000, "億": 100_000_000}
_CN_DIGITS = "零一二三四五六七八九"
# Longer numbers than this are not headings or article numbers; refusing them keeps the parser cheap.
_MAX_LEN = 40


_FULLWIDTH_DIGITS = {0xFF10 + i: 0x30 + i for i in range(10)}


def _ascii_digits(text: str) -> str:
    """Map full-width digits to ASCII so that `１２３` and `123` parse alike."""
    return text.translate(_FULLWIDTH_DIGITS)


def _parse_positional(text: str) -> int | None:
    """Parse digit-by-digit numerals without units, e.g. 二〇二五 → 2025."""
    value = 0
    for ch in text:
        if ch.isascii() and ch.isdigit():
            value = value * 10 + int(ch)
        elif ch in _DIGITS:
            value = value * 10 + _DIGITS[ch]
        else:
            return None
    return value


def _parse_below_10k(text: str, allow_bare_unit: bool) -> int | None:
    """Parse a group below 万 (一千零五, 十五, 3千); None if the units are out of order."""
    total = 0
    pending: int | None = None
    last_unit = 10_000
    only_zeros = True  # 十五 and 零十五: a bare unit is fine only before any other digit
    i = 0
    while i < len(text):
        ch = text[i]
        if ch.isascii() and ch.isdigit():
            j = i
            while j < len(text) and text[j].isascii() and text[j].isdigit():
                j += 1
            if pending is not None:
                return None
            pending, i, only_zeros = int(text[i:j]), j, False
            continue
        if ch in _DIGITS:
            digit = _DIGITS[ch]
            if pending is not None:
                return None
            pending = digit or None
            only_zeros = only_zeros and digit == 0
        elif ch in _SMALL_UNITS:
            unit = _SMALL_UNITS[ch]
            if unit >= last_unit or (pending is None and not (allow_bare_unit and only_zeros)):
                return None
            total += (1 if pending is None else pending) * unit
            pending, last_unit, only_zeros = None, unit, False
        else:
            return None
        i += 1
    return total + (pending or 0)


def _parse_grouped(text: str, allow_bare_unit: bool) -> int | None:
    """Parse a numeral that may contain 亿 and 万 groups, outermost group first."""
    for chars, big in ((("亿", "億"), 100_000_000), (("万", "萬"), 10_000)):
        positions = [p for p in (text.find(c) for c in chars) if p >= 0]
        if not positions:
            continue
        pos = min(positions)
        head, rest = text[:pos], text[pos + 1 :]
        if not head or any(c in rest for c in chars):
            return None
        head_value = _parse_grouped(head, allow_bare_unit)
        rest_value = _parse_grouped(rest, True) if rest else 0
        if not head_value or rest_value is None or rest_value >= big:
            return None
        return head_value * big + rest_value
    return _parse_below_10k(text, allow_bare_unit)


@lru_cache(maxsize=4096)
def cn_to_int(text: str) -> int | None:
    """Parse a Chinese (or mixed, or full-width) numeral.

    Args:
        text: e.g. "一百二十三", "十五", "两千零五", "3万", "１２", "二〇二五".

    Returns:
        The value, or None when `text` is not a well-formed numeral.
    """
    text = _ascii_digits(text.strip())
    if not text or len(text) > _MAX_LEN:
        return None
    if not any(ch in _SMALL_UNITS or ch in _BIG_UNITS for ch in text):
        return _parse_positional(text)
    return _parse_grouped(text, True)


def _group_to_cn(n: int, leading: bool) -> str:
    """Write 0 < n < 10000; `leading` allows the short 十五 form for the first group."""
    out: list[str] = []
    zero = False
    for unit, name in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        digit = n // unit % 10
        if digit == 0:
            zero = bool(out)
            continue
        if zero:
            out.append("零")
            zero = False
        if not (digit == 1 and unit == 10 and leading and not out):
            out.append(_CN_DIGITS[digit])
        out.append(name)
    return "".join(out)


def int_to_cn(n: int) -> str:
    """Write `n` in Chinese numerals as used in labels: 123 → 一百二十三, 15 → 十五, 105 → 一百零五."""
    if n < 0:
        return "负" + int_to_cn(-n)
    if n == 0:
        return "零"
    groups: list[int] = []
    while n:
        groups.append(n % 10_000)
        n //= 10_000
    names = ["", "万", "亿", "万亿"]
    out: list[str] = []
    need_zero = False
    for idx in range(len(groups) - 1, -1, -1):
        group = groups[idx]
        if group == 0:
            need_zero = bool(out)
            continue
        if out and (need_zero or group < 1000):
            out.append("零")
        out.append(_group_to_cn(group, leading=not out))
        out.append(names[idx] if idx < len(names) else "")
        need_zero = False
    return "".join(out)
