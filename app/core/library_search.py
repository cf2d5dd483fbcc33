"""The search methods of `Library`: ranked search, related articles, the per-generation caches, and the
query helpers readers use (`query_terms`, `mark_terms`, `highlight_needles`).

A mixin of `app.core.library.Library` (kept apart so the facade stays readable); it never imports the facade:
what it uses of it is declared in the class. Everything here is importable from `app.core.library` as before.

    res = lib.search("大气 部门:市生态环境局", limit=20)   # app.core.models.SearchResult
    lib.related(clause_id)                              # the `policydesk related --json` contract
"""

from __future__ import annotations

import html
import threading
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from contextlib import AbstractContextManager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from app.core import filters
from app.core.links.service import ClauseLinks
from app.core.models import Clause, Document, SearchHit, SearchResult
from app.core.normalize import compact, fold
from app.core.search import bestmatch, indexer, pipeline, priors, scoring, searcher, synonyms, vectors
from app.core.search.highlight import find_spans, mark, snippet
from app.core.search.literal import key_of
from app.core.search.query import ParsedQuery, add_alternatives, parse_query

if TYPE_CHECKING:
    from app.core.links.departments import DepartmentKB
    from app.core.paths import AppPaths
    from app.core.store import LibraryStore

RERANK_POOL = 100  # candidates fetched from the index before the heading re-rank


