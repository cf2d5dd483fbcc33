"""Pure formatting of a clause's links (departments, indicators, deadline) for the panes and result rows.

Every engine string is HTML-escaped. A department always shows where it comes from: 原文, 分工表, 手工
or 推断 (with its confidence). Colours come from `app.ui.common.theme`: call again after a theme change.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence

from app.core.links.service import ClauseLinks
from app.core.models import Deadline, DepartmentLink, Indicator
from app.ui.common import strings as S
from app.ui.common import theme

GENERIC_PREFIX = "泛指"
ROLES = (("lead", S.LINKS_LEAD), ("support", S.LINKS_SUPPORT), ("mentioned", S.LINKS_MENTIONED),
         ("suggested", S.LINKS_SUGGESTED))
SOURCES = ("explicit", "table", "user", "inferred")
COMPARATORS = {">=": "≥", "<=": "≤", "~": "≈", "=": "=", ">": ">", "<": "<"}


def is_generic(d: DepartmentLink) -> bool:
    """各级人民政府, 有关部门, 企业 …: named by the text, but not a department anyone can be assigned."""
    return d.evidence.startswith(GENERIC_PREFIX)


def percent(confidence: float) -> int:
    return round(max(0.0, min(1.0, confidence)) * 100)


def source_of(d: DepartmentLink) -> str:
    return d.source if d.source in SOURCES else "explicit"


def dept_tag(d: DepartmentLink, *, with_confidence: bool = True) -> str:
    """原文 / 分工表 / 手工 / 推断·62%."""
    src = source_of(d)
    if src == "inferred":
        return S.TAG_INFERRED_CONF.format(pct=percent(d.confidence)) if with_confidence else S.TAG_INFERRED
    return {"explicit": S.TAG_EXPLICIT, "table": S.TAG_TABLE, "user": S.TAG_USER}[src]


def dept_tooltip(d: DepartmentLink) -> str:
    src = source_of(d)
    if src == "inferred":
        return S.TIP_INFERRED.format(pct=percent(d.confidence), evidence=d.evidence)
    if src == "table":
        return S.TIP_TABLE
    if src == "user":
        return S.TIP_USER
    return S.TIP_EXPLICIT.format(evidence=d.evidence)


def dept_text(d: DepartmentLink) -> str:
    """One department as plain text, the way every surface shows it: 市水务局·推断·62% / 市水务局·原文.

    The links pane's chips read the same (their tag in colour); tables, the task list and the task editor
    use this, so an inferred department never shows without its 推断 marker and confidence."""
    return f"{d.name}·{dept_tag(d)}"


def depts_text(ds: Sequence[DepartmentLink]) -> str:
    return S.NAME_SEPARATOR.join(dept_text(d) for d in ds)


def depts_tooltip(ds: Sequence[DepartmentLink]) -> str:
    return "\n".join(f"{d.name}：{dept_tooltip(d)}" for d in ds)


def chip_html(d: DepartmentLink) -> str:
    colour = theme.current().tag(source_of(d))
    return (f'{html.escape(d.name)}&nbsp;<span style="color:{colour}; font-size:11.5px;">'
            f"{html.escape(dept_tag(d))}</span>")


def by_role(links: ClauseLinks) -> dict[str, tuple[list[DepartmentLink], list[DepartmentLink]]]:
    """role -> (departments, generic actors), in the engine's order; a name appears once per role.

    "suggested" holds the inferences too weak to be links (`ClauseLinks.suggestions`, 可能相关)."""
    out: dict[str, tuple[list[DepartmentLink], list[DepartmentLink]]] = {r: ([], []) for r, _ in ROLES}
    seen: set[tuple[str, str]] = set()
    linked = {d.name for d in links.departments}
    suggested = [d for d in links.suggestions if d.name not in linked]  # a user's correction wins
    for d in (*links.departments, *(DepartmentLink(d.name, "suggested", d.source, d.confidence, d.evidence)
                                    for d in suggested)):
        if d.role not in out or (d.role, d.name) in seen:
            continue
        seen.add((d.role, d.name))
        out[d.role][1 if is_generic(d) else 0].append(d)
    return out


def format_number(value: float) -> str:
    if float(value).is_integer():
        return str(int(value))
    return f"{value:f}".rstrip("0").rstrip(".")


def indicator_parts(i: Indicator) -> tuple[str, str, str]:
    """(name, target such as '≥ 87.5%', note such as '（2030年·定性）'), all plain text."""
    target = ""
    if i.value is not None:
        cmp = COMPARATORS.get(i.comparator, i.comparator)
        target = f"{cmp} {format_number(i.value)}{i.unit}".strip()
    notes = []
    if i.deadline:
        notes.append(S.INDICATOR_YEAR.format(year=i.deadline))
    if i.qualitative:
        notes.append(S.INDICATOR_QUALITATIVE)
    note = S.INDICATOR_NOTE.format(notes=S.INDICATOR_NOTE_SEPARATOR.join(notes)) if notes else ""
    return i.name, target, note


def indicator_text(i: Indicator) -> str:
    """生活垃圾回收利用率：≥ 50%（2030年）."""
    name, target, note = indicator_parts(i)
    return (S.INDICATOR_TEXT.format(name=name, value=target) if target else name) + note


def indicator_html(i: Indicator) -> str:
    name, target, note = indicator_parts(i)
    out = html.escape(name)
    if target:
        out = S.INDICATOR_TEXT.format(name=out, value=f"<b>{html.escape(target)}</b>")
    if note:
        out += f'<span style="color:{theme.current().faint};">{html.escape(note)}</span>'
    return out


_DEADLINE_PHRASE = re.compile(
    r"(?:截至|截止到?|到|至|于|在|力争)?\s*20\d{2}\s*年(?:\s*\d{1,2}\s*月)?(?:\s*\d{1,2}\s*日)?"
    r"(?:底|末|年底|年末)?(?:前|以前|之前)?")


def short_quote(quote: str) -> str:
    """The deadline's own words from its sentence: '到 2030 年，森林覆盖率…' → '到2030年'."""
    m = _DEADLINE_PHRASE.search(quote)
    text = m.group(0) if m else quote
    text = re.sub(r"\s+", "", text)
    return text if len(text) <= 16 else text[:15] + "…"


