"""Staged rows: what every reader produces, and how they become miler's cells.

A reader puts what its file says into the STAGE columns, as text, without judging it (a venue
still 'Letzigrund, Zürich (SUI)', a WA position still '3h2', a name still 'Jakob INGEBRIGTSEN'),
with where each row came from. ``finish`` normalises them all the same way (names, marks and
statuses, places and rounds, dates, events and sex, venues, levels), leaves out what is not one
race result (splits, field events, relays, a result listed twice), each with its reason, and
records every guess it made. Its steps, one job each, are in miler.dataset.formats.steps.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from miler.dataset.formats import Options
from miler.names import fold
from miler.schema import COLUMNS

# What a reader may fill, beside miler's own columns: a venue to split into city and country, a
# World Athletics position ('3h2': a place and a round), given and family names apart.
STAGE = COLUMNS + ("venue", "pos", "given", "family")
# What --set and --map may name.
SETTABLE = tuple(c for c in STAGE if c not in ("source", "pos"))

KIND_REASONS = {
    "field": "a field event (miler keeps races)",
    "relay": "a relay (a team's result, not an athlete's)",
    "combined": "a combined event (points, not a race)",
}


@dataclass
class Staged:
    """Rows as a reader found them (STAGE columns of text), where each came from, the rows the
    reader itself left out (where, reason, detail), and what it guessed or noticed."""

    frame: pd.DataFrame
    where: list[str]
    dropped: list[tuple[str, str, str]] = field(default_factory=list)
    guesses: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    hints: dict[str, str] = field(default_factory=dict)  # values for the whole file, used where a row has none
    keep_source: bool = False  # miler's own exports: the source column already says where rows came from
    blank_pos_is_split: bool = False  # World Athletics lists: a result without a position is a split
    untold_races: bool = False  # World Athletics lists: two races of a meet may share a bare position


@dataclass
class Finished:
    cells: pd.DataFrame  # COLUMNS as text, index = row number in the staged frame
    where: pd.Series  # where each row came from, same index
    dropped: list[tuple[str, str, str]]  # (where, reason, detail)
    guesses: list[str]


class Mapped:
    """func of each distinct value of a column, and the parts of its results spread to the rows."""

    def __init__(self, series: pd.Series, func):
        self.codes, uniques = pd.factorize(series.to_numpy(dtype=object), use_na_sentinel=False)
        self.index = series.index
        self.results = [func(u) for u in uniques]

    def part(self, get=None) -> pd.Series:
        """The results (get None), an item of each (get an int) or an attribute (get a name)."""
        if get is None:
            values = self.results
        elif isinstance(get, int):
            values = [r[get] for r in self.results]
        else:
            values = [getattr(r, get) for r in self.results]
        array = np.empty(len(values), dtype=object)
        array[:] = values
        return pd.Series(array[self.codes], index=self.index)


def per_value(series: pd.Series, func) -> pd.Series:
    """func once per distinct value, spread to the rows."""
    return Mapped(series, func).part()


def finish(st: Staged, opts: Options, name: str) -> Finished:
    """Normalise staged rows into miler's cells; see the module's docstring."""
    from miler.dataset.formats import steps  # the steps use Rows, defined below

    # The steps' order matters: a row keeps the first reason found, and guesses are told as made.
    rows = Rows.of(st)
    steps.hints_and_sets(rows, st.hints, opts.sets)
    steps.venues(rows)
    steps.meets(rows)
    steps.events_and_sex(rows)
    steps.athletes(rows)
    steps.positions(rows, st.blank_pos_is_split)
    place_status = steps.places_and_rounds(rows)
    steps.marks(rows, place_status)
    steps.indoor(rows)
    steps.event_guessed(rows, name)
    steps.dates(rows, opts.date_format, name)
    steps.levels(rows)
    steps.nats_and_sources(rows, st.keep_source)
    return _kept(rows, st)


@dataclass
class Rows:
    """Staged rows being finished: their cells (all text), where each came from, why each is
    left out ('' while it is kept), the guesses made, and whether something says it was indoors."""

    df: pd.DataFrame
    where: pd.Series
    reason: np.ndarray
    guesses: list[str]
    indoor: pd.Series

    @classmethod
    def of(cls, st: Staged) -> Rows:
        """Every STAGE column, as stripped text, for the rows the reader staged."""
        df = st.frame.reset_index(drop=True)
        for c in STAGE:
            if c not in df.columns:
                df[c] = ""
        df = df[list(STAGE)].fillna("").astype("str").apply(lambda s: s.str.strip())
        where = pd.Series(st.where, index=df.index, dtype="object")
        reason = np.full(len(df), "", dtype=object)
        return cls(df, where, reason, list(st.guesses), pd.Series(False, index=df.index))

    def empty(self, col: str) -> pd.Series:
        """Which rows have nothing in a column."""
        return self.df[col] == ""

    @property
    def kept(self) -> np.ndarray:
        """Which rows no step has left out yet."""
        return self.reason == ""

    def leave_out(self, mask, why) -> None:
        """Leave out the rows of mask not left out already, for why (one text, or one a row)."""
        mask = np.asarray(mask, dtype=bool) & self.kept  # a row keeps the first reason found
        if isinstance(why, pd.Series):
            self.reason[mask] = why.to_numpy()[mask]
        else:
            self.reason[mask] = why


def _kept(rows: Rows, st: Staged) -> Finished:
    """The rows kept, a result listed again left out too, and every row left out with its reason."""
    where = rows.where
    dropped = [d if len(d) == 3 else (*d, "") for d in st.dropped]
    for i in np.flatnonzero(~rows.kept):
        why, _, said = str(rows.reason[i]).partition("\x00")
        dropped.append((where.iat[i], why, said))
    cells = rows.df.loc[rows.kept, list(COLUMNS)].astype("str")  # text, as miler's CSV reader gives it
    dup, first_of = _duplicates(cells)
    dropped += [(where.at[i], "the same result listed again (the same race in two lists, or a row twice)",
                 f"as {where.at[first_of[i]]}") for i in dup]
    cells = cells.drop(index=dup)
    if st.untold_races:
        from miler.dataset.formats.steps import split_untold_races

        rows.guesses.extend(split_untold_races(cells))
    return Finished(cells, where, dropped, rows.guesses)


def _duplicates(cells: pd.DataFrame) -> tuple[list[int], dict[int, int]]:
    """Rows that repeat an earlier row's result (the same race listed in two age-group lists, a
    line pasted twice): the same athlete, date, meet, event, round, sex, place and time."""
    key = cells[["date", "meet", "event", "round", "sex", "place", "time"]].copy()
    key["athlete"] = per_value(cells["athlete"], fold)
    key["meet"] = per_value(cells["meet"], fold)
    dup = key.duplicated(keep="first")
    if not dup.any():
        return [], {}
    both = key[key.duplicated(keep=False)]
    firsts = both.reset_index().groupby(list(key.columns), sort=False)["index"].transform("first")
    first_of = dict(zip(both.index, firsts))
    return [int(i) for i in key.index[dup]], first_of
