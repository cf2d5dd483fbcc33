"""Departments of a clause: explicit mentions with roles, or suggestions inferred from a duties knowledge base.

The knowledge base (`resources/departments.json`) lists every body with its aliases, the functional
descriptors laws use for it (生态环境行政主管部门, 绿化市容行政管理部门, …) and its duties as keywords.
Descriptors resolve by their prefix: 市→市级, 区→区级泛指 (区生态环境部门), 市和区/地方人民政府→both,
国务院→the ministry, none→市级. Enumerations share a suffix: 市和区发展改革、经济信息化、规划资源管理部门.
The knowledge base and the scan for mentions are `department_kb`; this module gives the mentions their roles,
infers departments from duties and reads responsibility annotations （责任单位：…）.
"""

from __future__ import annotations

import logging
import re
from bisect import bisect_left
from collections.abc import Sequence

from app.core.links.department_kb import (
    _PARENS,
    _SEP_ONLY,
    LOCAL,
    NATIONAL,
    DepartmentEntry,
    DepartmentKB,
    _Hit,
    _scan,
)
from app.core.models import DepartmentLink

__all__ = [
    "DepartmentEntry",
    "DepartmentKB",
    "annotated_departments",
    "document_level",
    "find_mentions",
    "infer_departments",
    "link_departments",
    "no_inference_path",
]

log = logging.getLogger("policydesk.links")

LEAD, SUPPORT, MENTIONED = "lead", "support", "mentioned"
SUGGESTED = "suggested"  # an inference too weak to be a link: shown apart as 可能相关, never as 牵头/配合
_RANK = {SUGGESTED: -1, MENTIONED: 0, SUPPORT: 1, LEAD: 2}

# An inference below this confidence is a suggestion, not a link. Measured on the plan's 44 annotated tasks
# (benchmarks/eval_links.py): the weakest correct inferred lead scores 0.27, a clause where no duty term
# matches gets the prior alone, 0.3 / 1.3 = 0.23, and the inferred supports at 0.05-0.24 are right only
# 27 times in 37. 0.25 sits between the prior alone and the weakest correct lead.
MIN_INFERRED_CONFIDENCE = 0.25
# Clauses under these headings state the plan's purpose, goals, principles or how it is carried out, not
# a task of one department: nothing is inferred for them (departments they name stay).
_NO_INFERENCE_HEADING = re.compile(
    r"序言|前言|引言|总体要求|总体思路|指导思想|基本原则|工作原则|主要目标|总体目标|发展目标|规划目标"
    r"|保障措施|组织实施|组织保障|实施保障|保障机制"
)
_NATIONAL_ISSUERS = ("全国人民代表大会", "国务院", "最高人民法院", "最高人民检察院", "中共中央")
_NATIONAL_KINDS = frozenset({"法律", "行政法规", "司法解释", "部门规章"})

_BOUNDARY = re.compile(r"[。；;\n]")

_LEAD_CUE = (
    r"负责|主管|牵头|统筹|统一(?:监督)?管理|会同|组织实施|实施行政处罚|实施[^，。；]{0,4}监督管理"
    r"|对[^。；]{0,40}?(?:实施|行使)[^，。；]{0,6}监督管理|加强[^，。；]{0,10}监督管理"
    r"|是[^，。；]{0,30}?(?:主管部门|监督管理部门|责任主体)"
)
_SUPPORT_CUE = r"配合|协同|协助|共同做好|参与|(?:各自的?职责|职责分工)[^。；]{0,15}?做好"
_CUES = re.compile(f"(?P<lead>{_LEAD_CUE})|(?P<support>{_SUPPORT_CUE})")
_ATTRIBUTIVE = re.compile(r"^(?:所属|的|(?:规定|确定|批准|明确|指定|制定|公布)的)")  # X的指导下, X规定的职责
_W_HEADING, _W_TEXT, _W_CONTEXT, _PRIOR = 3.0, 1.0, 0.5, 0.3
_CO_LEAD = 1.25  # a runner-up within this ratio of the top score is a co-lead (plans often name two 牵头单位)
_SUPPORT_SHARE = 0.15  # a supporting department scores at least this share of the lead's score
_PRIOR_NAME = "市生态环境局"  # the plan's overall lead and evaluator (规划 九、保障措施)
_PRIOR_EVIDENCE = "规划总体牵头与评估部门（先验）"

