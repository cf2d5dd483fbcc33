"""How an official asks: the words that ask for a kind of answer (intent: 多少 → indicators, 谁负责 →
departments, 什么时候 → deadlines, 是指 → definitions, 罚款 → penalties), question and filler words that name
no topic, A不A questions, and the spoken place words (村里, 河里) that written text says otherwise.

Pure functions of the query's text; `bestmatch.plan` turns what is left into units.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from app.core.normalize import compact
from app.core.search.analysis import words

# Words that ask for a kind of answer (taken out of the content, they steer the ranking).
INTENT_WORDS: dict[str, tuple[str, ...]] = {
    "indicator": ("多少公里", "多少万", "多少个", "多少", "几个", "几成", "目标值", "目标是", "目标", "指标",
                  "达到多少", "达到"),
    "department": ("哪个部门", "哪些部门", "什么部门", "谁负责", "谁来管", "谁管", "由谁", "是谁", "谁",
                   "牵头单位", "责任单位", "责任部门", "牵头", "主管部门"),
    "deadline": ("什么时候", "什么时间", "何时", "哪一年", "到哪年", "哪年", "多久", "期限", "时限",
                 "截止时间", "完成时间"),
    "definition": ("是什么意思", "什么意思", "什么是", "的定义", "定义", "含义", "是指", "指的是", "概念"),
}
# Penalty words are content (罚款 is what the article says) and also an intent: any word of 罚 (罚款, 处罚,
# 罚则, 被罚), 法律责任, and the kinds of administrative penalty of 行政处罚法 第九条 (没收, 暂扣, 吊销, 责令停产停业,
# 责令关闭, 限制从业, 行政拘留, 通报批评).
PENALTY_WORDS = ("罚", "法律责任", "没收", "暂扣", "吊销", "停产停业", "责令关闭", "限制从业", "拘留", "通报批评")
# A question after the consequence of an act asks for its penalty too (会有什么后果, 被发现会怎样): taken out of the
# content (后果 is a question word below), it steers the ranking to the penalty articles as 罚 does.
CONSEQUENCE = re.compile(r"后果|会(?:怎样|怎么样|如何|咋样|怎么办)")


# Whether an act is allowed (能砍吗, 可以…吗, 违法吗, 行不行): the rule forbidding it answers (禁止…, 不得…). 能 and 可以
# count as jieba's words only (not 节能, 功能), asked with 吗, as an A不A question or as 行不行.
PERMISSION_WORDS = frozenset({"能", "可以", "允许", "准许"})
PERMISSION_ASKED = ("违法吗", "违不违法", "合法吗", "合不合法", "犯法吗", "行不行")


def asks_permission(text: str) -> bool:
    """The text asks whether an act is allowed: 违法吗, 行不行, or 能 / 可以 … 吗 and 能不能 / 可不可以."""
    if any(p in text for p in PERMISSION_ASKED):
        return True
    if any(m.group(1) in "能可准让" for m in _A_NOT_A.finditer(text)):  # 能不能, 可不可以, 准不准
        return True
    return "吗" in text and any(t in PERMISSION_WORDS for t in words(text))


def asks_penalty(text: str) -> bool:
    """The text asks for a penalty: a word of 罚 or another kind of penalty, or the consequence of an act."""
    return any(p in text for p in PENALTY_WORDS) or bool(CONSEQUENCE.search(text))


# Question and filler words: they carry no topic.
QUESTION_WORDS = ("怎么样", "怎么办", "怎么", "怎样", "如何", "为什么", "有没有", "是不是", "是否", "有哪些",
                  "哪些", "哪里", "什么", "吗", "呢", "吧",
                  # whether an act is allowed (asks_permission) or what follows from it (asks_penalty)
                  "违法吗", "违不违法", "合法吗", "合不合法", "犯法吗", "有什么后果", "什么后果", "啥后果", "后果",
                  # the bound of an asked quantity (最多存几天, 至少提前几天): the text states the number
                  "最多", "最少", "至多", "至少", "最长", "最短")
STOP_WORDS = frozenset({
    "的", "了", "和", "与", "及", "或", "对", "在", "把", "被", "是", "有", "要", "将", "等", "中", "上", "里",
    "关于", "相关", "方面", "有关", "一下", "一些", "这个", "那个", "管", "办", "做", "搞", "弄", "查",
    "问题", "情况", "内容", "规定", "怎么", "如何", "什么", "还", "都", "也", "就", "又", "才", "马上", "能", "会", "可",
})
INTENT_ORDER = ("definition", "deadline", "department", "indicator")
_DURATION = re.compile(r"(?:几|多少)个?(?:工作日|小时|分钟|星期|天|日|周|月|年)(?:内|以内|之内)?")
# X是什么 asks what X is, unless another intent word says what about X is asked (目标是什么, 牵头部门是什么);
# so does X算不算Y / X算Y吗 (whether X falls under Y: Y's definition answers it), 是几点到几点 (a period's bounds) and
# X分几级 (X's grades).
WEAK_DEFINITION_WORDS = ("是什么", "是啥", "啥意思", "算不算", "属不属于", "几点到几点", "几点至几点",
                         # the grades or kinds of X (辐射事故分几级): the article dividing X (…将辐射事故分为…四个等级)
                         "分为几级", "分为几类", "分哪几级", "分哪几类", "分几个等级", "分几级", "分几类")
# 装修垃圾算建筑垃圾吗: jieba's one-character word 算 (not 核算, 预算) in a question. Asked with a quantity (多少吨算重大事故,
# 多大面积算大型公共建筑) it asks for Y's threshold, which Y's definition states (…是指…1000吨以上), not a plan's target.
COUNTS_AS = "算"
_ASKS = ("吗", "几", "什么", "哪", "啥", "多少", "多大")


def asks_duration(word: str) -> bool:
    """The word asks how long (几天, 多少个工作日, 几年内)."""
    return bool(_DURATION.fullmatch(word))


def _strip(text: str, phrases: Sequence[str]) -> tuple[str, list[str]]:
    found: list[str] = []
    for p in sorted(phrases, key=len, reverse=True):
        if p in text:
            found.append(p)
            text = text.replace(p, " ")
    return text, found


def detect_intent(text: str, alone: bool = True) -> tuple[str, str, list[str]]:
    """(intent, the text without intent and question words, the words taken out). Whole-term intent
    words alone (a query that is just 目标) stay content; not when other terms of the query say what is
    asked about (`alone` False: 碳排放配额 是指, 电梯噪声 谁管)."""
    rest, dropped = text, []
    intent = ""
    for name in INTENT_ORDER:
        rest2, found = _strip(rest, INTENT_WORDS[name])
        if name == "deadline":  # a duration asked (几天, 多少个工作日, 几年): how long, which is a time limit
            found += _DURATION.findall(rest2)
            rest2 = _DURATION.sub(" ", rest2)
        if found and (compact(rest2) or not alone):
            rest, intent = rest2, intent or name
            dropped += found
    if not intent:
        rest2, found = _strip(rest, WEAK_DEFINITION_WORDS)
        if any(a in text for a in _ASKS) and COUNTS_AS in (toks := words(rest2)):
            rest2 = " ".join(t for t in toks if t != COUNTS_AS)
            found.append(COUNTS_AS)
        if found and (compact(rest2) or not alone):
            rest, intent = rest2, "definition"
            dropped += found
    rest2, found = _strip(rest, QUESTION_WORDS)
    asked = [_a_not_a(m) for m in _A_NOT_A.finditer(rest2)]
    for a in asked:
        rest2 = rest2.replace(a, " ")
    found += asked
    if found and (compact(rest2) or not alone):
        rest = rest2
        dropped += found
    return intent, rest, dropped


# An A-not-A question (能不能, 要不要, 会不会, 可不可以, 属不属于, 达不达标): it asks, it names no topic.
_A_NOT_A = re.compile(r"([\u4e00-\u9fff])[不没]\1([\u4e00-\u9fff]?)")


# The two-character verbs asked as A不AB: the first character -> the second ones it takes.
_A_NOT_AB = {"可": "以", "属": "于", "应": "该", "需": "要", "允": "许", "达": "标", "合": "格法规", "愿": "意",
             "同": "意", "符": "合", "准": "许", "在": "乎"}


def _a_not_a(m: re.Match[str]) -> str:
    """The question's text: A不A, and the second character of a two-character verb (可不可以, 达不达标)."""
    second = m.group(2)
    return m.group(0) if second and second in _A_NOT_AB.get(m.group(1), "") else m.group(0)[:3]


