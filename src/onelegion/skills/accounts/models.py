"""Input and output models of the accounts skills (pydantic only; rich loads inside ``__rich__``)."""

from __future__ import annotations

import math
from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, Field

from onelegion.core.lang import tr
from onelegion.core.skill import InputDir, InputPath, OutputFile

Format = Literal[
    "auto",
    "mediacrawler",
    "youtube-trending",
    "youtube-studio",
    "bilibili-studio",
    "douyin-studio",
    "xhs-studio",
    "table",
]
Metric = Literal["auto", "views", "likes", "comments", "shares", "favorites"]

_STORE = "Accounts store file (default: [accounts] store in legion.toml, else HOME/accounts/accounts.db)."
_FORMAT = (
    "Layout: auto, mediacrawler (csv/json/jsonl/sqlite of any platform), youtube-trending (Kaggle), "
    "youtube-studio / bilibili-studio / douyin-studio / xhs-studio (creator-centre exports), table (any, with --map)."
)
_MAP = "Column mapping FIELD=COLUMN: views=播放量,likes=点赞数,title=标题,account_name=账号,published_at=发布时间."
_SINCE = (
    "Only posts published in this span before the newest reading (30d, 90d, 26w); default: all."
)


class _ImportOptions(BaseModel):
    format: Format = Field(default="auto", description=_FORMAT)
    map: list[str] = Field(default_factory=list, description=_MAP)
    account: str | None = Field(
        default=None,
        description="Account name for a one-account export with no account column (your own creator-centre file).",
    )
    platform: str | None = Field(
        default=None,
        description="Platform code for a generic table (bili, dy, xhs, ks, wb, zhihu, youtube...).",
    )
    year: int = Field(
        default=2017,
        ge=2000,
        le=2100,
        description="Year of trending dates written without one (Kaggle v1 DD.MM, collected in 2017).",
    )
    store: str | None = Field(default=None, description=_STORE)


class ImportIn(_ImportOptions):
    path: InputPath = Field(
        description="An export file (csv, json, jsonl, xlsx, or a MediaCrawler SQLite database), "
        "or a folder of them (every such file under it, as accounts.import-dir)."
    )


class ImportDirIn(_ImportOptions):
    dir: InputDir = Field(
        description="A folder of exports (e.g. MediaCrawler's data/), read recursively."
    )


class ImportedFile(BaseModel):
    path: str = Field(description="The file read.")
    format: str = Field(description="Layout it was read as.")
    platform: str | None = Field(default=None, description="Platform code of its posts.")
    rows: int = Field(description="Rows (records) in the file.")
    readings: int = Field(description="Post readings taken from it.")
    followers: int = Field(default=0, description="Accounts whose follower count it gave.")
    skipped: dict[str, int] = Field(
        default_factory=dict, description="Rows or cells left out, by reason."
    )
    notes: list[str] = Field(default_factory=list, description="What was repaired or assumed.")


class ImportOut(BaseModel):
    files: list[ImportedFile] = Field(description="Per file.")
    accounts_new: int = Field(description="Accounts seen for the first time.")
    posts_new: int = Field(description="Posts seen for the first time.")
    posts_updated: int = Field(description="Known posts read again.")
    snapshots_new: int = Field(description="New metric readings stored.")
    snapshots_skipped: int = Field(
        description="Readings already stored (same post, same time): imports are idempotent."
    )
    store: str = Field(description="The accounts store.")

    def __rich__(self) -> Any:
        from rich.console import Group
        from rich.table import Table
        from rich.text import Text

        t = Table(title=tr("Imported", "已导入"), title_justify="left")
        for c, right in (
            (tr("File", "文件"), False),
            (tr("Format", "格式"), False),
            (tr("Platform", "平台"), False),
            (tr("Rows", "行数"), True),
            (tr("Readings", "读数"), True),
            (tr("Left out", "未收录"), False),
        ):
            t.add_column(c, justify="right" if right else "left")
        for f in self.files:
            left = "; ".join(f"{k}: {v}" for k, v in f.skipped.items())
            t.add_row(
                f.path.rsplit("/", 1)[-1],
                f.format,
                f.platform or "-",
                str(f.rows),
                str(f.readings),
                left or "-",
            )
        head = Text(
            tr(
                f"{self.posts_new} new posts, {self.snapshots_new} new readings "
                f"({self.snapshots_skipped} already stored), {self.accounts_new} new accounts",
                f"新作品 {self.posts_new} 条，新读数 {self.snapshots_new} 条"
                f"（{self.snapshots_skipped} 条已存在），新账号 {self.accounts_new} 个",
            ),
            style="bold",
        )
        notes = [Text("· " + n, style="dim") for f in self.files for n in f.notes]
        return Group(head, t, *notes, Text(self.store, style="dim"))


