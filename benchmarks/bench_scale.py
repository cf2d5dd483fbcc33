"""How cost grows with the library: build time, index size, peak RSS, open time and search latency at
fractions of the regulation library and at twice its size, with the fitted growth exponent per figure.

    .venv/bin/python benchmarks/bench_scale.py [--laws DIR] [--points 0.1 0.25 0.5 1 2] [--json FILE]
                                               [--plot FILE] [--queries N] [--from-json FILE]

Each point is a cold `Library.index` of that share of the library's files (evenly spaced over the
sorted file list, so every collection is represented) into a fresh data dir, then a new process that
opens it and runs the search queries of `bench_library.py` (top 10 with snippets). A point above 1 is
the whole library plus renamed copies of the first files (`副本N-` before the file name, `（副本N）` before
the title, so they are other laws, not versions of the same one). Every step runs in a child process.

Peak RSS of the build is the parent's peak plus each worker's peak (sampled from /proc every 0.1 s;
elsewhere the largest single process): an upper bound, since it adds the peaks of the reader and writer
processes, which never run at the same time. RSS at one moment is the largest total RSS of the build's
processes seen in one sample. The growth exponent b is the least-squares slope of
log(figure) against log(clauses): figure ~ clauses^b (1: linear; 0: flat).

The plot needs matplotlib (`pip install -e .[bench]`); without it the plot is skipped. Without the library
(it lives in ../shared, outside the repo) the benchmark is skipped.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import shlex
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_library import OURS_SEARCH, PRELUDE, QUERIES, _size_mb, compile_engine

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_LAWS = ROOT.parent / "shared" / "corpus" / "laws"

BUILD = """
import json, sys, time
from pathlib import Path
from app.core.library import Library
from app.core.paths import AppPaths
lib = Library(AppPaths.resolve(sys.argv[1]))
t = time.perf_counter()
r = lib.index([Path(sys.argv[2])])
seconds = time.perf_counter() - t
lib.close()
print(json.dumps({"seconds": seconds, "documents": r.documents, "clauses": r.clauses, "rss_mb": _rss(),
                  "rss_now_mb": _rss_now_peak()}))
