"""Refresh: read changed corpus files, store their clauses, and bring the index up to date."""

from __future__ import annotations

import json
import logging
import os
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from app.core import corpus, sources, validity
from app.core.errors import PolicyDeskError
from app.core.links import service
from app.core.models import DUPLICATE, OK, REFUSED, WARNING, Clause, Document, FileOutcome, IndexReport
from app.core.progress import CancelToken, Progress
from app.core.read import read_file
from app.core.sandbox import Failure, Sandbox
from app.core.search import indexer
from app.core.store import LibraryStore
from app.core.structure import parse_document

if TYPE_CHECKING:
    from app.core.ports import LibraryPort

log = logging.getLogger("policydesk.index")

DIRTY = "index_dirty"
LINKS_KEY = "links_version"
FILE_TIMEOUT_S = 30.0  # per added file: reading, parsing and linking


@dataclass(frozen=True)
class _Analysed:
    """One document read, parsed and linked (in a worker process for added files)."""

    doc: Document
    clauses: tuple[Clause, ...]
    root: str
    links: dict[str, str]
    warnings: tuple[str, ...]
    # What the index needs of each clause's links (departments, years, has indicators), computed where the
    # links are: a full build indexes these documents from memory, without reading the links back as JSON.
    facets: dict[str, tuple[tuple[str, ...], tuple[int, ...], bool]] = field(default_factory=dict)


@dataclass
class _Plan:
    keep: dict[str, str]  # doc id -> source, unchanged
    changed: list[_Analysed]
    removed: list[str]
    failed: list[tuple[str, str]]
    ordinals: dict[str, int]
    files: list[FileOutcome] = field(default_factory=list)
    refused: dict[str, tuple[str, str]] = field(default_factory=dict)  # path -> (sha, message)


@dataclass(frozen=True)
class _Job:
    src: corpus.SourceFile
    doc_id: str
    sha: str
    ordinal: int
    resources: Path

    @property
    def trusted(self) -> bool:
        """A shipped Markdown/text document: read in-process (no worker start-up to pay)."""
        return bool(self.src.entry) and self.src.path.suffix.lower() in (".md", ".markdown", ".txt")


# Worth two worker processes only for a real library: each costs ~1 s to start.
PARALLEL_DOCS = 200
_worker_linker: service.Linker | None = None


def _analyse(job: _Job) -> _Analysed | Failure:
    """Read, parse and link one document; a refusal is a `Failure` with the Chinese reason."""
    global _worker_linker
    try:
        decoded = read_file(job.src.path)
        parsed = parse_document(decoded.text, job.doc_id, kind=job.src.entry.get("kind"))
    except PolicyDeskError as exc:
        return Failure(exc.message, exc.detail or "")
    meta = {**corpus.reader_meta(decoded.meta), **parsed.meta}  # the text's own 文号/date win over a page's
    doc = corpus.make_document(job.src, doc_id=job.doc_id, title=parsed.title, history=parsed.history,
                               sha=job.sha, ordinal=job.ordinal, style=parsed.style, meta=meta)
    if _worker_linker is None:
        _worker_linker = service.Linker(job.resources)
    # A document the parser read as a plan gets plan linking (inference, targets) whatever its kind.
    links = _worker_linker.link_document(doc, parsed.clauses, plan=True if parsed.style == "plan" else None)
    warnings = tuple(dict.fromkeys((*decoded.warnings, *parsed.warnings)))
    return _Analysed(doc, parsed.clauses, str(job.src.root),
                     {cid: service.dumps(cl) for cid, cl in links.items()}, warnings,
                     {cid: _facets(cl) for cid, cl in links.items()})


def _facets(cl: service.ClauseLinks) -> tuple[tuple[str, ...], tuple[int, ...], bool]:
    return tuple(d.name for d in cl.departments), cl.years, bool(cl.indicators)


def _take(plan: _Plan, job: _Job, result: _Analysed | Failure) -> None:
    path = str(job.src.path)
    if isinstance(result, Failure):
        if result.detail:
            log.info("refused %s: %s (%s)", path, result.message, result.detail)
        plan.failed.append((path, result.message))
        plan.files.append(FileOutcome(path, REFUSED, result.message))
        plan.refused[path] = (job.sha, result.message)
        return
    plan.changed.append(result)
    n = sum(1 for c in result.clauses if c.text or c.heading)
    status = WARNING if result.warnings else OK
    plan.files.append(FileOutcome(path, status, result.doc.title, warnings=result.warnings, clauses=n,
                                  shipped=bool(job.src.entry)))


