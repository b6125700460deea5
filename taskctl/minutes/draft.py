"""Drafting ledger rows from cleaned minutes: the meeting, its focus-area clauses and measures, the people.

Plain rules on the Simplified text (no language model):

- the meeting's **title** is the headline (its closing 召开/举行 dropped); its **date** the first
  "1月28日" (or "2023年1月28日"), in the ledger's year unless the text gives one;
- a **focus-area clause** begins a sentence or a comma-separated part of one, with "要聚焦X抓项目"
  (also 狠抓/抓好/抓实/大抓项目, without 要, or after 一要/一是), or with "要狠抓X" / "要抓好X" /
  "要抓实X" up to the next comma; it runs to the end of its sentence (or to the next clause in the
  same sentence).  The slogans of an opening ("大抓项目、抓好项目") begin no part, so they are no clause;
- its **measures** are the parts after the head, split at commas and semicolons outside quotes;
- a clause's **area** is the one whose name it contains, else the one whose name and description
  share the most distinctive two-character words with it (words every area uses count for nothing);
  none → a proposed new area named X, keyed by its pinyin;
- the **people** are the names after titles (市委常委、副市长杜鑫) in the sentences that say who
  chaired, spoke or attended; a bare name after a titled one shares its title (副市长甲、乙).
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections import Counter
from dataclasses import dataclass, field

ORDINAL = r"(?:[一二三四五六七八九十]+(?:是|要)|第[一二三四五六七八九十]+[，,]?|其[一二三四五六七八九十]+[，,]?)"
GRAB = r"(?:大抓|狠抓|抓好|抓实|抓牢|抓)"
# 要聚焦X抓项目 / 聚焦X狠抓项目 / 一要聚焦X抓项目 / 全市要聚焦X抓项目
HEAD_FOCUS = re.compile(rf"^(?:{ORDINAL}|[\u4e00-\u9fff]{{0,8}}?要)?\s*聚焦(?P<x>[^，。；：“”]{{2,20}}?){GRAB}项目")
# 要狠抓X，… / 要抓好X，… / 二要抓实X
HEAD_GRAB = re.compile(rf"^(?:{ORDINAL}|要)(?:狠抓|抓好|抓实|抓牢|突出抓好|着力抓好)(?P<x>[^，。；：“”]{{2,20}})")
GENERIC = re.compile(r"^(?:项目|项目建设|各项工作|工作|落实|这项工作)$")
TRAILING = re.compile(r"(?:各项工作|工作|不放松|这个关键|这一关键|各项任务)$")
POSITIONS = ("副书记", "书记", "常委", "常务副市长", "副市长", "市长", "副区长", "区长", "副县长", "县长", "副省长",
             "省长", "副主席", "主席", "副秘书长", "秘书长", "副主任", "主任", "副部长", "部长", "副局长", "局长",
             "副厅长", "厅长", "副院长", "院长", "检察长", "副总经理", "总经理", "董事长", "督查专员", "巡视员",
             "副组长", "组长", "副处长", "处长")
POSITION = "(?:" + "|".join(sorted(POSITIONS, key=len, reverse=True)) + ")"
ROLE_WORDS = re.compile(r"(?:出席会议并讲话|出席会议并作讲话|出席会议并致辞|出席并讲话|主持会议|参加会议|出席会议|列席会议"
                        r"|出席|主持|参加|列席|讲话|致辞|并)$")
NOT_IN_NAMES = re.compile(r"[的了和与及在于关对把被等]")
DATE = re.compile(r"(?:(?P<y>\d{4})年)?(?P<m>\d{1,2})月(?P<d>\d{1,2})日")
MIN_MEASURE = 4  # a shorter part is joined to the next one


@dataclass
class Person:
    name: str
    title: str


@dataclass
class AreaRef:
    """An area of the ledger (or a proposed one) as the drafting sees it."""

    key: str
    name: str
    number: int | None = None  # None: proposed, not in the ledger
    description: str = ""
    name_en: str = ""

    @property
    def new(self) -> bool:
        return self.number is None


@dataclass
class Clause:
    phrase: str  # X in 要聚焦X抓项目
    sentence: str  # the clause as the minutes say it
    measures: list[str]
    area: AreaRef | None = None


@dataclass
class DraftTask:
    area: AreaRef
    title: str
    sentence: str


@dataclass
class Draft:
    title: str
    date: dt.date
    source: str
    clauses: list[Clause] = field(default_factory=list)
    people: list[Person] = field(default_factory=list)

    @property
    def tasks(self) -> list[DraftTask]:
        out: list[DraftTask] = []
        seen: set[tuple[str, str]] = set()
        for clause in self.clauses:
            for measure in clause.measures:
                key = (clause.area.key, measure)
                if key not in seen:
                    seen.add(key)
                    out.append(DraftTask(clause.area, measure, clause.sentence))
        return out

    @property
    def areas(self) -> list[AreaRef]:
        found: dict[str, AreaRef] = {}
        for clause in self.clauses:
            found.setdefault(clause.area.key, clause.area)
        return list(found.values())


class NoDate(ValueError):
    pass


class NoClause(ValueError):
    pass


# ---------------------------------------------------------------- meeting

def meeting_title(text: str) -> str:
    """The headline without its closing verb: 全市重点工作调度推进会议召开 → 全市重点工作调度推进会议."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    head = lines[0] if lines else ""
    if len(head) > 60 or re.search(r"[，。]", head):  # no headline: the first meeting named in the text
        m = re.search(r"([\u4e00-\u9fff“”]{2,40}?会议?)(?:召开|举行)", text)
        head = m.group(1) if m else head[:40]
    m = re.match(r"^(?P<who>.{0,20}?)(?:召开|举行)(?P<what>.+会议?)$", head)
    if m:  # 朝安市召开……推进会 → ……推进会; 市政府召开常务会议 → 市政府常务会议 (the body names the meeting)
        who = m.group("who")
        return (who if re.search(r"(?:政府|[市县区省]委|党组|人大|政协|常委会)$", who) else "") + m.group("what")
    return re.sub(r"(?:在.{1,20})?(?:隆重)?(?:召开|举行)$", "", head) or head


