"""How an official asks: intent, question and stop words, A不A questions, spoken place words
(app.core.search.asking)."""

from __future__ import annotations

from app.core.library import Library
from app.core.search import asking, bestmatch
from app.core.search.query import parse_query


def test_intent_words_are_taken_out_and_named() -> None:
    assert asking.detect_intent("野生动物栖息地新增多少")[:2] == ("indicator", "野生动物栖息地新增 ")
    intent, rest, dropped = asking.detect_intent("美丽上海什么时候建成")
    assert intent == "deadline" and "什么时候" in dropped and "建成" in rest
    assert asking.detect_intent("小区垃圾分类管理责任人是谁")[0] == "department"
    # A query that is nothing but an intent word stays content: 目标 searches for 目标.
    assert asking.detect_intent("目标")[:2] == ("", "目标")


def test_what_is_x_asks_for_a_definition_unless_another_intent_word_says_what_is_asked() -> None:
    assert asking.detect_intent("生态补偿是什么") == ("definition", "生态补偿 ", ["是什么"])
    assert asking.detect_intent("2030年目标是什么")[0] == "indicator"
    assert asking.detect_intent("牵头部门是什么")[0] == "department"


def test_an_a_not_a_question_is_taken_out_like_other_question_words() -> None:
    assert asking.detect_intent("公园晚上能不能进")[1:] == ("公园晚上 进", ["能不能"])
    assert asking.detect_intent("排放达不达标")[2] == ["达不达标"]  # 达标 is one verb
    assert asking.detect_intent("会不会罚款")[1:] == (" 罚款", ["会不会"])  # 罚款 is not 会罚
    assert asking.detect_intent("是不是")[1] == "是不是"  # nothing else: the words are the query


def test_a_spoken_place_word_names_its_noun_unless_the_library_uses_the_word() -> None:
    known = {"以上", "网上"}
    assert [asking.spoken_place(w, known.__contains__) for w in ("河里", "村里", "路边", "山上")] == ["河", "村", "路", "山"]
    # Words the library has (以上, 网上), two locatives (上下, 里边), and words of other shapes are no place words.
    for w in ("以上", "网上", "上下", "里边", "河道", "湖", "岛上的"):
        assert asking.spoken_place(w, known.__contains__) == "", w


def test_a_spoken_one_character_word_is_a_content_character_unless_grammatical() -> None:
    assert [asking.spoken_char(w) for w in ("砍", "赔", "树")] == ["砍", "赔", "树"]
    for w in ("由", "给", "不", "到", "的", "能", "砍伐", "a"):
        assert asking.spoken_char(w) == "", w


def test_a_duration_asked_is_a_time_limit_question_and_the_bound_of_a_quantity_is_no_topic() -> None:
    assert asking.detect_intent("排污证到期 提前几天续") == ("deadline", "排污证到期 提前 续", ["几天"])
    assert asking.detect_intent("陆源污染 多少小时内报告")[::2] == ("deadline", ["多少小时内"])
    assert asking.detect_intent("新房外墙保温 保修几个月")[0] == "deadline"
    # 最多存几天 was cut 最多存 + 几天: two words no clause holds.
    intent, rest, dropped = asking.detect_intent("医疗废物 最多存几天")
    assert intent == "deadline" and rest.split() == ["医疗废物", "存"] and "最多" in dropped
    assert asking.detect_intent("2030年目标")[0] == "indicator"  # a year is no duration asked


def test_any_word_of_a_fine_and_the_kinds_of_administrative_penalty_ask_for_a_penalty() -> None:
    def penalty(q: str) -> bool:
        return bestmatch.plan(parse_query(q), lambda t: [], lambda w: True).penalty

    for q in ("乱扔烟头 会被罚吗", "无证经营 吊销", "私设暗管 拘留", "装修噪音 罚款"):
        assert penalty(q), q
    assert not penalty("重点用能单位 能源管理负责人")


def test_asking_for_the_consequence_of_an_act_asks_for_its_penalty() -> None:
    # 会有什么后果, 被发现会怎样: the penalty is the consequence asked; 后果 and the asking words are no topic.
    for q in ("偷接自来水 被发现会怎样", "没有资质 拆解旧家电 会有什么后果", "在滨江骑车 会怎么样"):
        p = bestmatch.plan(parse_query(q), lambda t: [], lambda w: True)
        assert p.penalty, q
        assert not {u.label for u in p.units} & {"后果", "会", "怎样", "怎么样"}, q
    assert not asking.asks_penalty("捡到中华鲟 怎么办") and not asking.asks_penalty("这样做的效果")


def test_how_much_of_a_fine_asks_for_the_penalty_not_for_an_indicator() -> None:
    p = bestmatch.plan(parse_query("砍了百年老树 罚多少"), lambda t: [], lambda w: True)
    assert p.penalty and p.intent == "" and "多少" in p.dropped
    assert bestmatch.plan(parse_query("森林覆盖率 多少"), lambda t: [], lambda w: True).intent == "indicator"


