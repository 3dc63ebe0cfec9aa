"""What a dataset's NOTES.md says it lacks: the races looked for and not (wholly) confirmed, and
the date its sources reach.

NOTES.md (beside races.csv) is prose for people, with two kinds of lines miler reads:

    - Sources reach: 2026-03-22 (why)
    - 2023-08-20 World Championships 1500m semi-final 2: places 11+ (why)

the second kind only in sections titled "… could not confirm …" / "… not confirmed …". What is
missing starts with `places A–B`, `places A+`, `place A`, `the whole race`, `starters`, `pacers`,
`flags` or `the status of NAME` (several joined with "and").
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

from miler.marks import normalise_event

_ENTRY = re.compile(r"^- (\d{4}-\d{2}-\d{2}) (.+?): (.+)$")
_REACH = re.compile(r"^- Sources reach: (\d{4}-\d{2}-\d{2})\b")
_LIST = re.compile(r"could not confirm|not confirmed", re.I)
_EVENTS = re.compile(r"^(.*?) (\S+m|Mile|\d+ Miles|Road Mile) (final|final \d+|heat \d+|semi-final \d+|quarter-final \d+"
                     r"|heats|semi-finals)$")
_RANGE = re.compile(r"\bplaces? (\d+)(?:\s*[–-]\s*(\d+)|(\+| onwards))?")


@dataclass(frozen=True)
class Gap:
    """A race the notes say is missing from the data, wholly or in part."""

    date: dt.date
    meet: str
    event: str
    round: str
    missing: str  # what is missing, and why, as the notes say it
    line: int

    @property
    def places(self) -> tuple[int, float] | None:
        """(first, last) of the places said to be missing (last inf for 'places A+'), or None."""
        m = _RANGE.search(self.missing.split("(")[0])
        if not m:
            return None
        first = int(m.group(1))
        return first, float("inf") if m.group(3) else float(m.group(2) or first)

    @property
    def label(self) -> str:
        return f"{self.date} {self.meet} {self.event} {self.round}"


@dataclass(frozen=True)
class Notes:
    gaps: list[Gap]
    sources_reach: dt.date | None
    unread: list[int]  # lines of the lists that are not of the form above


def read_notes(path: Path | None) -> Notes:
    """The gaps and the sources' reach a NOTES.md states (nothing when there is no such file)."""
    if path is None or not path.is_file():
        return Notes([], None, [])
    gaps, unread, reach = [], [], None
    in_list = False
    for n, line in enumerate(path.read_text(encoding="utf-8", errors="replace").splitlines(), start=1):
        if line.startswith("#"):
            in_list = bool(_LIST.search(line))
            continue
        m = _REACH.match(line)
        if m and reach is None:
            reach = _date(m.group(1))
            continue
        if not in_list or not line.startswith("- "):
            continue
        gap = _gap(line, n)
        if gap is None:
            unread.append(n)
        else:
            gaps.append(gap)
    return Notes(sorted(gaps, key=lambda g: (g.date, g.meet, g.event, g.round)), reach, unread)


def _gap(line: str, n: int) -> Gap | None:
    m = _ENTRY.match(line)
    if not m or _date(m.group(1)) is None:
        return None
    race = _EVENTS.match(m.group(2))
    if not race:
        return None
    return Gap(_date(m.group(1)), race.group(1), normalise_event(race.group(2)), race.group(3), m.group(3), n)


def _date(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return None
