"""The candidate documents of the re-anchoring matcher: an anchor's own document and its newer versions (by
version key and by version link), their clauses loaded once, on demand."""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence

from app.core.anchor.keys import _DRAFT, _recency, version_key
from app.core.anchor.model import Anchor
from app.core.anchor.view import _View
from app.core.models import Clause, Document


class _Library:
    """The documents by id and by version key; their clauses loaded once, on demand.

    `links` (old doc id → newer doc ids) are version links the user confirmed or the library detected
    with certainty (`app.core.versions`): followed whatever the titles say. `unlinked` holds (old, new)
    pairs the user rejected: never followed, even when the titles share a version key.
    """

    def __init__(self, docs: Sequence[Document], clauses_of: Callable[[str], Sequence[Clause]],
                 links: Mapping[str, Sequence[str]] | None = None,
                 unlinked: Collection[tuple[str, str]] = ()) -> None:
        self.by_id = {d.id: d for d in docs}
        self.by_key: dict[str, list[Document]] = {}
        for d in docs:
            self.by_key.setdefault(version_key(d.title), []).append(d)
        self._clauses_of = clauses_of
        self._views: dict[str, _View] = {}
        self._newer: dict[tuple[str, str], list[Document]] = {}
        self._links = links or {}
        self._unlinked = set(unlinked)

    def linked(self, doc_id: str) -> list[str]:
        """Every document a chain of version links leads to from `doc_id` (nearest first)."""
        out: list[str] = []
        todo = list(self._links.get(doc_id, ()))
        while todo:
            d = todo.pop(0)
            if d != doc_id and d not in out:
                out.append(d)
                todo.extend(self._links.get(d, ()))
        return out

    def view(self, doc: Document) -> _View:
        v = self._views.get(doc.id)
        if v is None:
            v = self._views[doc.id] = _View(doc, self._clauses_of(doc.id))
        return v

    def newer(self, anchor: Anchor) -> list[Document]:
        """Newer versions of the anchor's document, newest first."""
        cache_key = (anchor.doc_id, anchor.doc_title)
        if cache_key in self._newer:
            return self._newer[cache_key]
        own = self.by_id.get(anchor.doc_id)
        keys = {version_key(anchor.doc_title)} | ({version_key(own.title)} if own else set())
        found = {d.id: d for k in keys for d in self.by_key.get(k, ())
                 if d.id != anchor.doc_id and (anchor.doc_id, d.id) not in self._unlinked}
        if own is not None:
            out = [d for d in found.values() if _recency(d) > _recency(own)]
        else:  # the old version is gone: any version, but not a draft after a final text
            draft = bool(_DRAFT.search(anchor.doc_title))
            out = [d for d in found.values() if draft or not _DRAFT.search(d.title)]
        out = sorted(out, key=_recency, reverse=True)
        linked = [self.by_id[i] for i in self.linked(anchor.doc_id) if i in self.by_id]
        # Linked versions first, newest (furthest along the chain) first; then the ones the titles suggest.
        self._newer[cache_key] = out = list({d.id: d for d in (*reversed(linked), *out)}.values())
        return out
