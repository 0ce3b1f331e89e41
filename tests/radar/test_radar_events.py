"""Event clustering (events.py) on real hot lists: one event per happening, on every platform.

Fixture: tests/fixtures/radar/events (trending-in-one records of 2024-01-01..03, see the SOURCE note):
on 2024-01-03 the lists carry the Noto earthquake, the Haneda air crash (whose coast-guard plane was
flying to the quake zone), the attack on Lee Jae-myung, 《繁花》, the Chinese FA's new rules beside
the national team's loss, New York explosions, and 25 unrelated titles per list; 01-01 and 01-02 are
the history before it.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from onelegion.skills.radar.analysis import analyse
from onelegion.skills.radar.cluster import Doc
from onelegion.skills.radar.events import Background, EventClusterer, canonical, terms
from onelegion.skills.radar.importers import read_archive
from onelegion.skills.radar.normalize import normalize_title, platform_of
from onelegion.skills.radar.store import HistoryStore

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "radar" / "events"


def _days() -> dict[str, list[tuple[str, str]]]:
    days: dict[str, list[tuple[str, str]]] = {}
    for snap in read_archive(FIXTURE, "trending-in-one"):
        day = snap.captured_at.strftime("%Y-%m-%d")
        days.setdefault(day, []).extend((platform_of(snap.source), it.title) for it in snap.items)
    return days


@pytest.fixture(scope="module")
def groups() -> list[set[str]]:
    """The 2024-01-03 titles grouped, with the two days before as history."""
    days = _days()
    history = [t for d in ("2024-01-01", "2024-01-02") for _p, t in days[d]]
    items = days["2024-01-03"]
    docs = [Doc(p, normalize_title(t)) for p, t in items]
    out = EventClusterer(background=Background(history)).cluster(docs)
    return [{items[i][1] for i in g} for g in out]


def _group_of(groups: list[set[str]], title: str) -> set[str]:
    return next(g for g in groups if title in g)


def test_terms_drop_framing_and_years_and_read_aliases() -> None:
    assert canonical("尔滨上新冰糖葫芦咖啡") == "哈尔滨上新冰糖葫芦咖啡"
    assert canonical("哈尔滨") == "哈尔滨"  # the full name is not read as 哈 + 尔滨
    assert canonical("雷总好宠张颂文") == "雷军好宠张颂文"
    t = terms(normalize_title("2024 年中国电影总票房能超过 2023 年吗？如何看待？"))
    assert "2024" not in t and "如何" not in t and "看待" not in t and "票房" in t
    assert "su7" in terms(normalize_title("张颂文称喜欢橄榄绿SU7"))


def test_one_event_across_three_platforms(groups: list[set[str]]) -> None:
    lee = _group_of(groups, "韩国最大在野党党首李在明遇袭")  # Toutiao
    assert {
        "袭击李在明嫌犯曾任公务员",  # Weibo
        "韩警方介绍李在明遇袭初步调查结果",  # Weibo
        "韩国最大在野党党首李在明出席活动时遇袭，嫌犯被捕后一直保持沉默，其可能的身份和动机会是什么？",
        "尹锡悦：李在明遇袭绝对不该发生",  # a reaction
        "李在明遇刺对韩国中期选举影响多大",  # consequences
    } <= lee
    assert len(lee) == 20 and all("李在明" in t for t in lee)


def test_air_crash_and_earthquake_stay_two_events(groups: list[set[str]]) -> None:
    crash = _group_of(groups, "日本羽田机场客机爆燃")
    quake = _group_of(groups, "日本地震已致至少73人死亡")
    assert crash is not quake
    assert {
        "日航起火客机舱内画面曝光",
        "日本飞机相撞事故为航空事故",
        "羽田机场称起火飞机无法放下轮胎",
        "日本航空事故通话记录公布，撞机发生前机场空管未允许日本海上保安厅飞机进入跑道，相关人员将如何处置？",
        # the coast-guard plane was flying to the quake zone: still the crash
        "与日航客机相撞的日海保飞机原定飞往地震灾区，死亡人数增至 5 人，此次事故带来哪些警示？",
    } <= crash
    assert len(crash) == 19
    # the toll as it updates through the day, and the aftershock, are one event
    assert {
        "日本石川县能登地区地震已致73人死亡",
        "日本地震遇难升至65人",
        "日本地震已致至少62人死亡",
        "日本地震死亡升至57人",
        "日本石川县能登地区地震已致 55 人死亡，造成大范围破坏、大火肆虐、核电站燃料池水溢出，目前情况如何？",
        "日本石川县发生5.5级地震",
    } <= quake
    # a word in an idiom is not the earthquake
    assert _group_of(groups, "朱丹听见sorry瞳孔地震") == {"朱丹听见sorry瞳孔地震"}


def test_same_topic_different_happenings_stay_apart(groups: list[set[str]]) -> None:
    fa = _group_of(
        groups,
        "中国足协出台职业俱乐部新规，允许冠名、有条件接受迁移、中超单场可上 5 外援，如何看待此事？",
    )
    assert fa == {
        "中国足协三条新规会产生什么影响",
        "足协：开放俱乐部一线队商业冠名",
        "中国足协出台职业俱乐部新规，允许冠名、有条件接受迁移、中超单场可上 5 外援，如何看待此事？",
        "中国足协允许俱乐部 2024—2028 赛季对球队冠名，哪些信息值得关注？",
    }
    assert "新年首战国足 1-2 不敌中国香港队，三人吃红牌，如何看待此事？" not in fa


def test_a_bare_keyword_joins_the_event_it_trends_for(groups: list[set[str]]) -> None:
    assert _group_of(groups, "纽约") == {"美国纽约发生多起爆炸事故", "纽约发生一系列爆炸", "纽约"}


def test_known_limit_a_shared_topic_word_can_still_merge(groups: list[set[str]]) -> None:
    """Documented error (benchmarks/RESULTS-radar.md): quakes elsewhere the same day join the
    Noto earthquake through '发生 N 级地震'. A place veto fixed this but cost more recall on the
    tuning days than it saved, so it is not applied."""
    quake = _group_of(groups, "日本地震已致至少73人死亡")
    assert "福建漳州发生3.5级地震" in quake and "阿根廷发生5.5级地震" in quake


def test_two_titles_need_two_shared_terms() -> None:
    docs = [Doc("weibo", normalize_title(t)) for t in ("疫苗价格下调", "新冠疫苗已停产")]
    assert EventClusterer().cluster(docs) == [[0], [1]]
    # a bare keyword joins the group holding the titles that contain it (Weibo, 2024-02-06)
    titles = ("梅西", "主办方回应梅西缺赛", "香港特区政府再回应梅西缺赛", "刘亦菲初中时期旧照")
    bare = [Doc("weibo", normalize_title(t)) for t in titles]
    assert EventClusterer().cluster(bare) == [[0, 1, 2], [3]]


def test_embedding_hook_counts_in_every_comparison() -> None:
    # Weibo, 2024-02-06: the Grammys, told once without the word 格莱美
    titles = ["格莱美颁奖礼", "王羽佳获格莱美奖", "席琳迪翁为霉霉颁奖", "梅西缺战"]
    docs = [Doc("weibo", normalize_title(t)) for t in titles]
    assert EventClusterer().cluster(docs) == [[0, 1], [2], [3]]

    def embed(texts: list[str]) -> list[list[float]]:  # a stand-in for a sentence model
        return [[0.0, 1.0] if "梅西" in t else [1.0, 0.1 * len(t)] for t in texts]

    assert EventClusterer(embed=embed, embed_weight=1.0).cluster(docs) == [[0, 1, 2], [3]]
    # the default weight (0.5, measured on the labelled days) asks for more than the stand-in gives
    assert EventClusterer(embed=embed).cluster(docs) == [[0, 1], [2], [3]]
    with pytest.raises(ValueError, match="different number of vectors"):
        EventClusterer(embed=lambda texts: [[1.0]]).cluster(docs)


def test_embeddings_are_compared_without_their_common_direction() -> None:
    # sentence models put every title near one direction (multilingual-e5: cosine ≈ 0.85 for any
    # two titles); taken as they come, two titles sharing one word would always merge
    titles = ["疫苗价格下调", "新冠疫苗已停产", "刘亦菲初中时期旧照"]
    docs = [Doc("weibo", normalize_title(t)) for t in titles]

    def embed(texts: list[str]) -> list[list[float]]:
        return [[10.0, 1.0 if i == 0 else 0.0, 1.0 if i == 1 else 0.0] for i in range(len(texts))]

    assert EventClusterer(embed=embed, embed_weight=1.0).cluster(docs) == [[0], [1], [2]]
    assert EventClusterer(embed=embed, embed_weight=1.0, embed_center=False).cluster(docs) == [
        [0, 1],
        [2],
    ]


def test_analysis_builds_events_with_the_store_history(tmp_path: Path) -> None:
    store = HistoryStore(tmp_path / "history.duckdb")
    store.add(list(read_archive(FIXTURE, "trending-in-one")))
    a = analyse(
        store,
        datetime(2024, 1, 2, 16, 0, tzinfo=UTC),
        datetime(2024, 1, 3, 16, 0, tzinfo=UTC),
        limit=50,
    )
    lee = next(
        ev for ev in a.events if any(i.title == "韩国最大在野党党首李在明遇袭" for i in ev.items)
    )
    assert lee.platforms == ["toutiao", "weibo", "zhihu"] and len(lee.items) == 20
    # the headline first, then each other platform's best angle, then the rest
    assert lee.title == lee.items[0].title
    assert {platform_of(i.source) for i in lee.items[:3]} == {"toutiao", "weibo", "zhihu"}
    crash = next(ev for ev in a.events if any(i.title == "日本羽田机场客机爆燃" for i in ev.items))
    assert crash is not lee and not any("李在明" in i.title for i in crash.items)
    assert all(i.event_id == crash.id for i in crash.items)


# --- generated variations: what the rules assume must not matter ------------------------------
def _partition(items: list[tuple[str, str]], bg: Background | None) -> set[frozenset[str]]:
    docs = [Doc(p, normalize_title(t)) for p, t in items]
    return {frozenset(items[i][1] for i in g) for g in EventClusterer(background=bg).cluster(docs)}


def test_order_of_titles_does_not_matter() -> None:
    import random

    days = _days()
    bg = Background([t for d in ("2024-01-01", "2024-01-02") for _p, t in days[d]])
    items = days["2024-01-03"]
    base = _partition(items, bg)
    for seed in range(3):
        shuffled = items[:]
        random.Random(seed).shuffle(shuffled)
        assert _partition(shuffled, bg) == base


def test_platform_labels_do_not_matter() -> None:
    days = _days()
    items = days["2024-01-03"]
    relabelled = [("weibo" if p == "toutiao" else "toutiao", t) for p, t in items]
    assert _partition(relabelled, None) == _partition(items, None)


def test_generated_framing_and_updated_numbers_join_their_event() -> None:
    """Generated variations of real titles: a Toutiao headline wrapped in Zhihu's question framing,
    and the earthquake's toll restated with other numbers, must land in the headline's event."""
    import random

    rng = random.Random(9)
    days = _days()
    bg = Background([t for d in ("2024-01-01", "2024-01-02") for _p, t in days[d]])
    items = list(days["2024-01-03"])
    templates = [
        "{}，如何看待此事？",
        "{}，哪些信息值得关注？",
        "{}，对此你怎么看？",
        "{}，具体情况如何？",
        "如何评价「{}」？",
        "{}，将带来哪些影响？",
    ]
    sources = ["日本羽田机场客机爆燃", "李在明遇袭细节公布", "中国足协三条新规会产生什么影响"]
    framed = {src: rng.choice(templates).format(src) for src in sources}
    tolls = [f"日本地震已致至少{n}人死亡" for n in rng.sample(range(80, 240), 3)]
    docs_items = items + [("zhihu", t) for t in framed.values()] + [("weibo", t) for t in tolls]
    parts = _partition(docs_items, bg)
    for src, gen in framed.items():
        assert gen in _group_of(list(parts), src), (src, gen)
    quake = _group_of(list(parts), "日本地震已致至少73人死亡")
    assert set(tolls) <= quake


def test_many_candidate_pairs_are_screened_to_the_same_groups() -> None:
    """Above ``screen_pairs`` candidate pairs the dot products are summed in numpy first and only
    the pairs that may reach the threshold are computed exactly: the same groups as computing
    every pair (here on the real day, and on long titles sharing many terms)."""
    days = _days()
    history = [t for d in ("2024-01-01", "2024-01-02") for _p, t in days[d]]
    day = [Doc(p, normalize_title(t)) for p, t in days["2024-01-03"]]
    words = sorted({t for _p, t in days["2024-01-03"]})
    long = [Doc("weibo", normalize_title(" ".join(words[i::7][:40]))) for i in range(7)] * 3
    for docs in (day, day + long):
        plain = EventClusterer(background=Background(history), screen_pairs=10**12).cluster(docs)
        screened = EventClusterer(background=Background(history), screen_pairs=0).cluster(docs)
        assert screened == plain
    assert len(day) > 100
