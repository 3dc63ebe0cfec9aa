"""Meets: find one from a forgiving query ("paris 2024", "budapest", "bowerman mile"), list them.

A meet is one edition of a competition: the rows sharing a meet name in one calendar year.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from miler.analysis.columns import Table, _category_values, positions, text, values
from miler.analysis.gaps import gaps_of_races
from miler.errors import NotFoundError
from miler.names import fold
from miler.schema import LEVELS, round_rank

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
NOTE_OTHERS = 5  # a note names this many other editions, then how many more


@dataclass(frozen=True)
class MeetChoice:
    meet: str
    year: int
    others: tuple[str, ...] = ()  # the other editions the query fits, latest first

    @property
    def label(self) -> str:
        return f"{self.meet} {self.year}"

    @property
    def note(self) -> str:
        if not self.others:
            return ""
        shown = ", ".join(self.others[:NOTE_OTHERS])
        more = len(self.others) - NOTE_OTHERS
        return f"note: taking {self.label}; also matches {shown}" + (f" and {more} more" if more > 0 else "")


TABLE_COLUMNS = ("meet", "year", "city", "country", "level", "first", "last", "races", "athletes")


def _codes(races: pd.DataFrame, column: str) -> tuple[np.ndarray, np.ndarray]:
    """A text column as (codes of every row, the distinct values as an object array)."""
    arr = races[column].array
    if isinstance(arr, pd.Categorical):
        return arr.codes.astype("int64"), _category_values(arr.categories)
    found, codes = np.unique(values(races, column), return_inverse=True)
    return codes.astype("int64"), found


def _editions(races: pd.DataFrame) -> dict[str, np.ndarray]:
    """The meet editions (a meet's rows in one calendar year), oldest first: the columns of
    meet_table, and "row", each row's edition (its position in that order)."""
    races = Table.of(races)
    meet_codes, meet_names = _codes(races, "meet")
    dates = values(races, "date")
    years = dates.astype("datetime64[Y]").astype("int64") + 1970
    keys, edition = np.unique(meet_codes * 10_000 + years, return_inverse=True)
    n = len(keys)
    first_row = np.full(n, len(races), dtype=np.intp)
    np.minimum.at(first_row, edition, np.arange(len(races)))
    first = np.full(n, dates.max(), dtype=dates.dtype)
    last = np.full(n, dates.min(), dtype=dates.dtype)
    np.minimum.at(first, edition, dates)
    np.maximum.at(last, edition, dates)
    out = {
        "meet": meet_names[keys // 10_000], "year": (keys % 10_000).astype("int32"),
        "city": text(races, "city", first_row), "country": text(races, "country", first_row),
        "level": text(races, "level", first_row), "first": first, "last": last,
        "races": _distinct_per(edition, races["race_id"].to_numpy(), n).astype("int64"),
        "athletes": _distinct_per(edition, _codes(races, "athlete")[0], n).astype("int64"),
    }  # fmt: skip
    order = np.lexsort((out["meet"], first))
    out = {k: v[order] for k, v in out.items()}
    out["row"] = np.argsort(order)[edition]
    return out


def _distinct_per(group: np.ndarray, thing: np.ndarray, n: int) -> np.ndarray:
    """How many distinct things each group holds."""
    width = int(thing.max(initial=0)) + 1
    pairs = np.unique(group.astype("int64") * width + thing.astype("int64"))
    return np.bincount(pairs // width, minlength=n)


def meet_table(races: pd.DataFrame) -> pd.DataFrame:
    """One row per meet edition: meet, year, city, country, level, first, last, races, athletes."""
    if races.empty:
        return pd.DataFrame({c: pd.Series(dtype="object") for c in TABLE_COLUMNS})
    editions = _editions(races)
    return pd.DataFrame({c: editions[c] for c in TABLE_COLUMNS})


@functools.lru_cache(maxsize=4096)
def _folded(text: str) -> str:
    return fold(text)


def _fits(editions: dict[str, np.ndarray], races: pd.DataFrame, words: list[str]) -> np.ndarray:
    """Which meet editions a query fits: every word starts a word of the edition's name, city,
    country, level, year or aliases, or of an event it held ("bowerman mile"). Each distinct
    value is folded and tested once, not each edition's."""
    n = len(editions["meet"])
    event_codes, event_names = _codes(races, "event")
    width = len(event_names) + 1
    pairs = np.unique(editions["row"].astype("int64") * width + event_codes)
    held_by, held = pairs // width, pairs % width  # (edition, event) pairs
    said = []  # (the words of each distinct value, folded; each edition's value) per field
    for c in ("meet", "city", "country", "level"):
        names, of = np.unique(editions[c].astype(str), return_inverse=True)
        said.append(([" " + _folded(x) + (" " + _folded(ALIASES[x]) if c == "meet" and x in ALIASES else "")
                      for x in names.tolist()], of))
    years, year_of = np.unique(editions["year"], return_inverse=True)
    said.append(([" " + str(y) for y in years.tolist()], year_of))
    events = [" " + _folded(e) for e in event_names.tolist()] + [""]
    tokyo_2020 = (editions["level"] == "olympics") & (editions["year"] == 2021)  # Tokyo 2020, held in 2021
    fits = np.ones(n, dtype=bool)
    for w in words:
        start = " " + w
        hit = tokyo_2020 & "2020".startswith(w)
        for texts, of in said:
            hit |= np.array([start in x for x in texts], dtype=bool)[of]
        ran = np.array([start in e for e in events], dtype=bool)
        hit[held_by[ran[held]]] = True
        fits &= hit
    return fits


def find_meet(races: pd.DataFrame, query: str) -> MeetChoice:
    """The meet a query names. Every word must start a word of the meet's name, city, country,
    year or aliases (or an event it held: 'bowerman mile'). Where several editions fit, the
    latest is taken, and the choice names the others."""
    races = Table.of(races)
    words = fold(query).split()
    if not words:
        raise NotFoundError("a meet query is empty")
    editions = _editions(races) if len(races) else {c: np.array([]) for c in (*TABLE_COLUMNS, "row")}
    hits = np.flatnonzero(_fits(editions, races, words)) if len(races) else np.array([], dtype=np.intp)
    if not len(hits):
        raise NotFoundError(f"no meet matches '{query}' (try `miler meets` to see them all)")
    rank = {lvl: i for i, lvl in enumerate(LEVELS)}
    meet, year, level = editions["meet"], editions["year"], editions["level"]
    order = sorted(hits.tolist(), key=lambda i: (editions["last"][i], editions["first"][i],
                                                 -rank.get(level[i], len(LEVELS))), reverse=True)
    labels = [f"{meet[i]} {year[i]}" for i in order]
    return MeetChoice(str(meet[order[0]]), int(year[order[0]]), tuple(labels[1:]))


def meet_rows(races: pd.DataFrame, choice: MeetChoice) -> pd.DataFrame:
    return races.take(_meet_positions(races, choice))


def _meet_positions(races: pd.DataFrame, choice: MeetChoice) -> np.ndarray:
    pos = positions(races, "meet", choice.meet)
    return pos[values(races, "date", pos).astype("datetime64[Y]").astype("int64") + 1970 == choice.year]


@dataclass(frozen=True)
class MeetResults:
    choice: MeetChoice
    # (the race: date, meet, city, event, round, indoor, race_id and field, a note where the data
    # holds part of its field only; its gaps)
    races: list[tuple[dict, pd.DataFrame]]

    @property
    def heading(self) -> str:
        n = len(self.races)
        return f"{self.choice.label}: {n} race{'s' if n != 1 else ''}"


def in_race_order(rounds) -> list[str]:
    """Distinct rounds as they are run: heats, quarter-finals, semi-finals, then the final."""
    return sorted(dict.fromkeys(rounds), key=lambda r: (_rank(r), _numbered(r)))


@functools.lru_cache(maxsize=1024)
def _rank(round_: str) -> int:
    """schema.round_rank of one round."""
    return int(round_rank(pd.Series([round_], dtype=object)).iat[0])


def _numbered(round_: str) -> tuple[str, int]:
    word, _, number = round_.rpartition(" ")
    return (word, int(number)) if number.isdigit() else (round_, 0)


def meet_results(races: pd.DataFrame, query: str, filters=None, round_: str | None = None,
                 rows_of=None) -> MeetResults:
    """The races of the meet a query names (its editions within the date filters), within the
    other filters and the round, each with its gaps, in the order they were run. Nothing left is
    an EmptyResultError that says what the meet held: its events, or its rounds.

    rows_of(choice), where given, gives the meet's rows (races then needs only one row per
    race, to find the meet and say what it held: a caller holding a million rows builds no more
    than it must)."""
    from miler.analysis.filters import Filters, apply
    from miler.errors import EmptyResultError

    filters = filters or Filters()
    dated = Filters(year=filters.year, since=filters.since, until=filters.until)
    rest = replace(filters, year=None, since=None, until=None)  # event, indoor, level, sex, …
    kept = Table(apply(races, dated) if dated != Filters() else races)
    if kept.empty:
        raise EmptyResultError(f"no results match {dated.describe()}")
    choice = find_meet(kept, query)
    edition = _meet_positions(kept, choice)
    rows, at = kept, edition  # the rows asked for: positions in a frame
    if rows_of is not None:
        frame = rows_of(choice)
        rows = Table(apply(frame, dated) if dated != Filters() else frame)
        at = np.arange(len(rows))
    if rest != Filters():
        rows = Table(apply(rows.frame.take(at), rest))
        at = np.arange(len(rows))
    at = _in_round(choice, rows, at, kept, edition, filters, rest, round_)
    order, each = _run_order(rows, at)
    first = np.array([p[0] for p in each], dtype=np.intp)
    info = {k: text(rows, k, first) for k in ("meet", "city", "event", "round", "sex") if k in rows.columns}
    dates, indoor = values(rows, "date", first), values(rows, "indoor", first)
    results = []
    for i, (gaps, note) in enumerate(gaps_of_races(rows, each)):
        race = {k: v[i] for k, v in info.items()}
        race.update(date=pd.Timestamp(dates[i]), indoor=bool(indoor[i]), race_id=int(order[i]), field=note)
        results.append((race, gaps))
    return MeetResults(choice, results)


def _in_round(choice: MeetChoice, rows, at: np.ndarray, kept, edition: np.ndarray, filters, rest,
              round_: str | None) -> np.ndarray:
    """The positions at that are of the round asked for; nothing left is an EmptyResultError
    that says what the meet held (its events, or its rounds, in race order)."""
    from miler.errors import EmptyResultError
    from miler.marks import normalise_event

    if filters.event and not len(at):
        event, held = normalise_event(filters.event), list(dict.fromkeys(values(kept, "event", edition)))
        if event not in held:
            raise EmptyResultError(f"{choice.label} held no {event} (its events: {', '.join(_by_distance(held))})")
    if round_ and len(at):
        from miler.analysis.filters import round_matches

        rounds = text(rows, "round", at)
        matching = round_matches(pd.Series(rounds, dtype=object), round_).to_numpy()
        if not matching.any():
            what = f"{normalise_event(filters.event)} " if filters.event else ""
            raise EmptyResultError(f"{choice.label} has no {what}{round_} (its {what}rounds: "
                                   f"{', '.join(in_race_order(rounds))})")
        at = at[matching]
    if not len(at):
        wanted = ", ".join(x for x in (rest.describe(), f"round {round_}" if round_ else "") if x)
        raise EmptyResultError(f"{choice.label} has no races with {wanted} (its rounds: "
                               f"{', '.join(in_race_order(text(kept, 'round', edition)))})")
    return at


def _run_order(races: pd.DataFrame, at: np.ndarray) -> tuple[list[int], list[np.ndarray]]:
    """The race ids of the rows at positions at, in the order the races were run (by day, heats
    before semi-finals before finals, each event's races together, then by number: semi-final
    1 before 2), and each race's positions."""
    rid = races["race_id"].to_numpy()[at]
    ids, first = np.unique(rid, return_index=True)
    date, event, rnd = values(races, "date", at[first]), text(races, "event", at[first]), text(races, "round", at[first])
    rank = [_rank(x) for x in rnd]
    event_at = {}
    for i in range(len(ids)):  # ids ascend: the first race of an event that day, by race id
        event_at.setdefault((date[i], rank[i], event[i]), ids[i])
    keys = {int(ids[i]): (date[i], rank[i], event_at[(date[i], rank[i], event[i])], _numbered(rnd[i]), ids[i])
            for i in range(len(ids))}
    order = sorted(keys, key=keys.get)
    return order, [at[rid == r] for r in order]


def _by_distance(events: list[str]) -> list[str]:
    from miler.marks import event_metres

    return sorted(events, key=lambda e: (event_metres(e) is None, event_metres(e) or 0))
