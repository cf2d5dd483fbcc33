"""The command line as a person meets it (issue #13, points 11–14): typos and stray words are refused with a
Chinese hint instead of opening (or crashing) the GUI, argparse speaks Chinese, `task add` confirms in a
sentence, `departments` names what it lists, an empty query and a bad `export --out` say what is wrong.

Process behaviour (exit codes, stderr) is checked through `python -m app` in a subprocess."""

from __future__ import annotations

import errno
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

PLAN = "美丽上海建设十五五规划-征求意见稿"
TASK = f"{PLAN}/四/（二）/3"
ROOT = Path(__file__).resolve().parents[2]

# What argparse (and Qt, when it aborts) would say in English.
ENGLISH = ("usage", "error:", "required", "invalid", "choose from", "unrecognized", "expected", "argument",
           "show this", "positional", "options:", "help message", "version number", "qt.", "Qt platform", "plugin")


def run_app(*args: str, env: dict[str, str] | None = None, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "app", *args], capture_output=True, text=True, encoding="utf-8",
                          timeout=timeout, check=False, cwd=ROOT, env=env)


def no_display_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    env["PYTHONIOENCODING"] = "utf-8"
    return env


def assert_no_english(text: str) -> None:
    found = [w for w in ENGLISH if w.lower() in text.lower()]
    assert not found, f"English in: {text!r}"


@pytest.fixture
def data_dir(built_library_dir: Path, tmp_path: Path) -> Path:
    d = tmp_path / "data"
    shutil.copytree(built_library_dir, d)
    return d


# -- 11: not a subcommand -> an error with a hint, never the GUI --------------------------------------------------

def test_a_mistyped_command_is_refused_with_the_closest_command(tmp_path: Path) -> None:
    r = run_app("serach", "碳达峰", "--data-dir", str(tmp_path), env=no_display_env(), timeout=60)
    assert r.returncode == 2, (r.returncode, r.stderr)
    assert "没有“serach”这个命令" in r.stderr and "您是不是要用：policydesk search" in r.stderr
    assert "可用的命令" in r.stderr and r.stdout == ""
    assert_no_english(r.stderr)


def test_a_bare_query_word_is_refused_with_the_search_command(tmp_path: Path) -> None:
    r = run_app("碳达峰", "--data-dir", str(tmp_path), env=no_display_env(), timeout=60)
    assert r.returncode == 2, (r.returncode, r.stderr)
    assert "如要检索，请用：policydesk search 碳达峰" in r.stderr
    assert_no_english(r.stderr)


def test_stray_arguments_are_refused_by_the_command_they_follow(tmp_path: Path) -> None:
    r = run_app("show", "某条", "多余", "--data-dir", str(tmp_path), timeout=60)
    assert r.returncode == 2
    assert "用法：policydesk show" in r.stderr and "无法识别的参数：多余" in r.stderr
    r = run_app("task", "add", "某条", "--jsn", "--data-dir", str(tmp_path), timeout=60)
    assert r.returncode == 2 and "您是不是要用 --json" in r.stderr
    r = run_app("task", "ad", "某条", "--data-dir", str(tmp_path), timeout=60)
    assert r.returncode == 2 and "您是不是要用：policydesk task add" in r.stderr
    assert_no_english(r.stderr)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="X11/Wayland display check")
@pytest.mark.parametrize(("args", "platform"), [((), None), (("gui",), None), ((), "xcb"), ((), "wayland;xcb")])
def test_without_a_display_the_gui_says_so_in_chinese(tmp_path: Path, args: tuple[str, ...],
                                                      platform: str | None) -> None:
    env = no_display_env()
    if platform:
        env["QT_QPA_PLATFORM"] = platform
    r = run_app(*args, "--data-dir", str(tmp_path), env=env, timeout=120)
    assert r.returncode == 1, (r.returncode, r.stderr)
    assert "没有图形显示环境" in r.stderr and "policydesk search" in r.stderr
    assert_no_english(r.stderr)


def test_only_no_arguments_options_or_gui_open_the_desktop_app() -> None:
    from app.cli import wants_gui

    for argv in ([], ["--data-dir", "x"], ["--data-dir=x"], ["gui"], ["gui", "--data-dir", "x"],
                 ["--data-dir", "x", "gui"]):
        assert wants_gui(argv), argv
    for argv in (["serach"], ["碳达峰"], ["--data-dir", "x", "foo"], ["gui", "foo"], ["search", "x"],
                 ["--help"], ["--version"], ["--data-dir"], ["--bogus"]):
        assert not wants_gui(argv), argv


# -- 12: argparse in Chinese; search --help documents the syntax ---------------------------------------------------

