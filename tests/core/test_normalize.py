from hypothesis import given
from hypothesis import strategies as st

from app.core.normalize import compact, fold, fold_one_to_one, fold_with_map


def test_folds_full_width_quotes_and_case() -> None:
    assert fold("２０２３年") == "2023年"
    assert fold("「通知」") == fold("“通知”") == '"通知"'
    assert fold("VOCs") == "vocs"
    assert fold("PM\u200b2.5") == "pm2.5"
    assert fold("到\u30002030") == "到 2030"


def test_compact_drops_whitespace() -> None:
    assert compact(fold("到 2030 年")) == compact(fold("到2030年"))


@given(st.text(max_size=200))
def test_fold_is_idempotent(s: str) -> None:
    assert fold(fold(s)) == fold(s)


@given(st.text(max_size=200))
def test_fold_map_points_into_original(s: str) -> None:
    key, origin = fold_with_map(s)
    assert len(key) == len(origin)
    assert all(0 <= o < len(s) for o in origin)
    assert origin == sorted(origin)


@given(st.text(max_size=200))
def test_fold_one_to_one_says_whether_each_character_folds_to_one(s: str) -> None:
    key, one_to_one = fold_one_to_one(s)
    assert key == fold(s)
    assert one_to_one == all(len(fold(c)) == 1 for c in s)
