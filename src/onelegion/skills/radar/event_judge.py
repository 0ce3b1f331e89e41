"""With a configured model (``--llm`` or ``[radar] llm = true``): the model names each of the top
events and confirms or splits the borderline merges the rules proposed.

- Borderline: an event in which some title shares little wording with every title of the other
  platforms (character-bigram Jaccard below ``BORDERLINE_JACCARD``): the rules merged it on thin
  evidence (a rare shared term, a bare keyword). Only for these is the model asked to split.
- A few calls: one per event, for at most ``MAX_EVENTS`` events per analysis, each through
  ``ctx.llm`` — so recorded with the run, refused past the run's budget, and answered from the
  cache when the same event (same titles) is asked again, as it is scan after scan during a day.
- Never harms a right value on a bad answer: numbers the model invents are ignored, titles it does
  not place stay with the headline, and an answer that fails leaves the event as the rules made it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from pydantic import BaseModel, Field

from onelegion.core.errors import BudgetExceeded, Cancelled, UserError
from onelegion.skills.radar.analysis_models import Event, TrendItem
from onelegion.skills.radar.normalize import char_ngrams, normalize_title, platform_of

MAX_EVENTS = 8  # events judged per analysis (calls per scan; cached across scans)
MAX_TITLES = 12  # titles of one event shown to the model (the best ones)
BORDERLINE_JACCARD = 0.2

SYSTEM = (
    "You group Chinese and international hot-list titles by real-world happening. One happening "
    "includes its news, updated numbers, reactions, official responses, causes, background, the "
    "people in it and follow-ups. Two different happenings that merely share a topic, a place or "
    "a kind (two celebrities' deaths, US CPI and China's CPI) are different. Answer only from the "
    "titles."
)


class EventJudgement(BaseModel):
    name: str = Field(
        description="A short neutral name for the main happening, in the titles' language "
        "(at most 16 Chinese characters or 8 words)."
    )
    groups: list[list[int]] = Field(
        default_factory=list,
        description="The title numbers grouped by happening; title 1's group first. One group "
        "with every number when all titles are about one happening.",
    )


@dataclass
class JudgeReport:
    judged: int = 0
    split: int = 0
    failed: int = 0


Ask = Callable[[str], EventJudgement]


def _jaccard(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0


def borderline(ev: Event) -> bool:
    """True when some title shares little wording with every title of the other platforms."""
    grams = [char_ngrams(normalize_title(it.title)) for it in ev.items[:MAX_TITLES]]
    plats = [platform_of(it.source) for it in ev.items[:MAX_TITLES]]
    for i, gi in enumerate(grams):
        others = [_jaccard(gi, gj) for j, gj in enumerate(grams) if plats[j] != plats[i]]
        if others and max(others) < BORDERLINE_JACCARD:
            return True
    return False


def prompt_for(ev: Event, ask_split: bool) -> str:
    lines = [
        f"{n}. [{platform_of(it.source)}] {it.title}"
        for n, it in enumerate(ev.items[:MAX_TITLES], 1)
    ]
    task = (
        "Name the happening of title 1. Then group the numbers by happening: put together titles "
        "about the same happening, and in separate groups titles about a different one."
        if ask_split
        else "Name the happening these titles are about; give one group with every number."
    )
    return "Titles the rules grouped as one event:\n" + "\n".join(lines) + "\n\n" + task


def _partition(groups: list[list[int]], n: int) -> list[list[int]]:
    """The answer's groups as 0-based indices: unknown or repeated numbers dropped, the group of
    title 1 first and holding every title the answer left out."""
    seen: set[int] = set()
    clean: list[list[int]] = []
    for g in groups:
        idx = [k - 1 for k in g if 1 <= k <= n and k - 1 not in seen]
        seen.update(idx)
        if idx:
            clean.append(idx)
    head = next((g for g in clean if 0 in g), None)
    if head is None:
        head = [0]
        clean.insert(0, head)
    else:
        clean.remove(head)
        clean.insert(0, head)
    head.extend(i for i in range(n) if i not in seen and i not in head)
    return clean


def judge_events(
    events: list[Event], ask: Ask, *, log: Callable[[str], None] = lambda m: None
) -> tuple[list[Event], JudgeReport]:
    """The events with names, borderline ones confirmed or split; ``ask`` is one model call.
    Split-off parts on two or more platforms become events of their own."""
    report = JudgeReport()
    out: list[Event] = []
    next_id = max((e.id for e in events), default=0) + 1
    stop = False
    for k, ev in enumerate(events):
        if k >= MAX_EVENTS or stop:
            out.append(ev)
            continue
        shown = ev.items[:MAX_TITLES]
        ask_split = borderline(ev)
        try:
            ans = ask(prompt_for(ev, ask_split))
        except BudgetExceeded as e:
            stop = True
            log(f"events left as the rules made them from event {ev.id} on: {e.message}")
            out.append(ev)
            continue
        except (UserError, Cancelled):
            raise
        except Exception as e:  # a failed or invalid answer: the rules' event stays
            report.failed += 1
            log(f"event {ev.id}: model answer skipped ({type(e).__name__}: {e})")
            out.append(ev)
            continue
        report.judged += 1
        name = " ".join(ans.name.split())[:40] or None
        parts = _partition(ans.groups, len(shown)) if ask_split else [list(range(len(shown)))]
        head_items = [shown[i] for i in parts[0]] + ev.items[MAX_TITLES:]
        ev.name = name
        ev.judged = "split" if len(parts) > 1 else "confirmed"
        out.append(ev)
        if len(parts) > 1:
            report.split += 1
            _reset(ev, head_items)
            for extra in parts[1:]:
                members = [shown[i] for i in extra]
                for m in members:
                    m.platforms, m.event_id = [], None
                if len({platform_of(m.source) for m in members}) >= 2:
                    new = _event_of(members, next_id)
                    next_id += 1
                    new.judged = "split off"
                    out.append(new)
    return [e for e in out if len(e.platforms) >= 2], report


def _reset(ev: Event, members: list[TrendItem]) -> None:
    ev.items = members
    ev.platforms = sorted({platform_of(m.source) for m in members})
    ev.best_rank = min(m.best_rank for m in members)
    ev.first_seen = min(m.first_seen for m in members)
    ev.title = members[0].title
    on_two = len(ev.platforms) >= 2
    for m in members:
        m.platforms, m.event_id = (ev.platforms, ev.id) if on_two else ([], None)


def _event_of(members: list[TrendItem], eid: int) -> Event:
    ev = Event(
        id=eid,
        title=members[0].title,
        platforms=[],
        first_seen=members[0].first_seen,
        best_rank=members[0].best_rank,
        score=0.0,
        items=members,
    )
    _reset(ev, members)
    return ev
