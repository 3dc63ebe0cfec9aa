"""Meets: find one from a forgiving query ("paris 2024", "budapest", "bowerman mile"), list them.

A meet is one edition of a competition: the rows sharing a meet name in one calendar year.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from miler.errors import AmbiguousError, NotFoundError
from miler.load import LEVELS, as_text
from miler.names import fold

# Words fans use for a meet that its name does not contain.
ALIASES = {
    "Prefontaine Classic": "pre bowerman eugene",
    "Olympic Games": "olympics og",
    "World Championships": "worlds wch",
    "World Indoor Championships": "world indoors wic",
    "European Championships": "europeans euros",
    "Weltklasse Zürich": "zurich",
    "Herculis": "monaco",
    "Memorial Van Damme": "brussels",
    "Athletissima": "lausanne",
    "Bislett Games": "oslo",
    "Kamila Skolimowska Memorial": "silesia chorzow",
    "Meeting de Paris": "paris",
    "Millrose Games": "millrose armory",
}
MEET_KEY = ["meet", "year"]


@dataclass(frozen=True)
class MeetChoice:
    meet: str
    year: int
    others: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        return f"{self.meet} {self.year}"

    @property
    def note(self) -> str:
        return f"note: taking {self.label}; also matches {', '.join(self.others)}" if self.others else ""


def meet_table(races: pd.DataFrame) -> pd.DataFrame:
    """One row per meet edition: meet, year, city, country, level, first, last, races, athletes."""
    df = races.assign(year=races["date"].dt.year)
    out = df.groupby(MEET_KEY, sort=False).agg(
        city=("city", "first"),
        country=("country", "first"),
        level=("level", "first"),
        first=("date", "min"),
        last=("date", "max"),
        races=("race_id", "nunique"),
        athletes=("athlete", "nunique"),
    )
    return as_text(out.reset_index()).sort_values(["first", "meet"], kind="stable").reset_index(drop=True)


def _haystack(row) -> set[str]:
    words = f"{row.meet} {row.city} {row.country} {row.level} {row.year} {ALIASES.get(row.meet, '')}"
    if row.level == "olympics" and row.year == 2021:
        words += " 2020"  # Tokyo 2020, held in 2021
    return set(fold(words).split())


def find_meet(races: pd.DataFrame, query: str) -> MeetChoice:
    """The meet a query names. Every word must start a word of the meet's name, city, country,
    year or aliases (or an event it held: 'bowerman mile'). Where several fit, the one of the
    highest level wins if it is alone there (the latest, where they are editions of one meet);
    otherwise the query is ambiguous."""
    words = fold(query).split()
    if not words:
        raise NotFoundError("a meet query is empty")
    table = meet_table(races)
    events = races.assign(year=races["date"].dt.year).groupby(MEET_KEY)["event"].unique()
    hits = []
    for row in table.itertuples(index=False):
        hay = _haystack(row) | set(fold(" ".join(events[(row.meet, row.year)])).split())
        if all(any(h.startswith(w) for h in hay) for w in words):
            hits.append(row)
    if not hits:
        raise NotFoundError(f"no meet matches '{query}' (try `miler meets` to see them all)")
    rank = {lvl: i for i, lvl in enumerate(LEVELS)}
    hits.sort(key=lambda r: (rank.get(r.level, len(LEVELS)), -r.races, str(r.first)))
    best = hits[0]
    same_level = [h for h in hits if h.level == best.level]
    if len({h.meet for h in same_level}) == 1:  # one meet, several years: the latest
        best = max(same_level, key=lambda h: h.year)
        same_level = [best]
    if len(same_level) > 1:
        labels = [f"{h.meet} {h.year}" for h in hits]
        shown = "; ".join(labels[:10]) + ("; …" if len(labels) > 10 else "")
        raise AmbiguousError(f"'{query}' matches several meets: {shown}. Add a year or a city.", labels)
    others = tuple(f"{h.meet} {h.year}" for h in hits if h is not best)
    return MeetChoice(best.meet, int(best.year), others)


def meet_rows(races: pd.DataFrame, choice: MeetChoice) -> pd.DataFrame:
    return races[(races["meet"] == choice.meet) & (races["date"].dt.year == choice.year)]
