"""`policydesk compare` and `policydesk versions`: text, JSON and the 新旧对照表, in Chinese."""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "core"))
from app import cli
from tests.core.versions_fixtures import FINAL, LAW_NEW, LAW_OLD, PLAN, versions_dir

__all__ = ["versions_dir"]  # fixture used here


@pytest.fixture
def data(versions_dir: Path, tmp_path: Path) -> Path:
    d = tmp_path / "d"
    shutil.copytree(versions_dir, d)
    return d


def run(capsys: pytest.CaptureFixture[str], data: Path, *args: str) -> tuple[int, str, str]:
    code = cli.main([*args, "--data-dir", str(data)])
    out, err = capsys.readouterr()
    return code, out, err


def test_compare_text(data: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, data, "compare", PLAN, FINAL)
    assert code == 0, err
    lines = out.splitlines()
    assert lines[1] == "共比对 85 条：修改 7 条，新增 3 条，删除 1 条，移动 2 条，未变 72 条（其中 65 条仅编号调整）"
    assert "  五、（五）2.  指标“生活垃圾回收利用率”由50%（2030年）调整为55%（2028年）" in lines
    assert "变化条款（13 条）：" in lines
    assert "[删除] 原四、（三）2." in lines and "[移动] 八、（一）3.（原七、（三）3.），并有修改" in lines
    assert any("全面【删：实施】【增：落实】碳排放" in line for line in lines)
    assert "[未变]" not in out
    code, out, _ = run(capsys, data, "compare", PLAN, FINAL, "--all")
    assert "全部条款（85 条）：" in out and "[未变] 二、（一）" in out


def test_compare_by_title_piece_json_and_errors(data: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, data, "compare", LAW_OLD, LAW_NEW, "--json")
    assert code == 0, err
    res = json.loads(out)
    assert res["summary"] == {"modified": 9, "added": 0, "deleted": 2, "moved": 0, "unchanged": 37}
    assert res["old_doc"]["id"] == LAW_OLD and len(res["pairs"]) == 48
    code, out, _ = run(capsys, data, "compare", "征求意见稿", "plan-final")
    assert code == 0 and out.startswith("比对：《美丽上海建设“十五五”规划（征求意见稿）》")
    code, _, err = run(capsys, data, "compare", "音像制品管理条例", FINAL)
    assert code == 1 and "对应多个文件" in err
    code, _, err = run(capsys, data, "compare", "没有这个文件", FINAL)
    assert code == 1 and "文库中没有文件“没有这个文件”" in err


def test_compare_out_docx_and_xlsx(data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for name in ("对照表.docx", "对照表.xlsx"):
        code, out, err = run(capsys, data, "compare", PLAN, FINAL, "--out", str(tmp_path / name))
        assert code == 0, err
        assert out.splitlines()[-1] == f"已导出新旧对照表 13 条：{tmp_path / name}"
        assert (tmp_path / name).stat().st_size > 0


def test_versions_list_confirm_reject(data: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, data, "versions")
    assert code == 0, err
    assert out.splitlines()[0].startswith("版本关联 2 条")
    assert "[自动识别] 《美丽上海建设“十五五”规划（征求意见稿）》 → 《美丽上海建设“十五五”规划》" in out
    assert f"    {PLAN} → {FINAL}；标题相同，起草阶段靠后；内容重合 98%" in out
    code, out, _ = run(capsys, data, "versions", "--json")
    assert {(k["old_id"], k["new_id"], k["active"]) for k in json.loads(out)} == {
        (PLAN, FINAL, True), (LAW_OLD, LAW_NEW, True)}
    code, out, _ = run(capsys, data, "task", "add", f"{PLAN}/四/（三）/2", "--note", "跟进")
    assert code == 0
    for clause, opinion in (("四/（五）/2", "建议将“2030年”改为“2028年”。"), ("二/（一）", "建议保留本条。")):
        code, out, _ = run(capsys, data, "comment", "add", f"{PLAN}/{clause}", "--opinion", opinion)
        assert code == 0
    code, out, _ = run(capsys, data, "versions", "confirm", PLAN, FINAL)
    assert code == 0
    lines = out.splitlines()
    assert lines[0].startswith("已确认：《美丽上海建设“十五五”规划》（plan-final）是")
    assert lines[1] == ("任务 1 个：0 个已定位到新版本，1 个原条款已变更或删除；"
                        "意见 2 条：1 条已定位到新版本，1 条条款内容已修改；待核对 2 项")
    assert lines[2] == "[原条款已变更或删除] 任务：推进土壤污染绿色低碳修复。"
    assert lines[4] == "[条款内容已修改] 意见：建议将“2030年”改为“2028年”。"
    assert "【删：50%】【增：55%】" in lines[5]
    code, out, _ = run(capsys, data, "comments", "--doc", FINAL)
    assert "建议保留本条。" in out and "建议将“2030年”改为“2028年”。" in out  # on the 正式稿 now
    code, out, _ = run(capsys, data, "versions", "reject", LAW_OLD, LAW_NEW)
    assert code == 0 and out.startswith("已否定：")
    code, out, _ = run(capsys, data, "versions")
    assert "[已否定] 《上海市音像制品管理条例》" in out and "[已确认] 《美丽上海建设" in out
    code, out, _ = run(capsys, data, "versions", "reset", LAW_OLD, LAW_NEW)
    assert code == 0 and "恢复为“自动识别”" in out
    code, _, err = run(capsys, data, "versions", "confirm", PLAN)
    assert code == 1 and "请给出两个文件" in err
