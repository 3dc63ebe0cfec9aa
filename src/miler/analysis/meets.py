"""Meets: find one from a forgiving query ("paris 2024", "budapest", "bowerman mile"), list them.

A meet is one edition of a competition: the rows sharing a meet name in one calendar year.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np
import pandas as pd

from miler.analysis.columns import positions, text, values
from miler.analysis.gaps import gaps_of
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


def _editions(races: pd.DataFrame) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each row's edition number, and each edition's meet and year (editions in no order)."""
    meet = races["meet"].array
    years = values(races, "date").astype("datetime64[Y]").astype("int64") + 1970
    if isinstance(meet, pd.Categorical):
        codes = meet.codes.astype("int64")
        names = np.asarray(meet.categories, dtype=object)
    else:
        names, codes = np.unique(values(races, "meet"), return_inverse=True)
    keys, inverse = np.unique(codes * 10_000 + years, return_inverse=True)
    return inverse, names[keys // 10_000], keys % 10_000


def _distinct_per(group: np.ndarray, thing: np.ndarray, n: int) -> np.ndarray:
    """How many distinct things each group holds."""
    pairs = np.unique(group.astype("int64") * (int(thing.max(initial=0)) + 1) + thing.astype("int64"))
    return np.bincount(pairs // (int(thing.max(initial=0)) + 1), minlength=n)


def meet_table(races: pd.DataFrame) -> pd.DataFrame:
    """One row per meet edition: meet, year, city, country, level, first, last, races, athletes."""
    if races.empty:
        return pd.DataFrame({c: pd.Series(dtype="object") for c in
                             ("meet", "year", "city", "country", "level", "first", "last", "races", "athletes")})
    edition, meet, year = _editions(races)
    n = len(meet)
    first_row = np.full(n, len(races), dtype=np.intp)
    np.minimum.at(first_row, edition, np.arange(len(races)))
    dates = values(races, "date")
    first = np.full(n, dates.max(), dtype=dates.dtype)
    last = np.full(n, dates.min(), dtype=dates.dtype)
    np.minimum.at(first, edition, dates)
    np.maximum.at(last, edition, dates)
    athlete = races["athlete"].array
    who = athlete.codes if isinstance(athlete, pd.Categorical) else np.unique(values(races, "athlete"), return_inverse=True)[1]
    out = pd.DataFrame({
        "meet": meet, "year": year.astype("int32"), "city": text(races, "city", first_row),
        "country": text(races, "country", first_row), "level": text(races, "level", first_row),
        "first": first, "last": last,
        "races": _distinct_per(edition, races["race_id"].to_numpy(), n).astype("int64"),
        "athletes": _distinct_per(edition, np.asarray(who), n).astype("int64"),
    })  # fmt: skip
    order = np.lexsort((out["meet"].to_numpy(dtype=object), first))
    return out.take(order).reset_index(drop=True)


@functools.lru_cache(maxsize=4096)
def _folded(text: str) -> str:
    return fold(text)


def _fits(table: pd.DataFrame, races: pd.DataFrame, words: list[str]) -> np.ndarray:
    """Which meet editions a query fits: every word starts a word of the edition's name, city,
    country, level, year or aliases, or of an event it held ("bowerman mile")."""
    held: dict[tuple[str, int], set[str]] = {}
    edition, meet, year = _editions(races)
    events = values(races, "event")
    for e, ev in set(zip(edition.tolist(), events.tolist())):
        held.setdefault((meet[e], int(year[e])), set()).add(" " + _folded(ev))
    fits = []
    for m, y, city, country, level in zip(table["meet"], table["year"], table["city"], table["country"],
                                          table["level"]):
        hay = " " + " ".join(_folded(str(x)) for x in (m, city, country, level, y, ALIASES.get(m, "")))
        if level == "olympics" and y == 2021:
            hay += " 2020"  # Tokyo 2020, held in 2021
        ran = held.get((m, int(y)), set())
        fits.append(all(" " + w in hay or any(" " + w in e for e in ran) for w in words))
    return np.array(fits, dtype=bool)


def find_meet(races: pd.DataFrame, query: str) -> MeetChoice:
    """The meet a query names. Every word must start a word of the meet's name, city, country,
    year or aliases (or an event it held: 'bowerman mile'). Where several editions fit, the
    latest is taken, and the choice names the others."""
    words = fold(query).split()
    if not words:
        raise NotFoundError("a meet query is empty")
    table = meet_table(races)
    hits = table[_fits(table, races, words)]
    if hits.empty:
        raise NotFoundError(f"no meet matches '{query}' (try `miler meets` to see them all)")
    rank = {lvl: i for i, lvl in enumerate(LEVELS)}
    order = sorted(range(len(hits)), key=lambda i: (hits["last"].iat[i], hits["first"].iat[i],
                                                    -rank.get(hits["level"].iat[i], len(LEVELS))), reverse=True)
    labels = [f"{hits['meet'].iat[i]} {hits['year'].iat[i]}" for i in order]
    best = order[0]
    return MeetChoice(str(hits["meet"].iat[best]), int(hits["year"].iat[best]), tuple(labels[1:]))


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
    distinct = list(dict.fromkeys(rounds))
    ranks = dict(zip(distinct, round_rank(pd.Series(distinct, dtype=object))))
    return sorted(distinct, key=lambda r: (ranks[r], _numbered(r)))


def _numbered(round_: str) -> tuple[str, int]:
    word, _, number = round_.rpartition(" ")
    return (word, int(number)) if number.isdigit() else (round_, 0)


def meet_results(races: pd.DataFrame, query: str, filters=None, round_: str | None = None) -> MeetResults:
    """The races of the meet a query names (its editions within the date filters), within the
    other filters and the round, each with its gaps, in the order they were run. Nothing left is
    an EmptyResultError that says what the meet held: its events, or its rounds."""
    from miler.analysis.filters import Filters, apply
    from miler.errors import EmptyResultError
    from miler.marks import normalise_event

    filters = filters or Filters()
    dated = Filters(year=filters.year, since=filters.since, until=filters.until)
    kept = apply(races, dated) if dated != Filters() else races
    if kept.empty:
        raise EmptyResultError(f"no results match {dated.describe()}")
    choice = find_meet(kept, query)
    pos = _meet_positions(kept, choice)
    rest = Filters(event=filters.event, indoor=filters.indoor, level=filters.level, finals_only=filters.finals_only)
    edition = kept.take(pos)
    rows = apply(edition, rest) if rest != Filters() else edition
    if filters.event and rows.empty:
        event, held = normalise_event(filters.event), list(dict.fromkeys(values(edition, "event")))
        if event not in held:
            raise EmptyResultError(f"{choice.label} held no {event} (its events: {', '.join(_by_distance(held))})")
    if round_ and not rows.empty:
        from miler.analysis.filters import round_matches

        matching = round_matches(rows["round"], round_)
        if not matching.any():
            what = f"{normalise_event(filters.event)} " if filters.event else ""
            raise EmptyResultError(f"{choice.label} has no {what}{round_} (its {what}rounds: "
                                   f"{', '.join(in_race_order(values(rows, 'round')))})")
        rows = rows[matching.to_numpy()]
    if rows.empty:
        wanted = ", ".join(x for x in (rest.describe(), f"round {round_}" if round_ else "") if x)
        raise EmptyResultError(f"{choice.label} has no races with {wanted} (its rounds: "
                               f"{', '.join(in_race_order(values(edition, 'round')))})")
    rid = rows["race_id"].to_numpy()
    results = []
    for r in _run_order(rows):
        at = np.flatnonzero(rid == r)
        first = at[:1]
        info = {k: text(rows, k, first)[0] for k in ("meet", "city", "event", "round")}
        info.update(date=pd.Timestamp(values(rows, "date", first)[0]), indoor=bool(values(rows, "indoor", first)[0]),
                    race_id=int(r))
        gaps, note = gaps_of(rows, at)
        info["field"] = note
        results.append((info, gaps))
    return MeetResults(choice, results)


def _run_order(rows: pd.DataFrame) -> list[int]:
    """The race ids of rows in the order the races were run: by day, heats before semi-finals
    before finals, each event's races together, then by number (semi-final 1 before 2)."""
    rid = rows["race_id"].to_numpy()
    ids, first = np.unique(rid, return_index=True)
    date, event, rnd = values(rows, "date", first), text(rows, "event", first), text(rows, "round", first)
    rank = round_rank(pd.Series(rnd, dtype=object)).to_numpy()
    event_at = {}
    for i in np.argsort(ids, kind="stable"):
        event_at.setdefault((date[i], rank[i], event[i]), ids[i])
    keys = {int(ids[i]): (date[i], rank[i], event_at[(date[i], rank[i], event[i])], _numbered(rnd[i]), ids[i])
            for i in range(len(ids))}
    return sorted(keys, key=keys.get)


def _by_distance(events: list[str]) -> list[str]:
    from miler.marks import event_metres

    return sorted(events, key=lambda e: (event_metres(e) is None, event_metres(e) or 0))
