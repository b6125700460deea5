"""Reading CSV text as Excel on a Chinese desktop saves it.

Excel writes "CSV (逗号分隔)" in the ANSI code page (GBK on Chinese Windows),
"CSV UTF-8" with a byte-order mark, and "Unicode 文本" as tab-separated UTF-16.
We read all three; GB18030 stands in for GBK because it is a superset.
"""

from __future__ import annotations

import codecs

from taskctl.errors import InvalidValue

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def decode(data: bytes, encoding: str | None = None, *, name: str = "") -> tuple[str, str]:
    """The text of a CSV file and the encoding it was read with (``--encoding`` wins)."""
    if encoding:
        try:
            info = codecs.lookup(encoding)
        except LookupError:
            raise InvalidValue("import.bad_encoding_name", value=encoding) from None
        if not getattr(info, "_is_text_encoding", True):  # base64, rot13, zlib: not a text encoding
            raise InvalidValue("import.bad_encoding_name", value=encoding)
        codec = info.name
        if codec == "utf-8" and data.startswith(codecs.BOM_UTF8):
            codec = "utf-8-sig"
        try:
            return data.decode(codec), codec
        except UnicodeDecodeError as exc:
            raise InvalidValue("import.decode_failed", file=name, encoding=encoding, offset=exc.start) from None
    # a byte-order mark names the encoding: text that breaks it is a damaged file, said in one catalogue line
    # (the codec's own English message never reaches the user)
    if data.startswith(codecs.BOM_UTF8):
        return _decode_marked(data[len(codecs.BOM_UTF8):], "utf-8", "UTF-8", name, len(codecs.BOM_UTF8)), "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _decode_marked(data, "utf-16", "UTF-16", name, 0), "utf-16"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030"), "gb18030"
    except UnicodeDecodeError as exc:
        raise InvalidValue("import.undetectable", file=name, offset=exc.start) from None


def _decode_marked(data: bytes, codec: str, label: str, name: str, skipped: int) -> str:
    try:
        return data.decode(codec)
    except UnicodeDecodeError as exc:
        raise InvalidValue("import.decode_failed", file=name, encoding=label, offset=exc.start + skipped) from None


def sniff_delimiter(text: str) -> str:
    """Comma, unless the first lines are plainly tab- or semicolon-separated."""
    head = [line for line in text.splitlines()[:20] if line.strip()]
    if not head:
        return ","
    scores = {d: sum(line.count(d) for line in head) for d in (",", "\t", ";")}
    best = max(scores, key=lambda d: (scores[d], d == ","))
    return best if scores[best] else ","


def unneutralise(text: str) -> str:
    """Undo the quote a CSV export put before a formula-like cell (``'=1+1`` -> ``=1+1``)."""
    if len(text) >= 2 and text[0] == "'" and text[1] in "=+-@\t\r":
        return text[1:]
    return text
