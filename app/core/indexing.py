"""Refresh: read changed corpus files, store their clauses, and bring the index up to date."""

from __future__ import annotations

import logging
import multiprocessing
import os
import time
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

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
    changed: list[tuple[Document, tuple[Clause, ...], str, dict[str, str]]]  # (doc, clauses, root, links)
    removed: list[str]
    failed: list[tuple[str, str]]
    ordinals: dict[str, int]


@dataclass(frozen=True)
class _Job:
    src: corpus.SourceFile
    doc_id: str
    sha: str
    ordinal: int
    resources: Path


# Worth two worker processes only for a real library: each costs ~1 s to start.
PARALLEL_DOCS = 200
_worker_linker: service.Linker | None = None


def _analyse(job: _Job) -> tuple[Document, tuple[Clause, ...], str, dict[str, str]] | tuple[str, str]:
    """Read, parse and link one document (in a worker process for big batches); a failure is (path, message)."""
    global _worker_linker
    try:
        parsed = parse_document(read_file(job.src.path).text, job.doc_id, kind=job.src.entry.get("kind"))
    except PolicyDeskError as exc:
        return (str(job.src.path), exc.message)
    doc = corpus.make_document(job.src, doc_id=job.doc_id, title=parsed.title, history=parsed.history,
                               sha=job.sha, ordinal=job.ordinal)
    if _worker_linker is None:
        _worker_linker = service.Linker(job.resources)
    links = _worker_linker.link_document(doc, parsed.clauses)
    return doc, parsed.clauses, str(job.src.root), {cid: service.dumps(cl) for cid, cl in links.items()}


def _run_jobs(jobs: list[_Job], plan: _Plan, progress: Progress, cancel: CancelToken | None) -> None:
    def take(n: int, result: tuple[Any, ...]) -> None:
        if n % 20 == 0:
            if cancel is not None:
                cancel.check()
            progress(n, len(jobs), f"正在分析文件 {n}/{len(jobs)}…")
        if len(result) == 2:
            plan.failed.append(result)
        else:
            plan.changed.append(result)

    if len(jobs) < PARALLEL_DOCS or (os.cpu_count() or 1) < 2:
        for n, job in enumerate(jobs):
            take(n, _analyse(job))
        return
    # Spawned, never forked: the desktop app calls this from a worker thread of a Qt process.
    done = 0
    try:
        with ProcessPoolExecutor(max_workers=2, mp_context=multiprocessing.get_context("spawn")) as pool:
            try:
                for result in pool.map(_analyse, jobs, chunksize=16):
                    take(done, result)
                    done += 1
            except BaseException:
                pool.shutdown(wait=True, cancel_futures=True)
                raise
    except BrokenProcessPool:  # a worker could not start or died: finish here, slower but complete
        log.warning("analysis workers failed after %d of %d documents; continuing in-process", done, len(jobs))
        for n, job in enumerate(jobs[done:], start=done):
            take(n, _analyse(job))


def _read_all(lib: Library, stored: dict[str, tuple[str, str]], full: bool, progress: Progress,
              cancel: CancelToken | None) -> _Plan:
    sources = corpus.scan(lib.paths.corpus, lib.extra_sources())
    plan = _Plan(keep={}, changed=[], removed=[], failed=[], ordinals={})
    taken: set[str] = set()
    seen_sha: dict[str, str] = {}
    jobs: list[_Job] = []
    for n, src in enumerate(sources):
        if cancel is not None:
            cancel.check()
        if n % 50 == 0:
            progress(n, len(sources), f"正在检查文件 {n}/{len(sources)}…")
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
        jobs.append(_Job(src, doc_id, sha, n, lib.paths.resources))
    _run_jobs(jobs, plan, progress, cancel)
    changed = {c[0].id for c in plan.changed}
    plan.removed = [d for d in stored if d not in plan.keep and d not in changed]
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
        phases = [("read", time.perf_counter() - t0)]
        with store.transaction():
            for doc_id in plan.removed:
                store.delete_document(doc_id)
            for n, (doc, clauses, root, links) in enumerate(plan.changed):
                if n % 50 == 0:
                    if cancel is not None:
                        cancel.check()
                    progress(n, len(plan.changed), f"正在保存条款 {n}/{len(plan.changed)}…")
                store.replace_document(doc, clauses, root=root)
                store.replace_links(doc.id, links)
            store.set_ordinals(plan.ordinals)
            store.set_meta(LINKS_KEY, service.LINKS_VERSION)
            if plan.changed or plan.removed:
                store.set_meta(DIRTY, "1")
        phases.append(("save", time.perf_counter() - t0 - sum(s for _, s in phases)))
        rebuild = full or not index_ok or len(plan.changed) + len(plan.removed) > 0.3 * max(1, len(stored))
        if rebuild:
            total = sum(1 for c in store.clauses() if indexer.indexable(c))
            lib.index_store.build(_items(store), total, progress=progress, cancel=cancel)
        elif plan.changed or plan.removed:
            docs = [d.id for d, *_ in plan.changed]
            literal = ((c.id, indexer.search_text(c)) for c in store.clauses() if indexer.indexable(c))
            lib.index_store.update([*plan.removed, *docs], _items(store, docs), literal, cancel=cancel)
        with store.transaction():
            store.set_meta(DIRTY, None)
        phases.append(("index", time.perf_counter() - t0 - sum(s for _, s in phases)))
        report = IndexReport(
            documents=store.count_documents(), clauses=store.count_clauses(),
            added=sum(1 for d, *_ in plan.changed if d.id not in stored),
            updated=sum(1 for d, *_ in plan.changed if d.id in stored), removed=len(plan.removed),
            unchanged=len(plan.keep), failed=tuple(plan.failed), seconds=time.perf_counter() - t0,
            full_rebuild=rebuild, phases=tuple((k, round(v, 2)) for k, v in phases),
        )
    finally:
        store.close()
    log.info("index refresh: %s", report)
    return report
