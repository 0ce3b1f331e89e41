"""The review step of ``clean.table`` (entry point ``onelegion.reviews``: clean): each recipe step
with its examples, approved (enabled) or rejected, value mappings editable; applying writes the
reviewed recipe into the workspace and runs ``clean.apply`` on the same input."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from onelegion.core.errors import UserError
from onelegion.core.review import (
    ApplyPlan,
    Decision,
    Review,
    ReviewExample,
    ReviewItem,
    ReviewSheet,
)
from onelegion.core.store import ArtifactRecord, RunRecord
from onelegion.skills.clean.clusters import MapValues
from onelegion.skills.clean.recipe import Recipe

MAX_EXAMPLES = 5


def _recipe_path(artifacts: list[ArtifactRecord]) -> Path | None:
    for a in artifacts:
        if a.name == "recipe.json" and Path(a.path).is_file():
            return Path(a.path)
    return None


def _examples(evidence: dict[str, Any]) -> list[ReviewExample]:
    out: list[ReviewExample] = []
    for ex in evidence.get("examples", [])[:MAX_EXAMPLES]:
        if isinstance(ex, dict) and "variant" in ex:
            out.append(ReviewExample(before=str(ex["variant"]), after=str(ex.get("canonical", ""))))
        elif isinstance(ex, str):
            sep = " → " if " → " in ex else " -> "
            before, _, after = ex.partition(sep)
            out.append(ReviewExample(before=before, after=after))
    return out


def load(run: RunRecord, artifacts: list[ArtifactRecord]) -> ReviewSheet | None:
    path = _recipe_path(artifacts)
    if run.status != "succeeded" or path is None:
        return None
    recipe = Recipe.load(path)
    items = [
        ReviewItem(
            id=str(i),
            title=f"{step.kind}" + (f" · {step.column}" if step.column else ""),
            detail=f"{step.description} (confidence {step.confidence:.2f})",
            examples=_examples(step.evidence),
            approved=step.enabled,
            mapping=dict(step.mapping) if isinstance(step, MapValues) else None,
        )
        for i, step in enumerate(recipe.steps)
    ]
    source = Path(str(run.params.get("path", ""))).name
    return ReviewSheet(
        title=f"Cleaning recipe of {source}",
        summary=f"{len(items)} steps; rejected steps are kept in the recipe, disabled.",
        items=items,
    )


def apply(
    run: RunRecord, artifacts: list[ArtifactRecord], decisions: dict[str, Decision], folder: Path
) -> ApplyPlan:
    path = _recipe_path(artifacts)
    if path is None:
        raise UserError(f"run {run.id} has no recipe.json to apply")
    recipe = Recipe.load(path)
    steps = []
    for i, step in enumerate(recipe.steps):
        d = decisions.get(str(i))
        if d is None:
            steps.append(step)
            continue
        update: dict[str, Any] = {"enabled": d.approved}
        if isinstance(step, MapValues) and d.mapping is not None:
            update["mapping"] = {k: v for k, v in d.mapping.items() if k.strip()}
        steps.append(step.model_copy(update=update))
    reviewed = recipe.model_copy(update={"steps": steps})
    folder.mkdir(parents=True, exist_ok=True)
    recipe_out = reviewed.save(folder / "recipe.reviewed.json")
    source = Path(str(run.params["path"]))
    output = folder / f"{source.stem}.reviewed{source.suffix or '.csv'}"
    return ApplyPlan(
        skill="clean.apply",
        params={"recipe": str(recipe_out), "path": str(source), "output": str(output)},
    )


REVIEWS = [Review(skill="clean.table", title="Review the cleaning recipe", load=load, apply=apply)]
