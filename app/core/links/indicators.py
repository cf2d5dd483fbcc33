"""Quantified and qualitative targets of a clause: 海铁联运量达到200万标准箱左右 → 海铁联运量 ~ 200 万标准箱.

A number is a target only with a unit AND target wording around it. Units follow a grammar: number
(Arabic or Chinese) + optional magnitude (万, 亿, 千万, 万亿 …) + a unit of a category (currency 元, area 亩/
平方米, length 公里, mass 吨, power 兆瓦/吉瓦, data Tbps/EFLOPS, people 人/人次/户, counts by classifier 家/个/
项/台/架 …, durations 个工作日/小时, multiples 倍), or % / 百分之N; a bare number or a ratio (2.5∶1) only for
a dimensionless metric (系数, 指数, 车桩比, PUE); ranks as 前N位 / 第N位 after 进入/位居 … . Target wording:
a comparator right before the number (达到, 不低于, 提升至, 控制在, 压缩至, 突破, 保持, 下降, 新增 …), an
action at the head of its phrase (完成 X N 万亩, 遴选 X N 家), a counting verb before a count (推动1000家企业…),
a verb of the phrase (推动/确保/力争/实现 … X N家 ending the phrase), the verb of the previous item of a list
(建成A80个、B600个), or a bound after it (以上, 以下, 左右). 为 + value is a target only in a sentence that
looks ahead (到2027年, 力争, a 目标 heading); otherwise it states the present (比重为28.3%).
Hence the non-targets: years and ordinals have no unit (2030年, 第二次), names and slogans sit in “…” or
《…》 or lack a verb (五个新城; 15分钟生活圈: a duration needs a duration subject such as 审批时间), classes
have no unit (国四, Ⅲ类, 三星级), Chinese counts need an action right before them (两个关键, 三项工程), a
measure before a class noun qualifies it (超100亿元企业, 10万吨级泊位), and sentences about fines or
definitions and conditions (…以上的, 排名前10位的, …的，由…) are skipped. A sentence or ；-part opening with
a bare year (2024年，…；2025年，…) gives its targets that year.

Naming rules (what an official would write in a target table):
1. Subject + comparator: the subject as written, minus leading connectives and verbs (推动, 确保 …), a
   leading deadline (到2030年), a baseline (比2020年) and trailing adverbs (持续, 分别 …): 中重型新能源货车占比.
2. Action + object + amount (完成集中连片规模化造林 2 万亩) or action + count + object (开发10个应用场景):
   the object plus the dimension of its unit unless it already ends with one (面积/长度/数量/人数/量/比例):
   集中连片规模化造林面积, 生态环境数智化应用场景数量. 新增/新建 stay in front: 新增野生动物栖息地数量.
3. Changes: subject + 降幅/增幅 for % (能耗下降14% → 能耗降幅), + 减少量/增加量 otherwise.
4. Value first (70%左右市管及区管河道建成美丽幸福河湖): what follows + 比例.
5. Shared subjects: after 、/，a subject starting with a modifier (资源化利用率) takes the topic of the
   previous target (生活垃圾回收利用率 → 生活垃圾资源化利用率); 其… or an empty subject takes the previous
   phrase; “A、B分别下降5%和10%” gives one target per item, sharing the head (化肥使用量, 农药使用量).
6. Share of a base (不得低于居住区用地总面积的百分之十): subject + 占 + base + 的比例.
7. Qualitative targets keep their implied value: X全覆盖 → X覆盖率 100 %; X零填埋 → X填埋量 0;
   全面淘汰/禁用/完成/执行 Y → Y淘汰率 … 100 %; 全面新能源化 → …新能源化比例 100 %; all with "=".
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field, replace

from app.core.links.deadlines import (
    fold_digits,
    inside,
    protected_spans,
    sentence_end,
    sentence_years,
    year_at,
)
from app.core.links.indicator_table import table_targets
from app.core.links.retrospect import PERIOD, past_spans, period_years
from app.core.models import Indicator
from app.core.numbers import cn_to_int

__all__ = ["TargetContext", "extract_indicators", "lead_in_year", "parse_cn_number"]

log = logging.getLogger("policydesk.links")

_CN_NUM = "零〇○一二两三四五六七八九十百千"
# Bounded runs and a look-behind on every alternative: a numeral is tried once, at its start, so that a
# long run of digits or of 一 costs linear time, not quadratic backtracking.
_NUM = (
    r"\d{1,3}(?:,\d{3}){1,5}(?:\.\d{1,6})?|\d{1,15}(?:\.\d{1,6})?"
    rf"|(?<![{_CN_NUM}])[{_CN_NUM}]{{1,12}}(?:点[零〇○一二三四五六七八九]{{1,6}})?"
)
# The unit grammar: a number, an optional magnitude (万, 亿, 千万, 万亿 …) and a unit of one of these
# categories. The category decides what the amount measures (面积, 长度, 数量 …) and how strict the reading
# is: counts by classifier need target wording, durations a duration subject (审批时间), ranks 前N/第N位.
_UNIT_CATEGORIES: dict[str, tuple[str, ...]] = {
    "currency": ("美元", "元"),
    "area": ("平方米", "平方公里", "平方千米", "公顷", "亩"),
    "length": ("公里", "千米", "米"),
    "mass": ("吨标准煤", "吨", "千克", "公斤", "斤"),
    "volume": ("标准立方米", "立方米", "标准箱"),
    "power": ("千瓦时", "兆瓦时", "吉瓦时", "千瓦", "兆瓦", "吉瓦"),
    "data": ("Tbps", "Gbps", "Mbps", "EFLOPS", "PFLOPS", "EB", "PB"),
    "concentration": ("微克/立方米", "毫克/升", "分贝"),
    "people": ("人次", "人", "名", "户"),
    "count": ("个百分点", "个", "座", "处", "家", "项", "所", "艘", "辆", "台", "套", "株", "条", "架", "次", "场",
              "件", "栋", "头", "只"),
    "time": ("个工作日", "工作日", "个月", "小时", "分钟", "天"),
    "multiple": ("倍",),
}
_UNIT_KIND = {u: kind for kind, units in _UNIT_CATEGORIES.items() for u in units}
_UNITS = "|".join(sorted(_UNIT_KIND, key=len, reverse=True))
_MAGNITUDE = "(?:[十百千]?万亿?|亿|千)"
_MAGNITUDE_PREFIX = re.compile(rf"^{_MAGNITUDE}(?=.)")
_MENTION = re.compile(
    rf"百分之(?P<pct>{_NUM})|(?<![A-Za-z0-9.])(?P<num>{_NUM})[ \t]{{0,3}}"
    rf"(?P<unit>%|{_MAGNITUDE}?(?:{_UNITS})(?:/(?:年|日|天|秒))?)"
)
# A bare number (for 系数, PUE, 车桩比): not followed by a unit word, but a bound (以下, 左右 …) may follow.
_BARE = re.compile(
    r"(?<![A-Za-z0-9.])(\d{1,15}(?:\.\d{1,6})?)"
    r"(?![\d.%A-Za-z]|[ \t]{0,3}(?!及以上|以上|以下|以内|左右|上下)[\u4e00-\u9fff])"
)
# A ratio written with a colon: 车桩比达到2.5∶1 → 2.5 (the value is a / b).
_RATIO = re.compile(r"(?<![\d.:：∶])(\d{1,4}(?:\.\d{1,3})?)[ \t]{0,2}[∶:：][ \t]{0,2}(\d{1,4}(?:\.\d{1,3})?)(?![\d.:：∶])")
_UNITLESS_METRICS = ("系数", "指数", "比值", "比", "PUE", "效率", "倍数")
# A duration is a target only for a subject that is a duration (企业开办时间压缩至1个工作日以内); in laws
# days are time limits (贮存不得超过2天), and 15分钟生活圈 is a name.
_DURATION_NAMES = ("时间", "时限", "时长", "用时", "周期", "天数", "工作日")
# …and only when it is cut (压缩至, 控制在) or the sentence looks ahead; 不得超过 is a legal limit.
_TIME_CUES = ("压缩至", "压缩到", "压减至", "压减到", "缩短至", "缩短到", "缩减至", "缩减到", "控制在", "降至", "降到",
              "降低至", "降低到", "减少至", "减少到", "减至")


def _time_target(shape: _Shape, ctx: _Context) -> bool:
    if not _clean_paren(shape.name).endswith(_DURATION_NAMES) or shape.verb.startswith("不得"):
        return False
    return shape.verb in _TIME_CUES or ctx.future


# A unit character that starts another word is no unit: 个月, 人民, 项目, 家庭, 米草 …
_BAD_NEXT = {"个": "工人体别性", "人": "民员口工", "名": "录单称义", "所": "有在属以", "家": "庭园乡",
             "台": "账风阶", "项": "目", "户": "籍外", "处": "理置罚", "米": "草", "元": "素", "条": "例件款",
             "架": "构设空", "次": "性要生年级序元数", "场": "景所地馆次", "件": "事", "天": "然津气下",
             "头": "部脑条", "只": "要能有是"}
_COMPARATORS = {
    "不低于": ">=", "不少于": ">=", "不小于": ">=", "不得低于": ">=", "不得少于": ">=", "不应低于": ">=",
    "提高到": ">=", "提高至": ">=", "提升到": ">=", "提升至": ">=", "增加到": ">=", "增加至": ">=",
    "增长到": ">=", "增长至": ">=", "增至": ">=", "升至": ">=", "扩大到": ">=", "扩大至": ">=",
    "达到": ">=", "达": ">=", "超过": ">", "高于": ">", "多于": ">", "大于": ">",
    "不高于": "<=", "不超过": "<=", "不大于": "<=", "不多于": "<=", "不得高于": "<=", "不得超过": "<=",
    "控制在": "<=", "降低到": "<=", "降低至": "<=", "降至": "<=", "降到": "<=", "下降到": "<=",
    "下降至": "<=", "减少到": "<=", "减少至": "<=", "减至": "<=", "压减至": "<=", "压减到": "<=",
    "低于": "<", "少于": "<", "小于": "<",
    "保持": "=", "保持在": "=", "维持在": "=", "维持": "=", "稳定在": "=",
    "突破": ">", "压缩至": "<=", "压缩到": "<=", "缩短至": "<=", "缩短到": "<=", "缩减至": "<=", "缩减到": "<=",
    "压降至": "<=", "压降到": "<=", "控制到": "<=",
}
# Relative changes (下降14%): the target is at least that much change.
_DECREASES = ("下降", "降低", "减少", "削减", "压减", "压缩", "缩短", "压降", "缩减")
_INCREASES = ("增长", "提高", "提升")
# Actions whose object is counted: the amount after them is a target (建成县级物流配送中心80个).
_COUNTING_ACTIONS = ("遴选", "培训", "认定", "引进", "招引", "培养", "评选", "开通", "部署", "举办", "帮扶", "吸纳",
                     "推动", "支持", "服务", "带动")
_ACTIONS = ("完成", "新增", "新建", "增加", "开展", "开发", "建设", "建成", "培育", "打造", "创建", "实施", "种植",
            "治理", "改造", "修复", "整治", "推广", "建立", "布局", "设立", *_COUNTING_ACTIONS)
_INCREMENTS = ("新增", "新建")
_ADJACENT_ACTIONS = ("完成", "新增", "新建", "增加", "开发", "建设", "建成", "培育", "打造", "创建", "推广", "建立",
                     "布局", "设立", *_COUNTING_ACTIONS)
_CUES = sorted([*_COMPARATORS, *_DECREASES, *_INCREASES, *_ADJACENT_ACTIONS], key=len, reverse=True)
_BASE_CUE = re.compile("(" + "|".join(c for c in _CUES if c in _COMPARATORS) + ")([^，。；]{1,30}的)$")
_POST = re.compile(r"[ \t]*(及以上|以上|以下|以内|左右|上下)")
_POST_COMPARATOR = {"及以上": ">=", "以上": ">=", "以下": "<=", "以内": "<=", "左右": "~", "上下": "~"}
_APPROX = ("大约", "约为", "接近", "约", "近")
# Single characters such as 使/应/要 are left out: they begin names too (使用率, 应急, 要素).
_LEAD = ("其中", "并且", "并", "且", "同时", "以及", "应当", "必须", "确保", "力争", "争取", "推动", "推进", "支持",
         "每年度", "每年", "全年", "年内",
         "促进", "实现", "加快", "着力", "努力", "大力", "深入", "切实", "积极", "全力", "不断", "持续", "稳步",
         "逐步", "有序", "梯次", "进一步", "全面", "基本", "年均", "累计", "再")
_QUOTE_LEAD = ("其中", "并且", "并", "且", "同时", "以及", "推动", "推进", "确保", "力争", "争取")
_TRAIL = ("持续", "稳定", "稳步", "进一步", "基本", "分别", "力争", "确保", "争取", "累计", "共计", "合计", "年均",
          "再", "平均", "均", "将", "应当", "需要", "继续", "也",
          "都", "逐步", "总体", "提前", "整体", "全部", "总计", "共", "仍", "实现", "达到", "做到")
# A dimension is a requirement only as the object of building: 传染病医院还应当建设宽度不少于五十米的防护绿地
# (but 对高度不超过五十米的平屋顶实施绿化 only says which roofs).
_BUILD_VERBS = ("建设", "设置", "配建", "预留", "修建", "保留", "种植", "建造", "留出", "设立")
_TRAIL_VERBS = (*_TRAIL, "还", "应", "须", "要", *_BUILD_VERBS)
_HEADING_VERBS = ("提高", "提升", "降低", "增加", "扩大", "控制", "稳定", "保持")
_ENUM = re.compile(r"^\s*(?:[（(][一二三四五六七八九十\d]{1,3}[）)]|\d{1,2}[.、．]|[一二三四五六七八九十]{1,2}是)\s*")
_YEAR = r"(?:(?:19|20)\d{2}|[〇零○一二三四五六七八九]{4})\s{0,3}年"
_DEADLINE_TOKEN = re.compile(rf"(?:到|至|截至|力争到|力争|争取到|争取)?\s{{0,3}}{_YEAR}(?:度|底|末)?前?\s{{0,3}}[，,]?\s{{0,3}}")
_BASELINE = re.compile(rf"(?:比|较|与|相比)\s{{0,3}}{_YEAR}(?:底|末)?(?:相比|水平)?")
_MODIFIERS = ("回收", "资源化", "无害化", "综合", "利用", "处置", "处理", "收集", "覆盖", "达标", "优良", "有效",
              "分类", "再生", "循环", "减量", "清运", "收运", "安全", "规范")
_SHARE_END = ("率", "比例", "占比", "比重")
_METRIC_END = (*_SHARE_END, "量", "面积", "长度", "里程", "数量", "数", "规模", "浓度", "指数", "系数", "强度",
               "天数", "容量", "能力", "宽度", "高度", "深度", "距离", "金额", "余额", "人次", "值", "水平", "总额",
               "幅度", "增幅", "降幅", "声级", "收入", "产值", "增加值", "总值", "投资", "额", "带宽", "算力", "效率",
               *_DURATION_NAMES, "比", "PUE", "排名")
_DIMENSIONS = ("宽度", "高度", "长度", "深度", "距离", "面积", "半径")
_UNIT_DIMENSION = {"平方米": "面积", "平方公里": "面积", "平方千米": "面积", "公顷": "面积", "亩": "面积",
                   "公里": "长度", "千米": "长度", "米": "长度", "人": "人数", "名": "人数", "人次": "人次",
                   "%": "比例", "个百分点": "", "元": "金额", "": "", "分贝": ""}
_COUNT_UNITS = frozenset(u for u, kind in _UNIT_KIND.items() if kind == "count" and u != "个百分点") | {"户"}
# Sentences about fines and definitions state amounts, not targets (处十万元以上一百万元以下罚款, 是指…超过90%).
_NOT_TARGETS = re.compile(r"罚款|罚金|处罚|处以|拘留|没收|赔偿|计征|是指|系指")
_JOINERS = frozenset({"", "和", "、", "及", "与", ",", "，"})
_PHRASE_SEP = "，,；;。！？!?\n：:"
_SENTENCE_SEP = "。！？!?\n"
_WINDOW = 80  # no subject is longer; capping keeps the scan linear on junk without punctuation


def parse_cn_number(text: str) -> float | None:
    """Parse a Chinese, Arabic or mixed number with an optional decimal part: 十四点六 → 14.6, 1,000 → 1000."""
    text = fold_digits(text).replace(",", "").strip()
    if re.fullmatch(r"\d+(?:\.\d+)?", text):
        return float(text)
    head, _, frac = text.partition("点")
    whole = cn_to_int(head) if head else None
    digits = [cn_to_int(ch) for ch in frac]
    if whole is None or any(d is None or d > 9 for d in digits):
        return None
    return whole + sum(d * 10.0 ** -(i + 1) for i, d in enumerate(digits) if d is not None)


@dataclass(frozen=True)
class _Mention:
    start: int
    end: int
    value: float
    unit: str
    chinese: bool


def _mentions(folded: str, start: int, end: int) -> list[_Mention]:
    """Number + unit pairs of folded[start:end] that could be targets, and bare numbers (for 系数)."""
    out: list[_Mention] = []
    for m in _MENTION.finditer(folded, start, end):
        raw, unit = m["pct"] or m["num"], "%" if m["pct"] else m["unit"]
        nxt = folded[m.end() : m.end() + 1]
        if (nxt and nxt in _BAD_NEXT.get(unit[-1], "")) or (nxt.isascii() and nxt.isalpha()):
            continue
        value = parse_cn_number(raw)
        before = folded[max(0, m.start() - 1) : m.start()]
        if value is not None and before != "第" and not (before == "前" and _unit_kind(unit) in ("count", "people")):
            out.append(_Mention(m.start(), m.end(), value, unit, not raw[0].isdigit()))
    covered = {i for x in out for i in range(x.start, x.end)}
    for m in _RATIO.finditer(folded, start, end):
        denominator = float(m[2])
        if m.start() not in covered and denominator:
            out.append(_Mention(m.start(), m.end(), round(float(m[1]) / denominator, 6), "", False))
            covered.update(range(m.start(), m.end()))
    for m in _BARE.finditer(folded, start, end):
        if m.start() not in covered:
            out.append(_Mention(m.start(), m.end(), float(m[1]), "", False))
    return sorted(out, key=lambda x: x.start)


def _lstrip_words(s: str, words: tuple[str, ...]) -> int:
    """Number of leading characters taken by spaces, an enumerator and any run of `words`."""
    m = _ENUM.match(s)
    i = m.end() if m else 0
    while True:
        while i < len(s) and s[i] in " \t、":
            i += 1
        word = next((w for w in words if s.startswith(w, i)), None)
        if word is None:
            return i
        i += len(word)


def _rstrip_words(s: str, words: tuple[str, ...], keep: int = 1) -> str:
    """Drop trailing `words`, keeping at least `keep` characters."""
    s = s.rstrip(" \t、的")
    while True:
        word = next((w for w in words if s.endswith(w) and len(s) - len(w) >= keep), None)
        if word is None:
            return s
        s = s[: -len(word)].rstrip(" \t、")


def _clean(name: str) -> str:
    """Tidy a name: no spaces, no baseline year, no dangling connectives."""
    name = "".join(_BASELINE.sub("", name).split())
    return _rstrip_words(name[_lstrip_words(name, _LEAD) :], _TRAIL).strip("、和及与的")


def _base_unit(unit: str) -> str:
    """The unit without its magnitude and rate: 万亿元 → 元, 万吨/年 → 吨."""
    base = unit.split("/")[0] if not unit.startswith(("微克/", "毫克/")) else unit
    return base if base in _UNIT_KIND else _MAGNITUDE_PREFIX.sub("", base)


def _unit_kind(unit: str) -> str:
    """The category of a unit (count, time, area …; "" for % and bare numbers)."""
    return _UNIT_KIND.get(_base_unit(unit), "")


def _clean_paren(name: str) -> str:
    """The name without a trailing abbreviation in brackets: 电能利用效率（PUE） → 电能利用效率."""
    return re.sub(r"[（(][^（）()]{1,12}[）)]$", "", name)


def _unitless(name: str) -> bool:
    """A dimensionless metric (系数, 车桩比, 电能利用效率（PUE）) may take a bare number."""
    return _clean_paren(name).endswith(_UNITLESS_METRICS) or "PUE" in name


def _dimension(name: str, unit: str) -> str:
    """Append what the unit measures (面积, 长度, 数量 …) unless the name already says it."""
    if not name or name.endswith(_METRIC_END):
        return name
    base = _base_unit(unit)
    if base in _UNIT_DIMENSION:
        return name + _UNIT_DIMENSION[base]
    if _UNIT_KIND.get(base) in ("time", "data", "multiple"):
        return name  # a duration needs a duration subject (see `_read`); 带宽, 倍 name themselves
    return name + ("数量" if base in _COUNT_UNITS else "量")


def _change(cue: str, unit: str) -> str:
    relative = unit in ("%", "个百分点")
    if cue in _DECREASES:
        return "降幅" if relative else "减少量"
    return "增幅" if relative else "增加量"


def _topic(previous: str) -> str:
    """The shared topic of a previous target's name: 生活垃圾回收利用率 → 生活垃圾."""
    for i in range(2, len(previous)):
        if previous.startswith(_MODIFIERS, i):
            return previous[:i]
    return ""


