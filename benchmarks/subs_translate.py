"""Translating 1,000 cues through a loopback OpenAI-compatible fake that drifts on purpose.

    .venv/bin/python benchmarks/subs_translate.py

The cues are 1,000 English sentences of the Tatoeba export (../shared/data/subs/tatoeba when present,
else the 300-pair test fixture repeated), 2.5 s each. The fake (tests/subs/subs_fake_translator.py)
answers every id with a deterministic "translation" of its own source, and in a share of multi-cue
answers drops a line, merges two lines (later texts shift up one id: 错行), invents an id, swaps two
neighbours' texts under their ids, or reverses the order (harmless). Measured: LLM requests, cue ids and times preserved, and cues whose text is the
translation of their own source (no drift). Baseline in the same run: a fake that never drifts.
"""

from __future__ import annotations

import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests" / "subs")]

from subs_fake_translator import DriftingTranslator, fake_translation  # noqa: E402
from tests.support.fake_openai import FakeOpenAI  # noqa: E402

from onelegion.core.context import Context  # noqa: E402
from onelegion.core.llm import LLM  # noqa: E402
from onelegion.skills.subs.formats import load  # noqa: E402
from onelegion.skills.subs.models import SubsTranslateIn  # noqa: E402
from onelegion.skills.subs.translate import run_translate  # noqa: E402

TATOEBA = ROOT.parent / "shared" / "data" / "subs" / "tatoeba" / "cmn-3000.txt"
FIXTURE = ROOT / "tests" / "fixtures" / "subs" / "tatoeba-300.tsv"
SEEDS = (1, 2, 3, 4, 5)


def sentences(n: int) -> list[str]:
    src = TATOEBA if TATOEBA.exists() else FIXTURE
    english = [
        line.split("\t")[0] for line in src.read_text(encoding="utf-8").splitlines() if "\t" in line
    ]
    seen: list[str] = []
    for s in english:  # unique sentences (the memory is empty, so this only keeps the count honest)
        if s not in seen:
            seen.append(s)
    out = []
    k = 0
    while len(out) < n:
        out.append(seen[k % len(seen)] + ("" if k < len(seen) else f" ({k // len(seen)})"))
        k += 1
    return out


def make_srt(path: Path, n: int = 1000) -> list[str]:
    texts = sentences(n)
    blocks = []
    for i, t in enumerate(texts):
        a, b = i * 3000, i * 3000 + 2500
        blocks.append(f"{i + 1}\n{_ts(a)} --> {_ts(b)}\n{t}\n")
    path.write_text("\n".join(blocks), encoding="utf-8")
    return texts


def _ts(ms: int) -> str:
    h, r = divmod(ms, 3_600_000)
    m, r = divmod(r, 60_000)
    s, ms = divmod(r, 1000)
    return f"{h:02d}:{m:02d}:{s:02d},{ms:03d}"


def run(drift: float, seed: int, broken: float = 0.0) -> dict[str, object]:
    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        src = tmp / "film.en.srt"
        texts = make_srt(src)
        translator = DriftingTranslator(drift=drift, seed=seed, broken=broken)
        with FakeOpenAI(replies=[translator] * 400) as fake:
            llm = LLM(
                f"openai-compatible:fake-model@{fake.base_url}", max_calls=400, budget_usd=100
            )
            ctx = Context.for_testing(tmp, llm=llm)
            t = time.perf_counter()
            out = run_translate(ctx, SubsTranslateIn(path=src, to="zh", fix=False))
            elapsed = time.perf_counter() - t
            http_requests = len(fake.chat_requests)
            llm.close()
        aligned = load(out.aligned).subs
        own = sum(
            1
            for e, s in zip(aligned, texts, strict=True)
            if e.plaintext.replace("\n", "") == fake_translation(s)
        )
        times = all(e.start == i * 3000 and e.end == i * 3000 + 2500 for i, e in enumerate(aligned))
        return {
            "drift": drift,
            "seed": seed,
            "requests": out.llm_requests,
            "http": http_requests,
            "flagged": len(out.flagged),
            "rejected": out.rejected_answers,
            "broken": translator.kinds.count("broken"),
            "drifted_answers": sum(
                1 for k in translator.kinds if k in ("drop", "merge", "extra", "swap")
            ),
            "reordered": translator.kinds.count("reorder"),
            "cues": len(aligned),
            "ids_times": out.ids_and_times_preserved and times and len(aligned) == 1000,
            "own": own,
            "seconds": elapsed,
        }


def main() -> None:
    print(
        f"Machine: {platform.machine()}, Python {sys.version.split()[0]}; {time.strftime('%Y-%m-%d %H:%M', time.gmtime())} UTC\n"
    )
    print(
        "| fake drift share | seed | LLM requests | requests the fake received | answers refused | drifting answers sent | reordered (accepted) | cues out | ids + times kept | cues with their own translation | flagged for review | seconds |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|---|")
    rows = []
    for drift in (0.0, 0.1, 0.3, 0.5):
        for seed in SEEDS:
            r = run(drift, seed)
            rows.append(r)
            print(
                f"| {drift:.0%} | {seed} | {r['requests']} | {r['http']} | {r['rejected']} | {r['drifted_answers']} | {r['reordered']} | "
                f"{r['cues']} | {r['ids_times']} | {r['own']}/1000 | {r['flagged']} | {r['seconds']:.2f} |"
            )
    base = statistics.median(float(str(r["requests"])) for r in rows if r["drift"] == 0.0)
    for drift in (0.1, 0.3, 0.5):
        med = statistics.median(float(str(r["requests"])) for r in rows if r["drift"] == drift)
        secs = statistics.median(float(str(r["seconds"])) for r in rows if r["drift"] == drift)
        print(
            f"\nmedian requests at {drift:.0%} drift: {med:g} ({med / base:.2f}x the non-drifting baseline of {base:g}); median wall time {secs:.2f} s",
            end="",
        )
    print("\n\nWhole answers unusable (not JSON), any batch size, besides no drift:\n")
    print(
        "| broken share | seed | LLM requests | requests the fake received | broken answers | cues translated | cues with their own translation | flagged for review | seconds |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    for broken in (0.3, 0.5):
        for seed in SEEDS:
            r = run(0.0, seed, broken=broken)
            print(
                f"| {broken:.0%} | {seed} | {r['requests']} | {r['http']} | {r['broken']} | "
                f"{1000 - int(str(r['flagged']))} | {r['own']}/1000 | {r['flagged']} | {r['seconds']:.2f} |"
            )
    print()


if __name__ == "__main__":
    main()
