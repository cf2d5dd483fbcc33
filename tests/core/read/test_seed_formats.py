"""The seed plan as .docx and .pdf reads to the same tree and the same indicators as its Markdown."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from app.core.links.service import Linker
from app.core.models import Document
from app.core.read import read_file
from app.core.structure import parse_document

ROOT = Path(__file__).resolve().parents[3]
DATA = ROOT / "tests" / "data"


def _parsed(path: Path) -> tuple[Counter[str], list[str], Counter[tuple[float | None, str]]]:
    parsed = parse_document(read_file(path).text, "plan", kind="规划")
    levels = Counter(c.level for c in parsed.clauses)
    tasks = [c.heading for c in parsed.clauses if c.level == "task"]
    doc = Document(id="plan", title="美丽上海建设“十五五”规划（征求意见稿）", kind="规划")
    links = Linker(ROOT / "resources").link_document(doc, parsed.clauses)
    indicators = Counter((i.value, i.unit) for cl in links.values() for i in cl.indicators)
    return levels, tasks, indicators


@pytest.fixture(scope="module")
def markdown() -> tuple[Counter[str], list[str], Counter[tuple[float | None, str]]]:
    return _parsed(DATA / "plan.md")


@pytest.mark.parametrize("name", ["plan.docx", "plan.pdf"])
def test_same_tree_and_indicators_as_the_markdown(
    name: str, markdown: tuple[Counter[str], list[str], Counter[tuple[float | None, str]]]
) -> None:
    levels, tasks, indicators = _parsed(DATA / name)
    md_levels, md_tasks, md_indicators = markdown
    assert (md_levels["chapter"], md_levels["section"], md_levels["task"]) == (9, 28, 44)
    assert levels == md_levels
    assert tasks == md_tasks
    assert sum(md_indicators.values()) >= 36
    assert indicators == md_indicators
