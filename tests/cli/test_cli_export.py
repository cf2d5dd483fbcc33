"""`policydesk export`: in-process through main(argv), and once as a subprocess (the real entry point)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from app.cli import main

PLAN = "美丽上海建设十五五规划-征求意见稿"
TASK = f"{PLAN}/四/（二）/3"


@pytest.fixture
def data_dir(built_library_dir: Path, tmp_path: Path) -> Path:
    d = tmp_path / "data"
    shutil.copytree(built_library_dir, d)
    return d


def test_export_formats_inferred_from_suffix(data_dir: Path, tmp_path: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out"
    out.mkdir()
    assert main(["export", "--clauses", TASK, f"{PLAN}/一", "--out", str(out / "摘编.md"),
                 "--data-dir", str(data_dir)]) == 0
    printed = capsys.readouterr().out
    assert "已导出 2 条" in printed and str(out / "摘编.md") in printed
    md = (out / "摘编.md").read_text(encoding="utf-8")
    assert "四、（二）“" in md and "四、（二）3." not in md

    assert main(["export", "--format", "html", "--query", "双控制度", "--excerpt", "--out", str(out / "q"),
                 "--data-dir", str(data_dir)]) == 0
    assert (out / "q.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")

    assert main(["export", "--indicators", "--plain", "--out", str(out / "指标.docx"), "--data-dir", str(data_dir)]) == 0
    assert main(["export", "--doc", PLAN, "--out", str(out / "规划.xlsx"), "--data-dir", str(data_dir)]) == 0
    tasks = tmp_path / "tasks.json"
    tasks.write_text(json.dumps([{"clause_id": TASK, "status": "进行中", "note": "<script>x</script>"}],
                                ensure_ascii=False), encoding="utf-8")
    assert main(["export", "--tasks", str(tasks), "--out", str(out / "任务.md"), "--data-dir", str(data_dir)]) == 0
    assert "&lt;script&gt;" in (out / "任务.md").read_text(encoding="utf-8")
    # Not overwriting by default: the second export of the same name gets (2).
    assert main(["export", "--clauses", TASK, "--out", str(out / "摘编.md"), "--data-dir", str(data_dir)]) == 0
    assert (out / "摘编(2).md").exists()
    assert main(["export", "--clauses", TASK, "--out", str(out / "摘编.md"), "--overwrite",
                 "--data-dir", str(data_dir)]) == 0
    assert not (out / "摘编(3).md").exists()


def test_export_errors_are_chinese_messages(data_dir: Path, tmp_path: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["export", "--clauses", "没有/这条", "--out", str(tmp_path / "x.md"),
                 "--data-dir", str(data_dir)]) == 1
    assert "找不到条款" in capsys.readouterr().err
    assert main(["export", "--indicators", "--out", str(tmp_path / "x.txt"), "--data-dir", str(data_dir)]) == 1
    assert "不支持的导出格式" in capsys.readouterr().err
    assert main(["export", "--tasks", "--out", str(tmp_path / "x.md"), "--data-dir", str(data_dir)]) == 1
    assert "任务" in capsys.readouterr().err
    assert main(["export", "--indicators", "--out", str(tmp_path / "nope" / "x.md"),
                 "--data-dir", str(data_dir)]) == 1
    assert "目标文件夹不存在" in capsys.readouterr().err


def test_export_subprocess_department_docx(data_dir: Path, tmp_path: Path) -> None:
    target = tmp_path / "CON.docx"
    r = subprocess.run(
        [sys.executable, "-m", "app", "export", "--department", "市生态环境局", "--role", "lead",
         "--out", str(target), "--data-dir", str(data_dir)],
        capture_output=True, text=True, encoding="utf-8", timeout=300, check=False,
    )
    assert r.returncode == 0, r.stderr
    assert "Traceback" not in r.stderr
    written = tmp_path / "_CON.docx"
    assert str(written) in r.stdout and written.exists() and not target.exists()
    from docx import Document

    assert Document(str(written)).paragraphs[0].text == "市生态环境局牵头条款"
