"""Staged rows: what every reader produces, and how they become miler's cells.

A reader puts what its file says into the STAGE columns, as text, without judging it (a venue
still 'Letzigrund, Zürich (SUI)', a WA position still '3h2', a name still 'Jakob INGEBRIGTSEN'),
with where each row came from. ``finish`` normalises them all the same way (names, marks and
statuses, places and rounds, dates, events and sex, venues, levels), leaves out what is not one
race result (splits, field events, relays, a result listed twice), each with its reason, and
records every guess it made.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from miler.dataset.formats import Options
from miler.dataset.formats.dates import DateOrder, parse_dates
from miler.dataset.formats.events import event_from_marks, event_of
from miler.dataset.formats.marks import NO_MARK, time_cell
from miler.dataset.formats.names import athlete_name, join_name
from miler.dataset.formats.rounds import place_cell, position, round_name
from miler.dataset.formats.venues import level_of, venue
from miler.errors import DataError, Problem
from miler.marks import event_metres
from miler.names import fold
from miler.schema import COLUMNS, sex_code

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


class _Mapped:
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


def _per_value(series: pd.Series, func) -> pd.Series:
    """func once per distinct value, spread to the rows."""
    return _Mapped(series, func).part()


def finish(st: Staged, opts: Options, name: str) -> Finished:
    """Normalise staged rows into miler's cells; see the module's docstring."""
    # The steps' order matters: a row keeps the first reason found, and guesses are told as made.
    rows = _Rows.of(st)
    _hints_and_sets(rows, st.hints, opts.sets)
    _venues(rows)
    _meets(rows)
    _events_and_sex(rows)
    _athletes(rows)
    _positions(rows, st.blank_pos_is_split)
    place_status = _places_and_rounds(rows)
    _marks(rows, place_status)
    _indoor(rows)
    _event_from_marks(rows, name)
    _dates(rows, opts.date_format, name)
    _levels(rows)
    _nats_and_sources(rows, st.keep_source)
    return _kept(rows, st)


@dataclass
class _Rows:
    """Staged rows being finished: their cells (all text), where each came from, why each is
    left out ('' while it is kept), the guesses made, and whether something says it was indoors."""

    df: pd.DataFrame
    where: pd.Series
    reason: np.ndarray
    guesses: list[str]
    indoor: pd.Series

    @classmethod
    def of(cls, st: Staged) -> _Rows:
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


def _hints_and_sets(rows: _Rows, hints: dict[str, str], sets: dict[str, str]) -> None:
    """The reader's values for the whole file where a row has none, then --set's for every row."""
    df = rows.df
    for col, value in hints.items():
        if col not in sets:
            df[col] = df[col].where(~rows.empty(col), value)
    for col, value in sets.items():
        df[col] = value


def _venues(rows: _Rows) -> None:
    """Venues as city and country, where the row has none, and as indoors where they say '(i)'."""
    df = rows.df
    if (~rows.empty("venue")).any():
        parsed = _Mapped(df["venue"], venue)
        df["city"] = df["city"].where(~rows.empty("city"), parsed.part(0))
        df["country"] = df["country"].where(~rows.empty("country"), parsed.part(1))
        rows.indoor |= parsed.part(2).astype(bool)


def _meets(rows: _Rows) -> None:
    """A row without a meet's name has its city's; a file with none is a guess that says so."""
    df = rows.df
    if rows.empty("meet").all() and (~rows.empty("city")).any():
        df["meet"] = df["city"]
        cities = df["city"].drop_duplicates().head(3).tolist()
        rows.guesses.append(f"no meet names in the file: each meet is named by its city ({', '.join(cities)}, …)")
    else:
        df["meet"] = df["meet"].where(~rows.empty("meet"), df["city"])


def _events_and_sex(rows: _Rows) -> None:
    """miler's events (field events, relays, combined events left out) and sexes (or the event's)."""
    df = rows.df
    events = _Mapped(df["event"], event_of)
    df["event"] = events.part("name")
    kind = events.part("kind")
    for k, why in KIND_REASONS.items():
        rows.leave_out(kind == k, why)
    rows.indoor |= events.part("indoor").astype(bool)
    sex = _per_value(df["sex"], lambda v: sex_code(v))
    rows.leave_out(sex.isna(), df["sex"].map(lambda v: f"a sex that is not M or W\x00{v!r}"))
    sex = sex.fillna("")
    df["sex"] = sex.where(sex != "", events.part("sex"))


def _athletes(rows: _Rows) -> None:
    """Athletes' names given name first, from given and family names apart or one name (its forms guesses)."""
    df = rows.df
    if (~rows.empty("given")).any() or (~rows.empty("family")).any():
        joined = [join_name(g, f) for g, f in zip(df["given"], df["family"])]
        names = pd.Series([j[0] for j in joined], index=df.index)
        names = names.where(names != "", df["athlete"])
        df["athlete"] = _per_value(names, lambda v: athlete_name(v)[0])
    else:
        named = _Mapped(df["athlete"], athlete_name)
        form_of = named.part(1)
        forms = Counter(form_of[(df["athlete"] != "") & rows.kept])
        rows.guesses.extend(_name_guesses(forms, df["athlete"], named.part(0), form_of))
        df["athlete"] = named.part(0)


