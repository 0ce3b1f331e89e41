"""check, fix, convert and shift: read, do the work, write outputs atomically, record artifacts."""

from __future__ import annotations

import re

import pysubs2

from onelegion.core.context import Context
from onelegion.core.errors import UserError
from onelegion.skills.subs import report as rep
from onelegion.skills.subs.fix import fix
from onelegion.skills.subs.formats import (
    default_output,
    format_for,
    load,
    plain,
    save,
    timestamp,
    write_text_atomic,
)
from onelegion.skills.subs.models import (
    IssueRow,
    SubsCheckIn,
    SubsCheckOut,
    SubsConvertIn,
    SubsConvertOut,
    SubsFixIn,
    SubsFixOut,
    SubsShiftIn,
    SubsShiftOut,
    UnfixedRow,
)
from onelegion.skills.subs.rules import Profile, check, resolve_lang

ISSUE_FIELDS = ("cue", "start", "end", "rule", "detail")


def _profile_for(subs: pysubs2.SSAFile, lang: str) -> Profile:
    return resolve_lang(lang, [plain(e.text) for e in subs.events if not e.is_comment])


def run_check(ctx: Context, p: SubsCheckIn) -> SubsCheckOut:
    loaded = load(p.path, encoding=p.encoding)
    profile = _profile_for(loaded.subs, p.lang)
    ctx.progress(0, 1, "checking")
    res = check(loaded.subs, profile, p.fps)
    by_rule = res.by_rule()
    rep.write_csv(ctx.path("issues.csv"), ISSUE_FIELDS, (i.row() for i in res.issues))
    ctx.artifact("issues.csv", description="Every rule broken, one row per cue and rule")
    html = rep.check_html(p.path.name, profile.lang, res.cues, by_rule, res.issues)
    write_text_atomic(ctx.path("report.html"), html)
    ctx.artifact("report.html", description="Check report")
    if p.report is not None:
        write_text_atomic(p.report, html)
        ctx.artifact(
            "report-export", p.report, media_type="text/html", description="The report (your copy)"
        )
    broken = res.cues_with_issues()
    ctx.progress(1, 1, "checked")
    return SubsCheckOut(
        path=p.path,
        lang=profile.lang,
        encoding=loaded.encoding,
        cues=res.cues,
        cues_with_issues=broken,
        share_with_issues=round(broken / max(res.cues, 1), 4),
        by_rule=by_rule,
        issues=[IssueRow.model_validate(i.row()) for i in res.issues[:500]],
        issues_total=len(res.issues),
        report=ctx.run_dir / "report.html",
    )


def run_fix(ctx: Context, p: SubsFixIn) -> SubsFixOut:
    loaded = load(p.path, encoding=p.encoding)
    output = p.output or default_output(p.path, ".fixed")
    format_for(output)  # refuse an unknown extension before doing the work
    profile = _profile_for(loaded.subs, p.lang)
    ctx.progress(0, 3, "checking")
    before = check(loaded.subs, profile, p.fps)
    ctx.progress(1, 3, "fixing")
    fixed, log = fix(loaded.subs, profile, p.fps)
    after = check(fixed, profile, p.fps)
    ctx.progress(2, 3, "writing")
    save(fixed, output, inputs=(p.path,), bom=loaded.bom)
    ctx.artifact("fixed", output, description="The fixed subtitles")
    rep.write_csv(ctx.path("changes.csv"), ("cue", "fix", "before", "after"), log.changes)
    ctx.artifact("changes.csv", description="Every change fix made")
    rep.write_csv(ctx.path("remaining.csv"), ISSUE_FIELDS, (i.row() for i in after.issues))
    ctx.artifact("remaining.csv", description="Rules still broken after fixing")
    counts = (before.cues, after.cues, before.cues_with_issues(), after.cues_with_issues())
    html = rep.fix_html(
        p.path.name,
        profile.lang,
        before.by_rule(),
        after.by_rule(),
        counts,
        log.changes,
        log.unfixed,
        after.issues,
    )
    write_text_atomic(ctx.path("report.html"), html)
    ctx.artifact("report.html", description="Fix report: before and after per rule")
    if p.report is not None:
        write_text_atomic(p.report, html)
        ctx.artifact(
            "report-export", p.report, media_type="text/html", description="The report (your copy)"
        )
    ctx.progress(3, 3, "done")
    return SubsFixOut(
        output=output,
        lang=profile.lang,
        cues_before=before.cues,
        cues_after=after.cues,
        breaking_before=counts[2],
        breaking_after=counts[3],
        before=before.by_rule(),
        after=after.by_rule(),
        changes=len(log.changes),
        unfixed=[UnfixedRow.model_validate(u) for u in log.unfixed],
        report=ctx.run_dir / "report.html",
    )


