"""The validation rules of a races file, one function per rule.

Cells are held as codes (see miler.dataset.coded): each column's distinct values and one
integer per row. A row rule looks at a range of rows (``Cells``): it judges each distinct value
once (a million rows hold a few thousand dates) and spreads the verdict to the rows by code,
returning its hits: where the rule fails, and the message for each such row. A race rule does
the same over the whole file (``Races``), once every range is checked; its fast paths assume
nothing: rows already grouped by race, or already in order of place, only make it quicker.
``check_header`` is the rule of the first line.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from miler.errors import DataError, Problem
from miler.marks import check_plausible, normalise_event, plausible_range, shown
from miler.schema import COLUMNS, LEVELS, REQUIRED, SEXES, sex_code

if TYPE_CHECKING:
    import pyarrow as pa

MAX_PROBLEMS = 50
MAX_PLACE = 100_000
FIRST_YEAR = 1896  # the first modern Olympic Games: no race in a results file is older
TRUE = {"true", "t", "yes", "y", "1", "indoor", "i"}
FALSE = {"false", "f", "no", "n", "0", "outdoor", ""}
NAT = np.iinfo(np.int64).min  # days of a cell that is no date
PAIRS = 1 << 24  # implausible_mark judges every (event, time) pair when there are no more
RACE_BLOCK = 1 << 18  # race rules look at this many rows at a time (whole races)


def last_year() -> int:
    """The latest year a race date may have: next year (a season's calendar is published ahead)."""
    return dt.date.today().year + 1


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

    def flag(self, rows, hit: Hit) -> None:
        """Record the rows of a hit; only the first MAX_PROBLEMS of a rule are spelled out.
        rows is the Cells or Races the hit is about (it knows each row's record number)."""
        mask = np.asarray(hit.mask, dtype=bool)
        if rows.keep is not None:
            mask = mask & rows.keep
        found = np.flatnonzero(mask)
        self.total += len(found)
        for i in found if self.every else found[:MAX_PROBLEMS]:
            message = hit.message
            self.items.append((rows.record(int(i)), message(int(i)) if callable(message) else message))


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


# --- cells as codes ----------------------------------------------------------------------------


class Column:
    """One column of a file being read: its distinct (cleaned) values in order of first
    appearance, each record's code, and facts about the values computed once for each."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.values: pa.Array | None = None
        self.parts: list[tuple[int, np.ndarray]] = []  # (first record, codes) of each chunk
        self._facts: dict[str, tuple[int, object]] = {}
        self._list: list[str] = []

    def __len__(self) -> int:
        return 0 if self.values is None else len(self.values)

    def add(self, start: int, values: pa.Array, codes: np.ndarray) -> None:
        """Add a chunk: its distinct values (which may repeat: cleaning can make two equal)
        and a code into them for each of its records."""
        import pyarrow as pa
        import pyarrow.compute as pc

        values = values.cast(pa.string()) if values.type != pa.string() else values
        if self.values is None or not len(self.values):
            encoded = pc.dictionary_encode(values)
            if len(encoded.dictionary) != len(values):
                codes = encoded.indices.to_numpy(zero_copy_only=False)[codes]
            self.values = encoded.dictionary
        elif len(values):
            found = pc.index_in(values, value_set=self.values)
            known = found.is_valid().to_numpy(zero_copy_only=False)
            trans = np.asarray(found.fill_null(0).to_numpy(zero_copy_only=False), dtype=np.int64)
            if not known.all():
                fresh = pc.dictionary_encode(values.filter(pa.array(~known)))
                trans[~known] = len(self.values) + fresh.indices.to_numpy(zero_copy_only=False)
                self.values = pa.concat_arrays([self.values, fresh.dictionary])
            if not (known.all() and np.array_equal(trans, np.arange(len(trans)))):
                codes = trans[codes]
        self.parts.append((start, codes))

    def codes(self, start: int, stop: int) -> np.ndarray:
        """The codes of records start..stop (within one chunk)."""
        for first, codes in reversed(self.parts):
            if first <= start:
                return codes[start - first : stop - first]
        raise IndexError(start)

    def text(self, code: int) -> str:
        if len(self._list) < len(self):
            self._list = self.values.to_pylist()
        return self._list[code]

    def code_of(self, value: str) -> int:
        """The code of a value, -1 when no record holds it."""
        import pyarrow as pa
        import pyarrow.compute as pc

        if not len(self):
            return -1
        return pc.index(self.values, pa.scalar(value, pa.string())).as_py()

    def fact(self, key: str, func: Callable):
        """func(values) -> one array (or a tuple of arrays) with an entry per value; computed
        for each value once, however many chunks bring new ones."""
        have = self._facts.get(key)
        n = len(self)
        if have is not None and have[0] == n:
            return have[1]
        done = 0 if have is None else have[0]
        new = func(self.values.slice(done)) if self.values is not None else func(_empty())
        if have is not None:
            new = (tuple(np.concatenate([a, b]) for a, b in zip(have[1], new)) if isinstance(new, tuple)
                   else np.concatenate([have[1], new]))
        self._facts[key] = (n, new)
        return new

    def finish(self, keep: np.ndarray | None, release: bool = True) -> np.ndarray:
        """Every record's code as one array of the narrowest type, without dropped records
        (release: the chunks' codes are let go)."""
        from miler.dataset.coded import code_dtype

        parts = [c for _, c in self.parts]
        dtype = code_dtype(len(self))
        codes = parts[0].astype(dtype, copy=False) if len(parts) == 1 else np.concatenate(parts).astype(dtype)
        if release:
            self.parts = []
        return codes if keep is None else codes[keep]


def _empty():
    import pyarrow as pa

    return pa.array([], type=pa.string())


class Cells:
    """Records start..stop of a file being read: codes per column, facts per value."""

    def __init__(self, columns: dict[str, Column], start: int, stop: int) -> None:
        self.columns = columns
        self.start, self.stop = start, stop
        self.size = stop - start
        self._codes: dict[str, np.ndarray] = {}
        self.keep = self._non_empty()

    def codes(self, name: str) -> np.ndarray:
        if name not in self._codes:
            self._codes[name] = self.columns[name].codes(self.start, self.stop)
        return self._codes[name]

    def record(self, i: int) -> int:
        return self.start + i

    def text(self, name: str, i: int) -> str:
        return self.columns[name].text(int(self.codes(name)[i]))

    def of(self, name: str, per_value: np.ndarray) -> np.ndarray:
        """A fact of each value spread to the rows."""
        return per_value[self.codes(name)]

    def equals(self, name: str, value: str) -> np.ndarray:
        code = self.columns[name].code_of(value)
        if code < 0:
            return np.zeros(self.size, dtype=bool)
        return self.codes(name) == code

    def _non_empty(self) -> np.ndarray | None:
        """Rows holding some value (a spreadsheet's row of empty cells ",,,," is dropped);
        None when every row does."""
        empty = None
        for c in COLUMNS:
            code = self.columns[c].code_of("")
            if code < 0:
                return None
            this = self.codes(c) == code
            empty = this if empty is None else empty & this
            if not empty.any():
                return None
        return ~empty


# --- facts about values --------------------------------------------------------------------------


def iso_days(values: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """Days since 1970 of each text that is a date as YYYY-MM-DD in ASCII digits (NAT where
    not), and what is wrong with each: 0 nothing (an empty text too), 1 not a date, 2 a date
    before FIRST_YEAR or after next year."""
    import pyarrow as pa
    import pyarrow.compute as pc

    n = len(values)
    days = np.full(n, NAT, dtype=np.int64)
    problem = np.zeros(n, dtype=np.int8)
    if not n:
        return days, problem
    shaped = pc.match_substring_regex(values, r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$").to_numpy(zero_copy_only=False)
    empty = pc.equal(values, "").to_numpy(zero_copy_only=False)
    problem[~shaped & ~empty] = 1
    if shaped.any():
        sub = values.filter(pa.array(shaped))

        def part(start, length):
            return pc.cast(pc.utf8_slice_codeunits(sub, start, start + length), pa.int64()).to_numpy()

        y, m, d = part(0, 4), part(5, 2), part(8, 2)
        month_ok = (m >= 1) & (m <= 12)
        months = ((y - 1970) * 12 + np.where(month_ok, m, 1) - 1).astype("datetime64[M]")
        first = months.astype("datetime64[D]").astype(np.int64)
        length = (months + 1).astype("datetime64[D]").astype(np.int64) - first
        real = month_ok & (d >= 1) & (d <= length)
        in_range = (y >= FIRST_YEAR) & (y <= last_year())
        where = np.flatnonzero(shaped)
        problem[where[~real]] = 1
        problem[where[real & ~in_range]] = 2
        good = real & in_range
        days[where[good]] = first[good] + d[good] - 1
    return days, problem


def numbers(values: pa.Array) -> np.ndarray:
    """Each text as a number (pandas' to_numeric), NaN where it is none (an empty text too)."""
    import pandas as pd

    return pd.to_numeric(pd.Series(values.to_pylist(), dtype=object), errors="coerce").to_numpy(dtype="float64")


def _marks(values):
    from miler.marks import parse_marks

    table = parse_marks(values)
    bad = np.full(len(values), None, dtype=object)
    for i, message in table.bad.items():
        bad[i] = message
    return table.seconds, table.decimals, table.status, bad


def _mapped(func):
    return lambda values: np.array([func(v) for v in values.to_pylist()], dtype=object)


def _place_facts(values):
    """number (NaN if none), not a whole number from 1, too large; per place text."""
    n = numbers(values)
    given = np.array([v != "" for v in values.to_pylist()], dtype=bool)
    with np.errstate(invalid="ignore"):
        bad = given & (np.isnan(n) | (n < 1) | (n % 1 != 0))
        too_big = ~bad & (n > MAX_PLACE)
    return np.where(bad | too_big, np.nan, n), bad, too_big


def _starter_facts(values):
    n = numbers(values)
    given = np.array([v != "" for v in values.to_pylist()], dtype=bool)
    with np.errstate(invalid="ignore"):
        bad = given & (np.isnan(n) | (n < 1) | (n % 1 != 0) | (n > MAX_PLACE))
    return np.where(bad, np.nan, n), bad


NORMALISE = {
    "event": normalise_event,
    "level": lambda v: v.lower() or "other",
    "round": lambda v: v.lower() or "final",
    "sex": lambda v: sex_code(v) if sex_code(v) is not None else v,
}


def normalised(column: Column) -> np.ndarray:
    """The normalised text of each value of event, level, round or sex (an object array)."""
    return column.fact("norm", _mapped(NORMALISE[column.name]))


def dates(column: Column):
    return column.fact("days", iso_days)


def marks(column: Column):
    """seconds, decimals, status (index into miler.marks.STATUS_CODES), problem (or None)."""
    return column.fact("marks", _marks)


def places(column: Column):
    return column.fact("place", _place_facts)


def starters(column: Column):
    return column.fact("starters", _starter_facts)


def has_nul(column: Column) -> np.ndarray:
    import pyarrow.compute as pc

    return column.fact("nul", lambda v: pc.match_substring(v, "\x00").to_numpy(zero_copy_only=False))


# --- the rules of a row ------------------------------------------------------------------------


def missing_values(c: Cells) -> list[Hit]:
    hits = []
    for col in REQUIRED:
        if col in NORMALISE:
            mask = c.of(col, normalised(c.columns[col]) == "")
        else:
            mask = c.equals(col, "")
        hits.append(Hit(mask, f"missing {col}"))
    hits.append(Hit(c.equals("time", "") & c.equals("place", ""), "missing time (and no place)"))
    return hits


def bad_date(c: Cells) -> list[Hit]:
    _, problem = dates(c.columns["date"])
    if not problem.any():
        return []
    rows = c.of("date", problem)
    return [
        Hit(rows == 1, lambda i: f"date {shown(c.text('date', i))} is not a date as YYYY-MM-DD"),
        Hit(rows == 2, lambda i: f"date {shown(c.text('date', i))} is not a race date "
            f"(a date from {FIRST_YEAR} to {last_year()})"),
    ]


def bad_mark(c: Cells) -> list[Hit]:
    bad = marks(c.columns["time"])[3]
    is_bad = bad != None  # noqa: E711 - an object array of messages
    if not is_bad.any():
        return []
    return [Hit(c.of("time", is_bad), lambda i: bad[c.codes("time")[i]])]


def bad_place(c: Cells) -> list[Hit]:
    """A place is a whole number from 1, not absurdly large, and a non-finisher has none."""
    _, bad, too_big = places(c.columns["place"])
    status = marks(c.columns["time"])[2]
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
    _, bad = starters(c.columns["starters"])
    if not bad.any():
        return []
    return [Hit(c.of("starters", bad), lambda i: f"starters {shown(c.text('starters', i))} is not a whole number "
                f"from 1 to {MAX_PLACE:,}")]


def bad_indoor(c: Cells) -> list[Hit]:
    ok = c.columns["indoor"].fact("indoor", _mapped(lambda v: v.lower() in TRUE | FALSE)).astype(bool)
    if ok.all():
        return []
    return [Hit(c.of("indoor", ~ok), lambda i: f"indoor {shown(c.text('indoor', i))} is not true or false")]


def bad_level(c: Cells) -> list[Hit]:
    level = normalised(c.columns["level"])
    ok = np.isin(level, LEVELS)
    if ok.all():
        return []
    return [Hit(c.of("level", ~ok), lambda i: f"level {shown(level[c.codes('level')[i]])} is not one of "
                f"{', '.join(LEVELS)}")]


def bad_sex(c: Cells) -> list[Hit]:
    sex = normalised(c.columns["sex"])
    ok = np.isin(sex, SEXES + ("",))
    if ok.all():
        return []
    return [Hit(c.of("sex", ~ok), lambda i: f"sex {shown(sex[c.codes('sex')[i]])} is not M or W (men, women)")]


def implausible_mark(c: Cells) -> list[Hit]:
    """A mark impossible for its event: each (event, time) pair judged once."""
    event = normalised(c.columns["event"])
    bounds = [plausible_range(e) or (0.0, float("inf")) for e in event]
    fastest = np.array([b[0] for b in bounds], dtype=np.float64)
    slowest = np.array([b[1] for b in bounds], dtype=np.float64)
    seconds = marks(c.columns["time"])[0]
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


# In the order their problems are listed for a row.
ROW_RULES = (missing_values, bad_date, bad_mark, bad_place, bad_starters, bad_indoor, bad_level, bad_sex,
             implausible_mark)


def nul_bytes(c: Cells) -> int | None:
    """The first row with a NUL byte in any cell (of any column), or None."""
    first = None
    for column in c.columns.values():
        nul = has_nul(column)
        if nul.any():
            rows = np.flatnonzero(c.of(column.name, nul))
            if len(rows) and (first is None or rows[0] < first):
                first = int(rows[0])
    return first


# --- the rules of a race (over the whole file) -----------------------------------------------


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
