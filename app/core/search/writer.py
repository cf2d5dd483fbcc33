"""whoosh's segment writer with its per-posting Python taken out, and its writer processes.

A full build spends most of its time in the index-writer processes (the parent only feeds them), and in
them most of it was whoosh's own Python, per posting (~10 million on the full library): a token object per
word, a tuple per posting into `PostingPool`, sorted runs pickled to disk and merged back with heapq, one
`add_posting` call per posting, and a seek and read of the field length per posting. `FastSegmentWriter`
writes the same segment without them:

* text fields analysed by our `WordAnalyzer` with whoosh's Frequency format are counted from
  `analysis.words` directly (what the format computes from the analyzer's tokens);
* `ArrayPostingPool` holds the postings in flat arrays (term id, docnum, id of the (weight, value) pair) and
  sorts them once, at flush: no runs on disk;
* `write_postings` hands whoosh's postings writer a block of postings at a time, with the block's statistics
  computed as `add_posting` computes them one posting at a time, and the lengths read once per field.

Everything written is what whoosh writes (same postings, weights, lengths, block and term statistics:
tests against whoosh's own writer). `GuardedSubWriterTask` is whoosh's writer process that also exits
with its parent (app.core.procguard) and writes with `FastSegmentWriter`.
"""

from __future__ import annotations

import itertools
import multiprocessing
import os
import pickle
import queue
from array import array
from collections.abc import Iterable, Iterator
from typing import Any

import numpy as np
import numpy.typing as npt
from whoosh import formats
from whoosh.analysis import IDTokenizer
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, _lenfield
from whoosh.multiproc import MpWriter, SubWriterTask
from whoosh.system import pack_uint
from whoosh.util import random_name
from whoosh.util.numeric import byte_to_length
from whoosh.writing import SegmentWriter

from app.core import procguard
from app.core.errors import IndexError_
from app.core.search.analysis import WordTokenizer, words

_LENGTH_OF_BYTE = np.array([0] + [byte_to_length(b) for b in range(1, 256)], dtype=np.int64)  # 0: no length


class ArrayPostingPool:
    """The postings of a segment in flat arrays, sorted by (field, term, docnum) once at flush.

    whoosh's `PostingPool` interface as `SegmentWriter` uses it (`add`, `fieldnames`, `cleanup`): 12 bytes a
    posting (term id, docnum, and the id of its (weight, value) pair: a few hundred distinct ones) plus an
    entry per distinct term, where whoosh kept a tuple per posting in memory (its `limitmb` buffer) and the
    rest in pickled runs to merge."""

    def __init__(self) -> None:
        self.cleanup()

    def cleanup(self) -> None:
        self.fieldnames: set[str] = set()
        self._release()

    def _release(self) -> None:
        self._terms: dict[tuple[str, bytes], int] = {}  # (field, term) -> term id
        # (weight, value bytes) -> payload id: a few hundred distinct pairs (both follow from the frequency)
        self._payloads: dict[tuple[float, bytes | None], int] = {}
        self._tids, self._docs, self._pids = array("i"), array("i"), array("i")

    def add(self, item: tuple[str, bytes, int, float, bytes | None]) -> None:
        """One posting (field, term, docnum, weight, value): whoosh's own calls (merging segments)."""
        fieldname, tbytes, docnum, weight, vbytes = item
        self.add_field(fieldname, docnum, [(tbytes, 0, weight, vbytes)], 1.0, False)

    def add_field(self, fieldname: str, docnum: int, items: Iterable[tuple[bytes, int, float, bytes | None]],
                  fieldboost: float, scorable: bool) -> int:
        """`add` for each (term, frequency, weight, value) of one field of one document, the weight times
        `fieldboost` (as `SegmentWriter.add_document` does); returns the field's length (0 unless scorable)."""
        terms, payloads = self._terms, self._payloads
        length = 0
        for tbytes, freq, weight, vbytes in items:
            weight *= fieldboost
            if scorable:
                length += freq
            tid = terms.get((fieldname, tbytes))
            if tid is None:
                tid = terms[(fieldname, tbytes)] = len(terms)
                self.fieldnames.add(fieldname)
            pid = payloads.get((weight, vbytes))
            if pid is None:
                pid = payloads[(weight, vbytes)] = len(payloads)
            self._tids.append(tid)
            self._docs.append(docnum)
            self._pids.append(pid)
        return length

    def __len__(self) -> int:
        return len(self._docs)

    def terms(self) -> Iterator[tuple[str, bytes, npt.NDArray[np.int32], npt.NDArray[np.float64], list[bytes | None]]]:
        """(field, term, docnums, weights, values) per term, in whoosh's order (field, then term bytes, then
        docnum). Empties the pool (its field names stay)."""
        if not len(self):
            return
        keys = list(self._terms)  # index: term id
        ranked = sorted(range(len(keys)), key=keys.__getitem__)  # term ids in (field, term bytes) order
        rank = np.empty(len(keys), dtype=np.int32)
        rank[ranked] = np.arange(len(keys), dtype=np.int32)
        by_term = rank[np.frombuffer(self._tids, dtype=np.int32)]
        docs = np.frombuffer(self._docs, dtype=np.int32)
        order = np.argsort(by_term, kind="stable")  # a term's postings arrive in docnum order, as a rule
        sorted_terms, sorted_docs = by_term[order], docs[order]
        if np.any((sorted_terms[1:] == sorted_terms[:-1]) & (sorted_docs[1:] <= sorted_docs[:-1])):
            order = np.lexsort((docs, by_term))  # they did not (merged segments, say): sort on both
            sorted_terms, sorted_docs = by_term[order], docs[order]
        by_term, docs = sorted_terms, sorted_docs
        del sorted_terms, sorted_docs
        pids = np.frombuffer(self._pids, dtype=np.int32)[order]
        payloads = list(self._payloads)  # index: payload id
        weight_of = np.array([w for w, _ in payloads], dtype=np.float64)
        del order
        self._release()  # the pool's arrays are most of the memory
        starts = [*np.flatnonzero(np.concatenate([[True], by_term[1:] != by_term[:-1]])).tolist(), len(docs)]
        for a, b in itertools.pairwise(starts):
            fieldname, tbytes = keys[ranked[int(by_term[a])]]
            ids = pids[a:b]
            yield fieldname, tbytes, docs[a:b], weight_of[ids], [payloads[p][1] for p in ids.tolist()]