def run_convert(ctx: Context, p: SubsConvertIn) -> SubsConvertOut:
    target = format_for(p.output)
    loaded = load(p.path, encoding=p.encoding, fps=p.fps)
    save(loaded.subs, p.output, fps=p.fps, inputs=(p.path,))
    ctx.artifact("converted", p.output, description=f"{p.path.name} as {target}")
    return SubsConvertOut(
        output=p.output,
        source_format=loaded.format,
        target_format=target,
        encoding=loaded.encoding,
        cues=sum(1 for e in loaded.subs.events if not e.is_comment),
    )


_UNITS = {"ms": 1.0, "s": 1000.0, "m": 60_000.0, "min": 60_000.0, "h": 3_600_000.0}
_OFFSET = re.compile(r"^([+-]?)(\d+(?:\.\d+)?)(ms|s|min|m|h|f)?$")
_CLOCK = re.compile(r"^([+-]?)(?:(\d+):)?(\d{1,2}):(\d{1,2})(?:[.,](\d{1,3}))?$")


def parse_offset(text: str, fps: float | None = None) -> int:
    """'+1.5s' / '-500ms' / '-00:00:02,000' / '3f' -> milliseconds."""
    t = text.strip().replace(" ", "")
    m = _OFFSET.match(t)
    if m:
        sign = -1 if m.group(1) == "-" else 1
        value = float(m.group(2))
        unit = m.group(3) or "s"
        if unit == "f":
            if not fps:
                raise UserError(
                    "a shift in frames needs a frame rate",
                    hint="use --fps FROM:TO or give seconds, e.g. +0.5s",
                )
            return sign * round(value * 1000 / fps)
        return sign * round(value * _UNITS[unit])
    m = _CLOCK.match(t)
    if m:
        sign = -1 if m.group(1) == "-" else 1
        h, mi, s = int(m.group(2) or 0), int(m.group(3)), int(m.group(4))
        ms = int((m.group(5) or "0").ljust(3, "0"))
        return sign * (((h * 60 + mi) * 60 + s) * 1000 + ms)
    raise UserError(
        f"cannot read the offset {text!r}", hint="write it like +1.5s, -500ms or -00:00:02,000"
    )


def parse_fps_pair(text: str) -> tuple[float, float]:
    parts = text.replace("/", ":").replace("->", ":").split(":")
    try:
        a, b = float(parts[0]), float(parts[1])
        if len(parts) != 2 or a <= 0 or b <= 0:
            raise ValueError
    except (ValueError, IndexError):
        raise UserError(
            f"cannot read the frame rates {text!r}", hint="write FROM:TO, e.g. --fps 23.976:25"
        ) from None
    return a, b


def run_shift(ctx: Context, p: SubsShiftIn) -> SubsShiftOut:
    if not p.by and not p.fps:
        raise UserError("nothing to do: give --by (an offset) and/or --fps FROM:TO")
    fps_pair = parse_fps_pair(p.fps) if p.fps else None
    shift = parse_offset(p.by, fps_pair[0] if fps_pair else None) if p.by else 0
    output = p.output or default_output(p.path, ".shifted")
    format_for(output)
    loaded = load(p.path, encoding=p.encoding)
    subs = loaded.subs
    if fps_pair:
        subs.transform_framerate(*fps_pair)
    events = [e for e in subs.events if not e.is_comment]
    if shift:
        gone = [i for i, e in enumerate(events, 1) if e.end + shift <= 0]
        if gone:
            raise UserError(
                f"shifting by {shift} ms would move {len(gone)} cue(s) before 00:00:00 (first: cue {gone[0]})",
                hint="use a smaller negative offset",
            )
    clipped = 0
    for e in subs.events:
        e.start += shift
        e.end += shift
        if e.start < 0:
            e.start = 0
            clipped += not e.is_comment
    save(subs, output, inputs=(p.path,), bom=loaded.bom)
    ctx.artifact("shifted", output, description="The retimed subtitles")
    return SubsShiftOut(
        output=output,
        cues=len(events),
        shift_ms=shift,
        fps_from=fps_pair[0] if fps_pair else None,
        fps_to=fps_pair[1] if fps_pair else None,
        clipped=clipped,
        first_start=timestamp(min(e.start for e in events)),
    )
