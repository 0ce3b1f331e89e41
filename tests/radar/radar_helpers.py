"""Helpers for the radar analysis tests: build snapshots by hand."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from onelegion.skills.radar.items import HotItem
from onelegion.skills.radar.store import Snapshot

T0 = datetime(2024, 3, 1, 0, 0, tzinfo=UTC)


def snap(
    source: str, hours: float, titles: list[str], heats: list[float] | None = None
) -> Snapshot:
    at = T0 + timedelta(hours=hours)
    items = [
        HotItem(source=source, rank=i, title=t, heat=(heats[i - 1] if heats else None))
        for i, t in enumerate(titles, 1)
    ]
    return Snapshot(source, at, items)


def fake_embed(texts: list[str]) -> list[list[float]]:
    """An embedding hook for tests: titles mentioning 炮 point one way, the rest another."""
    return [[1.0, 0.0] if "炮" in t else [0.0, 1.0] for t in texts]
