"""What the accounts skills do, behind their thin definitions in ``__init__.py``."""

from __future__ import annotations

import csv
import math
import os
import re
import tempfile
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np

from onelegion.core.context import Context
from onelegion.core.errors import UserError
from onelegion.core.lang import tr
from onelegion.skills.accounts.elements import ElementsResult, analyse
from onelegion.skills.accounts.hits import (
    HitRules,
    Scored,
    band,
    engagement,
    explain,
    p_value,
    score,
)
from onelegion.skills.accounts.importers import (
    FileResult,
    ImportOptions,
    list_files,
    parse_map,
    read_file,
)
from onelegion.skills.accounts.models import (
    AccountRow,
    AccountVerdict,
    Element,
    ElementsIn,
    ElementsOut,
    FetchIn,
    FetchOut,
    Hit,
    HitsIn,
    HitsOut,
    ImportDirIn,
    ImportedFile,
    ImportIn,
    ImportOut,
    ListIn,
    ListOut,
    Pattern,
)
from onelegion.skills.accounts.posts import Posts, latest_capture, load_posts
from onelegion.skills.accounts.store import AccountsStore, Readings, from_iso

_DUR = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(h|d|w|m|y)\s*$", re.I)
_UNIT_DAYS = {"h": 1 / 24, "d": 1, "w": 7, "m": 30, "y": 365}


def store_for(ctx: Context, override: str | None = None) -> AccountsStore:
    path = override or ctx.config.section("accounts").get("store")
    if path:
        return AccountsStore(Path(str(path)).expanduser())
    return AccountsStore.for_home(ctx.config.home)


