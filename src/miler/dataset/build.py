"""From the checked columns of a races file to the validated races (miler.dataset.coded): the
race rules over every kept row, a block of whole races at a time, places derived where a race
gives none, and race ids.
"""

from __future__ import annotations

import numpy as np

from miler.dataset import facts, grouping, rules
from miler.dataset.cells import Column
from miler.dataset.coded import CODED, Coded, code_dtype, place_dtype
from miler.schema import RACE_KEY, round_rank


def races(table: dict[str, Column], keep: np.ndarray | None, found: rules.Found,
           release: bool = True) -> Coded | None:
    """The race rules over every kept row, then places derived and race ids: the validated
    races, or None when found holds problems."""
    codes = {c: table[c].finish(keep, release) for c in CODED}
    place_codes = table["place"].finish(keep, release)
    categories = _categories(table, codes)
    days, _ = facts.dates(table["date"])
    race, grouped = grouping.race_index(_race_key(codes, categories, days))
    heads = grouping.first_rows(race, grouped)
    rows = _RaceRows(table, codes, place_codes, race, grouped, keep)
    places = np.zeros(len(race), dtype=place_dtype(rows.largest_place(heads)))  # derived ones: no more than a race's rows
    for a, b in grouping.race_blocks(race, grouped, rules.RACE_BLOCK):
        r = rows.block(a, b)
        rules.check_races(r, found)
        if not found.items:
            places[a:b] = grouping.derived_places(r)
    if found.items:
        return None
    ids = _race_ids(categories, codes, heads, days)
    batch = dict(codes, place=places)
    batch["race_id"] = np.take(ids, race, out=race, mode="clip")  # in place: no second copy of every row's race
    batch["head"] = _heads(len(race), heads)
    seconds, decimals, status, _ = facts.marks(table["time"])
    return Coded(categories, [batch], facts=dict(days=days, seconds=seconds, decimals=decimals, status=status))


def _categories(table: dict[str, Column], codes: dict[str, np.ndarray]) -> dict:
    """Each coded column's categories; event, level, round and sex get one category per
    normalised value (their codes in codes remapped to them)."""
    import pyarrow as pa

    categories = {}
    for c in CODED:
        if c in facts.NORMALISE:
            uniques, mapping = _factorize(facts.normalised(table[c]))
            categories[c] = pa.array(list(uniques), type=pa.string())
            codes[c] = mapping.astype(code_dtype(len(uniques)))[codes[c]]
        else:
            categories[c] = table[c].values if table[c].values is not None else pa.array([], pa.string())
    return categories


def _race_key(codes: dict[str, np.ndarray], categories: dict, days: np.ndarray) -> list[tuple[np.ndarray, int]]:
    """The codes of each column of the race key, with their number of values: a date by its
    day (a date is one text, YYYY-MM-DD, but every bad one is no day)."""
    keys = {}
    if (days == facts.NAT).any():
        date_values, date_key_of = _factorize(days)
        keys["date"] = (date_key_of.astype(np.int32)[codes["date"]], len(date_values))
    else:
        keys["date"] = (codes["date"], len(days))
    for c in RACE_KEY:
        if c != "date":
            keys[c] = (codes[c], len(categories[c]))
    return [keys[c] for c in RACE_KEY]


class _RaceRows:
    """What the race rules look at of each kept row, from the facts of its values: its place,
    seconds and starters, whether it has a date; a block of whole races at a time."""

    def __init__(self, table: dict[str, Column], codes: dict[str, np.ndarray], place_codes: np.ndarray,
                 race: np.ndarray, grouped: bool, keep: np.ndarray | None) -> None:
        self.table, self.codes, self.place_codes = table, codes, place_codes
        self.race, self.grouped = race, grouped
        self.kept = np.flatnonzero(keep) if keep is not None else None
        self.place_of = facts.places(table["place"])[0].astype(np.float32)  # exact: places are small whole numbers
        self.seconds_of = facts.marks(table["time"])[0]
        starters_of = facts.starters(table["starters"])[0]
        self.starters_of = None if np.isnan(starters_of).all() else starters_of
        self.dated_of = facts.dates(table["date"])[0] != facts.NAT
        self.blank = table["athlete"].code_of("")

    def text(self, column: str, i: int) -> str:
        return self.table[column].text(int(self.codes[column][i]))

    def largest_place(self, heads: np.ndarray) -> int:
        """The largest place a row can have: given, or derived (no more than a race's rows)."""
        race = self.race
        rows = np.diff(heads, append=len(race)).max(initial=0) if self.grouped else len(race)
        return int(max(np.nanmax(self.place_of, initial=0), rows))

    def block(self, a: int, b: int) -> grouping.Races:
        codes, race = self.codes, self.race
        block = race[a:b] - race[a] if self.grouped and b > a else race
        dated = self.dated_of[codes["date"][a:b]]
        starters = self.starters_of[codes["starters"][a:b]] if self.starters_of is not None else None
        return grouping.Races(a, block, self.grouped, codes["athlete"][a:b], self.blank,
                              self.place_of[self.place_codes[a:b]], self.seconds_of[codes["time"][a:b]], starters,
                              self.kept, self.text, None if dated.all() else dated)


def _heads(rows: int, heads: np.ndarray) -> np.ndarray:
    head = np.zeros(rows, dtype=bool)
    head[heads] = True
    return head


def _race_ids(categories: dict, codes: dict[str, np.ndarray], heads: np.ndarray, days: np.ndarray) -> np.ndarray:
    """Each race's id (races numbered in order of their first rows), in schema.race_ids's order:
    by date, then heats before semi-finals before finals, then meet, event, round and sex."""
    rank = _round_ranks(categories["round"])
    first = {c: codes[c][heads] for c in ("sex", "round", "event", "meet", "date")}
    order = np.lexsort((first["sex"], first["round"], first["event"], first["meet"], rank[first["round"]],
                        days[first["date"]]))
    ids = np.empty(len(heads), dtype=np.int32)
    ids[order] = np.arange(len(heads), dtype=np.int32)
    return ids


def _factorize(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(distinct values in order of first appearance, each value's index among them)."""
    import pandas as pd

    codes, uniques = pd.factorize(values)
    return np.asarray(uniques), codes


def _round_ranks(rounds) -> np.ndarray:
    """schema.round_rank of each round category."""
    import pandas as pd

    return round_rank(pd.Series(rounds.to_pylist(), dtype=object)).to_numpy(dtype=np.int8)
