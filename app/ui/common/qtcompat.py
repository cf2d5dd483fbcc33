"""Work-arounds for bugs of the Qt binding. Each is detected at import, so a fixed binding runs untouched.

PySide6 6.12.0 on Python 3.11: `SignalInstance.emit()` returns `True` without taking a reference, so
every emit from Python drops one reference to `True`. Python 3.11's bools are not immortal: after a
few thousand emits the interpreter aborts ("bool_dealloc: deallocating True or False"). PySide6 6.11.3
is not affected; Python >= 3.12 (immortal bools) hides it. Always emit through `emit()` below.
"""

from __future__ import annotations

import ctypes
import sys
from typing import Any

from PySide6.QtCore import QObject, Signal


class _Probe(QObject):
    fired = Signal()


def _emit_steals_reference() -> bool:
    probe = _Probe()
    before = sys.getrefcount(True)
    probe.fired.emit()  # result deliberately discarded: that is where the reference goes missing
    stolen = sys.getrefcount(True) < before
    if stolen:
        ctypes.pythonapi.Py_IncRef(ctypes.py_object(True))  # give back the one the probe took
    return stolen


EMIT_STEALS_REFERENCE = _emit_steals_reference()


def emit(signal: Any, *args: Any) -> None:
    """`signal.emit(*args)`, compensating for the binding's lost reference where needed."""
    result = signal.emit(*args)
    if EMIT_STEALS_REFERENCE and isinstance(result, bool):
        ctypes.pythonapi.Py_IncRef(ctypes.py_object(result))