def _items(subject: str) -> list[str]:
    """Items of “A、B分别…”, each completed with the head they share: 化肥、农药使用量 → 化肥使用量, 农药使用量."""
    items = [p for p in re.split("[、和及与]", subject) if p]
    if len(items) < 2:
        return [subject]
    *firsts, last = items
    head = last[len(items[0]) :] if len(items[0]) < len(last) else ""  # parallel items have parallel lengths
    return [p if p.endswith(_METRIC_END) else p + head for p in firsts] + [last]


@dataclass
class _Context:
    """What the previous phrases of the sentence left for the next target."""

    heading: str = ""
    prev_name: str = ""
    prev_verb: str = ""
    prev_raw: str = ""  # the end of the previous phrase of the sentence when it held no target

    @property
    def prev_phrase(self) -> str:
        """That phrase as a name, cleaned only when a later target needs it (most never do)."""
        return _clean(_DEADLINE_TOKEN.sub("", self.prev_raw)) if self.prev_raw else ""
    pending: list[str] = field(default_factory=list)  # names still owed by “A、B分别…”
    future: bool = False  # the number being read sits in a sentence about the future (a deadline, 力争 …)
    pending_comp: str = ""
    pending_start: int = 0


@dataclass(frozen=True)
class _Shape:
    name: str
    verb: str  # the word that makes it a target ("" when only 以上/左右/约 does)
    quoted: int = 0  # characters of the text after the number that belong to the quote
    items: tuple[str, ...] = ()  # further names of a “分别” list


