"""Repeal and amend statements as a document writes them, and when a document takes effect (for
`app.core.validity`): "…《X》同时废止", "对《X》作如下修改", "一、废止《X》", "自2025年1月1日起施行"."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from app.core.models import LEVEL_ARTICLE, Clause, Document
from app.core.numbers import cn_to_int

_REPEAL, _AMEND = "repeal", "amend"
_FINAL_CLAUSES = 4  # the last clauses of a document count as its final articles

# A cited title (〈〉 may nest inside), an optional parenthetical after it (（法释〔2009〕19号，以下简称《解释》）),
# and a list of them: 《A》、《B》和1995年…通过的《C》.
_TITLE = r"《[^《》\n]{2,150}》"
_PAREN = r"(?:\s*[（(][^（）()\n]{0,120}[）)])?"
_ITEM = _TITLE + _PAREN
_SEP = r"(?:\s*(?:、|，|,|和|及|以及|与)\s*(?:[^。；;《》\n]{0,80}?的)?\s*|\s*)"
_LIST = rf"{_ITEM}(?:{_SEP}{_ITEM})*"
_ETC = r"(?:等[^。；;《》\n]{0,40}?)?"
_NOT_PART = r"(?!\s*(?:第[一二三四五六七八九十百零〇\d]+条|中|的有关|的规定|有关))"

_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    # 《X》同时废止 / 《X》予以废止 / 《X》等三件法规同时废止 / 《X》自2025年1月1日起废止
    (_REPEAL, re.compile(rf"({_LIST}){_ETC}\s*(?:自[^。；;《》\n]{{0,24}}?起)?\s*(?:同时|即行|一并|也)?\s*(?:予以)?废止")),
    # 废止《X》 / 一、废止《X》（1992年…通过） (not 废止《X》第十条, not 撤销或者废止)
    (_REPEAL, re.compile(rf"(?<!或者)(?<![或不未])废止\s*({_LIST}){_NOT_PART}")),
    # 对《X》作如下修改 / 对《A》《B》等二十七件司法解释作如下修改
    (_AMEND, re.compile(rf"对\s*({_LIST}){_ETC}\s*(?:作|做)出?(?:如下|以下|相应的?)?(?:修改|修正|修订)")),
    # 《X》根据本决定作相应修改
    (_AMEND, re.compile(rf"({_LIST}){_ETC}[，,]?\s*(?:根据|依照|按照)本决定[，,]?\s*(?:作|做)出?相应的?(?:修改|修正)")),
    (_AMEND, re.compile(rf"({_LIST}){_ETC}\s*(?:作|做)出?相应的?(?:修改|修正)")),
    # 一、修改《X》 (an item heading of a decision amending several documents)
    (_AMEND, re.compile(rf"^\s*(?:[一二三四五六七八九十百]+[、.．]\s*)?修改\s*({_LIST})\s*$", re.M)),
)
_TITLE_ACTS = (
    (_REPEAL, re.compile(rf"关于(?:废止|撤销)\s*({_LIST}){_ETC}的决定")),
    (_AMEND, re.compile(rf"关于修改\s*({_LIST}){_ETC}的决定")),
)
_ITEM_RE = re.compile(_TITLE)
_CITING = re.compile(r"(?:根据|依照|依据|按照|违反|参照|经)\s*$")  # 《X》 named as a basis, not as a target

_YEAR = r"(\d{4}|[一二三四五六七八九〇零○Ｏ]{4})"
_MD = r"(\d{1,2}|[一二三四五六七八九十]{1,3})"
_DATE = rf"{_YEAR}\s*年\s*{_MD}\s*月\s*{_MD}\s*日"
_EFFECTIVE = re.compile(rf"自\s*{_DATE}\s*(?:零时)?\s*起?\s*(?:施行|实施|生效|执行)")
_ON_PUBLICATION = re.compile(r"自(?:公布|发布|印发|颁布|通过)之日起(?:施行|实施|生效|执行)")
_HISTORY_DATE = re.compile(_DATE)


def _num(text: str) -> int | None:
    if text.isdigit():
        return int(text)
    if len(text) == 4 and all(ch in "一二三四五六七八九〇零○Ｏ" for ch in text):
        return int("".join(str("〇一二三四五六七八九".find(ch)) if ch in "一二三四五六七八九" else "0" for ch in text))
    return cn_to_int(text)


def _iso(m: re.Match[str]) -> str | None:
    y, mo, d = (_num(g) for g in m.groups()[:3])
    if not (y and mo and d and 1900 < y < 2200 and 1 <= mo <= 12 and 1 <= d <= 31):
        return None
    return f"{y:04d}-{mo:02d}-{d:02d}"


# -- statements --------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Statement:
    """One repeal/amend statement as written: what it names and where it stands."""

    action: str  # repeal | amend
    cited: str  # the title as cited, without 《》
    clause: Clause | None  # None: the statement is the document's title (关于废止《X》的决定)
    quote: str


_DECISION_WORDS = ("修改", "修正", "废止")


def _is_decision(doc: Document) -> bool:
    """A decision to amend or repeal (关于修改/废止…的决定): its statements may stand in any clause."""
    return "决定" in doc.title and any(w in doc.title for w in _DECISION_WORDS)


def _final(c: Clause, last: int, decision: bool) -> bool:
    """Whether a clause is one of the document's final articles (or any clause of a 决定)."""
    return decision or c.ordinal > last - _FINAL_CLAUSES or any("附则" in p for p in c.path) or "施行" in c.text


