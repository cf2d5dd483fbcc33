"""The facade the CLI and the desktop app call. Opens its own connections; safe to use from one thread
at a time per instance (the GUI gives each worker its own short-lived calls)."""

from __future__ import annotations

import dataclasses
import logging
import threading
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.core import sources as sources_mod
from app.core import validity, versions
from app.core.errors import Cancelled, NotFoundError, PolicyDeskError, ReadError
from app.core.library_search import RERANK_POOL as RERANK_POOL
from app.core.library_search import SearchMixin
from app.core.library_search import highlight_needles as highlight_needles
from app.core.library_search import mark_terms as mark_terms
from app.core.library_search import query_terms as query_terms
from app.core.library_search import warm_up as warm_up
from app.core.library_versions import VersionsMixin
from app.core.links import overlay, service
from app.core.links.departments import DepartmentKB
from app.core.links.service import ClauseLinks
from app.core.links.tasktable import ImportReport
from app.core.models import Clause, Document, IndexReport
from app.core.paths import AppPaths
from app.core.progress import CancelToken, Progress, null_progress
from app.core.search import indexer
from app.core.sources import EXCLUDED_KEY, EXTRA_SOURCES_KEY
from app.core.store import LibraryStore
from app.core.userdata import OpenReport, UserStore

if TYPE_CHECKING:
    from app.core.comments import CommentDesk
    from app.core.desk import Desk

log = logging.getLogger("policydesk.library")


