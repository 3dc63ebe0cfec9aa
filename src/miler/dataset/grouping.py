"""Which rows make each race: race numbers from the codes of the race key, blocks of whole
races, the first row of each race, and the Races a race rule looks at; places derived from the
times where a race gives none.

Rows that come race by race (the usual file) are numbered in one pass, without a sort, and
looked at in blocks of whole races; any other order is numbered through a factorisation and
looked at all at once.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np


class Races:
    """Rows a..a+size of the kept rows of a file, every row of each race among them: what the
    race rules look at. A file whose rows come race by race is looked at in blocks of whole
    races (memory stays a block's worth); any other file at once.

    race: each row's race, numbered from 0 in order of first appearance within the block;
    grouped: the rows of each race are consecutive."""

    def __init__(self, a: int, race: np.ndarray, grouped: bool, athlete: np.ndarray, athlete_blank: int,
                 place: np.ndarray, seconds: np.ndarray, starters: np.ndarray | None,
                 records: np.ndarray | None, text: Callable[[str, int], str],
                 dated: np.ndarray | None = None) -> None:
        self.a = a
        self.race, self.grouped = race, grouped
        self.dated = dated  # rows with a date (None: all)
        self.races = int(race[-1] if grouped else race.max()) + 1 if len(race) else 0
        self.athlete, self.athlete_blank = athlete, athlete_blank
        self.place, self.seconds, self.starters = place, seconds, starters  # starters None: none given
        self.records = records
        self._text = text
        self.keep = None
        self.size = len(race)

    def record(self, i: int) -> int:
        return int(self.records[self.a + i]) if self.records is not None else self.a + i

    def text(self, column: str, i: int) -> str:
        return self._text(column, self.a + i)


def race_index(keys: list[tuple[np.ndarray, int]]) -> tuple[np.ndarray, bool]:
    """Each row's race (numbered in order of first appearance) from the codes of the race key
    (each with its number of values), and whether the rows of each race are consecutive.
    Rows that come race by race (the usual file) take one pass and no sort."""
    n = len(keys[0][0]) if keys else 0
    if n == 0:
        return np.zeros(0, dtype=np.int32), True
    change = np.zeros(n, dtype=bool)
    change[0] = True
    for codes, _ in keys:
        change[1:] |= codes[1:] != codes[:-1]
    starts = np.flatnonzero(change)
    del change
    runs = np.sort(_packed([c[starts] for c, _ in keys], keys))  # nearly sorted already
    if (runs[1:] != runs[:-1]).all():  # each race is one run (np.unique: slow in numpy 2.4)
        race = np.zeros(n, dtype=np.int32)
        race[starts[1:]] = 1
        np.cumsum(race, out=race)
        return race, True
    return _codes_of(_packed([c for c, _ in keys], keys)).astype(np.int32), False


def _packed(columns: list[np.ndarray], keys) -> np.ndarray:
    """One int64 per row from several code columns (or a record array when they don't fit)."""
    width = 1
    for _, size in keys:
        width *= max(size, 1)
    if width >= 2**62:
        return _codes_of(np.rec.fromarrays(columns))
    out = np.zeros(len(columns[0]), dtype=np.int64)
    for codes, (_, size) in zip(columns, keys):
        out *= max(size, 1)
        out += codes
    return out


def race_blocks(race: np.ndarray, grouped: bool, rows: int) -> list[tuple[int, int]]:
    """(start, stop) of blocks of about `rows` rows that cut no race in two (one block when the
    races are not grouped)."""
    n = len(race)
    if not grouped or n <= rows:
        return [(0, n)]
    cuts = [0]
    while cuts[-1] + rows < n:
        at = cuts[-1] + rows
        cut = int(np.searchsorted(race, race[at], side="left"))
        if cut <= cuts[-1]:  # one race longer than a block
            cut = int(np.searchsorted(race, race[at], side="right"))
        if cut >= n:
            break
        cuts.append(cut)
    return list(zip(cuts, cuts[1:] + [n]))


def _codes_of(values) -> np.ndarray:
    import pandas as pd

    codes, _ = pd.factorize(values)
    return codes


def first_rows(race: np.ndarray, grouped: bool = False) -> np.ndarray:
    """The position of each race's first row (races numbered in order of first appearance)."""
    if not len(race):
        return np.zeros(0, dtype=np.int64)
    if grouped:  # where the race number steps up
        return np.flatnonzero(np.diff(race, prepend=np.int32(-1)))
    seen = np.maximum.accumulate(race)
    change = np.empty(len(race), dtype=bool)
    change[0] = True
    np.greater(seen[1:], seen[:-1], out=change[1:])
    return np.flatnonzero(change)


def derived_places(r: Races) -> np.ndarray:
    """Places, with those of races that give none at all ranked from the times (ties share
    the better place); 0 where there is none."""
    race, place, seconds = r.race, r.place, r.seconds
    placed = ~np.isnan(place)
    has_place = np.bincount(race, weights=placed, minlength=r.races) > 0 if len(race) else np.zeros(0, dtype=bool)
    need = ~has_place[race] & ~np.isnan(seconds)
    out = np.where(placed, place, 0).astype(np.int32)  # a block's worth
    if need.any():
        import pandas as pd

        sub = pd.Series(seconds[need])
        out[need] = sub.groupby(race[need]).rank(method="min").to_numpy()
    return out
