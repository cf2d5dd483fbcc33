"""The CLI's JSON contracts, run in a subprocess against a real data dir."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

PLAN = "美丽上海建设十五五规划-征求意见稿"


def run_cli(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "app", *args, "--data-dir", str(data_dir)],
        capture_output=True, text=True, encoding="utf-8", timeout=300, check=False,
    )


def test_search_json_contract(built_library_dir: Path, tmp_path: Path) -> None:
    import shutil

    d = tmp_path / "d"
    shutil.copytree(built_library_dir, d)
    r = run_cli(d, "search", "双控制度", "--json")
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    assert set(out) >= {"query", "total", "hits"} and out["query"] == "双控制度"
    hit = out["hits"][0]
    assert set(hit) >= {"id", "doc_title", "path", "heading", "snippet", "score"}
    assert hit["heading"] == "健全碳排放双控制度体系。"
    assert hit["doc_title"] == "美丽上海建设“十五五”规划（征求意见稿）"


def test_clauses_json_contract_and_plan_counts(built_library_dir: Path, tmp_path: Path) -> None:
    import shutil

    d = tmp_path / "d"
    shutil.copytree(built_library_dir, d)
    r = run_cli(d, "clauses", "--doc", PLAN, "--json")
    assert r.returncode == 0, r.stderr
    rows = [json.loads(line) for line in r.stdout.splitlines()]
    for row in rows:
        assert set(row) >= {"id", "doc", "path", "number", "heading", "text", "departments", "indicators", "deadline"}
        assert set(row["doc"]) >= {"id", "title", "kind", "date", "status"}
        assert row["doc"]["kind"] == "规划" and row["doc"]["status"] == "征求意见稿"
    levels = [r["level"] for r in rows]
    assert (levels.count("chapter"), levels.count("section"), levels.count("task")) == (9, 28, 44)
    shown = run_cli(d, "show", rows[-1]["id"], "--json")
    assert json.loads(shown.stdout)["id"] == rows[-1]["id"]


def test_errors_are_chinese_messages_not_tracebacks(tmp_path: Path, built_library_dir: Path) -> None:
    import shutil

    d = tmp_path / "d"
    shutil.copytree(built_library_dir, d)
    r = run_cli(d, "show", "不存在/第一条")
    assert r.returncode == 1 and "找不到条款" in r.stderr and "Traceback" not in r.stderr
    r = run_cli(d, "index", str(tmp_path / "nope"))
    assert r.returncode == 1 and "找不到" in r.stderr


def test_index_adds_a_folder_incrementally(tmp_path: Path, built_library_dir: Path) -> None:
    import shutil

    d = tmp_path / "d"
    shutil.copytree(built_library_dir, d)
    extra = tmp_path / "notes"
    extra.mkdir()
    (extra / "会议纪要.txt").write_text("关于推进滨江绿道贯通的会议纪要。\n\n请各区落实甲乙丙丁专项。\n", encoding="gb18030")
    r = run_cli(d, "index", str(extra))
    assert r.returncode == 0, r.stderr
    assert "增量更新" in r.stdout
    out = json.loads(run_cli(d, "search", '"甲乙丙丁专项"', "--json").stdout)
    assert out["total"] == 1
    best = json.loads(run_cli(d, "search", "甲乙丙丁专项", "--json").stdout)  # best match: it comes first
    assert best["hits"][0]["id"] == out["hits"][0]["id"]


def test_an_unexpected_error_is_a_sentence_and_a_log_not_a_traceback(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    from app import cli

    def broken(lib: object, args: object) -> int:
        raise RuntimeError("boom")

    monkeypatch.setitem(cli.HANDLERS, "tasks", broken)
    assert cli.main(["tasks", "--data-dir", str(tmp_path)]) == 70
    err = capsys.readouterr().err
    assert "内部错误" in err and "Traceback" not in err
    log = (tmp_path / "logs" / "cli-errors.log").read_text(encoding="utf-8")
    assert "RuntimeError: boom" in log


def test_search_pages_with_offset(built_library_dir: Path, tmp_path: Path) -> None:
    import shutil

    d = tmp_path / "d"
    shutil.copytree(built_library_dir, d)
    whole = json.loads(run_cli(d, "search", "碳排放", "--limit", "10", "--json").stdout)
    assert whole["total"] > 10 and whole["offset"] == 0
    page = json.loads(run_cli(d, "search", "碳排放", "--limit", "5", "--offset", "5", "--json").stdout)
    assert page["offset"] == 5 and page["total"] == whole["total"]
    assert [h["id"] for h in page["hits"]] == [h["id"] for h in whole["hits"][5:10]]

    r = run_cli(d, "search", "碳排放", "--limit", "5", "--offset", "5")
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    assert lines[0].startswith(f"共 {whole['total']} 条结果，显示第 6–10 条（")
    numbered = [line for line in lines if line[:3].strip().isdigit()]
    assert [int(line[:3]) for line in numbered] == [6, 7, 8, 9, 10]
    assert f"[{whole['hits'][5]['id']}]" in numbered[0]
    assert lines[-1] == f"还有 {whole['total'] - 10} 条：加 --offset 10 查看"

    last = run_cli(d, "search", "碳排放", "--limit", "5", "--offset", str(whole["total"] - 2))
    tail = last.stdout.splitlines()
    assert tail[0].startswith(f"共 {whole['total']} 条结果，显示第 {whole['total'] - 1}–{whole['total']} 条")
    assert "还有" not in last.stdout
    beyond = run_cli(d, "search", "碳排放", "--offset", "100000")
    assert beyond.returncode == 0 and "没有更多结果" in beyond.stdout


def test_search_prints_suggestions_on_stderr(built_library_dir: Path, tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    import shutil

    from app import cli
    from app.core.library import Library
    from app.core.models import SearchResult

    d = tmp_path / "d"
    shutil.copytree(built_library_dir, d)
    seen: dict[str, object] = {}

    def fake(self: Library, query: str, **kw: object) -> SearchResult:
        seen.update(kw, query=query)
        return SearchResult(query=query, total=0, hits=(), suggestions=("碳达峰", "碳中和"))

    monkeypatch.setattr(Library, "search", fake)
    assert cli.main(["search", "碳达锋", "--offset", "3", "--data-dir", str(d)]) == 0
    out, err = capsys.readouterr()
    assert "您是不是要找：碳达峰、碳中和" in err and "您是不是要找" not in out
    assert seen["query"] == "碳达锋" and seen["offset"] == 3
    assert cli.main(["search", "碳达锋", "--json", "--data-dir", str(d)]) == 0
    assert json.loads(capsys.readouterr().out)["suggestions"] == ["碳达峰", "碳中和"]
