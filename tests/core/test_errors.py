"""Engine errors (app.core.errors): a Chinese message for the user, an optional detail, one base class."""

from __future__ import annotations

import builtins

import pytest

from app.core.errors import Cancelled, IndexError_, NotFoundError, PolicyDeskError, ReadError, StorageError


@pytest.mark.parametrize("cls", [ReadError, StorageError, IndexError_, NotFoundError])
def test_every_engine_error_is_a_policydesk_error(cls: type[PolicyDeskError]) -> None:
    exc = cls("找不到条款：x", detail="no row")
    assert isinstance(exc, PolicyDeskError)
    assert (exc.message, exc.detail, str(exc)) == ("找不到条款：x", "no row", "找不到条款：x")
    with pytest.raises(PolicyDeskError, match="找不到条款"):
        raise exc


def test_detail_is_optional_and_keyword_only() -> None:
    assert PolicyDeskError("出错了").detail is None
    with pytest.raises(TypeError):
        PolicyDeskError("出错了", "detail")  # type: ignore[misc]


def test_index_error_does_not_shadow_the_builtin() -> None:
    assert not issubclass(IndexError_, builtins.IndexError)
    assert not issubclass(builtins.IndexError, PolicyDeskError)


def test_cancelled_is_not_an_error() -> None:
    assert issubclass(Cancelled, Exception)
    assert not issubclass(Cancelled, PolicyDeskError)