"""

FIGURES = (  # key, label, unit
    ("build_s", "cold build", "s"),
    ("index_mb", "index size (search + clause DB)", "MB"),
    ("build_rss_mb", "build peak RSS (summed)", "MB"),
    ("build_rss_now_mb", "build RSS at one moment", "MB"),
    ("open_s", "open + first search", "s"),
    ("p50_ms", "search p50", "ms"),
    ("p95_ms", "search p95", "ms"),
)


def _child(code: str, *args: str) -> dict:
    out = subprocess.run([sys.executable, "-c", PRELUDE + code, *args], capture_output=True, text=True, cwd=ROOT,
                         check=False)
    if out.returncode != 0:
        raise RuntimeError(f"child failed ({out.returncode}):\n{out.stderr[-3000:]}")
    data: dict = json.loads(out.stdout.strip().splitlines()[-1])
    data["peak_rss_mb"] = round(data.pop("rss_mb", 0.0), 1)
    return data


def _laws_files(laws: Path) -> list[Path]:
    return sorted(p for p in laws.rglob("*.md") if not p.name.startswith("_"))


def _lay_out(laws: Path, files: list[Path], share: float, dest: Path) -> int:
    """A library folder holding `share` of `files` (symlinks; renamed copies beyond 1); returns its file count."""
    whole, frac = int(share), share - int(share)
    picked: list[tuple[Path, int]] = []
    if share < 1:
        n = max(1, round(len(files) * share))
        step = len(files) / n
        picked = [(files[int(i * step)], 0) for i in range(n)]
    else:
        picked = [(f, 0) for f in files]
        for copy in range(1, whole):
            picked += [(f, copy) for f in files]
        picked += [(f, whole) for f in files[: round(len(files) * frac)]]
    for f, copy in picked:
        rel = f.relative_to(laws)
        if copy == 0:
            target = dest / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.symlink_to(f)
            continue
        target = dest / f"副本{copy}" / rel.parent / f"副本{copy}-{rel.name}"
        target.parent.mkdir(parents=True, exist_ok=True)
        text = f.read_text(encoding="utf-8")
        lines = text.split("\n")
        for i, line in enumerate(lines):
            if line.startswith("# "):
                lines[i] = f"# （副本{copy}）{line[2:]}"
                break
        target.write_text("\n".join(lines), encoding="utf-8")
    return len(picked)


def growth_exponent(xs: list[float], ys: list[float]) -> float | None:
    """Least-squares slope of log(y) on log(x) over the points with positive values."""
    pts = [(math.log(x), math.log(y)) for x, y in zip(xs, ys, strict=True) if x > 0 and y > 0]
    if len(pts) < 2:
        return None
    mx = sum(p[0] for p in pts) / len(pts)
    my = sum(p[1] for p in pts) / len(pts)
    sxx = sum((p[0] - mx) ** 2 for p in pts)
    if sxx == 0:
        return None
    return sum((p[0] - mx) * (p[1] - my) for p in pts) / sxx


def measure(laws: Path, files: list[Path], share: float, work: Path, queries: str) -> dict:
    lib_dir = work / f"laws-{share:g}"
    n_files = _lay_out(laws, files, share, lib_dir)
    data = work / f"data-{share:g}"
    build = _child(BUILD, str(data), str(lib_dir))
    search = _child(OURS_SEARCH, str(data), queries)
    search_mb = _size_mb(data / "index" / "search")
    row = {"share": share, "files": n_files, "documents": build["documents"], "clauses": build["clauses"],
           "build_s": round(build["seconds"], 1), "build_rss_mb": build["peak_rss_mb"],
           "build_rss_now_mb": round(build.get("rss_now_mb", 0.0), 1),
           "search_mb": search_mb, "db_mb": round(_size_mb(data / "index") - search_mb, 1),
           "index_mb": _size_mb(data / "index"),
           "open_s": round(search["open_s"], 2), "p50_ms": round(search["p50_ms"], 1),
           "p95_ms": round(search["p95_ms"], 1), "n_queries": search["n"]}
    shutil.rmtree(data, ignore_errors=True)
    shutil.rmtree(lib_dir, ignore_errors=True)
    return row


def table(rows: list[dict]) -> str:
    """Markdown: one row per point, then the growth exponent per figure."""
    head = ["share", "documents", "clauses", *(f"{label} ({unit})" for _, label, unit in FIGURES)]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for r in rows:
        cells = [f"{r['share']:g}×", f"{r['documents']:,}", f"{r['clauses']:,}",
                 *(f"{r[k]:g}" if k in r else "–" for k, _, _ in FIGURES)]  # rows saved before a figure existed
        lines.append("| " + " | ".join(cells) + " |")
    xs = [float(r["clauses"]) for r in rows]
    exps = []
    for k, _, _ in FIGURES:
        b = growth_exponent([x for x, r in zip(xs, rows, strict=True) if k in r], [float(r[k]) for r in rows if k in r])
        exps.append("" if b is None else f"**{b:.2f}**")
    lines.append("| growth exponent b | | | " + " | ".join(exps) + " |")
    return "\n".join(lines)


def plot(rows: list[dict], path: Path) -> bool:
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
        from matplotlib.ticker import FormatStrFormatter, NullFormatter
    except ImportError:
        print("matplotlib is not installed (pip install -e .[bench]): plot skipped")
        return False
    fig, axes = plt.subplots(2, 4, figsize=(16, 7))
    for ax in axes.flat[len(FIGURES):]:
        ax.set_visible(False)
    for ax, (k, label, unit) in zip(axes.flat, FIGURES, strict=False):
        xs = [r["clauses"] for r in rows if k in r]
        ys = [r[k] for r in rows if k in r]
        if not ys:
            continue
        ax.loglog(xs, ys, "o-", label="measured")
        b = growth_exponent([float(x) for x in xs], [float(y) for y in ys])
        if b is not None and ys[-1] > 0:
            ref = [ys[-1] * (x / xs[-1]) ** b for x in xs]
            ax.loglog(xs, ref, "--", alpha=0.6, label=f"fit: clauses^{b:.2f}")
        ax.xaxis.set_minor_formatter(NullFormatter())  # minor tick labels crowd a narrow log range
        # Less than a decade on y: no major tick may fall inside, so the minor ticks carry plain labels.
        narrow = min(ys) > 0 and max(ys) / min(ys) < 10
        ax.yaxis.set_minor_formatter(FormatStrFormatter("%g") if narrow else NullFormatter())
        ax.set_title(label)
        ax.set_xlabel("clauses")
        ax.set_ylabel(unit)
        ax.grid(True, which="both", alpha=0.3)
        ax.legend(fontsize=8)
    fig.suptitle("PolicyDesk: cost against library size (log-log)")
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=90)
    plt.close(fig)
    return True


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--laws", type=Path, default=DEFAULT_LAWS)
    ap.add_argument("--points", type=float, nargs="+", default=[0.1, 0.25, 0.5, 1.0, 2.0],
                    help="shares of the library (above 1: renamed copies added)")
    ap.add_argument("--queries", type=int, default=0, help="only the first N queries (quick runs)")
    ap.add_argument("--json", type=Path, default=None, help="also write the rows as JSON")
    ap.add_argument("--plot", type=Path, default=None, help="write a log-log PNG (needs matplotlib)")
    ap.add_argument("--from-json", type=Path, default=None, help="print the table (and plot) of saved rows; no run")
    args = ap.parse_args()
    if args.from_json:
        rows = json.loads(args.from_json.read_text(encoding="utf-8"))
        print(table(rows))
        if args.plot and plot(rows, args.plot):
            print(f"plot: {args.plot}")
        return 0
    if not args.laws.is_dir():
        print(f"library not found at {args.laws}: skipped")
        return 0
    files = _laws_files(args.laws)
    if not files:
        print(f"no Markdown files under {args.laws}: skipped")
        return 0
    compile_engine()
    queries = QUERIES
    if args.queries:
        queries = " ".join(shlex.quote(q) for q in shlex.split(QUERIES)[: args.queries])
    work = Path(tempfile.mkdtemp(prefix="pd-scale-"))
    rows: list[dict] = []
    try:
        for share in sorted(args.points):
            row = measure(args.laws, files, share, work, queries)
            rows.append(row)
            print(json.dumps(row, ensure_ascii=False), flush=True)
            if args.json:
                args.json.write_text(json.dumps(rows, ensure_ascii=False, indent=1), encoding="utf-8")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print()
    print(table(rows))
    if args.plot and plot(rows, args.plot):
        print(f"plot: {args.plot}")
    return 0


if __name__ == "__main__":
    os.environ.setdefault("POLICYDESK_JIEBA_CACHE", tempfile.gettempdir())
    sys.exit(main())
