"""Hostile-input helpers shared by every reader: JSON that cannot crash the parser, and text
that can always be encoded as UTF-8.

- ``loads``: ``json.loads`` where integers too long for ``int()`` (Python refuses more than 4,300
  digits) stay as their digits, and nesting too deep for the parser is a ``UserError``.
- ``fix_surrogates``: lone UTF-16 surrogates (half an emoji, from a ``"\\ud83d"`` escape) become
  U+FFFD; valid pairs are joined. Strings without surrogates are returned as they are.
- ``hide_userinfo``: ``scheme://user:secret@host`` anywhere in a text becomes
  ``scheme://***@host`` (base URLs shown by `doctor`, stored in records or in error messages).
"""

from __future__ import annotations

import json
import re
from typing import Any

from onelegion.core.errors import UserError

MAX_INT_DIGITS = 4000  # below sys.get_int_max_str_digits() (4,300 by default)
_SURROGATE = re.compile("[\ud800-\udfff]")
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")
_USERINFO = re.compile(r"(?P<scheme>[A-Za-z][A-Za-z0-9+.-]*://)[^/?#\s@]+@")


def hide_userinfo(text: str) -> str:
    return _USERINFO.sub(r"\g<scheme>***@", text)


def _int_or_digits(s: str) -> int | str:
    return int(s) if len(s) <= MAX_INT_DIGITS else s


def loads(data: str | bytes, where: str) -> Any:
    """Parse JSON; ``where`` names the file (or line) in the refusal. Raises ``UserError`` for
    nesting deeper than the parser can take; ``ValueError`` (JSONDecodeError, bad UTF-8 bytes)
    is left to the caller, which knows what to say."""
    try:
        return json.loads(data, parse_int=_int_or_digits)
    except RecursionError:
        raise UserError(
            f"{where} is nested too deeply", hint="flatten the JSON (a few levels are enough)"
        ) from None


def may_hold_surrogates(text: str | bytes) -> bool:
    """Cheap test: can parsing ``text`` as JSON produce a lone surrogate?"""
    if isinstance(text, bytes):
        return re.search(rb"\\u[dD][89a-fA-F]", text) is not None
    return _SURROGATE_ESCAPE.search(text) is not None


def fix_surrogates(s: str) -> str:
    if _SURROGATE.search(s) is None:
        return s
    return s.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")


def fix_tree(v: Any, where: str) -> tuple[Any, int]:
    """``v`` (parsed JSON) with lone surrogates replaced in every string and key, and how many
    strings changed."""
    changed = 0

    def walk(x: Any) -> Any:
        nonlocal changed
        if isinstance(x, str):
            y = fix_surrogates(x)
            changed += y != x
            return y
        if isinstance(x, list):
            return [walk(i) for i in x]
        if isinstance(x, dict):
            return {walk(k): walk(i) for k, i in x.items()}
        return x

    try:
        return walk(v), changed
    except RecursionError:
        raise UserError(
            f"{where} is nested too deeply", hint="flatten the JSON (a few levels are enough)"
        ) from None


def surrogate_note(n: int) -> str:
    return (
        f"{n} value(s) or key(s) held a lone UTF-16 surrogate (half an emoji), replaced by U+FFFD"
    )
