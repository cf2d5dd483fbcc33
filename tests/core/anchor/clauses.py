"""Small clauses and documents for the tests of app.core.anchor's modules, built by hand (no parser)."""

from __future__ import annotations

from app.core.models import Clause, Document


def doc(doc_id: str, title: str = "测试办法", *, date: str | None = None) -> Document:
    return Document(id=doc_id, title=title, kind="其他", date=date)


def article(doc_id: str, number: str, text: str, ordinal: int = 0) -> Clause:
    """A law article: no heading of its own, `第X条` as its id and path."""
    return Clause(id=f"{doc_id}/{number}", doc_id=doc_id, ordinal=ordinal, level="article", number=number,
                  number_value=None, heading="", path=(number,), text=text)


def task(doc_id: str, rel: str, heading: str, text: str, path: tuple[str, ...] = ()) -> Clause:
    """A plan task: a bold heading (part of its full text) under numbered section headings."""
    return Clause(id=f"{doc_id}/{rel}", doc_id=doc_id, ordinal=0, level="task", number=rel.rsplit("/", 1)[-1],
                  number_value=None, heading=heading, path=(*path, heading), text=text)


def section(doc_id: str, rel: str, label: str, heading: str, path: tuple[str, ...] = ()) -> Clause:
    """A plan section `（一）heading` without text of its own."""
    return Clause(id=f"{doc_id}/{rel}", doc_id=doc_id, ordinal=0, level="section", number=label, number_value=None,
                  heading=heading, path=(*path, f"{label}{heading}"), text="")