def test_how_long_a_penalty_lasts_asks_for_the_penalty_not_for_a_time_limit() -> None:
    def planned(q: str) -> bestmatch.Plan:
        return bestmatch.plan(parse_query(q), lambda t: [], lambda w: True)

    p = planned("暗管偷排 负责人 拘留几天")  # 拘留十日以上十五日以下 is the answer, not an article's 三十日内
    assert p.penalty and p.intent == "" and "几天" in p.dropped
    assert planned("排污许可证到期 提前几天").intent == "deadline"
    assert planned("罚款 期限").intent == "deadline"  # not a duration asked: 期限 keeps its intent
    assert asking.asks_duration("几天") and asking.asks_duration("多少个工作日") and not asking.asks_duration("期限")


def test_whether_x_counts_as_y_asks_for_y_definition() -> None:
    # 装修垃圾算建筑垃圾吗 is answered by 固废法 第一百二十四条's 建筑垃圾，是指…居民装饰装修房屋过程中产生的…
    for text, rest in (("装修垃圾算建筑垃圾吗", ["装修垃圾", "建筑垃圾"]), ("装修垃圾算不算建筑垃圾", ["装修垃圾", "建筑垃圾"]),
                       ("晚上几点以后算夜间施工", ["晚上", "几点", "以后", "夜间", "施工"])):
        intent, left, _ = asking.detect_intent(text)
        assert intent == "definition" and left.split() == rest, text
    assert asking.detect_intent("夜间是几点到几点")[:2] == ("definition", "夜间是 ")
    assert asking.detect_intent("辐射事故分几级")[:2] == ("definition", "辐射事故 ")
    # 算 inside a word, or with nothing asked, is not the question
    assert asking.detect_intent("碳排放核算")[0] == "" and asking.detect_intent("预算吗")[0] == ""
    assert asking.detect_intent("算法 建设")[0] == ""
    # another intent says what is asked: 算 does not turn it into a definition
    assert asking.detect_intent("罚款算多少")[0] == "indicator"


def test_a_quantity_asked_of_what_counts_as_y_asks_for_y_definition(library: Library) -> None:
    # 防治船舶污染海洋环境管理条例 第三十五条 grades accidents (…是指船舶溢油1000吨以上…): a threshold, not a plan target.
    # 多少 and 算 in two terms, or 多大 in one, ask it; the plan's 造林 2 万亩 task (an indicator, 吨 nearby) came first.
    def planned(q: str) -> bestmatch.Plan:
        return bestmatch.plan(parse_query(q), lambda t: [], lambda w: True)

    for q in ("船舶溢油 多少吨 算重大事故", "大型公共建筑 多大面积算"):
        p = planned(q)
        assert p.intent == "definition" and "算" not in {u.label for u in p.units}, q
    assert planned("罚款算多少").intent == ""  # the fine's amount: a penalty, 算 is "reckoned"
    first = library.clause(library.search("船舶溢油 多少吨 算重大事故", limit=3).hits[0].id)
    assert first.doc_id.startswith("防治船舶污染海洋环境管理条例") and first.number_value == 35
    # The grades asked: the article dividing 辐射事故 into four (it was 12th, below the articles on handling one).
    first = library.clause(library.search("辐射事故 分几级", limit=3).hits[0].id)
    assert first.doc_id.startswith("放射性同位素与射线装置安全和防护条例") and first.number_value == 40


def test_a_counts_as_question_finds_the_definition(library: Library) -> None:
    # 固废法 第一百二十四条 defines 建筑垃圾 (…居民装饰装修房屋过程中产生的…); it was 28th. The plan's own 建筑垃圾
    # task, which holds both words, stays first.
    ranked = [library.clause(h.id) for h in library.search("装修垃圾 算不算 建筑垃圾", limit=3).hits]
    assert any(c.doc_id.startswith("固体废物污染环境防治法") and c.number_value == 124 for c in ranked[:2])
    first = library.clause(library.search("夜间 是几点到几点", limit=3).hits[0].id)
    assert first.doc_id.startswith("噪声污染防治法") and first.number_value == 88


def test_whether_an_act_is_allowed_asks_for_the_rule_forbidding_it(library: Library) -> None:
    for q in ("小区树挡光 能砍吗", "水源地 能钓鱼吗", "养鸡 违法吗", "楼下开饭馆 行不行", "古树 能不能 移"):
        assert asking.asks_permission(q), q
    # 能 inside a word (节能, 能源) asks nothing; nor does a question without 能 / 可以
    for q in ("节能改造有补贴吗", "能源结构", "排污许可证 有效期"):
        assert not asking.asks_permission(q), q
    p = bestmatch.plan(parse_query("小区里 养鸡养鸭 违法吗"), lambda t: [], lambda w: True)
    assert p.intent == "permission" and "违法" not in {u.label for u in p.units}  # 违法 is asked, not a topic
    assert bestmatch.plan(parse_query("能罚款吗"), lambda t: [], lambda w: True).intent == ""  # a penalty asked
    # 上海市市容环境卫生管理条例 第三十六条: 居民不得饲养鸡、鸭. It was 5th below articles saying 小区 (0 while 违法 was a word).
    res = library.search("小区里 养鸡养鸭 违法吗", limit=5)
    assert res.intent == "permission"
    assert any((c := library.clause(h.id)).doc_id.startswith("上海市市容环境卫生管理条例") and c.number_value == 36
               for h in res.hits[:2])
