"""The vocabulary of target extraction (`indicators`): the unit grammar (number + magnitude + unit of a
category), comparators, actions and bounds, the words trimmed from names, and the measures names end with."""

from __future__ import annotations

import re

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
# Every number _MENTION, _BARE, _RATIO and the rank pattern read holds one of these characters: a phrase
# without any has no mention to look for (most phrases of a law; the patterns cost more than this test).
_NUMERAL = re.compile(rf"[\d{_CN_NUM}]")
# A ratio written with a colon: 车桩比达到2.5∶1 → 2.5 (the value is a / b).
_RATIO = re.compile(r"(?<![\d.:：∶])(\d{1,4}(?:\.\d{1,3})?)[ \t]{0,2}[∶:：][ \t]{0,2}(\d{1,4}(?:\.\d{1,3})?)(?![\d.:：∶])")
_UNITLESS_METRICS = ("系数", "指数", "比值", "比", "PUE", "效率", "倍数")
# A duration is a target only for a subject that is a duration (企业开办时间压缩至1个工作日以内); in laws
# days are time limits (贮存不得超过2天), and 15分钟生活圈 is a name.
_DURATION_NAMES = ("时间", "时限", "时长", "用时", "周期", "天数", "工作日")
# …and only when it is cut (压缩至, 控制在) or the sentence looks ahead; 不得超过 is a legal limit.
_TIME_CUES = ("压缩至", "压缩到", "压减至", "压减到", "缩短至", "缩短到", "缩减至", "缩减到", "控制在", "降至", "降到",
              "降低至", "降低到", "减少至", "减少到", "减至")

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

_COMPARED = re.compile(r"(?<=.{2})(?:比|较)[^，。；、比较\d]{2,12}$")
