"""Speed and scale on the full regulation library, against a baseline built in the same run.

    .venv/bin/python benchmarks/bench_library.py [--laws DIR] [--sample N] [--skip-baseline] [--keep DATA_DIR]

Ours: `policydesk index DIR` into a fresh data dir (cold build: read, parse, link, store, index),
then the incremental add of one law, the open time of a new process (open + first search), and
search latency over >= 50 queries with top-10 snippets. Baseline: whoosh with jieba's stock
`ChineseAnalyzer` over the same clauses, one process, stored body, highlights from whoosh.
Each step runs in a child process. Memory, two ways: build_rss_mb sums the peak RSS of the process
and of every worker it ever started (reader and index-writer processes; workers that never ran at the
same time, and pages forked workers share, are counted again); build_rss_now_mb is the largest total RSS
of the process and its live workers at one moment (shared pages still counted in each); build_pss_mb is the largest total PSS
(proportional set size: shared pages split between the processes sharing them) of the process and its
live workers at one moment, sampled every 0.1 s — what the machine must hold. Prints figures and
ratios; skips cleanly when the library is not there (it lives in ../shared, outside the repo).
The engine is compiled to bytecode first, as an installed app is (`compile_engine`).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_LAWS = ROOT.parent / "shared" / "corpus" / "laws"
QUERIES = (
    "双控制度 垃圾分类 无废城市 大气污染 机动车 排污许可 噪声 危险废物 饮用水 河道 绿化 公园 建筑节能 生态补偿 碳排放 湿地 "
    "野生动物 森林 海洋 长江 核安全 放射性 环境影响评价 清洁生产 循环经济 节约能源 可再生能源 光伏 风电 污水处理 雨污混接 扬尘 "
    "餐饮油烟 VOCs 臭氧 土壤污染 地下水 固体废物 生活垃圾 建筑垃圾 医疗废物 化学品 应急预案 执法 罚款 信用 信息公开 监测 "
    "标准 '机动车 排放' '生态环境 主管部门' '\"污染防治\"' 限期治理 按日连续处罚"
)


# A process's own peak plus the peaks of its worker processes (the index writer's), sampled from /proc while
# they live and summed: what the machine must hold. Without /proc: the largest single process.
PRELUDE = r"""
import os as _os, resource as _r, threading as _th, time as _t
_PEAKS = {}
def _kids():
    me = str(_os.getpid())
    out = []
    try:
        names = _os.listdir("/proc")
    except OSError:
        return out
    for p in names:
        if p.isdigit():
            try:
                with open(f"/proc/{p}/stat") as f:
                    if f.read().rsplit(")", 1)[1].split()[1] == me:
                        out.append(p)
            except (OSError, IndexError):
                pass
    return out
def _hwm(pid):
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        return None
_PSS = [0.0]  # the largest total PSS of this process and its workers seen at one moment
_RSS_NOW = [0.0]  # the largest total RSS of the same, at one moment (shared pages counted in each process)
def _pss(pid):  # (RSS, PSS) of a process in MB
    out = [0.0, 0.0]
    try:
        with open(f"/proc/{pid}/smaps_rollup") as f:
            for line in f:
                if line.startswith("Rss:"):
                    out[0] = int(line.split()[1]) / 1024
                elif line.startswith("Pss:"):
                    out[1] = int(line.split()[1]) / 1024
    except OSError:
        pass
    return out
def _sample():
    me = str(_os.getpid())
    while True:
        kids = _kids()
        for k in kids:
            h = _hwm(k)
            if h:
                _PEAKS[k] = max(_PEAKS.get(k, 0.0), h)
        now = [_pss(p) for p in (me, *kids)]
        _PSS[0] = max(_PSS[0], sum(p for _, p in now))
        _RSS_NOW[0] = max(_RSS_NOW[0], sum(r for r, _ in now))
        _t.sleep(0.1)
if _os.path.isdir("/proc"):
    _th.Thread(target=_sample, daemon=True).start()
def _pss_peak():
    return _PSS[0]
def _rss_now_peak():
    return _RSS_NOW[0]
def _rss():
    own = _r.getrusage(_r.RUSAGE_SELF).ru_maxrss / 1024
    if _PEAKS:
        return own + sum(_PEAKS.values())
    return max(own, _r.getrusage(_r.RUSAGE_CHILDREN).ru_maxrss / 1024)
