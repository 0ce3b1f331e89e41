"""Reading and writing subtitle files with pysubs2: encodings detected, formats by extension or content,
bad input refused in one line, outputs written atomically (temp file + rename).

Cue text keeps pysubs2's internal form: ASS override tags ``{\\i1}`` and ``\\N`` line breaks, so styles,
positions and tags survive every operation and every format the library writes.
"""

from __future__ import annotations

import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pysubs2

from onelegion.core.errors import UserError

# extension -> pysubs2 format identifier (what the library reads and writes)
EXTENSIONS: dict[str, str] = {
    ".srt": "srt",
    ".ass": "ass",
    ".ssa": "ssa",
    ".vtt": "vtt",
    ".sub": "microdvd",
    ".ttml": "ttml",
    ".dfxp": "ttml",
    ".json": "json",
    ".smi": "sami",
    ".sami": "sami",
}
MAX_INPUT_BYTES = 50 * 1024 * 1024
MAX_LINES_PER_CUE = 10  # more than this is not a subtitle (a pasted document, a broken file)

_TAG_RE = re.compile(r"\{[^}]*\}")
_BREAK_RE = re.compile(r"\\[Nn]|\n")


@dataclass
class Loaded:
    """A parsed subtitle file and how it was read."""

    subs: pysubs2.SSAFile
    path: Path
    format: str
    encoding: str
    bom: bool


def format_for(path: Path) -> str:
    """The pysubs2 format an output path's extension asks for."""
    fmt = EXTENSIONS.get(path.suffix.lower())
    if fmt is None:
        raise UserError(
            f"cannot write subtitles as {path.suffix or 'an extension-less file'}",
            hint="use an output name ending in " + ", ".join(sorted(set(EXTENSIONS))),
        )
    return fmt


def plain_lines(text: str) -> list[str]:
    """The visible lines of a cue (override tags removed)."""
    return [line.strip() for line in _BREAK_RE.split(_TAG_RE.sub("", text))]


def plain(text: str) -> str:
    return "\n".join(plain_lines(text)).strip()


def load(path: Path, *, encoding: str | None = None, fps: float | None = None) -> Loaded:
    """Read a subtitle file. Raises UserError for anything that is not usable subtitles."""
    from onelegion.tables.encoding import decode_text

    path = Path(path)
    if not path.is_file():
        raise UserError(f"{path} does not exist or is not a file")
    size = path.stat().st_size
    if size == 0:
        raise UserError(f"{path.name} is empty", hint="pass a subtitle file (.srt, .ass, .vtt…)")
    if size > MAX_INPUT_BYTES:
        raise UserError(f"{path.name} is {size // 1_048_576} MB: too large for a subtitle file")
    data = path.read_bytes()
    try:
        text, enc, bom = decode_text(data, encoding)
    except UserError as err:
        raise UserError(f"{path.name}: {err.message}", hint=err.hint) from None
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    fmt = EXTENSIONS.get(path.suffix.lower())
    if fmt in ("json", "sami", "ttml") or fmt is None:
        fmt = None  # let pysubs2 look at the content
    subs = _parse(text, fmt, fps, path)
    events = [e for e in subs.events if not e.is_comment]
    if not events:
        raise UserError(
            f"{path.name} is not a subtitle file: no cues found",
            hint="check that it is a subtitle file (SRT, ASS/SSA, WebVTT, MicroDVD, TTML)",
        )
    for i, e in enumerate(events, 1):
        if e.start < 0 or e.end < 0:
            raise UserError(f"{path.name}: cue {i} has a negative timestamp", hint=_fix_times)
        if e.end < e.start:
            raise UserError(
                f"{path.name}: cue {i} ends ({_ts(e.end)}) before it starts ({_ts(e.start)})",
                hint=_fix_times,
            )
        n = len(plain_lines(e.text))
        if n > MAX_LINES_PER_CUE:
            raise UserError(
                f"{path.name}: cue {i} ({_ts(e.start)}) has {n} lines, more than any subtitle holds",
                hint="split that text into cues of at most 2 lines, or check the file is subtitles",
            )
    return Loaded(subs=subs, path=path, format=subs.format or fmt or "srt", encoding=enc, bom=bom)


_fix_times = "correct the timestamps in an editor (or re-export the file) and run again"


def _parse(text: str, fmt: str | None, fps: float | None, path: Path) -> pysubs2.SSAFile:
    try:
        try:  # a frame rate declared in a MicroDVD file wins over --fps
            # pysubs2 writes the declaration as {0}{0}25 but by default reads only {1}{1}25
            return pysubs2.SSAFile.from_string(text, format_=fmt, strict_fps_inference=False)
        except pysubs2.exceptions.UnknownFPSError:
            if fps is None:
                raise
            return pysubs2.SSAFile.from_string(text, format_=fmt, fps=fps)
    except pysubs2.exceptions.UnknownFPSError:
        raise UserError(
            f"{path.name} is frame-based (MicroDVD): its frame rate is needed",
            hint="pass --fps, e.g. --fps 23.976",
        ) from None
    except pysubs2.exceptions.FormatAutodetectionError:
        raise UserError(
            f"{path.name} is not a subtitle file pysubs2 recognises",
            hint="use SRT, ASS/SSA, WebVTT, MicroDVD, TTML, SAMI or JSON subtitles",
        ) from None
    except (ValueError, KeyError, IndexError) as e:
        raise UserError(f"{path.name} could not be parsed as subtitles: {e}") from None


def _ts(ms: int) -> str:
    sign = "-" if ms < 0 else ""
    ms = abs(ms)
    h, rest = divmod(ms, 3_600_000)
    m, rest = divmod(rest, 60_000)
    s, ms = divmod(rest, 1000)
    return f"{sign}{h:02d}:{m:02d}:{s:02d},{ms:03d}"


timestamp = _ts


def dumps(subs: pysubs2.SSAFile, fmt: str, fps: float | None = None) -> str:
    try:
        return subs.to_string(fmt, fps=fps)
    except pysubs2.exceptions.UnknownFPSError:
        raise UserError(
            "MicroDVD output needs a frame rate", hint="pass --fps, e.g. --fps 25"
        ) from None
    except NotImplementedError:
        raise UserError(
            f"pysubs2 cannot write the {fmt} format", hint="choose .srt, .ass or .vtt"
        ) from None


def save(
    subs: pysubs2.SSAFile,
    path: Path,
    *,
    fps: float | None = None,
    inputs: tuple[Path, ...] = (),
    bom: bool = False,
) -> Path:
    """Write ``subs`` to ``path`` (format from its extension) atomically, UTF-8 (with a BOM when
    ``bom``). Refuses to overwrite an input."""
    path = Path(path)
    for i in inputs:
        if path.resolve() == Path(i).resolve():
            raise UserError(
                f"the output {path.name} is an input file; inputs are never overwritten",
                hint="choose another -o/--output name",
            )
    text = dumps(subs, format_for(path), fps)
    write_text_atomic(path, text, bom=bom)
    return path


def write_text_atomic(path: Path, text: str, *, bom: bool = False) -> None:
    write_bytes_atomic(path, (b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8"))


def write_bytes_atomic(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def default_output(src: Path, suffix: str, ext: str | None = None) -> Path:
    """``film.zh.srt`` + ``.fixed`` -> ``film.zh.fixed.srt``."""
    return src.with_name(f"{src.stem}{suffix}{ext or src.suffix or '.srt'}")
