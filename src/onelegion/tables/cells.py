"""One cell of a spreadsheet, JSON or Parquet file as text, the way a person typed it."""

from __future__ import annotations

import json
from datetime import date, datetime, time
from typing import Any


def cell_text(v: Any) -> str | None:
    """A spreadsheet / JSON / Parquet value as text: 12.0 -> '12', dates in ISO 8601."""
    if v is None:
        return None
    if isinstance(v, bool):
        return "TRUE" if v else "FALSE"
    if isinstance(v, float):
        if v != v:
            return None
        return str(int(v)) if v.is_integer() and abs(v) < 1e15 else repr(v)
    if isinstance(v, datetime):
        return (
            v.isoformat(sep=" ")
            if (v.hour, v.minute, v.second, v.microsecond) != (0, 0, 0, 0)
            else v.date().isoformat()
        )
    if isinstance(v, (date, time)):
        return v.isoformat()
    if isinstance(v, (dict, list)):
        return json.dumps(v, ensure_ascii=False)
    s = str(v)
    return s if s != "" else None
