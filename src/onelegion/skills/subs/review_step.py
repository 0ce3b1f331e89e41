"""The review step of ``subs.translate`` (entry point ``onelegion.reviews``: subs): each cue's source
and translation side by side, the translation editable; applying writes the approved cues as a
review sheet and runs ``subs.review --apply`` on the translated file, which writes the reviewed file
and stores the approved (source, translation) pairs in translation memory. A rejected cue keeps its
text and is not remembered."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

from onelegion.core.errors import UserError
from onelegion.core.files import write_text
from onelegion.core.review import (
    ApplyPlan,
    Decision,
    Review,
    ReviewExample,
    ReviewItem,
    ReviewSheet,
)
from onelegion.core.store import ArtifactRecord, RunRecord
from onelegion.skills.subs.formats import default_output, load, plain_lines, timestamp
from onelegion.skills.subs.models import SubsReviewIn
from onelegion.skills.subs.review import _events, _sources


def _files(run: RunRecord) -> tuple[Path, Path] | None:
    out = (run.output or {}).get("output")
    src = run.params.get("path")
    if run.status != "succeeded" or not out or not src:
        return None
    translated, source = Path(str(out)), Path(str(src))
    return (translated, source) if translated.is_file() and source.is_file() else None


def _cues(translated: Path, source: Path) -> list[tuple[int, str, str, str]]:
    """(number, time span, source text, translation) per cue of the translated file."""
    events = _events(load(translated).subs)
    sources, _ = _sources(SubsReviewIn(path=translated, source=source), events)
    return [
        (
            n,
            f"{timestamp(e.start)} → {timestamp(e.end)}",
            src,
            "\n".join(ln for ln in plain_lines(e.text) if ln),
        )
        for n, (e, src) in enumerate(zip(events, sources, strict=True), 1)
    ]


def load_sheet(run: RunRecord, artifacts: list[ArtifactRecord]) -> ReviewSheet | None:
    files = _files(run)
    if files is None:
        return None
    items = [
        ReviewItem(
            id=str(n),
            title=f"#{n} · {span}",
            examples=[ReviewExample(before=src, after=text)],
            approved=True,
            text=text,
        )
        for n, span, src, text in _cues(*files)
    ]
    return ReviewSheet(
        title=f"Translation of {files[1].name}",
        summary=f"{len(items)} cues: edit a translation, approve it (kept and remembered) or reject it.",
        items=items,
    )


def apply(
    run: RunRecord, artifacts: list[ArtifactRecord], decisions: dict[str, Decision], folder: Path
) -> ApplyPlan:
    files = _files(run)
    if files is None:
        raise UserError(f"run {run.id} has no translated subtitles to review")
    translated, source = files
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(["cue", "source", "translation", "unit"])
    rows = 0
    for n, _span, src, text in _cues(translated, source):
        d = decisions.get(str(n))
        if d is None or not d.approved:
            continue
        w.writerow([n, src, (d.text if d.text is not None else text).strip() or text, n])
        rows += 1
    if rows == 0:
        raise UserError("every cue was rejected: nothing to apply")
    folder.mkdir(parents=True, exist_ok=True)
    sheet = write_text(folder / "review.csv", buf.getvalue())
    params: dict[str, Any] = {
        "path": str(translated),
        "apply": str(sheet),
        "source": str(source),
        "output": str(folder / default_output(translated, ".reviewed").name),
    }
    if run.params.get("memory"):
        params["memory"] = run.params["memory"]
    return ApplyPlan(skill="subs.review", params=params)


REVIEWS = [
    Review(skill="subs.translate", title="Review the translation", load=load_sheet, apply=apply)
]
