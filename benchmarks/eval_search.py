"""Print nDCG@10 and MRR of our search against baselines on the shared query sets, per set and per type.

Usage: .venv/bin/python benchmarks/eval_search.py [--queries TSV ...] [--laws-queries TSV ...] [--data-dir DIR]
                                                  [--show]

Every plan set (default: ../shared/eval/queries-dev.tsv and queries-dev2.tsv) is reported on its own,
with a per-type table (type= in the notes column). `--data-dir` may point at a data dir holding the
whole regulation library (`policydesk index ../shared/corpus/laws --data-dir DIR`): `ours-mixed` then
shows how the plan's clauses fare when 150k law articles compete. Law-provision queries
(queries-laws-dev.tsv and our blind `queries/law-blind.tsv`, `TITLE_KEY#N` gold) are scored by MRR and
hit@3, ours against stock whoosh-OR over the same articles (the newest version of each regulation).

Systems, all judged on clause-level results of the plan only:
* ours        `Library.search` (limit 200), hits filtered to the plan document;
* substring   baseline A, what Ctrl+F gives: every whitespace-separated query term must occur in the
              clause's text (folded, spaces removed); ranked by the total number of occurrences;
* ours-mixed  the same ranked list with law articles left in (they count as misses): the plan must
              stay on top when the library competes;
* jieba-bm25  baseline B, whoosh with jieba's stock `ChineseAnalyzer` over the plan clauses' full text,
              default BM25F, the query parsed by whoosh's QueryParser with the AND group;
* whoosh-OR   baseline C, the same with the OR group (stock whoosh best match).

Gold: `relevant` lists clause headings, most relevant first (a bold task heading such as
`健全碳排放双控制度体系。`, or a section heading such as `（五）主动适应气候变化`); a hit is relevant
when its heading or the last element of its path equals one of them (folded, spaces removed).
Graded gain: first listed 3, next two 2, the rest 1. nDCG@10 uses the ideal order of those gains;
MRR is 1/rank of the first relevant hit in the whole ranked list (0 when none is found).
"""

from __future__ import annotations

import argparse
import csv
import logging
import math
import os
import re
import sys
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from app.core.library import Library  # noqa: E402
from app.core.models import Clause  # noqa: E402
from app.core.normalize import compact, fold  # noqa: E402
from app.core.paths import AppPaths  # noqa: E402

PLAN_ID = "美丽上海建设十五五规划-征求意见稿"
EVAL = ROOT.parent / "shared" / "eval"
OURS = Path(__file__).parent / "queries"  # our own blind sets: see queries/README.md
DEFAULT_QUERIES = [EVAL / "queries-dev.tsv", EVAL / "queries-dev2.tsv", OURS / "plan-blind.tsv", OURS / "plan-blind2.tsv",
                   OURS / "plan-blind3.tsv", OURS / "plan-blind4.tsv", OURS / "plan-blind5.tsv"]
DEFAULT_LAW_QUERIES = [EVAL / "queries-laws-dev.tsv", OURS / "law-blind.tsv", OURS / "law-blind2.tsv",
                       OURS / "law-blind3.tsv", OURS / "law-blind4.tsv", OURS / "law-blind5.tsv",
                       OURS / "law-blind6.tsv", OURS / "law-blind7.tsv", OURS / "law-blind8.tsv",
                       OURS / "law-blind9.tsv"]
BASELINE_MAX_ARTICLES = 30_000  # the law baseline indexes every article in memory: skipped on the full library
K = 10
FETCH = 200

Ranker = Callable[[str], list[Clause]]


@dataclass(frozen=True)
class EvalQuery:
    qid: str
    query: str
    relevant: tuple[str, ...]
    notes: str


def load_queries(path: Path) -> list[EvalQuery]:
    with open(path, encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE))
    return [EvalQuery(r["qid"], r["query"], tuple(x for x in r["relevant"].split("|") if x.strip()),
                      r.get("notes") or "") for r in rows if r.get("qid")]


