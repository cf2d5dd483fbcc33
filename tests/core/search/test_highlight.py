from hypothesis import given
from hypothesis import strategies as st

from app.core.normalize import fold_with_map
from app.core.search.highlight import _compact_map, find_spans, snippet


def test_marks_across_spaces_and_width() -> None:
    s = snippet("推进上海 LNG 站线扩建。", ["lng站线"])
    assert s == "推进上海 <mark>LNG 站线</mark>扩建。"


def test_escapes_document_text() -> None:
    s = snippet("<script>alert(1)</script> & 碳达峰", ["碳达峰"])
    assert "<script>" not in s and "&lt;script&gt;" in s and "&amp;" in s
    assert s.count("<mark>") == 1


def test_window_moves_to_matches() -> None:
    text = "甲" * 500 + "碳达峰" + "乙" * 500
    s = snippet(text, ["碳达峰"], width=60)
    assert s.startswith("…") and s.endswith("…") and "<mark>碳达峰</mark>" in s


def test_a_given_start_opens_the_window_there() -> None:
    text = "甲" * 200 + "本法所称湿地，是指积水地带。" + "乙" * 200
    out = snippet(text, ["湿地"], width=50, start=200)
    assert out.startswith("…本法所称<mark>湿地</mark>") and out.endswith("…")
    assert snippet("湿地" + "乙" * 20, ["湿地"], width=50, start=5).startswith("<mark>湿地</mark>")  # clamped


@given(st.text(max_size=300), st.text(min_size=1, max_size=5))
def test_only_our_tags(text: str, needle: str) -> None:
    s = snippet(text, [needle])
    stripped = s.replace("<mark>", "").replace("</mark>", "")
    assert "<" not in stripped and ">" not in stripped
    for a, b in find_spans(text, [needle]):
        assert 0 <= a < b <= len(text)


def _reference_compact_map(text: str) -> tuple[str, list[int]]:
    """The per-character map the fast path must equal."""
    key, origin = fold_with_map(text)
    kept = [(ch, o) for ch, o in zip(key, origin, strict=True) if not ch.isspace()]
    return "".join(ch for ch, _ in kept), [o for _, o in kept]


@given(st.text(alphabet="碳达峰ＡＢ１２ab \n\u3000\u00a0“”①㎡\u200b\ufb01Ⅻ", max_size=40))
def test_compact_map_equals_the_per_character_map(text: str) -> None:
    key, offsets = _compact_map(text)
    assert (key, list(offsets)) == _reference_compact_map(text)
