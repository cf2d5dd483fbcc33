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
