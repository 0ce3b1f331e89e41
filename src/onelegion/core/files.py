"""Atomic file output and content digests. Inputs are never modified; outputs appear whole or not at all."""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

_CHUNK = 1 << 20


@contextmanager
def atomic_path(target: Path | str) -> Iterator[Path]:
    """Yield a temporary path beside ``target``; on success it is renamed onto ``target``.

    On an exception the temporary file is removed and ``target`` is left as it was.
    """
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    os.close(fd)
    tmp_path = Path(tmp)
    try:
        yield tmp_path
        os.replace(tmp_path, target)
    except BaseException:
        tmp_path.unlink(missing_ok=True)
        raise


def write_text(target: Path | str, text: str, encoding: str = "utf-8") -> Path:
    """Write text atomically."""
    target = Path(target)
    with atomic_path(target) as tmp:
        tmp.write_text(text, encoding=encoding)
    return target


def write_bytes(target: Path | str, data: bytes) -> Path:
    """Write bytes atomically."""
    target = Path(target)
    with atomic_path(target) as tmp:
        tmp.write_bytes(data)
    return target


def file_digest(path: Path | str) -> str:
    """BLAKE2b hex digest of a file's bytes."""
    h = hashlib.blake2b(digest_size=20)
    with open(path, "rb") as f:
        while chunk := f.read(_CHUNK):
            h.update(chunk)
    return h.hexdigest()


def dir_digest(path: Path | str) -> str:
    """Digest of a directory's listing (relative names, sizes, mtimes), recursively."""
    root = Path(path)
    h = hashlib.blake2b(digest_size=20)
    for p in sorted(root.rglob("*")):
        if p.is_file():
            st = p.stat()
            h.update(f"{p.relative_to(root).as_posix()}\0{st.st_size}\0{st.st_mtime_ns}\n".encode())
    return h.hexdigest()
