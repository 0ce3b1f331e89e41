"""The generated `legion shop ...` commands, as a person runs them (subprocess, offline)."""

from __future__ import annotations

import json
from pathlib import Path

from tests.shop.shop_helpers import FIX, copy
from tests.support.cli import legion


def test_cli_report_json_and_exit_codes(tmp_path: Path) -> None:
    folder = copy(tmp_path, "settlement_v2_small.txt", "cogs_small.csv")
    r = legion(tmp_path / "home", "shop", "report", str(folder), "--target-acos", "30%", "--json")
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    [usd] = out["output"]["totals"] if "output" in out else out["totals"]
    assert (usd["currency"], usd["contribution"]) == ("USD", "-12.02")
    bad = legion(tmp_path / "home", "shop", "report", str(tmp_path / "missing"))
    assert bad.returncode == 2
    empty = tmp_path / "empty"
    empty.mkdir()
    r2 = legion(tmp_path / "home", "shop", "report", str(empty))
    assert r2.returncode == 2 and "no exports found" in (r2.stderr + r2.stdout)


def test_cli_inspect_and_help(tmp_path: Path) -> None:
    r = legion(tmp_path / "home", "shop", "inspect", str(FIX / "date_range_small.csv"))
    assert r.returncode == 0, r.stderr
    assert "amazon.transactions" in r.stdout and "PDT" in r.stdout
    h = legion(tmp_path / "home", "shop", "--help")
    assert h.returncode == 0
    for cmd in ("report", "inspect", "restock", "ads", "fx"):
        assert cmd in h.stdout