class Library(SearchMixin, VersionsMixin):
    """Everything PolicyDesk can do, without Qt: index, search, read clauses. Search lives in
    `app.core.library_search.SearchMixin`, version links and carry-over in `app.core.library_versions`."""

    def __init__(self, paths: AppPaths) -> None:
        self.paths = paths.ensure()
        self.index_store = indexer.IndexStore(paths.index_dir)
        self._local = threading.local()
        self._open_searchers: list[Any] = []  # every thread's searcher, so close() releases all files
        self._lock = threading.RLock()  # re-entrant: per-generation values may build on each other
        # (generation dir, literal index, {whoosh TOC: (docnum -> id, id -> docnum, literal row -> docnum)})
        self._side: tuple[Path | None, Any, dict[int, tuple[Sequence[str | None], Mapping[str, int], Any]]] | None = None
        self._gen_cache: dict[str, Any] = {}
        self._user: UserStore | None = None
        self.user_report: OpenReport | None = None  # what opening the user DB found (recovery, unclean exit)

    # -- user data ------------------------------------------------------------------------------
    @property
    def user(self) -> UserStore:
        """The user DB (tasks, notes, corrections, settings), opened once with checks, recovery and backup."""
        with self._lock:
            if self._user is None:
                self._user, self.user_report = UserStore.open(self.paths.data)
                for msg in self.user_report.messages:
                    log.warning("user data: %s", msg)
            return self._user

    @property
    def desk(self) -> Desk:
        """Tasks (bookmarks), suggestions for my department, re-anchoring."""
        from app.core.desk import Desk  # imported on first use: a search needs neither desk nor comments

        return Desk(self)

    def tasks(self) -> list[dict[str, Any]]:
        """The live tasks as plain dicts (the `export --tasks` scope and `tasks --json`)."""
        out = []
        for d in self.desk.tasks():
            row = d.to_json()
            # the export's task fields: status as shown, the due date in force
            row.update(status=d.task.status_label, status_code=d.task.status, due=d.due, personal_due=d.task.due)
            out.append(row)
        return out

    def reanchor(self, anchors: dict[str, Any], *, merge: bool = False) -> dict[str, Any]:
        """Find each anchor's clause in the library as it is now (see app.core.anchor.reanchor)."""
        from app.core.anchor import reanchor

        if not self.paths.library_db.exists():
            return {}
        forward, rejected = versions.follow_map(self._version_links())  # confirmed links lead, rejected never
        with self._store(readonly=True) as st:
            return reanchor(anchors, st.documents(), lambda d: list(st.clauses(d)), merge=merge, follow_newer=True,
                            links=forward, unlinked=rejected)

    @property
    def comments(self) -> CommentDesk:
        """Comments on clauses (征求意见): add, list in document order, re-anchor (see app.core.comments)."""
        from app.core.comments import CommentDesk

        return CommentDesk(self)

    def export_comments(self, out: Path, *, fmt: str | None = None, doc_id: str | None = None,
                        options: Any = None, overwrite: bool = False, progress: Progress = null_progress,
                        cancel: CancelToken | None = None) -> Any:
        """Write the 意见反馈表 of the comments (of one document, or one table per document) to `out` as .docx
        or .xlsx; `options` is an `app.core.export.feedback.FeedbackOptions`. Returns an `ExportResult`."""
        from app.core.export.feedback import export_feedback

        return export_feedback(self, out, fmt=fmt, doc_id=doc_id, options=options, overwrite=overwrite,
                               progress=progress, cancel=cancel)

    def canonical_department(self, name: str) -> str:
        """The knowledge base's name for a department (市发改委 → 市发展改革委); the input when unknown."""
        found = self._kb().canonical(name.strip())
        return found or name.strip()

    # -- state ----------------------------------------------------------------------------------
    def needs_index(self) -> bool:
        """True when the clause DB or the index must be (re)built before searching."""
        if not self.paths.library_db.exists() or not self.index_store.is_ready():
            return True
        from app.core.indexing import LINKS_KEY

        with self._store(readonly=True) as st:
            # A new version of the link extraction (an upgrade) re-links every document at start.
            return st.count_documents() == 0 or st.get_meta(LINKS_KEY) != service.LINKS_VERSION

    def extra_sources(self) -> list[Path]:
        return [Path(p) for p in self.user.get(EXTRA_SOURCES_KEY, [])]

    def excluded_sources(self) -> list[Path]:
        return [Path(p) for p in self.user.get(EXCLUDED_KEY, [])]

    def add_sources(self, paths: Sequence[Path]) -> None:
        """Remember folders/files the user added, so later refreshes include them."""
        us = self.user
        known = list(us.get(EXTRA_SOURCES_KEY, []))
        excluded = list(us.get(EXCLUDED_KEY, []))
        for p in paths:
            s = str(Path(p).expanduser().resolve())
            if s not in known:
                known.append(s)
            if s in excluded:  # added again by name: no longer taken out
                excluded.remove(s)
        us.set(EXTRA_SOURCES_KEY, known)
        us.set(EXCLUDED_KEY, excluded)

    def sources(self) -> sources_mod.SourcesReport:
        """The added folders/files, the document each file became and the files that were refused."""
        with self._store(readonly=True) as st:
            return sources_mod.report(st, [str(p) for p in self.extra_sources()],
                                      [str(p) for p in self.excluded_sources()])

    def remove_source(self, path: Path, *, progress: Progress = null_progress,
                      cancel: CancelToken | None = None) -> IndexReport:
        """Take an added folder or file out of the library and refresh (its documents leave the index)."""
        roots, excluded = sources_mod.remove(Path(path), [str(p) for p in self.extra_sources()],
                                             [str(p) for p in self.excluded_sources()])
        self.user.set(EXTRA_SOURCES_KEY, roots)
        self.user.set(EXCLUDED_KEY, excluded)
        return self.index(progress=progress, cancel=cancel)

    # -- indexing -------------------------------------------------------------------------------
    def index(self, extra: Sequence[Path] = (), *, full: bool = False, progress: Progress = null_progress,
              cancel: CancelToken | None = None) -> IndexReport:
        """Build or refresh the clause DB and the index for the shipped corpus plus added sources."""
        from app.core.indexing import refresh

        for p in extra:
            if not Path(p).exists():
                raise ReadError(f"找不到文件或文件夹：{p}")
        if extra:
            self.add_sources(extra)
        self._drop_searcher()
        try:
            report = refresh(self, full=full, progress=progress, cancel=cancel)
        finally:
            with self._lock:
                self._side = None
                self._gen_cache.clear()
        if report.added or report.updated or report.removed:
            self._detect_versions_quietly()  # before re-anchoring: certain links lead work to new versions
        if (report.added or report.updated or report.removed) and self.user.list_tasks():
            # Bookmarks follow their clauses into new versions; unmatched ones are flagged, never dropped.
            progress(1, 1, "正在重新定位任务…")
            counts = self.desk.reanchor()
            report = dataclasses.replace(report, tasks=tuple(sorted(counts.items())))
        if (report.added or report.updated or report.removed) and self.user.comments.count():
            self.comments.reanchor()  # comments follow their clauses like tasks
        return report

    # -- reading --------------------------------------------------------------------------------
    def _store(self, readonly: bool = False) -> _StoreCtx | _ReaderCtx:
        if readonly:
            return _ReaderCtx(self._reader())
        return _StoreCtx(self.paths.library_db, readonly)

    def _reader(self) -> LibraryStore:
        """This thread's read-only connection to the clause DB, kept open between calls: SQLite keeps its
        page cache warm (a search reads its page of clauses in about half the time of a fresh connection).
        Reopened when the file was replaced; WAL readers see every commit of a refresh in place. Only the
        thread-local holds it: close() drops the references and each connection closes when its last user
        lets go — never under a worker still reading through it (closing it from here crashed SQLite)."""
        path = self.paths.library_db
        try:
            st = path.stat()
        except OSError:
            raise NotFoundError("条款库尚未建立，请先建立索引。") from None
        key = (st.st_dev, st.st_ino)  # the app never replaces the file; someone else may
        held = getattr(self._local, "reader", None)
        if held is not None and held[0] == key:
            store: LibraryStore = held[1]
            return store
        store = LibraryStore(path, readonly=True)  # a replaced file's old one closes when nothing reads it
        self._local.reader = (key, store)
        return store

    def documents(self) -> list[Document]:
        """Every document, its status as the library itself tells it (已废止/已被修改, see app.core.validity)."""
        with self._store(readonly=True) as st:
            return validity.overlay(st.documents(), validity.loads(st.get_meta(validity.META_KEY)))

    def document(self, doc_id: str) -> Document:
        with self._store(readonly=True) as st:
            found = validity.loads(st.get_meta(validity.META_KEY))
            return validity.overlay([st.document(doc_id)], found)[0]

    def derived_validity(self) -> dict[str, validity.Validity]:
        """Doc id -> the provision that repeals or amends it, as derived at the last refresh."""
        with self._store(readonly=True) as st:
            return validity.loads(st.get_meta(validity.META_KEY))

    def clause(self, clause_id: str) -> Clause:
        with self._store(readonly=True) as st:
            return st.clause(clause_id)

    def clauses(self, doc_id: str | None = None) -> Iterator[Clause]:
        """All clauses (containers included) in document order."""
        with self._store(readonly=True) as st:
            if doc_id is not None:
                st.document(doc_id)  # raises NotFoundError
            yield from st.clauses(doc_id)

    def links(self, clause_ids: Iterable[str] | None = None) -> dict[str, ClauseLinks]:
        """Departments, indicators and deadline per clause (all clauses when `clause_ids` is None),
        with the imported 分工表 and the user's corrections laid over what the text says."""
        ids = None if clause_ids is None else list(clause_ids)
        with self._store(readonly=True) as st:
            raw = st.links(ids)
        table, user = self.user.overrides("task_table"), self.user.overrides("link_overrides")
        out = {cid: service.loads(data) for cid, data in raw.items()}
        for cid in {*table, *user}:
            if ids is None or cid in ids:
                out[cid] = overlay.apply(out.get(cid, ClauseLinks()), table.get(cid), user.get(cid))
        return out

    def set_links(self, clause_id: str, *, lead: list[str] | None = None, support: list[str] | None = None,
                  deadline: str | None = None) -> ClauseLinks:
        """Correct a clause's lead/support departments and deadline; kept in the user DB (survives rebuilds).

        Department names are resolved through the knowledge base (市发改委 → 市发展改革委); unknown
        names are kept as typed. All three None removes the correction.
        """
        self.clause(clause_id)  # NotFoundError for a wrong id
        if deadline is not None and overlay.parse_deadline(deadline, "user") is None:
            raise PolicyDeskError(f"无法识别的完成时限：{deadline}（示例：2028、2028-06-30、2026年6月底前）")
        self.user.set_override(clause_id, lead=self._canonical_names(lead), support=self._canonical_names(support),
                               deadline=deadline)
        return self.links([clause_id]).get(clause_id, ClauseLinks())

    def _canonical_names(self, names: list[str] | None) -> list[str] | None:
        if names is None:
            return None
        kb = self._kb()
        return [kb.canonical(n) or n.strip() for n in names if n.strip()]

    def _kb(self) -> DepartmentKB:
        kb: DepartmentKB | None = getattr(self, "_kb_cache", None)
        if kb is None:
            kb = DepartmentKB.load(self.paths.resources / service.KB_FILE)
            self._kb_cache = kb
        return kb

    def import_tasks(self, path: Path) -> ImportReport:
        """Import a 任务分工表 (.xlsx or .csv): match rows to clauses and store their links as source `table`."""
        from app.core.links import tasktable

        rows = tasktable.read_table(path)
        plan = [c for c in self.clauses() if c.level in ("task", "item", "section", "chapter", "preamble") and c.full_text]
        with self._store(readonly=True) as st:
            ids = set(st.clause_ids()) if any(r.get("clause_id") for r in rows) else set()
        report = tasktable.match_rows(rows, plan, self._kb(), known=ids.__contains__)
        self.user.replace_task_table(report.matched_rows(), str(path))
        return report

    def clause_json(self, c: Clause, doc: Document | None = None,
                    links: ClauseLinks | None = None) -> dict[str, Any]:
        """The `clauses --json` contract for one clause."""
        doc = doc or self.document(c.doc_id)
        cl = links if links is not None else self.links([c.id]).get(c.id, ClauseLinks())
        return {
            "id": c.id, "doc": doc.brief(), "path": list(c.path), "number": c.number, "heading": c.heading,
            "text": c.text, "level": c.level, **cl.to_json(),
        }

    def current_clauses(self, *, all_versions: bool = False) -> Iterator[Clause]:
        """All clauses in document order, without those of the documents default search leaves out (older
        versions as the version links say, repealed documents: `_superseded`) unless `all_versions`. What
        the 指标, 部门 and 时间线 views list."""
        hidden = set() if all_versions else set(self._superseded(self.documents()))
        for c in self.clauses():
            if c.doc_id not in hidden:
                yield c

    def indicator_rows(self, *, all_versions: bool = False) -> list[dict[str, Any]]:
        """Every indicator with its clause id and path, in document order (older versions left out unless
        `all_versions`, as in search)."""
        links = self.links()
        rows: list[dict[str, Any]] = []
        for c in self.current_clauses(all_versions=all_versions):
            for ind in links.get(c.id, ClauseLinks()).indicators:
                rows.append({"clause": c.id, "path": list(c.path), **asdict(ind)})
        return rows

    def department_clauses(self, name: str | None = None, *, all_versions: bool = False) -> list[dict[str, Any]]:
        """Per department, the clauses it leads, supports or is mentioned in (with provenance); older
        versions left out unless `all_versions`, as in search."""
        links = self.links()
        wanted = self._canonical_department(name) if name else None
        by_dept: dict[str, dict[str, list[dict[str, Any]]]] = {}
        for c in self.current_clauses(all_versions=all_versions):
            for d in links.get(c.id, ClauseLinks()).departments:
                if wanted is not None and d.name != wanted:
                    continue
                roles = by_dept.setdefault(d.name, {"lead": [], "support": [], "mentioned": []})
                roles.setdefault(d.role, []).append(
                    {"id": c.id, "path": list(c.path), "source": d.source, "confidence": d.confidence,
                     "evidence": d.evidence})
        if wanted is not None and not by_dept:
            by_dept[wanted] = {"lead": [], "support": [], "mentioned": []}
        order = sorted(by_dept, key=lambda n: (-len(by_dept[n]["lead"]), -len(by_dept[n]["support"]), n))
        return [{"name": n, **by_dept[n]} for n in order]

    def _canonical_department(self, name: str) -> str:
        found = self._kb().canonical(name.strip())
        if found is None:
            raise NotFoundError(f"部门知识库中没有“{name}”。")
        return found

    # -- search (app.core.library_search.SearchMixin) -------------------------------------------
    def close(self) -> None:
        """Close every searcher any thread opened (their index files stay locked on Windows otherwise)."""
        with self._lock:
            searchers, self._open_searchers = self._open_searchers, []
        for s in searchers:
            try:
                s.close()
            except Exception:  # already closed by its thread
                log.debug("searcher close failed", exc_info=True)
        self._local = threading.local()  # and with it every thread's kept read connection (see _reader)
        with self._lock:
            user, self._user = self._user, None
        if user is not None:
            user.close()

    # -- export ---------------------------------------------------------------------------------
    def export(self, scope: Any, out: Path, *, fmt: str | None = None, options: Any = None,
               overwrite: bool = False, progress: Progress = null_progress,
               cancel: CancelToken | None = None) -> Any:
        """Export `scope` (an `app.core.export.Scope`) to the file `out` as .docx/.pdf/.md/.html/.xlsx and
        return an `ExportResult`; see `app.core.export.export` (safe names, atomic write, verification)."""
        from app.core import export as exporter

        return exporter.export(self, scope, out, fmt=fmt, options=options, overwrite=overwrite,
                               progress=progress, cancel=cancel)



class _ReaderCtx:
    """`with lib._store(readonly=True) as st`: this thread's kept read-only store (not closed on exit)."""

    def __init__(self, store: LibraryStore) -> None:
        self.store = store

    def __enter__(self) -> LibraryStore:
        return self.store

    def __exit__(self, *exc: object) -> None:
        return None


class _StoreCtx:
    def __init__(self, path: Path, readonly: bool) -> None:
        self.path, self.readonly = path, readonly
        self.store: LibraryStore | None = None

    def __enter__(self) -> LibraryStore:
        if self.readonly and not self.path.exists():
            raise NotFoundError("条款库尚未建立，请先建立索引。")
        self.store = LibraryStore(self.path, readonly=self.readonly)
        return self.store

    def __exit__(self, *exc: object) -> None:
        if self.store is not None:
            self.store.close()


__all__ = ["Cancelled", "Library", "PolicyDeskError"]