class ListIn(BaseModel):
    platform: list[str] = Field(
        default_factory=list, description="Only these platforms (bili, dy, xhs, youtube...)."
    )
    store: str | None = Field(default=None, description=_STORE)


class AccountRow(BaseModel):
    account: str = Field(description="Account name.")
    key: str = Field(description="platform:account_id.")
    platform: str = Field(description="Platform code.")
    followers: float | None = Field(default=None, description="Latest follower count, when known.")
    posts: int = Field(description="Posts stored.")
    readings: int = Field(description="Metric readings stored.")
    first_published: datetime | None = Field(
        default=None, description="Oldest post's publish time."
    )
    last_published: datetime | None = Field(default=None, description="Newest post's publish time.")
    last_reading: datetime | None = Field(default=None, description="Newest metric reading.")
    last_update: datetime = Field(description="Last import that touched the account.")


class ListOut(BaseModel):
    accounts: list[AccountRow] = Field(description="Accounts, most posts first.")
    store: str = Field(description="The accounts store.")

    def __rich__(self) -> Any:
        from rich.table import Table

        t = Table(title=tr("Accounts", "账号") + f" · {self.store}", title_justify="left")
        for c, right in (
            (tr("Account", "账号"), False),
            (tr("Platform", "平台"), False),
            (tr("Followers", "粉丝"), True),
            (tr("Posts", "作品"), True),
            (tr("Readings", "读数"), True),
            (tr("Published", "发布时间"), False),
            (tr("Last reading", "最近读数"), False),
        ):
            t.add_column(c, justify="right" if right else "left")
        for a in self.accounts[:50]:
            span = (
                f"{a.first_published:%Y-%m-%d} → {a.last_published:%Y-%m-%d}"
                if a.first_published and a.last_published
                else "-"
            )
            t.add_row(
                a.account,
                a.platform,
                f"{a.followers:,.0f}" if a.followers else "-",
                str(a.posts),
                str(a.readings),
                span,
                f"{a.last_reading:%Y-%m-%d %H:%M}" if a.last_reading else "-",
            )
        if len(self.accounts) > 50:
            t.caption = tr(
                f"… and {len(self.accounts) - 50} more (all of them with --json)",
                f"……另有 {len(self.accounts) - 50} 个（--json 输出全部）",
            )
        return t


class _Scope(BaseModel):
    account: list[str] = Field(
        default_factory=list,
        description="Only these accounts (name or id).",
    )
    platform: list[str] = Field(
        default_factory=list, description="Only these platforms (bili, dy, xhs, youtube...)."
    )
    since: str | None = Field(default=None, description=_SINCE)
    metric: Metric = Field(
        default="auto",
        description="Count compared: auto = views/plays, else likes where plays are hidden.",
    )
    min_posts: int = Field(
        default=8, ge=3, description="Accounts with fewer scored posts get no verdict (said so)."
    )
    min_ratio: float = Field(
        default=3.0,
        gt=1,
        description="A hit is at least this many times its account's baseline at the same age "
        "for a post with its title elements (raised where the accounts' lower tail shows "
        "heavy-tailed noise).",
    )
    min_z: float = Field(
        default=2.0, ge=0, description="... and this many robust standard deviations above it."
    )
    store: str | None = Field(default=None, description=_STORE)


class HitsIn(_Scope):
    all: bool = Field(
        default=False, description="Every tracked account (the default when no --account is given)."
    )
    hidden: bool = Field(
        default=False,
        description="Only hidden hits: outside the account's raw top N, or from a small account.",
    )
    top_n: int = Field(
        default=5,
        ge=1,
        description="A hit ranked below this by raw count in its account is hidden.",
    )
    limit: int = Field(default=50, ge=1, description="Most hits listed (all go to hits.csv).")


