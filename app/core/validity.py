"""Validity from the library's own text: which documents another document repeals or amends.

A law's final articles say what it replaces: "本条例自2025年1月1日起施行。…《上海市建筑节能条例》同时废止。",
a decision says "对《X》作如下修改" or "一、废止《X》". `derive` finds those statements in the final
articles (附则, the 施行 clause, the last few clauses; every clause of a 决定), resolves each 《X》 to a
document of the library (tolerant of 《》/〈〉, 中华人民共和国, （…修正） and date suffixes), picks the version
that was in force before the acting document, and records per document: 已废止 (or 已被修改) with the acting
document, its article and the date it took effect.

This is derived data: it depends on the whole library, so indexing recomputes it on every refresh and
stores it as one JSON value (`META_KEY`) in the clause DB. `Library.documents()` lays it over the
manifest's status (`overlay`); `filters.superseded` then keeps repealed documents out of default search.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from app.core.models import LEVEL_ARTICLE, Clause, Document
from app.core.normalize import compact, fold
from app.core.regions import NATIONAL_KINDS, region
from app.core.store import LibraryStore, clause_from_row

META_KEY = "validity"
REPEALED = "已废止"
AMENDED = "已被修改"
PENDING = "即将废止"  # a repeal whose date is still to come: the document is in force until then
_NATIONAL = "中华人民共和国"
_RANK = {"法律": 3, "行政法规": 2, "部门规章": 1, "地方性法规": 1}
_STORED_TAIL = 12  # how many last clauses `derive_stored` reads: a 附则 chapter fits (its 施行 clause last)
# Text a statement or its 施行 date needs: rows without any are not read at all.
_WORDS_SQL = "(" + " OR ".join(f"instr(text, '{w}') > 0" for w in ("废止", "修", "施行", "实施", "生效")) + ")"

# Version suffixes a citation may leave out: （2018年修正）, （修订）, （2020-12-29）; tier 2 also （试行）.
_VERSION_SUFFIX = re.compile(r"\((?:\d{4}-\d{1,2}-\d{1,2}|\d{4}年?[^()]{0,10}|[^()]{0,10}?(?:修正|修订|修改)[^()]{0,4})\)$")
_DRAFT_SUFFIX = re.compile(r"\((?:试行|暂行|草案|征求意见稿)\)$")


@dataclass(frozen=True)
class Validity:
    """What the library says about one document: repealed or amended by another's provision."""

    doc_id: str
    status: str  # REPEALED | AMENDED
    by_id: str  # the acting document
    by_title: str
    article: str  # "第四十六条"; "" when the statement is not in a numbered article
    clause_id: str
    date: str | None  # YYYY-MM-DD the provision takes effect (None: not stated)
    quote: str  # the sentence that says so

    def pending(self, today: str | None = None) -> bool:
        """A repeal that has not taken effect yet (the document is still in force)."""
        return self.status == REPEALED and bool(self.date) and str(self.date) > (today or _today())

    def label(self, today: str | None = None) -> str:
        """The status to show: 已废止, 即将废止 or 已被修改."""
        return PENDING if self.pending(today) else self.status

    def provision(self) -> str:
        """《上海市绿色建筑条例》第四十六条，2025年1月1日起"""
        text = f"《{self.by_title}》{self.article}"
        return f"{text}，{cn_date(self.date)}起" if self.date else text

    def describe(self, today: str | None = None) -> str:
        """已废止：《上海市绿色建筑条例》第四十六条，2025年1月1日起"""
        return f"{self.label(today)}：{self.provision()}"

    def to_json(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Validity:
        names = {f.name for f in dataclasses.fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in names})


def _today() -> str:
    return dt.date.today().isoformat()


def cn_date(iso: str | None) -> str:
    """2025-01-01 → 2025年1月1日"""
    if not iso:
        return ""
    y, m, d = iso.split("-")
    return f"{int(y)}年{int(m)}月{int(d)}日"