@dataclass(frozen=True)
class _Reading:
    shape: _Shape
    comparator: str
    quote_from: int  # offset in `pre` where the quote starts
    extra: int  # characters of `post` that belong to the quote
    tier: str = ""  # 确保 | 力争 | 争取 right before the value's verb
    qualifier: str = ""  # 累计 | 年均 | …


_LIST_JOINERS = ("、", "和", "及", "以及")
# Words that make the amounts of their phrase targets even without a verb right before them.
_OPENERS = ("推动", "推进", "支持", "确保", "力争", "争取", "累计", "实现")
# A measure right before a class noun qualifies it (培育年营业收入超100亿元企业10家, 10万吨级泊位): no target.
_ATTRIBUTIVE = re.compile(r"[ \t]{0,2}(?:及以上|以上)?(?:级|企业|项目|产业|集群|园区|工程|平台|基地|龙头)")
_MEASURE_KINDS = frozenset({"currency", "mass", "power", "area", "length", "volume", "data"})
# 确保完成120兆瓦、力争达到180兆瓦: a floor and a stretch value, each its own target (see `tier`).
_TIER = re.compile(r"(确保|力争|争取)(?!到|在|于|\s{0,2}\d|\s{0,2}[〇零○一二三四五六七八九]{4})")
# How the value is counted; 年均 only before a change or the value (年均浓度 is a metric's own name).
_QUALIFIER = re.compile(
    r"(累计|共计|合计|总计)|(年均)(?=\s{0,2}(?:增长|下降|提高|降低|减少|增加|新增|递增|递减)?\s{0,2}$)|(每年度?)"
)
_CHANGE_NAMES = ("降幅", "增幅", "减少量", "增加量")


