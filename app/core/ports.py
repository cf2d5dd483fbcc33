"""What the services need of the `Library` facade, as a protocol, so that they never import the facade.

`app.core.library.Library` builds the services (`Desk`, `CommentDesk`, carry-over, indexing, export) and
hands them itself; they see it as a `LibraryPort`: the reading methods and the few attributes they call.
The facade imports the services, never the other way round (no import cycle, not even for type hints).

    class Desk:
        def __init__(self, library: LibraryPort) -> None: ...
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from app.core.links.service import ClauseLinks
    from app.core.models import Clause, Document, SearchResult
    from app.core.paths import AppPaths
    from app.core.search.indexer import IndexStore
    from app.core.userdata import UserStore


class LibraryPort(Protocol):
    """The part of `app.core.library.Library` the services use (see the module doc)."""

    @property
    def paths(self) -> AppPaths: ...

    @property
    def index_store(self) -> IndexStore: ...

    @property
    def user(self) -> UserStore: ...

    def documents(self) -> list[Document]: ...

    def document(self, doc_id: str) -> Document: ...

    def clause(self, clause_id: str) -> Clause: ...

    def clauses(self, doc_id: str | None = None) -> Iterator[Clause]: ...

    def links(self, clause_ids: Iterable[str] | None = None) -> dict[str, ClauseLinks]: ...

    def canonical_department(self, name: str) -> str: ...

    def department_clauses(self, name: str | None = None, *, all_versions: bool = False) -> list[dict[str, Any]]: ...

    def indicator_rows(self, *, all_versions: bool = False) -> list[dict[str, Any]]: ...

    def reanchor(self, anchors: dict[str, Any], *, merge: bool = False) -> dict[str, Any]: ...

    def extra_sources(self) -> list[Path]: ...

    def excluded_sources(self) -> list[Path]: ...

    def search(self, query: str, *, limit: int = 20, offset: int = 0, facets: bool = False,
               all_versions: bool = False) -> SearchResult: ...


__all__ = ["LibraryPort"]
