"""Cross-platform clustering: real January 2024 titles, short-title guards, the embedding hook."""

from __future__ import annotations

from pathlib import Path

from onelegion.skills.radar.cluster import Clusterer, Doc
from onelegion.skills.radar.importers import read_archive
from onelegion.skills.radar.normalize import normalize_title

FIXTURES = Path(__file__).parents[1] / "fixtures" / "radar" / "trending-in-one"


def groups_of(titles: list[tuple[str, str]], **kw: object) -> list[list[str]]:
    docs = [Doc(src, normalize_title(t)) for src, t in titles]
    groups = Clusterer(**kw).cluster(docs)  # type: ignore[arg-type]
    return [sorted(f"{docs[i].source}:{docs[i].title}" for i in g) for g in groups if len(g) > 1]


def test_same_story_different_titles() -> None:
    got = groups_of(
        [
            ("weibo", "特斯拉召回超160万辆车"),
            (
                "zhihu",
                "特斯拉召回超 160 万辆车，自动辅助转向开启后，司机可能误用2级组合驾驶辅助功能，哪些信息值得关注？",
            ),
            ("toutiao", "格力回应玫瑰空调被吐槽又土又贵"),
            ("weibo", "格力回应玫瑰空调被吐槽又土又贵"),
            ("zhihu", "如何评价冬季养生？"),
        ]
    )
    assert sorted(got) == [
        ["toutiao:格力回应玫瑰空调被吐槽又土又贵", "weibo:格力回应玫瑰空调被吐槽又土又贵"],
        [
            "weibo:特斯拉召回超160万辆车",
            "zhihu:"
            + normalize_title(
                "特斯拉召回超 160 万辆车，自动辅助转向开启后，司机可能误用2级组合驾驶辅助功能，哪些信息值得关注？"
            ),
        ],
    ]


def test_short_and_bare_place_titles_do_not_match() -> None:
    got = groups_of(
        [
            ("weibo", "上海"),
            ("toutiao", "上海男孩离开哈尔滨前大哭不想走"),
            ("weibo", "哈尔滨"),
            ("zhihu", "哈尔滨冰雪大世界最近很火，真实的游玩体验如何？"),
        ]
    )
    assert got == []


def test_same_platform_needs_near_identical_titles() -> None:
    got = groups_of(
        [("weibo", "官方回应7旬爷爷老来得子"), ("weibo", "女子分享自己7旬爷爷老来得子")]
    )
    assert got == []


def test_embedding_hook_adds_semantic_matches() -> None:
    titles = [
        ("weibo", "朝鲜向韩国西部海域发射200多发海岸炮"),
        ("toutiao", "朝军在半岛西部海域发射200多枚炮弹"),
    ]
    assert groups_of(titles, jaccard=0.9, containment=0.99, token_containment=0.99) == []

    def embed(texts: list[str]) -> list[list[float]]:
        return [[1.0, 0.0] if "炮" in t else [0.0, 1.0] for t in texts]

    got = groups_of(titles, jaccard=0.9, containment=0.99, token_containment=0.99, embed=embed)
    assert len(got) == 1 and len(got[0]) == 2


def test_real_day_clusters_known_events() -> None:
    docs = []
    for snap in read_archive(FIXTURES, "trending-in-one"):
        if snap.captured_at.date().isoformat() == "2024-01-05":
            docs += [Doc(snap.source, normalize_title(it.title)) for it in snap.items]
    groups = Clusterer().cluster(docs)
    where = {docs[i].title: gi for gi, g in enumerate(groups) for i in g}
    assert where["日本记者吐槽民众给震区寄千纸鹤"] == where["日本记者吐槽民众给灾区寄千纸鹤"]
    assert (
        where["广西北海地震"]
        == where[
            normalize_title("1 月 4 日广西北海海域发生 4.2 级地震，目前情况如何？会有多大影响？")
        ]
    )
    assert where["广西北海地震"] != where["日本记者吐槽民众给震区寄千纸鹤"]
