"""Review steps: where a person decides on what a run proposed, before it is applied.

A skill package declares a :class:`Review` under the ``onelegion.reviews`` entry-point group
(see :mod:`onelegion.core.plugins`). A surface (the cockpit) shows the :class:`ReviewSheet` that
``load`` builds from a finished run of ``skill``: one item per decision, each approved or not,
with examples, an optional editable mapping (``from → to`` pairs) and an optional editable text. When the person applies,
``apply`` receives their :class:`Decision` per item and a folder of the workspace where it may
write files (an edited recipe), and returns the run to start (:class:`ApplyPlan`). The surface
starts it like any other run, so the result is recorded, cached and re-playable.

Nothing here knows a skill: the clean recipe's review lives in ``skills/clean/review.py``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field

from onelegion.core import plugins
from onelegion.core.store import ArtifactRecord, RunRecord


class ReviewExample(BaseModel):
    before: str = Field(description="A value as it was.")
    after: str = Field(description="What the step makes of it.")


class ReviewItem(BaseModel):
    id: str = Field(description="Stable within the sheet; the key of its Decision.")
    title: str
    detail: str = ""
    examples: list[ReviewExample] = Field(default_factory=list)
    approved: bool = Field(default=True, description="The proposed decision.")
    mapping: dict[str, str] | None = Field(
        default=None, description="Editable 'from → to' pairs, if the item has any."
    )
    text: str | None = Field(
        default=None, description="An editable text (e.g. a translation), if the item has one."
    )


class ReviewSheet(BaseModel):
    title: str
    summary: str = ""
    items: list[ReviewItem] = Field(default_factory=list)


class Decision(BaseModel):
    approved: bool
    mapping: dict[str, str] | None = None
    text: str | None = None


class ApplyPlan(BaseModel):
    skill: str = Field(description="The skill to run with the decisions, e.g. 'clean.apply'.")
    params: dict[str, Any]


LoadFn = Callable[[RunRecord, list[ArtifactRecord]], ReviewSheet | None]
ApplyFn = Callable[[RunRecord, list[ArtifactRecord], dict[str, Decision], Path], ApplyPlan]


@dataclass(frozen=True)
class Review:
    """The review step of the runs of ``skill``.

    ``load(run, artifacts)`` returns the sheet, or None when the run has nothing to review;
    ``apply(run, artifacts, decisions, folder)`` writes what it needs into ``folder`` (inside the
    workspace) and returns the run to start. Both raise ``UserError`` for bad input."""

    skill: str
    title: str
    load: LoadFn
    apply: ApplyFn


def load_reviews() -> tuple[dict[str, Review], dict[str, str]]:
    """Every declared review by skill name, and the entries that failed to load (name → error)."""
    found: dict[str, Review] = {}
    errors: dict[str, str] = {}
    for ep in plugins.entries(plugins.REVIEWS):
        try:
            value = ep.load()
            items = [value] if isinstance(value, Review) else list(value)
            for r in items:
                if not isinstance(r, Review):
                    raise TypeError(f"{r!r} is not a Review")
                found[r.skill] = r
        except Exception as e:  # a broken plugin never breaks the others
            errors[ep.name] = f"{type(e).__name__}: {e}"
    return found, errors
