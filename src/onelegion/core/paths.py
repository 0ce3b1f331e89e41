"""Allowed roots: a skill reads and writes only inside the workspace, the configured extra roots
and the paths the person named explicitly (on the command line)."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from onelegion.core.errors import PathNotAllowed, UserError


def is_within(path: Path, roots: Iterable[Path]) -> bool:
    p = path.resolve()
    for root in roots:
        r = root.resolve()
        if p == r or r in p.parents:
            return True
    return False


def check_path(value: Path | str, role: str, roots: list[Path], field: str) -> Path:
    """Resolve a path parameter and check it exists (inputs) and lies within the roots."""
    p = Path(value).expanduser().resolve()
    if not is_within(p, roots):
        folder = p if role == "input-dir" or (role == "input-path" and p.is_dir()) else p.parent
        raise PathNotAllowed(
            f"{field}: {value} is outside the allowed folders",
            hint=f"the setting allowed_roots lists folders skills may use: `legion config set "
            f"allowed_roots '[\"{folder}\"]'`; or put the file in the workspace ({roots[0] if roots else 'HOME/workspace'}) "
            "— the API also takes uploads, and on the command line paths you name are allowed",
        )
    if role == "input-file":
        if not p.exists():
            raise UserError(f"{field}: file not found: {value}")
        if p.is_dir():
            raise UserError(
                f"{field}: {value} is a folder; this command reads one file",
                hint="where a command has a folder variant (such as `import-dir`), "
                "the group's --help lists it",
            )
        if not p.is_file():
            raise UserError(f"{field}: {value} is not a file")
    elif role == "input-path":
        if not p.exists():
            raise UserError(f"{field}: file or folder not found: {value}")
    elif role == "input-dir":
        if not p.is_dir():
            raise UserError(f"{field}: folder not found: {value}")
    elif role == "output-file" and p.is_dir():
        raise UserError(f"{field}: {value} is a folder; give a file name")
    return p


def safe_upload_name(name: str) -> str:
    """A file name from an upload, stripped of folders and anything that could escape."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1].strip().lstrip(".")
    cleaned = "".join(ch for ch in base if ch.isprintable() and ch not in '<>:"|?*\0')
    if not cleaned or cleaned in {".", ".."}:
        raise UserError(f"invalid upload file name: {name!r}")
    return cleaned[:200]
