"""The validation rules of a races file, one function per rule.

Cells are held as codes (see miler.dataset.cells): each column's distinct values and one integer
per row. A row rule looks at a range of rows (``Cells``): it judges each distinct value once (a
million rows hold a few thousand dates; miler.dataset.facts works out what each value is) and
spreads the verdict to the rows by code, returning its hits: where the rule fails, and the
message for each such row. A race rule does the same over the whole file (``Races``, see
miler.dataset.grouping), once every range is checked; its fast paths assume nothing: rows already
grouped by race, or already in order of place, only make it quicker. ``check_header`` is the
rule of the first line.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from miler.dataset import facts
from miler.dataset.facts import FIRST_YEAR, MAX_PLACE, NORMALISE, last_year
from miler.errors import DataError, Problem
from miler.marks import WORLD_RECORDS, beyond_record, check_plausible, plausible_range, shown
from miler.schema import COLUMNS, LEVELS, REQUIRED, SEXES

if TYPE_CHECKING:
    from miler.dataset.cells import Cells
    from miler.dataset.grouping import Races

MAX_PROBLEMS = 50  # problems spelled out, of a rule and of a file (the rest are counted)
PAIRS = 1 << 24  # implausible_mark judges every (event, time) pair when there are no more
RACE_BLOCK = 1 << 18  # race rules look at this many rows at a time (whole races)


@dataclass(frozen=True)
class Hit:
    """Rows that break a rule (a boolean mask over the rows looked at) and what to say of each."""

    mask: np.ndarray
    message: str | Callable[[int], object]  # a callable gets the row's position


class Found:
    """Problems found so far, as (record number, message); the total counts every one."""

    every = False  # spell out every row of a hit, not only a rule's first MAX_PROBLEMS

    def __init__(self) -> None:
        self.items: list[tuple[int, object]] = []
        self.total = 0
        self.warned: list[tuple[int, str]] = []  # warnings (a row kept, but worth a look)
        self.warned_total = 0

    def flag(self, rows, hit: Hit) -> None:
        """Record the rows of a hit; only the first MAX_PROBLEMS of a rule are spelled out.
        rows is the Cells or Races the hit is about (it knows each row's record number)."""
        found = _hit_rows(rows, hit)
        self.total += len(found)
        self.items += _spelled(rows, hit, found if self.every else found[:MAX_PROBLEMS])

    def warn(self, rows, hit: Hit) -> None:
        """Record the rows of a hit as warnings: the first MAX_PROBLEMS of them spelled out."""
        found = _hit_rows(rows, hit)
        self.warned_total += len(found)
        self.warned += _spelled(rows, hit, found if self.every else found[:max(0, MAX_PROBLEMS - len(self.warned))])


def _hit_rows(rows, hit: Hit) -> np.ndarray:
    """The positions of the rows a hit is about (among the rows with a value)."""
    mask = np.asarray(hit.mask, dtype=bool)
    if rows.keep is not None:
        mask = mask & rows.keep
    return np.flatnonzero(mask)


def _spelled(rows, hit: Hit, found: np.ndarray) -> list[tuple[int, object]]:
    """(record number, message) of each of these rows of a hit."""
    message = hit.message
    return [(rows.record(int(i)), message(int(i)) if callable(message) else message) for i in found]


# --- the header ------------------------------------------------------------------------------


def check_header(name: str, header: list[str], warnings: list[str]) -> list[str]:
    """The header's names, lower-cased; an unnamed column gets a placeholder name ('\\x00N').
    Raises DataError when a required column is missing or a name appears twice."""
    columns = [h.strip().lower() or f"\x00{i}" for i, h in enumerate(header)]
    problems = []
    missing = [c for c in REQUIRED if c not in columns]
    if "time" not in columns and "place" not in columns:
        missing.append("time (or place)")
    if missing:
        problems.append(
            Problem(name, 1, f"missing column{'s' if len(missing) > 1 else ''}: {', '.join(missing)} "
                    f"(the header must name at least {', '.join(REQUIRED)} and time or place)")
        )
    seen = set()
    for c in columns:
        if c in seen:
            problems.append(Problem(name, 1, f"column '{c}' appears twice"))
        seen.add(c)
    if problems:
        raise DataError(problems)
    unknown = [h for h, c in zip(header, columns) if c not in COLUMNS and not c.startswith("\x00")]
    if unknown:
        warnings.append(f"{name}:1: unknown column{'s' if len(unknown) > 1 else ''} ignored: {', '.join(unknown)}")
    return columns


# --- the rules of a row ------------------------------------------------------------------------


def missing_values(c: Cells) -> list[Hit]:
    hits = []
    for col in REQUIRED:
        if col in NORMALISE:
            mask = c.of(col, facts.normalised(c.columns[col]) == "")
        else:
            mask = c.equals(col, "")
        hits.append(Hit(mask, f"missing {col}"))
    hits.append(Hit(c.equals("time", "") & c.equals("place", ""), "missing time (and no place)"))
    return hits


def bad_date(c: Cells) -> list[Hit]:
    _, problem = facts.dates(c.columns["date"])
    if not problem.any():
        return []
    rows = c.of("date", problem)
    return [
        Hit(rows == 1, lambda i: f"date {shown(c.text('date', i))} is not a date as YYYY-MM-DD"),
        Hit(rows == 2, lambda i: f"date {shown(c.text('date', i))} is not a race date "
            f"(a date from {FIRST_YEAR} to {last_year()})"),
    ]


def bad_mark(c: Cells) -> list[Hit]:
    bad = facts.marks(c.columns["time"])[3]
    is_bad = bad != None  # noqa: E711 - an object array of messages
    if not is_bad.any():
        return []
    return [Hit(c.of("time", is_bad), lambda i: bad[c.codes("time")[i]])]


def bad_place(c: Cells) -> list[Hit]:
    """A place is a whole number from 1, not absurdly large, and a non-finisher has none."""
    _, bad, too_big = facts.places(c.columns["place"])
    status = facts.marks(c.columns["time"])[2]
    hits = []
    if bad.any():
        hits.append(Hit(c.of("place", bad), lambda i: f"place {shown(c.text('place', i))} is not a whole number from 1"))
    if too_big.any():
        hits.append(Hit(c.of("place", too_big),
                        lambda i: f"place {shown(c.text('place', i))} is too large (more than {MAX_PLACE:,})"))
    if status.any():
        from miler.marks import STATUS_CODES

        stopped = np.flatnonzero(c.of("time", status != 0))  # DNF, DNS, DQ: few rows
        empty = c.columns["place"].code_of("")
        placed_of = ~(bad | too_big)
        if empty >= 0:
            placed_of[empty] = False
        wrong = np.zeros(c.size, dtype=bool)
        wrong[stopped[placed_of[c.codes("place")[stopped]]]] = True
        hits.append(Hit(wrong, lambda i: f"{STATUS_CODES[status[c.codes('time')[i]]]} with a place "
                        f"({c.text('place', i)}): a non-finisher has no place"))
    return hits


def bad_starters(c: Cells) -> list[Hit]:
    _, bad = facts.starters(c.columns["starters"])
    if not bad.any():
        return []
    return [Hit(c.of("starters", bad), lambda i: f"starters {shown(c.text('starters', i))} is not a whole number "
                f"from 1 to {MAX_PLACE:,}")]


def bad_indoor(c: Cells) -> list[Hit]:
    ok = facts.flags(c.columns["indoor"])
    if ok.all():
        return []
    return [Hit(c.of("indoor", ~ok), lambda i: f"indoor {shown(c.text('indoor', i))} is not true or false")]


def bad_level(c: Cells) -> list[Hit]:
    level = facts.normalised(c.columns["level"])
    ok = np.isin(level, LEVELS)
    if ok.all():
        return []
    return [Hit(c.of("level", ~ok), lambda i: f"level {shown(level[c.codes('level')[i]])} is not one of "
                f"{', '.join(LEVELS)}")]


def bad_sex(c: Cells) -> list[Hit]:
    sex = facts.normalised(c.columns["sex"])
    ok = np.isin(sex, SEXES + ("",))
    if ok.all():
        return []
    return [Hit(c.of("sex", ~ok), lambda i: f"sex {shown(sex[c.codes('sex')[i]])} is not M or W (men, women)")]


def implausible_mark(c: Cells) -> list[Hit]:
    """A mark impossible for its event: each (event, time) pair judged once."""
    event = facts.normalised(c.columns["event"])
    bounds = [plausible_range(e) or (0.0, float("inf")) for e in event]
    fastest = np.array([b[0] for b in bounds], dtype=np.float64)
    slowest = np.array([b[1] for b in bounds], dtype=np.float64)
    seconds = facts.marks(c.columns["time"])[0]
    if len(fastest) * len(seconds) <= PAIRS:
        with np.errstate(invalid="ignore"):
            table = (seconds[None, :] < fastest[:, None]) | (seconds[None, :] > slowest[:, None])
        if not table.any():
            return []
        where = c.codes("event").astype(np.int32) * np.int32(len(seconds))
        where += c.codes("time")
        implausible = table.ravel()[where]
    else:  # many events and many times: row by row
        secs = c.of("time", seconds)
        with np.errstate(invalid="ignore"):
            implausible = (secs < c.of("event", fastest)) | (secs > c.of("event", slowest))
    if not implausible.any():
        return []
    return [Hit(implausible, lambda i: f"time {c.text('time', i)}: "
                f"{check_plausible(event[c.codes('event')[i]], seconds[c.codes('time')[i]])}")]


def faster_than_record(c: Cells) -> list[Hit]:
    """A mark faster than its event's world record, but not beyond belief: a warning (records
    fall; a dataset holding a new one must load)."""
    event = facts.normalised(c.columns["event"])
    record = np.array([WORLD_RECORDS.get(e, np.nan) for e in event], dtype=np.float64)
    seconds = facts.marks(c.columns["time"])[0]
    if np.isnan(record).all() or not (seconds < np.nanmax(record)).any():
        return []
    # the fastest plausible mark of an event with a record (marks.plausible_range) lies inside it
    fastest = np.array([plausible_range(e)[0] if e in WORLD_RECORDS else np.nan for e in event])
    secs = c.of("time", seconds)
    with np.errstate(invalid="ignore"):
        beyond = (secs < c.of("event", record)) & (secs >= c.of("event", fastest))
    if not beyond.any():
        return []
    return [Hit(beyond, lambda i: f"time {c.text('time', i)}: "
                f"{beyond_record(event[c.codes('event')[i]], seconds[c.codes('time')[i]])}")]


# In the order their problems are listed for a row.
ROW_RULES = (missing_values, bad_date, bad_mark, bad_place, bad_starters, bad_indoor, bad_level, bad_sex,
             implausible_mark)
# Rules whose rows are kept, with a warning.
WARNING_RULES = (faster_than_record,)


def check_cells(c: Cells, found: Found) -> None:
    """Every row rule over a range of rows, in order; found gains their hits (and warnings)."""
    for rule in ROW_RULES:
        for hit in rule(c):
            found.flag(c, hit)
    for rule in WARNING_RULES:
        for hit in rule(c):
            found.warn(c, hit)


def nul_bytes(c: Cells) -> int | None:
    """The first row with a NUL byte in any cell (of any column), or None."""
    first = None
    for column in c.columns.values():
        nul = facts.has_nul(column)
        if nul.any():
            rows = np.flatnonzero(c.of(column.name, nul))
            if len(rows) and (first is None or rows[0] < first):
                first = int(rows[0])
    return first


# --- the rules of a race (over the whole file) -----------------------------------------------


def athlete_twice(r: Races) -> list[Hit]:
    """An athlete appears once in a race; the message names the line of the first row too."""
    if not r.size:
        return []
    key = r.race.astype(np.int64)
    key *= int(r.athlete.max()) + 1
    key += r.athlete
    ordered = np.sort(key, kind="stable")  # nearly sorted when rows come race by race
    if not (ordered[1:] == ordered[:-1]).any():
        return []
    del ordered
    import pandas as pd

    dup = pd.Series(key).duplicated(keep="first").to_numpy() & (r.athlete != r.athlete_blank)
    if not dup.any():
        return []

    def message(i):
        first = int(np.flatnonzero(key == key[i])[0])
        return ("DUP", r.record(first), f"{r.text('athlete', i)} appears twice in one race")

    return [Hit(dup, message)]


def places_against_times(r: Races) -> list[Hit]:
    """Within a race a better place may not have a slower time, nor an equal place another time."""
    ok = ~np.isnan(r.place) & ~np.isnan(r.seconds)
    if r.dated is not None:  # a row with no date is in no race here
        ok &= r.dated
    if not ok.any():
        return []
    pos = np.flatnonzero(ok).astype(np.int32)
    race, place, secs = r.race[pos], r.place[pos], r.seconds[pos]
    same = race[1:] == race[:-1]
    in_order = (place[1:] > place[:-1]) | ((place[1:] == place[:-1]) & (secs[1:] >= secs[:-1]))
    if not (r.grouped and (~same | in_order).all()):  # else the file's order is the sorted one
        order = np.lexsort((secs, place, race))  # stable: ties keep the file's order
        pos, race, place, secs = pos[order], race[order], place[order], secs[order]
        same = race[1:] == race[:-1]
    faster = same & (place[1:] > place[:-1]) & (secs[1:] < secs[:-1] - 1e-9)
    tied = same & (place[1:] == place[:-1]) & (np.abs(secs[1:] - secs[:-1]) > 1e-9)
    bad = faster | tied
    if not bad.any():
        return []
    wrong = np.zeros(r.size, dtype=bool)
    wrong[pos[1:][bad]] = True
    return [Hit(wrong, lambda i: f"place {int(r.place[i])} disagrees with the times: "
                f"{r.text('time', i)} is not behind the athlete placed ahead in this race")]


def starters_of_race(r: Races) -> list[Hit]:
    """starters, where given, is one number per race, and no smaller than the race's rows."""
    if r.starters is None:
        return []
    given = ~np.isnan(r.starters)
    if r.dated is not None:
        given &= r.dated
    if not given.any():
        return []
    import pandas as pd

    per_race = pd.Series(r.starters).groupby(r.race)
    differ = given & (per_race.transform("min").to_numpy() != per_race.transform("max").to_numpy())
    rows = np.bincount(r.race, minlength=r.races)[r.race]
    fewer = given & ~differ & (r.starters < rows)
    return [
        Hit(differ, lambda i: f"starters {int(r.starters[i])} differs from another row of this race"),
        Hit(fewer, lambda i: f"starters {int(r.starters[i])} is fewer than the race's {rows[i]} rows"),
    ]


RACE_RULES = (athlete_twice, places_against_times, starters_of_race)


def check_races(r: Races, found: Found) -> None:
    """Every race rule over a block of whole races, in order; found gains their hits."""
    for rule in RACE_RULES:
        for hit in rule(r):
            found.flag(r, hit)
