"""Print precision/recall of the links engine (indicators, deadlines) against annotated clauses.

Usage: .venv/bin/python benchmarks/eval_links.py [--show]

Gold sets:
* tests/data/annotations-plan.json — the whole plan (indicators, every clause's deadline) and law articles;
* /work/shared/eval/annotations-sample.json — the shared sample, when that file exists.

Indicator matching: a prediction and a gold item match when they sit in the same clause, their quotes
overlap in the clause text, and value and unit agree. Per field (name, value, unit, comparator,
deadline), pairs are formed on quote overlap alone and a field counts when it agrees; precision divides
by the predictions, recall by the gold items. Names agree when equal after removing spaces, or when
their character similarity is at least 0.75 (names are free text).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from app.core.links.deadlines import extract_deadline  # noqa: E402
from app.core.links.indicators import extract_indicators  # noqa: E402
from app.core.models import Clause, Deadline, Indicator  # noqa: E402
from app.core.read import read_file  # noqa: E402
from app.core.structure import parse_document  # noqa: E402

PLAN_GOLD = ROOT / "tests" / "data" / "annotations-plan.json"
SHARED_GOLD = Path("/work/shared/eval/annotations-sample.json")
FIELDS = ("name", "value", "unit", "comparator", "deadline")


def load_clauses(doc_id: str, corpus: Path = ROOT / "corpus") -> dict[str, Clause]:
    """Parse one corpus document (plan or law) the way the app does, keyed by clause id."""
    manifest = json.loads((corpus / "manifest.json").read_text(encoding="utf-8"))
    entry = next(d for d in manifest["documents"] if d["id"] == doc_id)
    parsed = parse_document(read_file(corpus / entry["file"]).text, doc_id, kind=entry.get("kind"))
    return {c.id: c for c in parsed.clauses}


def predict(clause: Clause) -> list[Indicator]:
    return extract_indicators(clause.full_text, heading=clause.display_heading)


def names_agree(a: str | None, b: str | None) -> bool:
    a, b = "".join((a or "").split()), "".join((b or "").split())
    return a == b or SequenceMatcher(None, a, b).ratio() >= 0.75


def _spans(text: str, quote: str) -> list[tuple[int, int]]:
    """Every occurrence of `quote` in `text` (a short quote may occur twice in a law article)."""
    out, pos = [], text.find(quote) if quote else -1
    while pos >= 0:
        out.append((pos, pos + len(quote)))
        pos = text.find(quote, pos + 1)
    return out


def _overlap(text: str, q1: str, q2: str) -> bool:
    return any(a[0] < b[1] and b[0] < a[1] for a in _spans(text, q1) for b in _spans(text, q2))


def _same(gold: dict[str, Any], pred: Indicator, fld: str) -> bool:
    if fld == "name":
        return names_agree(gold["name"], pred.name)
    if fld == "value":
        return gold["value"] is not None and pred.value is not None and abs(gold["value"] - pred.value) < 1e-6
    if fld == "unit":
        return (gold["unit"] or "") == (pred.unit or "")
    if fld == "comparator":
        return pred.comparator == gold["comparator"] or pred.comparator in gold.get("comparator_also_acceptable", [])
    return bool(gold.get("deadline") == pred.deadline)


@dataclass
class Score:
    """Counts for one gold set."""

    n_pred: int = 0
    n_gold: int = 0
    matched: int = 0  # quote overlap + value + unit
    exact_names: int = 0
    fields: dict[str, int] = field(default_factory=lambda: dict.fromkeys(FIELDS, 0))
    misses: list[str] = field(default_factory=list)
    extras: list[str] = field(default_factory=list)
    wrong: list[str] = field(default_factory=list)

    def pr(self, hits: int) -> tuple[float, float]:
        return (hits / self.n_pred if self.n_pred else 1.0, hits / self.n_gold if self.n_gold else 1.0)


def score_clause(score: Score, text: str, gold: Sequence[dict[str, Any]], preds: Sequence[Indicator]) -> None:
    """Pair predictions with gold items of one clause on quote overlap and count what agrees."""
    score.n_pred += len(preds)
    score.n_gold += len(gold)
    free = list(preds)
    for g in gold:
        pair = next((p for p in free if _overlap(text, g["quote"], p.quote) and _same(g, p, "value")), None)
        pair = pair or next((p for p in free if _overlap(text, g["quote"], p.quote)), None)
        if pair is None:
            score.misses.append(f"{g['quote']}  [{g['name']}]")
            continue
        free.remove(pair)
        if _same(g, pair, "value") and _same(g, pair, "unit"):
            score.matched += 1
        score.exact_names += "".join(g["name"].split()) == pair.name
        bad = [f for f in FIELDS if not _same(g, pair, f)]
        for f in FIELDS:
            score.fields[f] += f not in bad
        if bad:
            score.wrong.append(f"{g['quote']}: " + ", ".join(f"{f} {_gold_field(g, f)!r}≠{getattr(pair, f)!r}" for f in bad))
    score.extras.extend(f"{p.quote}  [{p.name} {p.comparator} {p.value} {p.unit}]" for p in free)


def _gold_field(g: dict[str, Any], f: str) -> Any:
    return g.get(f)


@dataclass
class DeadlineScore:
    n_pred: int = 0
    n_gold: int = 0
    correct: int = 0
    explicit_pred: int = 0
    explicit_gold: int = 0
    explicit_correct: int = 0
    errors: list[str] = field(default_factory=list)

    def add(self, cid: str, gold: dict[str, Any] | None, pred: Deadline | None) -> None:
        self.n_pred += pred is not None
        self.n_gold += gold is not None
        self.explicit_pred += pred is not None and pred.source == "explicit"
        self.explicit_gold += gold is not None and gold["source"] == "explicit"
        ok = (gold is None and pred is None) or (
            gold is not None and pred is not None and gold["year"] == pred.year and gold["source"] == pred.source
        )
        if ok and gold is not None:
            self.correct += 1
            self.explicit_correct += gold["source"] == "explicit"
        if not ok:
            self.errors.append(f"{cid}: gold {gold} ≠ {pred}")


def _pr(hits: int, n_pred: int, n_gold: int) -> str:
    p = hits / n_pred if n_pred else 1.0
    r = hits / n_gold if n_gold else 1.0
    return f"P={p:.3f} R={r:.3f} ({hits}/{n_pred} predicted, {hits}/{n_gold} gold)"


def print_indicator_score(title: str, s: Score, show: bool) -> None:
    print(f"{title}: {_pr(s.matched, s.n_pred, s.n_gold)}")
    for f in FIELDS:
        print(f"    {f:<10} {_pr(s.fields[f], s.n_pred, s.n_gold)}")
    print(f"    {'name=exact':<10} {_pr(s.exact_names, s.n_pred, s.n_gold)}")
    if show:
        for label, rows in (("missed", s.misses), ("extra", s.extras), ("field errors", s.wrong)):
            for row in rows:
                print(f"    {label}: {row}")


def evaluate_plan(gold: dict[str, Any], show: bool) -> tuple[Score, DeadlineScore]:
    """Indicators and deadlines of every plan clause against the full plan annotations."""
    doc = gold["document"]
    clauses = load_clauses(doc["id"])
    by_clause: dict[str, list[dict[str, Any]]] = {}
    for g in gold["indicators"]:
        by_clause.setdefault(g["clause_id"], []).append(g)
    score, dl = Score(), DeadlineScore()
    horizon = tuple(doc["horizon"])
    for cid, clause in clauses.items():
        score_clause(score, clause.full_text, by_clause.get(cid, []), predict(clause))
        pred = extract_deadline(clause.full_text, horizon=(horizon[0], horizon[1]), milestones=doc["milestones"])
        dl.add(cid, gold["deadlines"].get(cid), pred)
    return score, dl


def evaluate_laws(gold: dict[str, Any]) -> tuple[Score, DeadlineScore]:
    """Annotated law articles: mostly without targets, so extra predictions show up as lost precision."""
    score, dl = Score(), DeadlineScore()
    cache: dict[str, dict[str, Clause]] = {}
    for art in gold["laws"]["articles"]:
        doc_id = art["clause_id"].split("/", 1)[0]
        clause = cache.setdefault(doc_id, load_clauses(doc_id))[art["clause_id"]]
        score_clause(score, clause.full_text, art["indicators"], predict(clause))
        dl.add(art["clause_id"], art["deadline"], extract_deadline(clause.full_text))
    return score, dl


def evaluate_shared_sample(path: Path, plan_id: str) -> Score | None:
    """The shared sample's indicators, matched within their clause (found by path); None when absent."""
    if not path.exists():
        return None
    sample = json.loads(path.read_text(encoding="utf-8"))
    clauses = load_clauses(plan_id)
    by_path = {tuple(c.path): c for c in clauses.values()}
    score = Score()
    for g in sample.get("indicators_sample", []):
        clause = by_path.get(tuple(g["clause_path"]))
        if clause is None:
            score.n_gold += 1
            score.misses.append(f"{g['quote']} (clause not found)")
            continue
        preds = [p for p in predict(clause) if _overlap(clause.full_text, g["quote"], p.quote)]
        score_clause(score, clause.full_text, [g], preds)
    for d in sample.get("deadlines_sample", []):
        clause = by_path.get(tuple(d["clause_path"]))
        found = clause is not None and any(
            dd.year == d["year"] for dd in _explicit(clause.full_text)
        )
        print(f"    shared deadline {d['id']} {d['year']}: {'found' if found else 'MISSED'}")
    return score