def _key(s: str) -> str:
    return compact(fold(s.replace("*", "")))


def gains(q: EvalQuery) -> dict[str, int]:
    out: dict[str, int] = {}
    for i, h in enumerate(q.relevant):
        out.setdefault(_key(h), 3 if i == 0 else 2 if i < 3 else 1)
    return out


def judge(q: EvalQuery, ranked: Sequence[Clause]) -> tuple[float, float, list[int]]:
    """(nDCG@K, reciprocal rank, gain per rank of the top K)."""
    g = gains(q)
    seen: set[str] = set()
    per_rank: list[int] = []
    rr = 0.0
    for rank, c in enumerate(ranked, 1):
        hit = next((k for k in (_key(c.heading), _key(c.display_heading)) if k in g and k not in seen), None)
        gain = 0
        if hit is not None:
            seen.add(hit)
            gain = g[hit]
            if rr == 0.0:
                rr = 1.0 / rank
        if rank <= K:
            per_rank.append(gain)
    dcg = sum(x / math.log2(i + 2) for i, x in enumerate(per_rank))
    ideal = sorted(g.values(), reverse=True)[:K]
    idcg = sum(x / math.log2(i + 2) for i, x in enumerate(ideal))
    return (dcg / idcg if idcg else 0.0), rr, per_rank


# -- baselines --------------------------------------------------------------------------------------
def substring_ranker(clauses: list[Clause]) -> Ranker:
    keys = [(c, compact(fold(c.full_text))) for c in clauses]

    def rank(query: str) -> list[Clause]:
        terms = [compact(t) for t in fold(query).split() if compact(t)]
        scored = []
        for c, key in keys:
            counts = [key.count(t) for t in terms]
            if terms and all(counts):
                scored.append((sum(counts), c))
        scored.sort(key=lambda x: -x[0])  # stable: document order breaks ties
        return [c for _, c in scored]

    return rank


def jieba_bm25_ranker(clauses: list[Clause], *, any_word: bool = False) -> Ranker:
    import jieba
    from jieba.analyse import ChineseAnalyzer
    from whoosh import fields
    from whoosh.filedb.filestore import RamStorage
    from whoosh.qparser import AndGroup, OrGroup, QueryParser

    jieba.setLogLevel(logging.WARNING)
    schema = fields.Schema(id=fields.ID(stored=True), text=fields.TEXT(analyzer=ChineseAnalyzer()))
    # A unique name: whoosh keeps a temp folder named after the index in the temp dir (two runs would collide).
    ix = RamStorage().create_index(schema, indexname=f"eval{os.getpid()}{int(any_word)}")
    with ix.writer() as w:
        for c in clauses:
            w.add_document(id=c.id, text=c.full_text)
    by_id = {c.id: c for c in clauses}
    parser = QueryParser("text", schema, group=OrGroup if any_word else AndGroup)

    def rank(query: str) -> list[Clause]:
        with ix.searcher() as s:
            return [by_id[h["id"]] for h in s.search(parser.parse(query), limit=FETCH)]

    return rank


def ours_ranker(lib: Library, *, mixed: bool = False) -> Ranker:
    """Our ranked list, the plan's clauses only (or, `mixed`, with other documents' hits as misses)."""
    def rank(query: str) -> list[Clause]:
        res = lib.search(query, limit=FETCH)
        return [lib.clause(h.id) for h in res.hits if mixed or h.doc_id == PLAN_ID]

    return rank


# -- law-provision queries ------------------------------------------------------------------------
LawRanker = Callable[[str], list[Clause]]


def law_articles(lib: Library) -> list[Clause]:
    """The articles of every regulation, newest version of each title only (what search shows by default)."""
    newest: dict[str, Any] = {}
    for d in lib.documents():
        if d.kind != "规划" and (d.title not in newest or (d.date or "") > (newest[d.title].date or "")):
            newest[d.title] = d
    return [c for d in newest.values() for c in lib.clauses(d.id) if c.level == "article" and c.full_text.strip()]