def write_postings(fieldwriter: Any, schema: Any, perdoc: Any, pool: ArrayPostingPool) -> None:
    """Write the pool's postings through whoosh's field writer, a block at a time: what
    `FieldWriter.add_postings` writes when given them one by one in order."""
    for fieldname, group in itertools.groupby(pool.terms(), key=lambda t: t[0]):
        fieldwriter.start_field(fieldname, schema[fieldname])
        lengths = _lengths(perdoc, fieldname)
        for _, tbytes, docs, weights, values in group:
            fieldwriter.start_term(tbytes)
            if docs[-1] >= len(lengths):  # documents past the column's end have no length (0)
                lengths = np.concatenate([lengths, np.zeros(int(docs[-1]) + 1 - len(lengths), dtype=np.int64)])
            _add_postings(fieldwriter._postwriter, docs, weights, values, lengths[docs])
            fieldwriter.finish_term()
        fieldwriter.finish_field()


def _lengths(perdoc: Any, fieldname: str) -> npt.NDArray[np.int64]:
    """The new segment's lengths of a field, per docnum (0: none), as `doc_field_length` gives them."""
    reader = perdoc._cached_reader(_lenfield(fieldname), LENGTHS_COLUMN) if perdoc is not None else None
    raw = bytes(reader.load()) if reader is not None else b""
    return _LENGTH_OF_BYTE[np.frombuffer(raw, dtype=np.uint8)] if raw else np.zeros(0, dtype=np.int64)


def _add_postings(pw: Any, docs: npt.NDArray[np.int32], weights: npt.NDArray[np.float64],
                  values: list[bytes | None], lengths: npt.NDArray[np.int64]) -> None:
    """`pw.add_posting` for each posting, a block at a time: whoosh writes a full block when the next
    posting arrives, and keeps the last one for `finish_postings` (inlined when short)."""
    limit = pw._blocklimit
    for start in range(0, len(docs), limit):
        if start:
            pw._write_block()
        end = start + limit
        ws = weights[start:end]
        pw._ids = array("I", docs[start:end].tolist())
        pw._weights = array("f", ws.tolist())
        pw._values = [v for v in values[start:end] if v]
        top = float(ws.max())
        pw._maxweight = top if top > 0 else 0  # add_posting: `if weight > maxweight` from 0
        given = lengths[start:end][lengths[start:end] != 0]  # add_posting: `if length:`
        pw._minlength = int(given.min()) if len(given) else None
        pw._maxlength = int(given.max()) if len(given) else 0


