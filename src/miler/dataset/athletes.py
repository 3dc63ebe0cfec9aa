"""athletes.csv, beside races.csv: who the athletes are. Optional, and so is every column but
``athlete``:

    athlete,born,nat,source,complete
    Josh Kerr,1997-10-08,GBR,https://…,false

born: the date of birth (YYYY-MM-DD); nat: a three-letter country code; source: where the
line was confirmed; complete: true when races.csv holds every race the athlete ran, so that
their bests in the data are their real bests. Read as races.csv is (any encoding or delimiter a
spreadsheet saves) and checked the same way: every problem named with its line, nothing loaded
when anything is wrong.
"""

from __future__ import annotations

import csv
import datetime as dt
import os
from pathlib import Path

import pandas as pd

from miler.dataset import csvfile
from miler.dataset.facts import FALSE, TRUE
from miler.dataset.rules import MAX_PROBLEMS
from miler.errors import DataError, Problem
from miler.marks import shown

ATHLETE_COLUMNS = ("athlete", "born", "nat", "source", "complete")


def empty_athletes() -> pd.DataFrame:
    frame = pd.DataFrame({c: pd.Series(dtype="object") for c in ATHLETE_COLUMNS})
    frame["born"] = pd.to_datetime(frame["born"])
    frame["complete"] = frame["complete"].astype(bool)
    return frame


def read_athletes(path: str | os.PathLike, warnings: list[str] | None = None) -> pd.DataFrame:
    """Read and check athletes.csv; raises DataError naming every problem with its line.
    Warnings (an unknown column, a guessed encoding) are added to warnings."""
    path = Path(path)
    name = path.name
    warnings = [] if warnings is None else warnings
    try:
        encoding, sep, header = csvfile.sniff(path, warnings)
        columns = [h.strip().lower() for h in header]
        if "athlete" not in columns:
            raise DataError([Problem(name, 1, "missing column: athlete (the header must name it; born, nat, "
                                     "source and complete are optional)")])
        unknown = [h for h, c in zip(header, columns) if c not in ATHLETE_COLUMNS]
        if unknown:
            warnings.append(f"{name}:1: unknown column{'s' if len(unknown) > 1 else ''} ignored: {', '.join(unknown)}")
        with open(path, newline="", encoding=encoding) as f:
            reader = csv.reader(f, delimiter=sep)
            next(reader)
            return _rows(name, reader, columns)
    except UnicodeDecodeError as exc:
        raise DataError([Problem(name, 0, f"not readable as text ({exc.reason})")]) from None
    except csv.Error as exc:
        raise DataError([Problem(name, 0, f"not a CSV file ({exc})")]) from None
    except OSError as exc:
        raise DataError([Problem(name, 0, f"cannot read this file: {exc.strerror or exc}")]) from None


def _rows(name: str, reader, columns: list[str]) -> pd.DataFrame:
    problems: list[Problem] = []
    rows = []
    seen: dict[str, int] = {}
    today = dt.date.today()
    start = 2
    for record in reader:
        line, start = start, reader.line_num + 1
        if not any(cell.strip() for cell in record):
            continue
        if len(record) != len(columns):
            problems.append(Problem(name, line, f"{len(record)} values but the header names {len(columns)} columns"))
            continue
        cells = {c: v.strip() for c, v in zip(columns, record) if c in ATHLETE_COLUMNS}
        bad, row = _row(cells, today)
        who = row["athlete"]
        if who in seen:
            bad.append(f"{who} appears twice (also line {seen[who]})")
        elif who:
            seen[who] = line
        problems.extend(Problem(name, line, b) for b in bad)
        rows.append(row)
    if problems:
        raise DataError(problems[:MAX_PROBLEMS], total=len(problems))
    if not rows:
        return empty_athletes()
    frame = pd.DataFrame(rows, columns=list(ATHLETE_COLUMNS))
    frame["born"] = pd.to_datetime(frame["born"])
    return frame


def _row(cells: dict[str, str], today: dt.date) -> tuple[list[str], dict]:
    bad = []
    athlete = cells.get("athlete", "")
    if not athlete:
        bad.append("missing athlete")
    born = None
    if cells.get("born"):
        try:
            born = dt.date.fromisoformat(cells["born"])
        except ValueError:
            bad.append(f"born {shown(cells['born'])} is not a date as YYYY-MM-DD")
        else:
            if born > today:
                bad.append(f"born {born} is in the future")
    nat = cells.get("nat", "")
    if nat and not (len(nat) == 3 and nat.isascii() and nat.isalpha() and nat.isupper()):
        bad.append(f"nat {shown(nat)} is not a three-letter country code in capitals, like NOR")
    complete = cells.get("complete", "").lower()
    if complete not in TRUE | FALSE:
        bad.append(f"complete {shown(cells['complete'])} is not true or false")
    return bad, {"athlete": athlete, "born": born, "nat": nat, "source": cells.get("source", ""),
                 "complete": complete in TRUE}


def check_against_races(name: str, athletes: pd.DataFrame, races: pd.DataFrame) -> list[str]:
    """Warnings where athletes.csv and races.csv do not fit: a name races.csv does not hold
    (a spelling that differs?), a birth date that makes someone younger than 12 or older than
    60 on a race day (a typo in the year?)."""
    out = []
    in_races = set(races["athlete"].astype("str").unique())
    for who in athletes.loc[~athletes["athlete"].isin(in_races), "athlete"]:
        out.append(f"{name}: {who} is not in races.csv (spelled differently there?)")
    born = athletes.dropna(subset=["born"]).set_index("athlete")["born"]
    if not born.empty:
        rows = races[races["athlete"].isin(born.index)]
        days = rows.groupby("athlete", observed=True)["date"].agg(["min", "max"])
        for who, (first, last) in days.iterrows():
            young = (first - born[who]).days / 365.25
            old = (last - born[who]).days / 365.25
            if young < 12 or old > 60:
                age, when = (young, first) if young < 12 else (old, last)
                out.append(f"{name}: born {born[who]:%Y-%m-%d} makes {who} {int(age)} on {when:%Y-%m-%d} "
                           "(a typo in the year?)")
    return out