def deadline_date(dl: Deadline) -> str:
    if dl.date:
        m = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", dl.date)
        if m:
            return S.DEADLINE_DATE.format(year=int(m[1]), month=int(m[2]), day=int(m[3]))
    return S.DEADLINE_YEAR.format(year=dl.year)


def deadline_note(dl: Deadline) -> str:
    if dl.source == "inherited":
        return S.DEADLINE_INHERITED
    if dl.source == "table":
        return S.DEADLINE_TABLE
    if dl.source == "user":
        return S.DEADLINE_USER
    return S.DEADLINE_EXPLICIT.format(quote=short_quote(dl.quote)) if dl.quote else ""


def deadline_text(dl: Deadline) -> str:
    """2030年（原文：到2030年） / 2030年（继承规划期限） / 2026年6月30日（手工）."""
    return deadline_date(dl) + deadline_note(dl)


def deadline_html(dl: Deadline) -> str:
    t = theme.current()
    when = html.escape(deadline_date(dl))
    note = f'<span style="color:{t.faint};">{html.escape(deadline_note(dl))}</span>'
    if dl.source == "inherited":  # not stated by the clause: never as bold as a stated date
        return f'<i style="color:{t.muted};">{when}</i>{note}'
    return f"<b>{when}</b>{note}"


def deadline_tooltip(dl: Deadline) -> str:
    if dl.source == "inherited":
        return S.TIP_DEADLINE_INHERITED
    if dl.source == "table":
        return S.TIP_TABLE
    if dl.source == "user":
        return S.TIP_USER + (f"\n{dl.quote}" if dl.quote else "")
    return S.TIP_QUOTE.format(quote=dl.quote) if dl.quote else ""


def row_chips_html(links: ClauseLinks | None) -> str:
    """The grey line under a result's breadcrumb: 市水务局·推断　2030年　2 项指标 (escaped HTML, or '')."""
    if links is None:
        return ""
    parts: list[str] = []
    leads = by_role(links)["lead"][0]
    if leads:
        d = leads[0]
        text = f"{d.name}·{dept_tag(d, with_confidence=False)}"
        if len(leads) > 1:
            text += " " + S.ROW_LEAD_MORE.format(n=len(leads))
        cls = "chip inferred" if source_of(d) == "inferred" else "chip"
        parts.append(f'<span class="{cls}">{html.escape(text)}</span>')
    dl = links.deadline
    if dl is not None:
        year = S.DEADLINE_YEAR.format(year=dl.year)
        if dl.source == "inherited":
            parts.append(f'<span class="chip inferred">{html.escape(year + "·" + S.ROW_DEADLINE_INHERITED)}</span>')
        elif dl.source in ("table", "user"):
            tag = S.TAG_TABLE if dl.source == "table" else S.TAG_USER
            parts.append(f'<span class="chip">{html.escape(year + "·" + tag)}</span>')
        else:
            parts.append(f'<span class="chip">{html.escape(year)}</span>')
    if links.indicators:
        parts.append(f'<span class="chip">{html.escape(S.ROW_INDICATORS.format(n=len(links.indicators)))}</span>')
    return f'<span class="sep">{html.escape(S.ROW_CHIP_SEPARATOR)}</span>'.join(parts)


def tip_html(text: str) -> str:
    """A tooltip that shows `text` literally: Qt guesses rich text from the content otherwise (and
    evidence quoted from a document must never be taken for markup). Rich text also wraps long lines."""
    if not text:
        return ""
    return "<p>" + html.escape(text).replace("\n", "<br>") + "</p>"


def names_text(names: Sequence[str]) -> str:
    return S.NAME_SEPARATOR.join(names)
