"""Subtitle check + fix: speed on 10,000 cues and quality on real Chinese subtitles.

    .venv/bin/python benchmarks/subs_check_fix.py            # prints the markdown for RESULTS-subs.md

Speed: the four real Chinese lessons (243 cues) repeated with time offsets to 10,000 cues; median of 5
runs of check + fix + check, after one warm-up (jieba's dictionary loads once per process: its cold
load is timed separately). Baseline, same run: pysubs2 parsing + writing the same file.

Quality: per file, cues breaking a rule before and after fix (all rules, and only the rules fix owns),
with three invariants checked on every file: the visible text is unchanged but for whitespace and
punctuation, no original start moved, and each output cue lies inside the span of the cue(s) it came
from plus the gaps around them (a start moves earlier only by the lead-in, at most
Profile.lead_in_ms). Lessons 1-2 (and the English files) were used while developing fix; lessons 3-4
were held out, then seen; benchmarks/subs_holdout/ is a second hold-out drawn at random afterwards.
"""

from __future__ import annotations

import platform
import re
import statistics
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import pysubs2

from onelegion.skills.subs import fix as fix_module
from onelegion.skills.subs.fix import fix
from onelegion.skills.subs.formats import load
from onelegion.skills.subs.rules import FIX_OWNS, check, resolve_lang

ROOT = Path(__file__).resolve().parents[1]
FIX = ROOT / "tests" / "fixtures" / "subs"
TUNED = ["synfig-01.zh.srt", "synfig-02.zh.srt", "synfig-01.en.srt", "sintel.en.srt"]
HELD_OUT = ["synfig-03.zh.srt", "synfig-04.zh.srt"]
HOLDOUT_2 = ROOT / "benchmarks" / "subs_holdout"  # drawn 2026-12-01 (SOURCE.md there)
EXTRA = (
    ROOT.parent / "shared" / "data" / "subs" / "eng"
)  # other real files, when present (not needed to run)


def letters(subs: pysubs2.SSAFile) -> str:
    return re.sub(r"[\s\W_]", "", "".join(e.plaintext for e in subs if not e.is_comment))


def quality(path: Path) -> dict[str, object]:
    loaded = load(path)
    profile = resolve_lang("auto", [e.plaintext for e in loaded.subs])
    before = check(loaded.subs, profile)
    out, log = fix(loaded.subs, profile)
    after = check(out, profile)
    orig = [e for e in loaded.subs if not e.is_comment]
    # invariants
    text_ok = letters(loaded.subs) == letters(out)
    # an original start stays, or moves earlier (lead-in) by at most profile.lead_in_ms
    firsts: dict[int, int] = {}
    for ev, (a, _) in zip(out, log.origins, strict=True):
        firsts.setdefault(a, ev.start)
    starts_ok = all(0 <= orig[a - 1].start - st <= profile.lead_in_ms for a, st in firsts.items())
    max_lead = max((orig[a - 1].start - st for a, st in firsts.items()), default=0)
    span_ok = True
    max_ext = 0
    for ev, (a, b) in zip(out, log.origins, strict=True):
        prev_end = orig[a - 2].end if a > 1 else 0
        lo = max(prev_end, orig[a - 1].start - profile.lead_in_ms)
        hi_orig = orig[b - 1].end
        next_start = orig[b].start if b < len(orig) else hi_orig + 7000
        hi = max(hi_orig, next_start)
        if ev.start < lo or ev.end > hi:
            span_ok = False
        max_ext = max(max_ext, ev.end - hi_orig)
    no_punct = [r for r in FIX_OWNS if r != "punctuation"]
    return {
        "file": path.name,
        "lang": profile.lang,
        "cues": before.cues,
        "before_all": before.cues_with_issues() / before.cues,
        "before_no_punct": before.cues_with_issues(no_punct) / before.cues,
        "line_length_before": before.by_rule()["line_length"] / before.cues,
        "cues_after": after.cues,
        "after_owned": after.cues_with_issues(FIX_OWNS) / after.cues,
        "unfixed": len(log.unfixed),
        "text_ok": text_ok,
        "starts_ok": starts_ok,
        "span_ok": span_ok,
        "max_end_ext_ms": max_ext,
        "max_lead_ms": max_lead,
    }


