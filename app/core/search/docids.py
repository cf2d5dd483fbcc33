"""The docnum -> clause id map of an index generation, as one UTF-8 text read without parsing.

A generation's 166k clause ids were a 10 MB JSON list: parsing it was 0.05 s of every start, though a
search reads a few ids (the hits). `ClauseIds` keeps the file's bytes and where each line starts, and
decodes an id when it is asked for.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import overload

import numpy as np
import numpy.typing as npt

NEWLINE = 10


class ClauseIds(Sequence[str | None]):
    """Docnum -> clause id (None: a deleted document), decoded on access from one id per line (each line
    ends with a newline; an empty line is a deleted document)."""

    def __init__(self, blob: bytes) -> None:
        self._blob = blob
        self._ends: npt.NDArray[np.int64] = np.flatnonzero(np.frombuffer(blob, dtype=np.uint8) == NEWLINE)
        self._starts: npt.NDArray[np.int64] = np.concatenate([[0], self._ends[:-1] + 1]).astype(np.int64) \
            if len(self._ends) else self._ends

    @classmethod
    def load(cls, path: Path) -> ClauseIds:
        return cls(path.read_bytes())

    @staticmethod
    def encode(ids: Sequence[str | None]) -> bytes | None:
        """The file's bytes for `ids`, or None when an id holds a newline (it cannot be a line)."""
        if any(i is not None and "\n" in i for i in ids):
            return None
        return "".join(f"{'' if i is None else i}\n" for i in ids).encode("utf-8")

    def __len__(self) -> int:
        return len(self._starts)

    @overload
    def __getitem__(self, index: int) -> str | None: ...

    @overload
    def __getitem__(self, index: slice) -> list[str | None]: ...

    def __getitem__(self, index: int | slice) -> list[str | None] | str | None:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        if index < 0:
            index += len(self)
        if not 0 <= index < len(self):
            raise IndexError(index)
        start, end = int(self._starts[index]), int(self._ends[index])
        return self._blob[start:end].decode("utf-8") if end > start else None

    def __iter__(self) -> Iterator[str | None]:
        if not len(self):
            return iter(())
        return (i or None for i in self._blob.decode("utf-8").split("\n")[:-1])
