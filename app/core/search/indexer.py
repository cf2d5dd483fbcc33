"""Index generations: full builds go to a new folder published by an atomic pointer file.

Layout under the index dir:
    CURRENT              {"generation": "gen-…", "schema": N, "doc_count": N}
    gen-<ts>-<rand>/     a whoosh index
A crash during a build leaves CURRENT on the old generation; orphans are removed next time.
"""

from __future__ import annotations

import json
import logging
import os
import secrets
import shutil
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
from whoosh import index as windex
from whoosh.writing import IndexWriter

from app.core.errors import Cancelled, IndexError_
from app.core.models import CONTAINER_LEVELS, HEADED_LEVELS, Clause, Document
from app.core.normalize import compact
from app.core.progress import CancelToken, Progress, null_progress
from app.core.search import mapped, priors, segment
from app.core.search.docids import ClauseIds
from app.core.search.literal import LiteralIndex, key_of
from app.core.search.schema import SCHEMA_VERSION, make_schema

log = logging.getLogger("policydesk.index")

POINTER = "CURRENT"
DOCIDS = "docids.json"  # {"toc": the whoosh TOC generation the map describes, "count": documents}
DOCID_LINES = "docids.txt"  # whoosh docnum -> clause id, one per line (empty: deleted); see docids.py
ROWMAP = "literal-docnums.npy"  # literal index row -> whoosh docnum (-1: none), for that docnum map
INDEX_NAME = "clauses"
# Above this many clauses a full build uses two writer processes (see STACK-NOTES: ~2x on 2 cores).
PARALLEL_THRESHOLD = 2_000


@dataclass(frozen=True)
class IndexDoc:
    """What the index needs of one clause."""

    clause: Clause
    doc: Document
    departments: tuple[str, ...] = ()
    years: tuple[int, ...] = ()
    has_indicator: bool = False


def to_fields(item: IndexDoc) -> dict[str, Any]:
    c = item.clause
    ancestors = " ".join(c.path[:-1])
    return {
        "id": c.id,
        "doc": c.doc_id,
        "kind": item.doc.kind,
        "level": c.level,
        "words": c.text,
        "head": c.heading if c.level != "article" else "",
        # The headings above the clause: it inherits their words at reduced weight (bestmatch.ANCESTOR_CREDIT).
        "anc": ancestors,
        "path": f"{item.doc.title} {ancestors}",
        "dept": ",".join(item.departments),
        "year": ",".join(str(y) for y in item.years),
        "has_ind": "1" if item.has_indicator else "0",
    }


def indexable(c: Clause) -> bool:
    """Clauses with text, tasks, and chapter/section headings (a section is a result of its own:
    三、（一）积极稳妥推进碳达峰碳中和 answers 碳达峰 even where its body is only its tasks)."""
    if c.text.strip() or (c.level in HEADED_LEVELS and bool(c.heading)):
        return True
    return c.level in CONTAINER_LEVELS and bool(compact(c.heading))


def search_text(c: Clause) -> str:
    """What the exact-substring guarantee looks up in a clause: its full text, and for a heading-only
    container its heading (so a verbatim heading always finds its section)."""
    if c.level in CONTAINER_LEVELS and c.heading and not c.text.strip():
        return c.heading
    return c.full_text


def prior_tag(c: Clause, key: str) -> int:
    """`priors.prior_flags` of a clause whose search key is `key` (the text's own key is the end of it)."""
    if c.level in HEADED_LEVELS and c.heading:  # key_of(heading + text) == key_of(heading) + key_of(text)
        key = key[len(key_of(c.heading)):]
    elif c.level in CONTAINER_LEVELS and c.heading and not c.text.strip():  # searched by its heading alone
        key = key_of(c.text)
    return priors.prior_flags(c.level, c.text, c.path, key)


def _fsync_tree(folder: Path) -> None:
    for p in folder.iterdir():
        if p.is_file():
            with open(p, "rb") as f:
                os.fsync(f.fileno())
    _fsync_dir(folder)


def _fsync_dir(folder: Path) -> None:
    if os.name == "posix":
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


