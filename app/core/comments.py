"""Comments on clauses (征求意见): what the CLI and the desktop app call, over one Library.

`CommentDesk` joins the user store's comments (what people wrote) with the clause DB (where each clause is
now): it anchors a new comment to its clause, checks cited clauses, lists comments in document order,
re-attaches them after a re-index or a new version, and exports the 意见反馈表. Importing this module
registers `CommentItems` with `app.core.carry`, so `Library.carry_over` carries comments with the tasks.

    desk = library.comments
    c = desk.add(clause_id, proposal="建议将“2030年”改为“2028年”", reason="……", kind="修改", quote="2030年")
    desk.comments(doc_id=plan_id)          # document order
    desk.counts(plan_id)                   # clause id -> number of comments (badges in the reader)
    library.export_comments(Path("意见反馈表.docx"), doc_id=plan_id)
"""

from __future__ import annotations

import logging
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from app.core import anchor as anchoring
from app.core import carry
from app.core.errors import NotFoundError, PolicyDeskError
from app.core.models import Clause
from app.core.userdata import Comment, CommentDefaults, CommentStore

if TYPE_CHECKING:
    from app.core.ports import LibraryPort

log = logging.getLogger("policydesk.comments")
TITLE_CHARS = 30  # a comment is named by the start of its proposal in a review list


@dataclass(frozen=True)
class CommentedDocument:
    """A document that has comments (the export dialog's choice of document)."""

    doc_id: str
    title: str
    count: int


class ClauseIndex:
    """Clauses of the documents comments point at, read once per document (document order, citations)."""

    def __init__(self, library: LibraryPort) -> None:
        self.lib = library
        self._docs: dict[str, dict[str, Clause]] = {}
        try:
            docs = library.documents()
        except NotFoundError:  # no clause DB yet: comments still list, in the order they were made
            docs = []
        self._doc_order = {d.id: n for n, d in enumerate(docs)}
        self.titles = {d.id: d.title for d in docs}

    def of(self, doc_id: str) -> dict[str, Clause]:
        if doc_id not in self._docs:
            try:
                self._docs[doc_id] = {c.id: c for c in self.lib.clauses(doc_id)} if doc_id in self.titles else {}
            except NotFoundError:
                self._docs[doc_id] = {}
        return self._docs[doc_id]

    def clause(self, clause_id: str) -> Clause | None:
        return self.of(clause_id.split("/", 1)[0]).get(clause_id)

    def position(self, doc_id: str, clause_id: str) -> tuple[int, int]:
        """(document rank, clause ordinal); unknown ones sort last."""
        c = self.of(doc_id).get(clause_id)
        return self._doc_order.get(doc_id, len(self._doc_order)), c.ordinal if c is not None else 1 << 30

    def citation(self, clause_id: str) -> str:
        """《文件》四、（二）“…” for a clause of the library (the id itself when it is not there)."""
        from app.core.export.collect import location

        c = self.clause(clause_id)
        if c is None:
            return clause_id
        return f"《{self.titles.get(c.doc_id, c.doc_id)}》{location(c, self.of(c.doc_id))}"