def _run_jobs(jobs: list[_Job], plan: _Plan, progress: Progress, cancel: CancelToken | None) -> None:
    done = 0

    def tick() -> None:
        nonlocal done
        done += 1
        if done % 20 == 0 or done == len(jobs):
            progress(done, len(jobs), f"正在分析文件 {done}/{len(jobs)}…")

    trusted = [j for j in jobs if j.trusted]
    untrusted = [j for j in jobs if not j.trusted]
    if (untrusted or len(trusted) >= PARALLEL_DOCS) and len(jobs) >= 4 and (os.cpu_count() or 1) >= 2:
        untrusted, trusted = jobs, []  # worker processes start anyway, or a big library: share them out
    for job in trusted:
        if cancel is not None:
            cancel.check()
        _take(plan, job, _analyse(job))
        tick()
    if not untrusted:
        return
    # Added files are read in child processes with a time and memory limit: a hostile or broken file
    # fails alone and cannot hang, crash or bloat the app.
    workers = 2 if len(untrusted) >= 4 and (os.cpu_count() or 1) >= 2 else 1
    box: Sandbox[_Job, _Analysed | Failure] = Sandbox(_analyse, workers=workers, timeout=FILE_TIMEOUT_S)
    for idx, result in box.map(untrusted, cancel=cancel):
        _take(plan, untrusted[idx], result)
        tick()


def _read_all(lib: LibraryPort, store: LibraryStore, stored: dict[str, tuple[str, str]], full: bool,
              progress: Progress, cancel: CancelToken | None) -> _Plan:
    files = corpus.scan(lib.paths.corpus, lib.extra_sources(), exclude=lib.excluded_sources())
    plan = _Plan(keep={}, changed=[], removed=[], failed=[], ordinals={})
    refused = {} if full else sources.load_refused(store)
    taken: set[str] = set()
    seen_sha: dict[str, str] = {}
    jobs: list[_Job] = []
    for n, src in enumerate(files):
        if cancel is not None:
            cancel.check()
        if n % 50 == 0:
            progress(n, len(files), f"正在检查文件 {n}/{len(files)}…")
        path = str(src.path)
        try:
            data = src.path.read_bytes()
        except OSError as exc:
            msg = f"无法读取：{exc.strerror or exc}"
            plan.failed.append((path, msg))
            plan.files.append(FileOutcome(path, REFUSED, msg))
            continue
        sha = corpus.sha256_of(data)
        if sha in seen_sha:  # the same file twice (e.g. a shipped law inside an added folder)
            plan.files.append(FileOutcome(path, DUPLICATE, f"与已收录的文件内容相同（{seen_sha[sha]}）"))
            continue
        if refused.get(path, ("", ""))[0] == sha:  # refused before and unchanged: not read again
            plan.refused[path] = refused[path]
            plan.failed.append((path, refused[path][1]))
            plan.files.append(FileOutcome(path, REFUSED, refused[path][1], again=True))
            continue
        doc_id = corpus.doc_id_for(src, taken)
        taken.add(doc_id)
        seen_sha[sha] = doc_id
        plan.ordinals[doc_id] = n
        if not full and stored.get(doc_id) == (src.relpath if src.entry else path, sha):
            plan.keep[doc_id] = sha
            continue
        jobs.append(_Job(src, doc_id, sha, n, lib.paths.resources))
    _run_jobs(jobs, plan, progress, cancel)
    order = {str(src.path): n for n, src in enumerate(files)}
    plan.files.sort(key=lambda f: order.get(f.path, len(order)))
    changed = {a.doc.id for a in plan.changed}
    plan.removed = [d for d in stored if d not in plan.keep and d not in changed]
    return plan


def _items(store: LibraryStore, doc_ids: list[str] | None = None) -> Iterator[indexer.IndexDoc]:
    docs = {d.id: d for d in store.documents()}
    links = store.links()
    for doc_id in doc_ids if doc_ids is not None else [None]:
        for c in store.clauses(doc_id):
            if indexer.indexable(c):
                depts, years, has_indicator = _facets(service.loads(links.get(c.id)))
                yield indexer.IndexDoc(clause=c, doc=docs[c.doc_id], departments=depts, years=years,
                                       has_indicator=has_indicator)