# Locative characters that follow a one-character noun in speech: 河里, 海边, 村里, 楼下, 江边, 山上.
LOCATIVES = frozenset("里边上下内旁头")


def spoken_place(w: str, known: Callable[[str], bool]) -> str:
    """The noun of a noun + locative word of speech that the library never uses as a word (村里 → 村, 河里 →
    河, 路边 → 路): written text names the place with a word holding the noun (农村, 河道, 道路). "" for any
    other word, and for a word the library uses (以上, 网上, 晚上)."""
    if len(w) != 2 or w[1] not in LOCATIVES or not ("\u4e00" <= w[0] <= "\u9fff") or w[0] in LOCATIVES or known(w):
        return ""
    return w[0]


# Grammatical characters: a one-character word of these says nothing of the topic (由, 给, 不, 到, 年).
FUNCTION_CHARS = frozenset("由各该给未后前向哪不没到年月日来去让被从以为之其所这那每些个再很太最")


def spoken_char(w: str) -> str:
    """A one-character content word of speech (砍, 赔, 存, 树, 罚): writing says it as a two-character word
    holding it (砍伐, 赔偿, 贮存, 树木, 罚款), which jieba keeps whole. "" for anything else and for
    grammatical characters."""
    if len(w) != 1 or not ("\u4e00" <= w <= "\u9fff") or w in FUNCTION_CHARS or w in STOP_WORDS:
        return ""
    return w