class CommentDesk:
    """Comments over one Library (its clause DB and its user store)."""

    def __init__(self, library: LibraryPort) -> None:
        self.lib = library

    @property
    def store(self) -> CommentStore:
        return self.lib.user.comments

    # -- defaults ------------------------------------------------------------------------------------
    def defaults(self) -> CommentDefaults:
        """提出单位, 联系人, 电话 that new comments and the 意见反馈表 use unless given."""
        return self.store.defaults()

    def set_defaults(self, *, unit: str | None = None, contact: str | None = None,
                     phone: str | None = None) -> CommentDefaults:
        return self.store.set_defaults(unit=unit, contact=contact, phone=phone)

    # -- writing -------------------------------------------------------------------------------------
    def add(self, clause_id: str, *, proposal: str, reason: str = "", kind: str = "修改", quote: str = "",
            quote_offset: int | None = None, cited: Iterable[str] = (), unit: str | None = None,
            contact: str | None = None, phone: str | None = None) -> Comment:
        """Comment on a clause, or on the passage `quote` of its text (the offset of the selection in the
        clause's full text, when known, picks the right one of repeated words). `cited`: clause ids the
        reason relies on (checked). unit/contact/phone default to `defaults()`."""
        c = self.lib.clause(clause_id)  # NotFoundError for a wrong id
        doc = self.lib.document(c.doc_id)
        a = anchoring.anchor_for(c, doc)
        return self.store.add(
            c.id, proposal=proposal, reason=reason, kind=kind, quote=quote, quote_offset=quote_offset,
            cited=self._checked(cited), unit=unit, contact=contact, phone=phone, doc_id=c.doc_id,
            doc_title=doc.title, path=c.path, heading=c.heading, text=c.full_text, fingerprint=a.fingerprint)

    def update(self, comment_id: str, **fields: Any) -> Comment:
        """Change proposal, reason, kind, quote (+ quote_offset), cited, unit, contact or phone."""
        if "cited" in fields:
            fields["cited"] = self._checked(fields["cited"] or ())
        return self.store.update(comment_id, **fields)

    def delete(self, comment_id: str) -> None:
        """To the trash (`undelete` brings it back)."""
        self.store.delete(comment_id)

    def undelete(self, comment_id: str) -> Comment:
        return self.store.undelete(comment_id)

    def get(self, comment_id: str) -> Comment:
        return self.store.get(comment_id)

    def _checked(self, cited: Iterable[str]) -> list[str]:
        out: list[str] = []
        for cid in ([cited] if isinstance(cited, str) else cited):
            cid = str(cid).strip()
            if not cid:
                continue
            try:
                out.append(self.lib.clause(cid).id)
            except NotFoundError:
                raise NotFoundError(f"找不到引用的条款：{cid}") from None
        return out

    # -- reading -------------------------------------------------------------------------------------
    def comments(self, *, doc_id: str | None = None, clause_id: str | None = None, kind: str | None = None,
                 text: str | None = None, anchor_state: str | None = None, deleted: bool = False) -> list[Comment]:
        """Comments matching every filter, in document order (document, clause, passage, then age).
        `anchor_state` "changed"/"missing" lists those whose clause changed or is gone since."""
        found = self.store.find(doc_id=doc_id, clause_id=clause_id, kind=kind, text=text,
                                anchor_state=anchor_state, deleted=deleted)
        return self.ordered(found)

    def ordered(self, comments: Sequence[Comment], index: ClauseIndex | None = None) -> list[Comment]:
        ix = index or ClauseIndex(self.lib)
        return sorted(comments, key=lambda c: (*ix.position(c.doc_id, c.clause_id),
                                               -1 if c.quote_offset is None else c.quote_offset, c.created_at))

    def counts(self, doc_id: str | None = None) -> dict[str, int]:
        """Clause id -> number of live comments (for a badge on the clause)."""
        return self.store.counts(doc_id=doc_id)

    def documents(self) -> list[CommentedDocument]:
        """Documents with live comments, in library order, with their titles as the library has them now."""
        ix = ClauseIndex(self.lib)
        per: dict[str, list[Comment]] = {}
        for c in self.ordered(self.store.find(), ix):
            per.setdefault(c.doc_id, []).append(c)
        return [CommentedDocument(d, ix.titles.get(d) or cs[0].doc_title or d, len(cs)) for d, cs in per.items()]

    def citation(self, clause_id: str) -> str:
        """How a cited clause reads in a reason: 《上海市大气污染防治条例》第四十条."""
        return ClauseIndex(self.lib).citation(clause_id)

    # -- after a re-index ----------------------------------------------------------------------------
    def reanchor(self) -> dict[str, int]:
        """Re-attach every comment (trash included) to its clause as the library is now; counts per state.

        Like tasks: the same text elsewhere is followed ("moved"); an edited clause ("changed") keeps the
        text the comment was made on until `confirm_anchor`; an unmatched one keeps its old anchor
        ("missing"). Two clauses merged into one take the comments of both."""
        comments = self.store.find() + self.store.find(deleted=True)
        if not comments:
            return {}
        resolved = self.lib.reanchor({c.id: comment_anchor(c) for c in comments}, merge=True)
        counts: dict[str, int] = {}
        for res in resolved.values():
            counts[res.state] = counts.get(res.state, 0) + 1
        moves = comment_moves({c.id: c for c in comments}, resolved)
        if moves:
            self.store.reanchor(moves)
            log.info("re-anchored %d comments: %s", len(moves), counts)
        return counts

    def confirm_anchor(self, comment_id: str) -> Comment:
        """Accept the edited clause's new text as the comment's anchor (the quote follows when still there)."""
        c = self.store.get(comment_id)
        try:
            clause = self.lib.clause(c.clause_id)
        except NotFoundError:
            raise PolicyDeskError("原条款已变更或删除，请重新关联到新的条款。") from None
        return self._attach(comment_id, clause)

    def reattach(self, comment_id: str, clause_id: str) -> Comment:
        """Attach a comment (e.g. one flagged 原条款已变更或删除) to another clause by hand."""
        return self._attach(comment_id, self.lib.clause(clause_id))

    def _attach(self, comment_id: str, clause: Clause) -> Comment:
        a = anchoring.anchor_for(clause, self.lib.document(clause.doc_id))
        return self.store.reanchor([{
            "comment_id": comment_id, "clause_id": clause.id, "state": "ok", "doc_id": clause.doc_id,
            "doc_title": a.doc_title, "path": clause.path, "heading": clause.heading, "text": clause.full_text,
            "fingerprint": a.fingerprint}])[0]


