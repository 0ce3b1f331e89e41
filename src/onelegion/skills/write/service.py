"""The work behind write.check, write.post and write.titles."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from onelegion.core.context import Context
from onelegion.core.errors import UserError
from onelegion.core.files import write_text
from onelegion.skills.write.check import apply_fixes, check_text, user_terms
from onelegion.skills.write.grounding import ground
from onelegion.skills.write.models import (
    Finding,
    PostDraft,
    WriteCheckIn,
    WriteCheckOut,
    WritePostIn,
    WritePostOut,
    WriteTitlesIn,
    WriteTitlesOut,
)
from onelegion.skills.write.platforms import get_platform


def _read_draft(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise UserError(
            f"{path.name} is not UTF-8 text", hint="save the draft as UTF-8 (Markdown or .txt)"
        ) from None


def _findings_csv(findings: list[Finding]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(["line", "column", "severity", "rule", "text", "message", "suggestion"])
    for f in findings:
        w.writerow([f.line, f.column, f.severity, f.rule, f.text, f.message, f.suggestion])
    return buf.getvalue()


def run_check(ctx: Context, p: WriteCheckIn) -> WriteCheckOut:
    text = _read_draft(p.path)
    plat = get_platform(p.platform, ctx) if p.platform else None
    extra = user_terms(p.banned) if p.banned else []
    findings, draft = check_text(text, plat, extra)
    from onelegion.skills.write.check import body_length

    out = WriteCheckOut(
        path=p.path,
        platform=plat.id if plat else None,
        characters=body_length(draft.body),
        title=draft.title,
        errors=sum(1 for f in findings if f.severity == "error"),
        warnings=sum(1 for f in findings if f.severity == "warning"),
        findings=findings,
    )
    if p.fix or p.output:
        target = p.output or p.path.with_name(f"{p.path.stem}.fixed{p.path.suffix or '.md'}")
        if target.resolve() == p.path.resolve():
            raise UserError(
                "the fixed draft would overwrite the input; inputs are never modified",
                hint="choose another -o",
            )
        fixed, n = apply_fixes(text, findings)
        write_text(target, fixed)
        again, _ = check_text(fixed, plat, extra)
        out.fixed, out.fixes_applied, out.remaining_after_fix = target, n, len(again)
        ctx.artifact("fixed", target, description="The draft with automatic fixes applied")
    csv_path = ctx.path("findings.csv")
    write_text(csv_path, _findings_csv(findings), encoding="utf-8-sig")
    ctx.artifact("findings.csv", csv_path, description="Every finding with its position and fix")
    from onelegion.skills.write.report import check_report

    rep = ctx.path("report.html")
    write_text(rep, check_report(out, text))
    ctx.artifact("report.html", rep, description="The check report (HTML)")
    out.report = rep
    return out


def run_titles(ctx: Context, p: WriteTitlesIn) -> WriteTitlesOut:
    from onelegion.skills.write.titles import rank

    plat = get_platform(p.platform, ctx)
    g = ground(p.topic, p.from_radar, p.from_elements)
    extra: list[str] = []
    note = None
    if p.llm and ctx.llm.available:
        from pydantic import BaseModel, Field

        class Titles(BaseModel):
            titles: list[str] = Field(description="Titles, one per item.")

        pats = "\n".join(
            f"- {x.pattern} (lift {x.lift:g})"
            for x in (g.elements.title_patterns if g.elements else [])
        )
        ans = ctx.llm.ask(
            f"为「{p.topic}」写 {p.n} 个{plat.name}标题，每个不超过 {plat.title_max or 30} 字，"
            f"不用广告法绝对化用语。{('读者：' + p.audience) if p.audience else ''}\n"
            + (f"参考这些表现好的标题模式：\n{pats}\n" if pats else "")
            + ("近期热点：\n" + "\n".join(f"- {t}" for t in g.topics) if g.topics else ""),
            output_type=Titles,
            system="你是一位熟悉中国内容平台的标题编辑。",
        )
        extra = ans.titles
    elif p.llm:
        note = (
            "no LLM configured: titles come from the patterns only (legion config set llm.model …)"
        )
    ideas, used = rank(p.topic, plat, g, p.audience, extra)
    return WriteTitlesOut(
        topic=p.topic, platform=plat.id, titles=ideas[: p.n], patterns_used=used, note=note
    )


def run_post(ctx: Context, p: WritePostIn) -> WritePostOut:
    from onelegion.skills.write.post import compose, llm_draft, template_draft

    plats = [get_platform(x, ctx) for x in dict.fromkeys(p.platform)]
    if not plats:
        raise UserError("no platform given", hint="pass --platform xiaohongshu (repeatable)")
    g = ground(p.topic, p.from_radar, p.from_elements)
    use_llm = p.llm and ctx.llm.available
    note = None
    if not use_llm:
        note = (
            "templates only (--no-llm)"
            if not p.llm
            else "no LLM configured: templated drafts, marked as such (legion config set llm.model …)"
        )
    pattern = p.output or ctx.run_dir / "post.md"
    posts: list[PostDraft] = []
    for i, plat in enumerate(ctx.track(plats, message="writing")):
        if use_llm:
            d = llm_draft(ctx.llm, p.topic, plat, g, p.audience, p.point)
        else:
            d = template_draft(p.topic, plat, g, p.audience, p.point, p.seed + i)
        text = compose(d, plat, template=not use_llm)
        findings, _ = check_text(text, plat)
        fixed, n = apply_fixes(
            text, [f for f in findings if f.offset >= 0 or f.rule == "hashtag.repeated"]
        )
        left, parsed = check_text(fixed, plat)
        target = pattern.with_name(f"{pattern.stem}.{plat.id}{pattern.suffix or '.md'}")
        write_text(target, fixed)
        ctx.artifact(f"post.{plat.id}.md", target, description=f"{plat.name} post")
        posts.append(
            PostDraft(
                platform=plat.id,
                title=parsed.title,
                text=fixed,
                file=target,
                source="llm" if use_llm else "template",
                drew_on=d.drew_on,
                errors=sum(1 for f in left if f.severity == "error"),
                warnings=sum(1 for f in left if f.severity == "warning"),
                findings=left,
                fixes_applied=n,
            )
        )
    out = WritePostOut(
        topic=p.topic, posts=posts, llm_model=ctx.llm.model_id if use_llm else None, note=note
    )
    from onelegion.skills.write.report import post_report

    rep = ctx.path("report.html")
    write_text(rep, post_report(out))
    ctx.artifact("report.html", rep, description="The posts and their checks (HTML)")
    out.report = rep
    return out