def _positions(rows: _Rows, blank_is_split: bool) -> None:
    """World Athletics positions ('3h2') as place and round where the row has none; bad ones left out."""
    df = rows.df
    if not ((~rows.empty("pos")).any() or blank_is_split):
        return
    pos = _per_value(df["pos"], position)
    if blank_is_split:
        rows.leave_out(rows.empty("pos"), "no position: in a World Athletics list, a split inside a longer race "
                                          "(a 1500m inside a mile) or a place the list does not know")
    bad = pos.isna() & ~rows.empty("pos")
    rows.leave_out(bad, df["pos"].map(
        lambda v: f"a position that is not a place and round (like 1, 3h2, 2sf1)\x00{v!r}"))
    df["place"] = df["place"].where(~rows.empty("place"), pos.map(lambda p: p[0] if p else ""))
    df["round"] = df["round"].where(~rows.empty("round"), pos.map(lambda p: p[1] if p else ""))


def _places_and_rounds(rows: _Rows) -> pd.Series:
    """miler's places (a place that is none left out) and rounds; the status a place column gives."""
    df = rows.df
    places = _Mapped(df["place"], place_cell)
    place = places.part(0)
    bad = place == "?"
    rows.leave_out(bad, df["place"].map(lambda v: f"a place that is not a place\x00{v!r}"))
    df["place"] = place.where(~bad, "")
    df["round"] = _per_value(df["round"], round_name)
    return places.part(1)


def _marks(rows: _Rows, place_status: pd.Series) -> None:
    """miler's marks and statuses, note tags and indoor marks; splits and rows without a mark left out."""
    df = rows.df
    marks = _Mapped(df["time"], time_cell)
    rows.leave_out(marks.part("split").astype(bool), "a split inside a longer race ('+')")
    status = marks.part("status")
    status = status.where(status != "", place_status)
    nomark = status == NO_MARK
    rows.leave_out(nomark & rows.empty("place"), "no mark (NM/NT/NH): not a finish, not a DNF")
    status = status.where(~nomark, "")
    time = _seconds_as_minutes(rows, marks)
    df["time"] = time.where(status == "", status)
    df["place"] = df["place"].where(status == "", "")  # a non-finisher has no place
    df["note"] = (df["note"] + " " + marks.part("note")).str.strip()
    rows.indoor |= marks.part("indoor").astype(bool)
    if any(c.decimal_comma for c in marks.results if c.time):
        rows.guesses.append("marks with a decimal comma (3:29,38) read as 3:29.38")


def _seconds_as_minutes(rows: _Rows, marks: _Mapped) -> pd.Series:
    """Each row's mark, a number of seconds as minutes and seconds beyond the sprints (a guess)."""
    # not for sprints: a 400m is written 45.3 or 61.2
    time, minutes = marks.part("time"), marks.part("minutes")
    metres = _per_value(rows.df["event"], lambda e: event_metres(e) or 0.0)
    rewrite = (minutes != "") & (metres >= 500) & rows.kept
    if rewrite.any():
        i = int(np.flatnonzero(rewrite.to_numpy())[0])
        rows.guesses.append(f"marks given as a number of seconds are written as minutes and seconds "
                            f"({marks.part().iat[i].time} -> {minutes.iat[i]}, {rows.df['event'].iat[i]})")
    return time.where(~rewrite, minutes)


def _indoor(rows: _Rows) -> None:
    """Indoors where a flag column says so, or the venue's, the mark's or the event's '(i)' did."""
    flag = rows.df["indoor"].str.lower().isin(["true", "t", "yes", "y", "1", "indoor", "i", "x"])
    rows.df["indoor"] = np.where(flag | rows.indoor, "true", "false")


def _split_untold_races(cells: pd.DataFrame) -> list[str]:
    """A list's bare positions can hold two races of one meet (an A and a B race, a junior race):
    where a race has its place 1 more than once, its rows are dealt into as many races, each with
    places in the order of the times ('final', 'final 2', …), if that accounts for every row."""
    from miler.marks import parse_many

    place = pd.to_numeric(cells["place"], errors="coerce")
    key = ["date", "meet", "event", "round", "sex"]
    winners = cells[(place == 1) & (cells["round"] == "")].groupby(key).size()
    guesses = []
    for race, count in winners[winners > 1].items():
        rows = cells[(cells[key] == pd.Series(race, index=key)).all(axis=1)]
        marks = parse_many(rows["time"].unique())
        secs = rows["time"].map(lambda t: getattr(marks.get(t), "seconds", None) or float("inf"))
        chains: list[list] = []
        for label in secs.sort_values(kind="stable").index:
            p = place.at[label]
            chain = next((c for c in chains if not np.isnan(p) and place.at[c[-1]] < p), None)
            if chain is None:
                chains.append([label])
            else:
                chain.append(label)
        if len(chains) != count:
            continue
        for k, chain in enumerate(chains[1:], start=2):
            cells.loc[chain, "round"] = f"final {k}"
        guesses.append(f"{race[1]} {race[0]} {race[2]}: place 1 given {count} times (positions without a race "
                       f"number): read as {count} races, 'final' the fastest, then " +
                       ", ".join(f"'final {k}'" for k in range(2, count + 1)))
    return guesses


