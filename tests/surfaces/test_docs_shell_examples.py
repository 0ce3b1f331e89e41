"""The `legion ...` examples of README.md and docs/*.md, checked so they cannot drift (issue 11).

Every example line of a fenced block (bash, sh, console or none) is checked: its command exists
and every ``--option`` it uses is one that command's ``--help`` lists. The examples that are safe
offline are also run, in a temp LEGION_HOME and a temp folder holding the files they name (copied
from tests/fixtures and the bundled samples), and must exit 0. The others are listed in NOT_RUN
with the reason; a new example must be placed in one list or the other (the test says so).
docs/cli.md (generated help) and docs/api.md (curl, test_docs_examples.py) are not here.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
FIX = ROOT / "tests" / "fixtures"
SAMPLES = ROOT / "src" / "onelegion" / "skills"
DOCS = [ROOT / "README.md", *sorted(p for p in (ROOT / "docs").glob("*.md") if p.name != "cli.md")]

# examples that are run (key: the example without its comment)
RUN = {
    "legion --help",
    "legion skills",
    "legion clean table sales.xlsx",
    "legion clean profile sales.csv",
    "legion clean table sales.csv --review",
    "legion clean table 销售.csv",
    "legion clean profile data.csv",
    "legion clean table data.csv --review",
    "legion clean table data.tsv -o data.clean.csv --canonical",
    "legion radar import ../archive/weibo --format justjavac",
    "legion radar trends --since 7d --keyword 新能源",
    "legion radar digest --since 24h",
    "legion radar demo",
    "legion radar export --since 30d --output hot.parquet",
    "legion accounts import USvideos.csv",
    "legion accounts list",
    "legion subs check film.zh.srt --lang zh",
    "legion subs fix film.zh.srt -o fixed.srt",
    "legion subs shift film.srt --by +1.5s",
    "legion write check draft.md --platform douyin",
    "legion write titles --topic 春季防晒 --n 10",
    "legion write titles --topic 春季防晒 --n 10 --from-elements elements.json",
    "legion runs list",
    "legion runs show last",
    "legion run util.echo --param message=你好 --json",
    "legion config set llm.model deepseek:deepseek-chat",
    "legion config set llm.model qwen:qwen-plus",
    "legion config set llm.model kimi:moonshot-v1-8k",
    "legion config set llm.model openai:gpt-4o-mini",
    "legion config set llm.model ollama:qwen2.5:7b",
    "legion config set llm.model 'openai-compatible:MODEL@http://127.0.0.1:8000/v1'",
    'legion config set llm.model ""',
    "legion subs shift film.srt +1.5s",
    "legion playbook list",
    "legion schedule run",
    # on the generator's exports of every marketplace and the imported USvideos slice
    "legion shop report downloads/",
    "legion shop inspect settlement.txt",
    "legion shop restock downloads/ --lead-time 35 --safety-days 14",
    "legion shop ads downloads/ --target-acos 25%",
    "legion accounts hits --hidden",
    "legion accounts hits --all --hidden",
    "legion accounts elements --since 180d",
    "legion accounts report --since 90d",
}
AFTER_ASK = "needs the plan run by the `legion ask` before it (a model)"
NETWORK = "needs the network"
LLM = "needs a language model"
LONG = "a long-running server or loop"
FILES = "needs a user's own files (exports, videos) not shipped as fixtures"
NOT_RUN = {
    "legion doctor": "probes the configured model and sources over the network",
    "legion radar scan --sources weibo,zhihu,hackernews": NETWORK,
    "legion radar scan": NETWORK,
    "legion radar scan --sources weibo,zhihu,hackernews --watch watchlist.txt": NETWORK,
    "legion radar sources": NETWORK,
    "legion radar watch --every 30m": LONG,
    "legion radar digest --since 24h --push": "pushes to configured channels (network)",
    "legion accounts fetch --platform bilibili --account 2026 --since 180d": NETWORK,
    "legion accounts fetch --platform youtube --account @vox --since 90d": NETWORK,
    "legion shop fx": NETWORK,
    "legion serve": LONG,
    "legion serve --open": LONG,
    'legion config set llm.model "openai-compatible:fake-model@http://127.0.0.1:8911/v1"': (
        "points at the fake model the walk-through starts (a server)"
    ),
    'legion ask "..." --yes --budget 0.20': LLM,
    'legion ask "clean sales.xlsx, then profile the cleaned table"': LLM,
    'legion ask "清洗 sales.csv，然后给清洗后的表做画像"': LLM,
    'legion ask "清洗 sales.xlsx，然后给清洗后的表做画像"': LLM,
    "legion playbook save last morning-brief": AFTER_ASK,
    "legion playbook save last tidy": AFTER_ASK,
    "legion playbook run morning-brief": AFTER_ASK,
    "legion playbook run tidy": AFTER_ASK,
    "legion playbook schedule morning-brief --every day --at 08:00": AFTER_ASK,
    "legion playbook schedule tidy --every day --at 08:00": AFTER_ASK,
    "legion runs show ID": "needs a run id (placeholder)",
    "legion subs review film.zh.srt --import review.xlsx": FILES,
    "legion video make script.md --transition fade --transition-s 0.5": LONG + " (ffmpeg)",
    "legion video make script.md --transition fade --transition-s 0.6": LONG + " (ffmpeg)",
    "legion mcp": LONG,
    "legion runs open last": "opens a browser",
    "legion runs rerun ID": "needs a run id (placeholder)",
    "legion runs cancel ID": "needs a run id (placeholder)",
    "legion clean table data.csv --synonyms syn.csv --dedupe --llm": LLM,
    "legion subs translate film.en.srt --to zh --glossary terms.csv --bilingual -o film.zh-en.ass": LLM,
    "legion write post --topic 春季防晒 --platform xiaohongshu --platform douyin "
    "--from-radar digest.md --from-elements elements.json": LLM,
    "legion write post --topic 春季防晒 --platform xiaohongshu --platform douyin "
    '--from-radar digest.md --from-elements elements.json --point "出门前15分钟涂" '
    "--audience 上班族": LLM,
    'legion image gen "春日海边，清新插画风" -o pic.png': "needs an image endpoint",
    "legion video make script.md --media clips/ --ratio 9:16 -o out.mp4": LONG + " (ffmpeg)",
    "legion video make script.md --voice none --music bgm.mp3 --ratio 16:9": LONG + " (ffmpeg)",
    'legion video cover --title "三分钟看懂春季防晒" --image frame.png -o cover.png': FILES,
    "legion subs burn film.mp4 film.zh.srt -o out.mp4": LONG + " (ffmpeg)",
    "legion subs review film.zh.srt --source film.en.srt --export review.xlsx": FILES,
    "legion subs review film.zh.srt --apply review.xlsx": FILES,
    "legion subs convert film.ass -o film.srt": FILES,
    "legion clean apply recipe.json june.csv": FILES,
    "legion clean apply recipe.json 十二月.csv --column-map 城市=city": FILES,
    "legion clean table data.xlsx --sheet 2 --output data.clean.parquet": FILES,
    "legion accounts import MediaCrawler/data": FILES,
    "legion accounts import MediaCrawler/data --format mediacrawler": FILES,
    'legion accounts import studio.csv --format youtube-studio --account "My channel"': FILES,
    "legion accounts import export.csv --map views=播放量,likes=点赞数,title=标题,account_name=账号": FILES,
    "legion accounts hits --account 华农兄弟 --since 90d": FILES,
    "legion accounts elements --platform bili --since 180d": FILES,
    "legion shop report downloads/ --cogs cogs.xlsx --currency USD --month 2026-10": FILES,
    "legion shop report downloads/ --cogs cogs.xlsx --currency USD --fx rates.csv --month 2026-10": FILES,
    "legion shop report downloads/ --currency-of Lazada=PHP --map 'Artikelnummer=sku'": FILES,
    "legion write check draft.md --platform xiaohongshu --banned mywords.txt --fix": FILES,
    "legion radar import DIR --format justjavac|trending-in-one|jsonl [--git-history] "
    "[--source weibo]": "a synopsis, not an example",
    "legion radar trends --since 7d [--platform weibo] [--keyword 新能源] [--watch watchlist.txt] "
    "[--llm]": ("a synopsis, not an example"),
}


def examples() -> list[tuple[str, str]]:
    """(where, command) of every `legion` line in a fenced block of the docs."""
    out = []
    for doc in DOCS:
        text = doc.read_text(encoding="utf-8")
        for m in re.finditer(r"```(bash|sh|console|)\n(.*?)```", text, re.S):
            start = text[: m.start()].count("\n") + 2
            for i, line in enumerate(m.group(2).replace("\\\n", " ").splitlines()):
                cmd = line.strip().removeprefix("$ ")
                if not re.match(r"legion(\s|$)", cmd):
                    continue
                cmd = re.split(r"\s+#\s", cmd, maxsplit=1)[0].strip()
                out.append((f"{doc.relative_to(ROOT)}:{start + i}", re.sub(r"\s+", " ", cmd)))
    return out


def _env(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LEGION_", "LC_"))}
    env.update({"LEGION_HOME": str(home), "COLUMNS": "120", "LANG": "C.UTF-8"})
    return env


@cache
def _help(words: tuple[str, ...]) -> str:
    r = subprocess.run(
        [sys.executable, "-m", "onelegion", *words, "--help"],
        capture_output=True,
        text=True,
        env=_env(Path(os.environ.get("TMPDIR", "/tmp")) / "legion-docs-help-home"),
        timeout=120,
    )
    assert r.returncode == 0, f"`legion {' '.join(words)}` is not a command: {r.stderr}"
    return r.stdout


def test_every_example_is_listed() -> None:
    found = {cmd for _where, cmd in examples()}
    assert len(found) >= 80
    unlisted = sorted(found - RUN - set(NOT_RUN))
    assert unlisted == [], "place these examples in RUN or NOT_RUN"
    assert sorted((RUN | set(NOT_RUN)) - found) == []  # no stale entries


@pytest.mark.parametrize(("where", "cmd"), examples(), ids=lambda v: str(v)[:60])
def test_options_of_every_example_exist(where: str, cmd: str) -> None:
    if NOT_RUN.get(cmd) == "a synopsis, not an example":
        argv = [w for w in cmd.replace("[", " ").replace("]", " ").split() if w != "|"]
    else:
        argv = shlex.split(cmd)
    words = tuple(w for w in argv[1:3] if not w.startswith("-"))
    if words[:1] in (("run",), ("skills",), ("serve",), ("mcp",), ("doctor",)):
        words = words[:1]
    elif words[:1] in (("runs",), ("config",)):
        words = words[:2]
    help_text = _help(words)
    for opt in (a.split("=", 1)[0] for a in argv if a.startswith("--")):
        assert re.search(rf"(^|[\s,]){re.escape(opt)}([\s/=,]|$)", help_text, re.M), (
            f"{where}: `legion {' '.join(words)}` has no option {opt}"
        )


def _workspace(d: Path) -> None:
    clean = SAMPLES / "clean" / "samples"
    shutil.copyfile(clean / "market.xlsx", d / "sales.xlsx")
    for name in ("sales.csv", "销售.csv", "data.csv"):
        shutil.copyfile(clean / "market.csv", d / name)
    (d / "data.tsv").write_text(
        (clean / "market.csv").read_text(encoding="gb18030").replace(",", "\t"), encoding="gb18030"
    )
    shutil.copytree(SAMPLES / "radar" / "samples" / "weibo", d.parent / "archive" / "weibo")
    shutil.copyfile(FIX / "accounts" / "USvideos_slice.csv", d / "USvideos.csv")
    from onelegion.skills.shop.samples import generate  # one month of every marketplace's exports

    generate(d / "downloads")
    shutil.copyfile(d / "downloads" / "Flat_File_settlement_9876500000.txt", d / "settlement.txt")
    shutil.copyfile(FIX / "subs" / "synfig-01.zh.srt", d / "film.zh.srt")
    shutil.copyfile(FIX / "subs" / "synfig-01.en.srt", d / "film.srt")
    shutil.copyfile(FIX / "write" / "elements.json", d / "elements.json")
    (d / "draft.md").write_text("# 春季防晒\n\n这是最好的防晒霜，100%有效。\n", encoding="utf-8")


def test_offline_examples_run(tmp_path: Path) -> None:
    work = tmp_path / "work"
    work.mkdir()
    _workspace(work)
    env = _env(tmp_path / "home")
    config_env = _env(tmp_path / "config-home")
    seen = set()
    failures = []
    for where, cmd in examples():
        if cmd not in RUN or cmd in seen:
            continue
        seen.add(cmd)
        argv = shlex.split(cmd)
        r = subprocess.run(
            [sys.executable, "-m", "onelegion", *argv[1:]],
            capture_output=True,
            text=True,
            # the model settings go to a home of their own: the other examples run without one
            env=config_env if cmd.startswith("legion config set") else env,
            cwd=work,
            timeout=300,
        )
        if r.returncode != 0:
            failures.append(f"{where}: `{cmd}` exit {r.returncode}: {r.stderr.strip()[-300:]}")
    assert failures == []
    assert seen == RUN
