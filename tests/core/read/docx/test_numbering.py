"""Word's automatic numbering: number formats, and the labels `Numbering` draws from numbering.xml."""

from __future__ import annotations

import pytest
from lxml import etree

from app.core.read.docx.numbering import Numbering, format_number
from app.core.read.docx.styles import _Styles
from app.core.read.docx.wml import W

NS = f'xmlns:w="{W}"'


def _lvl(ilvl: int, fmt: str, text: str, *, start: int = 1, extra: str = "") -> str:
    return (
        f'<w:lvl w:ilvl="{ilvl}"><w:start w:val="{start}"/><w:numFmt w:val="{fmt}"/>{extra}'
        f'<w:suff w:val="nothing"/><w:lvlText w:val="{text}"/></w:lvl>'
    )


def _numbering(xml: str, styles: _Styles | None = None) -> Numbering:
    return Numbering(etree.fromstring(f"<w:numbering {NS}>{xml}</w:numbering>"), styles or _Styles(None))


PLAN_LEVELS = (
    '<w:abstractNum w:abstractNumId="1">'
    + _lvl(0, "chineseCounting", "%1、")
    + _lvl(1, "chineseCounting", "（%2）")
    + _lvl(2, "decimal", "%3.")
    + "</w:abstractNum>"
)


@pytest.mark.parametrize(
    ("n", "fmt", "label"),
    [
        (2, "ideographZodiac", "丑"),
        (13, "ideographZodiac", "13"),
        (11, "ideographTraditional", "11"),
        (205, "ideographDigital", "二〇五"),
        (12, "decimalFullWidth", "１２"),
        (36, "decimalEnclosedCircle", "㊱"),
        (51, "decimalEnclosedCircle", "51"),
        (3, "decimalEnclosedFullstop", "3."),
        (1994, "upperRoman", "MCMXCIV"),
        (2, "lowerLetter", "b"),
        (27, "lowerLetter", "aa"),
        (0, "decimal", "0"),
        (0, "decimalZero", "00"),
        (4, "none", ""),
        (15, "japaneseCounting", "十五"),
    ],
)
def test_format_number(n: int, fmt: str, label: str) -> None:
    assert format_number(n, fmt) == label


def test_labels_count_and_deeper_levels_restart() -> None:
    numbering = _numbering(PLAN_LEVELS + '<w:num w:numId="5"><w:abstractNumId w:val="1"/></w:num>')
    labels = [numbering.label("5", ilvl)[0] for ilvl in (0, 1, 1, 2, 2, 0, 1, 2)]
    assert labels == ["一、", "（一）", "（二）", "1.", "2.", "二、", "（一）", "1."]
    assert numbering.label("5", 0) == ("三、", "nothing")


def test_instances_of_one_list_continue_each_other() -> None:
    numbering = _numbering(
        PLAN_LEVELS
        + '<w:num w:numId="5"><w:abstractNumId w:val="1"/></w:num>'
        + '<w:num w:numId="6"><w:abstractNumId w:val="1"/></w:num>'
    )
    assert numbering.label("5", 0)[0] == "一、"
    assert numbering.label("6", 0)[0] == "二、"


def test_start_override_makes_its_own_list() -> None:
    numbering = _numbering(
        PLAN_LEVELS
        + '<w:num w:numId="5"><w:abstractNumId w:val="1"/></w:num>'
        + '<w:num w:numId="6"><w:abstractNumId w:val="1"/>'
        '<w:lvlOverride w:ilvl="0"><w:startOverride w:val="5"/></w:lvlOverride></w:num>'
    )
    assert numbering.label("5", 0)[0] == "一、"
    assert numbering.label("6", 0)[0] == "五、"
    assert numbering.label("6", 0)[0] == "六、"
    assert numbering.label("5", 0)[0] == "二、"


def test_level_override_replaces_the_level_definition() -> None:
    numbering = _numbering(
        PLAN_LEVELS
        + '<w:num w:numId="5"><w:abstractNumId w:val="1"/>'
        f'<w:lvlOverride w:ilvl="0">{_lvl(0, "upperRoman", "%1.", start=3)}</w:lvlOverride></w:num>'
    )
    assert numbering.label("5", 0)[0] == "III."


def test_level_restart_zero_never_restarts() -> None:
    levels = (
        '<w:abstractNum w:abstractNumId="2">'
        + _lvl(0, "decimal", "第%1章")
        + _lvl(1, "decimal", "%2)", extra='<w:lvlRestart w:val="0"/>')
        + '</w:abstractNum><w:num w:numId="9"><w:abstractNumId w:val="2"/></w:num>'
    )
    numbering = _numbering(levels)
    labels = [numbering.label("9", ilvl)[0] for ilvl in (0, 1, 1, 0, 1)]
    assert labels == ["第1章", "1)", "2)", "第2章", "3)"]


def test_legal_numbering_shows_decimals_and_multilevel_text() -> None:
    levels = (
        '<w:abstractNum w:abstractNumId="3">'
        + _lvl(0, "chineseCounting", "%1、")
        + _lvl(1, "decimal", "%1.%2", extra="<w:isLgl/>")
        + '</w:abstractNum><w:num w:numId="4"><w:abstractNumId w:val="3"/></w:num>'
    )
    numbering = _numbering(levels)
    assert numbering.label("4", 0)[0] == "一、"
    assert numbering.label("4", 1)[0] == "1.1"
    assert numbering.label("4", 1)[0] == "1.2"


def test_bullets_and_unknown_lists_draw_nothing() -> None:
    numbering = _numbering(
        '<w:abstractNum w:abstractNumId="1">' + _lvl(0, "bullet", "\u2022") + "</w:abstractNum>"
        '<w:num w:numId="2"><w:abstractNumId w:val="1"/></w:num>'
    )
    assert numbering.label("2", 0) == ("", "")
    assert numbering.label("99", 0) == ("", "")
    assert numbering.label("2", 5) == ("", "")  # a level the list does not define


def test_style_link_and_level_for_style() -> None:
    styles = _Styles(
        etree.fromstring(
            f'<w:styles {NS}><w:style w:type="numbering" w:styleId="PlanList"><w:name w:val="规划列表"/>'
            '<w:pPr><w:numPr><w:numId w:val="5"/></w:numPr></w:pPr></w:style></w:styles>'
        )
    )
    levels = (
        '<w:abstractNum w:abstractNumId="1">'
        + _lvl(0, "chineseCounting", "%1、", extra='<w:pStyle w:val="Chapter"/>')
        + _lvl(1, "chineseCounting", "（%2）", extra='<w:pStyle w:val="Section"/>')
        + "</w:abstractNum>"
        '<w:abstractNum w:abstractNumId="2"><w:numStyleLink w:val="PlanList"/></w:abstractNum>'
        '<w:num w:numId="5"><w:abstractNumId w:val="1"/></w:num>'
        '<w:num w:numId="6"><w:abstractNumId w:val="2"/></w:num>'
    )
    numbering = _numbering(levels, styles)
    assert numbering.style_link == {"2": "PlanList"}
    assert numbering.level_for_style("5", "Section") == 1
    assert numbering.level_for_style("6", "Chapter") == 0  # through the linked style's list
    assert numbering.level_for_style("5", "Other") is None
    assert numbering.level_for_style("77", "Chapter") is None
    assert numbering.label("6", 1)[0] == "（一）"


def test_numbering_part_missing() -> None:
    numbering = Numbering(None, _Styles(None))
    assert numbering.nums == {} and numbering.label("1", 0) == ("", "")
