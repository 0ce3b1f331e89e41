"""Text encoding detection for table files: BOMs, UTF-8, UTF-16 without BOM, and for the rest
charset-normalizer checked against how Chinese (GB18030 vs Big5) or Western (cp1252) the decoded
text looks, which also works on tiny files."""

from __future__ import annotations

import codecs

from onelegion.core.errors import UserError

_SNIFF_BYTES = 256 * 1024
_FIX_BYTES = "fix or remove those bytes, or export the table again as UTF-8"


def detect_encoding(data: bytes) -> tuple[str, bool]:
    """(codec name, has BOM). Raises UserError for binary data."""
    for bom, name in (
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF32_LE, "utf-32"),
        (codecs.BOM_UTF32_BE, "utf-32"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            return name, True
    sample = data[:_SNIFF_BYTES]
    if b"\x00" in sample:
        # UTF-16 without BOM: every other byte is NUL in ASCII-heavy text.
        even, odd = sample[0::2].count(0), sample[1::2].count(0)
        if odd > len(sample) // 4 and even == 0:
            return "utf-16-le", False
        if even > len(sample) // 4 and odd == 0:
            return "utf-16-be", False
        raise UserError(
            "the file looks binary (it contains NUL bytes), not a text table",
            hint="export it as CSV (UTF-8) or Excel (.xlsx) and run again",
        )
    try:
        data.decode("utf-8")
        return "utf-8", False
    except UnicodeDecodeError as e:
        if e.start >= len(data) - 3 and len(data) > _SNIFF_BYTES:
            return "utf-8", False
        first_bad = e.start
    from charset_normalizer import from_bytes

    found = [
        m.encoding.lower().replace("_", "-")
        for m in from_bytes(sample if len(data) > _SNIFF_BYTES * 4 else data)
    ]
    # no NUL byte was seen, so UTF-16/32 guesses (common for tiny files) are impossible
    found = [e for e in found if not e.startswith(("utf-16", "utf-32", "utf16", "utf32"))]
    # Chinese text: GB18030 or Big5, whichever decodes to real Chinese (ties go to GB18030)
    head = _head(data)
    scores = {c: _cjk_score(head, c) for c in ("gb18030", "big5hkscs")}
    best_cjk = max(scores, key=lambda c: (scores[c], c == "gb18030"))
    enc = best_cjk if scores[best_cjk] >= 0.9 else (found[0] if found else "")
    if enc != best_cjk and _latin_score(head) >= 0.9:
        enc = "cp1252"  # Western text from Excel on Windows (accents decode as letters)
    if not enc:
        # UTF-8 but for a few bad bytes (a broken export): decoded with replacements, and noted
        bad = data.decode("utf-8", errors="replace").count("\ufffd")
        if bad <= max(3, len(data) // 5000):
            return "utf-8", False
        if bad <= len(data) // 8:
            raise UserError(
                f"the file is UTF-8 except for {bad} invalid byte(s) (the first at byte {first_bad})",
                hint=_FIX_BYTES,
            )
        raise UserError(
            "could not tell the file's text encoding (it may be binary)",
            hint="pass --encoding (e.g. gb18030, big5, utf-16) or export as UTF-8 CSV",
        )
    if enc in {"gbk", "gb2312", "gb18030", "hz", "cp936"}:
        enc = "gb18030"  # the superset: never loses a character GBK can encode
    elif enc in {"big5", "cp950", "big5hkscs"}:
        enc = "big5hkscs"
    return enc, False


def _head(data: bytes, limit: int = 1 << 20) -> bytes:
    """The first ~1 MB, cut after a line break (never inside a GBK/Big5 character: their second
    bytes are never 0x0A)."""
    if len(data) <= limit:
        return data
    cut = data.rfind(b"\n", 0, limit)
    return data[: cut + 1] if cut > 0 else data[:limit]


def _latin_score(data: bytes) -> float:
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        return -1.0
    non_ascii = [ch for ch in text if ord(ch) > 127]
    if not non_ascii:
        return -1.0
    return sum(1 for ch in non_ascii if "\u00c0" <= ch <= "\u00ff" and ch not in "×÷") / len(
        non_ascii
    )


def _cjk_score(data: bytes, codec: str) -> float:
    """Share of the non-ASCII characters that are Chinese when ``data`` is decoded strictly with
    ``codec`` (-1 when it does not decode). Wrong guesses produce private-use characters, kana
    and symbols, so the right codec scores highest."""
    try:
        text = data.decode(codec)
    except UnicodeDecodeError:
        return -1.0
    non_ascii = [ch for ch in text if ord(ch) > 127]
    if not non_ascii:
        return -1.0
    good = sum(
        1
        for ch in non_ascii
        if "\u4e00" <= ch <= "\u9fff"
        or "\u3000" <= ch <= "\u3003"
        or "\uff01" <= ch <= "\uff5e"
        or ch in "“”‘’…—·《》【】、"
    )
    return good / len(non_ascii)


def decode_text(data: bytes, encoding: str | None) -> tuple[str, str, bool]:
    if encoding:
        try:
            codecs.lookup(encoding)
        except LookupError:
            raise UserError(
                f"unknown encoding {encoding!r}", hint="try utf-8, gb18030, big5 or utf-16"
            ) from None
        try:
            return data.decode(encoding), encoding, data.startswith(codecs.BOM_UTF8)
        except UnicodeDecodeError as e:
            if codecs.lookup(encoding).name in ("utf-8", "utf-8-sig"):
                bad = data.decode(encoding, errors="replace").count("\ufffd")
                raise UserError(
                    f"the file is not valid {encoding} ({bad} invalid byte(s), the first at byte {e.start})",
                    hint=_FIX_BYTES,
                ) from None
            raise UserError(
                f"the file is not valid {encoding} (byte {e.start})",
                hint="leave --encoding out to detect it",
            ) from None
    enc, bom = detect_encoding(data)
    try:
        return data.decode(enc), enc, bom
    except UnicodeDecodeError as e:
        # mostly one encoding with a few bad bytes: keep going, replacing them, and say so
        text = data.decode(enc, errors="replace")
        if text.count("\ufffd") > max(10, len(text) // 1000):
            raise UserError(
                f"the file has undecodable bytes for {enc} (first at byte {e.start})",
                hint="pass --encoding with the right codec (e.g. gb18030, big5)",
            ) from None
        return text, enc + "+replace", bom
