"""The small HTML page at ``/``: skills and recent runs, zh/en labels, no external assets."""

from __future__ import annotations

import time
from html import escape
from typing import TYPE_CHECKING

from onelegion import __version__

if TYPE_CHECKING:
    from onelegion.core.runtime import Runtime

_CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI","Noto Sans CJK SC","PingFang SC",
"Microsoft YaHei",sans-serif;margin:2rem auto;max-width:60rem;padding:0 1rem;color:#1d1d1f}
h1{font-size:1.5rem}h2{font-size:1.1rem;margin-top:2rem}
table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:.35rem .5rem;
border-bottom:1px solid #e5e5e5;vertical-align:top}th{font-weight:600;background:#f6f6f6}
code{font-size:.9em}.s-succeeded{color:#137333}.s-failed,.s-interrupted{color:#c5221f}
.s-running,.s-queued{color:#b06000}.s-cancelled{color:#5f6368}small{color:#5f6368}
a{color:#1a56db}
"""


def _ago(ts: float) -> str:
    d = max(0, int(time.time() - ts))
    if d < 60:
        return f"{d}s"
    if d < 3600:
        return f"{d // 60}m"
    if d < 86400:
        return f"{d // 3600}h"
    return f"{d // 86400}d"


def render_index(runtime: Runtime, *, limit: int = 20) -> str:
    skills = runtime.registry.all()
    runs = runtime.store.list_runs(limit=limit)
    skill_rows = "".join(
        f"<tr><td><code>{escape(s.name)}</code></td><td>{escape(s.title)}</td>"
        f"<td>{escape(s.summary)}</td><td><a href='/api/skills/{escape(s.name)}'>JSON</a></td></tr>"
        for s in skills
    )
    run_rows = "".join(
        f"<tr><td><a href='/api/runs/{escape(r.id)}'><code>{escape(r.id)}</code></a></td>"
        f"<td><code>{escape(r.skill)}</code></td>"
        f"<td class='s-{escape(r.status)}'>{escape(r.status)}</td>"
        f"<td>{escape(r.surface)}</td><td>{_ago(r.created_at)}</td>"
        f"<td><small>{escape(r.error or '')}</small></td></tr>"
        for r in runs
    )
    if not run_rows:
        run_rows = "<tr><td colspan='6'>还没有运行记录 · No runs yet</td></tr>"
    return f"""<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<title>OneLegion 一人军团</title><style>{_CSS}</style></head><body>
<h1>OneLegion 一人军团 <small>v{escape(__version__)}</small></h1>
<p>HTTP API · <a href="/docs">接口文档 API docs</a> · <a href="/api/runs">JSON</a></p>
<h2>技能 Skills ({len(skills)})</h2>
<table><thead><tr><th>名称 Name</th><th>标题 Title</th><th>说明 Summary</th><th></th></tr></thead>
<tbody>{skill_rows}</tbody></table>
<h2>最近运行 Recent runs</h2>
<table><thead><tr><th>编号 Run</th><th>技能 Skill</th><th>状态 Status</th><th>来源 Surface</th>
<th>时间 Age</th><th>错误 Error</th></tr></thead><tbody>{run_rows}</tbody></table>
</body></html>"""
