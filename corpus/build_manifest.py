#!/usr/bin/env python3
"""Rebuild the shipped PolicyDesk corpus (copies + manifest.json).

Usage::

    python corpus/build_manifest.py /work/shared [--out corpus]

``/work/shared`` must contain ``seed/`` (the plan) and ``corpus/laws/`` (the law
library).  The selection below is the single source of truth: every chosen
regulation is listed by its path relative to the shared root.  The script copies
each file byte-for-byte into ``<out>/laws/`` (the plan into ``<out>/plan/``),
removes stale ``.md`` copies that are no longer selected, and writes
``<out>/manifest.json``.  It also scans the whole library and warns if a newer
version of a chosen document (same ``# title``) exists.  Standard library only.
"""
from __future__ import annotations

import argparse
import json
import re
import shutil
import sys
from pathlib import Path

PLAN_SOURCE = "seed/美丽上海建设十五五规划-征求意见稿.md"
PLAN_ENTRY = {
    "title": "美丽上海建设“十五五”规划（征求意见稿）",
    "kind": "规划",
    "issuer": "上海市人民政府",
    "date": None,
    "status": "征求意见稿",
    "horizon": [2026, 2030],
}

SH = "corpus/laws/DLC/上海地方法规/地方性法规/上海/"
LAWS = "corpus/laws/"

SELECTED = [
    # ---- 上海市地方性法规 ----
    SH + "上海市大气污染防治条例(2018-12-20).md",
    SH + "上海市环境保护条例(2021-11-25).md",
    SH + "上海市生活垃圾管理条例(2019-01-31).md",
    SH + "上海市商品包装物减量若干规定.md",
    SH + "上海市市容环境卫生管理条例(2018-12-20).md",
    SH + "上海市饮用水水源保护条例(2018-12-20).md",
    SH + "上海市排水与污水处理条例(2019-12-19).md",
    SH + "上海市河道管理条例(2018-12-20).md",
    SH + "上海市水资源管理若干规定(2017-11-23).md",
    SH + "上海市供水管理条例(2018-12-20).md",
    SH + "上海市防汛条例(2021-11-25).md",
    SH + "上海市滩涂管理条例.md",
    SH + "上海市地面沉降防治管理条例(2013-04-17).md",
    SH + "上海市绿化条例(2018-12-20).md",
    SH + "上海市公园管理条例(2017-11-23).md",
    SH + "上海市古树名木和古树后续资源保护条例(2017-11-23).md",
    SH + "上海市绿色建筑条例(2024-09-27).md",
    SH + "上海市节约能源条例(2009-04-23).md",
    SH + "上海市建筑节能条例(2010-09-17).md",
    SH + "上海市黄浦江苏州河滨水公共空间条例(2021-11-25).md",
    SH + "上海市促进长三角生态绿色一体化发展示范区高质量发展条例(2024-09-27).md",
    SH + "上海市人民代表大会常务委员会关于促进和保障长三角生态绿色一体化发展示范区建设若干问题的决定(2020-09-25).md",
    SH + "上海市中华鲟保护管理条例(2020-05-14).md",
    SH + "上海市气象条例(2024-09-27).md",
    # ---- 法律 ----
    LAWS + "行政法/环境保护法(2014-04-24).md",
    LAWS + "行政法/大气污染防治法(2018-10-26).md",
    LAWS + "行政法/水污染防治法(2017-06-27).md",
    LAWS + "行政法/土壤污染防治法(2018-08-31).md",
    LAWS + "行政法/固体废物污染环境防治法(2020-04-29).md",
    LAWS + "行政法/噪声污染防治法(2021-12-24).md",
    LAWS + "行政法/海洋环境保护法(2023-10-24).md",
    LAWS + "行政法/海岛保护法(2009-12-26).md",
    LAWS + "行政法/生物安全法(2024-04-26).md",
    LAWS + "行政法/核安全法(2017-09-01).md",
    LAWS + "行政法/放射性污染防治法(2003-06-28).md",
    LAWS + "行政法/环境影响评价法(2018-12-29).md",
    LAWS + "行政法/能源法(2024-11-08).md",
    LAWS + "经济法/长江保护法(2020-12-26).md",
    LAWS + "经济法/湿地保护法(2021-12-24).md",
    LAWS + "经济法/野生动物保护法(2022-12-30).md",
    LAWS + "经济法/森林法(2019-12-28).md",
    LAWS + "经济法/环境保护税法(2018-10-26).md",
    LAWS + "经济法/清洁生产促进法(2012-02-29).md",
    LAWS + "经济法/循环经济促进法(2018-10-26).md",
    LAWS + "经济法/节约能源法(2018-10-26).md",
    LAWS + "经济法/可再生能源法(2009-12-26).md",
    LAWS + "经济法/水法(2016-07-02).md",
    LAWS + "经济法/防洪法(2016-07-02).md",
    # ---- 行政法规 ----
    LAWS + "行政法规/排污许可管理条例(2021-01-24).md",
    LAWS + "行政法规/碳排放权交易管理暂行条例(2024-01-25).md",
    LAWS + "行政法规/生态保护补偿条例(2024-04-06).md",
    LAWS + "行政法规/环境保护税法实施条例(2017-12-25).md",
    LAWS + "行政法规/建设项目环境保护管理条例(2017-07-16).md",
    LAWS + "行政法规/规划环境影响评价条例(2009-08-17).md",
    LAWS + "行政法规/城镇排水与污水处理条例(2013-10-02).md",
    LAWS + "行政法规/地下水管理条例(2021-10-21).md",
    LAWS + "行政法规/危险化学品安全管理条例(2013-12-07).md",
    LAWS + "行政法规/医疗废物管理条例(2011-01-08).md",
    LAWS + "行政法规/危险废物经营许可证管理办法(2016-02-06).md",
    LAWS + "行政法规/废弃电器电子产品回收处理管理条例(2019-03-02).md",
    LAWS + "行政法规/放射性废物安全管理条例(2011-12-20).md",
    LAWS + "行政法规/放射性同位素与射线装置安全和防护条例(2019-03-02).md",
    LAWS + "行政法规/消耗臭氧层物质管理条例(2023-12-29).md",
    LAWS + "行政法规/自然保护区条例(2017-10-07).md",
    LAWS + "行政法规/民用建筑节能条例(2008-08-01).md",
    LAWS + "行政法规/防治船舶污染海洋环境管理条例(2018-03-09).md",
    LAWS + "行政法规/防治陆源污染物污染损害海洋环境管理条例(1990-06-21).md",
    # ---- 司法解释 ----
    LAWS + "司法解释/最高人民法院关于审理生态环境损害赔偿案件的若干规定（试行）(2020-12-29).md",
]