def _name_guesses(forms: Counter, names: pd.Series, named: pd.Series, form_of: pd.Series) -> list[str]:
    """A guess for each form of name turned to given name first, the commonest first, with an example."""
    out = []
    words = {
        "Given FAMILY": "names written 'Given FAMILY' (family name in capitals) read as given name first",
        "FAMILY Given": "names written 'FAMILY Given' (family name first, in capitals) turned to given name first",
        "Family, Given": "names written 'Family, Given' turned to given name first",
        "CAPITALS": "names wholly in capitals kept in their order (given name first assumed)",
    }
    for form, count in forms.most_common():
        if form in words:
            i = int(np.flatnonzero((form_of == form).to_numpy())[0])
            out.append(f"{words[form]}: {count:,} row{'s' if count != 1 else ''} "
                       f"(e.g. {names.iat[i]!r} -> {named.iat[i]!r})")
    return out


def _event_from_marks(rows: _Rows, name: str) -> None:
    """The event of a file that names none, from its marks (a guess), else an error saying to give it."""
    from miler.marks import parse_many

    df = rows.df
    if not (rows.empty("event").all() and len(df)):
        return
    marks = parse_many(t for t in df["time"].unique() if t)
    seconds = [m.seconds for m in marks.values() if not isinstance(m, Exception) and m.seconds]
    event = event_from_marks(seconds)
    if event is None:
        raise DataError([Problem(name, 0, "no event: the file has no event column, its name does not say, and "
                                 "its marks do not tell one event; give it with --set event=1500m")])
    df["event"] = event
    from miler.marks import format_mark

    rows.guesses.append(f"event {event}: not in the file or its name; every mark ({format_mark(min(seconds))} to "
                        f"{format_mark(max(seconds))}) fits {event} and no other event (else give --set event=…)")


def _dates(rows: _Rows, date_format: str | None, name: str) -> None:
    """ISO dates, the whole column deciding the order of day and month; a date that is none left out."""
    df = rows.df
    try:
        dates, date_guesses = parse_dates(df["date"].unique(), date_format)
    except DateOrder as exc:
        raise DataError([Problem(name, 0, str(exc))]) from None
    rows.guesses.extend(date_guesses)
    iso = df["date"].map(dates)
    said = f" as {date_format}" if date_format else ""
    not_dates = iso.isna() & ~rows.empty("date")
    rows.leave_out(not_dates, df["date"].map(lambda v: f"a date that is not a date{said}\x00{v!r}"))
    df["date"] = iso.fillna("")


def _levels(rows: _Rows) -> None:
    """Levels in lower case; where a row has none, the one its meet's name implies."""
    df = rows.df
    df["level"] = df["level"].str.lower()
    no_level = rows.empty("level")
    if no_level.any():
        df["level"] = df["level"].where(~no_level, _per_value(df["meet"], level_of))


def _nats_and_sources(rows: _Rows, keep_source: bool) -> None:
    """Nations in capitals; each row's source where it came from (unless the file says, as miler's own do)."""
    df = rows.df
    df["nat"] = df["nat"].str.upper()
    if not keep_source:
        df["source"] = rows.where
    else:
        df["source"] = df["source"].where(~rows.empty("source"), rows.where)


def _kept(rows: _Rows, st: Staged) -> Finished:
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
        rows.guesses.extend(_split_untold_races(cells))
    return Finished(cells, where, dropped, rows.guesses)


def _duplicates(cells: pd.DataFrame) -> tuple[list[int], dict[int, int]]:
    """Rows that repeat an earlier row's result (the same race listed in two age-group lists, a
    line pasted twice): the same athlete, date, meet, event, round, sex, place and time."""
    key = cells[["date", "meet", "event", "round", "sex", "place", "time"]].copy()
    key["athlete"] = _per_value(cells["athlete"], fold)
    key["meet"] = _per_value(cells["meet"], fold)
    dup = key.duplicated(keep="first")
    if not dup.any():
        return [], {}
    both = key[key.duplicated(keep=False)]
    firsts = both.reset_index().groupby(list(key.columns), sort=False)["index"].transform("first")
    first_of = dict(zip(both.index, firsts))
    return [int(i) for i in key.index[dup]], first_of