_Group = tuple[int, int, list[_Hit]]


def _groups(text: str, hits: list[_Hit]) -> list[_Group]:
    """Mentions joined by 、/和/及 share a role; one inside （以下简称…） stands where its parenthesis stands."""
    parens = [(m.start(), m.end()) for m in _PARENS.finditer(text)]
    starts = [p[0] for p in parens]
    groups: list[_Group] = []
    for h in hits:
        k = bisect_left(starts, h.start) - 1
        s, e = parens[k] if k >= 0 and h.end <= parens[k][1] else (h.start, h.end)
        if groups and groups[-1][1] <= s and _SEP_ONLY.fullmatch(text[groups[-1][1] : s]):
            groups[-1] = (groups[-1][0], max(e, groups[-1][1]), [*groups[-1][2], h])
        elif groups and s < groups[-1][1]:  # both inside the same parenthesis
            groups[-1][2].append(h)
        else:
            groups.append((s, e, [h]))
    return groups


def _role(text: str, groups: list[_Group], i: int, bounds: list[int]) -> str:
    """Lead/support from the words around the group: 会同 before it, or the first cue after it."""
    start, end, _ = groups[i]
    k = bisect_left(bounds, start)
    before = text[max(bounds[k - 1] + 1 if k else 0, groups[i - 1][1] if i else 0) : start]
    if _PARENS.sub("", before).rstrip().endswith("会同"):
        return SUPPORT
    k = bisect_left(bounds, end)
    limit = bounds[k] if k < len(bounds) else len(text)
    for s, _e, _h in groups[i + 1 :]:  # a later subject ends the window; an object (X会同Y, X是Y) does not
        if s >= limit or re.search(r"[，,：:]", text[end:s]):
            limit = min(limit, s)
            break
    after = _PARENS.sub("", text[end:limit])
    m = None if _ATTRIBUTIVE.match(after) else _CUES.search(after)
    if m is None:
        return MENTIONED
    return LEAD if m.lastgroup == "lead" else SUPPORT


def find_mentions(text: str, kb: DepartmentKB, level: str | None = None) -> list[DepartmentLink]:
    """Departments the text names, with their role; source "explicit", evidence the matched words.

    Generic actors (各区, 有关部门, 企业…) are kept under their generic name, evidence prefixed "泛指：".
    `level` is the document's (`document_level`): in a national text (国家) descriptors other than
    国务院/国家 ones name kinds of body (地方生态环境主管部门, generic), never this city's departments."""
    try:
        if not isinstance(text, str) or not text:
            return []
        groups = _groups(text, _scan(text, kb, level))
        bounds = [m.start() for m in _BOUNDARY.finditer(text)]
        best: dict[str, DepartmentLink] = {}
        for i, (_s, _e, hits) in enumerate(groups):
            role = _role(text, groups, i, bounds)
            for h in hits:
                span = text[h.start : h.end]
                for name in h.names:
                    evidence = f"泛指：{span}" if h.kind or name in kb._generic else span
                    old = best.get(name)
                    if old is None or _RANK[role] > _RANK[old.role]:
                        best[name] = DepartmentLink(name, role, "explicit", 1.0, evidence)
        return list(best.values())
    except Exception:  # pure text analysis must never break indexing
        log.debug("find_mentions failed", exc_info=True)
        return []


def _duty_weights(heading: str, text: str, context: str, kb: DepartmentKB) -> dict[str, float]:
    """Weight of each matched duty term: heading beats text beats the enclosing headings."""
    weights: dict[str, float] = {}
    if kb._duty_re is None:
        return weights
    for part, w in ((heading, _W_HEADING), (text, _W_TEXT), (context, _W_CONTEXT)):
        counts: dict[str, int] = {}
        for m in kb._duty_re.finditer(part or ""):
            counts[m.group(0).lower()] = counts.get(m.group(0).lower(), 0) + 1
        for term, n in counts.items():
            weights[term] = weights.get(term, 0.0) + w * (1.0 + 0.25 * min(n - 1, 2))
    return weights


