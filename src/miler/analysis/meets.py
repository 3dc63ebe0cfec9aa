"""Meets: find one from a forgiving query ("paris 2024", "budapest", "bowerman mile"), list them.

A meet is one edition of a competition: the rows sharing a meet name in one calendar year.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from miler.errors import AmbiguousError, NotFoundError
from miler.schema import LEVELS, as_text
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


def _fits(table: pd.DataFrame, races: pd.DataFrame, words: list[str]) -> pd.Series:
    """Which meet editions a query fits: every word starts a word of the edition's name, city,
    country, level, year or aliases, or of an event it held ("bowerman mile"). Each distinct
    text is folded once, and each word tested over all editions at once."""
    parts = [table["meet"], table["city"], table["country"], table["level"], table["year"].astype(str),
             table["meet"].map(ALIASES).fillna("")]
    folded = [p.map({v: fold(v) for v in p.unique()}) for p in parts]
    hay = " " + folded[0].str.cat(folded[1:], sep=" ")
    tokyo = (table["level"] == "olympics") & (table["year"] == 2021)
    hay = hay.where(~tokyo, hay + " 2020")  # Tokyo 2020, held in 2021
    held = as_text(races[["meet", "event"]].assign(year=races["date"].dt.year).drop_duplicates())
    held_hay = " " + held["event"].map({v: fold(v) for v in held["event"].unique()})
    editions = pd.MultiIndex.from_frame(table[MEET_KEY])
    fits = pd.Series(True, index=table.index)
    for w in words:
        by_event = editions.isin(pd.MultiIndex.from_frame(held.loc[held_hay.str.contains(" " + w, regex=False), MEET_KEY]))
        fits &= hay.str.contains(" " + w, regex=False) | by_event
    return fits


def find_meet(races: pd.DataFrame, query: str) -> MeetChoice:
    """The meet a query names. Every word must start a word of the meet's name, city, country,
    year or aliases (or an event it held: 'bowerman mile'). Where several fit, the one of the
    highest level wins if it is alone there (the latest, where they are editions of one meet);
    otherwise the query is ambiguous."""
    words = fold(query).split()
    if not words:
        raise NotFoundError("a meet query is empty")
    table = meet_table(races)
    hits = list(table[_fits(table, races, words)].itertuples(index=False))
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


@dataclass(frozen=True)
class MeetResults:
    choice: MeetChoice
    races: list[tuple[dict, pd.DataFrame]]  # (the race: date, meet, city, event, round, indoor, race_id; its gaps)

    @property
    def heading(self) -> str:
        n = len(self.races)
        return f"{self.choice.label}: {n} race{'s' if n != 1 else ''}"


def meet_results(races: pd.DataFrame, query: str, filters=None, round_: str | None = None,
                 rows_of=None) -> MeetResults:
    """The races of the meet a query names (within the filters), each with its gaps, in the
    order they were run. Nothing left is an EmptyResultError naming what was asked for and
    the rounds the meet held.

    rows_of(choice), where given, gives the meet's rows (races then needs only one row per
    race, to find the meet: a caller holding a million rows builds no more than it must)."""
    from miler.analysis.filters import Filters, apply
    from miler.analysis.gaps import race_gaps
    from miler.errors import EmptyResultError

    filters = filters or Filters()
    kept = apply(races, filters)
    if kept.empty:
        raise EmptyResultError(f"no results match {filters.describe()}")
    choice = find_meet(kept, query)
    rows = meet_rows(kept, choice) if rows_of is None else apply(rows_of(choice), filters)
    if round_:
        from miler.analysis.filters import round_matches

        rows = rows[round_matches(rows["round"], round_)]
    if rows.empty:
        every = meet_rows(races, choice) if rows_of is None else rows_of(choice)
        rounds = ", ".join(sorted(every["round"].unique()))
        wanted = ", ".join(x for x in (filters.describe(), f"round {round_}" if round_ else "") if x)
        raise EmptyResultError(f"{choice.label} has no races with {wanted} (its rounds: {rounds})")
    results = []
    for _, race in rows.groupby("race_id", sort=True, observed=True):
        first = race.iloc[0]
        info = {k: first[k] for k in ("date", "meet", "city", "event", "round", "indoor", "race_id")}
        results.append((info, race_gaps(race)))
    return MeetResults(choice, results)
