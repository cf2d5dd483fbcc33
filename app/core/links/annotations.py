"""Responsibility annotations: the plan's own word on who does a task.

Implementation plans end an item with the units responsible for it, in a few shapes:

    （责任单位：市发展改革委、市经济信息化委、各区政府）
    （牵头单位：市生态环境局；配合单位：市水务局、市绿化市容局）
    （市交通委牵头，市公安局、各区政府配合）
    责任部门：市住房城乡建设管理委、市规划资源局        ← a line of its own
    牵头单位：市农业农村委  配合单位：各涉农区政府

Roles: a 牵头/主责 label or verb makes leads and a 配合/协同/参与 label or verb supports; in a plain
责任单位/责任部门 list the first unit named is the lead and the rest support, unless a unit carries （牵头）.
Names are kept as written (市发展改革委, 区生态环境局, 各区政府, 市有关部门) and normalised only when the
knowledge base knows them as a name or alias; an annotation is the document's word, not an inference.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

__all__ = ["Annotation", "find_annotations", "strip_annotations"]

_LEAD_LABELS = ("牵头单位", "牵头部门", "主责单位", "主责部门", "牵头责任单位", "主办单位", "牵头")
_SUPPORT_LABELS = ("配合单位", "配合部门", "协同单位", "协同部门", "协办单位", "参与单位", "参与部门", "协助单位",
                   "配合")
_PLAIN_LABELS = ("责任单位", "责任部门", "责任主体", "实施单位", "实施主体", "承办单位", "工作责任单位")
_LABELS = sorted((*_LEAD_LABELS, *_SUPPORT_LABELS, *_PLAIN_LABELS), key=len, reverse=True)
_LABEL = "|".join(_LABELS)
_LABEL_AT = re.compile(rf"[ \t]*(?:【|\[|［)?({_LABEL})(?:】|\]|］)?[ \t]*[:：][ \t]*")
_OPEN = {"（": "）", "(": ")", "【": "】", "[": "]", "［": "］"}
_LINE = re.compile(rf"^[ \t]*(?:[*_]{{1,2}})?(?:{_LABEL})[ \t]*[:：]", re.MULTILINE)
# Every annotation holds one of these (a label, or a role verb of the verbal form).
_CUE = re.compile(r"单位|部门|主体|牵头|主责|负责|配合|协同|协助|参与|分工|共同")
_VERB_LEAD = re.compile(r"(?:牵头(?:负责)?|主责|负责)$")
_VERB_SUPPORT = re.compile(r"(?:配合|协同|协助|参与)$")
_VERB_JOINT = re.compile(r"(?:按职责分工负责|按职责负责|分工负责|共同负责|按职责分工落实|共同推进)$")
_ORG_END = re.compile(
    r"(?:委员会|委|局|办|办公室|部|厅|署|政府|管委会|中心|集团|公司|院|会|总队|支队|分局|部门|单位|法院|检察院|"
    r"指挥部|海关|银行|总部|监管局|协会|联合会|团委|街道|镇|乡|区|"
    # other kinds of public bodies: 供销社/合作社, 研究所, 气象台/电视台, 监测站, 图书馆, 大队, 学校, 妇联/工会
    r"社|所|台|站|馆|队|校|联)$"
)
_SPLIT = re.compile(r"[、，,／/]|[ \t]+")
_AND = re.compile(r"以及|及|和|与")
_TAIL_OWN = re.compile(r"[（(](?:牵头|主责)[)）]$")
_TAIL_NOTE = re.compile(r"[（(][^（）()]{0,12}[)）]$")
_ETC = re.compile(r"等(?:有关|相关|其他)?(?:部门|单位)?$")


@dataclass(frozen=True)
class Annotation:
    start: int
    end: int
    quote: str  # the annotation as written, the evidence of its links
    leads: tuple[str, ...]
    supports: tuple[str, ...]


def _matching(text: str, at: int) -> int:
    """Offset just after the bracket closing the one opened at `at` (nested brackets allowed), or -1."""
    open_, close = text[at], _OPEN[text[at]]
    depth = 0
    for i in range(at, min(len(text), at + 400)):
        if text[i] in (open_, "（" if open_ == "(" else "(" if open_ == "（" else open_):
            depth += 1
        elif text[i] in (close, "）" if close == ")" else ")" if close == "）" else close):
            depth -= 1
            if depth == 0:
                return i + 1
        elif text[i] in "\n。":
            return -1
    return -1


def _units(raw: str, known: Callable[[str], bool]) -> list[str]:
    """Unit names of a list as written: 市交通委、市公安局和各区政府 → three names."""
    out: list[str] = []
    for piece in _SPLIT.split(raw.strip(" \t。；;")):
        piece = _ETC.sub("", piece.strip()).removeprefix("由")
        if not piece:
            continue
        parts = _AND.split(piece)
        if len(parts) > 1 and not known(piece) and all(_ORG_END.search(p) or known(p) for p in parts if p):
            out += [p for p in parts if p]  # 各区政府和市有关部门; not 市规划和自然资源局
        else:
            out.append(piece)
    return [u for u in out if u]


def _looks_like_units(names: list[str], known: Callable[[str], bool]) -> bool:
    return bool(names) and all(
        len(n) <= 30 and (known(n) or _ORG_END.search(_TAIL_NOTE.sub("", n))) for n in names
    )


def _labelled(body: str, known: Callable[[str], bool]) -> tuple[list[str], list[str]] | None:
    """Roles of `牵头单位：A；配合单位：B、C` or `责任单位：A、B`; None when `body` is not such a list."""
    marks = list(_LABEL_AT.finditer(body))
    if not marks or body[: marks[0].start()].strip():
        return None
    leads: list[str] = []
    supports: list[str] = []
    for k, m in enumerate(marks):
        stop = marks[k + 1].start() if k + 1 < len(marks) else len(body)
        names = _units(body[m.end() : stop], known)
        if not names:
            continue
        label = m.group(1)
        own = [n for n in names if _TAIL_OWN.search(n)]
        names = [_TAIL_OWN.sub("", n) for n in names]
        if label in _LEAD_LABELS:
            leads += names
        elif label in _SUPPORT_LABELS:
            supports += names
        elif own:  # 责任单位：市交通委（牵头）、市公安局
            lead_names = [_TAIL_OWN.sub("", n) for n in own]
            leads += lead_names
            supports += [n for n in names if n not in lead_names]
        elif leads:
            supports += names
        else:
            leads.append(names[0])
            supports += names[1:]
    return (leads, supports) if leads or supports else None


def _verbal(body: str, known: Callable[[str], bool]) -> tuple[list[str], list[str]] | None:
    """Roles of `市交通委牵头，市公安局配合`; None unless every part is units followed by a role verb."""
    leads: list[str] = []
    supports: list[str] = []
    shared: list[str] = []  # 按职责分工负责: responsible together, the first named leads
    for part in re.split(r"[，,；;]", body):
        part = part.strip()
        if not part:
            continue
        lead, support, joint = _VERB_LEAD.search(part), _VERB_SUPPORT.search(part), _VERB_JOINT.search(part)
        m = joint or support or lead  # 按职责分工负责 ends with 负责 too
        if m is None:
            return None
        names = _units(part[: m.start()], known)
        if not _looks_like_units(names, known):
            return None
        (shared if joint else supports if support else leads).extend(names)
    if shared and not leads:
        leads, shared = shared[:1], shared[1:]
    supports = shared + supports
    return (leads, supports) if leads or supports else None


def _dedupe(names: list[str]) -> tuple[str, ...]:
    out: list[str] = []
    for n in names:
        if n and n not in out:
            out.append(n)
    return tuple(out)


def find_annotations(text: str, known: Callable[[str], bool] = lambda _name: False) -> list[Annotation]:
    """Every responsibility annotation of `text`, in order.

    `known(name)` tells whether the knowledge base knows a name (it keeps 市规划和自然资源局 whole and
    accepts a unit without a usual ending).
    """
    if not isinstance(text, str) or not text or not _CUE.search(text):
        return []  # no label or role verb anywhere: the character scan below cannot find anything
    found: list[Annotation] = []
    for i, ch in enumerate(text):
        if ch not in _OPEN or (found and i < found[-1].end):
            continue
        end = _matching(text, i)
        if end < 0:
            continue
        body = text[i + 1 : end - 1]
        roles = _labelled(body, known) or _verbal(body, known)
        if roles:
            found.append(Annotation(i, end, text[i:end], _dedupe(roles[0]), _dedupe(roles[1])))
    for m in _LINE.finditer(text):
        if any(a.start <= m.start() < a.end for a in found):
            continue
        stop = text.find("\n", m.start())
        stop = len(text) if stop < 0 else stop
        line = text[m.start() : stop].rstrip()
        roles = _labelled(line.strip().strip("*_"), known)
        if roles and _looks_like_units([*roles[0], *roles[1]], known):
            found.append(Annotation(m.start() + len(text[m.start() : stop]) - len(text[m.start() : stop].lstrip()),
                                    m.start() + len(line), line.strip(), _dedupe(roles[0]), _dedupe(roles[1])))
    found.sort(key=lambda a: a.start)
    return found


def strip_annotations(text: str, annotations: list[Annotation]) -> str:
    """`text` with its annotations blanked out (same length, so offsets still hold)."""
    chars = list(text)
    for a in annotations:
        chars[a.start : a.end] = " " * (a.end - a.start)
    return "".join(chars)
