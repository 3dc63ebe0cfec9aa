"""World Athletics toplists as the common scrapers write them.

Both headers of ../shared/real-files: ``Rank,Mark,Competitor,DOB,Nat,Pos,,Venue,Date,ResultScore``
(kajchang/worldathletics-toplist-scraper; also with a leading index column and ``Unnamed: 6``, as
pandas writes it) and the lower-case one with ``wind``, ``position``, ``discipline``, ``sex``,
``age_cat`` (kmuchiri/AthleticScraper). The position holds the place and round (``3h2``); a blank
one is a split inside a longer race; a venue is ``Stadium, City (NAT)``, ``(i)`` when indoors.
Where the file has no event, it comes from the file's path (``…/1500-metres/men/…``), else from
its marks (reported as a guess).
"""

from __future__ import annotations

import pandas as pd

from miler.dataset.formats.events import hints_from_path
from miler.dataset.formats.staged import Staged

NAME = "worldathletics"
TITLE = "World Athletics toplist"
RECOGNISED = ("a CSV header with Mark, Competitor, Venue, Date and Pos (or position), as World Athletics "
              "list scrapers write it: Rank,Mark,Competitor,DOB,Nat,Pos,,Venue,Date,ResultScore, or the "
              "lower-case one with wind, position, discipline, sex, age_cat")

# their column -> a staged column (the first present wins)
COLUMNS = {
    "mark": "time", "competitor": "athlete", "nat": "nat", "nationality": "nat", "pos": "pos",
    "position": "pos", "venue": "venue", "date": "date", "discipline": "event",
    "normalized_discipline": "event", "event": "event", "sex": "sex", "gender": "sex", "venue_country": "country",
}  # fmt: skip


def recognise(sample) -> str | None:
    header = sample.header
    if not header:
        return None
    names = {h.strip().lower() for h in header}
    if {"mark", "competitor", "venue", "date"} <= names and names & {"pos", "position"}:
        return "header " + ",".join(header)
    return None


def read(sample, options) -> Staged:
    table = sample.table
    header = [h.strip().lower() for h in table.header]
    taken: dict[str, int] = {}
    for i, h in enumerate(header):
        if h in COLUMNS and COLUMNS[h] not in taken:
            taken[COLUMNS[h]] = i
    rows, where, dropped, shifted = _rows(table, header, sample.name)
    frame = pd.DataFrame({col: [r[i] for r in rows] for col, i in taken.items()})
    if "mark_numeric" in header and "time" in frame.columns:  # mark_numeric where the mark is missing
        numeric = pd.Series([r[header.index("mark_numeric")] for r in rows], index=frame.index, dtype=object)
        frame["time"] = frame["time"].where(frame["time"].str.strip() != "", numeric)
    guesses = []
    if shifted:
        guesses.append(f"{shifted:,} rows have one value more than the header, an empty one after Mark (a fault of "
                       "some scrapes): read without it")
    hints = _path_hints(str(sample.path), taken)
    if hints:
        said = ", ".join(f"{k} {v}" for k, v in hints.items())
        guesses.append(f"{said}: from the file's name (not in its columns)")
    return Staged(frame, where, dropped, guesses, list(table.notes), hints, blank_pos_is_split=True,
                  untold_races=True)


def _rows(table, header: list[str], name: str) -> tuple[list[list[str]], list[str], list[tuple], int]:
    """The table's rows as wide as its header, where each came from, the rows left out, and how
    many had an empty value after Mark taken out."""
    width, mark_at = len(header), header.index("mark")
    rows, where, dropped = [], [], []
    shifted = 0
    for row, line in zip(table.rows, table.lines):
        if len(row) != width:
            if len(row) == width + 1 and row[mark_at + 1].strip() == "":
                row = row[: mark_at + 1] + row[mark_at + 2 :]  # an empty cell after Mark shifts the rest
                shifted += 1
            elif len(row) > width and any(c.strip() for c in row[width:]):
                dropped.append((f"{name}:{line}", "more values than the header names columns",
                                f"{len(row)}, not {width}"))
                continue
            else:
                row = (row + [""] * width)[:width]
        rows.append(row)
        where.append(f"{name}:{line}")
    return rows, where, dropped, shifted


def _path_hints(path: str, taken: dict[str, int]) -> dict[str, str]:
    """The event, sex and indoors the file's path says, where its columns do not."""
    hints = {}
    path_hints = hints_from_path(path)
    if "event" not in taken and "event" in path_hints:
        hints["event"] = path_hints["event"]
    if "sex" not in taken and "sex" in path_hints:
        hints["sex"] = path_hints["sex"]
    if path_hints.get("indoor"):
        hints["indoor"] = "true"
    return hints
