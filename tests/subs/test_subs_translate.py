"""Translation through the loopback OpenAI-compatible fake: no drift whatever the model does,
translation memory first, glossary, bilingual output, and the no-model path."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pysubs2
import pytest
from subs_fake_translator import DriftingTranslator, fake_translation
from subs_helpers import copy_fixture
from tests.support.fake_openai import FakeOpenAI

from onelegion.core.context import Context
from onelegion.core.errors import UserError
from onelegion.core.llm import LLM
from onelegion.skills.subs import subs_translate
from onelegion.skills.subs.formats import load
from onelegion.skills.subs.memory import Memory, read_glossary
from onelegion.skills.subs.models import SubsTranslateIn
from onelegion.skills.subs.rules import check, resolve_lang
from onelegion.skills.subs.translate import (
    BatchTranslation,
    Segment,
    call_budget,
    salvage,
    validate,
)


def _llm(fake: FakeOpenAI) -> LLM:
    return LLM(f"openai-compatible:fake-model@{fake.base_url}", max_calls=500, budget_usd=10)


def _sources(path: Path) -> list[str]:
    return [e.plaintext.replace("\n", " ") for e in load(path).subs]


def test_drifting_model_never_moves_a_line(tmp_path: Path) -> None:
    src = copy_fixture("synfig-01.en.srt", tmp_path)
    translator = DriftingTranslator(drift=0.4, seed=18)
    with FakeOpenAI(replies=[translator] * 300) as fake:
        ctx = Context.for_testing(tmp_path, llm=_llm(fake))
        out = subs_translate(ctx, SubsTranslateIn(path=src, to="zh", batch_size=8, fix=False))
        requests = len(fake.chat_requests)
    assert out.output == tmp_path / "synfig-01.zh.srt"
    assert (out.cues, out.by_llm, out.left, out.ids_and_times_preserved) == (52, 52, 0, True)
    # the script really drifted, in every way (a swap keeps every id: only the echo catches it) (decided per batch, so the same under any threading)
    kinds = {k: translator.kinds.count(k) for k in sorted(set(translator.kinds))}
    assert kinds == {"drop": 2, "extra": 2, "merge": 1, "ok": 7, "reorder": 1, "swap": 1}
    # 7 first requests, 6 refused answers whose certain cues were kept, the rest asked again
    assert out.rejected_answers == 6 and out.llm_requests == requests == 14
    assert out.flagged == []
    aligned = load(out.aligned).subs
    source = load(src).subs
    assert [(e.start, e.end) for e in aligned] == [(e.start, e.end) for e in source]
    expected = [fake_translation(s) for s in _sources(src)]
    assert [re.sub(r"\s", "", e.plaintext) for e in aligned] == [
        re.sub(r"\s", "", t) for t in expected
    ]
    assert [(e.start, e.end) for e in load(out.output).subs] == [(e.start, e.end) for e in source]


def test_memory_first_then_llm_only_for_the_rest(tmp_path: Path) -> None:
    src = copy_fixture("sintel.en.srt", tmp_path)
    sources = _sources(src)
    mem_path = tmp_path / "tm.sqlite"
    with Memory(mem_path) as mem:
        mem.add(
            "en",
            "zh",
            [(sources[0], "这把刀有着黑暗的过去。"), (sources[1], "它沾满了无辜者的鲜血。")],
        )
        mem.add(
            "en",
            "zh",
            [
                (
                    "You're a fool for travelling alone, so completely unprepared.",
                    "你真傻，独自旅行，毫无准备。",
                )
            ],
        )
        mem.add(
            "en",
            "zh",
            [("You are lucky that your blood is still flowing.", "你运气好，血还在流。")],
        )
    translator = DriftingTranslator(drift=0.0)
    with FakeOpenAI(replies=[translator] * 10) as fake:
        ctx = Context.for_testing(tmp_path, llm=_llm(fake))
        out = subs_translate(ctx, SubsTranslateIn(path=src, to="zh", memory=mem_path, fix=False))
        prompts = [r.text_of("user") for r in fake.chat_requests]
    assert (out.from_memory_exact, out.from_memory_fuzzy, out.by_llm, out.left) == (2, 1, 23, 0)
    assert len(prompts) == 1 and "[1] " not in prompts[0] and "[4] " in prompts[0]
    # a near match (87, below --fuzzy 90) is not reused but shown to the model as a wording hint
    assert (
        "Reviewed translations of similar lines (keep their wording where it fits):\n"
        "- You are lucky that your blood is still flowing. => 你运气好，血还在流。"
    ) in prompts[0]
    rows = (ctx.run_dir / "translation.csv").read_text(encoding="utf-8-sig").splitlines()
    assert rows[1].endswith(",这把刀有着黑暗的过去。,memory-exact")
    assert rows[3].split(",")[-1].startswith("memory-fuzzy 9")
    html = (ctx.run_dir / "report.html").read_text(encoding="utf-8")
    assert "记忆库·完全匹配" in html and "记忆库·模糊匹配 9" in html and "<script" not in html
    assert [e.plaintext for e in load(out.aligned).subs][:3] == [
        "这把刀有着黑暗的过去。",
        "它沾满了无辜者的鲜血。",
        "你真傻，独自旅行，毫无准备。",
    ]


def test_without_a_model_memory_fills_and_the_rest_is_listed(tmp_path: Path) -> None:
    src = copy_fixture("sintel.en.srt", tmp_path)
    sources = _sources(src)
    mem_path = tmp_path / "tm.sqlite"
    with Memory(mem_path) as mem:
        mem.add("en", "zh", [(sources[0], "这把刀有着黑暗的过去。")])
    out = subs_translate(
        Context.for_testing(tmp_path), SubsTranslateIn(path=src, to="zh", memory=mem_path)
    )
    assert (out.from_memory_exact, out.by_llm, out.left, out.llm_requests) == (1, 0, 25, 0)
    assert out.note.startswith(
        "no LLM configured: 1 of 26 cues filled from translation memory, 25 left"
    )
    assert load(out.output).subs[0].plaintext == "这把刀有着黑暗的过去"  # fix: no trailing 。


def test_glossary_terms_reach_the_prompt_and_bilingual_ass(tmp_path: Path) -> None:
    src = copy_fixture("synfig-01.en.srt", tmp_path)
    gl = tmp_path / "terms.csv"
    gl.write_text(
        "source,target,note\nSynfig Studio,Synfig Studio,product name\nlayer,图层,\n",
        encoding="utf-8",
    )
    with FakeOpenAI(replies=[DriftingTranslator(drift=0.0)] * 10) as fake:
        ctx = Context.for_testing(tmp_path, llm=_llm(fake))
        out = subs_translate(
            ctx,
            SubsTranslateIn(
                path=src,
                to="zh",
                glossary=gl,
                bilingual=True,
                output=tmp_path / "bi.ass",
                batch_size=30,
            ),
        )
        prompts = [r.text_of("user") for r in fake.chat_requests]
    assert len(prompts) == 2
    assert "- Synfig Studio => Synfig Studio (product name)" in prompts[0]
    assert "- layer => 图层" in prompts[1]
    bi = pysubs2.load(str(out.output))
    assert "Source" in bi.styles and bi.styles["Source"].fontsize == 14.0
    first = bi.events[1].text
    assert (
        first.split("\\N{\\rSource}")[1]
        == "Welcome to the Synfig Studio animation software training series."
    )
    assert [(e.start, e.end) for e in bi.events] == [(e.start, e.end) for e in load(src).subs]


def test_glossary_with_duplicates_is_refused(tmp_path: Path) -> None:
    gl = tmp_path / "g.csv"
    gl.write_text("layer,图层\nLayer,层\n", encoding="utf-8")
    with pytest.raises(UserError, match=r"lists 'Layer' twice \(rows 1 and 2\)"):
        read_glossary(gl)
    src = copy_fixture("sintel.en.srt", tmp_path)
    with pytest.raises(UserError, match="twice"):
        subs_translate(
            Context.for_testing(tmp_path), SubsTranslateIn(path=src, to="zh", glossary=gl)
        )
    assert not (tmp_path / "sintel.zh.srt").exists()


def test_translate_then_fix_applies_target_rules(tmp_path: Path) -> None:
    src = copy_fixture("synfig-01.en.srt", tmp_path)
    with FakeOpenAI(replies=[DriftingTranslator(drift=0.0)] * 10) as fake:
        out = subs_translate(
            Context.for_testing(tmp_path, llm=_llm(fake)), SubsTranslateIn(path=src, to="zh")
        )
    zh = resolve_lang("zh")
    aligned, final = check(load(out.aligned).subs, zh), check(load(out.output).subs, zh)
    assert out.target_lang == "zh-Hans" and out.breaking_after == final.cues_with_issues()
    assert aligned.by_rule()["line_length"] > 0 and final.by_rule()["line_length"] == 0
    assert final.cues > aligned.cues == 52  # fix split what could not fit in two lines


def test_same_language_refused_but_simplified_to_traditional_allowed(tmp_path: Path) -> None:
    zh = copy_fixture("synfig-01.zh.srt", tmp_path)
    ctx = Context.for_testing(tmp_path)
    with pytest.raises(UserError, match="the file is already in zh-CN"):
        subs_translate(ctx, SubsTranslateIn(path=zh, to="zh-CN"))
    out = subs_translate(ctx, SubsTranslateIn(path=zh, to="zh-Hant", memory=tmp_path / "tm.sqlite"))
    assert (out.source_lang, out.target_lang, out.left) == ("zh-Hans", "zh-Hant", 52)


def test_validate_uses_the_source_echo() -> None:

    batch = [
        Segment(1, "This blade has a dark past."),
        Segment(2, "It has shed much innocent blood."),
    ]

    def answer(*items: tuple[int, str, str]) -> BatchTranslation:
        return BatchTranslation.model_validate(
            {"cues": [{"id": i, "text": t, "source_start": e} for i, t, e in items]}
        )

    good = answer(
        (2, "它沾满了无辜者的鲜血。", "It has shed"),
        (1, "这把刀有着黑暗的过去。", "This blade has"),
    )
    assert validate(good, batch) == {1: "这把刀有着黑暗的过去。", 2: "它沾满了无辜者的鲜血。"}
    swapped = answer(
        (1, "它沾满了无辜者的鲜血。", "It has shed"),
        (2, "这把刀有着黑暗的过去。", "This blade has"),
    )
    assert validate(swapped, batch) is None
    sloppy = answer(
        (1, "这把刀有着黑暗的过去。", "this blade's"), (2, "它沾满了无辜者的鲜血。", "")
    )
    assert validate(sloppy, batch) == {1: "这把刀有着黑暗的过去。", 2: "它沾满了无辜者的鲜血。"}


def _batch_answer(*items: tuple[int, str, str, str]) -> BatchTranslation:
    return BatchTranslation.model_validate(
        {"cues": [{"id": i, "text": t, "source_start": a, "source_end": b} for i, t, a, b in items]}
    )


_FIVE = [
    Segment(1, "This blade has a dark past."),
    Segment(2, "It has shed much innocent blood."),
    Segment(3, "You're a fool for traveling alone."),
    Segment(4, "I have two sons."),
    Segment(5, "I have two cats."),
]


def test_validate_tells_apart_neighbours_that_open_alike() -> None:
    swapped = _batch_answer(
        (1, "这把刀有着黑暗的过去。", "This blade has", "a dark past"),
        (2, "它沾满了无辜者的鲜血。", "It has shed", "much innocent blood"),
        (3, "独自旅行，你真傻。", "You're a fool", "for traveling alone"),
        (4, "我有两只猫。", "I have two", "have two cats"),
        (5, "我有两个儿子。", "I have two", "have two sons"),
    )
    assert validate(swapped, _FIVE) is None
    # from the refused answer only cues far from the suspects are kept: 4 and 5 are wrong, 3 is
    # their neighbour
    assert salvage(swapped, _FIVE) == {1: "这把刀有着黑暗的过去。", 2: "它沾满了无辜者的鲜血。"}


def test_salvage_keeps_only_cues_certainly_their_own() -> None:
    # cue 2 and 3 merged into item 2, later texts shifted up one id (错行), the last id repeated
    merged = _batch_answer(
        (1, "这把刀有着黑暗的过去。", "This blade has", "a dark past"),
        (2, "它沾满了无辜者的鲜血。独自旅行，你真傻。", "It has shed", "much innocent blood"),
        (3, "我有两个儿子。", "I have two", "have two sons"),
        (4, "我有两只猫。", "I have two", "have two cats"),
        (5, "我有两只猫。", "", ""),
    )
    assert validate(merged, _FIVE) is None
    # 1 is kept; 2 carries its own echoes but sits next to the shift (it holds two cues' text)
    assert salvage(merged, _FIVE) == {1: "这把刀有着黑暗的过去。"}
    dropped = _batch_answer(
        (1, "这把刀有着黑暗的过去。", "This blade has", "a dark past"),
        (2, "它沾满了无辜者的鲜血。", "It has shed", "much innocent blood"),
        (4, "我有两个儿子。", "I have two", "have two sons"),
        (5, "我有两只猫。", "I have two", "have two cats"),
        (99, "多出来的一行", "", ""),
    )
    assert salvage(dropped, _FIVE) == {1: "这把刀有着黑暗的过去。", 5: "我有两只猫。"}
    no_echo = _batch_answer(
        (1, "这把刀有着黑暗的过去。", "", ""),
        (2, "它沾满了无辜者的鲜血。", "", ""),
        (3, "独自旅行，你真傻。", "", ""),
        (4, "我有两个儿子。", "", ""),
    )
    assert validate(no_echo, _FIVE) is None
    assert salvage(no_echo, _FIVE) == {}  # without echoes nothing in a refused answer is certain


def test_requests_stay_within_budget_and_the_rest_is_flagged(tmp_path: Path) -> None:
    src = copy_fixture("synfig-01.en.srt", tmp_path)
    translator = DriftingTranslator(drift=0.0, seed=1, broken=1.0)  # never a usable answer
    with FakeOpenAI(replies=[translator] * 300) as fake:
        ctx = Context.for_testing(tmp_path, llm=_llm(fake))
        out = subs_translate(ctx, SubsTranslateIn(path=src, to="zh", batch_size=8, fix=False))
        prompts = [r.text_of("user") for r in fake.chat_requests]
    assert call_budget(52, 8) == 15  # 7 clean requests, + 8
    assert out.llm_requests == len(prompts) == 15
    assert (out.by_llm, out.left, out.flagged) == (0, 52, list(range(1, 53)))
    assert "flagged for review" in out.note
    # retries name their attempt (so the cache cannot answer them with the refused answer) and a
    # pooled retry gives each passage its own context lines
    assert sum("Attempt 2:" in p for p in prompts) == 7
    assert len(set(prompts)) == len(prompts)
    rows = list(csv.DictReader((ctx.run_dir / "translation.csv").open(encoding="utf-8")))
    assert {r["origin"] for r in rows} == {"flagged"}
