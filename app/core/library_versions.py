"""The `Library` methods for versions of a document: version links, comparison, carrying work over.

A mixin of `app.core.library.Library` (kept apart so the facade stays readable); the work is done in
`app.core.versions` (detection, hidden set), `app.core.compare` (clause by clause) and `app.core.carry`
(tasks, comments and other anchored items follow into the new version). The mixin never imports the facade:
what it uses of it is declared in the class, and `carry_over` hands it on as an `app.core.ports.LibraryPort`.

    lib.version_links()                        # every link, newly detected ones recorded first
    lib.set_version_state(old, new, "confirmed")   # or "rejected", or back to "suggested"
    cmp = lib.compare(old, new)                # app.core.compare.Comparison
    lib.export_comparison(cmp, Path("新旧对照表.docx"))
    report = lib.carry_over(old, new)          # tasks, comments moved; report.review: what changed or vanished
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.core import versions
from app.core.errors import PolicyDeskError
from app.core.userdata.versions import VersionLink, VersionLinks

if TYPE_CHECKING:
    from app.core.carry import CarryReport
    from app.core.compare import Comparison
    from app.core.export.model import ExportResult
    from app.core.models import Clause, Document
    from app.core.paths import AppPaths
    from app.core.ports import LibraryPort
    from app.core.store import LibraryStore
    from app.core.userdata import UserStore

log = logging.getLogger("policydesk.versions")


class VersionsMixin:
    """Version links, comparison and carry-over on the Library (see the module doc)."""

    if TYPE_CHECKING:  # what the mixin uses of `Library`
        paths: AppPaths
        _lock: threading.RLock
        _gen_cache: dict[str, Any]

        @property
        def user(self) -> UserStore: ...

        def document(self, doc_id: str) -> Document: ...

        def documents(self) -> list[Document]: ...

        def clauses(self, doc_id: str | None = None) -> Iterator[Clause]: ...

        def _store(self, readonly: bool = False) -> AbstractContextManager[LibraryStore]: ...

    def _version_links(self) -> list[VersionLink]:
        try:
            return VersionLinks(self.user).all()
        except PolicyDeskError as exc:  # the user DB unreadable: behave as before links existed
            log.warning("version links unavailable: %s", exc.message)
            return []

    def _superseded(self, docs: Sequence[Document]) -> list[str]:
        """Documents default search leaves out: `filters.superseded` as the version links amend it."""
        return versions.hidden(docs, self._version_links())

    def _forget_versions(self) -> None:
        with self._lock:
            self._gen_cache.clear()  # the hidden set is cached per index generation

    def detect_versions(self) -> list[VersionLink]:
        """Record the version links the library suggests that are not stored yet; return those new ones."""
        if not self.paths.library_db.exists():
            return []
        store = VersionLinks(self.user)
        known = [(k.old_id, k.new_id) for k in store.all()]
        with self._store(readonly=True) as st:
            found = versions.detect(self.documents(), lambda d: list(st.clauses(d)), known)
        added = store.record(found)
        if added:
            self._forget_versions()
            log.info("version links detected: %s", [(k.old_id, k.new_id, k.method, k.certain) for k in added])
        return added

    def _detect_versions_quietly(self) -> None:
        """`detect_versions` after an index refresh: a failure is logged, never fails the refresh."""
        try:
            self.detect_versions()
        except PolicyDeskError as exc:
            log.warning("version detection failed: %s", exc.message)

    def version_links(self, *, detect: bool = True) -> list[VersionLink]:
        """Every version link (old doc → newer version) with its method and state; new ones detected first."""
        if detect:
            self.detect_versions()
        return self._version_links()

    def set_version_state(self, old_id: str, new_id: str, state: str) -> VersionLink:
        """Confirm (`confirmed`), reject (`rejected`) or undo (`suggested`) a version link. Confirming a pair
        the library did not suggest links it by hand. Default search follows at once; carrying tasks over
        is a separate step (`carry_over`), so the caller can show its review list."""
        old, new = self.document(old_id), self.document(new_id)  # NotFoundError for a wrong id
        link = VersionLinks(self.user).set_state(old.id, new.id, state, old_title=old.title, new_title=new.title)
        self._forget_versions()
        return link

    def version_chain(self, doc_id: str) -> tuple[list[str], list[str]]:
        """(older versions, newer versions) of a document by its version links, nearest first."""
        return versions.chain(doc_id, self._version_links())

    def compare(self, old_id: str, new_id: str) -> Comparison:
        """Compare two versions clause by clause (app.core.compare): statuses, text differences, changed
        indicators and deadlines (from the links extracted from each version's own text)."""
        from app.core.compare import compare
        from app.core.links import service

        old, new = self.document(old_id), self.document(new_id)
        if old.id == new.id:
            raise PolicyDeskError("请选择两个不同的文件进行比对。")
        old_clauses, new_clauses = list(self.clauses(old.id)), list(self.clauses(new.id))
        with self._store(readonly=True) as st:
            raw = st.links([c.id for c in (*old_clauses, *new_clauses)])
        links = {cid: service.loads(data) for cid, data in raw.items()}
        return compare(old, old_clauses, new, new_clauses, old_links=links, new_links=links)

    def carry_over(self: LibraryPort, old_id: str, new_id: str) -> CarryReport:
        """Move tasks, comments (and other registered anchored items) from `old_id` to their clauses in
        `new_id`; the report's review list holds every item whose clause changed or vanished (app.core.carry)."""
        from app.core.carry import carry_over

        return carry_over(self, old_id, new_id)

    def export_comparison(self, comparison: Comparison, out: Path, *, fmt: str | None = None,
                          include_unchanged: bool = False, overwrite: bool = False) -> ExportResult:
        """Write a 新旧对照表 (.docx or .xlsx) of `comparison`; returns an `ExportResult`."""
        from app.core.export.compare_writer import export_comparison

        result: ExportResult = export_comparison(comparison, Path(out), fmt=fmt,
                                                 include_unchanged=include_unchanged, overwrite=overwrite)
        return result


__all__ = ["VersionsMixin"]
