"""Print how many of the expected related regulations (法条联想) appear among a plan clause's related documents.

Usage: .venv/bin/python benchmarks/eval_related.py [--gold JSON] [--data-dir DIR] [--top N] [--show]

Gold (`../shared/eval/related-dev.json`): plan clause heading -> title substrings of the regulations an
official expects among the clause's related documents. A gold title counts as found when a document
among the first N distinct related documents has a title containing it. Skips cleanly without the
gold file (it lives in ../shared, outside the repo).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from app.core.library import Library  # noqa: E402
from app.core.normalize import compact, fold  # noqa: E402
from app.core.paths import AppPaths  # noqa: E402

DEFAULT_GOLD = ROOT.parent / "shared" / "eval" / "related-dev.json"


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--gold", type=Path, default=DEFAULT_GOLD)
    ap.add_argument("--data-dir", type=Path)
    ap.add_argument("--top", type=int, default=10)
    ap.add_argument("--show", action="store_true")
    a = ap.parse_args()
    if not a.gold.exists():
        print(f"skipped: {a.gold} not found")
        return 0
    gold: dict[str, list[str]] = json.loads(a.gold.read_text(encoding="utf-8"))["related"]
    data = a.data_dir or Path(tempfile.mkdtemp(prefix="policydesk-related-"))
    lib = Library(AppPaths.resolve(data))
    if lib.needs_index():
        print(f"building the index of the shipped corpus in {data} …")
        lib.index()
    plan = next(d for d in lib.documents() if d.kind == "规划")
    by_heading = {compact(fold(c.display_heading)): c for c in lib.clauses(plan.id)}
    found = total = 0
    for heading, expected in gold.items():
        c = by_heading.get(compact(fold(heading)))
        if c is None:
            print(f"  ? no clause headed {heading}")
            total += len(expected)
            continue
        rel = lib.related(c.id, limit=a.top)
        titles = list(dict.fromkeys(r["doc_title"] for r in rel["related"]))[: a.top]
        hits = [e for e in expected if any(e in t for t in titles)]
        found += len(hits)
        total += len(expected)
        print(f"{len(hits)}/{len(expected)}  {heading}")
        if a.show:
            for e in expected:
                print(f"      {'+' if e in hits else '-'} {e}")
            for t in titles:
                print(f"         {t}")
    print(f"expected regulations among the top {a.top} related documents: {found}/{total} ({found / max(1, total):.0%})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
