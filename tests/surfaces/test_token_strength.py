"""A non-loopback bind needs a real secret, not any non-empty token (issue 10), and
`legion serve --generate-token` hands out one."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from onelegion.core.errors import UserError
from onelegion.surfaces.security import check_bind, token_weakness


@pytest.mark.parametrize(
    ("token", "why"),
    [
        ("a", "1 characters (at least 16)"),
        ("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "about 0 bits of entropy (at least 64)"),
        ("abababababababababab", "about 20 bits of entropy (at least 64)"),
    ],
)
def test_weak_tokens_are_refused_beyond_loopback(token: str, why: str) -> None:
    assert token_weakness(token) == why
    with pytest.raises(UserError) as e:
        check_bind("0.0.0.0", token)
    assert e.value.one_line() == (
        f"refusing to serve on 0.0.0.0 with a weak token ({why})"
        " — use `legion serve --generate-token` to make one, then set LEGION_TOKEN"
    )
    check_bind("127.0.0.1", token)  # loopback: the person's own choice


def test_strong_tokens_pass() -> None:
    import secrets

    for _ in range(20):
        token = secrets.token_urlsafe(32)
        assert token_weakness(token) is None
        check_bind("0.0.0.0", token)


def test_generate_token(home: Path) -> None:
    env = {**os.environ, "LEGION_HOME": str(home)}
    r = subprocess.run(
        [sys.executable, "-m", "onelegion", "serve", "--generate-token"],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert r.returncode == 0, r.stderr
    token = r.stdout.strip()
    assert len(token) == 43 and token_weakness(token) is None
    assert "LEGION_TOKEN" in r.stderr
