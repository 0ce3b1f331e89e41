"""The streamed import of a daily file: its JSON array read one element at a time
(:func:`json_array_items`) and its records handed to the store in slices of distinct titles
(:func:`record_batches`, stored by :meth:`HistoryStore.add_stream`), so memory follows the
slice, not the file."""

from __future__ import annotations

import codecs
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from onelegion.core import textsafe
from onelegion.core.errors import UserError
from onelegion.skills.radar.items import HotItem
from onelegion.skills.radar.records import finite_heat, load_json, record_fields
from onelegion.skills.radar.staging import StreamRow

STREAM_BATCH = 50_000  # distinct titles held in Python per slice of a streamed snapshot
# a daily file at least this big is stored in slices; smaller ones (a real day is 50-300 KB) are
# parsed whole and stored in batches of files, which is many times faster per row
STREAM_MIN_BYTES = 8 * 2**20


def record_batches(
    source: str, records: Iterator[Any], batch: int | None = None
) -> Iterator[list[StreamRow]]:
    """The records of one snapshot in slices of at most ``batch`` distinct titles, for
    :meth:`HistoryStore.add_stream`, which finishes in SQL what :func:`items_from_records` does in
    Python (best rank per title, sightings, unranked Weibo entries last): memory follows the slice,
    not the snapshot. Within a slice, a title's ranked and unranked records are kept apart."""
    size = batch or STREAM_BATCH
    groups: dict[tuple[str, bool], list[Any]] = {}
    npending = 0
    for pos, rec in enumerate(records, 1):
        fields = record_fields(source, pos, rec)
        if fields is None:
            continue
        title, url, raw = fields
        pending = raw is None
        if raw is None:
            npending += 1
            rank = raw_max = npending  # its place among the unranked; the store adds the max
        else:
            rank, raw_max = max(1, raw), raw
        t = textsafe.fix_surrogates(title.strip())  # half an emoji: U+FFFD, as HotItem does
        g = groups.get((t, pending))
        if g is None:
            groups[(t, pending)] = [pos, rank, raw_max, 1, rec, url]
        else:
            g[3] += 1
            g[2] = max(g[2], raw_max)
            if rank < g[1]:
                g[1], g[4], g[5] = rank, rec, url
        if len(groups) >= size:
            yield _slice(source, groups)
            groups = {}
    if groups:
        yield _slice(source, groups)


def _slice(source: str, groups: dict[tuple[str, bool], list[Any]]) -> list[StreamRow]:
    out: list[StreamRow] = []
    for (t, pending), (pos, rank, raw_max, n, rec, url) in groups.items():
        item = HotItem(
            source=source,
            rank=rank,
            title=t,
            url=url,
            heat=finite_heat(rec.get("heat")),
            heat_text=rec.get("heat_text") if isinstance(rec.get("heat_text"), str) else None,
            extra=dict(rec.get("extra") or {}) if isinstance(rec.get("extra"), dict) else {},
        )
        out.append(StreamRow(t, pos, pending, rank, raw_max, n, item))
    return out


_CHUNK = 1 << 20
_DECODER = json.JSONDecoder(parse_int=lambda s: int(s) if len(s) <= textsafe.MAX_INT_DIGITS else s)
_WS = " \t\n\r"
_AFTER = _WS + ",]"
_WHOLE_MAX = 64 << 20  # a daily file that is not a UTF-8 array is read whole up to this size


def json_array_items(path: Path) -> Iterator[Any]:
    """The elements of a file holding one JSON array, parsed one at a time: memory follows the
    largest element, not the file. Same values and refusals as ``load_json``, which reads a
    small file that is not a UTF-8 array (another encoding, or not an array) whole."""
    with path.open("rb") as fh:
        head = fh.read(4)
        if json.detect_encoding(head) in ("utf-8", "utf-8-sig"):
            stream = ArrayStream(fh, head.removeprefix(codecs.BOM_UTF8), path)
            if stream.peek() == "[":
                yield from stream.items()
                return
        if path.stat().st_size > _WHOLE_MAX:
            raise UserError(
                f"{path}: expected a JSON list of items", hint="check the --format option"
            )
        fh.seek(0)
        data = fh.read()
    yield from as_list(load_json(path, data), str(path))


def as_list(v: Any, where: str) -> list[Any]:
    if not isinstance(v, list):
        raise UserError(f"{where}: expected a JSON list of items", hint="check the --format option")
    return v


class ArrayStream:
    """Incremental reader of ``[v, v, ...]`` over a binary file (UTF-8)."""

    def __init__(self, fh: Any, head: bytes, path: Path) -> None:
        self.fh, self.path = fh, path
        self.udec = codecs.getincrementaldecoder("utf-8")("strict")
        self.buf = ""
        self.pos = 0  # index in buf
        self.base = 0  # characters dropped before buf
        self.bytes_read = 0
        self.eof = False
        self._feed(head)

    def _feed(self, data: bytes) -> None:
        pending = len(self.udec.getstate()[0])
        try:
            text = self.udec.decode(data, final=not data)
        except UnicodeDecodeError as e:
            at = self.bytes_read - pending + e.start
            raise UserError(
                f"{self.path}: not UTF-8 (invalid byte at {max(at, 0)})",
                hint="save the file as UTF-8",
            ) from None
        self.bytes_read += len(data)
        if self.pos > _CHUNK:  # drop what was parsed
            self.base += self.pos
            self.buf, self.pos = self.buf[self.pos :], 0
        self.buf += text

    def _more(self) -> bool:
        if self.eof:
            return False
        data = self.fh.read(max(_CHUNK, len(self.buf) - self.pos))
        self.eof = not data
        self._feed(data)
        return True

    def peek(self) -> str:
        """The next character that is not white space ('' at the end)."""
        return self._skip_ws()

    def _skip_ws(self) -> str:
        while True:
            while self.pos < len(self.buf) and self.buf[self.pos] in _WS:
                self.pos += 1
            if self.pos < len(self.buf):
                return self.buf[self.pos]
            if not self._more():
                return ""

    def _bad(self, msg: str) -> UserError:
        return UserError(
            f"{self.path} is not valid JSON ({msg}: char {self.base + self.pos})",
            hint="fix or remove the file, then re-run",
        )

    def _value(self) -> Any:
        while True:
            try:
                v, end = _DECODER.raw_decode(self.buf, self.pos)
            except RecursionError:
                raise UserError(
                    f"{self.path} is nested too deeply",
                    hint="flatten the JSON (a few levels are enough)",
                ) from None
            except json.JSONDecodeError as e:
                if self._more():  # perhaps cut by the buffer's end
                    continue
                self.pos = e.pos
                raise self._bad(e.msg) from None
            if (end == len(self.buf) or self.buf[end] not in _AFTER) and self._more():
                continue  # a number cut by the buffer's end ('0.' of '0.5'): read on, parse again
            self.pos = end
            return v

    def items(self) -> Iterator[Any]:
        if self._skip_ws() != "[":
            raise self._bad("Expecting '['")
        self.pos += 1
        if self._skip_ws() == "]":
            self.pos += 1
        else:
            while True:
                if self._skip_ws() == "":
                    raise self._bad("Expecting value")
                yield self._value()
                c = self._skip_ws()
                self.pos += 1
                if c == "]":
                    break
                if c != ",":
                    raise self._bad("Expecting ',' delimiter")
        if self._skip_ws() != "":
            raise self._bad("Extra data")
