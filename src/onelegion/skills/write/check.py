"""The deterministic copy checker: 广告法 terms, platform rules (导流, 诱导互动), platform length
limits, hashtags, and the user's own banned words — every finding with its line and column and,
where one exists, a fix. No LLM."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Literal

from onelegion.skills.write.models import Finding
from onelegion.skills.write.platforms import Platform

TERMS_DIR = Path(__file__).parent / "terms"
_HASHTAG = re.compile(r"#([^\s#，。！？、,.!?：:；;（）()\[\]【】]{1,40})#?")
_EMOJI = re.compile(
    "[\U0001f300-\U0001faff\U00002600-\U000027bf\U0001f000-\U0001f2ff\U00002b00-\U00002bff]"
)
DELETE = "-"


@dataclass(frozen=True)
class Term:
    term: str
    category: str
    replacement: str
    note: str
    source: str  # ad_law | platform | user


@dataclass
class Draft:
    """A draft split into title, digest, body and hashtags, with the line each part starts on."""

    text: str
    title: str = ""
    title_line: int = 0
    digest: str = ""
    body: str = ""
    hashtags: list[tuple[str, int, int]] = field(default_factory=list)  # (tag, line, column)


def _rows(path: Path) -> list[list[str]]:
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            out.append([c.strip() for c in line.split("\t")])
    return out


@lru_cache(maxsize=1)
def ad_law_terms() -> tuple[Term, ...]:
    return tuple(
        Term(r[0], r[1], r[2] if len(r) > 2 else DELETE, r[3] if len(r) > 3 else "", "ad_law")
        for r in _rows(TERMS_DIR / "ad_law.tsv")
    )


@lru_cache(maxsize=1)
def allowed_compounds() -> tuple[str, ...]:
    return tuple(r[0] for r in _rows(TERMS_DIR / "allowed.txt"))


def platform_terms(platform_id: str | None) -> list[Term]:
    out = []
    for r in _rows(TERMS_DIR / "sensitive.tsv"):
        plats = {p.strip() for p in r[1].split(",")}
        if "*" in plats or (platform_id and platform_id in plats):
            out.append(
                Term(
                    r[0],
                    r[2],
                    r[3] if len(r) > 3 else DELETE,
                    r[4] if len(r) > 4 else "",
                    "platform",
                )
            )
    return out


def user_terms(path: Path) -> list[Term]:
    """One word a line, optionally ``word<TAB>replacement`` (or ``word,replacement``); # comments."""
    from onelegion.core.errors import UserError

    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise UserError(
            f"{path.name} is not UTF-8 text", hint="save the banned-word file as UTF-8"
        ) from None
    out = []
    for line in text.splitlines():
        s = line.strip()
        if not s or s.startswith("#"):
            continue
        parts = re.split(r"\t|,|，", s, maxsplit=1)
        word = parts[0].strip()
        if word:
            repl = parts[1].strip() if len(parts) > 1 and parts[1].strip() else DELETE
            out.append(Term(word, "banned", repl, f"{path.name}", "user"))
    return out


@lru_cache(maxsize=32)
def _matcher(platform_id: str | None) -> Matcher:
    return Matcher([*ad_law_terms(), *platform_terms(platform_id)], allowed_compounds())


class Matcher:
    """Longest match first; allowed compounds are consumed before any term."""

    def __init__(self, terms: list[Term], allowed: tuple[str, ...]) -> None:
        self.terms = {t.term.lower(): t for t in terms}
        alts = sorted(self.terms, key=len, reverse=True)
        allow = sorted(allowed, key=len, reverse=True)
        allow_re = "|".join(re.escape(a) for a in allow) or "(?!)"
        term_re = "|".join(re.escape(a) for a in alts) or "(?!)"
        self.rx = re.compile(f"(?P<allow>{allow_re})|(?P<term>{term_re})", re.IGNORECASE)

    def find(self, text: str) -> list[tuple[int, int, Term]]:
        hits = []
        for m in self.rx.finditer(text):
            if m.group("term") is not None:
                hits.append((m.start(), m.end(), self.terms[m.group("term").lower()]))
        return hits


def parse_draft(text: str) -> Draft:
    """Title: a first ``# `` heading (or ``标题：``/``title:`` line); digest: a ``摘要：``/``digest:``
    line; hashtags anywhere; the rest is the body."""
    d = Draft(text=text)
    body_lines: list[str] = []
    for i, line in enumerate(text.splitlines(), start=1):
        s = line.strip()
        m_title = re.match(r"^(?:#\s+|标题[:：]\s*|title:\s*)(.+)$", s, re.I)
        m_digest = re.match(r"^(?:摘要|digest)[:：]\s*(.+)$", s, re.I)
        if not d.title_line and m_title and not body_lines:
            d.title, d.title_line = m_title.group(1).strip(), i
            continue
        if m_digest and not d.digest:
            d.digest = m_digest.group(1).strip()
            continue
        body_lines.append(line)
        if s.startswith("#") and re.match(r"^#+\s", s):
            continue  # a section heading, not a hashtag
        for m in _HASHTAG.finditer(line):
            d.hashtags.append((m.group(1), i, m.start() + 1))
    d.body = "\n".join(body_lines).strip()
    return d