class Hit(BaseModel):
    account: str = Field(description="Account name.")
    platform: str = Field(description="Platform code.")
    post_id: str = Field(description="Post id on the platform.")
    title: str = Field(description="Title (or the start of the text).")
    url: str | None = Field(default=None, description="Link to the post.")
    published: datetime | None = Field(default=None, description="Publish time (UTC).")
    age_days: float | None = Field(default=None, description="Age at the reading, days.")
    metric: str = Field(description="Count compared.")
    value: float = Field(description="The post's count at that reading.")
    baseline: float = Field(
        description="Expected count for the account at that age, for a post with its title "
        "elements (those found significant; see `why`)."
    )
    ratio: float = Field(description="value / baseline.")
    band: str = Field(description="2x, 3x, 5x or 10x.")
    z: float = Field(description="Robust z of the log ratio within the account.")
    p: float = Field(
        description="One-sided normal tail of z (how surprising under the account's usual spread)."
    )
    rank: int = Field(description="Rank by raw count within its account (1 = biggest).")
    hidden: bool = Field(description="True when raw sorting would not show it.")
    hidden_reason: str = Field(default="", description="Why it is hidden.")
    why: str = Field(description="One-line explanation with the numbers.")
    engagement: dict[str, float] = Field(
        default_factory=dict, description="Per-view rates and views per follower."
    )


class AccountVerdict(BaseModel):
    account: str = Field(description="Account name.")
    platform: str = Field(description="Platform code.")
    posts: int = Field(description="Posts with a count.")
    metric: str = Field(description="Count compared.")
    median: float | None = Field(default=None, description="Median count.")
    spread: float | None = Field(
        default=None, description="Robust SD of log ratios (the account's usual noise)."
    )
    min_ratio: float | None = Field(
        default=None,
        description="Ratio a hit needs here: --min-ratio, raised when the lower tail of the "
        "log ratios shows heavy-tailed noise.",
    )
    growth_slope: float | None = Field(
        default=None, description="d log(count) / d log(1+age days)."
    )
    slope_from: str = Field(
        description="snapshots, curve (shared growth curve with a per-account correction), ages, pooled or none."
    )
    hits: int = Field(description="Hits found.")
    verdict: bool = Field(description="False when there is too little evidence.")
    reason: str = Field(default="", description="Why there is no verdict.")


class HitsOut(BaseModel):
    hits: list[Hit] = Field(description="Hits, biggest ratio first (up to --limit).")
    total_hits: int = Field(description="All hits in scope.")
    hidden_hits: int = Field(description="Of which hidden.")
    posts: int = Field(description="Posts in scope.")
    accounts: list[AccountVerdict] = Field(description="Per account: evidence and verdict.")
    notes: list[str] = Field(default_factory=list, description="Caveats.")
    csv: str | None = Field(default=None, description="hits.csv with every hit.")

    def __rich__(self) -> Any:
        from rich.console import Group
        from rich.table import Table
        from rich.text import Text

        t = Table(
            title=tr(
                f"{self.total_hits} hits ({self.hidden_hits} hidden) in {self.posts} posts",
                f"{self.posts} 条作品中爆款 {self.total_hits} 条（隐藏爆款 {self.hidden_hits} 条）",
            ),
            title_justify="left",
        )
        for c, width in (
            (tr("Account", "账号"), 36),
            (tr("Title", "标题"), 36),
            (tr("Ratio", "倍数"), 36),
            (tr("Band", "档位"), 36),
            (tr("Hidden", "隐藏"), 36),
            (tr("Why", "依据"), 60),
        ):
            t.add_column(c, overflow="fold", max_width=width)
        for h in self.hits:
            t.add_row(
                h.account,
                h.title,
                f"{h.ratio:.1f}",
                h.band,
                "✓" if h.hidden else "",
                h.why + (f" — {h.hidden_reason}" if h.hidden_reason else ""),
            )
        no = [a for a in self.accounts if not a.verdict]
        tail = (
            [
                Text(
                    tr(
                        f"{len(no)} account(s) without a verdict "
                        "(too few posts: at least --min-posts needed)",
                        f"{len(no)} 个账号作品太少，不下结论（至少需要 --min-posts 条）",
                    ),
                    style="dim",
                )
            ]
            if no
            else []
        )
        return Group(t, *tail, *[Text("· " + n, style="dim") for n in self.notes])


