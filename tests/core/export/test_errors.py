"""Typed export errors (app.core.export.errors): one base under PolicyDeskError, Chinese messages, the
package re-exports them, and the lock message the writers print."""

from __future__ import annotations

import pytest

import app.core.export as export_pkg
from app.core.errors import PolicyDeskError
from app.core.export import errors
from app.core.export.errors import (
    MSG_LOCKED,
    ExportError,
    FileLockedError,
    FolderNotWritableError,
    FontMissingError,
    NothingToExportError,
    TargetReadOnlyError,
    VerifyError,
)

SUBCLASSES = [NothingToExportError, FileLockedError, TargetReadOnlyError, FolderNotWritableError,
              FontMissingError, VerifyError]


def test_export_error_is_an_engine_error() -> None:
    assert issubclass(ExportError, PolicyDeskError)
    exc = ExportError("不支持的导出格式：.txt", detail="suffix")
    assert (exc.message, exc.detail, str(exc)) == ("不支持的导出格式：.txt", "suffix", "不支持的导出格式：.txt")


@pytest.mark.parametrize("cls", SUBCLASSES, ids=lambda c: c.__name__)
def test_every_export_error_is_caught_as_export_error(cls: type[ExportError]) -> None:
    with pytest.raises(ExportError) as caught:
        raise cls("没有可导出的条款。")
    assert type(caught.value) is cls and caught.value.message == "没有可导出的条款。"
    assert caught.value.detail is None


def test_the_errors_are_distinct_classes() -> None:
    assert len(set(SUBCLASSES)) == len(SUBCLASSES)
    for a in SUBCLASSES:
        for b in SUBCLASSES:
            assert a is b or not issubclass(a, b), (a, b)


def test_the_package_re_exports_every_error() -> None:
    for cls in (ExportError, *SUBCLASSES):
        assert getattr(export_pkg, cls.__name__) is cls
        assert cls.__name__ in export_pkg.__all__
        assert cls.__module__ == errors.__name__


def test_lock_message_is_chinese_and_says_what_to_do() -> None:
    assert "占用" in MSG_LOCKED and "另存为" in MSG_LOCKED
    assert MSG_LOCKED.isascii() is False and not MSG_LOCKED.endswith("。")  # the writers append ：file name