def comment_anchor(c: Comment) -> anchoring.Anchor:
    """The clause a comment was made on, as the re-anchoring matcher takes it."""
    return anchoring.Anchor(clause_id=c.clause_id, doc_id=c.doc_id, doc_title=c.doc_title, path=c.path,
                            heading=c.heading, fingerprint=c.fingerprint, text=c.text)


def comment_moves(comments: Mapping[str, Comment],
                  resolved: Mapping[str, anchoring.Resolution]) -> list[dict[str, Any]]:
    """The `CommentStore.reanchor` moves for resolved comments (only those whose anchor changes). An edited
    clause ("changed") keeps the text the comment was made on; "missing" keeps the old clause, flagged."""
    moves: list[dict[str, Any]] = []
    for cid, res in resolved.items():
        c = comments[cid]
        move = anchoring.move_for("comment_id", cid, c.clause_id, c.anchor_state, c.fingerprint, res)
        if move is not None:
            moves.append(move)
    return moves


def comment_title(c: Comment) -> str:
    """What a review list names a comment by: the start of its proposal (else of its passage or clause)."""
    title = " ".join((c.proposal or c.passage or c.text).split())
    return title if len(title) <= TITLE_CHARS else title[:TITLE_CHARS] + "…"


class CommentItems:
    """Comments as anchored items for `Library.carry_over` (registered with `app.core.carry` below): live
    comments are counted and listed for review like tasks; those in the trash follow quietly, so restoring
    one puts it back on the clause where it is now. Comments never conflict (a clause takes any number)."""

    kind, label, unit = "comment", "意见", "条"

    def __init__(self, lib: LibraryPort) -> None:
        self.lib = lib
        self._seen: dict[str, Comment] = {}

    def items(self, doc_ids: Collection[str]) -> list[carry.Anchored]:
        store = self.lib.user.comments
        out: list[carry.Anchored] = []
        for deleted in (False, True):
            for d in doc_ids:
                for c in store.find(doc_id=d, deleted=deleted):
                    self._seen[c.id] = c
                    out.append(carry.Anchored(c.id, comment_anchor(c), c.anchor_state, comment_title(c),
                                              quiet=deleted))
        return out

    def apply(self, resolved: Mapping[str, anchoring.Resolution]) -> list[str]:
        moves = comment_moves({cid: self._seen[cid] for cid in resolved if cid in self._seen},
                              {cid: res for cid, res in resolved.items() if cid in self._seen})
        if moves:
            self.lib.user.comments.reanchor(moves)
            log.info("carried %d comments over", len(moves))
        return []


carry.register(CommentItems)

__all__: Sequence[str] = ("ClauseIndex", "CommentDesk", "CommentItems", "CommentedDocument", "comment_anchor",
                          "comment_moves", "comment_title")