class SearchMixin:
    """Search, related articles and the searcher/generation caches on the Library (see the module doc)."""

    if TYPE_CHECKING:  # what the mixin uses of `Library`
        paths: AppPaths
        index_store: indexer.IndexStore
        _local: threading.local
        _open_searchers: list[Any]
        _lock: threading.RLock
        _side: tuple[Path | None, Any, dict[int, tuple[Sequence[str | None], Mapping[str, int], Any]]] | None
        _gen_cache: dict[str, Any]

        def _store(self, readonly: bool = False) -> AbstractContextManager[LibraryStore]: ...

        def documents(self) -> list[Document]: ...

        def document(self, doc_id: str) -> Document: ...

        def clause(self, clause_id: str) -> Clause: ...

        def links(self, clause_ids: Iterable[str] | None = None) -> dict[str, ClauseLinks]: ...

        def _kb(self) -> DepartmentKB: ...

        def _superseded(self, docs: Sequence[Document]) -> list[str]: ...

    # -- searchers ------------------------------------------------------------------------------
    def _searcher(self) -> Any:
        s = getattr(self._local, "searcher", None)
        gen = self.index_store.current_dir()
        if s is not None and getattr(self._local, "gen", None) == gen:
            return s.refresh()
        if s is not None:
            s.close()
        ix = self.index_store.open()
        s = ix.searcher(weighting=searcher.weighting())
        self._local.searcher, self._local.gen = s, gen
        with self._lock:
            self._open_searchers.append(s)
        return s

    def _generation(self) -> searcher.Generation:
        """This thread's whoosh searcher with the shared literal scan and docnum map of its generation."""
        s = self._searcher()
        toc = s.ixreader.generation()
        with self._lock:
            cached = self._side
            if cached is None or cached[0] != self.index_store.current_dir():
                literal, side_toc, side_ids, rowmap = self.index_store.load_side_files()
                cached = self._side = (self.index_store.current_dir(), literal,
                                       {side_toc: (*_docmap(side_ids), rowmap)})
            literal, maps = cached[1], cached[2]
            if toc not in maps:  # the searcher sees a newer commit than the side files describe
                maps[toc] = (*_docmap(indexer.docid_map(s.ixreader)), None)
            docids, docnum, rowmap = maps[toc]
        return searcher.Generation(searcher=s, literal=literal, docids=docids, docnum=docnum, rowmap=rowmap)

    def _drop_searcher(self) -> None:
        s = getattr(self._local, "searcher", None)
        if s is not None:
            s.close()
            self._local.searcher = None

    # -- search ---------------------------------------------------------------------------------
    def search(self, query: str, *, limit: int = 20, offset: int = 0, facets: bool = False,
               all_versions: bool = False) -> SearchResult:
        """Search clauses by best match (app.core.search.bestmatch): clauses holding every word first,
        then those holding some; quoted phrases, -exclusions and filters are strict. `offset` pages.

        Older versions of a law are left out unless `all_versions`; `facets` adds counts per document,
        kind, department, deadline year and has-indicator over all matches.
        """
        t0 = time.perf_counter()
        pq = parse_query(query)
        if pq.empty:
            return SearchResult(query=query, total=0, hits=(), notices=tuple(pq.notices))
        g = self._generation()
        fq, hidden, notices = self._prepare(g, pq, all_versions)
        if fq is False:  # a filter value matched nothing
            return SearchResult(query=query, total=0, hits=(), notices=tuple(pq.notices + notices))
        offset = max(0, offset)
        pool = max(offset + limit, RERANK_POOL)
        bp, full, own = None, None, None
        docs: set[int] | npt.NDArray[np.int64]
        scores: dict[int, float] | scoring.Scored
        if not pq.groups:  # filters only: every clause in scope, in index order
            docs = searcher.restrict(g, searcher.every(g), fq, hidden)
            scores = dict.fromkeys(docs, 0.0)
        else:
            bp, docs, scores, full, more, own = self._bestmatch().run(g, pq, fq, hidden, pool)
            notices += more
        kinds = self._per_generation(g, "kinds", lambda: {d.id: d.kind for d in self._documents_cached(g)})
        raw = scoring.top(g, scores, pool, full, kinds)
        hits = self._hydrate(g, raw, pq, limit, offset, bp, own)
        counts = searcher.facet_counts(g, docs) if facets else None
        return SearchResult(query=query, total=len(docs), hits=tuple(hits), facets=counts, offset=offset,
                            elapsed_ms=(time.perf_counter() - t0) * 1000, notices=tuple(pq.notices + notices),
                            suggestions=() if full is not None and len(full) else
                            tuple(self._bestmatch().suggestions(g, query, pq)),
                            intent=(bp.intent or ("penalty" if bp.penalty else "")) if bp else "")

    def _prepare(self, g: searcher.Generation, pq: ParsedQuery,
                 all_versions: bool) -> tuple[Any, set[int] | None, list[str]]:
        """What a query searches in: its field filter (False when a filter value matches nothing), the
        hidden older versions (None with `all_versions`) and the notices so far; adds the synonyms to `pq`."""
        fq, notices = self._scope(g, pq)
        also = add_alternatives(pq, self._expander())
        # A class (医疗废物 → 危险废物) is no synonym: the search's own notice names it as an inference.
        syn = synonyms.load(self.paths.resources)
        classes = [pair for t in pq.positive_terms() if not t.phrase for pair in syn.classes_inside(t.text)]
        also = [a for a in also if not any(c in a and fold(thing) not in fold(a) for thing, c in classes)]
        if also:
            notices.append("也匹配：" + "、".join(dict.fromkeys(also)))
        hidden = None if all_versions else self._per_generation(g, "hidden", lambda: self._hidden_docnums(g))
        return fq, hidden, notices

    def _bestmatch(self) -> pipeline.BestMatch:
        return pipeline.BestMatch(self.paths.resources, self._per_generation,
                                  lambda g: self._per_generation(g, "elsewhere", lambda: self._elsewhere(g)))

    def _elsewhere(self, g: searcher.Generation) -> dict[str, npt.NDArray[np.int64]]:
        """Place -> docnums of the local documents governing another place than the plans' (none without a
        plan that names its place): a Shanghai official's library of 3,500 regulations holds 浙江's and
        北京's too."""
        docs = self._documents_cached(g)
        home = {filters.region(d) for d in docs if d.kind in searcher.PRIMARY_KINDS} - {None}
        if not home:
            return {}
        out: dict[str, list[npt.NDArray[np.int64]]] = {}
        for d in docs:
            place = filters.region(d)
            if place is not None and place not in home:
                out.setdefault(place, []).append(vectors.term_postings(g, "doc", d.id)[0])
        return {p: np.concatenate(a).astype(np.int64) for p, a in out.items()}

    def _per_generation(self, g: searcher.Generation, key: str, make: Callable[[], Any]) -> Any:
        """A value computed once per index generation (documents, hidden versions …)."""
        with self._lock:
            cache = self._gen_cache
            if cache.get("_generation") is not g.literal:
                cache.clear()
                cache["_generation"] = g.literal
            if key not in cache:
                cache[key] = make()
            return cache[key]

    def _hidden_docnums(self, g: searcher.Generation) -> set[int]:
        """Docnums of the clauses of superseded versions (read off the docnum map: no index query)."""
        old = set(self._per_generation(g, "superseded", lambda: self._superseded(self._documents_cached(g))))
        if not old:
            return set()
        return {n for d in old for n in vectors.term_postings(g, "doc", d)[0].tolist()}

    def _documents_cached(self, g: searcher.Generation) -> list[Document]:
        docs: list[Document] = self._per_generation(g, "documents", self.documents)
        return docs

    def _expander(self) -> Callable[[str], list[str]]:
        syn = synonyms.load(self.paths.resources)

        def expand(text: str) -> list[str]:
            return [*syn.expand(text), *synonyms.numeral_variants(text)]

        return expand

    def _scope(self, g: searcher.Generation, pq: ParsedQuery) -> tuple[Any, list[str]]:
        """The whoosh filter for the query's field filters (False when a value matches nothing)."""
        if not pq.filters:
            return None, []
        resolved, notices = filters.resolve(pq.filters, self._documents_cached(g), self._kb().canonical)
        if any(not values for values in resolved.values()):
            return False, notices
        return searcher.filter_query(resolved), notices

    def related(self, clause_id: str, *, limit: int = 10, per_doc: int = 1) -> dict[str, Any]:
        """法条联想: the most related articles of other documents, and the documents the clause cites.

        Returns the `policydesk related --json` contract: {"clause", "related": [{"id", "doc_title", "path",
        "heading", "score", "why"}], "citations": [{"text", "doc_id"}]}.
        """
        from app.core.search import related as rel

        c = self.clause(clause_id)
        docs = self.documents()
        g = self._generation()
        s = g.searcher
        excluded = {c.doc_id, *self._superseded(docs), *(d.id for d in docs if d.kind == "规划")}
        mask = rel.exclude_query(sorted(excluded), ["规划"])
        doc_of = self._per_generation(g, "doc_of", lambda: [None if i is None else i.split("/", 1)[0]
                                                            for i in g.docids])
        terms = rel.key_terms(s, c.full_text, context=" ".join(c.path[:-1]), doc_of=doc_of, excluded=excluded,
                              n_docs=len(docs) - len(excluded))
        cites = filters.citations(c.full_text, docs)
        cited = [str(x["doc_id"]) for x in cites if x["doc_id"]]
        home = filters.region(self.document(c.doc_id))
        elsewhere = {d.id: rel.OTHER_REGION_FACTOR for d in docs if home and filters.region(d) not in (None, home)}
        ranked = rel.rank_documents(terms, cited, elsewhere)[:limit] if terms else []
        # Each related document is shown by its best articles for the clause's key terms.
        best: dict[str, list[searcher.RawHit]] = {}
        if ranked:
            _, hits = searcher.run(s, rel.articles_query(terms), limit=len(ranked) * rel.ARTICLES_PER_TERM * 4,
                                   filter_q=rel.docs_filter([d for d, _ in ranked]), mask=mask)
            for h in hits:
                if len(best.setdefault(h.doc_id, [])) < per_doc:
                    best[h.doc_id].append(h)
        titles = {d.id: d.title for d in docs}
        with self._store(readonly=True) as st:
            found = st.clauses_by_id(h.id for hs in best.values() for h in hs)
        out: list[dict[str, Any]] = []
        for doc_id, doc_score in ranked:
            for h in best.get(doc_id, []):
                other = found.get(h.id)
                if other is None:
                    continue
                key = compact(fold(other.full_text))
                why = [t.text for t in terms if doc_id in t.per_doc and t.text in key] or \
                      [t.text for t in terms if doc_id in t.per_doc]
                out.append({"id": other.id, "doc_title": titles.get(other.doc_id, other.doc_id),
                            "path": list(other.path), "heading": other.heading, "score": round(doc_score, 3),
                            "why": "、".join(why[:6])})
            if len(out) >= limit:
                break
        return {"clause": c.id, "related": out, "citations": cites}

    def match_ids(self, query: str, *, all_versions: bool = False) -> set[str]:
        """Ids of every clause `search` counts for the query (no ranking, no limit): the same filters,
        synonyms and hidden older versions."""
        pq = parse_query(query)
        if pq.empty:
            return set()
        g = self._generation()
        fq, hidden, _ = self._prepare(g, pq, all_versions)
        if fq is False:
            return set()
        if pq.groups:
            return {str(g.docids[d]) for d in self._bestmatch().candidates(g, pq, fq, hidden)[2].tolist()}
        return {str(g.docids[d]) for d in searcher.restrict(g, searcher.every(g), fq, hidden)}

    def _hydrate(self, g: searcher.Generation, raw: list[searcher.RawHit], pq: ParsedQuery,
                 limit: int, offset: int = 0, bp: bestmatch.Plan | None = None,
                 own: npt.NDArray[np.int64] | None = None) -> list[SearchHit]:
        # an abbreviation's reading (砍伐树 of 砍树) is what the clause says: it is marked too
        needles = highlight_needles(pq) + [r for _, rs in (bp.abbreviated if bp else []) for r in rs]
        # Only the first RERANK_POOL are re-ranked, whatever the page: deeper pages keep the index order,
        # so paging never moves a hit from one page to another.
        head, rest = raw[:RERANK_POOL], raw[RERANK_POOL:]
        # The re-rank reads each clause's key and priors from the literal index, and its heading: the pool's
        # clauses are not loaded (nor folded) unless the index lacks them.
        keys: dict[str, str] = {}
        flags: dict[str, int] = {}
        for h in head:
            row = searcher.literal_row(g, h.docnum)
            if row >= 0:
                keys[h.id], flags[h.id] = g.literal.key(row), g.literal.tag(row)
        with self._store(readonly=True) as st:
            heads = st.heads_by_id([h.id for h in head])
            for missing in st.clauses_by_id([h.id for h in head if h.id not in keys]).values():
                key = key_of(indexer.search_text(missing))
                keys[missing.id], flags[missing.id] = key, indexer.prior_tag(missing, key)
        titles = self._per_generation(g, "titles", lambda: {d.id: d.title for d in self._documents_cached(g)})
        # A heading naming a term's class (促进危险废物高水平利用处置 for 飞灰) is no heading match: the class is an inference.
        syn = synonyms.load(self.paths.resources)
        alternatives = {k: [a for a in alts if not syn.is_class_of(a.key, k)] for k, alts in pq.alternatives.items()}
        head = searcher.rerank(head, {i: h[0] for i, h in heads.items()}, pq.positive_terms(), alternatives,
                               bodies=keys, prior=None if bp is None else pipeline.prior(
                                   flags, bp, keys, {i for i, h in heads.items() if priors.in_liability_chapter(h[2])},
                                   {h.id for h in head if h.kind in searcher.PRIMARY_KINDS}),
                               primary=bp is None or not pipeline.asks_the_law(bp))
        if own is not None:
            in_text = searcher.member(np.array([h.docnum for h in head], dtype=np.int64), own)
            head = searcher.sections_after_their_matches(
                head, {i: h[1:] for i, h in heads.items()}, {h.id for h, t in zip(head, in_text.tolist(), strict=True) if t})
        raw = head + rest
        raw = raw[offset:offset + limit]
        with self._store(readonly=True) as st:
            clauses = st.clauses_by_id([h.id for h in raw])
        links = self.links([h.id for h in raw])
        # A definition query's snippet opens at the sentence defining the asked term (本法所称湿地，是指…).
        defined = pipeline.definition_terms(bp) if bp is not None and bp.intent == "definition" else []
        out: list[SearchHit] = []
        for h in raw:
            c = clauses.get(h.id)
            if c is None:  # index and DB out of step: skip rather than fail
                continue
            text = indexer.search_text(c)
            out.append(SearchHit(
                id=c.id, doc_id=c.doc_id, doc_title=titles.get(c.doc_id, c.doc_id), kind=h.kind, path=c.path,
                heading=c.heading, score=h.score,
                snippet=snippet(text, needles, start=priors.definition_start(text, defined) if defined else -1),
                departments=tuple(d for d in links.get(c.id, ClauseLinks()).departments if d.role != "mentioned"),
                deadline=links.get(c.id, ClauseLinks()).deadline,
            ))
        return out


