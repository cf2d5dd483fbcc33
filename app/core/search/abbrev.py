"""Two-character abbreviations the library never writes out: 砍树 for 砍伐树木, 填河 for 填堵河道, 质保 for
质量保证. Chinese shortens two two-character words by keeping the first character of each (危险废物 → 危废,
医疗废物 → 医废), so the library's text of a word it lacks is often `first + x + last`, where first + x is a
word of its own (砍伐) and the last character begins the next one (树木).

`expansions` reads those fills off the literal index (`LiteralIndex.gap_fills`); `extend` gives the units of
such words the fills as literal variants at ABBREV_CREDIT, and records them for the notice that says the
search inferred them. A word with no reading is found by its head, its last character, inside the library's
words (母鸡 → 鸡 of 饲养鸡). Only a word found nowhere in the library's text is read this way: 危废 written out
somewhere is a word of that library and is searched as typed.
"""

from __future__ import annotations

from collections.abc import Callable

from app.core.search.asking import FUNCTION_CHARS, LOCATIVES, STOP_WORDS, spoken_char
from app.core.search.bestmatch import Plan, Variant

ABBREV_CREDIT = 0.8  # an inferred reading, below the word as typed (1.0) and a synonym's full credit
HEAD_CREDIT = 0.5  # a word's last character, found inside the library's words, when the word has no reading
MIN_COUNT = 2  # a fill found once is chance (阳能光 of 太阳能光伏 for 阳光)
SHARE = 0.2  # fills less frequent than this share of the commonest one are left out
MAX_FILLS = 3

Fills = Callable[[str, str], dict[str, int]]  # (first, last) -> {middle character: occurrences}


def _cjk(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff"


def expansions(word: str, fills: Fills, is_word: Callable[[str], bool]) -> list[str]:
    """The library's texts of a two-character `word` read as an abbreviation, most frequent first: 砍树 →
    [砍伐树]. A fill must make a word with the first character (砍伐: not 海市 of 上海市滩涂 for 海滩), be a
    Chinese character, and occur MIN_COUNT times; grammatical characters (不要, 能用) are never abbreviations."""
    if len(word) != 2 or not all(_cjk(c) for c in word) or any(c in FUNCTION_CHARS or c in STOP_WORDS for c in word):
        return []
    found = [(n, x) for x, n in fills(word[0], word[1]).items()
             if _cjk(x) and n >= MIN_COUNT and is_word(word[0] + x)]
    if not found:
        return []
    top = max(n for n, _ in found)
    return [word[0] + x + word[1] for n, x in sorted(found, key=lambda f: (-f[0], f[1])) if n >= SHARE * top][:MAX_FILLS]


def extend(bp: Plan, fills: Fills, in_text: Callable[[str], bool], is_word: Callable[[str], bool]) -> None:
    """Give each unit of a two-character word found nowhere in the library's text (`in_text`) its
    abbreviation readings as literal variants; (word, readings) go to `Plan.abbreviated` for the notice.
    A word with no reading is found by its last character inside words (`HEAD_CREDIT`)."""
    for u in bp.units:
        if u.required or len(u.label) != 2 or in_text(u.label):
            continue
        readings = [r for r in expansions(u.label, fills, is_word) if all(v.key != r for v in u.variants)]
        if readings:
            u.variants = [*u.variants, *(Variant(key=r, toks=(), credit=ABBREV_CREDIT) for r in readings)]
            bp.abbreviated.append((u.label, readings))
        elif (bp.dropped or u.sentence) and spoken_char(head := u.label[1]) and head not in LOCATIVES:
            # A Chinese compound ends in its head (母鸡 is a 鸡, 老树 a 树, 烧煤 burns 煤): the library's words holding
            # it (饲养鸡, 树木, 煤电) are what it names, at half credit. A common head counts for little: the unit's
            # weight is then the rarity of what it matches. Only in a question or a phrase, where such a word is the
            # asker's everyday vocabulary: among keywords it is the concept itself (元宇宙 量子计算 finds nothing) or a
            # typo (无费城市, offered 无废城市).
            u.variants = [*u.variants, Variant(key=head, toks=(), credit=HEAD_CREDIT)]
            bp.headed.append((u.label, head))
