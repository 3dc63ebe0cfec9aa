"""The steps of finishing staged rows (miler.dataset.formats.staged.finish), each one job over
the rows being finished: a value set for the whole file, venues, meets, events and sex,
athletes, positions, places and rounds, marks, indoor, the event from the marks, dates, levels,
nations and sources. A step leaves out the rows it finds are not one race result, with the
reason, and tells each guess it makes."""

from __future__ import annotations

from collections import Counter

import numpy as np
import pandas as pd

from miler.dataset.formats.dates import DateOrder, parse_dates
from miler.dataset.formats.events import event_from_marks, event_of
from miler.dataset.formats.marks import NO_MARK, time_cell
from miler.dataset.formats.names import athlete_name, join_name
from miler.dataset.formats.rounds import place_cell, position, round_name
from miler.dataset.formats.staged import KIND_REASONS, Rows, Mapped, per_value
from miler.dataset.formats.venues import level_of, venue
from miler.errors import DataError, Problem
from miler.marks import event_metres
from miler.schema import sex_code


def hints_and_sets(rows: Rows, hints: dict[str, str], sets: dict[str, str]) -> None:
    """The reader's values for the whole file where a row has none, then --set's for every row."""
    df = rows.df
    for col, value in hints.items():
        if col not in sets:
            df[col] = df[col].where(~rows.empty(col), value)
    for col, value in sets.items():
        df[col] = value


def venues(rows: Rows) -> None:
    """Venues as city and country, where the row has none, and as indoors where they say '(i)'."""
    df = rows.df
    if (~rows.empty("venue")).any():
        parsed = Mapped(df["venue"], venue)
        df["city"] = df["city"].where(~rows.empty("city"), parsed.part(0))
        df["country"] = df["country"].where(~rows.empty("country"), parsed.part(1))
        rows.indoor |= parsed.part(2).astype(bool)


def meets(rows: Rows) -> None:
    """A row without a meet's name has its city's; a file with none is a guess that says so."""
    df = rows.df
    if rows.empty("meet").all() and (~rows.empty("city")).any():
        df["meet"] = df["city"]
        cities = df["city"].drop_duplicates().head(3).tolist()
        rows.guesses.append(f"no meet names in the file: each meet is named by its city ({', '.join(cities)}, …)")
    else:
        df["meet"] = df["meet"].where(~rows.empty("meet"), df["city"])


def events_and_sex(rows: Rows) -> None:
    """miler's events (field events, relays, combined events left out) and sexes (or the event's)."""
    df = rows.df
    events = Mapped(df["event"], event_of)
    df["event"] = events.part("name")
    kind = events.part("kind")
    for k, why in KIND_REASONS.items():
        rows.leave_out(kind == k, why)
    rows.indoor |= events.part("indoor").astype(bool)
    sex = per_value(df["sex"], lambda v: sex_code(v))
    rows.leave_out(sex.isna(), df["sex"].map(lambda v: f"a sex that is not M or W\x00{v!r}"))
    sex = sex.fillna("")
    df["sex"] = sex.where(sex != "", events.part("sex"))


def athletes(rows: Rows) -> None:
    """Athletes' names given name first, from given and family names apart or one name (its forms guesses)."""
    df = rows.df
    if (~rows.empty("given")).any() or (~rows.empty("family")).any():
        joined = [join_name(g, f) for g, f in zip(df["given"], df["family"])]
        names = pd.Series([j[0] for j in joined], index=df.index)
        names = names.where(names != "", df["athlete"])
        df["athlete"] = per_value(names, lambda v: athlete_name(v)[0])
    else:
        named = Mapped(df["athlete"], athlete_name)
        form_of = named.part(1)
        forms = Counter(form_of[(df["athlete"] != "") & rows.kept])
        rows.guesses.extend(name_guesses(forms, df["athlete"], named.part(0), form_of))
        df["athlete"] = named.part(0)


