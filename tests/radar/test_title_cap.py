"""One title of 2,000,000 characters made `radar trends` take 180 s (issue 10): titles are
cut on the way in, the full length kept in extras."""

from __future__ import annotations

from onelegion.skills.radar.importers import snapshots_from_line
from onelegion.skills.radar.items import MAX_TITLE_CHARS, HotItem


def test_long_titles_are_cut_with_their_length_kept() -> None:
    it = HotItem(source="weibo", rank=1, title="热" * 2_000_000)
    assert len(it.title) == MAX_TITLE_CHARS == 500
    assert it.title == "热" * 499 + "…"
    assert it.extra == {"title_chars": 2_000_000}
    short = HotItem(source="weibo", rank=1, title="热" * 500)
    assert (short.title, short.extra) == ("热" * 500, {})


def test_imported_long_title_is_cut() -> None:
    line = '{"captured_at": "2024-03-01T00:00:00Z", "source": "weibo", "items": [{"title": "%s"}]}'
    (snap,) = snapshots_from_line(line % ("x" * 100_000), None, where="x:1")
    assert [(len(i.title), i.extra) for i in snap.items] == [(500, {"title_chars": 100_000})]