class FastSegmentWriter(SegmentWriter):  # type: ignore[misc]
    """whoosh's `SegmentWriter` with words counted directly, postings in arrays and written by block."""

    def __init__(self, ix: Any, **kwargs: Any) -> None:
        super().__init__(ix, **kwargs)
        self.pool = ArrayPostingPool()
        self.docids: list[str] = []  # the "id" of each document added, in docnum order (see segment_docids)

    def add_document(self, **fields: Any) -> None:
        """whoosh's `add_document` (vectors and spelling aside: the schema has none), with the Frequency
        fields of our analyzer counted from `words` instead of from token objects."""
        self._check_state()
        perdocwriter, schema, docnum, pool = self.perdocwriter, self.schema, self.docnum, self.pool
        docboost = self._doc_boost(fields)
        fieldnames = sorted(name for name in fields if not name.startswith("_"))
        self._check_fields(schema, fieldnames)
        perdocwriter.start_doc(docnum)
        try:
            for fieldname in fieldnames:
                value = fields.get(fieldname)
                if value is None:
                    continue
                field = schema[fieldname]
                if field.vector or field.separate_spelling():
                    raise NotImplementedError(f"FastSegmentWriter: field {fieldname} has vectors or spelling")
                length = 0
                if field.indexed:
                    length = pool.add_field(fieldname, docnum, _index(field, value),
                                            self._field_boost(fields, fieldname, docboost), bool(field.scorable))
                customval = fields.get(f"_stored_{fieldname}", value)
                perdocwriter.add_field(fieldname, field, customval if field.stored else None, length)
                column = field.column_type
                if column and customval is not None:
                    perdocwriter.add_column_value(fieldname, column, field.to_column_value(customval))
        except Exception:
            perdocwriter.cancel_doc()
            raise
        perdocwriter.finish_doc()
        self._added = True
        self.docnum += 1
        self.docids.append(fields.get("id", ""))

    def _flush_segment(self) -> None:
        self.perdocwriter.close()
        pdr = self.per_document_reader() if self.codec.length_stats else None
        write_postings(self.fieldwriter, self.schema, pdr, self.pool)
        self.fieldwriter.close()
        if pdr:
            pdr.close()


def _index(field: Any, value: Any) -> Any:
    """`field.index(value)`: (term bytes, frequency, weight, value bytes) per distinct word, computed
    directly for the two kinds of field that carry nearly every posting:

    * a text field of our analyzer with the Frequency format: the format sums each token's boost (1.0)
      into the weight, multiplies by the field boost and packs the frequency;
    * an ID field (the whole value one token) with the Existence format: frequency 1, the field boost,
      no value."""
    if isinstance(value, str):
        fmt, analyzer = type(field.format), type(field.analyzer)
        if fmt is formats.Frequency and analyzer is WordTokenizer:
            counts: dict[str, int] = {}
            for w in words(value):
                counts[w] = counts.get(w, 0) + 1
            fb = field.format.field_boost
            return [(w.encode("utf-8"), freq, float(freq) * fb, pack_uint(freq)) for w, freq in counts.items()]
        if fmt is formats.Existence and analyzer is IDTokenizer:
            return [(value.encode("utf-8"), 1, field.format.field_boost, b"")]
    return field.index(value)


# Writer processes are spawned (a fresh interpreter, as on Windows), not forked: a forked one carried the whole
# address space of the parent at the moment the first batch was queued (the library's parsed documents and
# clauses, ~330 MB on the full library) and counted it in its own resident memory until the end of the build.
_SPAWN = multiprocessing.get_context("spawn")
QUEUE_CHECK_S = 1.0  # how often a full job queue checks that its writer processes live


class GuardedSubWriterTask(SubWriterTask):  # type: ignore[misc]
    """whoosh's writer process (its `run`, step for step, with `FastSegmentWriter`), which also exits when
    the process that started it dies (see app.core.procguard): without this a killed build leaves both
    writer processes running for ever, blocked on the job queue whose other end the sibling holds."""

    @staticmethod
    def _Popen(process_obj: Any) -> Any:  # multiprocessing's name
        return _SPAWN.Process._Popen(process_obj)

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
        # Each process finishes its own segment and hands it over whole (parallel_writer's multisegment):
        # the array pool has no runs for the parent to merge. In the place of the merge's field names (unused
        # for whole segments): the segment's document ids, in docnum order.
        self.resultqueue.put((None, writer.docids, writer._finalize_segment()), timeout=5)

    def _process_file(self, filename: str, doc_count: int) -> None:
        """Index a job file of GuardedMpWriter's: the batch's documents as one pickled list."""
        tempstorage = self.writer.temp_storage()
        with tempstorage.open_file(filename).raw_file() as f:
            docs = pickle.load(f)
        assert len(docs) == doc_count
        for fields in docs:
            self.writer.add_document(**fields)
        tempstorage.delete_file(filename)


