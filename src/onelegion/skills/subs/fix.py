"""Automatic fixes for the rules in :mod:`rules` (no LLM).

Order: drop empty cues, sort, merge back-to-back duplicates, normalise Chinese punctuation, re-break
lines, split cues that cannot fit in two lines (or are too long to read) at a sentence or clause
boundary with times shared by characters, then timing: remove overlaps and too-small gaps, extend
cues into the following gap for the minimum duration and the reading speed, merge cues still too
short, close small gaps. An end moves only into the gap that follows it; a start moves only for a
split cue's new parts, or as a last resort for a cue still too fast or too short to read: up to
``Profile.lead_in_ms`` earlier into the gap before it. Text changes only in line breaks and
punctuation.
"""

from __future__ import annotations

import itertools
import math
import re
from dataclasses import dataclass, field
from functools import lru_cache

import pysubs2

from onelegion.skills.subs.formats import plain_lines
from onelegion.skills.subs.layout import (
    best_layout,
    best_split,
    has_inner_tags,
    join_lines,
    leading_tags,
    relayout,
)
from onelegion.skills.subs.rules import (
    _ZH_DOT,
    _ZH_ELLIPSIS,
    _ZH_HALF,
    _ZH_HALF_NEAR_HAN,
    Profile,
    bad_break,
    cps,
    frame_ms,
    width,
)

_TAG_SPLIT = re.compile(r"(\{[^}]*\})")
_TRAIL = re.compile(r"[，。、]+(?=(?:\{[^}]*\})*$)")
MAX_SPLIT_DEPTH = 4


@dataclass
class Cue:
    start: int
    end: int
    text: str  # raw (tags, \N)
    event: pysubs2.SSAEvent  # the original event (style, name, margins, effect)
    origin: tuple[int, int]  # first and last 1-based original cue this one comes from

    @property
    def lines(self) -> list[str]:
        return [ln for ln in plain_lines(self.text) if ln]

    @property
    def duration(self) -> int:
        return self.end - self.start


@dataclass
class FixLog:
    changes: list[dict[str, object]] = field(default_factory=list)
    unfixed: list[dict[str, object]] = field(default_factory=list)
    origins: list[tuple[int, int]] = field(default_factory=list)  # per output cue, in order

    def change(self, cue: Cue, fix: str, before: str, after: str) -> None:
        self.changes.append({"cue": _origin(cue), "fix": fix, "before": before, "after": after})

    def cannot(self, cue: Cue, rule: str, why: str) -> None:
        row: dict[str, object] = {"cue": _origin(cue), "rule": rule, "why": why}
        if row not in self.unfixed:  # the parts of a split cue share its number
            self.unfixed.append(row)


def _origin(cue: Cue) -> str:
    a, b = cue.origin
    return str(a) if a == b else f"{a}-{b}"


def normalise_raw(raw: str) -> str:
    """Chinese punctuation style on a cue's raw text (tags untouched)."""
    lines = re.split(r"(\\N)", raw)
    out = []
    for part in lines:
        if part == "\\N":
            out.append(part)
            continue
        segs = _TAG_SPLIT.split(part)
        for i, seg in enumerate(segs):
            if i % 2 == 0 and seg:
                seg = _ZH_ELLIPSIS.sub("⋯", seg)
                seg = _ZH_DOT.sub("·", seg)
                segs[i] = _ZH_HALF_NEAR_HAN.sub(lambda m: _ZH_HALF[m.group(0)], seg)
        out.append(re.sub(r"\s+(?=(?:\{[^}]*\})*$)", "", "".join(segs)))
    out[-1] = _TRAIL.sub("", out[-1])  # only at the end of the cue
    return "".join(out)


