"""Self-contained HTML reports shared by every skill (no CDN, inline CSS and SVG, CJK fonts).

    from onelegion.reports import page, table, bar_chart, line_chart, cards, section, esc

    html = page("清洗报告 Clean report", [
        cards([("行 Rows", "2,410"), ("改动 Changes", "4,362")]),
        section("Issues", bar_chart([("missing", 12), ("格式", 30)], title="Issues by kind")),
        section("Columns", table(["列", "类型"], [["城市", "category"]])),
    ])

Every function returns an HTML fragment (``str``) with all text escaped; ``page`` wraps them in
a complete document whose font stack renders Chinese ("Noto Sans CJK SC", "PingFang SC",
"Microsoft YaHei"). Charts are inline SVG sized by viewBox, so they scale and print.
"""

from onelegion.reports.charts import bar_chart, line_chart
from onelegion.reports.html import FONT_STACK, cards, details, esc, page, section, table

__all__ = [
    "FONT_STACK",
    "bar_chart",
    "cards",
    "details",
    "esc",
    "line_chart",
    "page",
    "section",
    "table",
]
