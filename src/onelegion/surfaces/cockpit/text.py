"""A page's language and its words, from the catalogues (cockpit's first, then the CLI's)."""

from __future__ import annotations

import time
from typing import Any

from onelegion.surfaces.i18n import language, normalize
from onelegion.surfaces.i18n_cockpit import COCKPIT_MESSAGES
from onelegion.surfaces.i18n_messages import MESSAGES

LANG_COOKIE = "legion_lang"


def page_language(cookie: str | None, query: str | None = None) -> str:
    return normalize(query) or normalize(cookie) or language()


def tr(lang: str, key: str, **fmt: Any) -> str:
    entry = COCKPIT_MESSAGES.get(key) or MESSAGES.get(key)
    if entry is None:
        return key
    text = entry[1] if lang == "zh" else entry[0]
    return text.format(**fmt) if fmt else text


def ago(ts: float | None, now: float | None = None) -> str:
    if ts is None:
        return ""
    d = max(0, int((now or time.time()) - ts))
    if d < 60:
        return f"{d}s"
    if d < 3600:
        return f"{d // 60}m"
    if d < 86400:
        return f"{d // 3600}h"
    return f"{d // 86400}d"