"""


def _child(code: str, *args: str) -> dict:
    """Run `code` in a fresh interpreter; it prints one JSON object last (with its peak RSS as rss_mb)."""
    out = subprocess.run([sys.executable, "-c", PRELUDE + code, *args], capture_output=True, text=True, cwd=ROOT,
                         check=True)
    data: dict = json.loads(out.stdout.strip().splitlines()[-1])
    data["peak_rss_mb"] = round(data.pop("rss_mb", 0.0), 1)
    return data


def compile_engine() -> None:
    """Compile the engine's modules to bytecode (app/**/__pycache__, ignored by git), as an installed app has
    them (pip compiles on install; the PyInstaller bundle holds .pyc). Where PYTHONDONTWRITEBYTECODE is set,
    as on the development machines, every new process would otherwise compile all of app/ from source
    (~0.07 s of its open time), while the baseline's modules, all in site-packages, come compiled."""
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "app")], check=True,
                   stdout=subprocess.DEVNULL)
    print("engine bytecode compiled (python -m compileall app), as installed")


def _size_mb(path: Path) -> float:
    return round(sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) / 2**20, 1)


OURS_BUILD = """
import json, sys, time
from pathlib import Path
from app.core.library import Library
from app.core.paths import AppPaths
lib = Library(AppPaths.resolve(sys.argv[1]))
t = time.perf_counter()
r = lib.index([Path(sys.argv[2])])
print(json.dumps({"seconds": time.perf_counter() - t, "documents": r.documents, "clauses": r.clauses, "rss_mb": _rss(),
                  "pss_mb": _pss_peak(), "rss_now_mb": _rss_now_peak()}))
"""

OURS_ADD = """
import json, sys, time
from pathlib import Path
from app.core.library import Library
from app.core.paths import AppPaths
lib = Library(AppPaths.resolve(sys.argv[1]))
t = time.perf_counter()
r = lib.index([Path(sys.argv[2])])
print(json.dumps({"seconds": time.perf_counter() - t, "full": r.full_rebuild}))
"""

OURS_SEARCH = """
import json, shlex, statistics, sys, time
t0 = time.perf_counter()
from app.core.library import Library
from app.core.paths import AppPaths
lib = Library(AppPaths.resolve(sys.argv[1]))
lib.search("碳达峰")
open_s = time.perf_counter() - t0
times = []
for q in shlex.split(sys.argv[2]):
    t = time.perf_counter(); lib.search(q, limit=10); times.append((time.perf_counter() - t) * 1000)
times.sort()
print(json.dumps({"open_s": open_s, "n": len(times), "p50_ms": times[len(times) // 2],
                  "p95_ms": times[int(len(times) * 0.95)], "max_ms": times[-1]}))
"""

BASE_BUILD = """
import json, sqlite3, sys, time
from jieba.analyse import ChineseAnalyzer
from whoosh import index
from whoosh.fields import ID, TEXT, Schema
rows = sqlite3.connect(sys.argv[2]).execute("SELECT id, text FROM clauses WHERE trim(text) != ''").fetchall()
t = time.perf_counter()
ix = index.create_in(sys.argv[1], Schema(id=ID(stored=True, unique=True), body=TEXT(analyzer=ChineseAnalyzer(), stored=True)))
w = ix.writer()
for cid, text in rows:
    w.add_document(id=cid, body=text)
w.commit()
print(json.dumps({"seconds": time.perf_counter() - t, "docs": len(rows), "rss_mb": _rss(), "pss_mb": _pss_peak(),
                  "rss_now_mb": _rss_now_peak()}))
"""

