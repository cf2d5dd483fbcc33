"""The files that make up the query-expansion lexicon, and how much each is trusted.

| file                       | what                                              | weight | where it matches   |
|----------------------------|---------------------------------------------------|--------|--------------------|
| `synonyms.json`            | the original hand-made dictionary                 | 1.0    | whole or contained |
| `lexicon/policy.json`      | curated policy lexicon (abbreviations, old/new    | 1.0    | whole or contained |
|                            | names, formulas, colloquial ↔ formal wording)     |        |                    |
| `lexicon/mined.json`       | 以下简称/所称…是指 pairs mined from the corpus      | 0.9    | whole term only    |
| `lexicon/cilin.json`       | HIT 同义词词林（扩展版） groups, library-filtered    | 0.5    | whole term only    |
| `lexicon/broader.json`     | a thing → the class it belongs to (PFAS → 新污染物, | 0.6    | whole term or one  |
|                            | 医疗废物 → 危险废物), from lists and articles       |        | of its jieba words |

All share the format of `synonyms.json` (`groups` of `terms`, `oneway` `from`→`to`, optional
`whole_only`); the lexicon files add `category` and `source`/`reason` to every entry. The weight scales
how strongly a synonym hit counts (the searcher already ranks any synonym below the term as typed).
The generated files come from `scripts/build_lexicon.py`; `policy.json` and `broader.json` are edited by
hand. A class is an inference, not a synonym: the notice says so (`Synonyms.classes_inside`).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

log = logging.getLogger("policydesk.search")


BROADER_WEIGHT = 0.6  # a class found for the term counts less than a synonym of it


@dataclass(frozen=True)
class LexiconSource:
    path: str  # relative to the resources folder
    weight: float
    whole_only: bool  # force every entry to whole-term matching
    required: bool = False  # warn when missing
    inferred: bool = False  # its targets are classes of the term (an inference the notice names), not synonyms


SOURCES: tuple[LexiconSource, ...] = (
    LexiconSource("synonyms.json", 1.0, False, required=True),
    LexiconSource("lexicon/policy.json", 1.0, False),
    LexiconSource("lexicon/mined.json", 0.9, True),
    LexiconSource("lexicon/cilin.json", 0.5, True),
    LexiconSource("lexicon/broader.json", BROADER_WEIGHT, True, inferred=True),
)


@dataclass(frozen=True)
class LoadedSource:
    data: Mapping[str, Any]
    weight: float
    whole_only: bool
    inferred: bool = False


def read_sources(resources_dir: str | Path, sources: tuple[LexiconSource, ...] = SOURCES) -> list[LoadedSource]:
    """The parsed lexicon files under `resources_dir`, in trust order; missing/unreadable ones skipped."""
    out: list[LoadedSource] = []
    for src in sources:
        path = Path(resources_dir) / src.path
        try:
            with open(path, encoding="utf-8") as f:
                data = json.load(f)
        except FileNotFoundError:
            if src.required:
                log.warning("synonym dictionary missing: %s", path)
            continue
        except (OSError, ValueError):
            log.exception("synonym dictionary unreadable: %s", path)
            continue
        if isinstance(data, dict):
            out.append(LoadedSource(data, src.weight, src.whole_only, src.inferred))
    return out
