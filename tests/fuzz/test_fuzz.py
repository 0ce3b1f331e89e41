"""Fuzzing in the suite (issue 10): every reader, importer and source parser gets a bounded
number of hypothesis examples (``LEGION_FUZZ_EXAMPLES``, default 40 each, derandomised so CI
is reproducible), and every crash ever found is replayed from ``tests/fixtures/fuzz/``.
Longer runs: ``python benchmarks/fuzz_readers.py --minutes 10`` (docs/fuzzing.md)."""

from __future__ import annotations

import os
import traceback
from pathlib import Path

import pytest
from fuzz_targets import CRASHES, TARGETS, Target, check, inputs
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

EXAMPLES = int(os.environ.get("LEGION_FUZZ_EXAMPLES", "40"))


def _fail(target: Target, data: bytes, crash: BaseException) -> None:
    tb = "".join(traceback.format_exception(crash)[-6:])
    pytest.fail(f"{target.name} crashed on {data[:200]!r}…\n{tb}", pytrace=False)


@pytest.mark.parametrize("name", sorted(TARGETS))
def test_fuzz_target(name: str, tmp_path: Path) -> None:
    target = TARGETS[name]

    @settings(
        max_examples=max(3, EXAMPLES // target.cost),
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
    )
    @given(st.data())
    def run(data: st.DataObject) -> None:
        raw = data.draw(inputs(target))
        crash = check(target, raw, tmp_path)
        if crash is not None:
            _fail(target, raw, crash)

    run()


def _fixtures() -> list[tuple[str, Path]]:
    if not CRASHES.is_dir():
        return []
    return sorted((d.name, f) for d in CRASHES.iterdir() if d.is_dir() for f in d.glob("*.bin"))


@pytest.mark.parametrize(("name", "path"), _fixtures(), ids=lambda v: getattr(v, "name", v))
def test_crash_fixtures_stay_fixed(name: str, path: Path, tmp_path: Path) -> None:
    """Inputs that once crashed (kept by benchmarks/fuzz_readers.py and from issue 10) now exit cleanly."""
    target = TARGETS[name]
    data = path.read_bytes()
    crash = check(target, data, tmp_path)
    if crash is not None:
        _fail(target, data, crash)
