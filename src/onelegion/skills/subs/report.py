"""CSV and self-contained HTML reports of check and fix (bilingual headings, no CDN)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

from onelegion.reports.charts import bar_chart
from onelegion.reports.html import cards, page, section, table
from onelegion.skills.subs.formats import write_text_atomic
from onelegion.skills.subs.rules import RULES, Issue

RULE_ZH = {
    "empty": "空字幕",
    "order": "顺序错乱",
    "duplicate": "重复字幕",
    "overlap": "时间重叠",
    "min_gap": "间隔过小",
    "close_gap": "应合并的小间隔",
    "lines": "行数过多",
    "line_length": "单行过长",
    "line_break": "断行位置不当",
    "min_duration": "显示过短",
    "max_duration": "显示过长",
    "cps": "阅读速度过快",
    "punctuation": "标点样式",
}


def rule_label(rule: str) -> str:
    return f"{rule} · {RULE_ZH.get(rule, '')}"


def write_csv(path: Path, header: Sequence[str], rows: Iterable[Mapping[str, object]]) -> None:
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=list(header), extrasaction="ignore")
    w.writeheader()
    for r in rows:
        w.writerow(r)
    write_text_atomic(path, buf.getvalue(), bom=True)  # BOM: Excel/WPS open Chinese CSV correctly


def check_html(
    name: str, lang: str, cues: int, by_rule: Mapping[str, int], issues: Sequence[Issue]
) -> str:
    broken = len({i.cue for i in issues})
    body = [
        cards(
            [
                ("cues · 字幕条数", cues),
                ("breaking a rule · 有问题", broken),
                ("share · 占比", f"{broken / max(cues, 1):.0%}"),
                ("issues · 问题数", len(issues)),
            ]
        ),
        section(
            "Rules broken · 各规则问题数",
            bar_chart([(rule_label(r), n) for r, n in by_rule.items() if n]),
            table(
                ["rule · 规则", "what · 含义", "cues · 条数"],
                [(r, RULES[r], by_rule.get(r, 0)) for r in RULES],
                numeric=[2],
            ),
        ),
        section(
            "Every issue · 全部问题",
            table(
                ["cue", "start", "end", "rule", "detail"],
                [(i.cue, *list(i.row().values())[1:]) for i in issues[:5000]],
                numeric=[0],
            ),
        ),
    ]
    return page(f"Subtitle check · 字幕检查: {name}", body, subtitle=f"rules: {lang}")


def fix_html(
    name: str,
    lang: str,
    before: Mapping[str, int],
    after: Mapping[str, int],
    counts: tuple[int, int, int, int],
    changes: Sequence[Mapping[str, object]],
    unfixed: Sequence[Mapping[str, object]],
    remaining: Sequence[Issue],
) -> str:
    cues_before, cues_after, broken_before, broken_after = counts
    body = [
        cards(
            [
                ("cues before · 修复前条数", cues_before),
                ("cues after · 修复后条数", cues_after),
                (
                    "breaking before · 修复前有问题",
                    f"{broken_before} ({broken_before / max(cues_before, 1):.0%})",
                ),
                (
                    "breaking after · 修复后有问题",
                    f"{broken_after} ({broken_after / max(cues_after, 1):.1%})",
                ),
                ("changes · 修改", len(changes)),
            ]
        ),
        section(
            "Before and after, per rule · 各规则修复前后",
            table(
                ["rule · 规则", "before · 前", "after · 后"],
                [(rule_label(r), before.get(r, 0), after.get(r, 0)) for r in RULES],
                numeric=[1, 2],
            ),
        ),
        section(
            "Not fixed · 未能自动修复",
            table(["cue", "rule", "why"], [(u["cue"], u["rule"], u["why"]) for u in unfixed])
            if unfixed
            else "<p>—</p>",
            table(["cue", "rule", "detail"], [(i.cue, i.rule, i.detail) for i in remaining[:2000]])
            if remaining
            else "",
        ),
        section(
            "Changes · 修改明细",
            table(
                ["cue", "fix", "before", "after"],
                [(c["cue"], c["fix"], c["before"], c["after"]) for c in changes[:5000]],
            ),
        ),
    ]
    return page(f"Subtitle fix · 字幕修复: {name}", body, subtitle=f"rules: {lang}")


def translate_html(
    name: str,
    langs: tuple[str, str],
    counts: Mapping[str, int],
    rows: Sequence[Mapping[str, object]],
    after: Mapping[str, int],
    note: str,
) -> str:
    """Side by side: each cue's source, translation and where it came from; rules after."""
    from onelegion.skills.subs.formats import timestamp

    origin_zh = {
        "llm": "大模型",
        "memory-exact": "记忆库·完全匹配",
        "left": "未翻译",
        "flagged": "待审校（模型未答好）",
    }
    body = [
        cards(
            [
                (f"{k} · {v}", counts.get(k, 0))
                for k, v in (
                    ("cues", "条数"),
                    ("llm", "大模型"),
                    ("memory", "记忆库"),
                    ("left", "未翻译"),
                )
            ]
        ),
        f"<p>{note}</p>" if note else "",
        section(
            "Rules after · 译文规则检查",
            table(
                ["rule · 规则", "cues · 条数"],
                [(rule_label(r), n) for r, n in after.items() if n],
                numeric=[1],
            ),
        ),
        section(
            "Cues · 逐条对照",
            table(
                ["cue", "start", "source · 原文", "translation · 译文", "origin · 来源"],
                [
                    (
                        r["cue"],
                        timestamp(int(str(r["start"]))),
                        r["source"],
                        r["target"],
                        origin_zh.get(
                            str(r["origin"]),
                            str(r["origin"]).replace("memory-fuzzy", "记忆库·模糊匹配"),
                        ),
                    )
                    for r in rows
                ],
                numeric=[0],
            ),
        ),
    ]
    return page(
        f"Subtitle translation · 字幕翻译: {name}", body, subtitle=f"{langs[0]} → {langs[1]}"
    )