def test_argparse_errors_are_chinese(tmp_path: Path) -> None:
    r = run_app("search", "--data-dir", str(tmp_path), timeout=60)
    assert r.returncode == 2
    assert r.stderr.startswith("用法：policydesk search") and "缺少必需的参数：检索词" in r.stderr
    assert "查看帮助：policydesk search --help" in r.stderr
    assert_no_english(r.stderr)
    r = run_app("search", "--limit", "abc", "碳达峰", "--data-dir", str(tmp_path), timeout=60)
    assert r.returncode == 2 and "'abc' 不是有效的整数" in r.stderr
    assert_no_english(r.stderr)
    r = run_app("export", "--format", "doc", "--indicators", "--out", "x.doc", "--data-dir", str(tmp_path),
                timeout=60)
    assert r.returncode == 2 and "无效的取值：doc" in r.stderr and "您是不是要用 docx" in r.stderr
    assert_no_english(r.stderr)
    r = run_app("export", "--indicators", "--data-dir", str(tmp_path), timeout=60)
    assert r.returncode == 2 and "缺少必需的参数：--out" in r.stderr
    r = run_app("export", "--out", "x.md", "--data-dir", str(tmp_path), timeout=60)
    assert r.returncode == 2 and "必须给出以下参数之一" in r.stderr
    r = run_app("--data-dir", timeout=60)
    assert r.returncode == 2 and "参数 --data-dir：需要一个取值" in r.stderr
    assert_no_english(r.stderr)


def test_help_is_chinese_and_search_help_documents_the_syntax() -> None:
    top = run_app("--help", timeout=60)
    assert top.returncode == 0
    assert "显示本帮助并退出" in top.stdout and "显示版本号并退出" in top.stdout and "选项：" in top.stdout
    assert "policydesk gui" in top.stdout
    assert_no_english(top.stdout)
    r = run_app("search", "--help", timeout=60)
    assert r.returncode == 0
    out = r.stdout
    assert out.startswith("用法：policydesk search") and "参数：" in out and "选项：" in out
    assert_no_english(out)
    for needle in (" OR ", "部门:", "年份:", "文件:", "类型:", "有指标:", '"无废城市"', "-危险废物", "--offset", "--limit",
                   "示例：", "policydesk search 碳排放 --limit 10 --offset 10"):
        assert needle in out, needle
    # The epilog keeps its lines (RawDescriptionHelpFormatter), one example per line.
    assert "\n  policydesk search 光伏 OR 风电 部门:市发改委\n" in out


# -- 13: task add, departments, empty query, export --out -----------------------------------------------------------

def test_task_add_confirms_in_a_sentence_and_knows_a_duplicate(data_dir: Path) -> None:
    r = run_app("task", "add", TASK, "--data-dir", str(data_dir))
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    assert lines[0].startswith("已收藏为任务：《美丽上海建设“十五五”规划（征求意见稿）》") and "加快美丽幸福河湖建设。" in lines[0]
    assert len(lines) <= 4 and not r.stdout.lstrip().startswith("{")

    again = run_app("task", "add", TASK, "--note", "第二次", "--data-dir", str(data_dir))
    assert again.returncode == 0, again.stderr
    assert again.stdout.startswith("该条款已在我的任务中，未重复添加：")
    assert "policydesk task set" in again.stderr  # the --note was not applied: say how to change it

    as_json = run_app("task", "add", TASK, "--json", "--data-dir", str(data_dir))
    assert as_json.returncode == 0 and json.loads(as_json.stdout)["clause_id"] == TASK
    tasks = json.loads(run_app("tasks", "--json", "--data-dir", str(data_dir)).stdout)
    assert len(tasks) == 1 and tasks[0]["note"] == ""

    changed = run_app("task", "set", tasks[0]["id"], "--status", "进行中", "--data-dir", str(data_dir))
    assert changed.returncode == 0 and changed.stdout.startswith("已修改任务：") and "[进行中]" in changed.stdout


def test_departments_shows_headings_titles_and_the_source_of_each_role(data_dir: Path) -> None:
    r = run_app("departments", "市水务局", "--data-dir", str(data_dir))
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    assert lines[0].startswith("市水务局：牵头 ")
    plan = next(line for line in lines if line.endswith(f"[{PLAN}/四/（二）/1]"))
    assert "《美丽上海建设“十五五”规划（征求意见稿）》 保障饮用水水源地安全。" in plan
    assert re.match(r"  \[(牵头|配合|提及)·(原文|推断|分工表|手工)\] 《", plan)
    article = next(line for line in lines if "[上海市供水管理条例(2018-12-20)/第四条]" in line)
    assert "《上海市供水管理条例》 第四条：" in article and "[牵头·原文]" in article  # article: number + text start


