"""Print precision/recall per clause status of the version comparison (app.core.compare) on two gold sets.

Usage: .venv/bin/python benchmarks/eval_compare.py [--show] [--more N]

Gold sets (hand-made, every clause of both versions):
* tests/data/plan-final.changes.json — tests/data/plan.md (征求意见稿) against tests/data/plan-final.md, a 正式稿
  made from it: a chapter inserted (three to nine renumbered), targets and a year changed, a task deleted, one added,
  one moved to another section and edited, one moved within its section, wording and a section heading edited;
* tests/data/上海市音像制品管理条例.changes.json — the 2021 and 2024 texts of the regulation (nine articles amended,
  two deleted, the rest renumbered), from a diff-based reading.

A prediction is correct when its status and, for a clause of the old version, its place in the new version both
agree with the gold. Precision divides by the predictions of a status, recall by its gold items (— when there
are none). `--show` lists the disagreements; `--more N` prints the summary of N more law version pairs of
/work/shared/corpus/laws (no gold: a look at the kind of changes found).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from app.core.compare import STATUS_LABELS, STATUSES, Comparison, compare  # noqa: E402
from app.core.links.service import Linker  # noqa: E402
from app.core.models import Document  # noqa: E402
from app.core.structure import parse_document  # noqa: E402

DATA = ROOT / "tests" / "data"
SETS = (
    ("规划（征求意见稿→正式稿）", DATA / "plan.md", DATA / "plan-final.md", DATA / "plan-final.changes.json", "规划"),
    ("上海市音像制品管理条例（2021→2024）", DATA / "上海市音像制品管理条例(2021-08-25).md",
     DATA / "上海市音像制品管理条例(2024-12-31).md", DATA / "上海市音像制品管理条例.changes.json", "地方性法规"),
)
SHARED_LAWS = Path("/work/shared/corpus/laws")


def load(path: Path, doc_id: str, kind: str, linker: Linker) -> tuple[Document, list[Any], dict[str, Any]]:
    parsed = parse_document(path.read_text(encoding="utf-8"), doc_id, kind=kind)
    m = re.search(r"\((\d{4}-\d{2}-\d{2})\)", path.name)
    doc = Document(id=doc_id, title=parsed.title, kind=kind, date=m.group(1) if m else None)
    return doc, list(parsed.clauses), linker.link_document(doc, parsed.clauses)


def run(old: Path, new: Path, kind: str, linker: Linker) -> Comparison:
    od, oc, ol = load(old, "OLD", kind, linker)
    nd, nc, nl = load(new, "NEW", kind, linker)
    return compare(od, oc, nd, nc, old_links=ol, new_links=nl)


def score(cmp: Comparison, gold_path: Path) -> tuple[dict[str, dict[str, float | int | None]], list[str]]:
    data = json.loads(gold_path.read_text(encoding="utf-8"))
    truth = {(("old", e["old"]) if e["old"] is not None else ("new", e["new"])): (e["status"], e["new"])
             for e in data["clauses"]}
    pred = {(("old", p.old.rel_id) if p.old else ("new", p.new.rel_id if p.new else "")):
            (p.status, p.new.rel_id if p.new else None) for p in cmp.pairs}
    out: dict[str, dict[str, float | int | None]] = {}
    for s in STATUSES:
        n_pred = sum(1 for v in pred.values() if v[0] == s)
        n_gold = sum(1 for v in truth.values() if v[0] == s)
        tp = sum(1 for k, v in pred.items() if v[0] == s and truth.get(k) == v)
        out[s] = {"gold": n_gold, "predicted": n_pred, "correct": tp,
                  "precision": tp / n_pred if n_pred else None, "recall": tp / n_gold if n_gold else None}
    wrong = [f"{k[1]}（{k[0]}）：预测 {pred.get(k)}，标注 {truth.get(k)}" for k in sorted(set(pred) | set(truth))
             if pred.get(k) != truth.get(k)]
    return out, wrong


def _pct(v: float | int | None) -> str:
    return "—" if v is None else f"{v:.3f}"


def more_pairs(n: int, linker: Linker) -> None:
    if not SHARED_LAWS.is_dir():
        print(f"（{SHARED_LAWS} 不存在，跳过）")
        return
    groups: dict[str, list[Path]] = {}
    for p in sorted(SHARED_LAWS.rglob("*.md")):
        groups.setdefault(re.sub(r"\(\d{4}-\d{2}-\d{2}\)\.md$", "", str(p)), []).append(p)
    pairs = [sorted(v)[-2:] for v in groups.values() if len(v) > 1][:n]
    print(f"\n另外 {len(pairs)} 对法规版本（无标注，仅看比对结果）：")
    for old, new in pairs:
        t = time.perf_counter()
        cmp = run(old, new, "法律", linker)
        print(f"  {old.stem} → {new.stem[-12:]}  {cmp.summary_line()}  {(time.perf_counter() - t) * 1000:.0f} ms")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--show", action="store_true", help="list the clauses where prediction and gold disagree")
    ap.add_argument("--more", type=int, default=0, metavar="N", help="summaries of N more law version pairs")
    args = ap.parse_args()
    linker = Linker(ROOT / "resources")
    for name, old, new, gold_path, kind in SETS:
        t = time.perf_counter()
        cmp = run(old, new, kind, linker)
        ms = (time.perf_counter() - t) * 1000
        scores, wrong = score(cmp, gold_path)
        print(f"\n{name}：{len(cmp.pairs)} 对，比对 {ms:.0f} ms")
        print(f"  {'状态':<6}{'标注':>6}{'预测':>6}{'正确':>6}{'准确率':>9}{'召回率':>9}")
        for s in STATUSES:
            r = scores[s]
            print(f"  {STATUS_LABELS[s]:<6}{r['gold']:>8}{r['predicted']:>8}{r['correct']:>8}"
                  f"{_pct(r['precision']):>11}{_pct(r['recall']):>11}")
        print("  指标与时限变化：" + ("；".join(c.describe() for c in cmp.changes) or "无"))
        if args.show:
            for line in wrong or ["（全部一致）"]:
                print("    " + line)
    if args.more:
        more_pairs(args.more, linker)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
