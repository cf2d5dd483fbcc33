"""Reading whoosh's compound segment files in place.

whoosh maps a segment's compound file and hands each part (terms, postings …) to a `BufferFile`, which
wraps the part's memoryview in `io.BytesIO` for `read`/`seek`. `BytesIO` copies a memoryview: opening
the full library's index copied 72 MB (0.05 s of the open, and every page of the map read at once).
`MappedFile` is that `BufferFile` with a reader that slices the memoryview instead; whoosh reads the
same bytes (tests/core/search/test_mapped.py checks it against `BytesIO`, and search results are the
same). `install()` puts it where whoosh's compound storage looks for `BufferFile`.
"""

from __future__ import annotations

import io
import pickle
from collections.abc import Callable, Iterator
from typing import Any

from whoosh.filedb import compound
from whoosh.filedb.structfile import BufferFile

_LINE_CHUNK = 4096
_PICKLE_WINDOW = 256  # a postings block's header pickle is some 30 bytes


class ViewReader:
    """`read`, `readline`, `readinto`, `seek` and `tell` over a memoryview, without copying the view."""

    __slots__ = ("_pos", "_view")

    def __init__(self, view: memoryview) -> None:
        self._view = view
        self._pos = 0

    def seek(self, pos: int, whence: int = 0) -> int:
        if whence == 1:
            pos += self._pos
        elif whence == 2:
            pos += len(self._view)
        if pos < 0:
            raise ValueError(f"negative seek position {pos}")
        self._pos = pos
        return pos

    def tell(self) -> int:
        return self._pos

    def read(self, size: int | None = -1) -> bytes:
        start = self._pos
        if start >= len(self._view):
            return b""
        end = len(self._view) if size is None or size < 0 else min(len(self._view), start + size)
        self._pos = end
        return self._view[start:end].tobytes()

    def readinto(self, buffer: Any) -> int:
        data = self.read(len(memoryview(buffer).cast("B")))
        memoryview(buffer).cast("B")[: len(data)] = data
        return len(data)

    def readline(self, size: int | None = -1) -> bytes:
        view, start = self._view, self._pos
        if start >= len(view):
            return b""
        limit = len(view) if size is None or size < 0 else min(len(view), start + size)
        end = start
        while end < limit:  # look for the newline a chunk at a time: a line is short, the view is not
            stop = min(limit, end + _LINE_CHUNK)
            at = view[end:stop].tobytes().find(b"\n")
            if at >= 0:
                end += at + 1
                break
            end = stop
        self._pos = end
        return view[start:end].tobytes()

    def __iter__(self) -> Iterator[bytes]:
        while line := self.readline():
            yield line

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def flush(self) -> None:
        pass

    def close(self) -> None:
        pass


class MappedFile(BufferFile):  # type: ignore[misc]
    """whoosh's `BufferFile`, reading its buffer in place (`ViewReader`) instead of through a copy."""

    def read_pickle(self) -> Any:
        """The pickle at the current position (whoosh reads one at the head of every postings block).
        Unpickled from a copy of a small window: pickle reading a Python file object calls its `read`
        some twenty times a pickle, which cost the first search of each word more than the copy saves."""
        reader: ViewReader = self.file
        view, pos, window = reader._view, reader._pos, _PICKLE_WINDOW
        while True:
            chunk = io.BytesIO(view[pos : pos + window].tobytes())
            try:
                value = pickle.load(chunk)
            except Exception:
                if pos + window >= len(view):
                    raise  # not a window too small: the data itself
                window *= 16
                continue
            reader._pos = pos + chunk.tell()
            return value

    def __init__(self, buf: Any, name: str | None = None, onclose: Callable[[Any], None] | None = None) -> None:
        self._buf = buf
        self._name = name
        self.file = ViewReader(memoryview(buf))
        self.onclose = onclose
        self.is_real = False
        self.is_closed = False


def install() -> None:
    """Make whoosh's compound storage open its parts as `MappedFile` (idempotent)."""
    compound.BufferFile = MappedFile
