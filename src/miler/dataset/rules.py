"""The validation rules of a races file, one function per rule.

A row rule looks at one chunk of rows, as parsed by ``parse`` (text columns are Categoricals,
so a rule runs once per distinct value and is spread to the rows by code), and returns its
hits: where the rule fails, and the message for each such row. A race rule does the same over
the whole file, once every chunk is typed. ``check_header`` is the rule of the first line.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from miler.dataset.write import unguard_cell
from miler.errors import DataError, Problem
from miler.marks import MarkError, check_plausible, normalise_event, parse_many, plausible_range, shown
from miler.schema import COLUMNS, LEVELS, RACE_KEY, REQUIRED, SEXES, sex_code

MAX_PROBLEMS = 50
MAX_PLACE = 100_000
TRUE = {"true", "t", "yes", "y", "1", "indoor", "i"}
FALSE = {"false", "f", "no", "n", "0", "outdoor", ""}


@dataclass(frozen=True)
class Hit:
    """Rows that break a rule (a boolean mask over the frame) and what to say of each."""

    mask: np.ndarray | pd.Series
    message: str | Callable[[int], str]  # a callable gets the row's position


class Found:
    """Problems found so far, as (record number, message); the total counts every one."""

    def __init__(self) -> None:
        self.items: list[tuple[int, object]] = []
        self.total = 0

    def flag(self, df: pd.DataFrame, hit: Hit) -> None:
        """Record the rows of a hit; only the first MAX_PROBLEMS of a rule are spelled out."""
        rows = np.asarray(hit.mask, dtype=bool).nonzero()[0]
        self.total += len(rows)
        for i in rows[:MAX_PROBLEMS]:
            message = hit.message
            self.items.append((int(df.index[i]), message(int(i)) if callable(message) else message))


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


# --- parsing a chunk ---------------------------------------------------------------------------


class MarkCache:
    """Each distinct time cell parsed once over the whole file: seconds (NaN for none),
    decimals, status, problem."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}
        self.decimals: dict[str, int] = {}
        self.status: dict[str, str] = {}
        self.bad: dict[str, str] = {}

    def add(self, texts) -> None:
        new = [t for t in texts if t not in self.seconds]
        for t in new:
            self.seconds[t], self.decimals[t], self.status[t] = float("nan"), 0, ""
        for t, mk in parse_many(t for t in new if t != "").items():
            if isinstance(mk, MarkError):
                self.bad[t] = str(mk)
            else:
                self.seconds[t] = float("nan") if mk.seconds is None else mk.seconds
                self.decimals[t], self.status[t] = mk.decimals, mk.status


@dataclass
class Parsed:
    """What parsing a chunk found, beside its cleaned text cells: the values the rules check."""

    dates: pd.Series  # datetime64, NaT where the cell is no date
    seconds: pd.Series  # float64, NaN for a status or a bad mark
    status: pd.Categorical  # "" for a performance, else DNF / DNS / DQ
    decimals: np.ndarray  # int8
    bad_marks: np.ndarray | None  # bool: the time cell is no mark (None: none is bad)
    place: pd.Series  # float64 of the place cells, NaN where not a number
    starters: pd.Series  # float64 likewise
    indoor: pd.Categorical  # the indoor cells, lower-cased


def text_cells(raw: pd.DataFrame) -> pd.DataFrame:
    """COLUMNS of a raw chunk as cleaned Categoricals (spaces trimmed, the formula guard
    undone; missing columns empty), without rows that hold no value at all."""
    cols = {}
    empty = np.ones(len(raw), dtype=bool)
    clean = raw.attrs.get("clean", False)
    for c in COLUMNS:
        if c in raw.columns:
            cols[c] = categorical(raw[c]) if clean else recode(categorical(raw[c]), _clean_cell)
            empty &= equals(cols[c], "")
        else:
            cols[c] = pd.Categorical.from_codes(np.zeros(len(raw), dtype=np.int8), categories=pd.Index([""], dtype="str"))
    df = pd.DataFrame(cols, index=raw.index)
    return df[~empty] if empty.any() else df


def parse(df: pd.DataFrame, marks: MarkCache) -> Parsed:
    """Parse the typed columns of a chunk of text cells (normalising event, level and round
    in place); nothing is judged here: the rules do that."""
    date_cat = df["date"].array
    parsed = pd.to_datetime(pd.Index(date_cat.categories, dtype=object), format="%Y-%m-%d", errors="coerce")
    dates = pd.Series(parsed.take(date_cat.codes), index=df.index)

    time_cat = df["time"].array
    values = time_cat.categories
    marks.add(values)
    codes = time_cat.codes
    seconds = pd.Series(np.array([marks.seconds[t] for t in values], dtype="float64")[codes], index=df.index)
    bad = np.array([t in marks.bad for t in values], dtype=bool)[codes] if marks.bad else None

    df["event"] = recode(df["event"].array, normalise_event)
    df["level"] = recode(df["level"].array, lambda v: v.lower() or "other")
    df["round"] = recode(df["round"].array, lambda v: v.lower() or "final")
    df["sex"] = recode(df["sex"].array, lambda v: sex_code(v) if sex_code(v) is not None else v)
    return Parsed(
        dates=dates,
        seconds=seconds,
        status=recode(time_cat, marks.status.__getitem__),
        decimals=np.array([marks.decimals[t] for t in values], dtype="int8")[codes],
        bad_marks=bad,
        place=_numbers(df["place"]),
        starters=_numbers(df["starters"]),
        indoor=recode(df["indoor"].array, str.lower),
    )


