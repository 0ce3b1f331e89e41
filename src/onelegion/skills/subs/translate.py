"""Translate cue by cue without drift: batches with ids, context and glossary; each answer is checked
against the ids and a per-item echo of the source; cues an answer got wrong are asked again together
(the last few one by one), within a fixed request budget. Cue count and times never change.

Translation memory is consulted first (exact, then fuzzy matches of reviewed work); only the rest goes
to the LLM. Without a model, the memory fills what it can and the rest is listed.
"""

from __future__ import annotations

import itertools
import math
import re
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pysubs2
from pydantic import BaseModel, Field

from onelegion.core.context import Context
from onelegion.core.errors import UserError
from onelegion.core.lang import tr
from onelegion.core.llm import LLM, NO_MODEL_HINT, LLMError
from onelegion.skills.subs.memory import Memory, Term, terms_in
from onelegion.skills.subs.models import SubsTranslateIn, SubsTranslateOut

LANG_NAMES = {
    "zh": "Simplified Chinese (简体中文)",
    "zh-hans": "Simplified Chinese (简体中文)",
    "zh-cn": "Simplified Chinese (简体中文)",
    "zh-hant": "Traditional Chinese (繁體中文)",
    "zh-tw": "Traditional Chinese (繁體中文)",
    "en": "English",
    "ja": "Japanese",
    "ko": "Korean",
    "fr": "French",
    "de": "German",
    "es": "Spanish",
}

HINT_SCORE = 70.0  # memory matches this similar are shown to the model as wording hints

SYSTEM = (
    "You are a professional subtitle translator. Translate each numbered cue on its own: one output "
    "item per input id, the same ids, never merging, splitting, dropping or reordering cues, even when a "
    "sentence runs across cues. Keep it short enough to read on screen. Use the glossary's translations. "
    "Lines marked as context are for understanding only: do not translate them. In source_start and "
    "source_end, copy the first and the last three words (or four characters) of the source cue each "
    "item translates."
)


class CueTranslation(BaseModel):
    id: int = Field(description="The cue id, exactly as given.")
    text: str = Field(description="The translation of that cue alone.")
    source_start: str = Field(
        default="",
        description="The first three words (or four characters) of that cue's source, copied as is.",
    )
    source_end: str = Field(
        default="",
        description="The last three words (or four characters) of that cue's source, copied as is.",
    )


class BatchTranslation(BaseModel):
    cues: list[CueTranslation] = Field(description="One item per cue id asked for, in order.")


def lang_name(code: str) -> str:
    return LANG_NAMES.get(code.lower(), code)


@dataclass
class Segment:
    id: int  # 1-based cue number
    source: str


@dataclass
class Outcome:
    targets: dict[int, str] = field(default_factory=dict)
    failed: list[int] = field(default_factory=list)  # ids the model never answered properly
    rejected_answers: int = 0  # answers refused for drift (wrong ids, empty or merged lines)
    salvaged: int = 0  # cues kept from refused answers (certainly their own translation)
    calls: int = 0


def build_prompt(
    runs: Sequence[tuple[Sequence[Segment], Sequence[Segment], Sequence[Segment]]],
    src: str,
    tgt: str,
    terms: Sequence[Term],
    style: str,
    hints: Sequence[tuple[str, str]] = (),
) -> str:
    """One request: ``runs`` are (context before, cues, context after) passages of the file; a first
    pass has one, a pooled retry several."""
    parts = [f"Translate these subtitle cues from {lang_name(src)} into {lang_name(tgt)}."]
    if style.strip():
        parts.append(f"Style notes: {style.strip()}")
    if hints:
        parts.append(
            "Reviewed translations of similar lines (keep their wording where it fits):\n"
            + "\n".join(f"- {a} => {b}" for a, b in hints)
        )
    if terms:
        parts.append(
            "Glossary (always use these):\n"
            + "\n".join(
                f"- {t.source} => {t.target}" + (f" ({t.note})" if t.note else "") for t in terms
            )
        )
    batch = [s for _, run, _ in runs for s in run]
    ask = (
        f"Cues to translate ({len(batch)}; answer with exactly these ids: "
        + ", ".join(str(s.id) for s in batch)
        + ")"
    )
    if len(runs) == 1:
        before, run, after = runs[0]
        if before:
            parts.append(
                "Context before (do not translate):\n"
                + "\n".join(f"({s.id}) {s.source}" for s in before)
            )
        parts.append(ask + ":\n" + "\n".join(f"[{s.id}] {s.source}" for s in run))
        if after:
            parts.append(
                "Context after (do not translate):\n"
                + "\n".join(f"({s.id}) {s.source}" for s in after)
            )
        return "\n\n".join(parts)
    parts.append(
        ask + f", from {len(runs)} separate passages of the film. Lines in (round brackets) are "
        "context only: do not translate them."
    )
    for before, run, after in runs:
        parts.append(
            "\n".join(
                [f"({s.id}) {s.source}" for s in before]
                + [f"[{s.id}] {s.source}" for s in run]
                + [f"({s.id}) {s.source}" for s in after]
            )
        )
    return "\n\n".join(parts)