# -- title keys --------------------------------------------------------------------------------------
def title_key(title: str) -> str:
    """The exact key of a title: folded, no spaces or 《》〈〉, no leading 中华人民共和国."""
    key = re.sub(r"[《》〈〉<>\"'“”·]", "", compact(fold(title)))
    key = key.replace(_NATIONAL, "", 1) if key.startswith(_NATIONAL) else key
    return key


def loose_key(title: str, *, drafts: bool = False) -> str:
    """The key without version suffixes (（2018年修正）, （2020-12-29）) and, with `drafts`, （试行）/（暂行）."""
    key = title_key(title)
    for _ in range(3):
        stripped = _VERSION_SUFFIX.sub("", key)
        stripped = _DRAFT_SUFFIX.sub("", stripped) if drafts else stripped
        if stripped == key or not stripped:
            break
        key = stripped
    return key


class _Titles:
    """The library's documents by title key, for resolving 《X》."""

    def __init__(self, docs: Sequence[Document]) -> None:
        self.exact: dict[str, list[Document]] = {}
        self.loose: dict[str, list[Document]] = {}
        self.draft: dict[str, list[Document]] = {}  # 《X》 may name the library's X（试行）, never the reverse
        self.about: dict[str, list[Document]] = {}  # 最高人民法院关于X → 关于X (citations drop the issuer)
        for d in docs:
            if d.kind == "规划":
                continue
            self.exact.setdefault(title_key(d.title), []).append(d)
            self.loose.setdefault(loose_key(d.title), []).append(d)
            self.draft.setdefault(loose_key(d.title, drafts=True), []).append(d)
            k = title_key(d.title)
            at = k.find("关于")
            if at > 0:
                self.about.setdefault(k[at:], []).append(d)

    def candidates(self, cited: str) -> list[Document]:
        key = title_key(cited)
        if len(key) < 3:
            return []
        found = self.exact.get(key) or self.loose.get(loose_key(cited)) or []
        if not found and not _DRAFT_SUFFIX.search(loose_key(cited)):
            found = self.draft.get(loose_key(cited), [])
        if not found and key.startswith("关于"):
            found = self.about.get(key, [])
        return found


# -- resolution ----------------------------------------------------------------------------------------
def _national(doc: Document) -> bool:
    return doc.kind in NATIONAL_KINDS or doc.title.startswith(_NATIONAL)


def may_act(actor: Document, target: Document) -> bool:
    """Whether `actor` can repeal or amend `target` at all: the same family (司法解释 only by 司法解释), no
    local document acting on a national one or on another region's, no lower rank acting on a higher."""
    if actor.id == target.id:
        return False
    known = {"法律", "行政法规", "部门规章", "地方性法规", "司法解释"}
    if actor.kind in known and target.kind in known and (actor.kind == "司法解释") != (target.kind == "司法解释"):
        return False
    if _national(target) and not _national(actor):
        return False
    ra, rt = region(actor), region(target)
    if ra and rt and ra != rt:
        return False
    return _RANK.get(actor.kind, 0) >= _RANK.get(target.kind, 0) or not _RANK.get(actor.kind)


def _pick(cands: Sequence[Document], actor: Document, before: str | None) -> Document | None:
    """The version that was in force before the acting document: the newest dated before `before`
    (an undated one when it is the only version)."""
    cands = [d for d in cands if may_act(actor, d)]
    if before:
        dated = [d for d in cands if d.date and d.date < before]
        if dated:
            return max(dated, key=lambda d: (d.date or "", d.id))
        if any(d.date for d in cands):
            return None  # every version postdates the statement: it already incorporates it
    else:
        dated = [d for d in cands if d.date]
        if dated:
            return max(dated, key=lambda d: (d.date or "", d.id))
    undated = [d for d in cands if not d.date]
    return undated[0] if len({title_key(d.title) for d in undated}) == 1 else None


def _article(c: Clause | None) -> str:
    return c.number if c is not None and c.level == LEVEL_ARTICLE else ""