def meeting_date(text: str, *, year: int) -> dt.date:
    """The first date the text gives (the meeting's, as minutes open with it)."""
    for m in DATE.finditer(text):
        try:
            return dt.date(int(m.group("y") or year), int(m.group("m")), int(m.group("d")))
        except ValueError:
            continue
    raise NoDate()


# ---------------------------------------------------------------- clauses

def _parts(sentence: str) -> list[tuple[int, str]]:
    """The comma/semicolon-separated parts of a sentence (not inside quotes or brackets), with offsets."""
    parts, depth, start = [], 0, 0
    for i, char in enumerate(sentence):
        if char in "“‘（《(":
            depth += 1
        elif char in "”’）》)" and depth:
            depth -= 1
        elif char in "，；：" and depth == 0:
            parts.append((start, sentence[start:i]))
            start = i + 1
    parts.append((start, sentence[start:]))
    return [(i, p) for i, p in parts]


def sentences(text: str) -> list[str]:
    return [s.strip() for s in re.findall(r"[^。！？!?\n]+[。！？!?]?", text) if s.strip()]


def _head(part: str) -> tuple[str, int] | None:
    """(X, where the measures start) when the part opens a clause."""
    for pattern in (HEAD_FOCUS, HEAD_GRAB):
        m = pattern.match(part)
        if m:
            phrase = TRAILING.sub("", m.group("x").strip())
            if phrase and not GENERIC.match(phrase):
                return phrase, m.end()
    return None


def _measures(parts: list[str]) -> list[str]:
    out: list[str] = []
    carry = ""
    for part in parts:
        part = (carry + part).strip().strip("。！？；，")
        carry = ""
        if not part:
            continue
        if len(part) < MIN_MEASURE:
            carry = part + "，"
            continue
        out.append(part)
    if carry and out:
        out[-1] += "，" + carry.rstrip("，")
    elif carry:
        out.append(carry.rstrip("，"))
    return out


def find_clauses(text: str) -> list[Clause]:
    clauses: list[Clause] = []
    for sentence in sentences(text):
        parts = _parts(sentence)
        heads = [(n, _head(p)) for n, (_, p) in enumerate(parts)]
        heads = [(n, h) for n, h in heads if h is not None]
        for k, (n, (phrase, end)) in enumerate(heads):
            stop = heads[k + 1][0] if k + 1 < len(heads) else len(parts)
            offset, part = parts[n]
            rest = [part[end:]] + [p for _, p in parts[n + 1:stop]]
            body_end = parts[stop][0] if stop < len(parts) else len(sentence)
            said = sentence[offset:body_end].strip().rstrip("，；")
            if not said.endswith(("。", "！", "？")):
                said += "。"
            measures = _measures(rest)
            if not measures:  # 要狠抓招商引资。 — the clause is its own task
                measures = [re.sub(rf"^(?:{ORDINAL}|要)", "", said).rstrip("。！？")]
            clauses.append(Clause(phrase, said, measures))
    return clauses


# ---------------------------------------------------------------- areas

def _bigrams(text: str) -> set[str]:
    han = re.sub(r"[^\u4e00-\u9fff]+", "|", text)
    return {han[i:i + 2] for i in range(len(han) - 1) if "|" not in han[i:i + 2]}