def _explicit(text: str) -> Iterable[Deadline]:
    from app.core.links.deadlines import explicit_deadlines

    return explicit_deadlines(text)


def evaluate_departments(gold: dict[str, Any], show: bool = False) -> None:
    """Departments against tests/data/departments-gold.json (its own gold file; `gold` is not used).

    Law articles: P/R of the named departments (generic actors excluded), of (department, role) pairs
    and of leads, separately for the articles the rules were written on and the held-out sample.
    Plan tasks: top-1 lead agreement with the annotated lead or an acceptable alternative, and the
    recall of the annotated supporting departments among all suggested departments.
    """
    from app.core.links.departments import DepartmentKB, find_mentions, link_departments

    del gold
    dgold = json.loads((ROOT / "tests" / "data" / "departments-gold.json").read_text(encoding="utf-8"))
    kb = DepartmentKB.load(ROOT / "resources" / "departments.json")
    cache: dict[str, dict[str, Clause]] = {}

    def clause_of(cid: str) -> Clause:
        doc_id = cid.split("/", 1)[0]
        return cache.setdefault(doc_id, load_clauses(doc_id))[cid]

    for heldout in (False, True):
        arts = [a for a in dgold["law_articles"] if a.get("heldout", False) == heldout]
        counts = {k: [0, 0, 0] for k in ("names", "name+role", "leads")}  # hits, predicted, gold
        for a in arts:
            found = find_mentions(clause_of(a["id"]).full_text, kb)
            pred = {d.name: d.role for d in found if not kb.is_generic(d.name)}
            want: dict[str, str] = a["departments"]
            pairs = {
                "names": (set(pred), set(want)),
                "name+role": (set(pred.items()), set(want.items())),
                "leads": ({n for n, r in pred.items() if r == "lead"}, {n for n, r in want.items() if r == "lead"}),
            }
            for key, (p, g) in pairs.items():
                counts[key] = [counts[key][0] + len(p & g), counts[key][1] + len(p), counts[key][2] + len(g)]
                if show and key == "name+role" and p != g:
                    print(f"    {a['id']}: extra {sorted(p - g)} missed {sorted(g - p)}")
        label = "held-out" if heldout else "design"
        print(f"law articles departments ({label}, {len(arts)} articles):")
        for key, (hits, n_pred, n_gold) in counts.items():
            print(f"    {key:<10} {_pr(hits, n_pred, n_gold)}")
    tasks = dgold["plan_tasks"]
    agree = sup_hits = sup_gold = 0
    for t in tasks:
        c = clause_of(t["id"])
        links = [d for d in link_departments(c.text, c.heading, kb, path=c.path) if not kb.is_generic(d.name)]
        lead = next((d for d in links if d.role == "lead"), None)
        ok = lead is not None and lead.name in [t["lead"], *t["alternatives"]]
        agree += ok
        sup_hits += len({d.name for d in links} & set(t["supports"]))
        sup_gold += len(t["supports"])
        if show:
            got = f"{lead.name} {lead.confidence:.2f} [{lead.evidence}]" if lead else "none"
            print(f"    {'ok ' if ok else 'XX '}{t['heading']} -> {got} (gold {t['lead']}, alt {t['alternatives']})")
    print(f"plan tasks lead agreement (top-1 vs lead+alternatives): {agree}/{len(tasks)} = {agree / len(tasks):.3f}")
    print(f"plan tasks supporting departments suggested: recall {sup_hits}/{sup_gold} = {sup_hits / max(1, sup_gold):.3f}")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--show", action="store_true", help="list misses, extras and field errors")
    args = parser.parse_args(argv)
    gold = json.loads(PLAN_GOLD.read_text(encoding="utf-8"))
    score, dl = evaluate_plan(gold, args.show)
    print_indicator_score(f"plan indicators ({PLAN_GOLD.name})", score, args.show)
    print(f"plan deadlines (every clause): {_pr(dl.correct, dl.n_pred, dl.n_gold)}")
    print(f"    explicit only: {_pr(dl.explicit_correct, dl.explicit_pred, dl.explicit_gold)}")
    for row in dl.errors if args.show else ():
        print(f"    deadline error: {row}")
    law_score, law_dl = evaluate_laws(gold)
    print_indicator_score("law articles indicators", law_score, args.show)
    print(f"law articles deadlines: {len(law_dl.errors)} errors over {len(gold['laws']['articles'])} articles")
    shared = evaluate_shared_sample(SHARED_GOLD, gold["document"]["id"])
    if shared is None:
        print(f"shared sample: {SHARED_GOLD} not found, skipped")
    else:
        print_indicator_score(f"shared sample indicators ({SHARED_GOLD.name})", shared, args.show)
    evaluate_departments(gold, args.show)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
