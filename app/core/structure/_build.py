"""Mutable clause drafts and the builder that gives them unique, stable ids and document order."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from app.core.models import Clause


@dataclass(slots=True)
class Draft:
    """A clause under construction: text arrives paragraph by paragraph."""

    id: str
    level: str
    number: str
    number_value: int | None
    heading: str
    path: tuple[str, ...]
    parent_id: str | None
    parts: list[str] = field(default_factory=list)
    size: int = 0  # characters so far, kept incrementally so that long documents stay linear

    def append(self, text: str) -> None:
        self.parts.append(text)
        self.size += len(text)


class ClauseBuilder:
    """Collect drafts in document order; ids are `doc_id/label/label`, duplicates get `~2`, `~3`."""

    def __init__(self, doc_id: str) -> None:
        self.doc_id = doc_id
        self.drafts: list[Draft] = []
        self.duplicates: list[str] = []
        self._used: dict[str, int] = {}
        self._blocks = 0

    def make_id(self, labels: Sequence[str], under: str | None = None) -> str:
        """Return the id for a label path (below the id `under`), made unique by a `~n` suffix."""
        base = (under or self.doc_id) + "/" + "/".join(labels)
        count = self._used.get(base, 0) + 1
        self._used[base] = count
        if count == 1:
            return base
        self.duplicates.append("/".join(labels))
        candidate = f"{base}~{count}"
        while candidate in self._used:  # a label that itself ends in ~n: keep counting
            count += 1
            candidate = f"{base}~{count}"
        self._used[candidate] = 1
        return candidate

    def next_block_label(self) -> str:
        """Label of the next unnumbered block: ¶1, ¶2, … in document order."""
        self._blocks += 1
        return f"¶{self._blocks}"

    def add(
        self,
        labels: Sequence[str],
        level: str,
        *,
        number: str = "",
        number_value: int | None = None,
        heading: str = "",
        path: tuple[str, ...] = (),
        parent: Draft | None = None,
        under: Draft | None = None,
    ) -> Draft:
        """Create a draft with a unique id (below `under`'s id if given) and append it in document order."""
        draft = Draft(
            id=self.make_id(labels, under.id if under is not None else None),
            level=level,
            number=number,
            number_value=number_value,
            heading=heading,
            path=path,
            parent_id=parent.id if parent is not None else None,
        )
        self.drafts.append(draft)
        return draft

    def build(self) -> tuple[Clause, ...]:
        """Freeze the drafts: paragraphs joined by a newline, ordinal = position in the document."""
        return tuple(
            Clause(
                id=d.id,
                doc_id=self.doc_id,
                ordinal=i,
                level=d.level,
                number=d.number,
                number_value=d.number_value,
                heading=d.heading,
                path=d.path,
                text="\n".join(p for p in d.parts if p),
                parent_id=d.parent_id,
            )
            for i, d in enumerate(self.drafts)
        )