def _line_col(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    col = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return line, col


def body_length(body: str) -> int:
    """Characters a platform counts: everything but line breaks and Markdown markers."""
    s = re.sub(r"<!--.*?-->", "", body, flags=re.S)
    s = re.sub(r"^#+\s*", "", s, flags=re.M)
    s = re.sub(r"[*_`>]", "", s)
    return len(s.replace("\n", "").replace("\r", ""))


def check_text(
    text: str, platform: Platform | None, extra_terms: list[Term] | None = None
) -> tuple[list[Finding], Draft]:
    pid = platform.id if platform else None
    if extra_terms:
        matcher = Matcher(
            [*ad_law_terms(), *platform_terms(pid), *extra_terms], allowed_compounds()
        )
    else:
        matcher = _matcher(pid)
    findings: list[Finding] = []
    for start, end, t in matcher.find(text):
        line, col = _line_col(text, start)
        found = text[start:end]
        ctx_end = end + (1 if t.term == "最" and end < len(text) else 0)
        fix = "" if t.replacement == DELETE else t.replacement
        label = {"ad_law": "广告法", "platform": "平台规则", "user": "自定义禁用词"}[t.source]
        findings.append(
            Finding(
                rule=f"{t.source}.{t.category}",
                severity="error" if t.source in ("ad_law", "user") else "warning",
                line=line,
                column=col,
                offset=start,
                length=end - start,
                text=text[start:ctx_end],
                message=f"{label} {found}: {t.note}".strip(),
                suggestion=fix if fix else "(删除 delete)",
            )
        )
    draft = parse_draft(text)
    if platform is not None:
        findings += _limits(draft, platform)
    findings.sort(key=lambda f: (f.line, f.column, f.rule))
    return findings, draft


def _limit(
    rule: str, msg: str, line: int = 0, severity: Literal["error", "warning"] = "error"
) -> Finding:
    return Finding(
        rule=rule,
        severity=severity,
        line=line,
        column=1 if line else 0,
        offset=-1,
        length=0,
        text="",
        message=msg,
        suggestion="",
    )


def _limits(d: Draft, p: Platform) -> list[Finding]:
    out: list[Finding] = []
    if p.title_max:
        if not d.title:
            out.append(
                _limit(
                    "limit.title_missing",
                    f"{p.name}需要标题 ('# 标题' on the first line)",
                    1,
                    "warning",
                )
            )
        elif len(d.title) > p.title_max:
            out.append(
                _limit(
                    "limit.title_length",
                    f"标题 {len(d.title)} 字，{p.name}上限 {p.title_max} 字 (title too long)",
                    d.title_line,
                )
            )
        if d.title and not p.title_emoji and _EMOJI.search(d.title):
            out.append(
                _limit("style.title_emoji", f"{p.name}标题通常不用 emoji", d.title_line, "warning")
            )
    if p.digest_max and len(d.digest) > p.digest_max:
        out.append(
            _limit(
                "limit.digest_length",
                f"摘要 {len(d.digest)} 字，上限 {p.digest_max} 字 (digest too long)",
            )
        )
    n = body_length(d.body)
    if n > p.body_max:
        out.append(
            _limit(
                "limit.body_length", f"正文 {n} 字，{p.name}上限 {p.body_max} 字 (body too long)"
            )
        )
    elif n < p.body_min:
        out.append(
            _limit(
                "limit.body_short",
                f"正文 {n} 字，{p.name}建议至少 {p.body_min} 字 (body short)",
                0,
                "warning",
            )
        )
    tags = [t for t, _, _ in d.hashtags]
    seen: Counter[str] = Counter()
    for tag, line, col in d.hashtags:
        seen[tag] += 1
        if seen[tag] == 2:
            f = _limit("hashtag.repeated", f"话题 #{tag} 重复 (repeated hashtag)", line, "warning")
            f.column = col
            f.text = f"#{tag}"
            f.suggestion = "(删除重复 remove the repeat)"
            out.append(f)
    distinct = len(set(tags))
    if distinct > p.hashtags_max:
        out.append(
            _limit(
                "limit.hashtags_many",
                f"{distinct} 个话题，{p.name}建议最多 {p.hashtags_max} 个",
                0,
                "warning",
            )
        )
    elif distinct < p.hashtags_min:
        out.append(
            _limit(
                "limit.hashtags_few",
                f"{distinct} 个话题，{p.name}建议至少 {p.hashtags_min} 个",
                0,
                "warning",
            )
        )
    if p.emoji == "none" and _EMOJI.search(d.body):
        out.append(_limit("style.emoji", f"{p.name}正文通常不用 emoji", 0, "warning"))
    return out


def apply_fixes(text: str, findings: list[Finding]) -> tuple[str, int]:
    """Replace every term finding by its suggestion (or delete it) and drop repeated hashtags,
    right to left so offsets stay valid. Returns the new text and the number of fixes."""
    edits: list[tuple[int, int, str]] = []
    for f in findings:
        if f.offset >= 0 and f.length > 0:
            repl = "" if f.suggestion.startswith("(") else f.suggestion
            edits.append((f.offset, f.offset + f.length, repl))
    lines = text.split("\n")
    starts = [0]
    for ln in lines[:-1]:
        starts.append(starts[-1] + len(ln) + 1)
    for f in findings:
        if f.rule == "hashtag.repeated" and f.line:
            off = starts[f.line - 1] + f.column - 1
            end = off + len(f.text)
            if text[end : end + 1] == "#":
                end += 1
            while end < len(text) and text[end] == " ":
                end += 1
            edits.append((off, end, ""))
    edits.sort(reverse=True)
    out = text
    last_start = len(text) + 1
    n = 0
    for a, b, r in edits:
        if b > last_start:
            continue  # overlapping edit
        out = out[:a] + r + out[b:]
        last_start = a
        n += 1
    return out, n
