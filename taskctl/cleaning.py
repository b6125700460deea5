"""Text that can be stored, shown on one line and written to any export.

Control characters (C0 but tab, line feed, carriage return) are refused in
arguments and dropped from imported cells; what is already stored is cleaned
where a format cannot hold it (XLSX).  Lone surrogates (bytes a terminal could
not decode) are refused.  Standard library only: imported by the CLI at start-up.
"""

from __future__ import annotations

import re

# C0 controls that no spreadsheet, XML or terminal line can hold; \t \n \r are ordinary text
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
SURROGATE = re.compile(r"[\ud800-\udfff]")
# characters that show nothing: a name made only of them is empty
INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff\u00ad\u180e"


def strip_controls(text: str) -> str:
    return CONTROL.sub("", text)


def bad_argument(arg: str) -> tuple[str, dict] | None:
    """(catalogue key, params) when a command-line argument holds what cannot be stored, else None."""
    if not isinstance(arg, str):
        return None
    found = SURROGATE.search(arg)
    if found:
        return "input.surrogate", {"value": one_line(arg), "char": f"U+{ord(found.group()):04X}"}
    found = CONTROL.search(arg)
    if found:
        return "input.control_char", {"value": one_line(arg), "char": f"U+{ord(found.group()):04X}"}
    return None


def one_line(text: str, limit: int = 200) -> str:
    """Text as quoted in a one-line message: line breaks, controls and surrogates shown escaped."""
    text = str(text)
    out = []
    for ch in text:
        code = ord(ch)
        if ch == "\n":
            out.append("\\n")
        elif ch == "\r":
            out.append("\\r")
        elif ch == "\t":
            out.append("\\t")
        elif code < 0x20 or code == 0x7F or 0xD800 <= code <= 0xDFFF or ch in "\u2028\u2029\x85":
            out.append(f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")
        else:
            out.append(ch)
    text = "".join(out)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def is_blank(text: str | None) -> bool:
    """Empty once whitespace and invisible characters (zero-width, BOM) are taken away."""
    return not (text or "").strip().strip(INVISIBLE).strip()
