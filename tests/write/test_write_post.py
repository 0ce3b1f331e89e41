"""write.post and write.titles: templated (no LLM) and model-written drafts, grounded in a real
radar digest and an elements report, checked and fixed; through the runner and the CLI."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from tests.support.fake_openai import FakeOpenAI

from onelegion.core.context import Context
from onelegion.core.errors import UserError
from onelegion.core.llm import LLM
from onelegion.skills.write import write_post, write_titles
from onelegion.skills.write.check import check_text
from onelegion.skills.write.grounding import read_radar
from onelegion.skills.write.models import WritePostIn, WriteTitlesIn
from onelegion.skills.write.platforms import get_platform

FIX = Path(__file__).resolve().parents[1] / "fixtures" / "write"
LEGION = str(Path(sys.executable).with_name("legion"))


def _fixture(name: str, tmp_path: Path) -> Path:
    return Path(shutil.copyfile(FIX / name, tmp_path / name))


def test_radar_digest_is_read_from_markdown_and_json_alike(tmp_path: Path) -> None:
    md = read_radar(_fixture("radar-digest.md", tmp_path))
    js = read_radar(_fixture("radar-digest.json", tmp_path))
    assert md[0] == "贾玲张小斐 我真的会谢" and "停止乱吃气血就回来了" in md
    assert set(md[:8]) <= set(js) or set(js[:8]) <= set(md)
    bad = tmp_path / "x.json"
    bad.write_text("{}", encoding="utf-8")
    with pytest.raises(UserError, match="no hot-list titles"):
        read_radar(bad)


def test_template_posts_for_two_platforms_are_grounded_checked_and_marked(tmp_path: Path) -> None:
    radar = _fixture("radar-digest.md", tmp_path)
    elements = _fixture("elements.json", tmp_path)
    before = radar.read_bytes(), elements.read_bytes()
    out = write_post(
        Context.for_testing(tmp_path),
        WritePostIn(
            topic="气血养生",
            platform=["xiaohongshu", "wechat"],
            from_radar=radar,
            from_elements=elements,
            point=["早睡比补品有用", "少吃冰饮", "每天快走30分钟"],
            audience="上班族",
            output=tmp_path / "posts" / "post.md",
        ),
    )
    assert (radar.read_bytes(), elements.read_bytes()) == before
    assert [p.platform for p in out.posts] == ["xiaohongshu", "wechat"]
    assert out.note and "no LLM configured" in out.note
    for p in out.posts:
        assert p.source == "template" and p.errors == 0
        text = p.file.read_text(encoding="utf-8")
        assert text == p.text and "模板草稿 template draft" in text
        assert "早睡比补品有用" in text and "停止乱吃气血就回来了" in text
        assert any(x.startswith("radar: 停止乱吃气血") for x in p.drew_on)
        assert any("误区" in x for x in p.drew_on)
        plat = get_platform(p.platform)
        assert len(p.title) <= plat.title_max
        assert "3个" in p.title or not any(c.isdigit() for c in p.title)  # count = points given
    xhs, wechat = out.posts
    assert "#气血养生" in xhs.text and "✅" in xhs.text
    assert xhs.title == "3个气血养生误区，你中了几个"  # the best mined pattern, seed 0
    assert "摘要：" in wechat.text and "## 导语" in wechat.text and "✅" not in wechat.text
    # the folder now exists: another run writes beside the first posts
    again = write_post(
        Context.for_testing(tmp_path),
        WritePostIn(topic="气血养生", platform=["weibo"], output=tmp_path / "posts" / "post.md"),
    )
    assert again.posts[0].file == tmp_path / "posts" / "post.weibo.md" and xhs.file.exists()


def test_llm_draft_is_structured_fixed_and_says_what_it_drew_on(tmp_path: Path) -> None:
    reply = {
        "title": "最好用的春季防晒清单",
        "body": "春天紫外线已经很强。出门前15分钟涂防晒，户外每2小时补涂。这是第一个要记住的习惯。"
        * 4,
        "hashtags": ["#防晒", "春季护肤", "防晒"],
        "drew_on": ["pattern: {audience}的{topic}清单"],
    }
    with FakeOpenAI(replies=[reply]) as fake:
        llm = LLM(f"openai-compatible:fake-model@{fake.base_url}", max_calls=5, budget_usd=1)
        out = write_post(
            Context.for_testing(tmp_path, llm=llm),
            WritePostIn(
                topic="春季防晒",
                platform=["xiaohongshu"],
                from_elements=_fixture("elements.json", tmp_path),
            ),
        )
        prompt = json.dumps(fake.requests[0].body, ensure_ascii=False)
    assert "误区" in prompt and "春季防晒" in prompt  # the mined patterns reached the model
    p = out.posts[0]
    assert p.source == "llm" and out.llm_model and out.note is None
    assert p.text.startswith("# 很好用的春季防晒清单")  # 最好 fixed by the checker
    assert "首先要记住" in p.text and p.fixes_applied == 5 and p.errors == 0
    assert p.title == "很好用的春季防晒清单" and p.warnings == 0
    assert p.text.count("#防晒") == 1 and "#春季护肤" in p.text
    assert p.drew_on[0] == "pattern: {audience}的{topic}清单" and any(
        x.startswith("element:") for x in p.drew_on
    )


def test_titles_follow_mined_patterns_first_and_sink_bad_ones(tmp_path: Path) -> None:
    ctx = Context.for_testing(tmp_path)
    out = write_titles(
        ctx,
        WriteTitlesIn(
            topic="春季防晒",
            n=30,
            from_elements=_fixture("elements.json", tmp_path),
            audience="学生党",
        ),
    )
    assert out.titles[0].source == "elements" and "误区" in out.titles[0].title
    assert all(t.fits for t in out.titles[:5])
    assert [t.score for t in out.titles] == sorted((t.score for t in out.titles), reverse=True)
    assert out.note and "no LLM" in out.note
    plain = write_titles(ctx, WriteTitlesIn(topic="春季防晒", n=5, platform="douyin"))
    assert {t.source for t in plain.titles} == {"builtin"} and len(plain.titles) == 5
    with FakeOpenAI(replies=[{"titles": ["全网第一的春季防晒方法", "春季防晒，三步就够"]}]) as fake:
        llm = LLM(f"openai-compatible:fake-model@{fake.base_url}", max_calls=5, budget_usd=1)
        withllm = write_titles(
            Context.for_testing(tmp_path, llm=llm), WriteTitlesIn(topic="春季防晒", n=40)
        )
    by = {t.title: t for t in withllm.titles}
    assert by["春季防晒，三步就够"].source == "llm" and not by["春季防晒，三步就够"].findings
    bad = by["全网第一的春季防晒方法"]
    assert bad.findings and bad is withllm.titles[-1]


def test_bad_elements_report_is_refused_in_one_line(tmp_path: Path) -> None:
    e = tmp_path / "e.json"
    e.write_text(
        json.dumps({"title_patterns": [{"pattern": "防晒技巧", "lift": 2}]}), encoding="utf-8"
    )
    with pytest.raises(UserError, match="has no \\{topic\\}"):
        write_titles(Context.for_testing(tmp_path), WriteTitlesIn(topic="x", from_elements=e))
    e.write_text(
        json.dumps({"title_patterns": [{"pattern": "{topic}", "lift": -1}]}), encoding="utf-8"
    )
    with pytest.raises(UserError, match="title_patterns.0.lift"):
        write_titles(Context.for_testing(tmp_path), WriteTitlesIn(topic="x", from_elements=e))


def test_through_the_runner_and_the_cli(runtime: Any, tmp_path: Path) -> None:
    d = tmp_path / "d.md"
    d.write_text("# 国家级好物\n正文。\n", encoding="utf-8")
    res = runtime.runner.run(
        "write.check", {"path": str(d), "platform": "douyin"}, allowed_roots=(tmp_path,)
    )
    assert res.status == "succeeded", res.error
    assert res.output["errors"] >= 1 and {a.name for a in res.artifacts} >= {
        "findings.csv",
        "report.html",
    }
    env = {**os.environ, "LEGION_HOME": str(tmp_path / "h")}
    r = subprocess.run(
        [
            LEGION,
            "write",
            "post",
            "--topic",
            "春季防晒",
            "--platform",
            "douyin",
            "--platform",
            "bilibili",
            "--json",
        ],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
        timeout=120,
    )
    assert r.returncode == 0, r.stderr
    posts = json.loads(r.stdout)["output"]["posts"]
    assert [p["platform"] for p in posts] == ["douyin", "bilibili"]
    for p in posts:
        found, _ = check_text(
            Path(p["file"]).read_text(encoding="utf-8"), get_platform(p["platform"])
        )
        assert not [f for f in found if f.severity == "error"]
    r = subprocess.run(
        [LEGION, "write", "check", "nope.md"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
        timeout=120,
    )
    assert r.returncode == 2 and "Traceback" not in r.stderr