def validate(answer: BatchTranslation, batch: Sequence[Segment]) -> dict[int, str] | None:
    """The answer as {id: text} when it is exactly one non-empty translation per id asked, else None.
    Items may come in any order (ids are what count). Two neighbours with the same translation while
    their sources differ are a merge in disguise, and an item whose ``source_start`` / ``source_end``
    echo is not the start / end of its own cue's source is a shifted line: both refused. An empty
    echo is not held against a whole answer (some models leave optional fields out)."""
    want = [s.id for s in batch]
    got = [c.id for c in answer.cues]
    if sorted(got) != sorted(want) or len(set(got)) != len(got):
        return None
    texts = {c.id: c.text.strip() for c in answer.cues}
    if any(not t for t in texts.values()):
        return None
    sources = {s.id: _norm(s.source) for s in batch}
    for a, b in itertools.pairwise(want):
        if texts[a] == texts[b] and sources[a] != sources[b]:
            return None
    for c in answer.cues:  # the echoes tie each text to its source: a shifted line shows here
        if not _echo_ok(c.source_start, c.source_end, sources[c.id]):
            return None
    return texts


def salvage(answer: BatchTranslation, batch: Sequence[Segment]) -> dict[int, str]:
    """From an answer :func:`validate` refused, the items that are certainly the translation of their
    own cue: asked for, given once, non-empty, with a non-empty echo of their own source, a text unlike
    their neighbours', and no suspect cue (missing, doubled, empty, wrong or missing echo) right
    before or after them in the batch — a merge puts two cues' text on the item before the shift, a
    drop often leaves half a line on its neighbours. The rest is asked again."""
    want = [s.id for s in batch]
    sources = {s.id: _norm(s.source) for s in batch}
    counts: dict[int, int] = {}
    for c in answer.cues:
        counts[c.id] = counts.get(c.id, 0) + 1
    items = {c.id: c for c in answer.cues if c.id in sources and counts[c.id] == 1}
    texts = {i: c.text.strip() for i, c in items.items()}
    suspect = [
        i not in items
        or not texts[i]
        or not _norm(items[i].source_start)
        or not _echo_ok(items[i].source_start, items[i].source_end, sources[i])
        for i in want
    ]
    for k, (a, b) in enumerate(itertools.pairwise(want)):
        if a in texts and b in texts and texts[a] == texts[b] and sources[a] != sources[b]:
            suspect[k] = suspect[k + 1] = True
    return {
        i: texts[i]
        for k, i in enumerate(want)
        if not suspect[k]
        and not (k > 0 and suspect[k - 1])
        and not (k + 1 < len(want) and suspect[k + 1])
    }


def _echo_ok(start: str, end: str, source: str) -> bool:
    """Each echo, when given, matches its end of the source (a typo or a dropped apostrophe
    allowed). The end echo tells apart neighbours that open alike ("I have two sons." / "I have two
    cats.")."""
    a, b = _norm(start)[:12], _norm(end)[-12:]
    return (not a or source.startswith(a) or _close(a, source[: len(a)])) and (
        not b or source.endswith(b) or _close(b, source[-len(b) :])
    )


def _norm(text: str) -> str:
    return re.sub(r"[\W_]+", "", text.casefold())


