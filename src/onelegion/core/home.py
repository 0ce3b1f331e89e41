"""Where OneLegion keeps its data (light: importable without pydantic)."""

from __future__ import annotations

import os
from pathlib import Path


def default_home() -> Path:
    """``$LEGION_HOME`` or the platform's user data directory."""
    env = os.environ.get("LEGION_HOME")
    if env:
        return Path(env).expanduser()
    from platformdirs import user_data_dir

    return Path(user_data_dir("onelegion", appauthor=False))
