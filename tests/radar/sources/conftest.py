"""The ``loopback`` fixture: a real HTTP server on 127.0.0.1 (see radar_loopback.py)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from radar_loopback import Loopback, loopback_server


@pytest.fixture
def loopback() -> Iterator[Loopback]:
    yield from loopback_server()
