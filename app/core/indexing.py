"""Refresh: read changed corpus files, store their clauses, and bring the index up to date."""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from app.core import corpus
from app.core.errors import PolicyDeskError
from app.core.links import service
from app.core.models import Clause, Document, IndexReport
from app.core.progress import CancelToken, Progress
from app.core.read import read_file
from app.core.search import indexer
from app.core.store import LibraryStore
from app.core.structure import parse_document

if TYPE_CHECKING:
    from app.core.library import Library

log = logging.getLogger("policydesk.index")

DIRTY = "index_dirty"
LINKS_KEY = "links_version"


@dataclass
class _Plan:
    keep: dict[str, str]  # doc id -> source, unchanged
    changed: list[tuple[Document, tuple[Clause, ...], str]]  # (doc, clauses, root)
    removed: list[str]
    failed: list[tuple[str, str]]
    ordinals: dict[str, int]


def _read_all(lib: Library, stored: dict[str, tuple[str, str]], full: bool, progress: Progress,
              cancel: CancelToken | None) -> _Plan:
    sources = corpus.scan(lib.paths.corpus, lib.extra_sources())
    plan = _Plan(keep={}, changed=[], removed=[], failed=[], ordinals={})
    taken: set[str] = set()
    seen_sha: dict[str, str] = {}
    for n, src in enumerate(sources):
        if cancel is not None:
            cancel.check()
        if n % 20 == 0:
            progress(n, len(sources), f"正在读取文件 {n}/{len(sources)}…")
        try:
            data = src.path.read_bytes()
        except OSError as exc:
            plan.failed.append((str(src.path), f"无法读取：{exc.strerror or exc}"))
            continue
        sha = corpus.sha256_of(data)
        if sha in seen_sha:  # the same file twice (e.g. a shipped law inside an added folder)
            continue
        doc_id = corpus.doc_id_for(src, taken)
        taken.add(doc_id)
        seen_sha[sha] = doc_id
        plan.ordinals[doc_id] = n
        if not full and stored.get(doc_id) == (src.relpath if src.entry else str(src.path), sha):
            plan.keep[doc_id] = sha
            continue
        try:
            parsed = parse_document(read_file(src.path).text, doc_id, kind=src.entry.get("kind"))
        except PolicyDeskError as exc:
            plan.failed.append((str(src.path), exc.message))
            continue
        doc = corpus.make_document(src, doc_id=doc_id, title=parsed.title, history=parsed.history, sha=sha,
                                   ordinal=n)
        plan.changed.append((doc, parsed.clauses, str(src.root)))
    plan.removed = [d for d in stored if d not in plan.keep and d not in {c[0].id for c in plan.changed}]
    return plan


def _items(store: LibraryStore, doc_ids: list[str] | None = None) -> Iterator[indexer.IndexDoc]:
    docs = {d.id: d for d in store.documents()}
    links = store.links()
    for doc_id in doc_ids if doc_ids is not None else [None]:
        for c in store.clauses(doc_id):
            if indexer.indexable(c):
                cl = service.loads(links.get(c.id))
                yield indexer.IndexDoc(
                    clause=c, doc=docs[c.doc_id], departments=tuple(d.name for d in cl.departments),
                    years=cl.years, has_indicator=bool(cl.indicators),
                )


def refresh(lib: Library, *, full: bool, progress: Progress, cancel: CancelToken | None) -> IndexReport:
    """Bring the clause DB and the index in line with the sources; rebuild the index when needed."""
    t0 = time.perf_counter()
    store = LibraryStore(lib.paths.library_db)
    try:
        stored = store.fingerprints()
        # A refresh that stored clauses but died before the index caught up leaves this flag set.
        index_ok = lib.index_store.is_ready() and store.get_meta(DIRTY) is None
        # New link extraction rules re-read every document (derived data, so only time is spent).
        full = full or store.get_meta(LINKS_KEY) != service.LINKS_VERSION
        plan = _read_all(lib, stored, full or not index_ok, progress, cancel)
        linker = service.Linker(lib.paths.resources)
        with store.transaction():
            for doc_id in plan.removed:
                store.delete_document(doc_id)
            for n, (doc, clauses, root) in enumerate(plan.changed):
                if n % 20 == 0:
                    if cancel is not None:
                        cancel.check()
                    progress(n, len(plan.changed), f"正在分析条款 {n}/{len(plan.changed)}…")
                store.replace_document(doc, clauses, root=root)
                links = linker.link_document(doc, clauses)
                store.replace_links(doc.id, {cid: service.dumps(cl) for cid, cl in links.items()})
            store.set_ordinals(plan.ordinals)
            store.set_meta(LINKS_KEY, service.LINKS_VERSION)
            if plan.changed or plan.removed:
                store.set_meta(DIRTY, "1")
        rebuild = full or not index_ok or len(plan.changed) + len(plan.removed) > 0.3 * max(1, len(stored))
        if rebuild:
            total = sum(1 for c in store.clauses() if indexer.indexable(c))
            lib.index_store.build(_items(store), total, progress=progress, cancel=cancel)
        elif plan.changed or plan.removed:
            docs = [d.id for d, _, _ in plan.changed]
            literal = ((c.id, c.full_text) for c in store.clauses() if indexer.indexable(c))
            lib.index_store.update([*plan.removed, *docs], _items(store, docs), literal, cancel=cancel)
        with store.transaction():
            store.set_meta(DIRTY, None)
        report = IndexReport(
            documents=store.count_documents(), clauses=store.count_clauses(),
            added=sum(1 for d, _, _ in plan.changed if d.id not in stored),
            updated=sum(1 for d, _, _ in plan.changed if d.id in stored), removed=len(plan.removed),
            unchanged=len(plan.keep), failed=tuple(plan.failed), seconds=time.perf_counter() - t0,
            full_rebuild=rebuild,
        )
    finally:
        store.close()
    log.info("index refresh: %s", report)
    return report