MISSING = [
    {"title": "碳排放权交易管理办法（试行）",
     "reason": "部门规章（生态环境部令第19号）；库中部门规章仅收人社部、公安部、国家安全部、市场监管总局的规章，未收录生态环境部规章。"},
    {"title": "环境信息依法披露管理办法",
     "reason": "生态环境部部门规章，库中未收录生态环境部规章（可选项）。"},
    {"title": "突发环境事件应急管理办法",
     "reason": "原环境保护部部门规章，库中未收录（可选项）。"},
]

ABOUT = ("《美丽上海建设“十五五”规划（征求意见稿）》及与其任务直接相关的现行有效上海市地方性法规、"
         "国家法律、行政法规和司法解释的离线语料，供检索与引用。")

KIND_ORDER = ["规划", "地方性法规", "法律", "行政法规", "部门规章", "司法解释"]
LAW_FOLDERS = {"宪法", "宪法相关法", "行政法", "经济法", "社会法", "民法商法", "民法典",
               "刑法", "诉讼与非诉讼程序法"}

DATE_IN_NAME = re.compile(r"\((\d{4}-\d{2}-\d{2})\)$")
HISTORY_LINE = re.compile(r"^\s*(\d{4})年(\d{1,2})月(\d{1,2})日")


def read_head(path: Path) -> tuple[str, list[str]]:
    """Return the ``# title`` and the history lines before ``<!-- INFO END -->``."""
    title, history = "", []
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            line = line.rstrip("\n")
            if not title:
                if line.startswith("# "):
                    title = line[2:].strip()
                continue
            if line.strip().startswith("<!-- INFO END"):
                break
            if HISTORY_LINE.match(line):
                history.append(line.strip())
    return title, history


def history_date(line: str) -> str:
    y, m, d = HISTORY_LINE.match(line).groups()
    return f"{int(y):04d}-{int(m):02d}-{int(d):02d}"


def version_date(path: Path, history: list[str]) -> str | None:
    m = DATE_IN_NAME.search(path.stem)
    if m:
        return m.group(1)
    dates = [history_date(h) for h in history]
    return max(dates) if dates else None


def kind_of(rel: str) -> str:
    parts = Path(rel).parts  # corpus/laws/<folder>/...
    folder = parts[2]
    if folder == "DLC":
        return "地方性法规"
    if folder in LAW_FOLDERS:
        return "法律"
    if folder in ("行政法规", "部门规章", "司法解释"):
        return folder
    raise ValueError(f"cannot classify {rel}")


