"""whoosh's segment writer with the two per-posting costs of its flush taken out, and its writer processes.

A full build spends most of its time in the index-writer processes (the parent only feeds them), and in
them most of it is whoosh's own Python, per posting (~10 million on the full library). Two of those costs
are bookkeeping, not indexing:

* `PostingPool` spills its sorted runs to disk with one `pickle.dump` per posting and reads them back with
  one `pickle.load` each; `ChunkedPostingPool` pickles runs in chunks of postings.
* `FieldWriter.add_postings` looks up each posting's field length on disk, through the new segment's
  length column (a seek and a read per posting); `_Lengths` reads each column once.

Everything written is what whoosh writes (same postings, weights, lengths and block statistics: checked
by tests against whoosh's own writer). `GuardedSubWriterTask` is whoosh's writer process that also exits
with its parent (app.core.procguard) and writes with `FastSegmentWriter`.
"""

from __future__ import annotations

import os
import pickle
from collections.abc import Iterable, Iterator
from itertools import islice
from typing import Any

from whoosh.codec.whoosh3 import LENGTHS_COLUMN, _lenfield
from whoosh.multiproc import MpWriter, SubWriterTask, finish_subsegment
from whoosh.util.numeric import byte_to_length
from whoosh.writing import PostingPool, SegmentWriter

from app.core import procguard

CHUNK = 4096  # postings per pickle in a spilled run
_LENGTH_OF_BYTE = [0] + [byte_to_length(b) for b in range(1, 256)]  # a zero byte: no length (whoosh's default 0)


class ChunkedPostingPool(PostingPool):  # type: ignore[misc]
    """`PostingPool` whose runs are pickled a chunk of postings at a time (same order, same postings)."""

    def add(self, item: tuple[str, bytes, int, float, bytes | None]) -> None:
        # PostingPool.add without its per-posting type asserts; the same size estimate, so runs are cut
        # where whoosh would cut them.
        self.fieldnames.add(item[0])
        self.currentsize += 150 + len(item[0]) + 2 * len(item[1]) + len(item[4] or "")
        if self.currentsize > self.limit:
            self.save()
        self.current.append(item)

    def _write_run(self, f: Any, items: Iterable[Any]) -> None:
        it = iter(items)
        while chunk := list(islice(it, CHUNK)):
            pickle.dump(chunk, f, pickle.HIGHEST_PROTOCOL)
        f.close()

    def _read_run(self, path: str) -> Iterator[Any]:
        f = self._open_run(path)
        try:
            while True:
                try:
                    chunk = pickle.load(f)
                except EOFError:
                    return
                yield from chunk
        finally:
            f.close()
            self._remove_run(path)


class _Lengths:
    """The new segment's field lengths as `doc_field_length` gives them, each column read once."""

    def __init__(self, perdoc: Any) -> None:
        self.perdoc = perdoc
        self.columns: dict[str, list[int]] = {}

    def doc_field_length(self, docnum: int, fieldname: str, default: int = 0) -> int:
        col = self.columns.get(fieldname)
        if col is None:
            reader = self.perdoc._cached_reader(_lenfield(fieldname), LENGTHS_COLUMN)
            raw = bytes(reader.load()) if reader is not None else b""
            col = self.columns[fieldname] = [_LENGTH_OF_BYTE[b] for b in raw]
        if docnum < len(col) and col[docnum]:
            return col[docnum]
        return default


class FastSegmentWriter(SegmentWriter):  # type: ignore[misc]
    """whoosh's `SegmentWriter` with `ChunkedPostingPool` and field lengths read once at flush."""

    def __init__(self, ix: Any, **kwargs: Any) -> None:
        super().__init__(ix, **kwargs)
        self.pool = ChunkedPostingPool(self._tempstorage, self.newsegment, limitmb=kwargs.get("limitmb", 128))

    def _flush_segment(self) -> None:
        self.perdocwriter.close()
        pdr = self.per_document_reader() if self.codec.length_stats else None
        self.fieldwriter.add_postings(self.schema, _Lengths(pdr) if pdr else None, self.pool.iter_postings())
        self.fieldwriter.close()
        if pdr:
            pdr.close()


class GuardedSubWriterTask(SubWriterTask):  # type: ignore[misc]
    """whoosh's writer process (its `run`, step for step, with `FastSegmentWriter`), which also exits when
    the process that started it dies (see app.core.procguard): without this a killed build leaves both
    writer processes running for ever, blocked on the job queue whose other end the sibling holds."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.parent_pid = os.getpid()

    def run(self) -> None:
        procguard.guard_child(self.parent_pid)
        try:
            self._run()
        except FileNotFoundError:
            # A cancelled build removes the job files the parent had queued: the process ends as before,
            # without a traceback on the app's stderr.
            return

    def _run(self) -> None:
        ix = self.storage.open_index(self.indexname)
        writer = self.writer = FastSegmentWriter(ix, _lk=False, **self.kwargs)
        while self.running:
            jobinfo = self.jobqueue.get()
            if jobinfo is None:  # the parent asks us to finish
                break
            self._process_file(*jobinfo)
        if not self.running:
            writer.cancel()
            return
        if self.multisegment:  # finish the segment and hand it over whole
            runname, fieldnames, segment = None, writer.pool.fieldnames, writer._finalize_segment()
        else:  # merge the runs into one for the parent to merge
            runname, fieldnames, segment = finish_subsegment(writer, self.kwargs.get("k", 64))
        self.resultqueue.put((runname, fieldnames, segment), timeout=5)


class GuardedMpWriter(MpWriter):  # type: ignore[misc]
    """`MpWriter` whose sub-writer processes are `GuardedSubWriterTask`s."""

    def _new_task(self) -> GuardedSubWriterTask:
        task = GuardedSubWriterTask(self.storage, self.indexname, self.jobqueue, self.resultqueue, self.subargs,
                                    self.multisegment)
        self.tasks.append(task)
        task.start()
        return task


def parallel_writer(ix: Any, procs: int, **kwargs: Any) -> GuardedMpWriter:
    """What `ix.writer(procs=procs, **kwargs)` gives for procs > 1, with guarded, faster writer processes."""
    return GuardedMpWriter(ix, procs=procs, **kwargs)