def query_terms(query: str) -> list[str]:
    """The strings a reader should see marked for `query` (for clients that render text themselves)."""
    return highlight_needles(parse_query(query)) if query.strip() else []


def mark_terms(text: str, terms: Sequence[str]) -> str:
    """HTML-escape `text` and wrap every occurrence of `terms` (folded matching) in <mark>."""
    return mark(text, find_spans(text, terms)) if terms else html.escape(text)


def warm_up() -> None:
    """Load the segmentation dictionary now, so the first search does not pay for it."""
    from app.core.search.analysis import words

    words("政策案头")


def highlight_needles(pq: ParsedQuery) -> list[str]:
    """What to mark in snippets: each term's literal key and, for plain words, its jieba words."""
    from app.core.search.analysis import words

    out: list[str] = []
    for t in pq.positive_terms():
        for v in (t, *pq.alternatives.get(t.key, [])):
            out.append(v.key)
            if not v.phrase:
                out.extend(w for w in words(v.text) if len(w) > 1 or len(v.key) == 1)
    return out


_DocMap = tuple[Sequence[str | None], searcher.DocnumMap]


def _docmap(docids: Sequence[str | None]) -> _DocMap:
    return docids, searcher.DocnumMap(docids)


__all__ = ["RERANK_POOL", "SearchMixin", "highlight_needles", "mark_terms", "query_terms", "warm_up"]