def _score(weights: dict[str, float], kb: DepartmentKB) -> tuple[dict[str, float], dict[str, list[str]]]:
    scores: dict[str, float] = {}
    evidence: dict[str, list[str]] = {}
    for term, w in sorted(weights.items(), key=lambda kv: -kv[1]):
        owners = kb._duties.get(term, [])
        for name in owners:
            scores[name] = scores.get(name, 0.0) + w / len(owners)
            evidence.setdefault(name, []).append(term)
    if _PRIOR_NAME in kb._by_name:
        scores[_PRIOR_NAME] = scores.get(_PRIOR_NAME, 0.0) + _PRIOR
    return scores, evidence


def _place_links(text: str, kb: DepartmentKB) -> list[DepartmentLink]:
    if kb._place_re is None:
        return []
    found: dict[str, list[str]] = {}
    for m in kb._place_re.finditer(text):
        for name in kb._places[m.group(0)]:
            if m.group(0) not in found.setdefault(name, []):
                found[name].append(m.group(0))
    return [DepartmentLink(n, SUPPORT, "inferred", 0.3, "、".join(p)) for n, p in list(found.items())[:3]]


def infer_departments(
    text: str, heading: str, kb: DepartmentKB, *, path: Sequence[str] = ()
) -> list[DepartmentLink]:
    """Suggest a lead and up to three supporting departments from duty keywords; source "inferred".

    Confidence is the department's share of the matched weight (smoothed); evidence lists the matched
    duty phrases joined by "、". The places of districts and zones named in the text add them as support."""
    try:
        text, heading = text if isinstance(text, str) else "", heading if isinstance(heading, str) else ""
        context = "\n".join(p for p in path if isinstance(p, str) and p != heading)
        scores, evidence = _score(_duty_weights(heading, text, context, kb), kb)
        ranked = sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))
        total = sum(scores.values()) + 1.0
        out: list[DepartmentLink] = []
        for i, (name, s) in enumerate(ranked[:4]):
            if i and s < _SUPPORT_SHARE * ranked[0][1]:
                break
            role = LEAD if i == 0 or (i == 1 and s * _CO_LEAD >= ranked[0][1]) else SUPPORT
            ev = "、".join(evidence.get(name, [])[:8]) or _PRIOR_EVIDENCE
            out.append(DepartmentLink(name, role, "inferred", round(s / total, 2), ev))
        return out + [p for p in _place_links(heading + text, kb) if p.name not in scores]
    except Exception:
        log.debug("infer_departments failed", exc_info=True)
        return []


_LEVEL_PREFIXES = ("国务院", "国家", "自治区", "省", "市", "区", "县", "州", "盟", "旗", "镇", "乡", "街道")


def _level_prefix(name: str) -> str:
    return next((p for p in _LEVEL_PREFIXES if name.startswith(p)), "")


def _faithful_canonical(kb: DepartmentKB, written: str) -> str:
    """The knowledge base's name for a unit an annotation names, only when it is the same body.

    The knowledge base knows one city's departments: 省商务厅 in a province's plan is not 市商务委, so a
    name written at another level (省/县/国家…) than the match stays as the document wrote it.
    """
    canon = kb.canonical(written)
    if canon is None:
        return written
    mine, theirs = _level_prefix(written), _level_prefix(canon)
    entry = kb.entry(canon)
    if mine != theirs and (mine or theirs) and not (entry and written in (entry.full_name, *entry.aliases)):
        return written
    return canon