def fix(
    subs: pysubs2.SSAFile, profile: Profile, fps: float = 24.0
) -> tuple[pysubs2.SSAFile, FixLog]:
    """A fixed copy of ``subs`` and what was done / could not be done."""
    log = FixLog()
    events = [e for e in subs.events if not e.is_comment]
    comments = [e for e in subs.events if e.is_comment]
    cues = [Cue(e.start, e.end, e.text, e, (i, i)) for i, e in enumerate(events, 1)]
    gap = math.ceil(profile.min_gap_frames * frame_ms(fps))
    close_max = (profile.close_gap_frames + 0.5) * frame_ms(fps)

    cues = _drop_empty(cues, log)
    cues = _sort(cues, log)
    cues = _merge_duplicates(cues, log, close_max)
    if profile.lang.startswith("zh"):
        for c in cues:
            new = normalise_raw(c.text)
            if new != c.text:
                log.change(c, "punctuation", c.text, new)
                c.text = new
    cues = _layout_all(cues, profile, log, gap)
    _timing(cues, profile, log, gap, close_max)
    _lead_in(cues, profile, log, gap)
    cues = _merge_short(cues, profile, log, gap)
    _close_gaps(cues, profile, log, gap, close_max, fps)
    for c in cues:
        if (
            profile.min_duration_ms <= c.duration
            and cps(c.lines, c.duration, profile) > profile.max_cps + 1e-9
        ):
            log.cannot(c, "cps", "too fast to read and no room in the following gap")
    if profile.lang.startswith("zh"):
        for c in cues:
            c.text = normalise_raw(c.text)

    out = pysubs2.SSAFile()
    out.info = dict(subs.info)
    out.styles = {k: v.copy() for k, v in subs.styles.items()}
    out.fonts_opaque = dict(subs.fonts_opaque)
    out.aegisub_project = dict(subs.aegisub_project)
    for c in cues:
        ev = c.event.copy()
        ev.start, ev.end, ev.text = c.start, c.end, c.text
        out.events.append(ev)
        log.origins.append(c.origin)
    out.events.extend(e.copy() for e in comments)
    out.format = subs.format
    return out, log


def _drop_empty(cues: list[Cue], log: FixLog) -> list[Cue]:
    kept = []
    for c in cues:
        if "".join(c.lines).strip():
            kept.append(c)
        else:
            log.change(c, "empty", c.text, "(removed)")
    return kept


def _sort(cues: list[Cue], log: FixLog) -> list[Cue]:
    ordered = sorted(cues, key=lambda c: (c.start, c.end))
    if ordered != cues:
        moved = sum(1 for a, b in zip(cues, ordered, strict=True) if a is not b)
        log.changes.append(
            {
                "cue": "*",
                "fix": "order",
                "before": "",
                "after": f"{moved} cues re-ordered by start time",
            }
        )
    return ordered


def _merge_duplicates(cues: list[Cue], log: FixLog, close_max: float) -> list[Cue]:
    out: list[Cue] = []
    for c in cues:
        if (
            out
            and "\n".join(c.lines) == "\n".join(out[-1].lines)
            and c.start - out[-1].end <= close_max
        ):
            prev = out[-1]
            log.change(c, "duplicate", c.text, f"merged into cue {_origin(prev)}")
            prev.end = max(prev.end, c.end)
            prev.origin = (prev.origin[0], c.origin[1])
            continue
        out.append(c)
    return out


def _layout_all(cues: list[Cue], profile: Profile, log: FixLog, gap: int) -> list[Cue]:
    out: list[Cue] = []
    for c in cues:
        out.extend(_layout_one(c, profile, log, gap, 0))
    return out


def _needs_work(c: Cue, profile: Profile) -> bool:
    lines = c.lines
    return (
        len(lines) > profile.max_lines
        or any(width(ln, profile.cjk) > profile.max_chars for ln in lines)
        or bad_break(lines, profile) is not None
    )


def _layout_one(c: Cue, profile: Profile, log: FixLog, gap: int, depth: int) -> list[Cue]:
    too_long = c.duration > profile.max_duration_ms
    if not _needs_work(c, profile) and not too_long:
        return [c]
    text = join_lines(c.lines)
    layout = best_layout(text, profile) if not too_long else None
    if layout is not None:
        new = relayout(c.text, layout)
        if new is None:
            log.cannot(c, "line_length", "could not keep the cue's tags while re-breaking")
            return [c]
        if new != c.text:
            log.change(c, "rebreak", c.text, new)
            c.text = new
        return [c]
    # split in two: needs room for two cues, and no tags inside the text
    if depth >= MAX_SPLIT_DEPTH or has_inner_tags(c.text):
        rule = "max_duration" if too_long else "line_length"
        log.cannot(
            c,
            rule,
            "tags inside the text" if depth < MAX_SPLIT_DEPTH else "too long to split further",
        )
        return [c]
    min_strength = 1 if too_long and best_layout(text, profile) is not None else 0
    k = best_split(text, profile, min_strength)
    if k is None:
        rule = "max_duration" if too_long else "line_length"
        log.cannot(c, rule, "no sentence or clause boundary to split at")
        return [c]
    t1, t2 = text[:k].strip(), text[k:].strip()
    w1, w2 = width(t1, profile.cjk), width(t2, profile.cjk)
    cut = c.start + round(c.duration * w1 / (w1 + w2))
    first_end = cut - gap // 2 - gap % 2
    second_start = first_end + gap
    if first_end - c.start < 200 or c.end - second_start < 200:
        log.cannot(c, "line_length", "too short to split in two")
        return [c]
    tags = leading_tags(c.text)
    a = Cue(c.start, first_end, tags + t1, c.event, c.origin)
    b = Cue(second_start, c.end, tags + t2, c.event, c.origin)
    log.change(c, "split", c.text, f"{a.text} | {b.text}")
    return _layout_one(a, profile, log, gap, depth + 1) + _layout_one(
        b, profile, log, gap, depth + 1
    )