def _split_cue(body: str) -> tuple[str, str, bool]:
    """Split `body` (the text before a number) into subject, adjacent cue and an approximation flag."""
    body = body.rstrip()
    approx = False
    for word in _APPROX:
        if body.endswith(word):
            body, approx = body[: -len(word)].rstrip(), True
            break
    cue = next((c for c in _CUES if body.endswith(c)), "")
    return body[: len(body) - len(cue)], cue, approx


def _object_after(post: str) -> str:
    """The noun phrase a count or a value-first target is about: up to 、, a digit or the phrase end."""
    m = re.match(r"[ \t]*的?([^、\d%]{1,30})", post)
    return m.group(0).rstrip() if m else ""


def _with_context(subject: str, ctx: _Context) -> str:
    """Complete an elided, pronominal or empty subject from the sentence's previous phrases."""
    prev_phrase = ctx.prev_phrase
    if subject.startswith("其") and prev_phrase:
        return prev_phrase + subject[1:]
    if not subject:  # 到2030年达到60%: the previous phrase, else the previous target, else the heading
        heading = ctx.heading.rstrip("。；;. ")
        return prev_phrase or ctx.prev_name or _clean(heading[_lstrip_words(heading, _HEADING_VERBS) :])
    if ctx.prev_name and subject.startswith(_MODIFIERS):
        return _topic(ctx.prev_name) + subject
    return subject


