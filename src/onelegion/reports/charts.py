"""Inline SVG charts (no JavaScript): horizontal bar charts and line charts."""

from __future__ import annotations

from collections.abc import Sequence

from onelegion.reports.html import esc

PALETTE = ("#0969da", "#1a7f37", "#bf8700", "#cf222e", "#8250df", "#1b7c83", "#d1242f", "#57606a")


def _fmt(v: float) -> str:
    return f"{int(v):,}" if float(v).is_integer() else f"{v:,.2f}"


def _text_width(s: str) -> float:
    # CJK glyphs are about twice as wide as Latin ones at the same size
    return sum(2.0 if ord(ch) > 0x2E80 else 1.0 for ch in s) * 6.5


def bar_chart(
    data: Sequence[tuple[str, float]], *, title: str = "", width: int = 640, color: str = PALETTE[0]
) -> str:
    """Horizontal bars, one per (label, value), largest first as given."""
    if not data:
        return '<p class="muted">—</p>'
    bar_h, gap = 20, 6
    label_w = min(260.0, max(_text_width(str(label)) for label, _ in data) + 12)
    top = 24 if title else 4
    height = top + len(data) * (bar_h + gap) + 4
    vmax = max(float(v) for _, v in data) or 1.0
    plot_w = width - label_w - 70
    parts = [
        f'<svg viewBox="0 0 {width} {height}" width="100%" style="max-width:{width}px" role="img" aria-label="{esc(title)}">'
    ]
    if title:
        parts.append(f'<text x="0" y="15" font-size="13" font-weight="600">{esc(title)}</text>')
    for i, (label, v) in enumerate(data):
        y = top + i * (bar_h + gap)
        w = max(1.0, plot_w * float(v) / vmax) if v else 0.0
        parts.append(
            f'<text x="{label_w - 6}" y="{y + 14}" font-size="12" text-anchor="end">{esc(label)}</text>'
        )
        parts.append(
            f'<rect x="{label_w}" y="{y}" width="{w:.1f}" height="{bar_h}" rx="3" fill="{color}"><title>{esc(label)}: {_fmt(float(v))}</title></rect>'
        )
        parts.append(
            f'<text x="{label_w + w + 4:.1f}" y="{y + 14}" font-size="12">{_fmt(float(v))}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def line_chart(
    series: dict[str, Sequence[float]],
    *,
    labels: Sequence[str] = (),
    title: str = "",
    width: int = 640,
    height: int = 220,
) -> str:
    """One polyline per named series over shared x positions (``labels`` under the axis)."""
    if not series or not any(series.values()):
        return '<p class="muted">—</p>'
    n = max(len(v) for v in series.values())
    vals = [float(x) for v in series.values() for x in v]
    vmin, vmax = min(0.0, *vals), max(vals)
    span = (vmax - vmin) or 1.0
    left, right, top, bottom = 48, 12, 28 if title else 10, 28
    pw, ph = width - left - right, height - top - bottom

    def xy(i: int, v: float) -> tuple[float, float]:
        x = left + (pw * i / max(1, n - 1))
        return x, top + ph - ph * (v - vmin) / span

    parts = [
        f'<svg viewBox="0 0 {width} {height}" width="100%" style="max-width:{width}px" role="img" aria-label="{esc(title)}">'
    ]
    if title:
        parts.append(f'<text x="0" y="16" font-size="13" font-weight="600">{esc(title)}</text>')
    parts.append(
        f'<line x1="{left}" y1="{top + ph}" x2="{left + pw}" y2="{top + ph}" stroke="#d0d7de"/>'
    )
    for frac in (0.0, 0.5, 1.0):
        v = vmin + span * frac
        y = top + ph - ph * frac
        parts.append(
            f'<text x="{left - 6}" y="{y + 4:.1f}" font-size="11" text-anchor="end">{_fmt(round(v, 2))}</text>'
        )
    step = max(1, n // 8)
    for i, lab in enumerate(labels[:n]):
        if i % step == 0:
            x, _ = xy(i, vmin)
            parts.append(
                f'<text x="{x:.1f}" y="{height - 8}" font-size="11" text-anchor="middle">{esc(lab)}</text>'
            )
    for k, (name, vs) in enumerate(series.items()):
        color = PALETTE[k % len(PALETTE)]
        pts = " ".join(
            f"{x:.1f},{y:.1f}" for x, y in (xy(i, float(val)) for i, val in enumerate(vs))
        )
        parts.append(
            f'<polyline fill="none" stroke="{color}" stroke-width="2" points="{pts}"><title>{esc(name)}</title></polyline>'
        )
        parts.append(
            f'<text x="{left + 8 + 90 * k}" y="{top + 12}" font-size="11" fill="{color}">■ {esc(name)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)
