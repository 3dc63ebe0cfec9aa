"""A results file's time cell ('3:29,38', '3:34.19+', '3:52.11 (i)', '215.35', 'DNF', 'DQ 8:08.47')
read as miler's mark or status, with what the cell says besides (record tags, indoors, a split,
altitude). Pure functions of one value; miler.marks parses the marks miler itself writes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from miler.marks import format_mark

STATUS_WORDS = {
    "DNF": "DNF", "DIDNOTFINISH": "DNF", "R": "DNF", "RET": "DNF", "RETIRED": "DNF", "AB": "DNF", "ABD": "DNF",
    "DNS": "DNS", "DIDNOTSTART": "DNS", "NS": "DNS", "SCR": "DNS", "SCRATCHED": "DNS", "WD": "DNS",
    "WITHDRAWN": "DNS", "DQ": "DQ", "DSQ": "DQ", "DISQ": "DQ", "DISQUALIFIED": "DQ", "FS": "DQ", "FALSESTART": "DQ",
    "NM": "NM", "NT": "NM", "NH": "NM", "NOMARK": "NM", "NOTIME": "NM", "NOHEIGHT": "NM",
}  # fmt: skip
NO_MARK = "NM"  # no mark, no time: not a performance and not a DNF
_RECORD_TAGS = ("WR", "WL", "OR", "AR", "NR", "ER", "CR", "MR", "PB", "SB", "DLR", "WU20R", "WU18R", "WJR",
                "AU20R", "NU20R", "ESB", "EL", "MPB", "GR", "CBP")  # fmt: skip
_TAGS = re.compile(r"(?:\s+|(?<=\d))\(?(=?(?:" + "|".join(_RECORD_TAGS) + r"))\)?$")
_QUALIFIED = re.compile(r"\s*\(?\b[Qq]\b\)?$")
_COMMA = re.compile(r"^(\d+(?::\d\d)*),(\d{1,3})(h?)$")
_DOTTED = re.compile(r"^(\d{1,2})\.([0-5]\d)\.(\d{1,3})$")  # 3.29.38 written for 3:29.38
_NUMBER = re.compile(r"^(\d+)(?:\.(\d+))?$")


@dataclass(frozen=True)
class Cell:
    """A time cell read: the mark as miler prints it (or ''), a status (DNF, DNS, DQ, NM or ''),
    note tags, and what the cell said besides."""

    time: str
    status: str = ""
    note: str = ""
    indoor: bool = False
    split: bool = False  # '+': a split inside a longer race
    minutes: str = ""  # a number of seconds over 60 ('215.35') as minutes and seconds ('3:35.35')
    decimal_comma: bool = False


def time_cell(text: str) -> Cell:
    """'3:29.38', '3:29,38', '3:34.6h', '3:31.2A', '3:34.19+', '3:52.11 (i)', '215.35' (seconds:
    Cell.minutes is '3:35.35', for the caller to use where the event is not a sprint), 'DNF', 'dq',
    'Did not start', 'DQ 8:08.47', '3:50.00 SB' -> a Cell."""
    s = " ".join(str(text).split())
    if not s:
        return Cell("")
    status = _status(s)
    if status:
        return Cell("", status)
    s, notes, indoor, split = _without_suffixes(s)
    s, comma = _as_written(s)
    return Cell(s, "", " ".join(dict.fromkeys(notes)), indoor, split, _as_minutes(s), comma)


def _status(s: str) -> str:
    """The status a cell says ('DNF', 'Did not start', 'DQ 8:08.47', 'DNF (fell)'), or ''."""
    word = re.sub(r"[\s.]", "", s.upper())
    if word in STATUS_WORDS:
        return STATUS_WORDS[word]
    if re.search(r"DQ|DSQ|DISQ", s.upper()):  # 'DQ 8:08.47', '37.62DQ', 'DQ R 163.3a'
        return "DQ"
    first = re.match(r"^([A-Za-z]+)\b", s)
    if first and first.group(1).upper() in STATUS_WORDS and not re.match(r"^\d", s):
        return STATUS_WORDS[first.group(1).upper()]  # 'DNF (fell)'
    return ""


def _without_suffixes(s: str) -> tuple[str, list[str], bool, bool]:
    """The mark without what follows it, in any order: '(i)' or 'i' (indoors), '+' (a split),
    record tags ('SB', '(=PB)'), 'Q' (qualified), 'A' (altitude); with the tags, indoor, split."""
    notes: list[str] = []
    indoor = split = False
    while True:
        before = s
        if s.lower().endswith("(i)"):
            indoor, s = True, s[:-3].rstrip()
        elif re.search(r"\d i$", s) or re.search(r"\di$", s):
            indoor, s = True, s[:-1].rstrip()
        if s.endswith("+"):
            split, s = True, s[:-1].rstrip()
        m = _TAGS.search(s)
        if m:
            notes.insert(0, m.group(1).lstrip("="))
            s = s[: m.start()].rstrip()
        m = _QUALIFIED.search(s)
        if m and m.start() > 0:
            s = s[: m.start()].rstrip()
        if re.search(r"\dA$", s):  # at altitude
            notes.append("A")
            s = s[:-1]
        if s == before:
            return s, notes, indoor, split


def _as_written(s: str) -> tuple[str, bool]:
    """A mark with a decimal comma ('3:29,38') or dots for colons ('3.29.38') as miler writes it,
    and whether it had the comma."""
    comma = False
    m = _COMMA.match(s)
    if m:
        s, comma = f"{m.group(1)}.{m.group(2)}{m.group(3)}", True
    m = _DOTTED.match(s)
    if m:
        s = f"{m.group(1)}:{m.group(2)}.{m.group(3)}"
    return s, comma


def _as_minutes(s: str) -> str:
    """A number of seconds over 60 ('215.35') as minutes and seconds ('3:35.35'), else ''."""
    m = _NUMBER.match(s)
    if m and int(m.group(1)) >= 60:
        frac = m.group(2) or ""
        decimals = 0 if not frac else 2 if len(frac) <= 2 or len(frac) > 3 else 3
        return format_mark(float(s), decimals)
    return ""
