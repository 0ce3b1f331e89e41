"""Benchmark accounts: hidden hits and the elements they share, with evidence. 对标账号 · 爆款元素

- ``accounts.import``      read an export (MediaCrawler csv/json/jsonl/sqlite, YouTube trending,
  creator-centre exports, any table with --map) into the accounts store
- ``accounts.import-dir``  the same for a folder of exports (MediaCrawler's data/)
- ``accounts.fetch``       a Bilibili space or a YouTube channel, public data only
- ``accounts.list``        accounts, posts, date span, last update
- ``accounts.hits``        posts that over-performed their own account at the same age, explained
- ``accounts.elements``    what hits have in common: lifts, adjusted effects, intervals, patterns
- ``accounts.report``      report.html + hits.csv + elements.csv

Only pydantic and the core load here; numpy and the work live in the service modules. The skill
objects are named ``find_hits`` / ``find_elements`` / ``write_report`` / ``fetch_account`` so that
they are not shadowed by the modules ``hits.py``, ``elements.py``, ``report.py`` once those load.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import BaseModel

from onelegion.core.context import Context
from onelegion.core.skill import Skill, skill
from onelegion.skills.accounts.models import (
    ElementsIn,
    ElementsOut,
    FetchIn,
    FetchOut,
    HitsIn,
    HitsOut,
    ImportDirIn,
    ImportIn,
    ImportOut,
    ListIn,
    ListOut,
    ReportIn,
    ReportOut,
)

SAMPLES = Path(__file__).parent / "samples"


def _demo_import(demo_dir: Path) -> dict[str, Any]:
    """Copy the bundled MediaCrawler-format sample; the demo uses its own store in the demo folder."""
    import shutil

    shutil.copyfile(SAMPLES / "search_contents_demo.csv", demo_dir / "search_contents_demo.csv")
    return {
        "path": str(demo_dir / "search_contents_demo.csv"),
        "format": "mediacrawler",
        "store": str(demo_dir / "accounts-demo.db"),
    }


def _demo_report(demo_dir: Path) -> dict[str, Any]:
    return {"store": str(demo_dir / "accounts-demo.db")}


@skill(
    "accounts.import",
    title="Import account data",
    summary="Read an export (MediaCrawler, YouTube trending, creator-centre, any table with --map) into the accounts store.",
    cacheable=False,
    examples=(
        "legion accounts import data/bili/csv/search_contents_2026-11-30.csv",
        "legion accounts import MediaCrawler/data --format mediacrawler",
        "legion accounts import studio.xlsx --format bilibili-studio --account 我的账号",
        "legion accounts import export.csv --map views=播放量,likes=点赞数,title=标题,account_name=账号",
        "legion accounts import USvideos.csv --format youtube-trending",
    ),
    demo=_demo_import,
    demo_order=30,
)
def import_file(ctx: Context, params: ImportIn) -> ImportOut:
    """Counts are read as people write them (1.2万, 3.4w, 1,234, 12.5K, 10万+). A post read again at
    another time adds a reading (growth curves); the same reading twice is stored once. One
    transaction per import; the input is never modified."""
    from onelegion.skills.accounts.service import run_import

    return run_import(ctx, params)


@skill(
    "accounts.import-dir",
    title="Import a folder of exports",
    summary="Read every csv/json/jsonl/xlsx/sqlite file under a folder (e.g. MediaCrawler's data/) into the accounts store.",
    cacheable=False,
    examples=("legion accounts import-dir MediaCrawler/data --format mediacrawler",),
)
def import_dir(ctx: Context, params: ImportDirIn) -> ImportOut:
    """Comments files are skipped, creator files give follower counts, content files give posts."""
    from onelegion.skills.accounts.service import run_import

    return run_import(ctx, params)


@skill(
    "accounts.fetch",
    title="Fetch an account's public videos",
    summary="Read a Bilibili space (no login) or a YouTube channel (Data API v3, YOUTUBE_API_KEY) into the accounts store.",
    cacheable=False,
    examples=(
        "legion accounts fetch --platform bilibili --account 2026 --since 180d",
        "legion accounts fetch --platform bilibili --videos BV1xx411c7mD,BV1yy411c7mE",
        "legion accounts fetch --platform youtube --account @vox --since 90d",
    ),
)
def fetch_account(ctx: Context, params: FetchIn) -> FetchOut:
    """Each fetch adds one reading per video, so fetching again later gives growth curves. Login
    walls, captchas and signature checks are reported as such, never worked around; URLs can be
    overridden in legion.toml ([accounts.bilibili], [accounts.youtube])."""
    from onelegion.skills.accounts.service import run_fetch

    return run_fetch(ctx, params)


@skill(
    "accounts.list",
    title="List tracked accounts",
    summary="Accounts in the store: posts, readings, date span, last update.",
    cacheable=False,
    examples=("legion accounts list", "legion accounts list --platform bili"),
)
def list_accounts(ctx: Context, params: ListIn) -> ListOut:
    """Most posts first."""
    from onelegion.skills.accounts.service import run_list

    return run_list(ctx, params)


@skill(
    "accounts.hits",
    title="Find hidden hits",
    summary="Posts that over-performed their own account at the same age, each explained in one line.",
    cacheable=False,
    examples=(
        "legion accounts hits --account 华农兄弟 --since 90d",
        "legion accounts hits --all --hidden",
    ),
)
def find_hits(ctx: Context, params: HitsIn) -> HitsOut:
    """Each post is compared with the rolling median of its own account's posts brought to the same
    age (growth fitted per account from snapshots, else from ages); hits need a ratio and a robust
    z above the thresholds. Accounts with too few posts get no verdict, and say so."""
    from onelegion.skills.accounts.service import run_hits

    return run_hits(ctx, params)


@skill(
    "accounts.elements",
    title="Viral elements",
    summary="What hits have in common: hit-rate lifts with Wilson intervals, account-adjusted effects, title patterns.",
    cacheable=False,
    examples=("legion accounts elements --platform bili --since 180d",),
    llm_calls=1,
)
def find_elements(ctx: Context, params: ElementsIn) -> ElementsOut:
    """Elements are judged only with enough support; significance is controlled for false
    discoveries (Benjamini-Hochberg) and effects are adjusted for account."""
    from onelegion.skills.accounts.service import run_elements

    return run_elements(ctx, params)


@skill(
    "accounts.report",
    title="Accounts report",
    summary="report.html (scatter of each account's posts against its baseline, element lifts, patterns) plus CSVs.",
    cacheable=False,
    examples=("legion accounts report --since 90d",),
    demo=_demo_report,
    demo_order=31,
)
def write_report(ctx: Context, params: ReportIn) -> ReportOut:
    """Self-contained HTML (inline SVG, CJK fonts) and hits.csv / elements.csv."""
    from onelegion.skills.accounts.report import run_report

    return run_report(ctx, params)


SKILLS: list[Skill[BaseModel, BaseModel]] = [
    import_file,
    import_dir,
    fetch_account,
    list_accounts,
    find_hits,
    find_elements,
    write_report,
]
