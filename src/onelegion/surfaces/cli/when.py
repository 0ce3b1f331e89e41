"""Times typed on the command line: ``30m``, ``24h``, ``7d`` (that long ago) or a date/time."""

from __future__ import annotations

import re
import time
from datetime import UTC, datetime

from onelegion.core.errors import UserError
from onelegion.surfaces.i18n import t

_SPAN = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([smhdw])\s*$")
_UNIT = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}


def parse_when(value: str, option: str, *, now: float | None = None) -> float:
    """Epoch seconds. A span counts back from ``now``; a date without a zone is local time."""
    m = _SPAN.match(value)
    if m:
        return (time.time() if now is None else now) - float(m.group(1)) * _UNIT[m.group(2)]
    try:
        dt = datetime.fromisoformat(value.strip())
    except ValueError:
        raise UserError(t("bad_when", option=option, value=value)) from None
    if dt.tzinfo is None:
        dt = dt.astimezone()  # the machine's zone, as a person typing a date means
    return dt.astimezone(UTC).timestamp()