def positions(rows: Rows, blank_is_split: bool) -> None:
    """World Athletics positions ('3h2') as place and round where the row has none; bad ones left out."""
    df = rows.df
    if not ((~rows.empty("pos")).any() or blank_is_split):
        return
    pos = per_value(df["pos"], position)
    if blank_is_split:
        rows.leave_out(rows.empty("pos"), "no position: in a World Athletics list, a split inside a longer race "
                                          "(a 1500m inside a mile) or a place the list does not know")
    bad = pos.isna() & ~rows.empty("pos")
    rows.leave_out(bad, df["pos"].map(
        lambda v: f"a position that is not a place and round (like 1, 3h2, 2sf1)\x00{v!r}"))
    df["place"] = df["place"].where(~rows.empty("place"), pos.map(lambda p: p[0] if p else ""))
    df["round"] = df["round"].where(~rows.empty("round"), pos.map(lambda p: p[1] if p else ""))


def places_and_rounds(rows: Rows) -> pd.Series:
    """miler's places (a place that is none left out) and rounds; the status a place column gives."""
    df = rows.df
    places = Mapped(df["place"], place_cell)
    place = places.part(0)
    bad = place == "?"
    rows.leave_out(bad, df["place"].map(lambda v: f"a place that is not a place\x00{v!r}"))
    df["place"] = place.where(~bad, "")
    df["round"] = per_value(df["round"], round_name)
    return places.part(1)


def marks(rows: Rows, place_status: pd.Series) -> None:
    """miler's marks and statuses, note tags and indoor marks; splits and rows without a mark left out."""
    df = rows.df
    marks = Mapped(df["time"], time_cell)
    rows.leave_out(marks.part("split").astype(bool), "a split inside a longer race ('+')")
    status = marks.part("status")
    status = status.where(status != "", place_status)
    nomark = status == NO_MARK
    rows.leave_out(nomark & rows.empty("place"), "no mark (NM/NT/NH): not a finish, not a DNF")
    status = status.where(~nomark, "")
    time = seconds_as_minutes(rows, marks)
    df["time"] = time.where(status == "", status)
    df["place"] = df["place"].where(status == "", "")  # a non-finisher has no place
    df["note"] = (df["note"] + " " + marks.part("note")).str.strip()
    rows.indoor |= marks.part("indoor").astype(bool)
    if any(c.decimal_comma for c in marks.results if c.time):
        rows.guesses.append("marks with a decimal comma (3:29,38) read as 3:29.38")


def seconds_as_minutes(rows: Rows, marks: Mapped) -> pd.Series:
    """Each row's mark, a number of seconds as minutes and seconds beyond the sprints (a guess)."""
    # not for sprints: a 400m is written 45.3 or 61.2
    time, minutes = marks.part("time"), marks.part("minutes")
    metres = per_value(rows.df["event"], lambda e: event_metres(e) or 0.0)
    rewrite = (minutes != "") & (metres >= 500) & rows.kept
    if rewrite.any():
        i = int(np.flatnonzero(rewrite.to_numpy())[0])
        rows.guesses.append(f"marks given as a number of seconds are written as minutes and seconds "
                            f"({marks.part().iat[i].time} -> {minutes.iat[i]}, {rows.df['event'].iat[i]})")
    return time.where(~rewrite, minutes)


def indoor(rows: Rows) -> None:
    """Indoors where a flag column says so, or the venue's, the mark's or the event's '(i)' did."""
    flag = rows.df["indoor"].str.lower().isin(["true", "t", "yes", "y", "1", "indoor", "i", "x"])
    rows.df["indoor"] = np.where(flag | rows.indoor, "true", "false")


def split_untold_races(cells: pd.DataFrame) -> list[str]:
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


def name_guesses(forms: Counter, names: pd.Series, named: pd.Series, form_of: pd.Series) -> list[str]:
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


def event_guessed(rows: Rows, name: str) -> None:
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


def dates(rows: Rows, date_format: str | None, name: str) -> None:
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


def levels(rows: Rows) -> None:
    """Levels in lower case; where a row has none, the one its meet's name implies."""
    df = rows.df
    df["level"] = df["level"].str.lower()
    no_level = rows.empty("level")
    if no_level.any():
        df["level"] = df["level"].where(~no_level, per_value(df["meet"], level_of))


def nats_and_sources(rows: Rows, keep_source: bool) -> None:
    """Nations in capitals; each row's source where it came from (unless the file says, as miler's own do)."""
    df = rows.df
    df["nat"] = df["nat"].str.upper()
    if not keep_source:
        df["source"] = rows.where
    else:
        df["source"] = df["source"].where(~rows.empty("source"), rows.where)
