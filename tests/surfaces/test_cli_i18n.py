"""`legion` in Simplified Chinese: chosen by --lang, $LEGION_LANGUAGE or the locale, for help
pages, errors and doctor; the real command in a subprocess, as a person runs it."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from onelegion.surfaces.i18n import lang_from_argv, normalize
from onelegion.surfaces.i18n_messages import MESSAGES

LOCALE_VARS = ("LC_ALL", "LC_MESSAGES", "LANGUAGE", "LEGION_LANGUAGE", "LANG")


def legion(
    home: Path, *args: str, lang: str = "C.UTF-8", **env_vars: str
) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in LOCALE_VARS}
    env.update({"LEGION_HOME": str(home), "COLUMNS": "120", "LANG": lang, **env_vars})
    return subprocess.run(
        [sys.executable, "-m", "onelegion", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )


ROOT_HELP_ZH = [
    "用法: legion [OPTIONS] COMMAND [ARGS]...",
    "  OneLegion（一人军团）：一个人的工作室里的 AI 帮手。",
    "选项:",
    "  --debug            显示完整的错误堆栈。",
    "  --lang <str>       界面语言：auto（自动）、en（英文）或 zh（中文）。  [默认：auto]",
    "  -h, --help         显示本帮助并退出。",
    "命令:",
    "  runs    运行记录：列出、查看、输出文件、重新运行、取消。",
    "  config  查看或修改设置（LEGION_HOME 中的 legion.toml）。",
]


def test_root_help_in_chinese_with_lang_option(home: Path) -> None:
    r = legion(home, "--lang", "zh", "--help")
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    for line in ROOT_HELP_ZH:
        assert line in lines
    assert "Options:" not in r.stdout and "Show this message" not in r.stdout
    # skill-provided group descriptions are shown as the skills wrote them
    assert any(line.startswith("  util    Small utilities") for line in lines)
    assert not (home / "legion.db").exists()


def test_locale_chooses_chinese_and_overrides_are_ordered(home: Path) -> None:
    r = legion(home, "--help", lang="zh_CN.UTF-8")
    assert r.returncode == 0 and "  -h, --help         显示本帮助并退出。" in r.stdout.splitlines()
    # $LEGION_LANGUAGE beats the locale; --lang beats both
    r = legion(home, "--help", lang="zh_CN.UTF-8", LEGION_LANGUAGE="en")
    assert "  -h, --help         Show this message and exit." in r.stdout.splitlines()
    r = legion(home, "--lang", "en", "--help", lang="C.UTF-8", LEGION_LANGUAGE="zh")
    assert "  -h, --help         Show this message and exit." in r.stdout.splitlines()
    r = legion(home, "--lang=zh", "--help")
    assert "命令:" in r.stdout.splitlines()


def test_static_and_generated_command_help_in_chinese(home: Path) -> None:
    r = legion(home, "runs", "list", "--help", lang="zh_CN.UTF-8")
    assert r.returncode == 0
    assert r.stdout.splitlines()[:12] == [
        "用法: legion runs list [OPTIONS]",
        "",
        "  最近的运行。",
        "",
        "选项:",
        "  -n, --limit <int>   显示多少条（最新的在前）。  [默认：20]",
        "  --skill <str>       只看这个技能。",
        "  --status <str>      只看这个状态：queued、running、succeeded、failed、cancelled、"
        "timed_out、interrupted。",
        "  --since <str>       只看此后创建的运行：30m、24h、7d 之前，或日期时间（2026-12-01）。",
        "  --until <str>       只看此前创建的运行（写法同 --since）。",
        "  -s, --search <str>  只看技能名、参数、输出或错误中包含这段文字的运行。",
        "  --json              以 JSON 输出。",
    ]
    r = legion(home, "--lang", "zh", "util", "wait", "--help")
    assert r.returncode == 0
    lines = r.stdout.splitlines()
    for line in (
        "用法: legion util wait [OPTIONS]",
        "  Wait a number of seconds with progress; stops early when cancelled.",
        "  --seconds FLOAT     How long to wait.  [默认：1.0]",
        "  --json              以 JSON 输出结果。",
        "  --refresh           忽略缓存，重新运行。",
        "  --timeout FLOAT     运行超过 SECONDS 秒后停止。",
        "  --param NAME=VALUE  设置任意参数（值可以是 JSON）。",
        "  --params-file FILE  参数的 JSON 文件。",
        "  示例：",
    ):
        assert line in lines


def test_errors_in_chinese_keep_exit_code_2(home: Path) -> None:
    r = legion(home, "--lang", "zh", "runs", "show", "no-such-run")
    assert r.returncode == 2
    assert r.stderr.strip().splitlines() == [
        "错误：没有匹配 'no-such-run' 的运行 — 见 `legion runs list`"
    ]
    # a usage error of a static command (typer) and of a generated skill command (click)
    r = legion(home, "runs", "show", lang="zh_CN.UTF-8")
    assert r.returncode == 2
    assert r.stderr.splitlines() == [
        "用法: legion runs show [OPTIONS] {run}",
        "运行 'legion runs show -h' 查看帮助。",
        "",
        "错误：缺少参数 'run'。",
    ]
    r = legion(home, "--lang", "zh", "util", "echo", "--nope")
    assert r.returncode == 2
    assert r.stderr.splitlines()[-1] == "错误：没有选项 '--nope'。"
    r = legion(home, "--lang", "zh", "util", "wait", "--seconds", "-1")
    assert r.returncode == 2 and r.stderr.startswith("错误：invalid parameters: seconds")
    # and the same in English
    r = legion(home, "runs", "show", "no-such-run")
    assert r.stderr.strip() == "error: no run matches 'no-such-run' — see `legion runs list`"


def test_doctor_offline_in_chinese(home: Path) -> None:
    r = legion(home, "--lang", "zh", "doctor", "--offline", COLUMNS="400")
    assert r.returncode == 0, r.stderr
    lines = [" ".join(line.split()) for line in r.stdout.splitlines()]
    assert lines[0] == "检查项 详情 修复方法"
    assert f"✓ Python {sys.version.split()[0]}" in lines
    assert any(
        re.fullmatch(r"✓ 存储 \S+legion\.db · 0 次运行 · \d+ 个迁移 · 工作区可写", x) for x in lines
    )
    assert any(re.fullmatch(r"✓ 技能 \d+ 个技能：.*util\.echo, util\.wait.*", x) for x in lines)
    assert (
        "– 大模型 未配置：只走确定性流程 legion config set llm.model deepseek:deepseek-chat"
        "（并设置环境变量 DEEPSEEK_API_KEY）"
    ) in lines
    assert re.fullmatch(r"\d+\.\d 秒", lines[-1])
    # --json keeps the check names for programs; details and fixes follow the language
    r = legion(home, "doctor", "--offline", "--json", lang="zh_CN.UTF-8")
    checks = {c["name"]: c for c in json.loads(r.stdout)}
    assert checks["LLM"]["detail"] == "未配置：只走确定性流程"
    assert checks["LLM"]["fix"] == (
        "legion config set llm.model deepseek:deepseek-chat（并设置环境变量 DEEPSEEK_API_KEY）"
    )


def test_run_footer_and_runs_list_in_chinese(home: Path) -> None:
    r = legion(home, "--lang", "zh", "util", "echo", "--message", "你好")
    assert r.returncode == 0, r.stderr
    footer = r.stdout.strip().splitlines()[-1]
    assert re.fullmatch(r"✓ 运行 \d{8}-\d{6}-[0-9a-f]{6} · 成功 · \d+ ms", footer), footer
    r = legion(home, "runs", "list", lang="zh_CN.UTF-8")
    assert r.stdout.splitlines()[0].split() == [
        "ID",
        "技能",
        "状态",
        "入口",
        "开始时间",
        "毫秒",
        "缓存",
    ]
    assert r.stdout.splitlines()[1].split()[1:4] == ["util.echo", "成功", "cli"]


def test_lang_from_argv_reads_only_root_options() -> None:
    assert lang_from_argv(["--lang", "zh", "--help"]) == "zh"
    assert lang_from_argv(["--home", "/tmp/x", "--debug", "--lang=en", "doctor"]) == "en"
    assert lang_from_argv(["--home", "--lang", "doctor"]) is None  # "--lang" is the home value
    assert lang_from_argv(["radar", "scan", "--lang", "zh"]) is None  # a skill's own option
    assert lang_from_argv(["--lang"]) is None
    assert [normalize(v) for v in ("zh_CN.UTF-8", "zh-TW", "en_US", "C.UTF-8", "auto", "")] == [
        "zh",
        "zh",
        "en",
        None,
        None,
        None,
    ]


def test_every_static_command_and_option_has_both_languages() -> None:
    import typer

    from onelegion.surfaces.cli import app

    missing: list[str] = []

    def walk(command: object, path: str) -> None:
        if f"help.{path}" not in MESSAGES:
            missing.append(path)
        for param in getattr(command, "params", []):
            if param.name not in ("help",) and f"help.{path}.{param.name}" not in MESSAGES:
                missing.append(f"{path}.{param.name}")
        for name, sub in getattr(command, "commands", {}).items():
            walk(sub, name if path == "legion" else f"{path}.{name}")

    walk(typer.main.get_group(app), "legion")
    assert missing == []


@pytest.mark.parametrize("key", sorted(MESSAGES))
def test_both_languages_have_the_same_placeholders(key: str) -> None:
    en, zh = MESSAGES[key]
    assert en.strip() and zh.strip()
    fields = re.compile(r"\{(\w*)[^}]*\}")
    assert sorted(fields.findall(en)) == sorted(fields.findall(zh))


def test_language_setting_applies_once_settings_are_loaded(home: Path) -> None:
    assert legion(home, "config", "set", "language", "zh").returncode == 0
    checks = {
        c["name"]: c for c in json.loads(legion(home, "doctor", "--offline", "--json").stdout)
    }
    assert checks["LLM"]["detail"] == "未配置：只走确定性流程"
    # --lang still wins over the setting
    r = legion(home, "--lang", "en", "doctor", "--offline", "--json")
    checks = {c["name"]: c for c in json.loads(r.stdout)}
    assert checks["LLM"]["detail"] == "none configured: deterministic paths only"