def annotated_departments(text: str, kb: DepartmentKB) -> tuple[list[DepartmentLink], str]:
    """Units of the text's responsibility annotations （责任单位：…）, and the text without them.

    Links are source "explicit", confidence 1.0, evidence the annotation as written; a name is normalised
    only when the knowledge base knows it (市发改委 → 市发展改革委), else kept as written (市经信委办).
    Generic units (各区政府, 市有关部门) keep their role: the annotation makes them responsible."""
    from app.core.links.annotations import find_annotations, strip_annotations

    try:
        found = find_annotations(text, lambda n: kb.canonical(n) is not None)
        best: dict[str, DepartmentLink] = {}
        for a in found:
            for role, names in ((LEAD, a.leads), (SUPPORT, a.supports)):
                for written in names:
                    name = _faithful_canonical(kb, written)
                    old = best.get(name)
                    if old is None or _RANK[role] > _RANK[old.role]:
                        best[name] = DepartmentLink(name, role, "explicit", 1.0, a.quote)
        return list(best.values()), strip_annotations(text, found) if found else text
    except Exception:  # pure text analysis must never break indexing
        log.debug("annotated_departments failed", exc_info=True)
        return [], text


def with_annotations(
    annotated: list[DepartmentLink], others: list[DepartmentLink]
) -> list[DepartmentLink]:
    """Annotated units first; other named departments stay as "mentioned"; inferences are dropped."""
    have = {d.name for d in annotated}
    rest = [
        d if d.role == MENTIONED else DepartmentLink(d.name, MENTIONED, d.source, d.confidence, d.evidence)
        for d in others
        if d.name not in have and d.source != "inferred"
    ]
    return annotated + rest


def document_level(kind: str = "", issuer: str = "", title: str = "") -> str | None:
    """国家 for a national document (a law, an administrative regulation, anything 国务院 or 全国人大 issues),
    市 for this city's own (上海市… in the title or issuer), None when neither can be told."""
    title, issuer, kind = title or "", issuer or "", kind or ""
    if "上海" in title or "上海" in issuer:
        return LOCAL
    if title.startswith("中华人民共和国") or issuer.startswith(_NATIONAL_ISSUERS) or kind in _NATIONAL_KINDS:
        return NATIONAL
    return None


def no_inference_path(path: Sequence[str]) -> bool:
    """Whether a clause sits under a heading (序言, 总体要求, 主要目标, 保障措施, 组织实施 …) whose clauses no
    single department carries: the words of its path's headings decide, whatever the clause ids."""
    return any(isinstance(h, str) and _NO_INFERENCE_HEADING.search(h) for h in path)


def _as_suggestion(d: DepartmentLink) -> DepartmentLink:
    return DepartmentLink(d.name, SUGGESTED, d.source, d.confidence, d.evidence)


def link_departments(
    text: str, heading: str, kb: DepartmentKB, path: Sequence[str] = (), level: str | None = None
) -> list[DepartmentLink]:
    """The clause's responsibility annotation when it has one, else explicit mentions, else inferences.

    An annotation （责任单位：A、B） outranks everything: its units lead/support, other departments the
    text names become "mentioned" and nothing is inferred. Otherwise generic actors stay as "mentioned";
    when the named departments include no lead (only places or partners are named), the inferred
    suggestions for the missing roles are appended: as lead/support at `MIN_INFERRED_CONFIDENCE` or
    more, below it with role "suggested" (可能相关, not a link). Nothing is inferred under a heading
    `no_inference_path` names, nor in a national document (the knowledge base's duties are this city's)."""
    try:
        full = (heading or "") + (text or "") if isinstance(heading, str) and isinstance(text, str) else ""
        annotated, full = annotated_departments(full, kb)
        if annotated:
            return with_annotations(annotated, find_mentions(full, kb, level))
        explicit = [
            d
            if not kb.is_generic(d.name)
            else DepartmentLink(d.name, MENTIONED, d.source, d.confidence, d.evidence)
            for d in find_mentions(full, kb, level)
        ]
        named = [d for d in explicit if not kb.is_generic(d.name)]
        if any(d.role == LEAD for d in named) or level == NATIONAL or no_inference_path(path):
            return explicit
        have = {d.name for d in explicit}
        inferred = [d for d in infer_departments(text, heading, kb, path=path)
                    if d.name not in have and d.evidence != _PRIOR_EVIDENCE]  # the prior alone: no evidence
        return explicit + [d if d.confidence >= MIN_INFERRED_CONFIDENCE else _as_suggestion(d) for d in inferred]
    except Exception:
        log.debug("link_departments failed", exc_info=True)
        return []