def _read(pre: str, post: str, unit: str, ctx: _Context) -> _Reading | None:
    """Interpret the words around one number; None when they do not state a target."""
    lead = _lstrip_words(pre, _QUOTE_LEAD)
    body = _BASELINE.sub("", pre[lead:])  # 比2020年 is a baseline, not the deadline
    cut = max((t.end() for t in _DEADLINE_TOKEN.finditer(body)), default=0)
    body = body[cut:]  # the subject follows the last deadline of the phrase
    pm = _POST.match(post)
    post_comp = _POST_COMPARATOR[pm.group(1)] if pm else ""
    rest = post[pm.end() :] if pm else post
    subject, cue, approx = _split_cue(body)
    if post_comp and "的" in rest:
        return None  # a condition (超过20%以上的, 四万平方米以上的公共绿地，应当…), not a target
    if not cue and not subject.strip():  # 推动1000家企业…: the verb went with the quote's lead words
        cue = next((w for w in _COUNTING_ACTIONS if pre[:lead].rstrip().endswith(w)), "")
    if not cue and ctx.future and subject.endswith("为") and _clean(subject[:-1]).endswith(_METRIC_END):
        subject, cue = subject[:-1], "为"  # 到2027年，…比重为30%; without a future frame it is a state
    shared = not subject.strip() or pre[:lead].lstrip().startswith("其中")
    if not cue and shared and ctx.prev_verb in _ADJACENT_ACTIONS:
        cue = ctx.prev_verb  # 新增5个A、3个B and 新增绿地5000公顷，其中公园绿地2000公顷: the verb is shared
    elif not cue and ctx.prev_verb and pre.lstrip(" \t").startswith(_LIST_JOINERS) and _clean(subject):
        cue = ctx.prev_verb  # 遴选智能工厂60家、数字化车间200个: every item of the list takes the verb
    shape = _shape(body, subject, cue, unit, rest, ctx)
    kind = _unit_kind(unit)
    if (shape is None or not shape.verb) and kind not in ("", "time") and unit != "%" and _clean(subject) \
            and not rest.strip() and not subject.rstrip().endswith("的") and not _head_action(_clean(subject))[1]:
        opener = next((w for w in _OPENERS if w in pre), "")
        if opener:  # 推动中小企业数字化改造5000家: the phrase's verb sets the amount (ending the phrase)
            shape = _Shape(_dimension(_with_context(_clean(subject), ctx), unit), opener)
    if shape is None or not shape.name or (not unit and not _unitless(shape.name)):
        return None
    if kind == "time" and not _time_target(shape, ctx):
        return None
    firm = unit == "%" and shape.name.endswith(_SHARE_END)  # 生活垃圾无害化处理率100%
    if not (shape.verb or approx or post_comp or firm):
        return None
    verb = shape.verb
    changed = verb in _DECREASES or verb in _INCREASES
    comp = post_comp or ("~" if approx else _COMPARATORS.get(verb, ">=" if changed else "="))
    tiers = _TIER.findall(pre)
    qual = next((q for m in _QUALIFIER.finditer(pre) for q in m.groups() if q), "")
    qual = "每年" if qual.startswith("每年") else qual
    return _Reading(shape, comp, lead, (pm.end() if pm else 0) + shape.quoted, tiers[-1] if tiers else "", qual)


def _shape(body: str, subject: str, cue: str, unit: str, rest: str, ctx: _Context) -> _Shape | None:
    """Name the target from the layout of its phrase."""
    raw = subject
    subject = _clean(subject)
    if cue in _ADJACENT_ACTIONS and not subject:
        obj = _object_after(rest)
        prefix = cue if cue in _INCREMENTS else ""
        if not _clean(obj) and ctx.prev_name:  # 2024年，改造5000家；2025年，新增8000家: the same object
            name = ctx.prev_name
            return _Shape(name if not prefix or name.startswith(prefix) else prefix + name, cue)
        return _Shape(_dimension(prefix + _clean(obj), unit), cue, len(obj)) if _clean(obj) else None
    head_at, head = _head_action(subject)
    if cue in _ADJACENT_ACTIONS and head and (cue in _COUNTING_ACTIONS or head_at <= 2):
        subject, cue = subject + cue, ""  # 完成技能培训10万人次, 完成农田建设40万亩: the head action leads
    if cue in _ADJACENT_ACTIONS:
        prefix = "新增" if cue in (*_INCREMENTS, "增加") and not subject.startswith("新增") else ""
        return _Shape(_dimension(prefix + _with_context(subject, ctx), unit), cue)
    # An action at the head, after at most a short scope (全市新增绿地5000公顷): the amount is its object's.
    at, action = _head_action(subject)
    if action and not cue and not _BASE_CUE.search(body.rstrip()) and not raw.rstrip().endswith("的"):
        obj = _clean(subject[at + len(action) :].rstrip("达共"))
        scope = subject[:at].removesuffix("新")  # 新认定, 新培育: the action of a count is new anyway
        prefix = scope + (action if action in _INCREMENTS and not obj.startswith(action) else "")
        tail = _object_after(rest) if unit == "%" else ""  # 新建建筑100%执行绿色建筑标准: what the share does
        name = _dimension(prefix + obj + _clean(tail), unit)
        return _Shape(name, action, len(tail)) if obj else None
    if rest.lstrip().startswith("的"):
        return _shape_attribute(subject, cue, rest)
    if not cue:
        return _shape_bare(body, subject, unit, rest, ctx)
    items = _items(subject) if raw.rstrip().endswith("分别") else [subject]
    suffix = _change(cue, unit) if cue in _DECREASES or cue in _INCREASES else ""
    names = [_changed(_with_context(n, ctx), suffix) if suffix else _dimension(_with_context(n, ctx), unit)
             for n in items]
    return _Shape(names[0], cue, 0, tuple(names[1:])) if names[0] else None