class GuardedMpWriter(MpWriter):  # type: ignore[misc]
    """`MpWriter` whose sub-writer processes are `GuardedSubWriterTask`s, spawned."""

    def __init__(self, ix: Any, **kwargs: Any) -> None:
        super().__init__(ix, **kwargs)
        # Queues of the spawn context: a spawned process cannot take over the locks of the default (fork) one.
        self.jobqueue = _SPAWN.Queue(self.procs * 4)
        self.resultqueue = _SPAWN.Queue()

    def _enqueue(self) -> None:
        """whoosh's `_enqueue` with the batch pickled as one list (whoosh pickles each document on its own:
        3 s of the parent's time over the full library)."""
        buffered: list[tuple[int, dict[str, Any]]] = self.docbuffer
        docs = [fields for code, fields in buffered if code == 0]  # 0: add_document, whoosh's only code
        assert len(docs) == len(buffered)
        filename = f"{random_name()}.doclist"
        with self.temp_storage().create_file(filename).raw_file() as f:
            pickle.dump(docs, f, pickle.HIGHEST_PROTOCOL)
        if len(self.tasks) < self.procs:
            self._new_task()
        self._put((filename, len(docs)))
        self.docbuffer: list[tuple[int, dict[str, Any]]] = []

    def _put(self, job: tuple[str, int] | None) -> None:
        """Queue a job, failing (not waiting for ever on a full queue) when a writer process has died."""
        while True:
            try:
                self.jobqueue.put(job, timeout=QUEUE_CHECK_S)
                return
            except queue.Full as full:
                dead = [t for t in self.tasks if not t.is_alive()]
                if dead:
                    raise IndexError_("索引写入进程意外退出，未能建立索引。", detail=(
                        f"writer exit codes {[t.exitcode for t in dead]}; a script that builds an index must start "
                        "under `if __name__ == \"__main__\":` (the writer processes are spawned and import it)")) from full

    def finish_feeding(self) -> None:
        """Hand the writer processes the last batch and tell them no more will come: they write their segments
        while the parent does other work, and `commit` only collects them. No document may follow."""
        if self.docbuffer:
            self._enqueue()
        for _ in self.tasks:
            self._put(None)
        self._fed = True

    def _commit(self, mergetype: Any, optimize: Any, merge: Any) -> None:
        """whoosh's `MpWriter._commit` for whole segments (multisegment), step for step, also keeping each
        segment's document ids as its writer process reported them (`segment_docids`)."""
        if not getattr(self, "_fed", False):
            self.finish_feeding()
        finalsegments = self._merge_segments(mergetype, optimize, merge)
        # The results are read before the processes are joined (whoosh joins first): a process does not end
        # while what it put on the queue is not read, and a segment's document ids are more than a pipe holds.
        results: list[tuple[Any, list[str], Any]] = []
        idle = 0
        while len(results) < len(self.tasks) and idle < 2:  # as whoosh: a missing segment fails validation
            try:
                results.append(self.resultqueue.get(timeout=1))
                idle = 0
            except queue.Empty:
                idle = 0 if any(task.is_alive() for task in self.tasks) else idle + 1
        for task in self.tasks:
            task.join()
        assert self.multisegment
        self.segment_docids = {segment.segment_id(): ids for _, ids, segment in results}
        finalsegments += [segment for _, _, segment in results]
        if self._added:
            finalsegments.append(self._finalize_segment())
        else:
            self._close_segment()
        assert self.perdocwriter.is_closed
        self._commit_toc(finalsegments)
        self._finish()

    def _new_task(self) -> GuardedSubWriterTask:
        task = GuardedSubWriterTask(self.storage, self.indexname, self.jobqueue, self.resultqueue, self.subargs,
                                    self.multisegment)
        self.tasks.append(task)
        task.start()
        return task


def segment_docids(writer: Any, reader: Any) -> list[str | None] | None:
    """Docnum -> clause id of a committed index `writer` wrote alone (a new generation), from what its
    writer processes (or itself) recorded: no stored field read back. None when a segment is not accounted
    for (then read the stored fields: `indexer.docid_map`)."""
    known: dict[str, list[str]] = dict(getattr(writer, "segment_docids", {}))
    if isinstance(writer, FastSegmentWriter) and writer.docids:
        known[writer.newsegment.segment_id()] = writer.docids
    out: list[str | None] = []
    for leaf, base in reader.leaf_readers():
        ids = known.get(leaf.segment().segment_id()) if hasattr(leaf, "segment") else None
        if ids is None or base != len(out) or len(ids) != leaf.doc_count_all() or leaf.has_deletions():
            return None
        out += ids
    return out


def parallel_writer(ix: Any, procs: int, **kwargs: Any) -> GuardedMpWriter:
    """What `ix.writer(procs=procs, multisegment=True, **kwargs)` gives for procs > 1, with guarded, faster
    writer processes (each writes a segment of its own)."""
    return GuardedMpWriter(ix, procs=procs, **{**kwargs, "multisegment": True})
