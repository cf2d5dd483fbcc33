"""Where a document applies (app.core.regions)."""

from __future__ import annotations

import pytest

from app.core.models import KINDS, Document
from app.core.regions import NATIONAL_KINDS, region


def doc(title: str, kind: str = "地方性法规", issuer: str = "") -> Document:
    return Document(id="d", title=title, kind=kind, issuer=issuer)


def test_national_kinds_are_document_kinds() -> None:
    assert set(KINDS) >= NATIONAL_KINDS
    assert "地方性法规" not in NATIONAL_KINDS and "规划" not in NATIONAL_KINDS


@pytest.mark.parametrize(("d", "expected"), [
    (doc("上海市生活垃圾管理条例", issuer="上海市人民代表大会常务委员会"), "上海"),
    (doc("浙江省水污染防治条例"), "浙江"),  # no issuer: the title tells
    (doc("深圳经济特区绿化条例"), "深圳"),
    (doc("关于推进城市更新的实施意见", kind="其他", issuer="杭州市人民政府"), "杭州"),
    (doc("上海市河道管理条例", issuer="市水务局"), "上海"),  # the issuer names no place: the title does
    (doc("广西壮族自治区环境保护条例"), "广西"),  # an autonomous region without its people's name
    (doc("新疆维吾尔自治区野生植物保护条例"), "新疆"),
    (doc("延边朝鲜族自治州森林管理条例"), "延边"),
    (doc("关于加强绿地管理的通知", kind="其他", issuer="浦东新区人民政府"), "浦东"),  # 新区, not 浦东新 + 区
])
def test_local_documents_name_their_place(d: Document, expected: str) -> None:
    assert region(d) == expected


@pytest.mark.parametrize("d", [
    doc("上海市某某办法", kind="部门规章"),  # a national kind, whatever the title
    doc("中华人民共和国固体废物污染环境防治法", kind="其他"),
    doc("某某管理办法", kind="其他", issuer="国务院办公厅"),
    doc("全国城市绿化规划", kind="规划", issuer="全国绿化委员会"),
    doc("关于审理环境案件的解释", kind="其他", issuer="最高人民法院"),
    doc("关于加强生态保护的通知", kind="其他", issuer="生态环境局"),
])
def test_national_and_placeless_documents_have_none(d: Document) -> None:
    assert region(d) is None
