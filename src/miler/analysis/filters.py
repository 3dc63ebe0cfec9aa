"""The shared filters (--event, --year, --since, --until, --indoor/--outdoor, --level, --finals-only)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from miler.errors import NotFoundError
from miler.schema import CHAMPIONSHIP_LEVELS, LEVELS
from miler.marks import normalise_event

# --level accepts a level, a comma-separated list, or one of these groups
LEVEL_GROUPS = {"championships": CHAMPIONSHIP_LEVELS}


@dataclass(frozen=True)
class Filters:
    event: str | None = None
    year: int | None = None
    since: dt.date | None = None
    until: dt.date | None = None
    indoor: bool | None = None
    level: str | None = None
    finals_only: bool = False

    def describe(self) -> str:
        """The filters in words, for 'nothing matches' messages."""
        parts = []
        if self.event:
            parts.append(f"event {normalise_event(self.event)}")
        if self.year:
            parts.append(f"year {self.year}")
        if self.since:
            parts.append(f"since {self.since}")
        if self.until:
            parts.append(f"until {self.until}")
        if self.indoor is not None:
            parts.append("indoor" if self.indoor else "outdoor")
        if self.level:
            parts.append(f"level {self.level}")
        if self.finals_only:
            parts.append("finals only")
        return ", ".join(parts)


def levels(spec: str) -> tuple[str, ...]:
    """'olympics,worlds' or 'championships' -> the levels it names; unknown ones are an error."""
    out: list[str] = []
    for part in (p.strip().lower() for p in spec.split(",") if p.strip()):
        if part in LEVEL_GROUPS:
            out.extend(LEVEL_GROUPS[part])
        elif part in LEVELS:
            out.append(part)
        else:
            known = ", ".join(LEVELS + tuple(LEVEL_GROUPS))
            raise NotFoundError(f"unknown level '{part}' (known: {known})")
    return tuple(out)


_ROUND_WORDS = {
    "f": "final", "final": "final", "finals": "final",
    "sf": "semi-final", "semi": "semi-final", "semis": "semi-final", "semifinal": "semi-final",
    "semi-final": "semi-final", "semi final": "semi-final",
    "qf": "quarter-final", "quarter": "quarter-final", "quarterfinal": "quarter-final", "quarter-final": "quarter-final",
    "h": "heat", "heat": "heat", "heats": "heat", "r1": "heat", "round 1": "heat",
    "prelim": "prelim", "prelims": "prelim",
}


def _round_parts(text: str) -> tuple[str, str]:
    """('semi-final', '2') for 'semi-final 2', 'sf2', 'semi 2'; ('heat', '') for 'heats'."""
    import re

    s = " ".join(str(text).strip().lower().replace("_", " ").split())
    m = re.fullmatch(r"(.*?)[\s-]*(\d+)", s)
    word, number = (m.group(1), m.group(2)) if m and m.group(1) else (s, "")
    word = word.strip(" -")
    return _ROUND_WORDS.get(word, _ROUND_WORDS.get(word.replace("-", " "), word)), number


def round_matches(rounds: pd.Series, query: str) -> pd.Series:
    """Which rounds a forgiving query names: 'final' (not a semi-final), 'semi', 'sf' or
    'semi-final' (every semi-final), 'sf2' or 'semi 2' (that one), 'heat', 'h3', …"""
    want, number = _round_parts(query)
    parts = {r: _round_parts(r) for r in rounds.unique()}
    return rounds.map({r: kind == want and (not number or n == number) for r, (kind, n) in parts.items()}).astype(bool)


def apply(races: pd.DataFrame, f: Filters) -> pd.DataFrame:
    """The rows of races that pass every filter (races itself when there are none to apply;
    races is never changed)."""
    if f == Filters():
        return races
    mask = pd.Series(True, index=races.index)
    if f.event:
        mask &= races["event"] == normalise_event(f.event)
    if f.year:
        mask &= races["date"].dt.year == f.year
    if f.since:
        mask &= races["date"] >= pd.Timestamp(f.since)
    if f.until:
        mask &= races["date"] <= pd.Timestamp(f.until)
    if f.indoor is not None:
        mask &= races["indoor"] == f.indoor
    if f.level:
        mask &= races["level"].isin(levels(f.level))
    if f.finals_only:
        mask &= races["round"].str.startswith("final")
    return races[mask]
