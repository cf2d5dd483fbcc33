"""Score plan parsing (headings, items), indicator extraction (targets vs retrospective figures), department
links and titles against the held-out plan set in benchmarks/plans/ (format: benchmarks/plans/README.md).

Usage:
    .venv/bin/python benchmarks/eval_plans.py [--show] [--dir DIR ...] [--extra DIR ...] [--check]

* `--dir` replaces the default directory (benchmarks/plans); `--extra` adds one (e.g. a hidden set of the same format).
* `--show` lists every miss (headings, items, targets, retrospective figures taken as targets, department leads).
* `--check` only validates the gold files (every quote an exact substring of the document and of the text the
  reader returns; headings, items and annotations present) and exits non-zero on a problem.

Documents are parsed the way a user-added file would be: `read_file(path).text`, then `parse_document(text, doc_id)`
with no `kind=` (the product has to recognise a plan by its content).

Matching:
* heading: a gold heading is found when some clause's display heading (`path[-1]`) equals it after removing
  whitespace, Markdown marks and a trailing 。 — comparing label+title and title alone on both sides; one clause
  matches one gold heading. Precision is over clauses whose level is a container level (models.CONTAINER_LEVELS).
* item: found when, after removing whitespace, Markdown marks, punctuation and the numbering label, some clause's
  display heading, heading+text or text starts with the gold item's 15 characters (or the clause heading is
  the whole gold item when the item is shorter).
* target: indicators are extracted per clause with `extract_indicators(clause.text, heading=clause.heading)` (and
  also from `clause.full_text` when that differs); a gold target is found when an indicator of a clause containing
  the gold quote has the same value (±1e-6). Deadline agreement: over found targets whose gold deadline is set.
* retrospective taken: share of gold past figures/baselines for which an indicator with that value comes out of a
  clause containing the quote (lower is better).
* departments: `Linker(resources).link_document(...)`; a gold lead is found when the clause of the item (or a
  clause containing the annotation) has a `lead` link whose name equals it or contains it (either way round).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from app.core import models  # noqa: E402
from app.core.read import read_file  # noqa: E402
from app.core.structure import parse_document  # noqa: E402

try:  # the indicator extractor is being rewritten; keep the benchmark importable whatever happens to it
    from app.core.links.indicators import extract_indicators
except Exception:  # pragma: no cover
    extract_indicators = None  # type: ignore[assignment]

DEFAULT_DIR = ROOT / "benchmarks" / "plans"
BARS = {"heading_recall": (">=", 0.90), "target_recall": (">=", 0.85), "retro_taken": ("<=", 0.10)}

CN = "一二三四五六七八九十百零〇两"
LABEL = re.compile(
    rf"^(?:第[{CN}\d]+[章节部分编篇条]|[{CN}]+[、．.]|[（(][{CN}\d]+[）)]|\d+[.．、]|[①-⑳]|专栏\d+)"
)
WS = re.compile(r"[\s\u3000*#_`>|]+")
PUNCT = re.compile(r"[。，、；：:;,.．！？“”\"'‘’（）()《》【】—\-…·]")


def squash(s: str) -> str:
    """Remove whitespace and Markdown marks."""
    return WS.sub("", s or "")


def strip_label(s: str) -> str:
    return LABEL.sub("", s, count=1)


def heading_keys(s: str) -> set[str]:
    s = squash(s).rstrip("。．.：:")
    return {k for k in (s, strip_label(s).rstrip("。．.：:")) if k}


def item_key(s: str) -> str:
    return PUNCT.sub("", strip_label(squash(s)))


@dataclass
class Tally:
    hit: int = 0
    n: int = 0

    def add(self, ok: bool) -> None:
        self.hit += bool(ok)
        self.n += 1

    def ratio(self) -> float | None:
        return self.hit / self.n if self.n else None

    def cell(self) -> str:
        r = self.ratio()
        return f"{self.hit}/{self.n} {r:.2f}" if r is not None else "-"


@dataclass
class DocScore:
    name: str
    heading_r: Tally = field(default_factory=Tally)
    heading_p: Tally = field(default_factory=Tally)
    items: Tally = field(default_factory=Tally)
    targets: Tally = field(default_factory=Tally)
    deadline: Tally = field(default_factory=Tally)
    retro: Tally = field(default_factory=Tally)
    leads: Tally = field(default_factory=Tally)
    support: Tally = field(default_factory=Tally)
    title: Tally = field(default_factory=Tally)
    n_indicators: int = 0
    unexplained: int = 0
    dept_error: str | None = None
    error: str | None = None
    misses: list[str] = field(default_factory=list)


def find_documents(dirs: list[Path]) -> list[tuple[Path, Path]]:
    out = []
    for d in dirs:
        if not d.is_dir():
            print(f"skipped: {d} is not a directory", file=sys.stderr)
            continue
        for gold in sorted(d.glob("*.gold.json")):
            stem = gold.name[: -len(".gold.json")]
            docs = [p for p in sorted(d.glob(stem + ".*")) if p != gold and not p.name.endswith(".json")]
            if not docs:
                print(f"skipped: no document for {gold}", file=sys.stderr)
                continue
            out.append((docs[0], gold))
    return out


def clauses_with(clauses: list[Any], quote: str) -> list[Any]:
    """Clauses whose text contains the quote (exactly, else ignoring whitespace and Markdown marks)."""
    hits = [c for c in clauses if quote in c.full_text or quote in c.text]
    if hits:
        return hits
    q = squash(quote)
    return [c for c in clauses if q and q in squash(c.full_text)]


def indicators_of(clause: Any, cache: dict[str, list[Any]]) -> list[Any]:
    if clause.id in cache:
        return cache[clause.id]
    out: list[Any] = []
    if extract_indicators is not None:
        try:
            out = list(extract_indicators(clause.text, heading=clause.heading))
            if clause.full_text != clause.text:
                seen = {(i.value, i.quote) for i in out}
                out += [
                    i
                    for i in extract_indicators(clause.full_text, heading=clause.heading)
                    if (i.value, i.quote) not in seen
                ]
        except Exception as exc:
            print(f"    extract_indicators failed on {clause.id}: {exc!r}", file=sys.stderr)
            out = []
    cache[clause.id] = out
    return out


def same_value(a: Any, b: float) -> bool:
    return a is not None and abs(float(a) - float(b)) <= 1e-6


def item_clauses(clauses: list[Any], item: str) -> list[Any]:
    body = item_key(item)
    if not body:
        return []
    out = []
    for c in clauses:
        disp = c.path[-1] if c.path else c.heading
        head = item_key(c.heading or "")
        cands = [item_key(disp), head + item_key(c.text), item_key(c.text), item_key(c.full_text)]
        # a heading-only clause shorter than the gold's 15 characters (the text went to the next clause)
        short = [k for k in (item_key(disp), head) if len(k) >= 4 and not item_key(c.text)]
        if any(k.startswith(body) for k in cands if k) or any(body.startswith(k) for k in short):
            out.append(c)
    return out


DEPT_SUFFIX = re.compile(r"(?:委员会|办公室|部门|分局|局|委|厅|办)$")


def names_match(got: str, gold: str) -> bool:
    """Equal, one inside the other, or equal without the organ suffix (区市场监管局 ~ 区市场监管部门)."""
    a, b = squash(got), squash(gold)
    if not (a and b):
        return False
    return a == b or a in b or b in a or DEPT_SUFFIX.sub("", a) == DEPT_SUFFIX.sub("", b)


def score_document(doc_path: Path, gold_path: Path, linker: Any, show: bool = False) -> DocScore:
    gold = json.loads(gold_path.read_text(encoding="utf-8"))
    s = DocScore(doc_path.name)
    doc_id = doc_path.stem
    try:
        text = read_file(doc_path).text
        parsed = parse_document(text, doc_id)
        clauses = list(parsed.clauses)
    except Exception as exc:
        s.error = f"{type(exc).__name__}: {exc}"
        if show:
            traceback.print_exc()
        s.heading_r.n += len(gold.get("headings", []))
        s.items.n += len(gold.get("items", []))
        s.targets.n += len(gold.get("targets", []))
        s.leads.n += len(gold.get("departments", []))
        s.support.n += sum(len(d.get("support", [])) for d in gold.get("departments", []))
        s.title.n += 1
        return s  # retrospective figures are not counted for a document that did not parse

    # headings
    used: set[str] = set()
    matched_ids: set[str] = set()
    for h in gold.get("headings", []):
        keys = heading_keys(h)
        hit = next(
            (
                c
                for c in clauses
                if c.id not in used and heading_keys(c.path[-1] if c.path else c.heading) & keys
            ),
            None,
        )
        s.heading_r.add(hit is not None)
        if hit is not None:
            used.add(hit.id)
            matched_ids.add(hit.id)
        else:
            s.misses.append(f"heading   {h}")
    containers = set(getattr(models, "CONTAINER_LEVELS", ())) or {"chapter", "section", "part", "subsection"}
    for c in clauses:
        if c.level in containers:
            s.heading_p.add(c.id in matched_ids)
            if c.id not in matched_ids:
                s.misses.append(f"extra heading [{c.level}] {(c.path[-1] if c.path else c.heading)[:40]}")

    # items
    for it in gold.get("items", []):
        ok = bool(item_clauses(clauses, it))
        s.items.add(ok)
        if not ok:
            s.misses.append(f"item      {it}")

    # Links as the app computes them: the Linker over the parsed document (plan linking when the parser
    # read a plan; the document's date and period from its own text), so review chapters and past
    # sentences are judged the way an official will see them.
    links: dict[str, Any] | None = None
    if linker is not None and not isinstance(linker, str):
        try:
            meta = getattr(parsed, "meta", {}) or {}
            kind = "规划" if getattr(parsed, "style", "") == "plan" else "其他"
            doc = models.Document(id=doc_id, title=parsed.title or doc_path.stem, kind=kind,
                                  date=meta.get("date"), issuer=meta.get("issuer", ""))
            links = linker.link_document(doc, clauses, plan=kind == "规划")
        except Exception as exc:
            s.dept_error = f"{type(exc).__name__}: {exc}"
            if show:
                traceback.print_exc()
    # targets and retrospective figures
    cache: dict[str, list[Any]] = {}
    if links is not None:
        cache = {c.id: list(getattr(links.get(c.id), "indicators", ()) or ()) for c in clauses}
    for t in gold.get("targets", []):
        inds = [i for c in clauses_with(clauses, t["quote"]) for i in indicators_of(c, cache)]
        hits = [i for i in inds if same_value(i.value, t["value"])]
        s.targets.add(bool(hits))
        if not hits:
            got = sorted({i.value for i in inds if i.value is not None})
            s.misses.append(
                f"target    {t['value']:g}{t.get('unit', '')} «{t['quote'][:40]}» (values there: {got[:8]})"
            )
        elif t.get("deadline") is not None:
            ok = any(i.deadline == t["deadline"] for i in hits)
            s.deadline.add(ok)
            if not ok:
                s.misses.append(
                    f"deadline  {t['value']:g} «{t['quote'][:30]}» gold {t['deadline']} got "
                    f"{sorted({i.deadline for i in hits}, key=str)}"
                )
    for r in gold.get("retrospective", []):
        inds = [i for c in clauses_with(clauses, r["quote"]) for i in indicators_of(c, cache)]
        taken = any(same_value(i.value, r["value"]) for i in inds)
        s.retro.add(taken)
        if taken:
            s.misses.append(f"retro taken {r['value']:g} «{r['quote'][:40]}»")

    # indicators no gold target explains (informational: includes genuine targets the gold leaves out)
    for c in clauses:
        inds = indicators_of(c, cache)
        s.n_indicators += len(inds)
        explained = {float(t["value"]) for t in gold.get("targets", []) if clauses_with([c], t["quote"])}
        s.unexplained += sum(
            1 for i in inds if i.value is None or not any(same_value(i.value, v) for v in explained)
        )

    # departments
    deps = gold.get("departments", [])
    if deps:
        if linker is None or isinstance(linker, str):
            s.dept_error = linker if isinstance(linker, str) else "no linker"
        else:
            try:
                if links is None:
                    raise RuntimeError(s.dept_error or "linking failed")
                for d in deps:
                    cands = item_clauses(clauses, d["item"])
                    if d.get("annotation"):
                        cands += clauses_with(clauses, d["annotation"])
                    found = [dl for c in cands for dl in getattr(links.get(c.id), "departments", ()) or ()]
                    ok = any(dl.role == "lead" and names_match(dl.name, d["lead"]) for dl in found)
                    s.leads.add(ok)
                    if not ok:
                        got = sorted({f"{dl.name}/{dl.role}" for dl in found})
                        s.misses.append(f"lead      {d['lead']} for «{d['item']}» (got {got[:6]})")
                    for sup in d.get("support", []):
                        s.support.add(any(dl.role == "support" and names_match(dl.name, sup) for dl in found))
            except Exception as exc:
                s.dept_error = f"{type(exc).__name__}: {exc}"

    # title
    meta = gold.get("meta", {})
    want = {squash(meta.get(k) or "") for k in ("title", "attachment_title")} - {""}
    ok = squash(parsed.title or "") in want
    s.title.add(ok)
    if not ok:
        s.misses.append(f"title     got «{parsed.title}» want «{meta.get('title')}»")
    return s


def check_gold(pairs: list[tuple[Path, Path]]) -> int:
    problems = 0

    def bad(msg: str) -> None:
        nonlocal problems
        problems += 1
        print("  " + msg)

    for doc_path, gold_path in pairs:
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        raw = doc_path.read_text(encoding="utf-8")
        try:
            cleaned = read_file(doc_path).text
        except Exception as exc:
            cleaned = None
            bad(f"{doc_path.name}: read_file failed: {exc!r}")
        print(f"{doc_path.name}: {len(raw)} chars")
        for key in ("headings", "items", "targets", "retrospective", "departments", "meta"):
            if key not in gold:
                bad(f"missing key {key!r}")
        for sec in ("targets", "retrospective"):
            for t in gold.get(sec, []):
                if t["quote"] not in raw:
                    bad(f"{sec}: quote not in document: {t['quote']!r}")
                elif cleaned is not None and t["quote"] not in cleaned:
                    bad(f"{sec}: quote not in read_file text: {t['quote']!r}")
                if not isinstance(t.get("value"), (int, float)):
                    bad(f"{sec}: value not a number: {t!r}")
        sq = squash(raw)
        for h in gold.get("headings", []):
            if squash(h) not in sq:
                bad(f"heading not in document: {h!r}")
        for it in gold.get("items", []):
            if squash(it) not in sq:
                bad(f"item not in document: {it!r}")
        for d in gold.get("departments", []):
            if squash(d["item"]) not in sq:
                bad(f"department item not in document: {d['item']!r}")
            if d.get("annotation") and d["annotation"] not in raw:
                bad(f"annotation not in document: {d['annotation']!r}")
            for name in [d["lead"], *d.get("support", [])]:
                if squash(name) not in sq:
                    bad(f"department not in document: {name!r}")
        for k in ("title", "attachment_title", "doc_number"):
            v = gold.get("meta", {}).get(k)
            if v and squash(v) not in sq:
                bad(f"meta {k} not in document: {v!r}")
    print(f"{problems} problem(s)")
    return 1 if problems else 0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument(
        "--dir", action="append", type=Path, help="directory of documents + .gold.json (repeatable)"
    )
    ap.add_argument(
        "--extra", action="append", type=Path, default=[], help="directory added to --dir/the default"
    )
    ap.add_argument("--show", action="store_true", help="list every miss")
    ap.add_argument("--check", action="store_true", help="only validate the gold files")
    args = ap.parse_args()
    dirs = (args.dir or [DEFAULT_DIR]) + args.extra
    pairs = find_documents(dirs)
    if not pairs:
        print("no documents found")
        return 1
    if args.check:
        return check_gold(pairs)

    try:
        from app.core.links.service import Linker

        linker: Any = Linker(ROOT / "resources")
    except Exception as exc:
        linker = f"{type(exc).__name__}: {exc}"

    scores = [score_document(d, g, linker, args.show) for d, g in pairs]
    cols = (
        "document",
        "heads R",
        "heads P",
        "items R",
        "targets R",
        "deadline",
        "retro taken",
        "lead R",
        "title",
    )
    widths = (36, 14, 14, 14, 15, 14, 14, 14, 6)
    print("".join(f"{c:<{w}}" for c, w in zip(cols, widths, strict=True)))
    total = DocScore("TOTAL (micro)")
    for s in scores:
        if s.error:
            print(f"{s.name[:35]:<36}ERROR {s.error[:100]}")
        lead = s.leads.cell() if not s.dept_error else "n/a"
        row = (
            s.name[:35],
            s.heading_r.cell(),
            s.heading_p.cell(),
            s.items.cell(),
            s.targets.cell(),
            s.deadline.cell(),
            s.retro.cell(),
            lead,
            "ok" if s.title.hit else "--",
        )
        print("".join(f"{c:<{w}}" for c, w in zip(row, widths, strict=True)))
        if s.dept_error:
            print(f"    departments n/a: {s.dept_error}")
        for f in (
            "heading_r",
            "heading_p",
            "items",
            "targets",
            "deadline",
            "retro",
            "leads",
            "support",
            "title",
        ):
            t, a = getattr(total, f), getattr(s, f)
            t.hit += a.hit
            t.n += a.n
        total.n_indicators += s.n_indicators
        total.unexplained += s.unexplained
        if args.show and s.misses:
            for m in s.misses:
                print(f"      {m}")
    n_err = sum(1 for s in scores if s.error)
    print("-" * sum(widths))
    row = (
        total.name,
        total.heading_r.cell(),
        total.heading_p.cell(),
        total.items.cell(),
        total.targets.cell(),
        total.deadline.cell(),
        total.retro.cell(),
        total.leads.cell() if total.leads.n else "n/a",
        f"{total.title.hit}/{len(scores)}",
    )
    print("".join(f"{c:<{w}}" for c, w in zip(row, widths, strict=True)))
    print(
        f"supporting departments found: {total.support.cell()}; indicators extracted: {total.n_indicators}, "
        f"of which not explained by a gold target of their clause: {total.unexplained}"
        + (f"; {n_err} document(s) failed to parse" if n_err else "")
    )
    print()
    for key, tally in (
        ("heading_recall", total.heading_r),
        ("target_recall", total.targets),
        ("retro_taken", total.retro),
    ):
        op, bar = BARS[key]
        r = tally.ratio()
        ok = r is not None and (r >= bar if op == ">=" else r <= bar) and not n_err
        print(
            f"bar {key:<15} {op} {bar:.2f}: {f'{r:.3f}' if r is not None else '-':>6}  {'PASS' if ok else 'FAIL'}"
            + (" (documents failed to parse)" if n_err else "")
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
