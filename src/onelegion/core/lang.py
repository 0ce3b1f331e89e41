"""The language of what a person reads (messages, terminal summaries, reports): one per process,
chosen by the surface (``--lang``, ``$LEGION_LANGUAGE``, the ``language`` setting, the locale).

Skills ask with :func:`language` or write both texts with :func:`tr`; the surfaces decide.
"""

from __future__ import annotations

import os

LANGUAGES = ("en", "zh")

_chosen: str | None = None  # --lang
_configured: str | None = None  # the `language` setting


def normalize(value: str | None) -> str | None:
    """'zh', 'zh-CN', 'zh_CN.UTF-8', 'cn' → 'zh'; 'en…' → 'en'; anything else → None."""
    v = (value or "").strip().lower().replace("_", "-")
    if v.startswith(("zh", "cn")):
        return "zh"
    if v.startswith("en"):
        return "en"
    return None


def set_language(lang: str | None) -> None:
    """The language asked for with ``--lang`` ('auto' or None: decide from the environment)."""
    global _chosen
    _chosen = normalize(lang)


def set_configured_language(lang: str | None) -> None:
    """The ``language`` setting: used when neither --lang nor $LEGION_LANGUAGE decides."""
    global _configured
    _configured = normalize(lang)


def language() -> str:
    """'en' or 'zh': --lang, then $LEGION_LANGUAGE, the setting, the locale, else English."""
    if _chosen:
        return _chosen
    env = normalize(os.environ.get("LEGION_LANGUAGE"))
    if env:
        return env
    if _configured:
        return _configured
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(var)
        if value:
            return "zh" if normalize(value) == "zh" else "en"
    return "en"


def tr(en: str, zh: str) -> str:
    """The text in the current language."""
    return zh if language() == "zh" else en
