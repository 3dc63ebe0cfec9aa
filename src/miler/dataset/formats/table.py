"""Any other table: CSV, TSV, semicolon-separated text, or a workbook's first sheet (.xlsx, .ods),
its columns matched to miler's by name (each match reported), by ``--map THEIR=OURS``, or for a
file without a header by ``--columns a,b,c``; ``--set COLUMN=VALUE`` gives what the file leaves
implicit (one event, one meet). A column that matches nothing is ignored and said to be; a
required column that nothing gives is an error naming what would.
"""

from __future__ import annotations

import re

import pandas as pd

from miler.dataset.formats.events import hints_from_path
from miler.dataset.formats.staged import SETTABLE, Staged
from miler.errors import DataError, Problem

NAME = "table"
TITLE = "a table with mapped columns"
RECOGNISED = ("any other CSV, TSV, semicolon-separated file or spreadsheet (.xlsx, .ods): columns matched "
              "by name (athlete/name, time/mark/result, place/pos, date, meet/competition, event, …), "
              "by --map THEIR=OURS, or named with --columns for a file without a header")

# Their column names (folded: lower case, single spaces, no punctuation) -> a staged column.
SYNONYMS = {
    "athlete": ("name", "athlete name", "competitor", "runner", "full name", "fullname", "athletename"),
    "given": ("first name", "firstname", "first", "given name", "givenname", "forename"),
    "family": ("last name", "lastname", "last", "surname", "family name", "familyname"),
    "time": ("mark", "result", "performance", "perf", "final time", "finish time", "time s"),
    "place": ("pos", "position", "finish", "plc", "pl", "placing", "overall place", "rank in race"),
    "date": ("race date", "competition date", "day"),
    "meet": ("meeting", "competition", "meet name", "race name", "championship", "championships"),
    "event": ("discipline", "distance"),
    "round": ("heat", "race round", "stage"),
    "nat": ("nationality", "nation", "noc", "country code", "ctry", "country"),
    "city": ("location", "town"),
    "venue": ("stadium", "site"),
    "sex": ("gender",),
    "note": ("notes", "comment", "comments", "remarks", "records"),
}


def _fold(name: str) -> str:
    return " ".join(re.sub(r"[^0-9a-z]+", " ", str(name).lower()).split())


def recognise(sample) -> str | None:
    if sample.looks_json:
        return None
    return "not a schema miler knows: read as a table, its columns matched by name"


def match_columns(header: list[str], maps: dict[str, str], name: str, own: bool = False
                  ) -> tuple[dict[int, str], list[str], list[str]]:
    """{column index: staged column}, the guesses (matches by name), the columns ignored (with
    own, a file in miler's columns, its source column too)."""
    ours_by_name = SETTABLE + (("source",) if own else ())
    folded = [_fold(h) for h in header]
    out: dict[int, str] = {}
    guesses: list[str] = []
    for theirs, ours in maps.items():
        hits = [i for i, h in enumerate(header) if h.strip().lower() == theirs.strip().lower()]
        hits = hits or [i for i, f in enumerate(folded) if f == _fold(theirs)]
        if not hits:
            raise DataError([Problem(name, 1, f"--map {theirs}={ours}: no column {theirs!r} in this file "
                                     f"(its columns: {', '.join(h for h in header if h) or 'none'})")])
        out[hits[0]] = ours
    taken = set(out.values())
    for i, f in enumerate(folded):  # miler's own names first, then other names for them
        if i not in out and f in ours_by_name and f not in taken:
            out[i] = f
            taken.add(f)
    for i, f in enumerate(folded):
        if i in out or not f:
            continue
        for ours, theirs in SYNONYMS.items():
            if f in theirs and ours not in taken and ours in ours_by_name:
                out[i] = ours
                taken.add(ours)
                guesses.append(f"column {header[i]!r} read as {ours}")
                break
    ignored = [h for i, h in enumerate(header) if i not in out and h.strip()]
    return out, guesses, ignored


def read(sample, options, own: bool = False) -> Staged:
    """The table's rows staged; with own (a file in miler's columns) each keeps the source it names."""
    table = sample.table
    header = list(options.columns) if options.columns is not None else table.header
    columns, guesses, ignored = match_columns(header, options.maps, sample.name, own)
    notes = list(table.notes)
    if ignored:
        notes.append(f"{sample.name}: columns ignored (not miler's, not mapped): {', '.join(ignored)}")
    given = set(columns.values()) | set(options.sets)
    hints = {}
    path_hints = hints_from_path(str(sample.path))
    for col in ("event", "sex"):
        if col not in given and col in path_hints:
            hints[col] = path_hints[col]
            guesses.append(f"{col} {path_hints[col]}: from the file's name")
    _require(given | set(hints), header, sample.name)
    width = len(header)
    rows, where, dropped = [], [], []
    for row, line in zip(table.rows, table.lines):
        here = f"{sample.name}:{line}"
        if len(row) > width and any(c.strip() for c in row[width:]):
            said = "--columns names" if options.columns is not None else "the header names"
            dropped.append((here, f"more values than {said} columns", f"{len(row)}, not {width}"))
            continue
        rows.append({col: (row[i] if i < len(row) else "") for i, col in columns.items()})
        where.append(here)
    frame = pd.DataFrame.from_records(rows, columns=list(columns.values())) if rows else pd.DataFrame(
        columns=list(columns.values()))
    return Staged(frame, where, dropped, guesses, notes, hints, keep_source=own)


def _require(given: set[str], header: list[str], name: str) -> None:
    """Every column a dataset needs comes from a column, --set or the file's name; else an error
    that says how to give it."""
    need = []
    if "date" not in given:
        need.append("date")
    if not given & {"meet", "city", "venue"}:
        need.append("meet")
    if "event" not in given:
        need.append("event")
    if "athlete" not in given and not {"given", "family"} <= given:
        need.append("athlete")
    if not given & {"time", "place"}:
        need.append("time (or place)")
    if need:
        cols = ", ".join(repr(h) for h in header if h) or "none"
        raise DataError([Problem(name, 1, f"no column for {', '.join(need)}: give --map THEIR=OURS for a column that "
                                 f"holds it, or --set COLUMN=VALUE for one value for every row (its columns: {cols})")])