def _needed_ms(c: Cue, profile: Profile) -> int:
    return _need_for_text(c.text, profile)


@lru_cache(maxsize=16384)
def _need_for_text(text: str, profile: Profile) -> int:
    """Display time a cue's text needs: the minimum duration, or its characters at the maximum
    reading speed (cached: timing passes ask for the same cue several times)."""
    chars = sum(width(ln, profile.cjk) for ln in plain_lines(text) if ln)
    by_speed = math.ceil(chars / profile.max_cps * 1000)
    return max(profile.min_duration_ms, by_speed)


def _timing(cues: list[Cue], profile: Profile, log: FixLog, gap: int, close_max: float) -> None:
    # overlaps and too-small gaps: end the earlier cue `gap` ms before the next one starts
    for a, b in itertools.pairwise(cues):
        if b.start - a.end < gap - 0.5:
            new_end = b.start - gap
            if new_end - a.start >= 1:
                log.change(a, "overlap" if b.start < a.end else "min_gap", str(a.end), str(new_end))
                a.end = new_end
            else:
                log.cannot(a, "overlap", "the next cue starts at the same time")
    _rebalance_splits(cues, profile, log, gap)
    # minimum duration and reading speed: extend into the following gap
    for i, c in enumerate(cues):
        need = min(_needed_ms(c, profile), profile.max_duration_ms)
        if c.duration >= need:
            continue
        limit = cues[i + 1].start - gap if i + 1 < len(cues) else c.start + need
        new_end = min(c.start + need, max(limit, c.end))
        if new_end > c.end:
            log.change(c, "extend", str(c.end), str(new_end))
            c.end = new_end


def _rebalance_splits(cues: list[Cue], profile: Profile, log: FixLog, gap: int) -> None:
    """The parts of a split cue share its time by reading need, not only by characters: when one
    part is too fast, the boundaries move and the last part may use the gap after the original."""
    i = 0
    while i < len(cues):
        j = i
        while (
            j + 1 < len(cues)
            and cues[j + 1].origin == cues[i].origin
            and cues[j + 1].start == cues[j].end + gap
        ):
            j += 1
        group = cues[i : j + 1]
        needs = [min(_needed_ms(c, profile), profile.max_duration_ms) for c in group]
        if len(group) > 1 and any(c.duration < n for c, n in zip(group, needs, strict=True)):
            start, end = group[0].start, group[-1].end
            limit = cues[j + 1].start - gap if j + 1 < len(cues) else end + sum(needs)
            gaps = gap * (len(group) - 1)
            new_end = min(max(end, start + sum(needs) + gaps), max(limit, end))
            avail = new_end - start - gaps
            t = start
            for k, (c, n) in enumerate(zip(group, needs, strict=True)):
                d = round(avail * n / sum(needs)) if k < len(group) - 1 else new_end - t
                before = (c.start, c.end)
                c.start, c.end = t, t + d
                if (c.start, c.end) != before:
                    log.change(c, "rebalance", f"{before[0]}-{before[1]}", f"{c.start}-{c.end}")
                t = c.end + gap
        i = j + 1


def _groups(cues: list[Cue], gap: int) -> list[tuple[int, int]]:
    """(first, last) index of each run of cues split from one cue (back to back, same origin)."""
    out = []
    i = 0
    while i < len(cues):
        j = i
        while (
            j + 1 < len(cues)
            and cues[j + 1].origin == cues[i].origin
            and cues[j + 1].start == cues[j].end + gap
        ):
            j += 1
        out.append((i, j))
        i = j + 1
    return out