def _close(echo: str, part: str) -> bool:
    """A sloppy but honest echo (one typo, a dropped apostrophe) still counts; two edits in a dozen
    letters do not ("a good man" is not "a good lad")."""
    from rapidfuzz.distance import Levenshtein

    return Levenshtein.distance(echo, part) <= max(1, len(echo) // 8)


def call_budget(cues: int, batch_size: int) -> int:
    """LLM requests allowed for ``cues``: twice a clean run's, and at least a clean run's plus 8."""
    clean = math.ceil(cues / batch_size) if cues else 0
    return max(2 * clean, clean + 8) if cues else 0


def translate_segments(
    llm: LLM,
    segments: Sequence[Segment],
    all_segments: Sequence[Segment],
    *,
    src: str,
    tgt: str,
    terms: Sequence[Term],
    style: str,
    batch_size: int = 40,
    window: int = 3,
    workers: int = 4,
    max_tries: int = 6,
    alone_below: int = 4,
    on_done: Callable[[int], None] | None = None,
    hints: dict[int, tuple[str, str]] | None = None,
) -> Outcome:
    """Translate ``segments`` (a subset of ``all_segments``, which gives the context windows).

    Round 1 sends contiguous batches. Every answer is checked as a whole (:func:`validate`); from a
    refused one, the cues that are certainly right are kept (:func:`salvage`) and only the others go
    back into a pool. Each next round sends the pooled cues together, in batches of the same size
    (each with its own context lines); cues refused twice, or a pool of ``alone_below`` cues or fewer,
    are asked one cue per request. A retry's prompt names its attempt, so the cache never hands back
    the refused answer. A cue is asked at most ``max_tries`` times, and requests never exceed
    :func:`call_budget` (twice a clean run's): what is still unanswered then is flagged for the
    person's review (``failed``), kept in the source language, never guessed."""
    out = Outcome()
    lock = threading.Lock()
    index = {s.id: i for i, s in enumerate(all_segments)}
    budget = call_budget(len(segments), batch_size)
    tries: dict[int, int] = {s.id: 0 for s in segments}

    def ask(batch: list[Segment]) -> list[Segment]:
        """Ask once; the cues still unanswered."""
        runs = []
        for run in _runs(batch, index):
            first, last = index[run[0].id], index[run[-1].id]
            runs.append(
                (
                    all_segments[max(0, first - window) : first],
                    run,
                    all_segments[last + 1 : last + 1 + window],
                )
            )
        text = " ".join(s.source for s in batch)
        batch_hints = [hints[s.id] for s in batch if hints and s.id in hints]
        prompt = build_prompt(runs, src, tgt, terms_in(text, list(terms)), style, batch_hints)
        attempt = 1 + max(tries[s.id] for s in batch)
        if (
            attempt > 1
        ):  # also keeps a retry from being answered by the cache with the refused answer
            prompt += (
                f"\n\nAttempt {attempt}: an earlier answer for some of these cues was refused "
                "(an id missing, two cues merged, or a text under the wrong id). Translate each id "
                "on its own."
            )
        with lock:
            out.calls += 1
            for s in batch:
                tries[s.id] += 1
        try:
            # no correction round inside the gateway: a refused answer's cues are pooled and asked
            # again here, so every request counts against the budget
            answer = llm.ask(prompt, output_type=BatchTranslation, system=SYSTEM, retries=0)
        except LLMError:
            answer = None
        got = validate(answer, batch) if answer is not None else None
        if got is None:
            got = salvage(answer, batch) if answer is not None else {}
            with lock:
                out.rejected_answers += 1
                out.salvaged += len(got)
        with lock:
            out.targets.update(got)
        if on_done is not None and got:
            on_done(len(got))
        return [s for s in batch if s.id not in got]

    batches = _chunks(list(segments), batch_size)
    while batches:
        batches = batches[: max(0, budget - out.calls)]
        if not batches:
            break
        if workers <= 1 or len(batches) <= 1:
            left = [s for b in batches for s in ask(b)]
        else:
            with ThreadPoolExecutor(
                max_workers=workers, thread_name_prefix="subs-translate"
            ) as pool:
                left = [s for f in [pool.submit(ask, b) for b in batches] for s in f.result()]
        again = sorted((s for s in left if tries[s.id] < max_tries), key=lambda s: index[s.id])
        if len(again) <= alone_below:
            batches = [[s] for s in again]
        else:  # pooled batches first (most cues per request), then the cues refused twice alone
            batches = _chunks([s for s in again if tries[s.id] < 2], batch_size) + [
                [s] for s in again if tries[s.id] >= 2
            ]
        left_calls = budget - out.calls
        if len(batches) > left_calls:  # too few requests left to ask them alone: half of what is
            # left goes to this round, in batches as small as that allows
            size = min(batch_size, math.ceil(len(again) / max(1, left_calls // 2)))
            batches = _chunks(again, size)
    out.failed = sorted(i for i in tries if i not in out.targets)
    return out


def _chunks(segments: list[Segment], size: int) -> list[list[Segment]]:
    """Batches of up to ``size`` cues in file order (cues filled from memory are simply skipped)."""
    return [segments[i : i + size] for i in range(0, len(segments), size)]


def _runs(batch: list[Segment], index: dict[int, int]) -> list[list[Segment]]:
    """The batch cut where cues are not neighbours in the file (a pooled retry)."""
    runs: list[list[Segment]] = []
    for s in batch:
        if runs and index[s.id] == index[runs[-1][-1].id] + 1:
            runs[-1].append(s)
        else:
            runs.append([s])
    return runs


def fill_from_memory(
    memory: Memory | None, segments: Sequence[Segment], src: str, tgt: str, min_score: float
) -> dict[int, tuple[str, str]]:
    """{id: (target, origin)} for segments the memory knows; origin 'memory-exact' or 'memory-fuzzy NN'."""
    found: dict[int, tuple[str, str]] = {}
    if memory is None:
        return found
    for s in segments:
        m = memory.lookup(src, tgt, s.source, min_score)
        if m is not None:
            found[s.id] = (
                m.target,
                "memory-exact" if m.kind == "exact" else f"memory-fuzzy {m.score:g}",
            )
    return found


# --- the skill --------------------------------------------------------------------------------
def default_output(src: Path, to: str, bilingual: bool) -> Path:
    stem = src.stem
    parts = stem.rsplit(".", 1)
    if len(parts) == 2 and 2 <= len(parts[1]) <= 7 and parts[1].replace("-", "").isalpha():
        stem = parts[0]
    ext = (
        ".ass"
        if bilingual and src.suffix.lower() not in (".ass", ".ssa", ".srt", ".vtt")
        else src.suffix
    )
    return src.with_name(
        f"{stem}.{to}{'-' + parts[1] if bilingual and len(parts) == 2 else ''}{ext}"
    )


def memory_path(ctx: Context, given: Path | None) -> Path:
    return given if given is not None else ctx.workspace / "subs" / "memory.sqlite"


def run_translate(ctx: Context, p: SubsTranslateIn) -> SubsTranslateOut:
    from onelegion.skills.subs import report as rep
    from onelegion.skills.subs.fix import fix
    from onelegion.skills.subs.formats import format_for, load, plain, save, write_text_atomic
    from onelegion.skills.subs.layout import best_layout, join_lines, leading_tags
    from onelegion.skills.subs.memory import read_glossary
    from onelegion.skills.subs.rules import check, detect_lang, resolve_lang

    terms = read_glossary(p.glossary) if p.glossary is not None else []
    loaded = load(p.path, encoding=p.encoding)
    output = p.output or default_output(p.path, p.to, p.bilingual)
    format_for(output)
    if output.resolve() == p.path.resolve():
        raise UserError(
            f"the output {output.name} is the input file; inputs are never overwritten",
            hint="choose another -o",
        )
    events = [e for e in loaded.subs.events if not e.is_comment]
    segments = [
        Segment(i, join_lines([ln for ln in plain(e.text).split("\n") if ln]))
        for i, e in enumerate(events, 1)
    ]
    src = p.source_lang if p.source_lang != "auto" else detect_lang([s.source for s in segments])
    target = resolve_lang(p.to)
    if resolve_lang(src).lang == target.lang and target.lang != "default":
        raise UserError(
            f"the file is already in {p.to}",
            hint="pass --to with another language, or --source-lang",
        )

    ctx.progress(0, len(segments), "translation memory")
    with Memory(memory_path(ctx, p.memory)) as memory:
        found = fill_from_memory(memory, segments, src, p.to, p.fuzzy)
        todo = [s for s in segments if s.id not in found and s.source.strip()]
        hints: dict[int, tuple[str, str]] = {}
        if ctx.llm.available and p.fuzzy > HINT_SCORE:
            for s in todo:  # near matches below --fuzzy guide the model instead of being reused
                m = memory.lookup(src, p.to, s.source, HINT_SCORE)
                if m is not None:
                    hints[s.id] = (m.source, m.target)
    origins: dict[int, str] = {i: o for i, (_, o) in found.items()}
    targets: dict[int, str] = {i: t for i, (t, _) in found.items()}
    outcome = Outcome()
    note = ""
    if todo and ctx.llm.available:
        done = [len(found)]

        def progress(n: int) -> None:
            done[0] += n
            ctx.progress(done[0], len(segments), "translating")

        outcome = translate_segments(
            ctx.llm,
            todo,
            segments,
            src=src,
            tgt=p.to,
            terms=terms,
            style=p.style,
            batch_size=p.batch_size,
            on_done=progress,
            hints=hints,
        )
        for i, t in outcome.targets.items():
            targets[i], origins[i] = t, "llm"
        for i in outcome.failed:
            origins[i] = "flagged"
        if outcome.failed:
            shown = ", ".join(str(i) for i in outcome.failed[:10])
            more = "…" if len(outcome.failed) > 10 else ""
            note = tr(
                f"{len(outcome.failed)} cue(s) the model never answered cleanly are kept in the "
                f"source language and flagged for review (cues {shown}{more})",
                f"{len(outcome.failed)} 条字幕模型始终没有答对，保留原文并标记待人工审校"
                f"（第 {shown}{more} 条）",
            )
    elif todo:
        note = (
            f"no LLM configured: {len(found)} of {len(segments)} cues filled from translation memory, "
            f"{len(todo)} left in the source language — {NO_MODEL_HINT}, or translate them in `legion subs review`"
        )
    for s in segments:
        origins.setdefault(s.id, "left")

    # the cue-for-cue translation: same events, same times, text replaced
    aligned = _copy_subs(loaded.subs)
    aligned_events = [e for e in aligned.events if not e.is_comment]
    for s, ev in zip(segments, aligned_events, strict=True):
        if s.id in targets:
            text = join_lines(targets[s.id].split("\n"))
            layout = best_layout(text, target) or [text]
            ev.text = leading_tags(ev.text) + "\\N".join(layout)
    preserved = [(e.start, e.end) for e in aligned_events] == [(e.start, e.end) for e in events]
    aligned_path = ctx.path("aligned" + output.suffix)
    save(aligned, aligned_path)
    ctx.artifact(
        "aligned", aligned_path, description="Cue-for-cue translation (input's ids and times)"
    )

    final = aligned
    if p.bilingual:
        final = _bilingual(aligned, loaded.subs, output)
    elif p.fix:
        final, _ = fix(aligned, target, p.fps)
    save(final, output, inputs=(p.path,))
    ctx.artifact("translated", output, description=f"Subtitles in {p.to}")
    after = check(aligned if p.bilingual else final, target, p.fps)
    rows = [
        {
            "cue": s.id,
            "start": events[s.id - 1].start,
            "end": events[s.id - 1].end,
            "source": s.source,
            "target": targets.get(s.id, ""),
            "origin": origins[s.id],
        }
        for s in segments
    ]
    rep.write_csv(
        ctx.path("translation.csv"), ("cue", "start", "end", "source", "target", "origin"), rows
    )
    ctx.artifact(
        "translation.csv", description="Each cue's source, translation and where it came from"
    )
    values = list(origins.values())
    counts = {
        "cues": len(segments),
        "llm": values.count("llm"),
        "memory": sum(1 for v in values if v.startswith("memory")),
        "left": values.count("left") + values.count("flagged"),
    }
    html = rep.translate_html(p.path.name, (src, target.lang), counts, rows, after.by_rule(), note)
    write_text_atomic(ctx.path("report.html"), html)
    ctx.artifact("report.html", description="Source and translation side by side, with origins")
    ctx.progress(len(segments), len(segments), "done")
    return SubsTranslateOut(
        output=output,
        aligned=aligned_path,
        source_lang=src,
        target_lang=target.lang,
        cues=len(segments),
        from_memory_exact=values.count("memory-exact"),
        from_memory_fuzzy=sum(1 for v in values if v.startswith("memory-fuzzy")),
        by_llm=values.count("llm"),
        left=values.count("left") + values.count("flagged"),
        flagged=outcome.failed,
        llm_requests=outcome.calls,
        rejected_answers=outcome.rejected_answers,
        ids_and_times_preserved=preserved and len(aligned_events) == len(events),
        breaking_after=after.cues_with_issues(),
        note=note,
    )


def _copy_subs(subs: pysubs2.SSAFile) -> pysubs2.SSAFile:
    out = pysubs2.SSAFile()
    out.info = dict(subs.info)
    out.styles = {k: v.copy() for k, v in subs.styles.items()}
    out.events = [e.copy() for e in subs.events]
    out.format = subs.format
    return out


def _bilingual(aligned: pysubs2.SSAFile, source: pysubs2.SSAFile, output: Path) -> pysubs2.SSAFile:
    """Target over source: in ASS/SSA a smaller 'Source' style for the original line; elsewhere the
    original as the cue's last line(s)."""
    out = _copy_subs(aligned)
    styled = output.suffix.lower() in (".ass", ".ssa")
    if styled:
        base = out.styles.get("Default", pysubs2.SSAStyle()).copy()
        small = base.copy()
        small.fontsize = round(base.fontsize * 0.7, 1)
        small.primarycolor = pysubs2.Color(220, 220, 220)
        out.styles["Source"] = small
    src_events = [e for e in source.events if not e.is_comment]
    for ev, src in zip([e for e in out.events if not e.is_comment], src_events, strict=True):
        from onelegion.skills.subs.formats import plain

        original = plain(src.text).replace("\n", " ")
        ev.text = ev.text + ("\\N{\\rSource}" if styled else "\\N") + original
    return out
