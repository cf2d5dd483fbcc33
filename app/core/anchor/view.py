"""One candidate document of the re-anchoring matcher, its lookups (by relative id, fingerprint, heading,
bigram) built on first use."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from itertools import chain

from app.core.anchor.keys import _bigrams, _content, _heading_key, _sha1, text_key
from app.core.anchor.thresholds import RARE_BIGRAMS, SHORTLIST, SHORTLIST_POSTINGS
from app.core.models import Clause, Document


class _View:
    def __init__(self, doc: Document, clauses: Sequence[Clause]) -> None:
        self.doc = doc
        self.clauses = tuple(clauses)
        prefix = doc.id + "/"
        self.by_rel = {(c.id[len(prefix):] if c.id.startswith(prefix) else c.id): i
                       for i, c in enumerate(self.clauses)}
        self._keys: list[str | None] = [None] * len(self.clauses)
        self._fp: dict[str, list[int]] | None = None
        self._headings: dict[str, list[int]] | None = None
        self._postings: dict[str, list[int]] | None = None  # bigram → clauses having it

    def rel(self, i: int) -> str:
        cid, prefix = self.clauses[i].id, self.doc.id + "/"
        return cid[len(prefix):] if cid.startswith(prefix) else cid

    def key(self, i: int) -> str:
        k = self._keys[i]
        if k is None:
            c = self.clauses[i]
            k = self._keys[i] = text_key(_content(c.heading, c.full_text))
        return k

    def by_fingerprint(self) -> dict[str, list[int]]:
        if self._fp is None:
            self._fp = {}
            for i in range(len(self.clauses)):
                if k := self.key(i):
                    self._fp.setdefault(_sha1(k), []).append(i)
        return self._fp

    def by_heading(self) -> dict[str, list[int]]:
        if self._headings is None:
            self._headings = {}
            for i, c in enumerate(self.clauses):
                if c.heading and (h := _heading_key(c.heading)):
                    self._headings.setdefault(h, []).append(i)
        return self._headings

    def shortlist(self, grams: set[str]) -> list[int]:
        """The clauses sharing most of the anchor's rarest bigrams (short posting lists), best first."""
        if self._postings is None:
            postings: defaultdict[str, list[int]] = defaultdict(list)
            for i in range(len(self.clauses)):
                for g in _bigrams(self.key(i)):
                    postings[g].append(i)
            self._postings = dict(postings)
        found = self._postings
        used: list[list[int]] = []
        total = 0
        for ids in sorted([found[g] for g in grams if g in found], key=len)[:RARE_BIGRAMS]:
            if used and total + len(ids) > SHORTLIST_POSTINGS:
                break
            used.append(ids)
            total += len(ids)
        return [i for i, _ in Counter(chain.from_iterable(used)).most_common(SHORTLIST)]
