"""Page shell, tables, cards and sections for self-contained HTML reports."""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime

FONT_STACK = (
    '-apple-system, BlinkMacSystemFont, "Segoe UI", "Noto Sans CJK SC", "Noto Sans SC", '
    '"Source Han Sans SC", "PingFang SC", "Hiragino Sans GB", "Microsoft YaHei", "WenQuanYi Micro Hei", '
    "sans-serif"
)

_CSS = """
:root { --fg:#1f2328; --muted:#656d76; --line:#d0d7de; --bg:#ffffff; --soft:#f6f8fa;
        --accent:#0969da; --good:#1a7f37; --bad:#cf222e; }
* { box-sizing: border-box; }
body { font-family: %(font)s; color: var(--fg); background: var(--bg); margin: 0; line-height: 1.5; }
main { max-width: 1180px; margin: 0 auto; padding: 24px 20px 48px; }
h1 { font-size: 1.6rem; margin: 0 0 4px; } h2 { font-size: 1.2rem; margin: 28px 0 10px;
  padding-bottom: 4px; border-bottom: 1px solid var(--line); }
h3 { font-size: 1rem; margin: 16px 0 6px; }
.sub { color: var(--muted); margin: 0 0 16px; font-size: .9rem; }
.cards { display: flex; flex-wrap: wrap; gap: 12px; margin: 16px 0; }
.card { background: var(--soft); border: 1px solid var(--line); border-radius: 8px; padding: 10px 16px; min-width: 130px; }
.card .v { font-size: 1.4rem; font-weight: 600; } .card .k { color: var(--muted); font-size: .8rem; }
table { border-collapse: collapse; width: 100%%; font-size: .85rem; margin: 8px 0 16px; }
th, td { border: 1px solid var(--line); padding: 4px 8px; text-align: left; vertical-align: top; }
th { background: var(--soft); font-weight: 600; position: sticky; top: 0; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
.scroll { overflow-x: auto; max-height: 560px; overflow-y: auto; }
code, .mono { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: .85em; }
del { color: var(--bad); text-decoration: line-through; } ins { color: var(--good); text-decoration: none; }
.muted { color: var(--muted); } .tag { display:inline-block; padding:0 6px; border-radius:10px;
  background: var(--soft); border:1px solid var(--line); font-size:.75rem; }
svg text { font-family: %(font)s; }
details { margin: 6px 0; } summary { cursor: pointer; }
footer { margin-top: 32px; color: var(--muted); font-size: .8rem; }
@media print { .scroll { max-height: none; overflow: visible; } }
"""


def esc(value: object) -> str:
    """Escape any value for HTML text or attribute content (None -> empty)."""
    return "" if value is None else html.escape(str(value), quote=True)


def page(
    title: str, body: Iterable[str], *, subtitle: str = "", lang: str = "zh-CN", footer: str = ""
) -> str:
    """A complete HTML document around the given fragments."""
    made = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    return (
        f'<!doctype html>\n<html lang="{esc(lang)}"><head><meta charset="utf-8">'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{esc(title)}</title><style>{_CSS % {'font': FONT_STACK}}</style></head>"
        f"<body><main><h1>{esc(title)}</h1>"
        + (f'<p class="sub">{esc(subtitle)}</p>' if subtitle else "")
        + "".join(body)
        + f"<footer>{esc(footer) + ' · ' if footer else ''}OneLegion 一人军团 · {made}</footer>"
        "</main></body></html>\n"
    )


def section(title: str, *fragments: str, level: int = 2) -> str:
    return f"<section><h{level}>{esc(title)}</h{level}>{''.join(fragments)}</section>"


def cards(items: Sequence[tuple[str, object]]) -> str:
    """Big-number cards: [(label, value), ...]."""
    return (
        '<div class="cards">'
        + "".join(
            f'<div class="card"><div class="v">{esc(v)}</div><div class="k">{esc(k)}</div></div>'
            for k, v in items
        )
        + "</div>"
    )


def table(
    headers: Sequence[str],
    rows: Iterable[Sequence[object]],
    *,
    numeric: Sequence[int] = (),
    raw: Sequence[int] = (),
    scroll: bool = True,
) -> str:
    """An HTML table. Cells are escaped except in the ``raw`` column indexes (trusted HTML)."""
    num = set(numeric)
    trusted = set(raw)
    head = "".join(
        f'<th class="num">{esc(h)}</th>' if i in num else f"<th>{esc(h)}</th>"
        for i, h in enumerate(headers)
    )
    body = []
    for r in rows:
        cells = []
        for i, v in enumerate(r):
            text = str(v) if i in trusted else esc(v)
            cells.append(f'<td class="num">{text}</td>' if i in num else f"<td>{text}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    t = f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"
    return f'<div class="scroll">{t}</div>' if scroll else t


def details(summary: str, *fragments: str, open_: bool = False) -> str:
    return f"<details{' open' if open_ else ''}><summary>{esc(summary)}</summary>{''.join(fragments)}</details>"