def derive(docs: Sequence[Document], clauses: Iterable[Clause],
           last: Mapping[str, int] | None = None) -> dict[str, Validity]:
    """Doc id -> what the library says about it (only documents some statement resolves to).

    `clauses` may hold every clause or only those that can matter (final articles, 施行 clauses); `last`
    gives each document's last clause ordinal when `clauses` is such a subset.
    """
    # Statement reading is needed when the library is refreshed, not when it is opened to search.
    from app.core.validity_statements import _REPEAL, _adopted, effective_date, statements

    by_doc: dict[str, list[Clause]] = {}
    for c in clauses:
        by_doc.setdefault(c.doc_id, []).append(c)
    titles = _Titles(docs)
    found: dict[str, Validity] = {}
    for actor in docs:
        cs = by_doc.get(actor.id, [])
        if actor.kind == "规划":
            continue
        stmts = statements(actor, cs, (last or {}).get(actor.id))
        if not stmts:
            continue
        adopted = _adopted(actor)
        for s in stmts:
            when = effective_date(actor, cs, s.clause)
            before = min((x for x in (when, adopted) if x), default=None)
            target = _pick(titles.candidates(s.cited), actor, before)
            if target is None:
                continue
            v = Validity(doc_id=target.id, status=REPEALED if s.action == _REPEAL else AMENDED, by_id=actor.id,
                         by_title=actor.title, article=_article(s.clause),
                         clause_id=s.clause.id if s.clause else "", date=when, quote=s.quote)
            old = found.get(target.id)
            if old is None or _rank(v) < _rank(old):
                found[target.id] = v
    return found


def _rank(v: Validity) -> tuple[int, str, int, str]:
    """Which record wins for one document: a repeal over an amendment, then the earliest, then one in an article."""
    return (0 if v.status == REPEALED else 1, v.date or "9999", 0 if v.article else 1, v.by_id)


# -- storage and overlay ----------------------------------------------------------------------------
def dumps(found: Mapping[str, Validity]) -> str:
    return json.dumps({k: v.to_json() for k, v in sorted(found.items())}, ensure_ascii=False)


def loads(raw: str | None) -> dict[str, Validity]:
    if not raw:
        return {}
    try:
        data = json.loads(raw)
        return {k: Validity.from_json(v) for k, v in data.items()}
    except (ValueError, TypeError, AttributeError):
        return {}


def overlay(docs: Sequence[Document], found: Mapping[str, Validity], today: str | None = None) -> list[Document]:
    """The documents with the derived status laid over the stored one; the record goes in meta["validity"]."""
    out = []
    for d in docs:
        v = found.get(d.id)
        if v is None:
            out.append(d)
            continue
        meta = {**d.meta, "validity": {**v.to_json(), "label": v.label(today), "provision": v.provision()}}
        out.append(dataclasses.replace(d, status=v.label(today), meta=meta))
    return out


def of(doc: Document) -> Validity | None:
    """The record `overlay` put on a document (None: nothing derived)."""
    data = doc.meta.get("validity")
    return Validity.from_json(data) if isinstance(data, dict) else None


def repealed(docs: Sequence[Document]) -> list[str]:
    """Ids of documents (as overlaid) that a repeal in force has taken out."""
    return [d.id for d in docs if d.status == REPEALED]


def derive_stored(store: LibraryStore) -> dict[str, Validity]:
    """`derive` over the clause DB, reading only what can hold a statement: each document's last clauses
    (through the (doc_id, ordinal) index) and the clauses of decisions to amend or repeal."""
    from app.core.validity_statements import _is_decision

    docs = store.documents()
    last = {str(r[0]): int(r[1]) for r in store.conn.execute("SELECT doc_id, max(ordinal) FROM clauses GROUP BY doc_id")}
    tail = f"SELECT * FROM clauses WHERE doc_id = ? AND ordinal > ? AND {_WORDS_SQL}"
    rows = [r for d in docs if d.id in last for r in store.conn.execute(tail, (d.id, last[d.id] - _STORED_TAIL))]
    decisions = [d.id for d in docs if _is_decision(d)]
    rows += [r for i in decisions for r in store.conn.execute("SELECT * FROM clauses WHERE doc_id = ?", (i,))]
    return derive(docs, (clause_from_row(r) for r in rows), last)