def law_rankers(lib: Library) -> dict[str, LawRanker]:
    """Ours, and stock whoosh-OR over the same articles when the library is small enough to index in memory."""
    def ours(query: str) -> list[Clause]:
        return [lib.clause(h.id) for h in lib.search(query, limit=50).hits]

    out: dict[str, LawRanker] = {"ours": ours}
    articles = law_articles(lib)
    if len(articles) <= BASELINE_MAX_ARTICLES:
        out["C whoosh-OR"] = jieba_bm25_ranker(articles, any_word=True)
    return out


def law_report(lib: Library, paths: Sequence[Path], show: bool) -> None:
    """MRR and hit@3 of each law-provision set, per system and per kind (type=a+b counts under a and b):
    gold items are TITLE_KEY#N (title substring, article N); only the first 50 results count."""
    titles = {d.id: d.title for d in lib.documents()}
    rankers = law_rankers(lib)
    for path in paths:
        queries = load_queries(path)
        ranks: dict[str, list[int]] = {}
        for name, rank_fn in rankers.items():
            ranks[name] = []
            for q in queries:
                gold = [(k, int(n)) for k, n in (x.rsplit("#", 1) for x in q.relevant)]
                hits = rank_fn(q.query)[:50]
                ranks[name].append(next((i for i, c in enumerate(hits, 1) if c.level == "article" and any(
                    k in titles.get(c.doc_id, "") and c.number_value == n for k, n in gold)), 0))
        print(f"\n== {len(queries)} law-provision queries from {path}")
        if show:
            for i, q in enumerate(queries):
                qtype = re.search(r"type=([\w+-]+)", q.notes)
                cells = "".join(f"  {n} {r[i] or '-':>3}" for n, r in ranks.items())
                print(f"{q.qid:<6}{_pad(q.query, 28)}{cells}  {qtype.group(1) if qtype else ''}")
        for name, r in ranks.items():
            print(f"{name:<16}MRR {_mean([1 / x if x else 0.0 for x in r]):.3f}, hit@3 "
                  f"{_mean([1.0 if x and x <= 3 else 0.0 for x in r]):.3f}")
        kinds: dict[str, list[int]] = {}
        for i, q in enumerate(queries):
            m = re.search(r"type=([\w+-]+)", q.notes)
            for kind in (m.group(1).split("+") if m else ["?"]):
                kinds.setdefault(kind, []).append(i)
        print("by kind (MRR: " + " [".join(ranks) + ("]" if len(ranks) > 1 else "") + "):")
        for kind, idx in sorted(kinds.items()):
            vals = [_mean([1 / ranks[n][i] if ranks[n][i] else 0.0 for i in idx]) for n in ranks]
            print(f"  {kind:<14}{len(idx):>3}  {vals[0]:.3f}" + "".join(f" [{v:.3f}]" for v in vals[1:]))


# -- report ---------------------------------------------------------------------------------------
def evaluate(queries: list[EvalQuery], systems: dict[str, Ranker]) -> dict[str, list[tuple[float, float]]]:
    return {name: [judge(q, rank(q.query))[:2] for q in queries] for name, rank in systems.items()}


def _mean(xs: Sequence[float]) -> float:
    return sum(xs) / len(xs) if xs else 0.0