BASE_SEARCH = """
import json, shlex, sys, time
t0 = time.perf_counter()
from whoosh import index
from whoosh.qparser import QueryParser, AndGroup
ix = index.open_dir(sys.argv[1])
s = ix.searcher()
qp = QueryParser("body", ix.schema, group=AndGroup)
[h.highlights("body") for h in s.search(qp.parse("碳达峰"), limit=10)]
open_s = time.perf_counter() - t0
times = []
for q in shlex.split(sys.argv[2]):
    t = time.perf_counter()
    [h.highlights("body") for h in s.search(qp.parse(q), limit=10)]
    times.append((time.perf_counter() - t) * 1000)
times.sort()
print(json.dumps({"open_s": open_s, "n": len(times), "p50_ms": times[len(times) // 2],
                  "p95_ms": times[int(len(times) * 0.95)], "max_ms": times[-1]}))
"""


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--laws", type=Path, default=DEFAULT_LAWS)
    ap.add_argument("--sample", type=int, default=0, help="only the first N files (quick runs)")
    ap.add_argument("--skip-baseline", action="store_true")
    ap.add_argument("--keep", type=Path, help="build our library in this (new) data dir and keep it, for profiling")
    args = ap.parse_args()
    if not args.laws.is_dir():
        print(f"library not found at {args.laws}: skipped")
        return 0
    compile_engine()
    work = Path(tempfile.mkdtemp(prefix="pd-bench-"))
    try:
        laws = args.laws
        if args.sample:
            laws = work / "sample"
            files = sorted(p for p in args.laws.rglob("*.md") if not p.name.startswith("_"))[: args.sample]
            for f in files:
                dest = laws / f.relative_to(args.laws)
                dest.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(f, dest)
        data = args.keep or work / "ours"
        if data.exists() and any(data.iterdir()):
            ap.error(f"--keep {data}: the folder is not empty (the build must be cold)")
        build = _child(OURS_BUILD, str(data), str(laws))
        one = work / "one-law"
        one.mkdir()
        (one / "某市测试条例(2030-01-01).md").write_text(
            "# 某市测试条例\n\n<!-- INFO END -->\n\n第一条 为了测试增量索引，制定本条例。\n\n第二条 本条例自公布之日起施行。\n",
            encoding="utf-8")
        add = _child(OURS_ADD, str(data), str(one))
        search = _child(OURS_SEARCH, str(data), QUERIES)
        ours = {"build_s": build["seconds"], "build_rss_mb": build["peak_rss_mb"], "build_pss_mb": build.get("pss_mb", 0.0),
                "build_rss_now_mb": build.get("rss_now_mb", 0.0),
                "add_one_s": add["seconds"],
                "index_mb": _size_mb(data / "index" / "search"), "db_mb": _size_mb(data / "index") - _size_mb(data / "index" / "search"),
                **{k: search[k] for k in ("open_s", "p50_ms", "p95_ms", "max_ms", "n")}}
        print(f"ours: {build['documents']} documents, {build['clauses']} clauses")
        base: dict[str, float] = {}
        if not args.skip_baseline:
            bdir = work / "baseline"
            bdir.mkdir()
            bb = _child(BASE_BUILD, str(bdir), str(data / "index" / "library.db"))
            bs = _child(BASE_SEARCH, str(bdir), QUERIES)
            base = {"build_s": bb["seconds"], "build_rss_mb": bb["peak_rss_mb"], "build_pss_mb": bb.get("pss_mb", 0.0),
                    "build_rss_now_mb": bb.get("rss_now_mb", 0.0),
                    "index_mb": _size_mb(bdir),
                    **{k: bs[k] for k in ("open_s", "p50_ms", "p95_ms", "max_ms")}}
        # Issue #15's targets (build also <= 0.35x the baseline's, p95 also <= the baseline's). Its memory target,
        # "peak RSS (parent plus workers, summed)", is the peak of the summed RSS (build_rss_now_mb); the sum of
        # each process's own peak (build_rss_mb) adds peaks that never coincide and is printed as a bound.
        targets = {"build_s": 60, "build_rss_now_mb": 1200, "build_pss_mb": 1200, "open_s": 0.6,
                   "p50_ms": 10, "p95_ms": 30}
        print(f"{'figure':<18}{'ours':>10}{'baseline':>10}{'ratio':>8}{'target':>8}")
        for key in ("build_s", "build_rss_mb", "build_rss_now_mb", "build_pss_mb", "index_mb", "db_mb", "add_one_s", "open_s", "p50_ms", "p95_ms", "max_ms"):
            o, b = ours.get(key), base.get(key)
            ratio = f"{o / b:.2f}" if o and b else ""
            print(f"{key:<18}{o:>10.2f}{(b if b is not None else float('nan')):>10.2f}{ratio:>8}{targets.get(key, ''):>8}")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    os.environ.setdefault("POLICYDESK_JIEBA_CACHE", tempfile.gettempdir())
    sys.exit(main())
