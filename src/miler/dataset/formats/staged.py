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
    df = st.frame.reset_index(drop=True)
    for c in STAGE:
        if c not in df.columns:
            df[c] = ""
    df = df[list(STAGE)].fillna("").astype("str").apply(lambda s: s.str.strip())
    where = pd.Series(st.where, index=df.index, dtype="object")
    n = len(df)
    reason = np.full(n, "", dtype=object)
    guesses = list(st.guesses)

    def leave_out(mask, why) -> None:
        mask = np.asarray(mask, dtype=bool) & (reason == "")
        if isinstance(why, pd.Series):
            reason[mask] = why.to_numpy()[mask]
        else:
            reason[mask] = why

    empty = lambda c: df[c] == ""  # noqa: E731

    for col, value in st.hints.items():
        if col not in opts.sets:
            df[col] = df[col].where(~empty(col), value)
    for col, value in opts.sets.items():
        df[col] = value

    # venues -> city, country, indoor
    if (~empty("venue")).any():
        parsed = _Mapped(df["venue"], venue)
        df["city"] = df["city"].where(~empty("city"), parsed.part(0))
        df["country"] = df["country"].where(~empty("country"), parsed.part(1))
        venue_indoor = parsed.part(2).astype(bool)
    else:
        venue_indoor = pd.Series(False, index=df.index)
    if empty("meet").all() and (~empty("city")).any():
        df["meet"] = df["city"]
        cities = df["city"].drop_duplicates().head(3).tolist()
        guesses.append(f"no meet names in the file: each meet is named by its city ({', '.join(cities)}, …)")
    else:
        df["meet"] = df["meet"].where(~empty("meet"), df["city"])

    # events -> event, sex, kind
    events = _Mapped(df["event"], event_of)
    df["event"] = events.part("name")
    kind = events.part("kind")
    for k, why in KIND_REASONS.items():
        leave_out(kind == k, why)
    event_indoor = events.part("indoor").astype(bool)
    sex = _per_value(df["sex"], lambda v: sex_code(v))
    bad_sex = sex.isna()
    leave_out(bad_sex, df["sex"].map(lambda v: f"a sex that is not M or W\x00{v!r}"))
    sex = sex.fillna("")
    df["sex"] = sex.where(sex != "", events.part("sex"))

    # athletes
    if (~empty("given")).any() or (~empty("family")).any():
        joined = [join_name(g, f) for g, f in zip(df["given"], df["family"])]
        names = pd.Series([j[0] for j in joined], index=df.index)
        names = names.where(names != "", df["athlete"])
        df["athlete"] = _per_value(names, lambda v: athlete_name(v)[0])
    else:
        named = _Mapped(df["athlete"], athlete_name)
        form_of = named.part(1)
        forms = Counter(form_of[(df["athlete"] != "") & (reason == "")])
        guesses.extend(_name_guesses(forms, df["athlete"], named.part(0), form_of))
        df["athlete"] = named.part(0)

    # World Athletics positions -> place, round
    if (~empty("pos")).any() or st.blank_pos_is_split:
        pos = _per_value(df["pos"], position)
        if st.blank_pos_is_split:
            leave_out(empty("pos"), "no position: in a World Athletics list, a split inside a longer race "
                                    "(a 1500m inside a mile) or a place the list does not know")
        bad = pos.isna() & ~empty("pos")
        leave_out(bad, df["pos"].map(lambda v: f"a position that is not a place and round (like 1, 3h2, 2sf1)\x00{v!r}"))
        df["place"] = df["place"].where(~empty("place"), pos.map(lambda p: p[0] if p else ""))
        df["round"] = df["round"].where(~empty("round"), pos.map(lambda p: p[1] if p else ""))

    # places
    places = _Mapped(df["place"], place_cell)
    place = places.part(0)
    bad = place == "?"
    leave_out(bad, df["place"].map(lambda v: f"a place that is not a place\x00{v!r}"))
    place_status = places.part(1)
    df["place"] = place.where(~bad, "")

    df["round"] = _per_value(df["round"], round_name)

    # marks and statuses
    marks = _Mapped(df["time"], time_cell)
    cells = marks.part()
    leave_out(marks.part("split").astype(bool), "a split inside a longer race ('+')")
    status = marks.part("status")
    status = status.where(status != "", place_status)
    nomark = status == NO_MARK
    leave_out(nomark & empty("place"), "no mark (NM/NT/NH): not a finish, not a DNF")
    status = status.where(~nomark, "")
    time = marks.part("time")
    # a number of seconds: minutes and seconds, except for sprints (a 400m is written 45.3 or 61.2)
    minutes = marks.part("minutes")
    metres = _per_value(df["event"], lambda e: event_metres(e) or 0.0)
    rewrite = (minutes != "") & (metres >= 500) & (reason == "")
    time = time.where(~rewrite, minutes)
    df["time"] = time.where(status == "", status)
    df["place"] = df["place"].where(status == "", "")  # a non-finisher has no place
    note_tags = marks.part("note")
    df["note"] = (df["note"] + " " + note_tags).str.strip()
    mark_indoor = marks.part("indoor").astype(bool)
    used = [c for c in marks.results if c.time]
    if rewrite.any():
        i = int(np.flatnonzero(rewrite.to_numpy())[0])
        guesses.append(f"marks given as a number of seconds are written as minutes and seconds "
                       f"({cells.iat[i].time} -> {minutes.iat[i]}, {df['event'].iat[i]})")
    if any(c.decimal_comma for c in used):
        guesses.append("marks with a decimal comma (3:29,38) read as 3:29.38")

    # indoor: a flag column, the venue's '(i)', the mark's '(i)', the event's name
    flag = df["indoor"].str.lower().isin(["true", "t", "yes", "y", "1", "indoor", "i", "x"])
    df["indoor"] = np.where(flag | venue_indoor | mark_indoor | event_indoor, "true", "false")

    # the event where the file names none: from its marks
    if empty("event").all() and n:
        guesses.append(_event_guess(df, status, name))

    # dates: the whole column decides the order of day and month
    try:
        dates, date_guesses = parse_dates(df["date"].unique(), opts.date_format)
    except DateOrder as exc:
        raise DataError([Problem(name, 0, str(exc))]) from None
    guesses.extend(date_guesses)
    iso = df["date"].map(dates)
    said = f" as {opts.date_format}" if opts.date_format else ""
    leave_out(iso.isna() & ~empty("date"), df["date"].map(lambda v: f"a date that is not a date{said}\x00{v!r}"))
    df["date"] = iso.fillna("")

    df["level"] = df["level"].str.lower()
    no_level = empty("level")
    if no_level.any():
        df["level"] = df["level"].where(~no_level, _per_value(df["meet"], level_of))
    df["nat"] = df["nat"].str.upper()
    if not st.keep_source:
        df["source"] = where
    else:
        df["source"] = df["source"].where(~empty("source"), where)

    dropped = [d if len(d) == 3 else (*d, "") for d in st.dropped]
    for i in np.flatnonzero(reason != ""):
        why, _, said = str(reason[i]).partition("\x00")
        dropped.append((where.iat[i], why, said))
    kept = reason == ""
    cells_out = df.loc[kept, list(COLUMNS)].astype("str")  # text, as miler's CSV reader gives it
    dup, first_of = _duplicates(cells_out)
    dropped += [(where.at[i], "the same result listed again (the same race in two lists, or a row twice)",
                 f"as {where.at[first_of[i]]}") for i in dup]
    cells_out = cells_out.drop(index=dup)
    if st.untold_races:
        guesses.extend(_split_untold_races(cells_out))
    return Finished(cells_out, where, dropped, guesses)


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


def _event_guess(df: pd.DataFrame, status: pd.Series, name: str) -> str:
    from miler.marks import parse_many

    marks = parse_many(t for t in df["time"].unique() if t)
    seconds = [m.seconds for m in marks.values() if not isinstance(m, Exception) and m.seconds]
    event = event_from_marks(seconds)
    if event is None:
        raise DataError([Problem(name, 0, "no event: the file has no event column, its name does not say, and "
                                 "its marks do not tell one event; give it with --set event=1500m")])
    df["event"] = event
    from miler.marks import format_mark

    return (f"event {event}: not in the file or its name; every mark ({format_mark(min(seconds))} to "
            f"{format_mark(max(seconds))}) fits {event} and no other event (else give --set event=…)")


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