class ElementsIn(_Scope):
    llm: bool = Field(
        default=False,
        description="With a configured LLM: a short explanation of the top hits grounded in these numbers and five title drafts following the patterns.",
    )
    radar: bool = Field(
        default=True,
        description="Add 'rode a topic hot on the radar' from the radar's history when it exists (read-only).",
    )
    min_support: int = Field(
        default=20,
        ge=3,
        description="An element needs at least this many posts (and 3 hits) to be judged.",
    )
    level: float = Field(
        default=0.05,
        gt=0,
        lt=0.5,
        description="False-discovery level (Benjamini-Hochberg) for reporting an element.",
    )


class Element(BaseModel):
    element: str = Field(description="Feature id, e.g. question, number, hook_words.")
    label: str = Field(description="What it means.")
    posts: int = Field(description="Posts with it.")
    hits: int = Field(description="Hits with it.")
    hit_rate: float = Field(description="Share of posts with it that are hits.")
    hit_rate_ci: tuple[float, float] = Field(description="95% Wilson interval of hit_rate.")
    base_rate: float = Field(description="Hit share among posts without it.")
    base_rate_ci: tuple[float, float] = Field(description="95% Wilson interval of base_rate.")
    lift: float = Field(description="hit_rate / base_rate.")
    lift_ci: tuple[float, float] = Field(description="95% interval of the lift (log method).")
    effect: float = Field(
        description="Adjusted multiplier on count vs the account baseline (within-account regression over all elements)."
    )
    effect_ci: tuple[float, float] = Field(description="95% interval of effect.")
    p: float = Field(description="Two-sided p of the adjusted effect.")
    q: float = Field(description="Benjamini-Hochberg adjusted p.")
    significant: bool = Field(description="q <= level.")
    examples: list[str] = Field(default_factory=list, description="Titles of hits with it.")


class Pattern(BaseModel):
    template: str = Field(description="Token template mined from hit titles ({N} = a number).")
    hits: int = Field(description="Hits whose title has it.")
    posts: int = Field(description="Posts whose title has it.")
    lift: float = Field(description="Hit share with it / overall hit share.")
    examples: list[str] = Field(default_factory=list, description="Hit titles with it.")


class ElementsOut(BaseModel):
    posts: int = Field(description="Posts analysed (accounts with a verdict only).")
    hits: int = Field(
        description="Over-performers among them: the hit rule against the element-blind baseline "
        "(the hits of `accounts hits` also count the title elements in their baseline)."
    )
    elements: list[Element] = Field(description="Every element judged, significant first.")
    patterns: list[Pattern] = Field(description="Title templates frequent among over-performers.")
    notes: list[str] = Field(default_factory=list, description="Caveats.")
    csv: str | None = Field(default=None, description="elements.csv.")
    explanation: str | None = Field(
        default=None, description="--llm: why the top hits worked, from the numbers above."
    )
    title_drafts: list[str] = Field(
        default_factory=list, description="--llm: five title drafts following the patterns."
    )

    def __rich__(self) -> Any:
        from rich.console import Group
        from rich.table import Table
        from rich.text import Text

        t = Table(
            title=tr(
                f"Elements · {self.hits} over-performers (before title elements are counted) "
                f"in {self.posts} posts",
                f"爆款元素 · {self.posts} 条作品中超常表现 {self.hits} 条（未扣除标题元素）",
            ),
            title_justify="left",
        )
        for c in (
            tr("Element", "元素"),
            tr("Posts", "作品"),
            tr("Over", "超常"),
            tr("Lift [95%]", "提升 [95%]"),
            tr("Effect [95%]", "效应 [95%]"),
            "q",
            "",
        ):
            t.add_column(c)
        for e in self.elements:
            t.add_row(
                e.label,
                str(e.posts),
                str(e.hits),
                f"{e.lift:.2f} [{e.lift_ci[0]:.2f}, {e.lift_ci[1]:.2f}]"
                if math.isfinite(e.lift)
                else "—",
                f"{e.effect:.2f}x [{e.effect_ci[0]:.2f}, {e.effect_ci[1]:.2f}]"
                if math.isfinite(e.effect)
                else tr("— (too thin)", "—（证据不足）"),
                f"{e.q:.3f}",
                "✓" if e.significant else "",
            )
        p = Table(
            title=tr("Title patterns among over-performers", "超常作品标题句式"),
            title_justify="left",
        )
        for c in (
            tr("Template", "句式"),
            tr("Hits", "爆款"),
            tr("Posts", "作品"),
            tr("Lift", "提升"),
        ):
            p.add_column(c)
        for x in self.patterns[:15]:
            p.add_row(x.template, str(x.hits), str(x.posts), f"{x.lift:.1f}")
        extra = []
        if self.explanation:
            extra.append(Text(self.explanation))
        extra += [Text(f"  {k}. {d}") for k, d in enumerate(self.title_drafts, 1)]
        return Group(t, p, *extra, *[Text("· " + n, style="dim") for n in self.notes])