def _numbers(cells: pd.Series) -> pd.Series:
    cat = cells.array
    numbers = pd.to_numeric(pd.Series(cat.categories, dtype=object), errors="coerce").to_numpy(dtype="float64")
    return pd.Series(numbers[cat.codes], index=cells.index)


# --- the rules of a row ------------------------------------------------------------------------


def missing_values(df: pd.DataFrame, p: Parsed, marks: MarkCache) -> list[Hit]:
    hits = [Hit(df[c] == "", f"missing {c}") for c in REQUIRED]
    hits.append(Hit((df["time"] == "") & (df["place"] == ""), "missing time (and no place)"))
    return hits


def bad_date(df: pd.DataFrame, p: Parsed, marks: MarkCache) -> list[Hit]:
    return [Hit(p.dates.isna() & (df["date"] != ""),
                lambda i: f"date {shown(df['date'].iat[i])} is not a date as YYYY-MM-DD")]


def bad_mark(df: pd.DataFrame, p: Parsed, marks: MarkCache) -> list[Hit]:
    if p.bad_marks is None:
        return []
    return [Hit(p.bad_marks, lambda i: marks.bad[df["time"].iat[i]])]


def bad_place(df: pd.DataFrame, p: Parsed, marks: MarkCache) -> list[Hit]:
    """A place is a whole number from 1, not absurdly large, and a non-finisher has none."""
    place = p.place
    bad = (df["place"] != "") & (place.isna() | (place < 1) | (place % 1 != 0))
    too_big = ~bad & (place > MAX_PLACE)
    placed = (df["place"] != "") & ~bad & ~too_big
    return [
        Hit(bad, lambda i: f"place {shown(df['place'].iat[i])} is not a whole number from 1"),
        Hit(too_big, lambda i: f"place {shown(df['place'].iat[i])} is too large (more than {MAX_PLACE:,})"),
        Hit(pd.Series(p.status != "", index=df.index) & placed,
            lambda i: f"{p.status[i]} with a place ({df['place'].iat[i]}): a non-finisher has no place"),
    ]


def bad_starters(df: pd.DataFrame, p: Parsed, marks: MarkCache) -> list[Hit]:
    n = p.starters
    bad = (df["starters"] != "") & (n.isna() | (n < 1) | (n % 1 != 0) | (n > MAX_PLACE))
    return [Hit(bad, lambda i: f"starters {shown(df['starters'].iat[i])} is not a whole number from 1 "
                f"to {MAX_PLACE:,}")]


def bad_indoor(df: pd.DataFrame, p: Parsed, marks: MarkCache) -> list[Hit]:
    return [Hit(~pd.Series(p.indoor, index=df.index).isin(TRUE | FALSE),
                lambda i: f"indoor {shown(df['indoor'].iat[i])} is not true or false")]


def bad_level(df: pd.DataFrame, p: Parsed, marks: MarkCache) -> list[Hit]:
    return [Hit(~df["level"].isin(LEVELS),
                lambda i: f"level {shown(df['level'].iat[i])} is not one of {', '.join(LEVELS)}")]


def bad_sex(df: pd.DataFrame, p: Parsed, marks: MarkCache) -> list[Hit]:
    return [Hit(~df["sex"].isin(SEXES + ("",)),
                lambda i: f"sex {shown(df['sex'].iat[i])} is not M or W (men, women)")]


def implausible_mark(df: pd.DataFrame, p: Parsed, marks: MarkCache) -> list[Hit]:
    """A mark impossible for its event: bounds per event, compared row by row."""
    event_cat = df["event"].array
    bounds = [plausible_range(e) or (0.0, float("inf")) for e in event_cat.categories]
    fastest = np.array([b[0] for b in bounds] + [0.0])[event_cat.codes]
    slowest = np.array([b[1] for b in bounds] + [float("inf")])[event_cat.codes]
    secs = p.seconds.to_numpy()
    with np.errstate(invalid="ignore"):
        implausible = (secs < fastest) | (secs > slowest)
    if not implausible.any():
        return []
    return [Hit(implausible, lambda i: f"time {df['time'].iat[i]}: {check_plausible(df['event'].iat[i], secs[i])}")]


# In the order their problems are listed for a row.
ROW_RULES = (missing_values, bad_date, bad_mark, bad_place, bad_starters, bad_indoor, bad_level, bad_sex,
             implausible_mark)


