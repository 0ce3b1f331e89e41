"""Self-contained HTML reports of write.check and write.post (onelegion.reports)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from onelegion.reports import cards, esc, page, section, table

if TYPE_CHECKING:
    from onelegion.skills.write.models import Finding, WriteCheckOut, WritePostOut


def _marked(text: str, findings: list[Finding]) -> str:
    """The draft with every term finding highlighted (<del>) and its fix (<ins>)."""
    spans = sorted((f for f in findings if f.offset >= 0 and f.length), key=lambda f: f.offset)
    out, pos = [], 0
    for f in spans:
        if f.offset < pos:
            continue
        out.append(esc(text[pos : f.offset]))
        out.append(
            f'<del title="{esc(f.message)}">{esc(text[f.offset : f.offset + f.length])}</del>'
        )
        if not f.suggestion.startswith("("):
            out.append(f"<ins>{esc(f.suggestion)}</ins>")
        pos = f.offset + f.length
    out.append(esc(text[pos:]))
    return f'<pre style="white-space:pre-wrap;font-family:inherit">{"".join(out)}</pre>'


def _rows(findings: list[Finding]) -> list[list[object]]:
    return [
        [f.line or "—", f.column or "—", f.severity, f.rule, f.text, f.message, f.suggestion]
        for f in findings
    ]


_HEAD = ["行 Line", "列 Col", "级别", "规则 Rule", "文字 Text", "说明 Message", "建议 Fix"]


def check_report(out: WriteCheckOut, text: str) -> str:
    body = [
        cards(
            [
                ("错误 Errors", out.errors),
                ("提醒 Warnings", out.warnings),
                ("字数 Characters", out.characters),
                ("平台 Platform", out.platform or "—"),
            ]
        ),
        section(
            "发现 Findings",
            table(_HEAD, _rows(out.findings))
            if out.findings
            else "<p>没有发现问题 No findings.</p>",
        ),
        section("原文标注 Draft, marked", _marked(text, out.findings)),
    ]
    return page(
        f"文案检查 Copy check · {out.path.name}",
        body,
        subtitle="广告法 · 平台规则 · 字数与话题 (deterministic, no LLM)",
    )


def post_report(out: WritePostOut) -> str:
    body = [
        cards(
            [
                ("平台 Platforms", len(out.posts)),
                ("来源 Source", out.posts[0].source if out.posts else "—"),
                ("模型 Model", out.llm_model or "—"),
            ]
        )
    ]
    if out.note:
        body.append(f'<p class="muted">{esc(out.note)}</p>')
    for p in out.posts:
        frag = [f'<pre style="white-space:pre-wrap;font-family:inherit">{esc(p.text)}</pre>']
        if p.drew_on:
            frag.append(
                "<h3>依据 Drew on</h3><ul>"
                + "".join(f"<li>{esc(x)}</li>" for x in p.drew_on)
                + "</ul>"
            )
        frag.append(
            f"<p>自动修正 fixes applied: {p.fixes_applied}; 剩余 errors {p.errors}, warnings {p.warnings}</p>"
        )
        if p.findings:
            frag.append(table(_HEAD, _rows(p.findings)))
        body.append(section(f"{p.platform} · {p.title or '(no title)'}", *frag))
    return page(f"文案 Posts · {out.topic}", body)
