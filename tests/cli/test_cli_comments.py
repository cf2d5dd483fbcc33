"""`policydesk comments`, `policydesk comment …` and `policydesk export --comments`, against a temp data dir
holding the built library: in-process through `app.cli.main`, and once in a subprocess."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from docx import Document
from openpyxl import load_workbook

from app.cli import main
from app.core.export.feedback import HEADERS

PLAN = "美丽上海建设十五五规划-征求意见稿"
WASTE = "上海市生活垃圾管理条例(2019-01-31)"
QUOTE = "全面淘汰国四柴油货车"


def _run(capsys: pytest.CaptureFixture[str], data: Path, *args: str) -> tuple[int, str, str]:
    code = main([*args, "--data-dir", str(data)])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_add_list_edit_delete_restore(library_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    d = library_dir
    code, out, _ = _run(capsys, d, "comments")
    assert code == 0 and "还没有意见" in out
    code, out, _ = _run(capsys, d, "comment", "defaults", "--unit", "市生态环境局", "--contact", "张三",
                        "--phone", "021-12345678")
    assert code == 0 and out.strip() == "已设置意见的默认填报信息：提出单位 市生态环境局，联系人 张三，联系电话 021-12345678"
    code, out, _ = _run(capsys, d, "comment", "add", f"{PLAN}/四/（一）/1", "--opinion", "建议明确时限。\\n第二行",
                        "--reason", "便于考核。", "--quote", QUOTE, "--json")
    assert code == 0
    added = json.loads(out)
    assert (added["proposal"], added["quote"], added["kind"], added["unit"]) == (
        "建议明确时限。\n第二行", QUOTE, "modify", "市生态环境局")
    assert added["position"] == "四、（一）“加强移动源清洁化攻坚”"
    code, out, _ = _run(capsys, d, "comment", "add", f"{PLAN}/二/（一）", "--kind", "删除", "--reason", "与后文重复",
                        "--cite", f"{WASTE}/第十条")
    assert code == 0 and out.startswith("已添加意见（《美丽上海建设“十五五”规划（征求意见稿）》）：")
    assert "二、（一）构建各美其美、美美与共的美丽建设新格局  【删除】" in out
    assert "依据：《上海市生活垃圾管理条例》第十条" in out
    second = out.strip().splitlines()[-1].split()[0]
    code, out, _ = _run(capsys, d, "comments")
    assert code == 0 and out.startswith("共 2 条意见")
    assert out.index("二、（一）") < out.index("四、（一）")  # document order
    assert f"原文：{QUOTE}" in out and "提出：市生态环境局，张三，021-12345678" in out
    code, out, _ = _run(capsys, d, "comments", "--kind", "删除", "--json")
    assert [c["id"] for c in json.loads(out)] == [second]
    code, out, _ = _run(capsys, d, "comment", "edit", second[:8], "--kind", "修改", "--opinion", "改为精简表述",
                        "--cite", "")
    assert code == 0 and out.startswith("已修改意见") and "【修改】" in out and "依据" not in out
    code, out, _ = _run(capsys, d, "comment", "delete", second)
    assert code == 0 and out.startswith(f"已删除意见 {second}") and "restore" in out
    code, out, _ = _run(capsys, d, "comments", "--json")
    assert [c["id"] for c in json.loads(out)] == [added["id"]]
    code, out, _ = _run(capsys, d, "comments", "--deleted")
    assert "共 1 条已删除的意见" in out
    code, out, _ = _run(capsys, d, "comment", "restore", second[:6])
    assert code == 0 and out.startswith("已恢复意见")
    # mistakes are Chinese sentences, nothing is written
    code, _, err = _run(capsys, d, "comment", "add", f"{PLAN}/一", "--opinion", "x", "--quote", "不在原文中的话")
    assert code == 1 and "所选原文不在该条款中" in err
    code, _, err = _run(capsys, d, "comment", "add", "没有/这条", "--opinion", "x")
    assert code == 1 and "找不到条款" in err
    code, _, err = _run(capsys, d, "comment", "add", f"{PLAN}/一", "--reason", "只有理由")
    assert code == 1 and "修改意见不能为空" in err
    code, _, err = _run(capsys, d, "comment", "edit", "nope-nope", "--reason", "x")
    assert code == 1 and "找不到意见" in err
    code, _, err = _run(capsys, d, "comment", "edit", added["id"])
    assert code == 1 and "没有要修改的内容" in err
    code, out, _ = _run(capsys, d, "comments", "--json")
    assert len(json.loads(out)) == 2


def test_export_comments_docx_and_xlsx(library_dir: Path, tmp_path: Path,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    d = library_dir
    assert _run(capsys, d, "comment", "add", f"{PLAN}/四/（一）/1", "--opinion", "建议明确时限。", "--quote", QUOTE)[0] == 0
    assert _run(capsys, d, "comment", "add", f"{PLAN}/三/（一）/1", "--opinion", "补充表述。", "--kind", "补充")[0] == 0
    assert _run(capsys, d, "comment", "add", f"{WASTE}/第十二条", "--opinion", "建议细化。")[0] == 0
    code, out, _ = _run(capsys, d, "export", "--comments", "--doc", PLAN, "--out", str(tmp_path / "反馈表.docx"))
    assert code == 0 and out.strip() == f"已导出意见反馈表，2 条意见：{tmp_path / '反馈表.docx'}"
    table = Document(str(tmp_path / "反馈表.docx")).tables[0]
    assert tuple(c.text for c in table.rows[0].cells) == HEADERS
    assert [r.cells[1].text for r in table.rows[1:]] == ["三、（一）“健全碳排放双控制度体系”", "四、（一）“加强移动源清洁化攻坚”"]
    assert table.rows[2].cells[2].text == QUOTE
    code, out, err = _run(capsys, d, "export", "--comments", "--whole-clause", "--format", "xlsx",
                          "--out", str(tmp_path / "全部"))
    assert code == 0 and "3 条意见" in out and "2 个文件" in err
    wb = load_workbook(tmp_path / "全部.xlsx")
    assert len(wb.worksheets) == 2 and wb.worksheets[0].cell(row=5, column=3).value.startswith("加强移动源清洁化攻坚")
    code, _, err = _run(capsys, d, "export", "--comments", "--out", str(tmp_path / "x.md"))
    assert code == 1 and "只能导出为" in err


def test_export_argument_checks_in_a_real_process(library_dir: Path, tmp_path: Path) -> None:
    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "app", *args, "--data-dir", str(library_dir)],
                              capture_output=True, text=True, encoding="utf-8", timeout=300, check=False)

    r = run("export", "--comments", "--query", "碳", "--out", str(tmp_path / "x.docx"))
    assert r.returncode == 2 and "不能与参数 --query 同时使用" in r.stderr
    r = run("export", "--comments", "--format", "pdf", "--out", str(tmp_path / "x.pdf"))
    assert r.returncode == 2 and "只能导出为 docx 或 xlsx" in r.stderr
    r = run("export", "--doc", PLAN, "--whole-clause", "--out", str(tmp_path / "x.docx"))
    assert r.returncode == 2 and "--whole-clause 只能与 --comments 同用" in r.stderr
    r = run("export", "--comments", "--out", str(tmp_path / "x.docx"))
    assert r.returncode == 1 and "没有可导出的意见" in r.stderr and "Traceback" not in r.stderr
    r = run("comment", "add", f"{PLAN}/一", "--opinion", "总体要求中增加“美丽上海”内涵的表述。")
    assert r.returncode == 0, r.stderr
    r = run("export", "--comments", "--out", str(tmp_path / "x.docx"))
    assert r.returncode == 0 and (tmp_path / "x.docx").exists()
    r = run("comment", "--help")
    assert r.returncode == 0 and "对条款（或其中一段原文）提出意见" in r.stdout


def test_comments_travel_with_tasks_export(library_dir: Path, tmp_path: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    assert _run(capsys, library_dir, "comment", "add", f"{PLAN}/一", "--opinion", "同事也要看到的意见")[0] == 0
    share = tmp_path / "share.json"
    code, out, _ = _run(capsys, library_dir, "tasks", "export", str(share))
    assert code == 0 and out.strip() == f"已导出 0 个任务、1 条意见：{share}"
    colleague = tmp_path / "colleague"
    for _ in range(2):
        code, out, _ = _run(capsys, colleague, "tasks", "import", str(share))
        assert code == 0
    assert "意见新增 0 条、更新 0 条、跳过 1 条" in out
    code, out, _ = _run(capsys, colleague, "comments", "--json")
    assert [c["proposal"] for c in json.loads(out)] == ["同事也要看到的意见"]
