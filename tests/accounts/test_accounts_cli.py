"""`legion accounts import` as a person types it: a folder or one file (subprocess, offline)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from tests.support.cli import legion

FIX = Path(__file__).parents[1] / "fixtures" / "accounts"


def test_import_takes_a_folder_as_the_issue_writes_it(tmp_path: Path) -> None:
    exports = tmp_path / "exports"
    shutil.copytree(FIX / "mediacrawler", exports)
    r = legion(
        tmp_path / "home", "accounts", "import", str(exports), "--format", "mediacrawler", "--json"
    )
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    files = {Path(f["path"]).name: f for f in out["output"]["files"]}
    assert files["search_contents_2025-11-30.csv"]["readings"] == 20
    assert files["sqlite_tables.db"]["readings"] == 10
    one = legion(
        tmp_path / "home2",
        "accounts",
        "import",
        str(exports / "bili" / "csv" / "search_contents_2025-11-30.csv"),
        "--format",
        "mediacrawler",
        "--json",
    )
    assert one.returncode == 0, one.stderr
    assert [f["readings"] for f in json.loads(one.stdout)["output"]["files"]] == [20]
    missing = legion(tmp_path / "home", "accounts", "import", str(tmp_path / "nope"))
    assert missing.returncode == 2
    assert "file or folder not found" in missing.stderr + missing.stdout
