"""A scripted translator for the loopback OpenAI-compatible fake: reads the ids and source lines
from the prompt and answers with deterministic "translations", sometimes drifting on purpose."""

from __future__ import annotations

import random
import re
import threading
from typing import Any

from tests.support.fake_openai import FakeRequest

_CUE = re.compile(r"^\[(\d+)\] (.*)$", re.M)


def fake_translation(source: str) -> str:
    return f"译{len(source)}：{source.strip()}"


class DriftingTranslator:
    """Callable reply for FakeOpenAI. ``drift`` is the share of multi-cue answers that go wrong: a
    dropped line, two lines merged into one (later texts shift up one id), an invented id, two
    neighbours' texts swapped under their ids (only the source echoes show it), or items
    reordered (harmless: ids count).
    Single-cue answers never drift. ``broken`` is the share of answers of any size that are not
    JSON at all (nothing in them can be used). A retry (the prompt names its attempt) rolls anew."""

    def __init__(self, drift: float = 0.3, seed: int = 7, broken: float = 0.0) -> None:
        self.seed = seed
        self.drift = drift
        self.broken = broken
        self.lock = threading.Lock()
        self.kinds: list[str] = []

    def __call__(self, req: FakeRequest) -> Any:
        text = req.text_of("user")
        cues = [(int(i), s) for i, s in _CUE.findall(text.split("Context after")[0])]
        items = [
            {
                "id": i,
                "text": fake_translation(s),
                "source_start": " ".join(s.split()[:3]),
                "source_end": " ".join(s.split()[-3:]),
            }
            for i, s in cues
        ]
        # decided by the batch itself, not by arrival order: the same under any thread interleaving
        attempt = re.search(r"^Attempt (\d+):", text, re.M)
        rng = random.Random(
            f"{self.seed}:{cues[0][0] if cues else 0}:{len(cues)}"
            + (f":{attempt.group(1)}" if attempt else "")
        )
        roll = rng.random()
        if self.broken and rng.random() < self.broken:
            with self.lock:
                self.kinds.append("broken")
            return "Sure! Here are the translations you asked for, one per line."
        kind = (
            rng.choice(["drop", "merge", "extra", "reorder", "swap"])
            if len(items) > 1 and roll < self.drift
            else "ok"
        )
        with self.lock:
            self.kinds.append(kind)
        if kind == "drop":
            del items[len(items) // 2]
        elif kind == "merge":
            k = len(items) // 2
            items[k - 1]["text"] += items[k]["text"]
            del items[k]
            for j in range(k, len(items)):  # the classic 错行: later texts shift up one id
                items[j]["id"] -= 1
            items.append({"id": cues[-1][0], "text": items[-1]["text"]})
        elif kind == "extra":
            items.append({"id": cues[-1][0] + 1000, "text": "多出来的一行"})
        elif kind == "reorder":
            items.reverse()
        elif kind == "swap":  # two neighbours' texts (and echoes) trade places, ids stay: 错行
            k = len(items) // 2
            for key in ("text", "source_start", "source_end"):
                items[k - 1][key], items[k][key] = items[k][key], items[k - 1][key]
        return {"cues": items}