@pytest.mark.parametrize("query", ["", "   "])
def test_an_empty_query_says_what_to_type(tmp_path: Path, query: str) -> None:
    r = run_app("search", query, "--data-dir", str(tmp_path), timeout=120)
    assert r.returncode == 2, (r.returncode, r.stdout, r.stderr)
    assert "请输入检索词" in r.stderr and "policydesk search 碳达峰" in r.stderr and r.stdout == ""
    assert "正在建立索引" not in r.stderr  # refused before the first-use index build


def test_export_out_problems_are_named_before_anything_is_built(data_dir: Path, tmp_path: Path) -> None:
    folder = tmp_path / "导出"
    folder.mkdir()
    a_file = tmp_path / "a.txt"
    a_file.write_text("x", encoding="utf-8")
    cases = [
        (folder, "指向一个已有的文件夹"),
        (folder / "摘编", "没有扩展名"),
        (folder / "缺少的文件夹" / "摘编.md", f"目标文件夹不存在：{folder / '缺少的文件夹'}（{folder} 中没有“缺少的文件夹”）"),
        (a_file / "摘编.md", "不是文件夹"),
    ]
    for out, message in cases:
        r = run_app("export", "--indicators", "--out", str(out), "--data-dir", str(data_dir))
        assert r.returncode == 1, (out, r.stderr)
        assert message in r.stderr, (out, r.stderr)
        assert "正在收集条款" not in r.stderr and "Traceback" not in r.stderr
    assert list(folder.iterdir()) == []
    # With --format a name without suffix still works (the suffix is added).
    r = run_app("export", "--indicators", "--format", "md", "--out", str(folder / "摘编"), "--data-dir", str(data_dir))
    assert r.returncode == 0, r.stderr
    assert (folder / "摘编.md").exists()


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root can write anywhere")
def test_export_to_a_read_only_folder_is_refused_first(data_dir: Path, tmp_path: Path) -> None:
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o555)
    try:
        r = run_app("export", "--indicators", "--out", str(folder / "x.md"), "--data-dir", str(data_dir))
    finally:
        folder.chmod(0o755)
    assert r.returncode == 1 and "没有写入权限" in r.stderr and "正在收集条款" not in r.stderr


@pytest.mark.parametrize(("code", "message"), [
    (errno.EACCES, "没有写入权限"), (errno.EROFS, "只读的磁盘"), (errno.ENOSPC, "磁盘空间已满"),
    (errno.EIO, "U 盘或网络盘可能已断开"),
])
def test_an_unwritable_export_folder_is_refused_with_its_cause(
        data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
        code: int, message: str) -> None:
    """The write probe fails the way the disk would (root cannot be denied for real): the export stops before
    the clauses are collected, and the message names the cause."""
    import app.core.export.collect as collect_mod
    from app import cli

    folder = tmp_path / "out"
    folder.mkdir()
    real_open = os.open

    def refusing_open(path: object, *a: object, **kw: object) -> int:
        if Path(str(path)).parent == folder:
            raise (PermissionError if code == errno.EACCES else OSError)(code, os.strerror(code), str(path))
        return real_open(path, *a, **kw)  # type: ignore[arg-type]

    def no_collect(*a: object, **kw: object) -> None:
        raise AssertionError("the document was built before the target was checked")

    monkeypatch.setattr(os, "open", refusing_open)
    monkeypatch.setattr(collect_mod, "collect", no_collect)
    assert cli.main(["export", "--indicators", "--out", str(folder / "x.docx"), "--data-dir", str(data_dir)]) == 1
    err = capsys.readouterr().err
    assert message in err and str(folder) in err and "正在收集条款" not in err


def test_a_missing_drive_is_named_as_such(monkeypatch: pytest.MonkeyPatch) -> None:
    from app.cli import export as cli

    target = Path("/媒体/U盘/文件夹")
    anchor = target.anchor
    real_exists = os.path.exists
    monkeypatch.setattr(cli.os.path, "exists", lambda p: False if str(p) == anchor else real_exists(p))
    assert "找不到驱动器" in cli._missing_folder(target)


# -- 14: README: one apt-get line for a fresh Debian/Ubuntu, and the first install's wait ---------------------------

def test_readme_install_line_has_every_ci_package() -> None:
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    block = re.search(r"PACKAGES=\(\s*(.*?)\)", ci, re.S)
    assert block is not None
    packages = [*block.group(1).split(), "python3-venv"]
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    commands = [m.replace("\\\n", " ") for m in re.findall(r"apt-get install[^`]*?(?=\n```)", readme, re.S)]
    assert len(commands) == 2  # 中文 and English sections
    for command in commands:
        missing = [p for p in packages if p not in command.split()]
        assert not missing, missing
    assert "几分钟" in readme and "a few minutes" in readme
