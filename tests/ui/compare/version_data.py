"""Names and data of the versions screens' tests (imported by conftest.py and the tests)."""

from __future__ import annotations

import shutil
from pathlib import Path

DATA = Path(__file__).resolve().parents[2] / "data"
PLAN = "美丽上海建设十五五规划-征求意见稿"
FINAL = "plan-final"
WASTE_OLD = f"{PLAN}/四/（五）/2"  # 生活垃圾回收利用率 50% → 55% in the 正式稿 …
WASTE_NEW = f"{FINAL}/五/（五）/2"  # … where it is 五、（五）2.
SOIL_OLD = f"{PLAN}/四/（三）/2"  # dropped from the 正式稿
WASTE_TASK = "提升生活垃圾全程分类实效。"


def add_final(folder: Path) -> Path:
    """A folder holding a copy of the 正式稿 (what the user adds)."""
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(DATA / "plan-final.md", folder / "plan-final.md")
    return folder