def _items_in_memory(plan: _Plan) -> list[indexer.IndexDoc]:
    """`_items` of a library whose every document was just read (`plan.changed`): the same items in the same
    order (document ordinal, id, clause ordinal), from the parsed documents instead of the clause DB."""
    out = []
    for a in sorted(plan.changed, key=lambda a: (plan.ordinals.get(a.doc.id, 0), a.doc.id)):
        for c in sorted(a.clauses, key=lambda c: c.ordinal):
            if indexer.indexable(c):
                depts, years, has_indicator = a.facets.get(c.id) or _facets(service.loads(a.links.get(c.id)))
                out.append(indexer.IndexDoc(clause=c, doc=a.doc, departments=depts, years=years,
                                            has_indicator=has_indicator))
    return out


def _save(store: LibraryStore, plan: _Plan, progress: Progress, cancel: CancelToken | None) -> None:
    """Store what was read (clauses, links, refusals, library order, validity) in one transaction; flag the
    index as behind the clause DB until the refresh completes."""
    with store.transaction():
        for doc_id in plan.removed:
            store.delete_document(doc_id)
        for n, a in enumerate(plan.changed):
            if n % 50 == 0:
                if cancel is not None:
                    cancel.check()
                progress(n, len(plan.changed), f"正在保存条款 {n}/{len(plan.changed)}…")
            store.replace_document(a.doc, a.clauses, root=a.root)
            store.replace_links(a.doc.id, a.links)
        store.set_meta(sources.REFUSED_KEY, json.dumps(plan.refused, ensure_ascii=False) if plan.refused else None)
        store.set_ordinals(plan.ordinals)
        # Which documents others repeal or amend: depends on the whole library, so always recomputed.
        store.set_meta(validity.META_KEY, validity.dumps(validity.derive_stored(store)))
        store.set_meta(LINKS_KEY, service.LINKS_VERSION)
        if plan.changed or plan.removed:
            store.set_meta(DIRTY, "1")


def refresh(lib: LibraryPort, *, full: bool, progress: Progress, cancel: CancelToken | None) -> IndexReport:
    """Bring the clause DB and the index in line with the sources; rebuild the index when needed."""
    t0 = time.perf_counter()
    store = LibraryStore(lib.paths.library_db)
    try:
        stored = store.fingerprints()
        # A refresh that stored clauses but died before the index caught up leaves this flag set.
        index_ok = lib.index_store.is_ready() and store.get_meta(DIRTY) is None
        # New link extraction rules re-read every document (derived data, so only time is spent).
        full = full or store.get_meta(LINKS_KEY) != service.LINKS_VERSION
        plan = _read_all(lib, store, stored, full or not index_ok, progress, cancel)
        phases = [("read", time.perf_counter() - t0)]

        def save() -> None:
            t = time.perf_counter()
            _save(store, plan, progress, cancel)
            phases.append(("save", time.perf_counter() - t))

        rebuild = full or not index_ok or len(plan.changed) + len(plan.removed) > 0.3 * max(1, len(stored))
        if rebuild and not plan.keep:
            # Every document was just read: index them from memory, and store them while the index writer
            # processes work through what they were handed (the generation is published after both).
            items = _items_in_memory(plan)
            lib.index_store.build(iter(items), len(items), progress=progress, cancel=cancel, meanwhile=save)
        else:
            save()
            if rebuild:
                total = sum(1 for c in store.clauses() if indexer.indexable(c))
                lib.index_store.build(_items(store), total, progress=progress, cancel=cancel)
            elif plan.changed or plan.removed:
                docs = [a.doc.id for a in plan.changed]
                every = (c for c in store.clauses() if indexer.indexable(c))
                lib.index_store.update([*plan.removed, *docs], _items(store, docs), every, cancel=cancel)
        with store.transaction():
            store.set_meta(DIRTY, None)
        phases.append(("index", time.perf_counter() - t0 - sum(s for _, s in phases)))  # less the save within it
        report = IndexReport(
            documents=store.count_documents(), clauses=store.count_clauses(),
            added=sum(1 for a in plan.changed if a.doc.id not in stored),
            updated=sum(1 for a in plan.changed if a.doc.id in stored), removed=len(plan.removed),
            unchanged=len(plan.keep), failed=tuple(plan.failed), seconds=time.perf_counter() - t0,
            full_rebuild=rebuild, phases=tuple((k, round(v, 2)) for k, v in phases), files=tuple(plan.files),
        )
    finally:
        store.close()
    log.info("index refresh: %s", report)
    return report