_COMPARED = re.compile(r"(?<=.{2})(?:比|较)[^，。；、比较\d]{2,12}$")


def _head_action(subject: str) -> tuple[int, str]:
    """The action at the head of a subject, after at most a short scope: (offset, action) or (-1, "")."""
    starts = ((subject.find(a, 0, 6 + len(a)), a) for a in _ACTIONS)
    return min(((i, a) for i, a in starts if i >= 0), default=(-1, ""))


def _changed(subject: str, suffix: str) -> str:
    """能耗 + 降幅; a subject taken from a previous change (到2030年再下降10%) is not suffixed twice."""
    for old in _CHANGE_NAMES:
        if subject.endswith(old):
            subject = subject[: -len(old)]
    # 办结时限比法定时限压缩60%: the comparison base is not part of the name
    return _COMPARED.sub("", subject) + suffix


def _shape_attribute(subject: str, cue: str, rest: str) -> _Shape | None:
    """宽度不少于五十米的防护绿地 → 防护绿地宽度; any other “…N的X” is a condition, not a target."""
    dim = next((d for d in _DIMENSIONS if subject.endswith(d)), "")
    if not dim or not cue or not _clean(subject[: -len(dim)]).endswith(_BUILD_VERBS):
        return None
    gap = len(rest) - len(rest.lstrip()) + 1
    obj = _object_after(rest[gap:])
    owner = _rstrip_words(_clean(subject[: -len(dim)]), _TRAIL_VERBS, keep=0)
    return _Shape(_clean(owner + obj) + dim, cue, gap + len(obj))


def _shape_bare(body: str, subject: str, unit: str, rest: str, ctx: _Context) -> _Shape | None:
    """No verb right before the number: a share of a base, a metric with 以上/约, or the value first."""
    base = _BASE_CUE.search(body.rstrip())
    if base and unit == "%":
        owner = _with_context(_clean(body.rstrip()[: base.start()]), ctx)
        return _Shape(f"{owner}占{_clean(base.group(2))}的比例", base.group(1))
    if subject:
        return _Shape(subject, "") if subject.endswith(_METRIC_END) else None
    obj = _object_after(rest)
    name = _clean(obj) + ("比例" if unit == "%" else "")
    return _Shape(name, "", len(obj)) if _clean(obj) else None


_Q_FULL = re.compile(r"(?:实现|达到|做到)?全覆盖(?!的)")
_Q_ZERO = re.compile(r"(?:实现)?零(填埋|排放|直排|增长|事故|伤亡)(?=$|[，。；、,;）)])")
_Q_ALL = re.compile(r"全面(淘汰|禁用|禁止使用|完成|执行|取消|关停|退出|清退|拆除)([^，。；;,]{2,30})")
_Q_IZE = re.compile(r"全面([\u4e00-\u9fff]{1,4}化)(?=$|[，。；,;])")
_ZERO_NAMES = {"填埋": "填埋量", "排放": "排放量", "直排": "直排量", "增长": "增长率", "事故": "事故数", "伤亡": "伤亡人数"}


def _qualitative(text: str, start: int, end: int) -> list[tuple[int, int, str, float, str]]:
    """Qualitative targets of text[start:end] as (quote start, quote end, name, value, unit)."""
    seg = text[start:end]
    # (match start, match end, what follows the subject in the name, value, unit, subject required)
    hits: list[tuple[int, int, str, float, str, bool]] = []
    for m in _Q_FULL.finditer(seg):
        hits.append((m.start(), m.end(), "覆盖率", 100.0, "%", True))
    for m in _Q_ZERO.finditer(seg):
        hits.append((m.start(), m.end(), _ZERO_NAMES[m[1]], 0.0, "%" if m[1] == "增长" else "", True))
    for m in _Q_ALL.finditer(seg):
        hits.append((m.start(), m.end(), _clean(m[2]) + m[1] + "率", 100.0, "%", False))
    for m in _Q_IZE.finditer(seg):
        hits.append((m.start(), m.end(), m[1] + "比例", 100.0, "%", True))
    out, floor = [], 0
    for a, b, tail, value, unit, needs_subject in sorted(hits):
        pre, floor = seg[max(floor, a - _WINDOW) : a], b  # A全覆盖、B全覆盖: B's subject starts after A
        if pre.endswith(("基本", "基本实现", "近")):
            continue  # 基本实现全覆盖, 近零填埋: qualified, no firm value
        lead = _lstrip_words(pre, _LEAD)
        subject = _clean(pre[lead:])
        if subject or not needs_subject:
            out.append((start + a - len(pre) + lead, start + b, subject + tail, value, unit))
    return out


def _phrases(text: str) -> list[tuple[int, int]]:
    """Phrase spans: split at ，；。：and line breaks."""
    spans, begin = [], 0
    for i, ch in enumerate(text):
        if ch in _PHRASE_SEP and not (ch in "：:" and text[i - 1 : i].isdigit() and text[i + 1 : i + 2].isdigit()):
            spans.append((begin, i))
            begin = i + 1
    spans.append((begin, len(text)))
    return [(a, b) for a, b in spans if b > a]


@dataclass(frozen=True)
class TargetContext:
    """What the document tells about time, for a clause's targets (the Linker builds it).

    since: the first year of the document's own period (2026 for a 2026–2030 plan): earlier years and
        periods are the past, so their figures are results (see `retrospect`).
    horizon_end: the end of the plan period: the deadline of a target that states none.
    lead_year: the lead-in of an enclosing clause (到2027年，主要目标如下：…) for targets without a year.
    """

    since: int | None = None
    horizon_end: int | None = None
    lead_year: int | None = None


