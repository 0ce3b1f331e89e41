"""The public surface never grows by accident."""

from __future__ import annotations

import subprocess
import sys

import onelegion

EXPECTED = {
    "__version__",
    "Artifact",
    "BudgetExceeded",
    "Cancelled",
    "ConfigError",
    "Context",
    "InputDir",
    "InputFile",
    "LegionError",
    "NoModelConfigured",
    "OutputFile",
    "PathNotAllowed",
    "RunError",
    "RunResult",
    "Runtime",
    "Settings",
    "Skill",
    "SkillError",
    "UserError",
    "skill",
}


def test_exported_names() -> None:
    assert set(onelegion.__all__) == EXPECTED
    assert set(onelegion._EXPORTS) == EXPECTED - {"__version__"}
    for name in EXPECTED:
        assert getattr(onelegion, name) is not None
    assert issubclass(onelegion.UserError, onelegion.LegionError)


def test_import_is_light() -> None:
    code = "import sys, onelegion; print('pydantic' in sys.modules, 'httpx2' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]


def test_lint_is_clean() -> None:
    """ruff (lint + format) over the package and the tests: style drift fails here, not in review."""
    ruff = [sys.executable, "-m", "ruff"]
    check = subprocess.run(
        [*ruff, "check", "src", "tests", "benchmarks", "examples"], capture_output=True, text=True
    )
    assert check.returncode == 0, check.stdout[-3000:]
    fmt = subprocess.run(
        [*ruff, "format", "--check", "src", "tests", "benchmarks", "examples"],
        capture_output=True,
        text=True,
    )
    assert fmt.returncode == 0, fmt.stdout[-3000:]