def _clause_text(c: Clause) -> str:
    text = c.full_text
    head = c.path[-1] if c.path else c.heading
    return text if not head or head in text or c.level == LEVEL_ARTICLE else f"{head}\n{text}"


def _sentence(text: str, start: int, end: int) -> str:
    a = max(text.rfind(ch, 0, start) for ch in "。；;\n") + 1
    ends = [i for i in (text.find(ch, end) for ch in "。；;\n") if i >= 0]
    return text[a:(min(ends) + 1 if ends else len(text))].strip()


def _titles_in(listed: str, text: str, at: int) -> list[str]:
    """The titles of a matched list, without those named as a basis (根据《X》)."""
    out = []
    for m in _ITEM_RE.finditer(listed):
        if m.start() == 0 and _CITING.search(text[max(0, at - 4):at]):
            continue
        if _in_paren(listed, m.start()):
            continue  # （以下简称《解释》）
        out.append(m.group(0)[1:-1])
    return out


def _in_paren(text: str, pos: int) -> bool:
    depth = 0
    for ch in text[:pos]:
        if ch in "（(":
            depth += 1
        elif ch in "）)" and depth:
            depth -= 1
    return depth > 0


def statements(doc: Document, clauses: Iterable[Clause], last: int | None = None) -> list[Statement]:
    """The repeal/amend statements of one document's final articles (and of its title)."""
    cs = list(clauses)
    if last is None:
        last = max((c.ordinal for c in cs), default=0)
    decision = _is_decision(doc)
    out: list[Statement] = []
    for action, pat in _TITLE_ACTS:
        for m in pat.finditer(doc.title):
            out += [Statement(action, t, None, doc.title) for t in _titles_in(m.group(1), doc.title, m.start(1))]
    for c in cs:
        if not _final(c, last, decision):
            continue
        text = _clause_text(c)
        if "废止" not in text and "修" not in text:
            continue
        for action, pat in _PATTERNS:
            for m in pat.finditer(text):
                quote = _sentence(text, m.start(), m.end())
                out += [Statement(action, t, c, quote) for t in _titles_in(m.group(1), text, m.start(1))]
    return out


def effective_date(doc: Document, clauses: Iterable[Clause], near: Clause | None = None) -> str | None:
    """When a document takes effect: 自YYYY年M月D日起施行 (in `near` first), its history's 施行 line,
    自公布之日起施行 (its date), else None."""
    cs = [c for c in clauses if "施行" in c.text or "实施" in c.text or "生效" in c.text]
    ordered = ([near] if near is not None else []) + sorted(cs, key=lambda c: -c.ordinal)
    for c in ordered:
        for m in _EFFECTIVE.finditer(c.text):
            iso = _iso(m)
            if iso:
                return iso
    stated = _history_date(doc, ("施行", "实施"))
    if stated:
        return stated
    if any(_ON_PUBLICATION.search(c.text) for c in ordered):
        return _adopted(doc)
    return None


def _history_date(doc: Document, words: tuple[str, ...] = ()) -> str | None:
    """The first date of a history line (one holding any of `words`, when given)."""
    for line in doc.history:
        if words and not any(w in line for w in words):
            continue
        for m in _HISTORY_DATE.finditer(line):
            iso = _iso(m)
            if iso:
                return iso
    return None


def _adopted(doc: Document) -> str | None:
    """The acting document's own date: its version date, else the first date of its history."""
    return doc.date or _history_date(doc)