_LEAD_IN = re.compile(
    r"^[ \t]*(?:[*_]{1,2})?(?:——|—|-|[（(]?[一二三四五六七八九十\d]{1,3}[)）、.．])?[ \t]*(?:[*_]{1,2})?"
    r"(?:力争|争取)?(?:到|至)[ \t]{0,2}(?:((?:19|20)\d{2})[ \t]{0,2}年(?:底|末)?|"
    + PERIOD.pattern + r"[ \t]{0,2}末)前?[ \t]{0,2}[，,：:]",
    re.MULTILINE,
)
_PERIOD_SPAN = re.compile(PERIOD.pattern + r"[ \t]{0,2}(?:时期|期间|末|内)")


def _lead_ins(text: str, since: int | None) -> list[tuple[int, int]]:
    """(offset, year) of every paragraph that opens with a deadline (到2027年，… / 到“十五五”末，…)."""
    out: list[tuple[int, int]] = []
    for m in _LEAD_IN.finditer(fold_digits(text)):
        if m[1]:
            year = int(m[1])
        else:
            span = period_years(m[2])
            year = span[1] if span else 0
        if year and (since is None or year >= since):
            out.append((m.start(), year))
    return out


def lead_in_year(text: str, since: int | None = None) -> int | None:
    """The year of the lead-in that opens `text` (its first paragraph), or None."""
    found = _lead_ins(text, since)
    return found[0][1] if found and not text[: found[0][0]].strip() else None


def extract_indicators(text: str, *, heading: str = "", context: TargetContext | None = None) -> list[Indicator]:
    """Return every quantified or qualitative target stated in `text`, in text order.

    Args:
        text: a clause (plan task, section or law article); targets are looked for in `text` only.
        heading: the clause heading, used to name a target whose subject is left out (到2030年达到50%).
        context: the document's period. Without it a target's deadline is the year governing its own
            sentence (or None); with it a target without one takes, in order, the plan period named in
            its sentence (“十五五”期间), the clause's lead-in (到2027年，…), `context.lead_year`, the
            horizon end — and `deadline_source` says which. Figures reported as results (已建成,
            “十四五”期间累计完成 …; see `retrospect.past_spans`) are never targets.

    Returns:
        Indicators whose `quote` is a literal substring of `text`. Never raises.
    """
    try:
        return _extract(text, heading, context)
    except Exception:  # a parser bug must not stop indexing a whole corpus
        log.exception("indicator extraction failed")
        return []


def _extract(text: str, heading: str, context: TargetContext | None) -> list[Indicator]:
    folded = fold_digits(text)
    guarded = protected_spans(text)
    since = context.since if context else None
    years = _with_year_leads(text, sentence_years(text), since)
    past: list[tuple[int, int]] | None = None  # worked out on the first target (most clauses have none)
    tables, table_spans = table_targets(text, _table_change)
    found: list[tuple[int, Indicator]] = [(t.start, t.indicator) for t in tables]
    ctx, skip_until = _Context(heading=heading), -1
    for start, end in _phrases(text):
        if start == 0 or text[start - 1] in _SENTENCE_SEP:
            ctx = _Context(heading=heading)
            stop = sentence_end(text, start)
            skip_until = stop if _NOT_TARGETS.search(text, start, stop) else -1
        if start < skip_until or text[start:end].rstrip().endswith("的"):
            continue  # fines, definitions and conditions (…的，由…)
        if inside(table_spans, start):
            continue  # table rows: read by `table_targets`
        targets = _phrase_targets(text, folded, (start, end), guarded, years, ctx)
        if not targets:
            continue
        if past is None:
            past = past_spans(text, since)
        if not inside(past, start):  # results (已建成…, “十四五”期间累计…) still name what follows
            found.extend(targets)
    found.sort(key=lambda item: item[0])
    return _settle_deadlines(text, found, context)


# A sentence or ；-part that opens with a bare year (2024年，推动…；2025年，新增…) sets that year's targets.
_YEAR_LEAD = re.compile(
    r"(?:^|(?<=[。；;！？!?\n]))[ \t]*(?:[（(]?[一二三四五六七八九十\d]{1,2}[)）.、．][ \t]*)?"
    r"((?:19|20)\d{2})[ \t]{0,2}年度?[ \t]{0,2}[，,：:]",
    re.MULTILINE,
)


def _with_year_leads(
    text: str, years: list[tuple[int, int, int]], since: int | None
) -> list[tuple[int, int, int]]:
    """Add the spans governed by year leads (not earlier than the document's own time) to `years`."""
    leads = [(m.start(1), sentence_end(text, m.end()), int(m[1])) for m in _YEAR_LEAD.finditer(fold_digits(text))]
    leads = [lead for lead in leads if since is None or lead[2] >= since]
    return sorted({*years, *leads}) if leads else years


def _table_change(name: str, change: str) -> str:
    """A row whose cell says 下降13.5% names what changes: 单位生产总值能耗 → 单位生产总值能耗降幅."""
    if any(w in name for w in (*_DECREASES, *_INCREASES, *_CHANGE_NAMES)):
        return name
    return _changed(name, _change(_DECREASES[0] if change == "down" else _INCREASES[0], "%"))


def _settle_deadlines(
    text: str, found: list[tuple[int, Indicator]], context: TargetContext | None
) -> list[Indicator]:
    """Mark where each deadline comes from; with a context, give the targets without one a deadline."""
    out: list[Indicator] = []
    leads = _lead_ins(text, context.since if context else None) if context else []
    for pos, ind in found:
        if ind.deadline is not None:
            out.append(ind if ind.deadline_source else replace(ind, deadline_source="explicit"))
            continue
        if context is None:
            out.append(ind)
            continue
        year, source = _period_in_sentence(text, pos, context.since), "period"
        if year is None:
            before = [y for at, y in leads if at <= pos]
            year, source = (before[-1] if before else context.lead_year), "lead-in"
        if year is None:
            year, source = context.horizon_end, "inherited"
        out.append(replace(ind, deadline=year, deadline_source=source if year is not None else ""))
    return out


