"""After a crash: the hidden ``.part`` files a killed run was writing (``core.files.atomic_path``
names them ``.<target name>.<random>.part`` beside the target) are removed at the next start,
for the runs just found interrupted. Only files named after that run's declared outputs
(``OutputFile`` parameters) are touched, so a live run writing in the same folder keeps its own."""

from __future__ import annotations

import glob
from pathlib import Path
from typing import TYPE_CHECKING

from onelegion.core.errors import LegionError

if TYPE_CHECKING:
    from onelegion.core.registry import Registry
    from onelegion.core.store import Store


def remove_partial_outputs(store: Store, registry: Registry, run_ids: list[str]) -> list[Path]:
    """Remove the ``.part`` files of the outputs of ``run_ids``; returns what was removed."""
    removed: list[Path] = []
    for run_id in run_ids:
        rec = store.get_run(run_id)
        if rec is None:
            continue
        try:
            fields = registry.get(rec.skill).path_fields()
        except LegionError:  # the skill is gone (plugin uninstalled): nothing known to clean
            continue
        for name, role in fields.items():
            value = rec.params.get(name)
            if role != "output-file" or value is None:
                continue
            for v in value if isinstance(value, list) else [value]:
                if not isinstance(v, str) or not v:
                    continue
                target = Path(v)
                for p in target.parent.glob(f".{glob.escape(target.name)}.*.part"):
                    try:
                        p.unlink()
                    except OSError:
                        continue
                    removed.append(p)
    return removed