class IndexStore:
    """The index folder with its generations."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def pointer(self) -> dict[str, Any] | None:
        try:
            data = json.loads((self.root / POINTER).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        return data if isinstance(data, dict) and "generation" in data else None

    def current_dir(self) -> Path | None:
        p = self.pointer()
        if p is None or p.get("schema") != SCHEMA_VERSION or p.get("segmenter") != segment.engine():
            return None
        d = self.root / str(p["generation"])
        return d if d.is_dir() else None

    def is_ready(self) -> bool:
        d = self.current_dir()
        return (d is not None and windex.exists_in(str(d), indexname=INDEX_NAME)
                and LiteralIndex.exists(d) and (d / DOCIDS).exists())

    def open(self) -> Any:
        d = self.current_dir()
        if d is None:
            raise IndexError_("索引尚未建立，请先建立索引。")
        mapped.install()  # segment files read in place, not copied
        try:
            return windex.open_dir(str(d), indexname=INDEX_NAME)
        except Exception as exc:  # whoosh raises many kinds on damaged files
            raise IndexError_("索引文件已损坏，需要重建索引。", detail=repr(exc)) from exc

    def _publish(self, gen: Path, doc_count: int) -> None:
        _fsync_tree(gen)
        data = {"generation": gen.name, "schema": SCHEMA_VERSION, "segmenter": segment.engine(), "doc_count": doc_count,
                "built": time.strftime("%Y-%m-%dT%H:%M:%S")}
        tmp = self.root / (POINTER + ".tmp")
        with open(tmp, "w", encoding="utf-8") as f:
            json.dump(data, f)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, self.root / POINTER)
        _fsync_dir(self.root)

    def remove_stale(self) -> None:
        """Delete generations other than the current one (best effort: a reader may hold files)."""
        keep = (self.pointer() or {}).get("generation")
        for d in self.root.glob("gen-*"):
            if d.name != keep:
                shutil.rmtree(d, ignore_errors=True)

    def build(self, items: Iterable[IndexDoc], total: int, *, progress: Progress = null_progress,
              cancel: CancelToken | None = None, meanwhile: Callable[[], None] | None = None) -> int:
        """Build a new generation from `items`, validate it and publish it; return its doc count.

        With a parallel writer, the writer processes still have their segments to write when the last item
        is handed over: `meanwhile` runs then (the caller's own work, such as storing the clauses) instead
        of before the build with a core idle. An exception in `meanwhile` cancels the build. What is built
        does not depend on it."""
        self.root.mkdir(parents=True, exist_ok=True)
        self.remove_stale()
        gen = self.root / f"gen-{time.strftime('%Y%m%d%H%M%S')}-{secrets.token_hex(3)}"
        gen.mkdir()
        try:
            ix = windex.create_in(str(gen), make_schema(), indexname=INDEX_NAME)
            parallel = total >= PARALLEL_THRESHOLD and (os.cpu_count() or 1) > 1
            # Writers hold their postings in arrays until commit (writer.ArrayPostingPool: ~20 bytes each).
            from app.core.search.writer import FastSegmentWriter, parallel_writer  # building, not searching

            writer = parallel_writer(ix, 2) if parallel else FastSegmentWriter(ix)
            fed: list[IndexDoc] = []
            count = self._feed(writer, items, total, progress, cancel, fed, meanwhile)
            progress(total, total, "正在写入索引…")
            writer.commit()
            ix.close()
            # The literal texts are made now, not kept from feeding: less to hold at the writers' peak (~12 MB)
            self.write_side_files(gen, (it.clause for it in fed), writer)
            self._validate(gen, count)
            self._publish(gen, count)
        except BaseException:
            shutil.rmtree(gen, ignore_errors=True)
            raise
        self.remove_stale()
        return count

    @staticmethod
    def _feed(writer: IndexWriter, items: Iterable[IndexDoc], total: int, progress: Progress,
              cancel: CancelToken | None, fed: list[IndexDoc],
              meanwhile: Callable[[], None] | None = None) -> int:
        """Hand every item to `writer`, then run `meanwhile` while its processes (when it has any) write their
        segments. The literal index is built after them, not beside them: at their commit the writer
        processes hold their largest arrays, and the build's memory peak would rise by ~0.25 GB."""
        count = 0
        try:
            for item in items:
                if count % 200 == 0:
                    if cancel is not None and cancel.cancelled:
                        raise Cancelled()
                    progress(count, total, "正在建立索引…")
                writer.add_document(**to_fields(item))
                fed.append(item)
                count += 1
            finish = getattr(writer, "finish_feeding", None)
            if finish is not None:  # writer processes: they write their segments while the parent goes on
                finish()
            if meanwhile is not None:
                meanwhile()
        except BaseException:
            try:
                writer.cancel()
            except OSError:  # its files already gone: what went wrong first is what the caller must hear
                log.warning("cancelling the index writer failed", exc_info=True)
            # whoosh's MpWriter.cancel() only flags its sub-writer processes in this process; they would go
            # on and fail on the generation folder we are about to delete. Stop them here.
            for task in getattr(writer, "tasks", []):
                if task.pid is not None:  # started
                    task.terminate()
                    task.join(5)
            raise
        return count

    @staticmethod
    def write_side_files(gen: Path, clauses: Iterable[Clause], writer: Any = None) -> None:
        """Write the literal index's files (with each clause's priors as its tag) and the docnum -> clause id
        map of a committed generation (from what `writer`, the one that wrote the generation, recorded; else
        from the stored fields). `clauses`: every indexable clause, in library order."""
        literal = LiteralIndex.from_keys((c.id, key, prior_tag(c, key)) for c in clauses
                                         for key in (key_of(search_text(c)),))
        literal.save(gen)
        ix = windex.open_dir(str(gen), indexname=INDEX_NAME)
        try:
            with ix.reader() as r:
                from app.core.search.writer import segment_docids

                ids = segment_docids(writer, r) if writer is not None else None
                all_ids = ids if ids is not None else docid_map(r)
                toc = r.generation()
        finally:
            ix.close()
        docnum = {cid: n for n, cid in enumerate(all_ids) if cid is not None}
        rowmap = np.fromiter((docnum.get(cid, -1) for cid in literal.ids), dtype=np.int32, count=len(literal.ids))
        with open(gen / (ROWMAP + ".tmp"), "wb") as f:
            np.save(f, rowmap, allow_pickle=False)
        os.replace(gen / (ROWMAP + ".tmp"), gen / ROWMAP)
        # The ids one per line (read without parsing: ClauseIds), unless one holds a newline; then in the JSON
        blob = ClauseIds.encode(all_ids)
        data: dict[str, Any] = {"toc": toc, "count": len(all_ids)}
        if blob is None:
            data["ids"] = all_ids
        else:
            with open(gen / (DOCID_LINES + ".tmp"), "wb") as f:
                f.write(blob)
            os.replace(gen / (DOCID_LINES + ".tmp"), gen / DOCID_LINES)
        tmp = gen / (DOCIDS + ".tmp")
        tmp.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        os.replace(tmp, gen / DOCIDS)

    def load_side_files(self) -> tuple[LiteralIndex, int, Sequence[str | None], npt.NDArray[np.int32] | None]:
        """The current generation's literal index and its docnum map (with the whoosh TOC it belongs to), and
        the literal rows' docnums under that map (None if the generation predates that file)."""
        d = self.current_dir()
        if d is None:
            raise IndexError_("索引尚未建立，请先建立索引。")
        try:
            literal = LiteralIndex.load(d)
            data = json.loads((d / DOCIDS).read_text(encoding="utf-8"))
            ids: Sequence[str | None] = data["ids"] if "ids" in data else ClauseIds.load(d / DOCID_LINES)
            if "count" in data and len(ids) != data["count"]:
                raise ValueError(f"{len(ids)} clause ids for {data['count']} documents")
        except (OSError, ValueError, KeyError) as exc:
            raise IndexError_("索引文件不完整，需要重建索引。", detail=repr(exc)) from exc
        rowmap = None
        try:
            loaded = np.load(d / ROWMAP, allow_pickle=False)
            if loaded.shape == (len(literal),):
                rowmap = loaded
        except (OSError, ValueError):
            pass  # computed on first use instead
        return literal, int(data["toc"]), ids, rowmap

    @staticmethod
    def _validate(gen: Path, expected: int) -> None:
        ix = windex.open_dir(str(gen), indexname=INDEX_NAME)
        try:
            n = ix.doc_count()
        finally:
            ix.close()
        if n != expected:
            raise IndexError_("新建的索引未通过校验，已保留原索引。", detail=f"doc_count {n} != {expected}")

    def update(self, remove_docs: Sequence[str], items: Iterable[IndexDoc], clauses: Iterable[Clause],
               *, cancel: CancelToken | None = None) -> int:
        """Incrementally replace the clauses of some documents in the current generation.

        `clauses` are ALL indexable clauses after the change, in library order: the literal index is
        rebuilt whole (seconds for the full library, milliseconds for the corpus).
        """
        ix = self.open()
        try:
            writer = ix.writer(timeout=5.0)
            try:
                for doc_id in remove_docs:
                    writer.delete_by_term("doc", doc_id)
                count = 0
                for item in items:
                    if cancel is not None and cancel.cancelled:
                        raise Cancelled()
                    writer.add_document(**to_fields(item))
                    count += 1
            except BaseException:
                writer.cancel()
                raise
            writer.commit()
            doc_count = ix.doc_count()
        finally:
            ix.close()
        cur = self.current_dir()
        if cur is not None:
            self.write_side_files(cur, clauses)
            self._publish(cur, doc_count)
        return count


def docid_map(reader: Any) -> list[str | None]:
    """whoosh docnum -> clause id for one reader (None where a document is deleted)."""
    docids: list[str | None] = [None] * reader.doc_count_all()
    for docnum, fields in reader.iter_docs():
        docids[docnum] = fields["id"]
    return docids