class ReportIn(_Scope):
    radar: bool = Field(
        default=True,
        description="Add 'rode a topic hot on the radar' from the radar's history when it exists (read-only).",
    )
    output: OutputFile | None = Field(default=None, description="Also copy report.html here.")
    top_n: int = Field(
        default=5,
        ge=1,
        description="A hit ranked below this by raw count in its account is hidden.",
    )
    min_support: int = Field(default=20, ge=3, description="Minimum posts for an element.")
    level: float = Field(
        default=0.05, gt=0, lt=0.5, description="False-discovery level for elements."
    )
    max_accounts: int = Field(
        default=12, ge=1, description="Accounts drawn as scatter plots (most hits first)."
    )


class ReportOut(BaseModel):
    report: str = Field(description="report.html (self-contained).")
    hits_csv: str = Field(description="hits.csv.")
    elements_csv: str = Field(description="elements.csv.")
    posts: int = Field(description="Posts in scope.")
    hits: int = Field(description="Hits.")
    hidden_hits: int = Field(description="Hidden hits.")
    significant_elements: list[str] = Field(description="Elements significant at the level.")

    def __rich__(self) -> Any:
        from rich.text import Text

        els = ", ".join(self.significant_elements) or tr("none", "无")
        return Text(
            tr(
                f"{self.hits} hits ({self.hidden_hits} hidden) in {self.posts} posts; "
                f"significant elements: {els}",
                f"{self.posts} 条作品中爆款 {self.hits} 条（隐藏 {self.hidden_hits} 条）；"
                f"显著元素：{els}",
            )
            + f"\n{self.report}"
        )


class FetchIn(BaseModel):
    platform: Literal["bilibili", "youtube"] = Field(
        description="bilibili (public space list and video stats, no login) or youtube (Data API v3, YOUTUBE_API_KEY)."
    )
    account: str = Field(
        default="",
        description="Bilibili space id (mid, the number in space.bilibili.com/<mid>) or YouTube channel id (UC…) / @handle.",
    )
    videos: list[str] = Field(
        default_factory=list,
        description="Bilibili only: read these videos (BV ids) directly instead of the space list.",
    )
    since: str | None = Field(
        default="180d",
        description="Only videos published in this span (30d, 26w, 1y); empty for all.",
    )
    max_posts: int = Field(default=200, ge=1, le=5000, description="Most videos read.")
    store: str | None = Field(default=None, description=_STORE)


class FetchOut(BaseModel):
    platform: str = Field(description="Platform fetched.")
    account: str = Field(description="Account asked for.")
    videos: int = Field(description="Videos read.")
    followers: float | None = Field(default=None, description="Follower / subscriber count read.")
    requests: int = Field(description="HTTP requests made.")
    posts_new: int = Field(description="Posts seen for the first time.")
    snapshots_new: int = Field(
        description="New readings stored (each fetch adds one per video: growth curves)."
    )
    notes: list[str] = Field(default_factory=list, description="Videos not read and why.")
    store: str = Field(description="The accounts store.")

    def __rich__(self) -> Any:
        from rich.text import Text

        fol = (
            tr(f", {self.followers:,.0f} followers", f"，粉丝 {self.followers:,.0f}")
            if self.followers is not None
            else ""
        )
        lines = [
            tr(
                f"{self.platform} {self.account}: {self.videos} videos read{fol} in "
                f"{self.requests} requests; {self.posts_new} new posts, "
                f"{self.snapshots_new} new readings",
                f"{self.platform} {self.account}：读取视频 {self.videos} 个{fol}，请求 "
                f"{self.requests} 次；新作品 {self.posts_new} 条，新读数 {self.snapshots_new} 条",
            )
        ]
        lines += ["· " + n for n in self.notes]
        return Text("\n".join([*lines, self.store]))