def match_area(clause: Clause, areas: list[AreaRef]) -> AreaRef | None:
    """The area a clause is about: by name, else by the distinctive words it shares with an area's
    name and description; None when nothing distinctive is shared."""
    phrase = clause.phrase
    named = [a for a in areas if a.name and (a.name in phrase or phrase in a.name)]
    if len(named) == 1:
        return named[0]
    if len(named) > 1:  # the longest name that fits (平台建设 over 建设)
        return max(named, key=lambda a: len(a.name))
    for area in areas:
        aliases = [a for a in (area.key, area.name_en) if a]
        if any(a.lower() == phrase.lower() for a in aliases):
            return area
    texts = {a.key: _bigrams(a.name + "。" + a.description) for a in areas}
    df = Counter(bg for words in texts.values() for bg in words)
    n = len(areas)

    def weight(bg: str) -> float:
        return math.log(n / df[bg]) if df[bg] else 0.0

    def score(words: set[str], area: AreaRef) -> float:
        return sum(weight(bg) for bg in words if bg in texts[area.key])

    own = _bigrams(phrase)
    scored = sorted(((score(own, a), a.number or 0, a) for a in areas), key=lambda s: (-s[0], s[1]))
    if scored and scored[0][0] > 0 and (len(scored) == 1 or scored[0][0] > scored[1][0]):
        return scored[0][2]
    return None


def proposed_key(name: str, taken: set[str]) -> str:
    """A key for a new area from its name's pinyin (乡村振兴 → xiangcunzhenxing)."""
    from pypinyin import lazy_pinyin

    letters = "".join(lazy_pinyin(name))
    base = re.sub(r"[^a-z0-9]", "", letters.lower())[:36] or "area"
    if not base[0].isalpha():
        base = "a" + base
    key, n = base, 2
    while key in taken:
        key, n = f"{base}-{n}", n + 1
    return key


# ---------------------------------------------------------------- people

def _token_person(token: str) -> tuple[str | None, str | None]:
    """(title, name) of one 、-separated token: a title with a name, a title alone, or a name alone."""
    m = re.fullmatch(rf"(?P<title>[\u4e00-\u9fff]*{POSITION})(?P<name>[\u4e00-\u9fff]{{2,4}})", token)
    if m and not re.search(POSITION, m.group("name")) and not NOT_IN_NAMES.search(m.group("name")) \
            and len(m.group("title")) <= 16:
        return m.group("title"), m.group("name")
    if re.fullmatch(rf"[\u4e00-\u9fff]{{0,12}}{POSITION}", token):
        return token, None
    if re.fullmatch(r"[\u4e00-\u9fff]{2,4}", token) and not NOT_IN_NAMES.search(token):
        return None, token
    return None, None


def find_people(text: str) -> list[Person]:
    people: dict[str, Person] = {}
    for sentence in sentences(text):
        if not ROLE_WORDS.search(sentence.rstrip("。！？")):  # who chaired, spoke, attended: said at the end
            continue
        for _, item in _parts(sentence.rstrip("。！？")):
            item = re.sub(r"^(?:会议由|会议|由)", "", item.strip())  # 会议由……主持
            while True:
                stripped = ROLE_WORDS.sub("", item)
                if stripped == item:
                    break
                item = stripped
            pending: list[str] = []
            current: str | None = None
            for token in item.split("、"):
                title, name = _token_person(token.strip())
                if title is not None and name is None:
                    pending.append(title)
                elif title is not None:
                    current = "、".join(pending + [title])
                    pending = []
                    people.setdefault(name, Person(name, current))
                elif name is not None and current is not None and not pending:
                    people.setdefault(name, Person(name, current))
                else:
                    break  # not a list of people
    return list(people.values())


# ---------------------------------------------------------------- the whole draft

def draft(text: str, *, year: int, areas: list[AreaRef], date: dt.date | None = None) -> Draft:
    """The draft of cleaned minutes against the ledger's areas (NoDate / NoClause when missing)."""
    title = meeting_title(text)
    when = date or meeting_date(text, year=year)
    clauses = find_clauses(text)
    if not clauses:
        raise NoClause()
    taken = {a.key for a in areas}
    proposed: dict[str, AreaRef] = {}
    for clause in clauses:
        found = match_area(clause, areas)
        if found is None:
            found = proposed.get(clause.phrase)
            if found is None:
                found = AreaRef(key=proposed_key(clause.phrase, taken), name=clause.phrase,
                                description=clause.sentence)
                taken.add(found.key)
                proposed[clause.phrase] = found
        clause.area = found
    source = f"{title}（{when.isoformat()}）"
    return Draft(title=title, date=when, source=source[:200], clauses=clauses, people=find_people(text))