def big_file(n: int = 10_000) -> pysubs2.SSAFile:
    parts = [
        load(FIX / name).subs
        for name in ("synfig-01.zh.srt", "synfig-02.zh.srt", "synfig-03.zh.srt", "synfig-04.zh.srt")
    ]
    out = pysubs2.SSAFile()
    offset = 0
    while len(out.events) < n:
        for part in parts:
            for e in part:
                if len(out.events) >= n:
                    break
                c = e.copy()
                c.start += offset
                c.end += offset
                out.events.append(c)
            offset = out.events[-1].end + 2000
    return out


def median_time(fn, repeat: int = 5) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def main() -> None:
    from onelegion.skills.subs import wordseg

    t = time.perf_counter()
    wordseg._jieba()
    jieba_cold = time.perf_counter() - t

    subs = big_file()
    text = subs.to_string("srt")
    profile = resolve_lang("zh")

    def baseline() -> None:
        pysubs2.SSAFile.from_string(text).to_string("srt")

    def check_fix() -> None:
        check(subs, profile)
        fixed, _ = fix(subs, profile)
        check(fixed, profile)

    wordseg.boundaries.cache_clear()
    fix_module._need_for_text.cache_clear()
    check_fix()  # warm-up (also fills nothing for the timed runs: the cache is cleared per run)

    def check_fix_cold_cache() -> None:
        wordseg.boundaries.cache_clear()
        fix_module._need_for_text.cache_clear()
        check_fix()

    t_base = median_time(baseline)
    t_fix = median_time(check_fix_cold_cache)
    t_check = median_time(lambda: check(subs, profile))

    print(
        f"# Subtitle benchmarks\n\nMachine: {platform.machine()}, {platform.processor() or '?'}, "
        f"Python {sys.version.split()[0]}, pysubs2 {pysubs2.VERSION}; {datetime.now(UTC):%Y-%m-%d %H:%M} UTC; "
        "2 cores shared with other work.\n"
    )
    print("## Speed: check + fix + check of 10,000 cues (median of 5)\n")
    print("| step | median s | ratio to baseline |\n|---|---|---|")
    print(f"| baseline: pysubs2 parse + write SRT | {t_base:.3f} | 1.0 |")
    print(f"| check only | {t_check:.3f} | {t_check / t_base:.2f} |")
    print(
        f"| check + fix + check (word and reading-need caches cleared each run) | {t_fix:.3f} | {t_fix / t_base:.2f} |"
    )
    print(f"| jieba dictionary load (once per process) | {jieba_cold:.3f} | |\n")
    print("## Quality on real subtitles\n")
    print(
        "| file | set | lang | cues | breaking before (all rules) | before, without punctuation style | lines > limit before | cues after | breaking a fix-owned rule after | unfixed | text kept | starts kept or led in | inside own gaps | max end moved ms | max start led in ms |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    files = [(FIX / n, "tuned") for n in TUNED] + [
        (FIX / n, "hold-out 1 (since seen)") for n in HELD_OUT
    ]
    if EXTRA.is_dir():
        files += [
            (p, "hold-out 1 extra (since seen)")
            for p in sorted(EXTRA.glob("*.srt"))
            if p.name != "synfig-01-basics.srt"
        ]
    files += [(p, "hold-out 2") for p in sorted(HOLDOUT_2.glob("*.srt"))]
    for path, kind in files:
        q = quality(path)
        print(
            f"| {q['file']} | {kind} | {q['lang']} | {q['cues']} | {q['before_all']:.0%} | {q['before_no_punct']:.0%} | "
            f"{q['line_length_before']:.0%} | {q['cues_after']} | {q['after_owned']:.1%} | {q['unfixed']} | "
            f"{q['text_ok']} | {q['starts_ok']} | {q['span_ok']} | {q['max_end_ext_ms']} | {q['max_lead_ms']} |"
        )


if __name__ == "__main__":
    main()