def _period_in_sentence(text: str, pos: int, since: int | None) -> int | None:
    """The end year of a plan period the target's sentence names (“十五五”期间累计新增… → 2030)."""
    floor = max(0, pos - 1000)  # no sentence is longer; a scan back to the start would be quadratic on junk
    begin = max(floor, max(text.rfind(ch, floor, pos) for ch in _SENTENCE_SEP) + 1)
    for m in _PERIOD_SPAN.finditer(text, begin, sentence_end(text, pos)):
        span = period_years(m[1])
        if span and (since is None or span[1] >= since):
            return span[1]
    return None


def _owed_target(
    text: str, m: _Mention, post: str, years: list[tuple[int, int, int]], ctx: _Context,
    out: list[tuple[int, Indicator]],
) -> int:
    """Give the next name owed by a “分别” list to this value; return the end of its quote."""
    bound = _POST.match(post)
    q_end = m.end + (bound.end() if bound else 0)
    quote = text[ctx.pending_start : q_end].strip()
    ind = Indicator(ctx.pending.pop(0), m.value, m.unit, ctx.pending_comp, year_at(years, m.start), quote)
    out.append((ctx.pending_start, ind))
    return q_end


_FUTURE_FRAME = re.compile(r"力争|争取|确保|预计|预期|目标|计划|将(?!其|之|该|本)")


def _future_frame(text: str, pos: int, heading: str) -> bool:
    """Whether the sentence before `pos` (or the clause heading) looks ahead: 力争, 目标, 确保 …"""
    floor = max(0, pos - _WINDOW)  # bounded: a scan back to the text start would be quadratic on junk
    begin = max(text.rfind(ch, floor, pos) for ch in _SENTENCE_SEP) + 1
    return bool(_FUTURE_FRAME.search(text, max(begin, floor), pos) or "目标" in heading)


# Ranks: 进入全国前三位 (<= 3), 位居全省第2位 (= 2); the verb before it is required.
_RANK = re.compile(rf"(前|第)[ \t]{{0,2}}([1-9]\d{{0,2}}|[{_CN_NUM}]{{1,4}})[ \t]{{0,2}}(位|名)(?![次置于])")
_RANK_CUE = re.compile(r"(进入|跻身|位居|位列|稳居|保持|排名|排在|居于|位于|迈入|跃居|升至|提升至|提升到|居)"
                       r"([^，。；;,、\d]{0,10})$")


def _ranks(
    text: str, folded: str, span: tuple[int, int], years: list[tuple[int, int, int]], ctx: _Context
) -> list[tuple[int, Indicator]]:
    """Rank targets of folded[span]: the subject + 排名, the rank as value, 前N as at most N."""
    out: list[tuple[int, Indicator]] = []
    start, end = span
    for m in _RANK.finditer(folded, start, end):
        value = parse_cn_number(m[2])
        pre = folded[max(start, m.start() - _WINDOW) : m.start()]
        cue = _RANK_CUE.search(pre)
        if value is None or cue is None or re.match(r"[ \t]{0,2}(?:以内|之内|内)?的", folded[m.end() : m.end() + 4]):
            continue  # 对排名前10位的企业给予奖励: which ones, not a target
        lead = _lstrip_words(pre, _QUOTE_LEAD)
        body = pre[lead : cue.start()]
        body = body[max((t.end() for t in _DEADLINE_TOKEN.finditer(body)), default=0) :]
        subject = _with_context(_clean(body), ctx)
        if not subject:
            continue
        name = subject if subject.endswith(("排名", "位次", "排位")) else subject + "排名"
        q_start = m.start() - len(pre) + lead
        comp = "<=" if m[1] == "前" else "="
        out.append((q_start, Indicator(name, value, m[3], comp, year_at(years, m.start()),
                                       text[q_start : m.end()].strip())))
        ctx.prev_name = name
    return out


def _phrase_targets(
    text: str, folded: str, span: tuple[int, int], guarded: list[tuple[int, int]],
    years: list[tuple[int, int, int]], ctx: _Context,
) -> list[tuple[int, Indicator]]:
    """Targets of one phrase; updates `ctx` for the phrases that follow in the sentence."""
    start, end = span
    out: list[tuple[int, Indicator]] = []
    cursor = start
    for m in _mentions(folded, start, end):
        if inside(guarded, m.start) or m.start < cursor:
            continue
        if m.chinese and m.unit in _COUNT_UNITS and not folded[max(0, m.start - 4) : m.start].endswith(_ADJACENT_ACTIONS):
            continue  # 两个关键, 五个新城, 三项工程: Chinese counts are targets only right after 新增/建设 …
        pre = folded[max(cursor, m.start - _WINDOW) : m.start]
        post = folded[m.end : min(end, m.end + _WINDOW)]
        if _unit_kind(m.unit) in _MEASURE_KINDS and _ATTRIBUTIVE.match(post):
            continue
        ctx.future = year_at(years, m.start) is not None or _future_frame(text, m.start, ctx.heading)
        if ctx.pending and pre.strip() in _JOINERS:  # the second value of “A、B分别下降5%和10%”
            cursor = _owed_target(text, m, post, years, ctx, out)
            continue
        reading = _read(pre, post, m.unit, ctx)
        if reading is None:
            continue
        q_start, q_end = m.start - len(pre) + reading.quote_from, m.end + reading.extra
        shape = reading.shape
        ind = Indicator(shape.name, m.value, m.unit, reading.comparator, year_at(years, m.start),
                        text[q_start:q_end].strip(), tier=reading.tier, qualifier=reading.qualifier)
        out.append((q_start, ind))
        ctx.prev_name, ctx.prev_verb, cursor = shape.name, shape.verb, q_end
        ctx.pending, ctx.pending_comp, ctx.pending_start = list(shape.items), reading.comparator, q_start
    if ctx.pending and out:  # “A和B分别下降10%”: one value for every item
        q_start, last = out[-1]
        out.extend((q_start, replace(last, name=name)) for name in ctx.pending)
        ctx.pending = []
    for q_start, ind in _ranks(text, folded, (cursor, end), years, ctx):
        if not inside(guarded, q_start):
            out.append((q_start, ind))
    for q_start, q_end, name, value, unit in _qualitative(text, cursor, end):
        if not inside(guarded, q_start):
            ind = Indicator(name, value, unit, "=", year_at(years, q_start), text[q_start:q_end].strip(), True)
            out.append((q_start, ind))
    ctx.prev_raw = "" if out else text[max(start, end - _WINDOW) : end]
    return out