def lang(ctx: Context) -> str:
    """Language of explanations: the ``language`` setting, else $LEGION_LANGUAGE, else the locale."""
    if ctx.config.language in ("zh", "en"):
        return ctx.config.language
    for var in ("LEGION_LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        v = os.environ.get(var, "").lower()
        if v:
            return "zh" if v.startswith("zh") else "en"
    return "en"


def split_list(items: list[str]) -> list[str]:
    return [x.strip() for item in items for x in re.split(r"[,，]", item) if x.strip()]


# --- import ----------------------------------------------------------------------------------
def run_import(ctx: Context, params: ImportIn | ImportDirIn) -> ImportOut:
    store = store_for(ctx, params.store)
    mb = ctx.config.section("accounts").get("max_file_mb", 1024)
    opts = ImportOptions(
        format=params.format,
        mapping=parse_map(params.map),
        account=params.account,
        platform=params.platform,
        year=params.year,
        max_bytes=int(float(mb) * 2**20),
    )
    files = list_files(Path(params.path if isinstance(params, ImportIn) else params.dir))
    results: list[FileResult] = []
    for f in ctx.track(files, message="reading"):
        try:
            results.append(read_file(Path(f), opts))
        except UserError as e:
            if len(files) == 1:
                raise
            # one bad file in a folder: say so, import the rest
            bad = FileResult(path=Path(f), format="error")
            bad.notes.append(
                tr(f"{Path(f).name}: not imported: ", f"{Path(f).name}：未导入：") + e.one_line()
            )
            results.append(bad)
    records = Readings.concat([res.records for res in results])
    creators = [c for res in results for c in res.creators]
    if not records and not creators:
        reasons = (
            "; ".join(n for res in results for n in res.notes) or "no rows with a post and a count"
        )
        raise UserError(
            tr(f"nothing to import: {reasons}", f"没有可导入的内容：{reasons}"),
            hint=tr(
                "check --format, or map columns with --map", "检查 --format，或用 --map 指定列"
            ),
        )
    origin = str(params.path if isinstance(params, ImportIn) else params.dir)
    w = store.write(
        records, creators, origin=origin, fmt=params.format, rows=sum(r.rows for r in results)
    )
    ctx.log(f"imported {w.snapshots_new} readings into {store.path}")
    return ImportOut(
        files=[
            ImportedFile(
                path=str(r.path),
                format=r.format,
                platform=r.platform,
                rows=r.rows,
                readings=len(r.records),
                followers=len(r.creators),
                skipped=dict(r.skipped),
                notes=r.notes,
            )
            for r in results
        ],
        accounts_new=w.accounts_new,
        posts_new=w.posts_new,
        posts_updated=w.posts_updated,
        snapshots_new=w.snapshots_new,
        snapshots_skipped=w.snapshots_skipped,
        store=str(store.path),
    )


# --- list ------------------------------------------------------------------------------------
def run_list(ctx: Context, params: ListIn) -> ListOut:
    store = store_for(ctx, params.store)
    plats = set(split_list(params.platform))
    out = []
    for key, plat, name, fol, posts, snaps, first, last, last_cap, upd in store.account_rows():
        if plats and plat not in plats:
            continue
        out.append(
            AccountRow(
                account=name,
                key=key,
                platform=plat,
                followers=fol,
                posts=posts,
                readings=snaps,
                first_published=from_iso(first),
                last_published=from_iso(last),
                last_reading=from_iso(last_cap),
                last_update=datetime.fromisoformat(upd),
            )
        )
    return ListOut(accounts=out, store=str(store.path))


# --- scoring shared by hits / elements / report -----------------------------------------------
def parse_span(text: str) -> timedelta:
    m = _DUR.match(text or "")
    if not m:
        raise UserError(
            tr(f"--since {text!r} is not a span", f"--since {text!r} 不是时间跨度"),
            hint=tr("write e.g. 30d, 12w, 6m (months), 1y", "例如 30d、12w、6m（月）、1y"),
        )
    return timedelta(days=float(m.group(1)) * _UNIT_DAYS[m.group(2).lower()])


def scored_posts(ctx: Context, params: Any) -> tuple[Scored, np.ndarray]:
    """Score every post of the accounts in scope; return the mask of posts inside --since."""
    store = store_for(ctx, params.store)
    accounts = split_list(params.account)
    posts = load_posts(
        store, platforms=split_list(params.platform) or None, accounts=accounts or None
    )
    if len(posts) == 0:
        what = tr(f" for {', '.join(accounts)}", f"（{'、'.join(accounts)}）") if accounts else ""
        raise UserError(
            tr(f"no posts in the store{what}", f"库中没有作品{what}"),
            hint=tr(
                "see `legion accounts list`; import first",
                "先导入数据；用 `legion accounts list` 查看",
            ),
        )
    rules = HitRules(
        min_posts=params.min_posts,
        min_ratio=params.min_ratio,
        min_z=params.min_z,
        top_n=getattr(params, "top_n", 5),
        metric=params.metric,
    )
    s = score(posts, rules)
    return s, window_mask(posts, params.since)


def window_mask(posts: Posts, since: str | None) -> np.ndarray:
    if not since:
        return np.ones(len(posts), dtype=bool)
    start = latest_capture(posts) - parse_span(since)
    return np.asarray([p is not None and p >= start for p in posts.published], dtype=bool)


def hit_rows(s: Scored, mask: np.ndarray, language: str) -> list[Hit]:
    idx = np.flatnonzero(s.hit & mask)
    idx = idx[np.argsort(-s.ratio[idx], kind="stable")]
    out = []
    cache: dict[int, dict[str, float]] = {}
    for i in idx:
        why, hidden_reason = explain(s, int(i), lang=language, cache=cache)
        p = s.posts
        age = s.age[i]
        out.append(
            Hit(
                account=p.account_names[int(p.account[i])],
                platform=p.platform[i],
                post_id=p.post_id[i],
                title=p.title[i],
                url=p.url[i],
                published=p.published[i],
                age_days=round(float(age), 2) if math.isfinite(age) else None,
                metric=s.metric[i],
                value=float(s.value[i]),
                baseline=round(float(s.expected[i]), 1),
                ratio=round(float(s.ratio[i]), 2),
                band=band(float(s.ratio[i])),
                z=round(float(s.z[i]), 2),
                p=float(p_value(float(s.z[i]))),
                rank=int(s.rank[i]),
                hidden=bool(s.hidden[i]),
                hidden_reason=hidden_reason,
                why=why,
                engagement={k: round(v, 4) for k, v in engagement(p, int(i)).items()},
            )
        )
    return out


def verdicts(s: Scored) -> list[AccountVerdict]:
    def num(v: float) -> float | None:
        return round(float(v), 4) if math.isfinite(v) else None

    return [
        AccountVerdict(
            account=a.name,
            platform=a.platform,
            posts=a.posts,
            metric=a.metric,
            median=num(a.median),
            spread=num(a.spread),
            min_ratio=num(a.floor),
            growth_slope=num(a.slope),
            slope_from=a.slope_from,
            hits=a.hits,
            verdict=a.verdict,
            reason=a.reason,
        )
        for a in sorted(s.accounts, key=lambda a: (-a.hits, -a.posts, a.name))
    ]


def run_hits(ctx: Context, params: HitsIn) -> HitsOut:
    s, mask = scored_posts(ctx, params)
    rows = hit_rows(s, mask, lang(ctx))
    if params.hidden:
        rows = [h for h in rows if h.hidden]
    path = ctx.path("hits.csv")
    write_csv(path, HIT_COLUMNS, [hit_csv_row(h) for h in rows])
    ctx.artifact("hits.csv", path, description="Every hit with its numbers and explanation")
    notes = list(s.notes)
    if not any(a.verdict for a in s.accounts):
        notes.append(
            tr(
                f"no account has {params.min_posts}+ posts with a count: no verdict is possible yet",
                f"没有账号拥有 {params.min_posts} 条以上带数据的作品：暂时无法下结论",
            )
        )
    return HitsOut(
        hits=rows[: params.limit],
        total_hits=len(rows) if not params.hidden else int((s.hit & mask).sum()),
        hidden_hits=int((s.hidden & mask).sum()),
        posts=int(mask.sum()),
        accounts=verdicts(s),
        notes=notes,
        csv=str(path),
    )


HIT_COLUMNS = [
    "account",
    "platform",
    "post_id",
    "title",
    "url",
    "published",
    "age_days",
    "metric",
    "value",
    "baseline",
    "ratio",
    "band",
    "z",
    "p",
    "rank",
    "hidden",
    "hidden_reason",
    "why",
]


def hit_csv_row(h: Hit) -> list[Any]:
    d = h.model_dump()
    return [d[c].isoformat() if c == "published" and d[c] else d[c] for c in HIT_COLUMNS]


# --- elements --------------------------------------------------------------------------------
def elements_result(
    ctx: Context, s: Scored, mask: np.ndarray, min_support: int, level: float, radar: bool
) -> ElementsResult:
    from onelegion.skills.accounts.radar_overlap import radar_store

    if not mask.all():
        s = restrict(s, mask)
    history = radar_store(ctx.config.home, ctx.config.section("radar")) if radar else None
    return analyse(s, min_support=min_support, level=level, radar_history=history)


def restrict(s: Scored, mask: np.ndarray) -> Scored:
    """The same scores with posts outside ``mask`` marked unscored (baselines stay from all posts)."""
    from dataclasses import replace

    ratio = np.where(mask, s.ratio, np.nan)
    over = None if s.over is None else s.over & mask
    return replace(s, ratio=ratio, hit=s.hit & mask, hidden=s.hidden & mask, over=over)


def element_models(res: ElementsResult) -> tuple[list[Element], list[Pattern]]:
    def r(x: float) -> float:
        return round(x, 4) if math.isfinite(x) else x

    els = [
        Element(
            element=e.element,
            label=e.label,
            posts=e.posts,
            hits=e.hits,
            hit_rate=r(e.hit_rate),
            hit_rate_ci=(r(e.hit_rate_ci[0]), r(e.hit_rate_ci[1])),
            base_rate=r(e.base_rate),
            base_rate_ci=(r(e.base_rate_ci[0]), r(e.base_rate_ci[1])),
            lift=r(e.lift),
            lift_ci=(r(e.lift_ci[0]), r(e.lift_ci[1])),
            effect=r(e.effect),
            effect_ci=(r(e.effect_ci[0]), r(e.effect_ci[1])),
            p=r(e.p),
            q=r(e.q),
            significant=e.significant,
            examples=e.examples,
        )
        for e in res.elements
    ]
    pats = [
        Pattern(
            template=p.template,
            hits=p.hits,
            posts=p.posts,
            lift=round(p.lift, 2),
            examples=p.examples,
        )
        for p in res.patterns
    ]
    return els, pats


ELEMENT_COLUMNS = [
    "element",
    "label",
    "posts",
    "hits",
    "hit_rate",
    "hit_rate_lo",
    "hit_rate_hi",
    "base_rate",
    "lift",
    "lift_lo",
    "lift_hi",
    "effect",
    "effect_lo",
    "effect_hi",
    "p",
    "q",
    "significant",
]


def element_csv_rows(els: list[Element]) -> list[list[Any]]:
    return [
        [
            e.element,
            e.label,
            e.posts,
            e.hits,
            e.hit_rate,
            *e.hit_rate_ci,
            e.base_rate,
            e.lift,
            *e.lift_ci,
            e.effect,
            *e.effect_ci,
            e.p,
            e.q,
            e.significant,
        ]
        for e in els
    ]


def run_elements(ctx: Context, params: ElementsIn) -> ElementsOut:
    s, mask = scored_posts(ctx, params)
    res = elements_result(ctx, s, mask, params.min_support, params.level, params.radar)
    els, pats = element_models(res)
    path = ctx.path("elements.csv")
    write_csv(path, ELEMENT_COLUMNS, element_csv_rows(els))
    ctx.artifact("elements.csv", path, description="Every element with lift, effect and intervals")
    explanation, drafts = None, []
    if params.llm:
        from onelegion.skills.accounts.drafts import draft

        d = draft(ctx, hit_rows(s, mask, lang(ctx)), els, pats)
        explanation, drafts = d.explanation, d.titles
    return ElementsOut(
        explanation=explanation,
        title_drafts=drafts,
        posts=res.posts,
        hits=res.hits,
        elements=els,
        patterns=pats,
        notes=s.notes + res.notes,
        csv=str(path),
    )


# --- files -----------------------------------------------------------------------------------
def write_csv(path: Path, header: list[str], rows: list[list[Any]]) -> None:
    """UTF-8 with BOM (Excel opens Chinese text correctly), written atomically."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8-sig", newline="") as f:
            w = csv.writer(f)
            w.writerow(header)
            w.writerows(rows)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_text(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


# --- fetch -----------------------------------------------------------------------------------
def run_fetch(ctx: Context, params: FetchIn) -> FetchOut:
    from onelegion.skills.accounts.connectors import fetch_bilibili, fetch_youtube

    since = parse_span(params.since) if params.since else None
    vids = split_list(params.videos)
    if params.platform == "bilibili":
        if not params.account and not vids:
            raise UserError(
                tr(
                    "bilibili: give --account MID or --videos BV…",
                    "bilibili：请给出 --account MID 或 --videos BV…",
                ),
                hint=tr(
                    "the mid is the number in space.bilibili.com/<mid>",
                    "mid 是 space.bilibili.com/<mid> 中的数字",
                ),
            )
        got = fetch_bilibili(
            ctx, params.account, since=since, max_posts=params.max_posts, videos=vids
        )
    else:
        if not params.account:
            raise UserError(
                tr(
                    "youtube: give --account with a channel id (UC…) or @handle",
                    "youtube：请用 --account 给出频道 id（UC…）或 @handle",
                )
            )
        got = fetch_youtube(ctx, params.account, since=since, max_posts=params.max_posts)
    store = store_for(ctx, params.store)
    w = None
    if got.records or got.creators:
        w = store.write(
            got.records,
            got.creators,
            origin=f"fetch:{params.platform}:{params.account}",
            fmt="fetch",
            rows=len(got.records),
        )
    return FetchOut(
        platform=params.platform,
        account=params.account,
        videos=len(got.records),
        followers=got.creators[0].followers if got.creators else None,
        requests=got.requests,
        posts_new=w.posts_new if w else 0,
        snapshots_new=w.snapshots_new if w else 0,
        notes=got.notes,
        store=str(store.path),
    )
