"""Cleaning a published meeting text: pinyin annotations, GBK byte damage, Traditional characters.

The texts the office receives went through a web rewriter that worked on GBK *bytes*: after every
two bytes that spell a character on its list it inserted that character's tone-marked pinyin in
brackets — "重點(diǎn)".  Scanning bytes, it also matched two bytes that straddle two characters (the
second byte of one and the first of the next): "焦營" is BD B9 A0 49 and B9 A0 is 範 (fàn), so it
wrote BD B9 A0 "(fàn)" 49.  A decoder then met A0 "(" — not a character — and wrote "?" (swallowing
the bracket: "焦?fàn)I") or, like Python's ``gbk`` codec with ``errors="replace"``, U+FFFD
("焦\ufffd(fàn)I").  The lost byte is recoverable: it is the second byte of a character whose first
byte is the last byte before the damage and whose reading is the inserted pinyin.

So the repair works on bytes, as the damage was done: the text goes back to GBK bytes, every
"(pinyin)" that follows two bytes reading that pinyin is dropped, every damaged spot becomes one
unknown byte constrained by its pinyin, and the bytes are decoded again — which also puts back in
step the characters a decoder misread after the damage, when it fell out of step.  When more than
one byte fits, everyday characters (GB2312, or Traditional ones OpenCC converts) are preferred to
GBK's rarities, then the document itself may decide (the candidate used elsewhere next to the same
neighbours); a spot nothing decides is reported with its context, never guessed.  A byte the
decoder lost without a pinyin after it (U+FFFD alone) is filled only when decoding leaves one
choice.  Measured on the simulator of the tests: no line comes back wrong without a report.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache

TONE_LETTERS = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüńňǹḿ"
SYLLABLE = f"[a-z{TONE_LETTERS}]{{1,7}}"
_TOKEN = re.compile(
    rf"(?P<mark>[?\ufffd])\(?(?P<mpy>{SYLLABLE})\)"  # a damaged spot: ?fàn)  or  \ufffd(fàn)
    rf"|[(（](?P<py>{SYLLABLE})[)）]"  # an annotation candidate: (diǎn)
    r"|(?P<lost>\ufffd)"  # a byte lost without a clue
)
CONTEXT = 12  # characters either side of a spot shown in a report


@dataclass
class Spot:
    """A damaged place: where (line, column of the cleaned text), what it read, what it became."""

    line: int
    context: str
    damaged: str
    repaired: str | None = None  # None: could not be repaired
    options: list[str] = field(default_factory=list)  # what an unrepaired spot may be (when few)


@dataclass
class Cleaned:
    text: str
    encoding: str
    annotations: int = 0  # pinyin annotations removed
    repaired: list[Spot] = field(default_factory=list)
    unrepaired: list[Spot] = field(default_factory=list)
    converted: bool = False  # Traditional characters were converted


# ---------------------------------------------------------------- readings

@lru_cache(maxsize=None)
def readings(char: str) -> frozenset[str]:
    """Every tone-marked reading pypinyin knows for ``char`` (empty for a non-Han character)."""
    from pypinyin.pinyin_dict import pinyin_dict

    value = pinyin_dict.get(ord(char)) if len(char) == 1 else None
    return frozenset(value.split(",")) if value else frozenset()


def _gbk_char(two: bytes) -> str | None:
    try:
        text = two.decode("gbk")
    except UnicodeDecodeError:
        return None
    return text if len(text) == 1 else None


def is_han(char: str) -> bool:
    return bool(char) and ("\u4e00" <= char <= "\u9fff" or "\u3400" <= char <= "\u4dbf" or "\uf900" <= char <= "\ufaff")


# ---------------------------------------------------------------- decoding the file

def decode(data: bytes) -> tuple[str, str]:
    """The text of the file and its encoding: UTF-8 (with or without BOM), else GB18030; raw rewriter
    output in GBK (bytes no codec accepts, each followed by a pinyin annotation) is read with
    U+FFFD in their place — the shape the repair expects.  Raises ValueError("binary"|"empty"|offset)."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    if not data.strip():
        raise ValueError("empty")
    if b"\x00" in data[:4096]:
        raise ValueError("binary")
    for codec in ("utf-8", "gb18030"):
        try:
            text = data.decode(codec)
            break
        except UnicodeDecodeError:
            continue
    else:
        text = data.decode("gbk", errors="replace")
        codec = "gbk"
        # the rewriter's raw bytes show its pinyin right after bytes no codec reads; anything else is
        # not text we can read
        if not re.search(rf"\ufffd\({SYLLABLE}\)", text):
            try:
                data.decode("gb18030")
            except UnicodeDecodeError as exc:
                raise ValueError(str(exc.start)) from None
    controls = sum(1 for c in text if unicodedata.category(c) == "Cc" and c not in "\r\n\t")
    if controls > max(3, len(text) // 100):
        raise ValueError("binary")
    return text, codec


# ---------------------------------------------------------------- the byte repair

class _Hole:
    """One unknown byte at ``pos`` of a line's byte stream, with the bytes it may be."""

    def __init__(self, pos: int, candidates: list[int], damaged: str, clue: str | None) -> None:
        self.pos, self.candidates, self.damaged, self.clue = pos, candidates, damaged, clue
        self.value: int | None = None
        self.options: list[str] = []


def _candidates(before: int | None, syllable: str) -> list[int]:
    """Bytes L (a lead byte, as the decoder choked on it) with GBK(before, L) reading ``syllable``."""
    if before is None or before < 0x81:
        return []
    out = []
    for lost in range(0x81, 0xFF):
        char = _gbk_char(bytes((before, lost)))
        if char is not None and syllable in readings(char):
            out.append(lost)
    return out


def _decodes(data: bytes, upto: int) -> str | None:
    """``data[:upto]`` decoded strictly (a character cut at ``upto`` is allowed), else None."""
    import codecs

    decoder = codecs.getincrementaldecoder("gbk")()
    try:
        return decoder.decode(bytes(data[:upto]), final=False)
    except UnicodeDecodeError:
        return None


def _repair_line(line: str, doc: Counter, bigrams: Counter, lineno: int, result: Cleaned) -> str:
    if not _TOKEN.search(line):
        return line
    pieces: list[str] = []  # decoded stretches (characters GBK cannot hold split the byte stream)
    out = bytearray()
    holes: list[_Hole] = []

    def flush() -> None:
        nonlocal out, holes
        if out:
            pieces.append(_resolve(out, holes, doc, bigrams, lineno, result))
        out, holes = bytearray(), []

    pos = 0
    for m in _TOKEN.finditer(line):
        for char in line[pos:m.start()]:
            try:
                out += char.encode("gbk")
            except UnicodeEncodeError:
                flush()
                pieces.append(char)
        pos = m.end()
        if m.group("py") is not None:
            syllable = m.group("py")
            if len(out) >= 2:
                pending = [h for h in holes if h.pos >= len(out) - 2]
                if not pending:
                    last = _gbk_char(bytes(out[-2:]))
                    if last is not None and syllable in readings(last):
                        result.annotations += 1
                        continue
                elif len(pending) == 1:  # the byte before is still unknown: the annotation narrows it
                    hole = pending[0]
                    fits = [c for c in hole.candidates
                            if (ch := _gbk_char(bytes(_with(out, hole, c)[-2:]))) and syllable in readings(ch)]
                    if fits:
                        hole.candidates = fits
                        result.annotations += 1
                        continue
            out += m.group(0).encode("gbk", errors="replace")
        elif m.group("mark") is not None:
            syllable = m.group("mpy")
            before = out[-1] if out and not (holes and holes[-1].pos == len(out) - 1) else None
            holes.append(_Hole(len(out), _candidates(before, syllable), m.group(0), syllable))
            out.append(0x3F)  # placeholder, replaced once resolved
        else:  # a byte lost with no pinyin after it (the decoder out of step): decoding alone must decide
            holes.append(_Hole(len(out), [], m.group(0), None))
            out.append(0x3F)
    for char in line[pos:]:
        try:
            out += char.encode("gbk")
        except UnicodeEncodeError:
            flush()
            pieces.append(char)
    flush()
    return "".join(pieces)


def _with(out: bytearray, hole: _Hole, value: int) -> bytearray:
    copy = bytearray(out)
    copy[hole.pos] = value
    return copy


def _resolve(out: bytearray, holes: list[_Hole], doc: Counter, bigrams: Counter, lineno: int,
             result: Cleaned) -> str:
    """Fill the holes, cluster by cluster (holes within two bytes of each other are decided together).
    A combination must decode; of several, those making only everyday characters are kept; of several
    still, the document's own usage decides — only for holes with a pinyin clue, and only when the
    winner appears next to the same neighbours elsewhere at least twice and no other candidate does.
    Whatever stays undecided is left as "?" and reported."""
    data = bytearray(out)
    for hole in holes:
        if hole.clue is None:  # the decoder gave up on this byte: it could not start a character here
            following = data[hole.pos + 1] if hole.pos + 1 < len(data) else None
            hole.candidates = [b for b in range(0x81, 0xFF)
                               if following is None or _gbk_char(bytes((b, following))) is None]
    clusters: list[list[_Hole]] = []
    for hole in holes:
        if clusters and hole.pos - clusters[-1][-1].pos <= 2:
            clusters[-1].append(hole)
        else:
            clusters.append([hole])
    for n, cluster in enumerate(clusters):
        upto = clusters[n + 1][0].pos if n + 1 < len(clusters) else len(data)
        later = [h for c in clusters[n + 1:] for h in c]
        combos: list[tuple[int, ...]] = [()]
        for hole in cluster:
            combos = [c + (v,) for c in combos for v in hole.candidates]
            if len(combos) > 50000:
                combos = []
                break
        viable: list[tuple[tuple[int, int], tuple[int, ...], bool, str]] = []
        for combo in combos:
            trial = bytearray(data)
            for hole, value in zip(cluster, combo):
                trial[hole.pos] = value
            for hole in later:
                trial[hole.pos] = 0x20
            if _decodes(trial, upto) is None:
                continue
            support, made = _support(trial, cluster[0].pos, cluster[-1].pos, doc, bigrams)
            viable.append((support, combo, all(everyday(c) for c in made), "".join(made)))
        viable.sort(key=lambda v: v[0], reverse=True)
        chosen = None
        if len(viable) > 1:  # several fit: keep those that make only everyday characters, if any do
            common = [v for v in viable if v[2]]
            viable = common or viable
        if len(viable) == 1:
            chosen = viable[0][1]
        elif viable and all(h.clue is not None for h in cluster) and viable[0][0][0] >= 2 \
                and viable[1][0][0] == 0:
            # still several: the document's own usage decides, and only when it uses the winner next
            # to these neighbours and none of the others
            chosen = viable[0][1]
        for i, hole in enumerate(cluster):
            hole.value = chosen[i] if chosen is not None else None
            if chosen is None and len(viable) <= 8:
                hole.options = list(dict.fromkeys(v[3] for v in viable))
            data[hole.pos] = hole.value if hole.value is not None else 0x3F
    text = bytes(data).decode("gbk", errors="replace")
    # report every spot with its context in the repaired text
    for hole in holes:
        col = len(bytes(data[:hole.pos]).decode("gbk", errors="replace"))
        context = text[max(0, col - CONTEXT):col + CONTEXT]
        if hole.value is None:
            result.unrepaired.append(Spot(lineno, context, hole.damaged, options=hole.options))
        else:
            result.repaired.append(Spot(lineno, context, hole.damaged, text[max(0, col - 1):col + 1]))
    return text


def _support(trial: bytearray, first: int, last: int, doc: Counter,
             bigrams: Counter) -> tuple[tuple[int, int], list[str]]:
    """How much the rest of the document backs the characters a combination makes — those characters
    next to their neighbours (bigrams seen elsewhere), then the characters alone — and the characters."""
    import codecs

    head = codecs.getincrementaldecoder("gbk")(errors="replace")
    before = head.decode(bytes(trial[:first]), final=False)
    start = first - len(head.getstate()[0])  # a hole that is the second byte of a character
    decoder = codecs.getincrementaldecoder("gbk")(errors="replace")
    made: list[str] = []
    consumed = 0
    for i in range(start, min(len(trial), last + 6)):
        made.extend(decoder.decode(bytes((trial[i],))))
        consumed = i - start + 1
        if consumed > last - start + 1 and len(made) >= 2:
            break
    if not made:
        return (0, 0), []
    chars = [before[-1:]] + made if before else made
    pairs = sum(bigrams[a + b] for a, b in zip(chars, chars[1:]))
    return (pairs, sum(doc[c] for c in made[:-1] or made)), made[:-1] or made


@lru_cache(maxsize=None)
def everyday(char: str) -> bool:
    """A character of everyday text: ASCII, in GB2312 (the 6,763 common Simplified characters and the
    usual symbols), or a Traditional character OpenCC converts — not one of GBK's rarities."""
    if char.isascii():
        return True
    try:
        char.encode("gb2312")
        return True
    except UnicodeEncodeError:
        return to_simplified(char) != char


# ---------------------------------------------------------------- the whole text

def strip_annotations(text: str) -> tuple[str, int]:
    """Remove "(pinyin)" after a Han character it is a reading of (the text-level rule, for clean text
    in which no byte damage is left); "(GDP)" or a bracketed name stays."""
    count = 0

    def drop(m: re.Match) -> str:
        nonlocal count
        if m.group("py") in readings(m.group("han")):
            count += 1
            return m.group("han")
        return m.group(0)

    cleaned = re.sub(rf"(?P<han>[\u3400-\u9fff\uf900-\ufaff])[(（](?P<py>{SYLLABLE})[)）]", drop, text)
    return cleaned, count


def repair(text: str, result: Cleaned) -> str:
    """Undo the rewriter on every line: annotations out, damaged spots back to their characters."""
    plain = _TOKEN.sub("", text)
    doc = Counter(c for c in plain if is_han(c))
    bigrams = Counter(plain[i:i + 2] for i in range(len(plain) - 1))
    lines = text.split("\n")
    return "\n".join(_repair_line(line, doc, bigrams, n, result) for n, line in enumerate(lines, start=1))


@lru_cache(maxsize=1)
def _converter():
    import opencc

    return opencc.OpenCC("tw2s")


def to_simplified(text: str) -> str:
    """Traditional to Simplified with OpenCC's ``tw2s`` (``t2s`` would leave 著力/著眼)."""
    return _converter().convert(text)


_CJK = r"[\u3400-\u9fff\uf900-\ufaff“”‘’（）《》、，。；：！？]"
_HALF_TO_FULL = {",": "，", ";": "；", ":": "：", "?": "？", "!": "！", "(": "（", ")": "）"}


def normalise_punctuation(text: str) -> str:
    """Chinese punctuation in Chinese text: ASCII , ; : ? ! ( ) beside a Chinese character become
    full-width (numbers like 1,200 and times like 9:30 keep theirs), straight quotes pair up as “”,
    spaces between Chinese characters go, full-width letters and digits become ASCII."""
    text = "".join(chr(ord(c) - 0xFEE0) if "\uff10" <= c <= "\uff19" or "\uff21" <= c <= "\uff5a" else c
                   for c in text)
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u3000", " ")
    text = re.sub(rf"(?<={_CJK})[ \t]+|[ \t]+(?={_CJK})", "", text)
    text = re.sub(rf"(?<={_CJK})[,;:?!]|[,;:?!](?={_CJK})", lambda m: _HALF_TO_FULL[m.group(0)], text)
    text = re.sub(rf"\(([^()\n]*{_CJK}[^()\n]*)\)", r"（\1）", text)
    out, opening = [], True
    for char in text:
        if char == '"':
            out.append("“" if opening else "”")
            opening = not opening
        else:
            if char == "\n":
                opening = True
            out.append(char)
    lines = [line.strip() for line in "".join(out).split("\n")]
    return "\n".join(lines).strip("\n") + "\n"


def clean(text: str, *, encoding: str = "utf-8") -> Cleaned:
    """The whole cleaning: repair (bytes), annotations, Traditional → Simplified, punctuation."""
    result = Cleaned(text="", encoding=encoding)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    repaired = repair(text, result)
    repaired, extra = strip_annotations(repaired)
    result.annotations += extra
    simplified = to_simplified(repaired)
    result.converted = simplified != repaired
    result.text = normalise_punctuation(simplified)
    for spot in result.repaired + result.unrepaired:
        spot.context = normalise_punctuation(to_simplified(spot.context)).strip()
        if spot.repaired:
            spot.repaired = to_simplified(spot.repaired)
        spot.options = list(dict.fromkeys(to_simplified(o) for o in spot.options))
    return result