def _lead_in(cues: list[Cue], profile: Profile, log: FixLog, gap: int) -> None:
    """Last resort for a cue (or the parts of a split cue) still too short or too fast to read
    after using the gap that follows it: start up to ``profile.lead_in_ms`` earlier, into the gap
    before it, never closer than the minimum gap to the previous cue. The parts share the new span
    by reading need, as in :func:`_rebalance_splits`."""
    for i, j in _groups(cues, gap):
        group = cues[i : j + 1]
        needs = [min(_needed_ms(c, profile), profile.max_duration_ms) for c in group]
        if all(c.duration >= n for c, n in zip(group, needs, strict=True)):
            continue
        gaps = gap * (len(group) - 1)
        start, end = group[0].start, group[-1].end
        limit = cues[j + 1].start - gap if j + 1 < len(cues) else end
        end = max(end, min(limit, start + sum(needs) + gaps))
        deficit = start + sum(needs) + gaps - end
        room = start - (cues[i - 1].end + gap if i > 0 else 0)
        move = min(deficit, profile.lead_in_ms, room)
        if move <= 0 or end - (start - move) > profile.max_duration_ms * len(group):
            continue
        avail = end - (start - move) - gaps
        t = start - move
        for k, (c, n) in enumerate(zip(group, needs, strict=True)):
            d = round(avail * n / sum(needs)) if k < len(group) - 1 else end - t
            before = (c.start, c.end)
            c.start, c.end = t, t + d
            if (c.start, c.end) != before:
                log.change(c, "lead_in", f"{before[0]}-{before[1]}", f"{c.start}-{c.end}")
            t = c.end + gap


def _merge_short(cues: list[Cue], profile: Profile, log: FixLog, gap: int) -> list[Cue]:
    """Cues still under the minimum duration join a neighbour when the text fits in two lines."""
    out: list[Cue] = []
    i = 0
    while i < len(cues):
        c = cues[i]
        if c.duration < profile.min_duration_ms:
            nxt = cues[i + 1] if i + 1 < len(cues) else None
            if (
                nxt is not None
                and nxt.start - c.end <= 500
                and _merge_into(c, nxt, profile, log, first=True)
            ):
                out.append(nxt)
                i += 2
                continue
            if (
                out
                and c.start - out[-1].end <= 500
                and _merge_into(out[-1], c, profile, log, first=False)
            ):
                i += 1
                continue
            log.cannot(
                c, "min_duration", "no room in the following gap and no neighbour to merge with"
            )
        out.append(c)
        i += 1
    return out


def _merge_into(a: Cue, b: Cue, profile: Profile, log: FixLog, *, first: bool) -> bool:
    """Merge consecutive cues a, b into the one kept (b when ``first`` else a)."""
    if (
        has_inner_tags(a.text)
        or has_inner_tags(b.text)
        or leading_tags(a.text) != leading_tags(b.text)
    ):
        return False
    two = [join_lines(a.lines), join_lines(b.lines)]
    fits = all(width(t, profile.cjk) <= profile.max_chars for t in two)
    if fits and profile.max_lines >= 2 and bad_break(two, profile) is None:
        layout: list[str] | None = two  # one line per cue reads best
    else:
        layout = best_layout(join_lines(a.lines + b.lines), profile)
    if layout is None or b.end - a.start > profile.max_duration_ms:
        return False
    keep = b if first else a
    new_text = leading_tags(a.text) + "\\N".join(layout)
    log.change(keep, "merge", f"{a.text} | {b.text}", new_text)
    keep.start, keep.end, keep.text = a.start, b.end, new_text
    keep.origin = (a.origin[0], b.origin[1])
    return True


def _close_gaps(
    cues: list[Cue], profile: Profile, log: FixLog, gap: int, close_max: float, fps: float
) -> None:
    frame = frame_ms(fps)
    for a, b in itertools.pairwise(cues):
        g = b.start - a.end
        if gap + frame - 0.5 <= g < close_max:
            new_end = b.start - gap
            if new_end - a.start <= profile.max_duration_ms:
                log.change(a, "close_gap", str(a.end), str(new_end))
                a.end = new_end


def speed(c: Cue, profile: Profile) -> float:
    return cps(c.lines, c.duration, profile)
