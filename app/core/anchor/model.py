"""What the re-anchoring matcher takes and returns: a bookmark's `Anchor` and where it is now (`Resolution`)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from app.core.anchor.keys import _content, _sha1, text_key
from app.core.models import Clause, Document

State = Literal["ok", "moved", "changed", "missing"]


@dataclass(frozen=True)
class Anchor:
    """Where a bookmark points: enough to find the clause again after its document changed."""

    clause_id: str
    doc_id: str
    doc_title: str
    path: tuple[str, ...]
    heading: str
    fingerprint: str  # sha1 of text_key(heading + text)
    text: str  # the clause's full text when the bookmark was made (shown when the clause is gone)

    @property
    def relative_id(self) -> str:
        """The clause id without its document: `四/（二）/3`, `第五条`."""
        prefix = self.doc_id + "/"
        return self.clause_id[len(prefix):] if self.clause_id.startswith(prefix) else self.clause_id

    def to_json(self) -> dict[str, Any]:
        return {
            "clause_id": self.clause_id, "doc_id": self.doc_id, "doc_title": self.doc_title,
            "path": list(self.path), "heading": self.heading, "fingerprint": self.fingerprint, "text": self.text,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Anchor:
        return cls(
            clause_id=str(data["clause_id"]), doc_id=str(data["doc_id"]), doc_title=str(data.get("doc_title", "")),
            path=tuple(str(p) for p in data.get("path", ())), heading=str(data.get("heading", "")),
            fingerprint=str(data["fingerprint"]), text=str(data.get("text", "")),
        )


def anchor_for(clause: Clause, doc: Document) -> Anchor:
    """The anchor of a bookmark made on `clause` (of `doc`) now."""
    return _anchor(clause, doc, text_key(_content(clause.heading, clause.full_text)))


def _anchor(clause: Clause, doc: Document, key: str) -> Anchor:
    return Anchor(clause_id=clause.id, doc_id=clause.doc_id, doc_title=doc.title, path=clause.path,
                  heading=clause.heading, fingerprint=_sha1(key), text=clause.full_text)


@dataclass(frozen=True)
class Resolution:
    """Where a bookmark's clause is now.

    state: "ok" (same id, same text), "moved" (same text, other id or newer version), "changed"
    (attached, text edited: 条款内容已修改), "missing" (no match: keep the old anchor and its text,
    原条款已变更或删除).
    """

    state: State
    clause_id: str | None  # the clause now; None when missing
    doc_id: str | None
    score: float  # similarity 0..1 of old and new text; for missing, the best one turned down
    reason: str  # English, for logs and tooltips: "same id", "same heading path", "text similarity 0.83"
    anchor: Anchor  # the bookmark as it was
    new_anchor: Anchor | None = field(default=None, compare=False)  # the anchor of the clause now

    @property
    def attached(self) -> bool:
        return self.state != "missing"