def issuer_of(rel: str, kind: str, history: list[str]) -> str:
    first = history[0] if history else ""
    if kind == "法律":
        if "全国人民代表大会" in first and "常务委员会" not in first:
            return "全国人民代表大会"
        return "全国人民代表大会常务委员会"
    if kind == "行政法规":
        return "国务院"
    if kind == "部门规章":
        parts = Path(rel).parts
        return parts[3] if len(parts) > 4 else "国务院部门"
    if kind == "司法解释":
        title = Path(rel).stem
        if title.startswith("最高人民法院、最高人民检察院"):
            return "最高人民法院、最高人民检察院"
        return "最高人民检察院" if title.startswith("最高人民检察院") else "最高人民法院"
    # 地方性法规 (Shanghai)
    if "上海市" in first and "人民代表大会" in first and "常务委员会" not in first:
        return "上海市人民代表大会"
    return "上海市人民代表大会常务委员会"


def newer_versions(root: Path, chosen: dict[str, tuple[str, str | None]]) -> list[str]:
    """Warn when the library holds a newer file with the same title as a chosen one."""
    warnings = []
    by_title = {title: (rel, date) for rel, (title, date) in chosen.items()}
    for p in (root / "corpus" / "laws").rglob("*.md"):
        if p.name == "_index.md" or "案例" in p.parts:
            continue
        rel = p.relative_to(root).as_posix()
        if rel in chosen:
            continue
        title, history = read_head(p)
        if title not in by_title:
            continue
        crel, cdate = by_title[title]
        date = version_date(p, history)
        if date and (cdate is None or date > cdate):
            warnings.append(f"newer version of {title}: {rel} ({date}) > {crel} ({cdate})")
    return warnings


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("shared", type=Path, help="shared root holding seed/ and corpus/laws/")
    ap.add_argument("--out", type=Path, default=Path(__file__).resolve().parent,
                    help="output corpus folder (default: the folder of this script)")
    args = ap.parse_args(argv)
    root, out = args.shared.resolve(), args.out.resolve()

    # plan
    (out / "plan").mkdir(parents=True, exist_ok=True)
    plan_src = root / PLAN_SOURCE
    plan_name = Path(PLAN_SOURCE).name
    shutil.copyfile(plan_src, out / "plan" / plan_name)
    docs = [{"id": Path(plan_name).stem, "file": f"plan/{plan_name}", **PLAN_ENTRY,
             "source": PLAN_SOURCE}]
    docs[0] = {k: docs[0][k] for k in
               ("id", "file", "title", "kind", "issuer", "date", "status", "source", "horizon")}

    # laws
    laws_out = out / "laws"
    laws_out.mkdir(parents=True, exist_ok=True)
    names = [Path(r).name for r in SELECTED]
    dupes = {n for n in names if names.count(n) > 1}
    if dupes:
        raise SystemExit(f"duplicate file names in selection: {sorted(dupes)}")
    for stale in laws_out.glob("*.md"):
        if stale.name not in names:
            stale.unlink()

    chosen: dict[str, tuple[str, str | None]] = {}
    entries = []
    for rel in SELECTED:
        src = root / rel
        title, history = read_head(src)
        if not title:
            raise SystemExit(f"no '# ' title line in {rel}")
        kind = kind_of(rel)
        date = version_date(src, history)
        chosen[rel] = (title, date)
        shutil.copyfile(src, laws_out / src.name)
        entries.append({
            "id": src.stem,
            "file": f"laws/{src.name}",
            "title": title,
            "kind": kind,
            "issuer": issuer_of(rel, kind, history),
            "date": date,
            "status": "现行有效",
            "source": rel,
        })
    entries.sort(key=lambda e: (KIND_ORDER.index(e["kind"]), e["title"]))
    docs.extend(entries)

    for w in newer_versions(root, chosen):
        print("WARNING:", w, file=sys.stderr)

    manifest = {"version": 1, "about": ABOUT, "documents": docs, "missing": MISSING}
    (out / "manifest.json").write_text(
        json.dumps(manifest, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    counts: dict[str, int] = {}
    for d in docs:
        counts[d["kind"]] = counts.get(d["kind"], 0) + 1
    print(f"{len(docs)} documents: " + ", ".join(f"{k} {counts[k]}" for k in KIND_ORDER if k in counts))
    return 0


if __name__ == "__main__":
    sys.exit(main())