def typed(df: pd.DataFrame, p: Parsed) -> pd.DataFrame:
    """The chunk with its typed columns, once the rules have run."""
    bad_place = (df["place"] != "") & (p.place.isna() | (p.place < 1) | (p.place % 1 != 0) | (p.place > MAX_PLACE))
    n = p.starters
    bad_starters = (df["starters"] != "") & (n.isna() | (n < 1) | (n % 1 != 0) | (n > MAX_PLACE))
    df["date"] = p.dates
    df["place"] = p.place.where(~bad_place).astype("Int64")
    df["starters"] = n.where(~bad_starters).astype("Int64")
    df["indoor"] = np.isin(p.indoor, list(TRUE)).astype(bool)
    df["seconds"] = p.seconds
    df["status"] = p.status
    df["decimals"] = p.decimals
    return df


# --- the rules of a race (over the whole file) -----------------------------------------------


def athlete_twice(df: pd.DataFrame) -> list[Hit]:
    """An athlete appears once in a race; the message names the line of the first row too."""
    dup = df.duplicated(subset=RACE_KEY + ["athlete"], keep="first") & (df["athlete"] != "")
    if not dup.any():
        return []
    both = df.duplicated(subset=RACE_KEY + ["athlete"], keep=False)
    keyed = df.loc[both, RACE_KEY + ["athlete"]].copy()
    keyed["_record"] = keyed.index
    firsts = keyed.groupby(RACE_KEY + ["athlete"], dropna=False, observed=True)["_record"].transform("first")
    first_record = dict(zip(keyed["_record"], firsts))
    return [Hit(dup, lambda i: ("DUP", first_record[df.index[i]], f"{df['athlete'].iat[i]} appears twice in one race"))]


def places_against_times(df: pd.DataFrame) -> list[Hit]:
    """Within a race a better place may not have a slower time, nor an equal place another time."""
    ok = df["place"].notna() & df["seconds"].notna()
    if not ok.any():
        return []
    sub = df.loc[ok, RACE_KEY + ["place", "seconds"]].copy()
    sub["_pos"] = ok.to_numpy().nonzero()[0]
    sub = sub.sort_values(RACE_KEY + ["place", "seconds"], kind="stable")
    same = (sub[RACE_KEY] == sub[RACE_KEY].shift()).all(axis=1)
    prev_place, prev_secs = sub["place"].shift(), sub["seconds"].shift()
    faster = same & (sub["place"] > prev_place) & (sub["seconds"] < prev_secs - 1e-9)
    tied = same & (sub["place"] == prev_place) & ((sub["seconds"] - prev_secs).abs() > 1e-9)
    wrong = np.zeros(len(df), dtype=bool)
    wrong[sub.loc[(faster | tied).fillna(False).astype(bool), "_pos"].to_numpy()] = True
    return [Hit(wrong, lambda i: f"place {df['place'].iat[i]} disagrees with the times: "
                f"{df['time'].iat[i]} is not behind the athlete placed ahead in this race")]


def starters_of_race(df: pd.DataFrame) -> list[Hit]:
    """starters, where given, is one number per race, and no smaller than the race's rows."""
    given = df["starters"].notna()
    if not given.any():
        return []
    keys = [df[c] for c in RACE_KEY]
    per_race = df["starters"].astype("float64").groupby(keys, observed=True)
    differ = given & (per_race.transform("min") != per_race.transform("max"))
    rows = df["athlete"].groupby(keys, observed=True).transform("size")
    fewer = given & ~differ & (df["starters"].astype("float64") < rows)
    return [
        Hit(differ, lambda i: f"starters {df['starters'].iat[i]} differs from another row of this race"),
        Hit(fewer, lambda i: f"starters {df['starters'].iat[i]} is fewer than the race's {rows.iat[i]} rows"),
    ]


RACE_RULES = (athlete_twice, places_against_times, starters_of_race)


# --- Categorical helpers ---------------------------------------------------------------------


def _clean_cell(value: str) -> str:
    """A cell without surrounding spaces or the formula guard (see miler.dataset.write)."""
    return unguard_cell(value).strip()


def categorical(cells: pd.Series) -> pd.Categorical:
    if isinstance(cells.dtype, pd.CategoricalDtype):
        return cells.array
    return pd.Categorical(cells.fillna(""))


def equals(cat: pd.Categorical, value: str) -> np.ndarray:
    where = np.flatnonzero(cat.categories == value) if len(cat.categories) else []
    if not len(where):
        return np.zeros(len(cat), dtype=bool)
    return np.asarray(cat.codes == where[0])


def recode(cat: pd.Categorical, func) -> pd.Categorical:
    """func applied to each distinct value of a Categorical; values that become equal merge."""
    values = cat.categories.to_numpy(dtype=object)
    codes = np.asarray(cat.codes)
    new = [func(v) for v in values]
    if (codes < 0).any():  # a missing cell is an empty one
        new.append(func(""))
        codes = np.where(codes < 0, len(values), codes)
    elif new == list(values):
        return cat
    new_codes, merged = pd.factorize(np.array(new, dtype=object))
    return pd.Categorical.from_codes(new_codes[codes], categories=pd.Index(merged, dtype="str"), validate=False)
