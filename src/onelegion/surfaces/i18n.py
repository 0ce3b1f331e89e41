"""A few CLI messages in English and Simplified Chinese (chosen by --lang, settings or $LANG)."""

from __future__ import annotations

import os

_MESSAGES: dict[str, dict[str, str]] = {
    "error": {"en": "error", "zh": "错误"},
    "run": {"en": "run", "zh": "运行"},
    "cached": {"en": "cached, from", "zh": "命中缓存，来自"},
    "cancelled": {"en": "cancelled", "zh": "已取消"},
    "artifacts": {"en": "Files", "zh": "输出文件"},
    "cancelling": {
        "en": "cancelling… (Ctrl-C again to leave it running)",
        "zh": "正在取消…（再按 Ctrl-C 则不等待）",
    },
    "no_runs": {
        "en": "no runs yet — try `legion demo`",
        "zh": "还没有运行记录 —— 试试 `legion demo`",
    },
    "demo_done": {"en": "Demo finished. Open the reports:", "zh": "演示完成。报告位置："},
    "fix": {"en": "fix", "zh": "修复"},
}

_lang = "auto"


def set_language(lang: str) -> None:
    global _lang
    _lang = lang


def language() -> str:
    if _lang in ("en", "zh"):
        return _lang
    env = os.environ.get("LEGION_LANGUAGE") or os.environ.get("LANG", "")
    return "zh" if env.lower().startswith("zh") else "en"


def t(key: str) -> str:
    entry = _MESSAGES.get(key)
    return entry.get(language(), entry["en"]) if entry else key
