"""A batch of readings as columns: what the importers hand to the store.

The column-wise importer fills one list per field straight from its polars columns, and the store
writes from those lists (tuples zipped column by column), so a 100,000-row file makes no Python
object per row on the way in. Rows read one by one (the row-wise path, the connectors) become a
batch with :meth:`Readings.from_records`. Iterating, indexing or comparing a batch gives
:class:`PostRecord` objects, so code and tests that look at single readings keep working.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from onelegion.skills.accounts.records import PostRecord

_LISTS = (
    "platform",
    "post_id",
    "account_id",
    "account_name",
    "title",
    "captured_at",
    "published_at",
    "published_estimated",
    "description",
    "url",
    "duration_s",
    "tags",
    "category",
    "followers",
)


@dataclass(eq=False)
class Readings:
    """Aligned columns, one entry per reading, in file order. ``metrics`` maps each count the
    source has to its column (None where the cell was empty). ``published_text`` and
    ``captured_text``, when given, are the same times already written as the store's ISO text."""

    platform: list[str] = field(default_factory=list)
    post_id: list[str] = field(default_factory=list)
    account_id: list[str] = field(default_factory=list)
    account_name: list[str] = field(default_factory=list)
    title: list[str] = field(default_factory=list)
    captured_at: list[datetime] = field(default_factory=list)
    published_at: list[datetime | None] = field(default_factory=list)
    published_estimated: list[bool] = field(default_factory=list)
    description: list[str | None] = field(default_factory=list)
    url: list[str | None] = field(default_factory=list)
    duration_s: list[float | None] = field(default_factory=list)
    tags: list[list[str]] = field(default_factory=list)
    category: list[str | None] = field(default_factory=list)
    followers: list[float | None] = field(default_factory=list)
    metrics: dict[str, list[float | None]] = field(default_factory=dict)
    published_text: list[str | None] | None = None
    captured_text: list[str] | None = None

    def __len__(self) -> int:
        return len(self.post_id)

    def __bool__(self) -> bool:
        return len(self) > 0

    def record(self, j: int) -> PostRecord:
        return PostRecord(
            platform=self.platform[j],
            post_id=self.post_id[j],
            account_id=self.account_id[j],
            account_name=self.account_name[j],
            title=self.title[j],
            captured_at=self.captured_at[j],
            published_at=self.published_at[j],
            published_estimated=self.published_estimated[j],
            description=self.description[j],
            url=self.url[j],
            duration_s=self.duration_s[j],
            tags=self.tags[j],
            category=self.category[j],
            followers=self.followers[j],
            metrics={m: col[j] for m, col in self.metrics.items()},
        )

    def __iter__(self) -> Iterator[PostRecord]:
        return (self.record(j) for j in range(len(self)))

    def __getitem__(self, j: int) -> PostRecord:
        return self.record(range(len(self))[j])

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Readings | list | tuple):
            return list(self) == list(other)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    @classmethod
    def from_records(cls, records: Iterable[PostRecord]) -> Readings:
        recs = list(records)
        out = cls()
        for name in _LISTS:
            setattr(out, name, [getattr(r, name) for r in recs])
        names: dict[str, None] = {}
        for r in recs:
            names.update(dict.fromkeys(r.metrics))
        out.metrics = {m: [r.metrics.get(m) for r in recs] for m in names}
        # a record without a count keeps it absent; None stands in as "not given"
        return out

    @classmethod
    def concat(cls, parts: Sequence[Readings | Sequence[PostRecord]]) -> Readings:
        batches = [p if isinstance(p, Readings) else cls.from_records(p) for p in parts]
        if len(batches) == 1:
            return batches[0]
        out = cls()
        for name in _LISTS:
            col: list[Any] = getattr(out, name)
            for b in batches:
                col.extend(getattr(b, name))
        names: dict[str, None] = {}
        for b in batches:
            names.update(dict.fromkeys(b.metrics))
        for m in names:
            mcol: list[float | None] = []
            for b in batches:
                mcol.extend(b.metrics.get(m, [None] * len(b)))
            out.metrics[m] = mcol
        if all(b.published_text is not None for b in batches):
            out.published_text = [t for b in batches for t in b.published_text or []]
        if all(b.captured_text is not None for b in batches):
            out.captured_text = [t for b in batches for t in b.captured_text or []]
        return out
