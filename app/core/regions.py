"""Where a document applies: the national kinds and titles, and the place a local document governs."""

from __future__ import annotations

import re

from app.core.models import Document

_NATIONAL = "中华人民共和国"
_REGION = re.compile(r"^(.{2,6}?)(?:省|市|自治区|自治州|特别行政区|经济特区|新区|县|区)")
# 广西壮族自治区, 宁夏回族自治区, 新疆维吾尔自治区, 延边朝鲜族自治州: the place without its people's name.
_PEOPLE = re.compile(r"^(.{2,}?)(?:[\u4e00-\u9fff]{0,2}族|维吾尔)$")
NATIONAL_KINDS = frozenset({"法律", "行政法规", "司法解释", "部门规章"})


def region(doc: Document) -> str | None:
    """The place a local document governs (上海, 浙江, 深圳 …), from its issuer or title; None for
    national documents and when no place name leads either."""
    if doc.kind in NATIONAL_KINDS or doc.title.startswith(_NATIONAL):
        return None
    for text in (doc.issuer, doc.title):
        m = _REGION.match(text or "")
        if m and not m.group(1).startswith(("中华", "全国", "国务院", "最高")):
            people = _PEOPLE.match(m.group(1))
            return people.group(1) if people else m.group(1)
    return None
