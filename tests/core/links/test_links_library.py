"""Links through the facade: extracted, imported from a 分工表, corrected by the user, kept across rebuilds."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.core.errors import PolicyDeskError
from app.core.library import Library

PLAN = "美丽上海建设十五五规划-征求意见稿"
DATA = Path(__file__).parents[2] / "data"


def _links(library: Library, cid: str):  # type: ignore[no-untyped-def]
    return library.links([cid])[cid]


def test_plan_tasks_carry_inferred_leads_indicators_and_deadlines(library: Library) -> None:
    waste = _links(library, f"{PLAN}/四/（五）/2")
    assert [(i.name, i.value, i.unit, i.comparator, i.deadline) for i in waste.indicators] == [
        ("生活垃圾回收利用率", 50.0, "%", ">=", 2030), ("生活垃圾资源化利用率", 87.5, "%", ">=", 2030)]
    assert waste.deadline is not None and (waste.deadline.year, waste.deadline.source) == (2030, "explicit")
    leads = [d for d in waste.departments if d.role == "lead"]
    assert leads and all(d.source == "inferred" and d.evidence for d in leads)
    plain = _links(library, f"{PLAN}/三/（一）/1")
    assert plain.deadline is not None and (plain.deadline.year, plain.deadline.source) == (2030, "inherited")


def test_law_articles_name_their_departments_explicitly(library: Library) -> None:
    links = _links(library, "上海市大气污染防治条例(2018-12-20)/第五条")
    lead = {d.name for d in links.departments if d.role == "lead"}
    assert "市生态环境局" in lead and all(d.source == "explicit" for d in links.departments)


def test_clauses_json_is_filled(library: Library) -> None:
    c = library.clause(f"{PLAN}/三/（二）/2")
    row = library.clause_json(c)
    assert row["indicators"][0]["name"] == "海铁联运量" and row["indicators"][0]["comparator"] == "~"
    assert row["deadline"] == {"year": 2030, "date": None, "source": "explicit", "quote": row["deadline"]["quote"]}
    assert {"name", "role", "source", "confidence", "evidence"} <= set(row["departments"][0])


def test_imported_table_links_rows_and_reports_unmatched(library: Library) -> None:
    report = library.import_tasks(DATA / "分工表-样例.xlsx")
    assert len(report.matched) == 4 and [r.get("task") for r in report.unmatched] == ["建设月球基地生态试验舱"]
    links = _links(library, f"{PLAN}/三/（一）/1")
    assert [(d.name, d.role, d.source) for d in links.departments[:3]] == [
        ("市发展改革委", "lead", "table"), ("市生态环境局", "support", "table"), ("市统计局", "support", "table")]
    assert not [d for d in links.departments if d.source == "inferred"]
    assert links.deadline is not None and links.deadline.date == "2027-12-31" and links.deadline.source == "table"


def test_csv_table_in_gb18030_with_responsible_column_only(tmp_path: Path, library: Library) -> None:
    csv_file = tmp_path / "分工.csv"
    csv_file.write_text("完成时限,责任单位,重点任务\n2029年,市水务局、市生态环境局,加快美丽幸福河湖建设\n",
                        encoding="gb18030")
    library.import_tasks(csv_file)
    links = _links(library, f"{PLAN}/四/（二）/3")
    assert [(d.name, d.role) for d in links.departments[:2]] == [("市水务局", "lead"), ("市生态环境局", "support")]
    assert links.deadline is not None and links.deadline.year == 2029


def test_user_correction_survives_a_full_rebuild(library: Library) -> None:
    cid = f"{PLAN}/四/（二）/2"
    library.set_links(cid, lead=["市水务局"], support=["市住建委"], deadline="2026年6月底前")
    library.index(full=True)
    links = _links(library, cid)
    assert [(d.name, d.role, d.source) for d in links.departments[:2]] == [
        ("市水务局", "lead", "user"), ("市住房城乡建设管理委", "support", "user")]
    assert links.deadline is not None and links.deadline.date == "2026-06-30"
    library.set_links(cid)  # clearing restores what the text says
    assert all(d.source != "user" for d in _links(library, cid).departments)


def test_bad_deadline_is_refused_in_chinese(library: Library) -> None:
    with pytest.raises(PolicyDeskError, match="完成时限"):
        library.set_links(f"{PLAN}/四/（二）/2", deadline="尽快")


def test_indicator_rows_and_department_view(library: Library) -> None:
    rows = library.indicator_rows()
    plan_rows = [r for r in rows if r["clause"].startswith(PLAN)]
    assert len(plan_rows) >= 30 and {"clause", "path", "name", "value", "unit"} <= set(plan_rows[0])
    water = library.department_clauses("市水务局")
    assert water[0]["name"] == "市水务局" and water[0]["lead"]