def print_report(queries: list[EvalQuery], scores: dict[str, list[tuple[float, float]]], show: bool) -> None:
    names = list(scores)
    if show:
        print(_pad("qid", 5) + _pad("query", 16) + "".join(f"{n:>16}" for n in names) + "  type  (nDCG@10 / RR)")
        for i, q in enumerate(queries):
            cells = "".join(f"{scores[n][i][0]:>9.3f} / {scores[n][i][1]:4.2f}" for n in names)
            qtype = re.search(r"type=([\w-]+)", q.notes)
            print(_pad(q.qid, 5) + _pad(q.query, 16) + cells + f"  {qtype.group(1) if qtype else ''}")
        print()
    print(f"{'system':<16}{'nDCG@10':>9}{'MRR':>8}")
    means = {n: (_mean([s[0] for s in scores[n]]), _mean([s[1] for s in scores[n]])) for n in names}
    for n in names:
        print(f"{n:<16}{means[n][0]:>9.3f}{means[n][1]:>8.3f}")
    for o in (n for n in names if n.startswith("ours")):
        for b in (n for n in names if not n.startswith("ours")):
            nd = means[o][0] / means[b][0] if means[b][0] else math.inf
            mr = means[o][1] / means[b][1] if means[b][1] else math.inf
            print(f"ratio {o} / {b}: nDCG@10 x{nd:.2f}, MRR x{mr:.2f}")


def print_types(queries: list[EvalQuery], scores: dict[str, list[tuple[float, float]]]) -> None:
    """nDCG@10 per query type (type= in the notes) for every system."""
    types: dict[str, list[int]] = {}
    for i, q in enumerate(queries):
        m = re.search(r"type=([\w-]+)", q.notes)
        types.setdefault(m.group(1) if m else "?", []).append(i)
    names = list(scores)
    print(f"{'type (n)':<20}" + "".join(f"{n:>14}" for n in names))
    for t, idx in sorted(types.items()):
        cells = "".join(f"{_mean([scores[n][i][0] for i in idx]):>14.3f}" for n in names)
        print(f"{t + f' ({len(idx)})':<20}{cells}")


def _pad(s: str, width: int) -> str:
    """Left-align `s` in `width` terminal columns (CJK characters take two)."""
    used = sum(2 if ord(ch) > 0x2E80 else 1 for ch in s)
    return s + " " * max(1, width - used)


def _open_library(data_dir: Path | None, tmp: str) -> Library:
    lib = Library(AppPaths.resolve(data_dir or Path(tmp)))
    if lib.needs_index():
        print(f"building the index of the shipped corpus in {lib.paths.derived} …", file=sys.stderr)
        lib.index()
    return lib


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--queries", type=Path, nargs="+", default=DEFAULT_QUERIES)
    ap.add_argument("--laws-queries", type=Path, nargs="+", default=DEFAULT_LAW_QUERIES)
    ap.add_argument("--data-dir", type=Path, default=None, help="a built data dir (default: build a temporary one)")
    ap.add_argument("--show", action="store_true", help="per-query nDCG@10 / MRR")
    args = ap.parse_args(argv)
    sets = [p for p in args.queries if p.exists()]
    if not sets:
        print(f"skipped: no query set at {', '.join(map(str, args.queries))}")
        return 0
    with tempfile.TemporaryDirectory(prefix="policydesk-eval-") as tmp:
        lib = _open_library(args.data_dir, tmp)
        try:
            plan = [c for c in lib.clauses(PLAN_ID) if c.full_text.strip()]
            systems: dict[str, Ranker] = {"ours": ours_ranker(lib), "ours-mixed": ours_ranker(lib, mixed=True),
                                          "A substring": substring_ranker(plan),
                                          "B jieba-bm25": jieba_bm25_ranker(plan),
                                          "C whoosh-OR": jieba_bm25_ranker(plan, any_word=True)}
            for path in sets:
                queries = load_queries(path)
                scores = evaluate(queries, systems)
                print(f"\n== {len(queries)} queries from {path}; clause-level, plan only; nDCG@{K} graded 3/2/2/1…")
                print_report(queries, scores, args.show)
                print()
                print_types(queries, scores)
            law_sets = [p for p in args.laws_queries if p.exists()]
            if law_sets:
                law_report(lib, law_sets, args.show)
        finally:
            lib.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
