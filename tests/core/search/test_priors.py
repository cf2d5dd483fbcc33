"""Priors over a clause's text: boilerplate articles and definitions."""

from __future__ import annotations

from app.core.normalize import compact, fold
from app.core.search import priors


def test_boilerplate_articles_sink_below_substantive_ones() -> None:
    assert priors.boilerplate("为了保护和改善环境，防治污染，根据宪法，制定本法。", ("第一章 总则", "第一条"),
                              definition_query=False)
    assert priors.boilerplate("本条例自2020年5月1日起施行。", ("第九章 附则", "第九十条"), definition_query=False)
    assert not priors.boilerplate("违反本法规定，拒不改正的，处二万元以上二十万元以下的罚款。",
                                  ("第七章 法律责任", "第六十条"), definition_query=False)


def test_a_definition_article_is_boilerplate_except_for_a_definition_query() -> None:
    text = "本条例所称生活垃圾，是指在日常生活中产生的固体废物。"
    path = ("第一章 总则", "第三条")
    assert priors.boilerplate(text, path, definition_query=False)
    assert not priors.boilerplate(text, path, definition_query=True)
    assert priors.defines(text)


def test_prior_flags_hold_both_readings_and_only_articles_are_boilerplate() -> None:
    text = "本条例所称生活垃圾，是指在日常生活中产生的固体废物。"
    key = compact(fold(text))
    flags = priors.prior_flags("article", text, ("第一章 总则", "第三条"), key)
    assert flags == priors.BOILERPLATE_PLAIN | priors.DEFINES
    # A plan's task that says 是指 is no article: it only defines.
    assert priors.prior_flags("task", text, ("一、总体要求", "（一）"), key) == priors.DEFINES


def test_a_text_defines_the_asked_term_only_as_the_term_it_defines() -> None:
    def k(text: str) -> str:
        return compact(fold(text))

    assert priors.defines_term(k("本法所称湿地，是指具有显著生态功能的自然或者人工的区域。"), ["湿地"])
    assert priors.defines_term(k("本条例所称的重要湿地，包括国家重要湿地。"), ["湿地"])
    assert priors.defines_term(k("下列用语的含义：（一）碳排放配额，是指分配给重点排放单位的额度。"), ["碳排放配额"])
    assert priors.defines_term(k("“古树后续资源”是指树龄在八十年以上的树木。"), ["古树后续资源"])
    # The term named inside another term's definition, or used near a 是指 of its own sentence, is not defined.
    env = k("本法所称环境，是指影响人类生存和发展的各种天然的因素，包括大气、水、湿地、野生生物等。")
    assert not priors.defines_term(env, ["湿地"]) and priors.defines_term(env, ["环境"])
    assert not priors.defines_term(k("保护湿地。前款所称措施是指修复。"), ["湿地"])
    assert not priors.defines_term(k("本法所称湿地，是指…"), ["", "森林"])
    # Dividing the term into grades or kinds defines it too (a question asks 辐射事故分几级); a grade does not.
    assert priors.defines_term(k("根据严重程度，从重到轻将辐射事故分为特别重大辐射事故、重大辐射事故四个等级。"), ["辐射事故"])
    assert priors.defines_term(k("船舶污染事故分为以下等级："), ["船舶污染事故"])
    assert not priors.defines_term(k("重大辐射事故分为两类。"), ["辐射事故"])


def test_a_time_limit_is_a_duration_stated_not_a_date() -> None:
    def k(text: str) -> str:
        return compact(fold(text))

    for text in ("应当于排污许可证有效期届满60日前向审批部门提出申请。", "自收到申请之日起三十日内作出决定。",
                 "医疗废物暂时贮存的时间不得超过2天。", "每五年进行一次水平衡测试。", "五个工作日内办结。"):
        assert priors.states_time_limit(k(text)), text
    for text in ("本条例自2020年5月1日起施行。", "到2030年，森林覆盖率达到14.6%。", "处一万元以上十万元以下的罚款。"):
        assert not priors.states_time_limit(k(text)), text


def test_the_defining_sentence_is_found_where_the_text_shows_it() -> None:
    text = "在领域内从事湿地保护，适用本法。本法所称湿地，是指积水地带。国家对湿地实行分级管理。"
    start = priors.definition_start(text, ["湿地"])
    assert text[start:].startswith("本法所称湿地")
    item = "下列用语的含义：（一）温室气体，是指大气中的气体；（二）碳排放配额，是指分配的额度。"
    assert item[priors.definition_start(item, ["碳排放配额"]):].startswith("（二）碳排放配额")
    assert priors.definition_start("国家对湿地实行分级管理。", ["湿地"]) == -1
